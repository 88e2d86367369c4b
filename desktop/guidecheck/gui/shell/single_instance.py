"""One running app per data folder; a second start brings the first window forward.

Two copies on one database keep the data safe (SQLite locks) but show stale screens, and on
Windows the second cannot rotate the log the first holds open. The first copy holds an operating
system lock on `guidecheck-app.lock` in the data folder (`flock` on Linux and macOS,
`msvcrt.locking` on Windows). The system drops it when the process ends, even killed or by a power
cut, so there is never a stale lock to take over, and taking it writes nothing to disk (Qt's
`QLockFile` writes and syncs its file first: 0.5 ms to several ms on a busy disk, before the first
window shows). Earlier versions used a `QLockFile` named `guidecheck.lock`: that name is left to
them, because their `QLockFile` would read our empty file as a live lock it cannot check and
refuse to start, on a USB stick shared with a laptop still running an earlier version. A copy on
another computer sharing a network folder sees the lock where the file system passes locks on
(Windows shares, NFS); where it does not, SQLite's own locks still keep the data safe.

A second start finds the lock taken, drops a small "show" request file beside it and waits a
moment: the first copy, watching its data folder, deletes the request and raises its window. If
nobody answers (the other copy is on another computer sharing a network folder, or hung), the
second start says the data folder is already open. Only QtCore is used: QtNetwork is not shipped
in the package.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QFileSystemWatcher, QObject

LOCK_NAME = "guidecheck-app.lock"  # not "guidecheck.lock": see the module docstring
REQUEST_NAME = "guidecheck.lock.show"
ANSWER_WAIT_SECONDS = 3.0


class SingleInstance(QObject):
    """The lock on one data folder, for the life of the app."""

    def __init__(self, home: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.home = Path(home)
        self.lock_path = self.home / LOCK_NAME
        self._lock_fd: int | None = None  # open while this copy holds the lock
        self.request = self.home / REQUEST_NAME
        self._watcher: QFileSystemWatcher | None = None
        self._on_request: Callable[[], None] | None = None

    def acquire(self) -> bool:
        """True when this is the only copy on the folder (or the lock cannot be written at all:
        a read-only folder must not stop the app from showing its plain message)."""
        if self._lock_fd is not None:
            return True
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return True  # read-only or missing folder: the start-up checks say so plainly
        try:
            _lock(fd)
        except OSError as error:
            os.close(fd)
            # held by another copy; any other failure (a file system without locks) lets us start
            return not _held_elsewhere(error)
        self._lock_fd = fd
        return True

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
        if self._lock_fd is not None:
            fd, self._lock_fd = self._lock_fd, None
            _unlock(fd)
            os.close(fd)  # the file stays: removing it could race with a copy starting now


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # the first byte, without waiting

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

    def _held_elsewhere(error: OSError) -> bool:
        return isinstance(error, PermissionError) or error.errno == 36  # EDEADLOCK: retries ran out

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    def _held_elsewhere(error: OSError) -> bool:
        return isinstance(error, BlockingIOError)


def bring_forward(window: object) -> None:
    """Show the window normally (not minimised), on top, with the keyboard focus."""
    if window.isMinimized():  # type: ignore[attr-defined]
        window.showNormal()  # type: ignore[attr-defined]
    else:
        window.show()  # type: ignore[attr-defined]
    window.raise_()  # type: ignore[attr-defined]
    window.activateWindow()  # type: ignore[attr-defined]
    QCoreApplication.processEvents()
