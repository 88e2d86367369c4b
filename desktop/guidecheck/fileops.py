"""File-system rules that hold on every laptop GuideCheck runs on, Windows included.

- `safe_file_name`: the one sanitiser for every file name GuideCheck makes up (report defaults,
  bundle names, exports). Windows refuses `/ \\ : * ? " < > |`, control characters, names such as
  `CON` or `LPT1` (with any extension) and names ending in a dot or a space; FAT and exFAT sticks
  limit a name to 255 UTF-16 units. A name made from a facility code like `MOH/KSM/042` must not
  turn into folders or fail on a stick.
- `replace_with_retry`: `os.replace` that waits a moment and tries again when Windows says the
  file is in use. Antivirus and search indexers open a file just written for a few hundred
  milliseconds; the rename fails with PermissionError (WinError 5 or 32) during that time.
- `read_text_bom`: text files saved by Notepad or PowerShell 5.1 begin with a UTF-8 byte-order
  mark; reading as `utf-8-sig` accepts them and plain UTF-8 alike.
"""

from __future__ import annotations

import errno
import os
import re
import time
from pathlib import Path

from guidecheck.errors import UserError
from guidecheck.i18n import _

FORBIDDEN = '/\\:*?"<>|'
RESERVED_STEMS = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"COM{n}" for n in "123456789¹²³"]
    + [f"LPT{n}" for n in "123456789¹²³"]
)
MAX_NAME_CHARS = 120  # well under 255, leaving room for the folder path on Windows (MAX_PATH 260)
REPLACE_ATTEMPTS = 6
REPLACE_PAUSE_SECONDS = 0.1  # doubled after each try: 0.1 + 0.2 + 0.4 + 0.8 + 1.6 ≈ 3 s at most


def is_reserved_name(name: str) -> bool:
    """True for names Windows keeps for devices: `CON`, `nul.txt`, `COM1.pdf`, `lpt9 .x`…"""
    stem = name.split(".", 1)[0].rstrip(" ").upper()
    return stem in RESERVED_STEMS


def safe_file_name(name: str, fallback: str = "guidecheck", max_chars: int = MAX_NAME_CHARS) -> str:
    """`name` made valid on Windows, macOS and Linux and on FAT/exFAT sticks; the suffix is kept.

    Forbidden characters and control characters become `_`, runs of `_` and spaces shrink, no
    dot or space is left at either end, a reserved device name gets a `_` appended to its stem,
    and the stem is shortened so the whole name fits `max_chars`. An empty result is `fallback`.
    """
    import unicodedata  # a C extension, needed only when a file name is made up

    text = unicodedata.normalize("NFC", str(name))
    cleaned = "".join(
        "_" if ch in FORBIDDEN or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch
        for ch in text
    )
    cleaned = re.sub(r"_{2,}", "_", re.sub(r"\s+", " ", cleaned)).strip(" .")
    stem, dot, suffix = cleaned.rpartition(".")
    if not dot or not stem or len(suffix) > 10 or " " in suffix:
        stem, suffix = cleaned, ""
    suffix = f".{suffix}" if suffix else ""
    stem = stem.strip(" ._") or fallback
    if is_reserved_name(stem):  # Windows looks at the part before the first dot: COM1.x.pdf
        first, dot, rest = stem.partition(".")
        stem = f"{first.rstrip(' ')}_{dot}{rest}"
    stem = stem[: max(1, max_chars - len(suffix))].rstrip(" .")
    result = stem + suffix
    return result if not is_reserved_name(result) else f"{fallback}{suffix}"


def replace_with_retry(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    attempts: int = REPLACE_ATTEMPTS,
    pause: float = REPLACE_PAUSE_SECONDS,
) -> None:
    """`os.replace(source, target)`, tried again after a short wait while the OS says the file is
    in use (PermissionError); any other error, or the last PermissionError, is raised."""
    for attempt in range(attempts):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(pause * (2**attempt))


