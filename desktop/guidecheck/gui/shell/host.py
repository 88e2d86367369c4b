"""What the shell's helpers (report actions, settings and key dialogs) need from the main window.

The main window creates those helpers on first use; they take the window as a `ShellHost` rather
than importing `main_window`, so the window and its helpers do not import each other.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from guidecheck.gui.shell.settings import AppSettings
    from guidecheck.gui.shell.tasks import TaskRunner


class ShellHost(Protocol):
    """The main window as its helpers see it (it is also their Qt parent widget)."""

    home_dir: Path
    settings: AppSettings
    runner: TaskRunner

    def set_busy(self, text: str, block: bool = True) -> None: ...

    def show_error(self, error: BaseException) -> None: ...
