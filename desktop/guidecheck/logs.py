"""One log file per installation (`<data folder>/logs/guidecheck.log`), rotated, never shown raw."""

from __future__ import annotations

from pathlib import Path

from guidecheck.paths import logs_dir

_configured: set[Path] = set()


def setup_logging(home: Path) -> Path:
    """Send GuideCheck's log records to the data folder's log file; returns its path."""
    import logging.handlers  # imports socket and pickle: keep it off the start-up path

    path = logs_dir(home) / "guidecheck.log"
    if path not in _configured:
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger = logging.getLogger("guidecheck")
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        _configured.add(path)
    return path
