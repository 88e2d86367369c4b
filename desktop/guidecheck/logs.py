"""One log file per installation (`<data folder>/logs/guidecheck.log`), rotated, never shown raw.

When the data folder cannot take the log (a read-only stick, a stick pulled out, a folder that
cannot be made), the log goes to this computer's own log folder instead (`paths.fallback_logs_dir`)
so that the message pointing to the details never names a place that does not exist.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidecheck.paths import fallback_logs_dir, logs_dir

if TYPE_CHECKING:
    from logging.handlers import RotatingFileHandler

LOG_NAME = "guidecheck.log"
_configured: dict[Path, Path] = {}  # data folder -> the log file actually used
_current: Path | None = None


def setup_logging(home: Path) -> Path:
    """Send GuideCheck's log records to the data folder's log file (or the local fallback);
    returns the path of the file the records go to."""
    import logging.handlers  # imports socket and pickle: keep it off the start-up path

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
            handler = _RotatingFile(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
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


def _rotating_base() -> type[RotatingFileHandler]:
    import logging.handlers

    return logging.handlers.RotatingFileHandler


class _RotatingFile(logging.Handler):
    """A rotated log file that moves to the local fallback folder when its own folder vanishes
    (a pulled stick) or stops taking writes; `current_log_path` then says where records go."""

    def __init__(self, path: Path, **options: Any) -> None:
        super().__init__()
        self._options = options
        self.path = path
        self._file: RotatingFileHandler | None = _rotating_base()(path, **options)
        self._moved = False

    def setFormatter(self, fmt: logging.Formatter | None) -> None:
        super().setFormatter(fmt)
        if self._file is not None:
            self._file.setFormatter(fmt)

    def emit(self, record: logging.LogRecord) -> None:
        if self._file is None:
            return
        if not self._moved and not self.path.parent.is_dir():  # an open file outlives its folder
            self._move_to_fallback()
        try:
            if self._file.shouldRollover(record):
                self._file.doRollover()
            stream = self._file.stream
            if stream is None:  # closed under us: treated like a folder that stopped taking writes
                raise ValueError("the log file is closed")
            stream.write(self.format(record) + self._file.terminator)
            stream.flush()
        except (OSError, ValueError):
            if not self._moved:
                self._move_to_fallback()
                if self._file is not None:
                    self._file.emit(record)

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
            self._file = _rotating_base()(self.path, **self._options)
        except OSError:
            self._file = None  # nowhere left to write: drop records rather than fail
            return
        self._file.setFormatter(self.formatter)
        for home in list(_configured):
            _configured[home] = self.path
        _current = self.path

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()
