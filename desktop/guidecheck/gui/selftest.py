"""The app's `--self-test`: the core's steps (`guidecheck.selftest`), then start Qt offscreen, draw
a label and the app icons, then the main window.

The Qt steps live here because only gui/ imports Qt; `guidecheck selftest` (the CLI) runs the
core's steps alone.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from guidecheck import selftest
from guidecheck.i18n import _
from guidecheck.selftest import StepFailed, Workspace


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


STEPS: tuple[tuple[str, Callable[[Workspace], None]], ...] = selftest.STEPS + (
    ("qt offscreen", step_qt),
    ("main window", step_main_window),
)


def run() -> int:
    """Every step, one line each; 0 when all passed, 1 otherwise."""
    return selftest.run(steps=STEPS)
