"""Crash-safe file writes: the one helper every writer uses.

A temporary name beside the target, write, flush, fsync the file, `os.replace` onto the real name
(retried while Windows reports the file in use, `fileops.replace_with_retry`),
fsync the folder. A power cut or a USB stick pulled mid-write never leaves a half file under the
real name: the name holds the old file or the complete new one. Bundles, archive copies, key files,
report PDFs and workbooks are all written this way.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from guidecheck.fileops import replace_with_retry

TEMP_SUFFIX = ".partial"


@contextlib.contextmanager
def atomic_path(target: Path, overwrite: bool = True) -> Iterator[Path]:
    """A temporary path beside `target` for a writer that needs a file name (a workbook library);
    when the block ends without error the file is fsynced and renamed onto `target` like
    `write_atomic` does. On an error the temporary file is removed and the target is untouched."""
    target = Path(target)
    temp = _temp_name(target)
    try:
        yield temp
        fd = os.open(temp, os.O_RDWR | getattr(os, "O_BINARY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        _rename(temp, target, overwrite)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def write_atomic(target: Path, data: bytes, private: bool = False, overwrite: bool = False) -> Path:
    """Write `data` to `target` so the name only ever holds the complete file; return `target`.

    `private` creates the file readable by its owner only (0600) where the OS allows it.
    Without `overwrite`, an existing target raises FileExistsError (the name is checked again
    right before the rename, which is as close as portable Python gets).
    """
    target = Path(target)
    temp = _temp_name(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(temp, flags, 0o600 if private else 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _rename(temp, target, overwrite)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return target


def make_folder(path: Path, mode: int = 0o777) -> Path:
    """Create `path` (and missing parents) so that it survives a power cut; return it.

    A new folder is only a name in its parent until the parent itself is flushed: without that, a
    power cut soon after first use can take the whole data folder (database, keys) with it even
    though every file inside was flushed. So the parent of each folder made here is fsynced.
    `mode` is the last folder's (as for `Path.mkdir`); missing parents get the default.
    """
    path = Path(path)
    missing = []
    probe = path
    while not probe.is_dir() and probe.parent != probe:
        missing.append(probe)
        probe = probe.parent
    path.mkdir(mode=mode, parents=True, exist_ok=True)
    for made in reversed(missing):
        _sync_folder(made.parent)
    return path


def _temp_name(target: Path) -> Path:
    return target.parent / f".{target.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}"


def _rename(temp: Path, target: Path, overwrite: bool) -> None:
    if not overwrite and target.exists():
        raise FileExistsError(str(target))
    replace_with_retry(temp, target)  # Windows: a scanner may hold the new file for a moment
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no folder handles, so skip there."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
