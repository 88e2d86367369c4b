"""Help › User guide (F1) opens the offline guide at the part for the screen on show; the README
steps, the guide and its packaged copy are one text; Home continues where the person stopped."""

from __future__ import annotations

from pathlib import Path

from gui_helpers import card, click, close_window, open_window, sample_profile, wait_saved
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from guidecheck.gui.help.build import readme_steps, steps
from guidecheck.gui.help.guide import GUIDE
from guidecheck.storage.store import Store

ROOT = Path(__file__).resolve().parents[2]


def test_readme_steps_guide_and_packaged_guide_are_one_text():
    source = (ROOT / "docs" / "user-guide.md").read_text("utf-8")
    assert GUIDE.read_text("utf-8") == source  # `make screenshots` copies it into the package
    assert steps((ROOT / "README.md").read_text("utf-8")) == readme_steps(source)
    for picture in ("home-empty.png", "walkthrough.png", "summary.png"):
        assert (GUIDE.parent / "screenshots" / picture).read_bytes() == (
            ROOT / "docs" / "screenshots" / picture
        ).read_bytes()
    assert "reopens at the same part" not in (ROOT / "README.md").read_text("utf-8")


def test_f1_opens_the_guide_at_the_part_for_this_screen(qtbot, home, checklists, mini):
    store = Store(home / "guidecheck.db")
    try:
        assessment = store.new_assessment(mini, sample_profile(), "Amina Otieno")
    finally:
        store.close()
    window = open_window(qtbot, home, checklists)
    window.activateWindow()
    assert "1. Home" in window.help_link.text()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = window._guide
    qtbot.waitUntil(lambda: guide is not None and guide.isVisible())
    assert guide.current_heading().startswith("1. Home")
    guide.close()
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        window.open_assessment(assessment.id)
    assert "4. Answer the questions" in window.help_link.text()
    window.help_link.linkActivated.emit("guide")  # the status bar's help line, clicked
    assert guide.isVisible()
    assert guide.current_heading().startswith("4. Answer the questions")
    assert not guide.browser.openExternalLinks()
    close_window(qtbot, window)


def test_home_continues_where_the_person_stopped(qtbot, home, checklists, mini):
    store = Store(home / "guidecheck.db")
    try:
        older = store.new_assessment(mini, sample_profile(tool_name="OtherTool"), "Amina")
        assessment = store.new_assessment(mini, sample_profile(), "Amina Otieno")
    finally:
        store.close()
    assert older.id != assessment.id
    window = open_window(qtbot, home, checklists)
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        window.open_assessment(assessment.id)
    window.walkthrough.show_domain("safety")
    click(qtbot, card(window, "saf_validated").editor.buttons["yes"])
    qtbot.keyClicks(QApplication.focusWidget(), "District study")
    wait_saved(qtbot, window)
    close_window(qtbot, window)

    window = open_window(qtbot, home, checklists)
    resume = window.home.resume_button
    assert resume.isVisible() and "ChestScan" in resume.text()
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        click(qtbot, resume)
    walk = window.walkthrough
    assert walk.current_domain() == "safety"  # the part where it stopped
    # the keyboard is on the first unanswered question of that part
    assert card(window, "saf_errors_per_month").isAncestorOf(QApplication.focusWidget())
    close_window(qtbot, window)
