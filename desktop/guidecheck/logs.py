"""One log file per installation (`<data folder>/logs/guidecheck.log`), rotated, never shown raw.

When the data folder cannot take the log (a read-only stick, a stick pulled out, a folder that
cannot be made), the log goes to this computer's own log folder instead (`paths.fallback_logs_dir`)
so that the message pointing to the details never names a place that does not exist.

The file is rotated by `_RotatingFile` itself (at `MAX_BYTES`, keeping `BACKUPS` older files
`guidecheck.log.1` … `.3`, as `logging.handlers.RotatingFileHandler` does): that module imports
socket, pickle and queue for handlers GuideCheck never uses, and the app sets up its log at
start-up (bench/bench_startup.py).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from guidecheck.paths import fallback_logs_dir, logs_dir

LOG_NAME = "guidecheck.log"
MAX_BYTES = 1_000_000  # a file this big is renamed guidecheck.log.1 before the next record
BACKUPS = 3  # guidecheck.log.1 (newest) to .3 (oldest) are kept; older records are dropped
_configured: dict[Path, Path] = {}  # data folder -> the log file actually used
_current: Path | None = None


def setup_logging(home: Path) -> Path:
    """Send GuideCheck's log records to the data folder's log file (or the local fallback);
    returns the path of the file the records go to."""
    global _current
    home = Path(home)
    if home in _configured:
        _current = _configured[home]
        return _current
    handler: logging.Handler | None = None
    folders: tuple[Callable[[], Path], ...] = (lambda: logs_dir(home), fallback_logs_dir)
    for folder in folders:
        try:
            path = folder() / LOG_NAME
            handler = _RotatingFile(path)
            break
        except OSError:
            continue
    if handler is None:  # nowhere to write at all: keep the records from failing loudly
        handler, path = logging.NullHandler(), fallback_logs_dir() / LOG_NAME
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("guidecheck")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    _configured[home] = path
    _current = path
    return path


def current_log_path() -> Path | None:
    """The log file records go to now (None before `setup_logging`)."""
    return _current


def _open(path: Path) -> TextIO:
    return open(path, "a", encoding="utf-8")  # kept open for the life of the app


def _rotate(path: Path, backups: int = BACKUPS) -> None:
    """guidecheck.log.2 -> .3, .1 -> .2, guidecheck.log -> .1 (the oldest is replaced)."""
    for number in range(backups - 1, 0, -1):
        older = path.with_name(f"{path.name}.{number}")
        if older.exists():
            os.replace(older, path.with_name(f"{path.name}.{number + 1}"))
    if path.exists():
        os.replace(path, path.with_name(f"{path.name}.1"))


class _RotatingFile(logging.Handler):
    """A rotated log file that moves to the local fallback folder when its own folder vanishes
    (a pulled stick) or stops taking writes; `current_log_path` then says where records go.
    `emit` runs under the handler's lock (logging.Handler.handle), so threads never interleave."""

    def __init__(self, path: Path, max_bytes: int = MAX_BYTES, backups: int = BACKUPS) -> None:
        super().__init__()
        self.path = path
        self.max_bytes = max_bytes
        self.backups = backups
        self._file: TextIO | None = _open(path)
        self._moved = False

    def emit(self, record: logging.LogRecord) -> None:
        if self._file is None:
            return
        if not self._moved and not self.path.parent.is_dir():  # an open file outlives its folder
            self._move_to_fallback()
        try:
            self._write(self.format(record) + "\n")
        except (OSError, ValueError):
            if not self._moved:
                self._move_to_fallback()
                try:
                    self._write(self.format(record) + "\n")
                except (OSError, ValueError):
                    self._file = None  # nowhere left to write: drop records rather than fail

    def _write(self, text: str) -> None:
        stream = self._file
        if stream is None or stream.closed:  # closed under us: like a folder refusing writes
            raise ValueError("the log file is closed")
        if self.max_bytes and stream.tell() + len(text.encode("utf-8")) > self.max_bytes:
            if stream.tell() > 0:  # a record bigger than the limit still gets a file of its own
                stream.close()  # Windows renames no open file
                _rotate(self.path, self.backups)
                self._file = stream = _open(self.path)
        stream.write(text)
        stream.flush()

    def _move_to_fallback(self) -> None:
        global _current
        self._moved = True
        try:
            if self._file is not None:
                self._file.close()
        except (OSError, ValueError):
            pass
        self.path = fallback_logs_dir() / LOG_NAME
        try:
            self._file = _open(self.path)
        except OSError:
            self._file = None  # nowhere left to write: drop records rather than fail
            return
        for home in list(_configured):
            _configured[home] = self.path
        _current = self.path

    def close(self) -> None:
        if self._file is not None and not self._file.closed:
            self._file.close()
        super().close()
