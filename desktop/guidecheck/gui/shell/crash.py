"""The app's one exception hook: log everything, show a plain dialog.

Unexpected errors are written with their traceback to `<data folder>/logs/guidecheck.log`; the
person sees one plain sentence and where the log is, never a traceback. A `UserError` (bad input)
is shown as its own sentence and not treated as a crash.
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QWidget

from guidecheck.errors import UserError
from guidecheck.fileops import storage_unavailable

log = logging.getLogger("guidecheck.gui")


def tr(text: str) -> str:
    return QCoreApplication.translate("crash", text)


def setup_logging(home: Path) -> Path:
    """Send the app's log to the data folder's logs/guidecheck.log (the core's rotated log)."""
    from guidecheck.logs import setup_logging as core_setup

    return core_setup(home)


class CrashHandler:
    """Installed as sys.excepthook (and threading.excepthook) for the life of the app."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.log_path = home / "logs" / "guidecheck.log"
        self.parent: QWidget | None = None
        self.shown = 0
        self._showing = False
        self._logging_ready = False

    def ensure_logging(self) -> None:
        """Open the log file (making logs/ and opening a file wait until the window is shown);
        an error before then opens it on the spot."""
        if not self._logging_ready:
            self._logging_ready = True
            self.log_path = setup_logging(self.home)

    def install(self) -> None:
        sys.excepthook = self.handle
        threading.excepthook = self._thread_hook

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        # Worker-thread errors are logged; the task helper reports them on the GUI thread.
        self.ensure_logging()
        log.error(
            "error in thread %s",
            args.thread,
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )  # type: ignore[arg-type]

    def handle(
        self,
        exc_type: type[BaseException],
        exc_value: BaseException,
        exc_tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        self.ensure_logging()
        plain = storage_unavailable(exc_value)  # a pulled stick: one sentence, every time
        if plain is not None:
            log.error("data folder unavailable", exc_info=(exc_type, exc_value, exc_tb))
            exc_value = plain
        if isinstance(exc_value, UserError):
            log.info("user error: %s", exc_value)
            self.show(str(exc_value))
            return
        log.error("unexpected error", exc_info=(exc_type, exc_value, exc_tb))
        from guidecheck.logs import current_log_path  # loaded by ensure_logging above

        self.show(
            tr(
                "Something went wrong and GuideCheck could not finish what you asked. "
                "Your answers saved so far are safe. The details were written to {path}."
            ).format(path=current_log_path() or self.log_path)
        )

    def report(self, error: BaseException) -> None:
        """For callers that caught an error themselves (task failures)."""
        self.handle(type(error), error, error.__traceback__)

    def show(self, message: str) -> None:
        self.shown += 1
        if self._showing or QApplication.instance() is None:
            return  # never stack dialogs from a cascade of errors
        self._showing = True
        from PySide6.QtWidgets import QMessageBox  # only when there is something to say

        try:
            box = QMessageBox(self.parent)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle(tr("GuideCheck"))
            box.setText(message)
            box.setStandardButtons(QMessageBox.StandardButton.Ok)
            box.exec()
        finally:
            self._showing = False


_handler: CrashHandler | None = None


def install(home: Path) -> CrashHandler:
    """Install the hook at once; the log file opens after the window shows (`finish_setup`)."""
    global _handler
    _handler = CrashHandler(home)
    _handler.install()
    return _handler


def finish_setup() -> None:
    if _handler is not None:
        _handler.ensure_logging()


def current() -> CrashHandler | None:
    return _handler


def show_error(parent: QWidget | None, error: BaseException) -> None:
    """Show any error plainly: a UserError's own sentence, else the crash message and log."""
    if _handler is not None:
        if parent is not None:
            _handler.parent = parent
        _handler.report(error)
        return
    log.error("error", exc_info=error)
    from PySide6.QtWidgets import QMessageBox

    text = str(error) if isinstance(error, UserError) else tr("Something went wrong.")
    QMessageBox.warning(parent, tr("GuideCheck"), text)
