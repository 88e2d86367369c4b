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
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QTableView,
    QWidget,
)

from guidecheck.gui.screenshots import render_hub_screens, render_screens
from guidecheck.gui.shell.settings import apply_text_scale

OUT = Path(__file__).resolve().parents[2] / "test-output" / "small-screens"


def inside_scroll_area(widget: QWidget, root: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def cut_off(root: QWidget, wide_tables: bool = False) -> list[str]:
    """Buttons a person cannot reach: shown, not in a scroll area, yet (partly) outside the
    window, or squeezed narrower than their text; and anything scrolling sideways (with
    `wide_tables`, a data table may scroll inside itself: the window still may not)."""
    frame = root.rect()
    found = []
    for button in root.findChildren(QAbstractButton):
        if not button.isVisible() or inside_scroll_area(button, root):
            continue
        area = QRect(button.mapTo(root, QPoint(0, 0)), button.size())
        if not frame.contains(area):
            found.append(f"{button.text()!r} at {area.getRect()} outside {frame.getRect()}")
    for area in root.findChildren(QAbstractScrollArea):
        if wide_tables and isinstance(area, QTableView):
            continue
        if area.isVisible() and area.horizontalScrollBar().isVisible():
            found.append(f"{type(area).__name__} scrolls sideways")
    return found


def home_cells_cut(window: QWidget) -> list[str]:
    """On the home list, date, status, score and verdict are never cut with "…": each column is
    at least as wide as its widest cell and its title."""
    from guidecheck.gui.assessment.home_model import COL_DATE, COL_SCORE, COL_STATUS, COL_VERDICT

    table = window.home.table  # type: ignore[attr-defined]
    header = table.horizontalHeader()
    found = []
    for column in (COL_DATE, COL_STATUS, COL_SCORE, COL_VERDICT):
        needed = max(table.sizeHintForColumn(column), header.sectionSizeHint(column))
        if header.sectionSize(column) < needed:
            title = table.model().headerData(column, Qt.Orientation.Horizontal)
            found.append(
                f"home column {title!r} is {header.sectionSize(column)} px, needs {needed}"
            )
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
        if name == "home.png":
            found += home_cells_cut(screen)
        if found:
            problems[name] = found

    try:
        apply_text_scale(qapp, scale)
        render_screens(OUT / f"{size[0]}x{size[1]}-{scale}", inspect=inspect, size=size)
    finally:
        apply_text_scale(qapp, 100)
    assert len(seen) >= 12
    assert problems == {}


@pytest.mark.long  # started first when the suite runs in parallel
def test_every_district_hub_screen_fits_a_netbook_at_150_percent(qapp):
    """Overview, heat map, gaps, facility detail, conflicts and the import dialog, with twenty
    clinics imported: the window stays 1024 px wide (it grew to 1722 px before), every button is
    inside it, and only the data tables scroll sideways, inside themselves."""
    problems: dict[str, list[str]] = {}
    seen: list[str] = []

    def inspect(name: str, screen: QWidget) -> None:
        seen.append(name)
        found = cut_off(screen, wide_tables=True)
        if not name.startswith("hub-import") and screen.size().toTuple() != (1024, 600):
            found.append(f"window is {screen.size().toTuple()}, not (1024, 600)")
        if name.startswith("hub-import") and screen.width() > 1024:
            found.append(f"dialog is {screen.width()} px wide")
        if name == "hub-overview.png":  # the sample hub really holds the clinics' assessments
            status = " ".join(label.text() for label in screen.findChildren(QLabel))
            if "19 of 20 facilities assessed" not in status:
                found.append("the overview does not show the twenty sample clinics")
        if found:
            problems[name] = found

    try:
        apply_text_scale(qapp, 150)
        render_hub_screens(OUT / "hub-1024x600-150", inspect=inspect, size=(1024, 600))
    finally:
        apply_text_scale(qapp, 100)
    assert seen == [f"{name}.png" for name in ("hub-overview", "hub-heat-map", "hub-gaps",
                    "hub-facility", "hub-conflicts", "hub-import", "hub-import-done")]  # fmt: skip
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


def test_the_home_list_keeps_facility_names_readable_in_portuguese_at_150_percent(qapp):
    """Portuguese headings and verdicts at 150% need more than a 1024-pixel netbook: the date,
    status, score and verdict stay whole, the facility keeps about twelve characters (it was
    squeezed to "…" before) and the table starts at its left edge, scrolling sideways inside
    itself for the verdicts."""
    from guidecheck.gui.assessment.home_model import COL_FACILITY
    from guidecheck.gui.shell.translation import install_language

    found: dict[str, object] = {}

    def inspect(name: str, screen: QWidget) -> None:
        if name == "home.png":
            table = screen.home.table  # type: ignore[attr-defined]
            found["facility"] = table.horizontalHeader().sectionSize(COL_FACILITY)
            found["least"] = table.fontMetrics().averageCharWidth() * 12
            found["scrolled"] = table.horizontalScrollBar().value()
            found["cut"] = home_cells_cut(screen) + cut_off(screen, wide_tables=True)

    try:
        install_language(qapp, "pt")
        apply_text_scale(qapp, 150)
        render_screens(OUT / "home-pt-1024x600-150", inspect=inspect, size=(1024, 600))
    finally:
        apply_text_scale(qapp, 100)
        install_language(qapp, "en")
    assert found["cut"] == []
    assert found["facility"] >= found["least"]
    assert found["scrolled"] == 0
