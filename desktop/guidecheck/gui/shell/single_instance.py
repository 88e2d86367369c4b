"""One running app per data folder; a second start brings the first window forward.

Two copies on one database keep the data safe (SQLite locks) but show stale screens, and on
Windows the second cannot rotate the log the first holds open. The first copy holds a `QLockFile`
in the data folder (a dead copy's lock is taken over: Qt checks its process id). A second start
finds the lock taken, drops a small "show" request file beside it and waits a moment: the first
copy, watching its data folder, deletes the request and raises its window. If nobody answers (the
other copy is on another computer sharing a network folder, or hung), the second start says the
data folder is already open. Only QtCore is used: QtNetwork is not shipped in the package.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QFileSystemWatcher, QLockFile, QObject

LOCK_NAME = "guidecheck.lock"
REQUEST_NAME = "guidecheck.lock.show"
ANSWER_WAIT_SECONDS = 3.0


class SingleInstance(QObject):
    """The lock on one data folder, for the life of the app."""

    def __init__(self, home: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.home = Path(home)
        self.lock = QLockFile(str(self.home / LOCK_NAME))
        # Never stale by age: Qt would otherwise take over a running copy's lock after 30 s. A dead
        # copy's lock on this computer is still taken over (its process id is checked).
        self.lock.setStaleLockTime(0)
        self.request = self.home / REQUEST_NAME
        self._watcher: QFileSystemWatcher | None = None
        self._on_request: Callable[[], None] | None = None

    def acquire(self) -> bool:
        """True when this is the only copy on the folder (or the lock cannot be written at all:
        a read-only folder must not stop the app from showing its plain message)."""
        if self.lock.tryLock(0):
            return True
        return self.lock.error() != QLockFile.LockError.LockFailedError

    def ask_first_to_show(self, wait: float = ANSWER_WAIT_SECONDS) -> bool:
        """Ask the copy holding the lock to bring its window forward; True when it answered."""
        try:
            self.request.write_text(str(time.time()), encoding="utf-8")
        except OSError:
            return False
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not self.request.exists():
                return True
            time.sleep(0.05)
        try:
            self.request.unlink(missing_ok=True)
        except OSError:
            pass
        return False

    def listen(self, on_request: Callable[[], None]) -> None:
        """Call `on_request` (on the GUI thread) whenever a second start asks for the window."""
        self._on_request = on_request
        self._watcher = QFileSystemWatcher([str(self.home)], self)
        self._watcher.directoryChanged.connect(self._check_request)
        self._check_request()

    def _check_request(self, *_args: object) -> None:
        if not self.request.exists():
            return
        try:
            self.request.unlink()
        except OSError:
            return
        if self._on_request is not None:
            self._on_request()

    def release(self) -> None:
        if self._watcher is not None:
            self._watcher.removePaths(self._watcher.directories())
        if self.lock.isLocked():
            self.lock.unlock()


def bring_forward(window: object) -> None:
    """Show the window normally (not minimised), on top, with the keyboard focus."""
    if window.isMinimized():  # type: ignore[attr-defined]
        window.showNormal()  # type: ignore[attr-defined]
    else:
        window.show()  # type: ignore[attr-defined]
    window.raise_()  # type: ignore[attr-defined]
    window.activateWindow()  # type: ignore[attr-defined]
    QCoreApplication.processEvents()
