"""The app's `--self-test`: the core's steps (`guidecheck.selftest`), then start Qt offscreen, draw
a label and the app icons, then the main window, then (in a second process) a window on the real
screen with the platform plugin the package ships.

The Qt steps live here because only gui/ imports Qt; `guidecheck selftest` (the CLI) runs the
core's steps alone.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from guidecheck import selftest
from guidecheck.i18n import _
from guidecheck.selftest import StepFailed, StepSkipped, Workspace


def _qt_app() -> Any:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else "guidecheck", "-platform", "offscreen"])
    return app


def step_qt(ws: Workspace) -> None:
    from PySide6.QtGui import QIcon, QImage
    from PySide6.QtWidgets import QLabel

    from guidecheck.paths import asset_path

    app = _qt_app()
    label = QLabel("GuideCheck self-test")
    label.resize(320, 80)
    label.show()
    app.processEvents()
    shot = label.grab()
    label.close()
    if shot.isNull() or shot.width() < 1:
        raise StepFailed(_("Qt could not draw a window offscreen."))
    icon = QIcon(str(asset_path("guidecheck.svg"))).pixmap(64, 64)
    if icon.isNull():
        raise StepFailed(_("The app icon (SVG) cannot be drawn: Qt's SVG support is missing."))
    image = QImage(str(asset_path("guidecheck.png")))
    if image.isNull():
        raise StepFailed(_("The app icon (PNG) cannot be read."))


def step_main_window(ws: Workspace) -> None:
    from guidecheck.gui.shell.main_window import MainWindow

    app = _qt_app()
    home = ws.root / "window-home"
    home.mkdir()
    window = MainWindow(home)
    try:
        window.show()
        app.processEvents()
        shot = window.grab()
        if shot.isNull():
            raise StepFailed(_("The main window could not be drawn."))
    finally:
        window.runner.shutdown()
        window.close()
        window.deleteLater()
        app.processEvents()


def display_available() -> bool:
    """Whether this session has a screen the real Qt platform plugin can open: Windows and macOS
    desktops always do; on Linux an X11 or Wayland display must be named in the environment."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def platform_check_command() -> list[str]:
    """How to start this installation again for the real-platform check (a second process: one
    process gets one Qt platform, and the steps above already use offscreen)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--self-test-platform"]
    return [sys.executable, "-m", "guidecheck.gui.selftest", "--platform"]


def step_qt_platform(ws: Workspace) -> None:
    """Open a window on the real screen with the platform plugin and style the package ships
    (qwindows and the Windows style, xcb or wayland, cocoa): the offscreen steps never load them."""
    import subprocess

    if not display_available():
        raise StepSkipped(_("no display in this session, so the screen plugin was not tried"))
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    try:
        done = subprocess.run(platform_check_command(), capture_output=True, text=True,
                              timeout=120, env=env)  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise StepFailed(_("Qt could not open a window on this screen ({detail}).").format(
            detail=exc)) from None  # fmt: skip
    if done.returncode != 0:
        said = [line for line in (done.stderr or "").splitlines() if line.strip()]
        detail = said[-1] if said else _("exit status {code}").format(code=done.returncode)
        raise StepFailed(_("Qt could not open a window on this screen ({detail}).").format(
            detail=detail))  # fmt: skip


def platform_check() -> int:
    """The second process of `step_qt_platform`: 0 when a window was drawn with a real platform."""
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "guidecheck"])
    label = QLabel("GuideCheck self-test")
    label.resize(320, 80)
    label.show()
    app.processEvents()
    shot = label.grab()
    label.close()
    platform = QApplication.platformName()
    style = app.style().name() if app.style() is not None else ""
    print(f"platform {platform} style {style}", flush=True)
    if platform in ("offscreen", "minimal") or shot.isNull():
        print(f"only the {platform} platform was available", file=sys.stderr, flush=True)
        return 3
    return 0


STEPS: tuple[tuple[str, Callable[[Workspace], Any]], ...] = selftest.STEPS + (
    ("qt offscreen", step_qt),
    ("main window", step_main_window),
    ("qt platform", step_qt_platform),
)


def run() -> int:
    """Every step, one line each; 0 when all passed, 1 otherwise."""
    return selftest.run(steps=STEPS)


def main() -> int:
    if sys.argv[1:] == ["--platform"]:
        return platform_check()
    return run()


if __name__ == "__main__":
    sys.exit(main())
