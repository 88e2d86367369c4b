"""Every main screen rendered at 1366×768 to test-output/screens/ (looked at by a person, not
compared pixel by pixel), plus the checks a picture cannot make: nothing scrolls sideways."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget

from guidecheck.gui.screenshots import render_screens
from guidecheck.gui.shell.settings import apply_text_scale

OUT = Path(__file__).resolve().parents[2] / "test-output" / "screens"
MAIN_SCREENS = {
    "home-empty.png",
    "home.png",
    "new-assessment-checklist.png",
    "new-assessment-profile.png",
    "walkthrough.png",
    "walkthrough-page3.png",
    "review.png",
    "review-complete.png",
    "finalize.png",
    "summary.png",
}


def test_every_screen_renders_at_1366x768(qapp):
    saved = render_screens(OUT)
    names = {path.name for path in saved}
    assert MAIN_SCREENS <= names and {"about.png", "settings.png"} <= names
    for path in saved:
        image = QImage(str(path))
        assert not image.isNull()
        if path.name in MAIN_SCREENS:
            assert (image.width(), image.height()) == (1366, 768), path.name


def sideways_scrollers(_name: str, screen: QWidget) -> list[str]:
    return [
        type(area).__name__
        for area in screen.findChildren(QAbstractScrollArea)
        if area.isVisible() and area.horizontalScrollBar().isVisible()
    ]


@pytest.mark.long  # started first when the suite runs in parallel
def test_no_horizontal_scrolling_at_any_text_size(qapp):
    app = QApplication.instance()
    original = app.font()
    problems: dict[str, list[str]] = {}
    checked: list[str] = []

    def inspect(name: str, screen: QWidget) -> None:
        checked.append(name)
        found = sideways_scrollers(name, screen)
        if found:
            problems[name] = found

    try:
        for scale in (100, 125, 150):
            apply_text_scale(app, scale)
            render_screens(OUT.with_name(f"screens-{scale}"), inspect=inspect)
    finally:
        apply_text_scale(app, 100)
        app.setFont(original)
    assert len(checked) == 3 * (len(MAIN_SCREENS) + 2)
    assert problems == {}


def test_the_checker_sees_a_sideways_scroll_bar(qtbot):
    from PySide6.QtWidgets import QLabel, QScrollArea

    area = QScrollArea()
    qtbot.addWidget(area)
    area.setWidget(QLabel("x" * 400))
    area.resize(200, 100)
    area.show()
    qtbot.waitExposed(area)
    holder = QWidget()
    area.setParent(holder)
    holder.show()
    assert sideways_scrollers("t", holder) == ["QScrollArea"]
