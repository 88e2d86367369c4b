"""Every screen fits a netbook: at 1024×600 and 1280×720, at 100, 125 and 150% text, every
button outside a scroll area is inside the window, nothing scrolls sideways, and the window opens
no larger than the screen it is on (a simulated screen, in a separate process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QApplication, QWidget

from guidecheck.gui.screenshots import render_screens
from guidecheck.gui.shell.settings import apply_text_scale

OUT = Path(__file__).resolve().parents[2] / "test-output" / "small-screens"


def inside_scroll_area(widget: QWidget, root: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def cut_off(root: QWidget) -> list[str]:
    """Buttons a person cannot reach: shown, not in a scroll area, yet (partly) outside the
    window, or squeezed narrower than their text."""
    frame = root.rect()
    found = []
    for button in root.findChildren(QAbstractButton):
        if not button.isVisible() or inside_scroll_area(button, root):
            continue
        area = QRect(button.mapTo(root, QPoint(0, 0)), button.size())
        if not frame.contains(area):
            found.append(f"{button.text()!r} at {area.getRect()} outside {frame.getRect()}")
    for area in root.findChildren(QAbstractScrollArea):
        if area.isVisible() and area.horizontalScrollBar().isVisible():
            found.append(f"{type(area).__name__} scrolls sideways")
    return found


@pytest.mark.parametrize(("size", "scale"), [((1024, 600), 150), ((1280, 720), 125)])
def test_every_screen_fits(qapp, size, scale):
    problems: dict[str, list[str]] = {}
    seen: list[str] = []

    def inspect(name: str, screen: QWidget) -> None:
        seen.append(name)
        if screen.size().toTuple() != size and screen.isWindow() and name.endswith("png"):
            if not name.startswith(("about", "settings")):
                problems[name] = [f"window is {screen.size().toTuple()}, not {size}"]
        found = cut_off(screen)
        if found:
            problems[name] = found

    try:
        apply_text_scale(qapp, scale)
        render_screens(OUT / f"{size[0]}x{size[1]}-{scale}", inspect=inspect, size=size)
    finally:
        apply_text_scale(qapp, 100)
    assert len(seen) >= 12
    assert problems == {}


def test_the_checker_sees_a_button_off_screen(qtbot):
    from PySide6.QtWidgets import QPushButton

    root = QWidget()
    qtbot.addWidget(root)
    root.resize(300, 200)
    button = QPushButton("Next", root)
    button.setGeometry(250, 150, 120, 30)
    root.show()
    assert cut_off(root) and "Next" in cut_off(root)[0]


PROBE = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from guidecheck.gui.shell.main_window import MainWindow
window = MainWindow(Path(sys.argv[1]))
window.show()
app.processEvents()
area = window.screen().availableGeometry()
frame = window.frameGeometry()
print(area.width(), area.height(), frame.x(), frame.y(), frame.width(), frame.height(),
      window.width(), window.height())
window.resize(int(sys.argv[2]), int(sys.argv[3]))
window.close()
"""


def open_on_screen(tmp_path: Path, home: Path, width: int, height: int, resize_to=(0, 0)):
    config = tmp_path / f"screen-{width}x{height}.json"
    config.write_text(
        json.dumps(
            {
                "screens": [
                    {
                        "name": "s",
                        "x": 0,
                        "y": 0,
                        "width": width,
                        "height": height,
                        "logicalDpi": 96,
                        "logicalBaseDpi": 96,
                        "dpr": 1,
                    }  # fmt: skip
                ]
            }
        )
    )
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(home), str(resize_to[0]), str(resize_to[1])],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [int(v) for v in done.stdout.split()[-8:]]


def test_window_opens_within_the_screen_and_remembers_its_size(tmp_path, home):
    area_w, area_h, x, y, width, height, *_ = open_on_screen(tmp_path, home, 1024, 600, (900, 500))
    assert (area_w, area_h) == (1024, 600)
    assert 0 <= x and 0 <= y and x + width <= 1024 and y + height <= 600
    assert width >= 900  # most of a small screen is used
    # the size chosen there is remembered on the next start
    *_, width, height = open_on_screen(tmp_path, home, 1024, 600)
    assert (width, height) == (900, 500)
    # a size saved on a bigger screen is clamped into a smaller one
    open_on_screen(tmp_path, home, 1920, 1080, (1800, 1000))
    _w, _h, x, y, width, height, *_ = open_on_screen(tmp_path, home, 1024, 600)
    assert 0 <= x and 0 <= y and x + width <= 1024 and y + height <= 600


def test_text_size_applies_to_every_widget_at_once(qapp, window):
    before = window.home.new_button.font().pointSizeF()
    try:
        apply_text_scale(qapp, 150)
        QApplication.processEvents()
        for widget in window.findChildren(QWidget):
            if widget.isVisible() and not getattr(widget, "_guidecheck_font", None):
                assert widget.font().pointSizeF() == pytest.approx(before * 1.5), widget
    finally:
        apply_text_scale(qapp, 100)
