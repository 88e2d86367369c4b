"""Number and date fields that do not parse say so beside the field and save nothing."""

from __future__ import annotations

import pytest
from gui_helpers import card, close_window, open_window, sample_profile, stored, wait_saved
from PySide6.QtCore import Qt

from guidecheck.storage.store import Store


@pytest.fixture
def opened(qtbot, home, checklists, mini):
    store = Store(home / "guidecheck.db")
    assessment = store.new_assessment(mini, sample_profile(), "Amina")
    store.set_current_domain(assessment.id, "safety")
    store.close()
    window = open_window(qtbot, home, checklists)
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        window.open_assessment(assessment.id)
    assert window.walkthrough.current_domain() == "safety"
    yield window
    close_window(qtbot, window)


def enter(qtbot, field, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("seven", "Please type a number"),
        ("2.5", "whole number"),
        ("-1", "at least 0"),
        ("1001", "at most 1000"),
        ("1e999", "Please type a number"),
        ("nan", "Please type a number"),
    ],
)
def test_bad_number_saves_nothing(qtbot, opened, home, text, message):
    editor = card(opened, "saf_errors_per_month").editor
    enter(qtbot, editor.field, text)
    wait_saved(qtbot, opened)
    assert message in editor.message.text()
    assert editor.message.isVisible()
    assert "saf_errors_per_month" not in stored(home)
    enter(qtbot, editor.field, "12")
    wait_saved(qtbot, opened)
    assert editor.message.text() == ""
    assert stored(home)["saf_errors_per_month"] == (12, "")


@pytest.mark.parametrize("text", ["2025-13-40", "31/03/2025", "yesterday", "2025-02-30"])
def test_bad_date_saves_nothing_and_keeps_the_last_good_one(qtbot, opened, home, text):
    editor = card(opened, "saf_last_audit").editor
    enter(qtbot, editor.field, "2025-02-14")
    wait_saved(qtbot, opened)
    enter(qtbot, editor.field, text)
    wait_saved(qtbot, opened)
    assert "year-month-day" in editor.message.text()
    assert stored(home)["saf_last_audit"] == ("2025-02-14", "")  # unchanged


def test_clearing_a_number_clears_the_answer(qtbot, opened, home):
    editor = card(opened, "saf_errors_per_month").editor
    enter(qtbot, editor.field, "4")
    wait_saved(qtbot, opened)
    editor.field.clear()
    qtbot.keyClick(editor.field, Qt.Key.Key_Return)
    wait_saved(qtbot, opened)
    assert "saf_errors_per_month" not in stored(home)


def test_very_long_text_is_refused_plainly_and_the_screen_goes_back(
    qtbot, opened, home, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text) or 0)
    opened.walkthrough.show_domain("training")
    field = card(opened, "trn_comments").editor.field
    field.setPlainText("x" * 10_001)
    field.flush()
    wait_saved(qtbot, opened)
    assert shown and "at most 10000 characters" in shown[0]
    assert "Traceback" not in shown[0]
    assert "trn_comments" not in stored(home)
    assert field.toPlainText() == ""  # the screen shows what the database holds