def read_text_bom(path: str | os.PathLike[str]) -> str:
    """A UTF-8 text file's content, with or without a byte-order mark (UnicodeDecodeError if not UTF-8)."""
    return decode_text(Path(path).read_bytes())


def decode_text(raw: bytes) -> str:
    """UTF-8 bytes as text, a leading byte-order mark dropped (Notepad, PowerShell 5.1)."""
    return raw.decode("utf-8-sig")


# --- storage that went away ---------------------------------------------------------------------

_UNREACHABLE_SQLITE = ("disk i/o error", "unable to open database file", "readonly database",
                       "read-only database", "disk is full", "database or disk is full")  # fmt: skip
_UNREACHABLE_ERRNO = frozenset(
    getattr(errno, name)
    for name in ("EIO", "ENODEV", "ENXIO", "EROFS", "ENOSPC", "ESTALE")
    if hasattr(errno, name)
)


def storage_unavailable(error: BaseException) -> UserError | None:
    """One plain sentence for an error that means the data folder is gone, read-only or full
    (a USB stick pulled while the app runs, a write-protected stick), else None.

    SQLite reports a vanished file as "disk I/O error" or "unable to open database file" on any
    later read; the person must hear that the stick is missing, not that something unexpected
    happened, and never that the database is bad.
    """
    import sqlite3

    if isinstance(error, UserError):
        return None
    if isinstance(error, sqlite3.OperationalError):
        text = str(error).lower()
        if not any(marker in text for marker in _UNREACHABLE_SQLITE):
            return None
        if "full" in text:
            return UserError(_("Nothing was saved: the disk holding the data folder is full."))
        if "readonly" in text or "read-only" in text:
            return UserError(
                _("Nothing was saved: the data folder is read-only. Use a folder you can write to.")
            )
    elif isinstance(error, OSError) and error.errno in _UNREACHABLE_ERRNO:
        if error.errno == errno.EROFS:
            return UserError(
                _("Nothing was saved: the data folder is read-only. Use a folder you can write to.")
            )
        if error.errno == errno.ENOSPC:
            return UserError(_("Nothing was saved: the disk holding the data folder is full."))
    else:
        return None
    return UserError(
        _(
            "GuideCheck cannot reach its data folder any more (was the USB stick removed?). "
            "Put it back and start GuideCheck again; what was saved before is safe."
        )
    )


def data_folder_error(home: Path, error: OSError) -> UserError:
    """The sentence for a data folder that cannot be made or written: read-only or missing,
    never a hint that the data in it is bad."""
    if isinstance(error, PermissionError) or error.errno in (
        errno.EROFS,
        errno.EACCES,
        errno.EPERM,
    ):
        return UserError(
            _(
                "The data folder {path} is read-only, so GuideCheck cannot keep records there. "
                "Make the USB stick writable, or start GuideCheck with a folder you can write to."
            ).format(path=home)
        )
    if isinstance(error, FileNotFoundError | NotADirectoryError) or error.errno in (
        errno.ENOENT,
        errno.ENODEV,
        errno.ENXIO,
    ):
        return UserError(
            _(
                "The data folder {path} is missing and cannot be made (is the USB stick plugged in?)."
            ).format(path=home)
        )
    return UserError(
        _("The data folder {path} cannot be used ({reason}).").format(
            path=home, reason=(error.strerror or str(error)).lower()
        )
    )


def database_open_error(path: Path, error: BaseException) -> UserError:
    """Why the database file could not be opened when SQLite says only "unable to open" or
    "readonly": the folder is missing or read-only (said plainly), else the storage is unreachable."""
    folder = Path(path).parent
    if not folder.is_dir():
        return data_folder_error(folder, FileNotFoundError(errno.ENOENT, "missing"))
    if not os.access(folder, os.W_OK) or (Path(path).exists() and not os.access(path, os.W_OK)):
        return data_folder_error(folder, PermissionError(errno.EACCES, "read-only"))
    return storage_unavailable(error) or UserError(
        _("The database {path} cannot be opened ({detail}).").format(path=path, detail=error)
    )
