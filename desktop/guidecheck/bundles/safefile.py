"""Crash-safe file writes: a temporary name beside the target, flush, fsync, rename, fsync folder.

A USB stick pulled mid-write must never leave a half file under the real name, so every bundle,
archive copy and key file is written through `write_atomic`.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from guidecheck.fileops import replace_with_retry

TEMP_SUFFIX = ".partial"


def write_atomic(target: Path, data: bytes, private: bool = False, overwrite: bool = False) -> Path:
    """Write `data` to `target` so the name only ever holds the complete file; return `target`.

    `private` creates the file readable by its owner only (0600) where the OS allows it.
    Without `overwrite`, an existing target raises FileExistsError (the name is checked again
    right before the rename, which is as close as portable Python gets).
    """
    target = Path(target)
    folder = target.parent
    temp = folder / f".{target.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(temp, flags, 0o600 if private else 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if not overwrite and target.exists():
            raise FileExistsError(str(target))
        replace_with_retry(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _sync_folder(folder)
    return target


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
