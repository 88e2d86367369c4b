"""Answers never change by accident: a mouse click on an answer that needs a note sends the
keyboard to the note, digits typed there stay in the note, Alt+T reaches the note, and the status
bar says "Saving…" until the note is really in the database."""

from __future__ import annotations

from gui_helpers import card, click, open_window, sample_profile, stored, wait_saved
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from guidecheck.storage.store import Store

ALT = Qt.KeyboardModifier.AltModifier


def open_new_assessment(qtbot, home, checklists, mini):
    store = Store(home / "guidecheck.db")
    try:
        assessment = store.new_assessment(mini, sample_profile(), "Amina Otieno")
    finally:
        store.close()
    window = open_window(qtbot, home, checklists)
    window.activateWindow()
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        window.open_assessment(assessment.id)
    qtbot.waitUntil(lambda: window.walkthrough.current_domain() == "privacy")
    return window


def focused():
    return QApplication.focusWidget()


def test_click_partly_then_type_note_with_digits(qtbot, home, checklists, mini):
    window = open_new_assessment(qtbot, home, checklists, mini)
    encrypted = card(window, "prv_encrypted")
    click(qtbot, encrypted.editor.buttons["partly"])
    # the keyboard is in the note box now, after a mouse click as after a key
    assert focused() is encrypted.note
    assert "in place" in encrypted.note.placeholderText()  # the prompt fits "Partly"
    qtbot.keyClicks(focused(), "3 of 4 registers")
    assert window.save_indicator.text() == "Saving…"  # typed, not yet committed
    wait_saved(qtbot, window)
    assert stored(home)["prv_encrypted"] == ("partly", "3 of 4 registers")
    assert encrypted.editor.buttons["partly"].isChecked()


def test_digits_typed_in_a_clicked_note_never_answer(qtbot, home, checklists, mini):
    window = open_new_assessment(qtbot, home, checklists, mini)
    validated_page = "safety"
    window.walkthrough.show_domain(validated_page)
    validated = card(window, "saf_validated")
    click(qtbot, validated.editor.buttons["dont_know"])
    assert focused() is validated.note
    assert "asked" in validated.note.placeholderText()  # Don't know asks whom you asked
    # click away and back into the note with the mouse, then type digits and Alt+letters
    qtbot.mouseClick(validated.note.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(focused(), "5 staff, 1 to 5")
    qtbot.keyClick(focused(), Qt.Key.Key_A, ALT)  # Alt+A is "Not applicable" on the buttons
    wait_saved(qtbot, window)
    value, note = stored(home)["saf_validated"]
    assert value == "dont_know"  # neither the digits nor Alt+A changed the answer
    assert note.startswith("5 staff, 1 to 5")


def test_answer_keys_act_only_on_the_focused_questions_buttons(qtbot, home, checklists, mini):
    window = open_new_assessment(qtbot, home, checklists, mini)
    window.walkthrough.show_domain("safety")
    errors = card(window, "saf_errors_per_month").editor.field
    click(qtbot, card(window, "saf_validated").editor.buttons["yes"])
    qtbot.mouseClick(errors, Qt.MouseButton.LeftButton)
    assert focused() is errors
    qtbot.keyClicks(errors, "3")
    qtbot.keyClick(errors, Qt.Key.Key_Tab)
    wait_saved(qtbot, window)
    answers = stored(home)
    assert answers["saf_errors_per_month"][0] == 3
    assert answers["saf_validated"][0] == "yes"
    # on the buttons themselves the keys do answer
    buttons = card(window, "saf_validated").editor.buttons
    buttons["yes"].setFocus()
    qtbot.keyClick(buttons["yes"], Qt.Key.Key_2)
    wait_saved(qtbot, window)
    assert stored(home)["saf_validated"][0] == "partly"


def test_alt_t_goes_to_the_note_and_the_note_is_kept(qtbot, home, checklists, mini):
    window = open_new_assessment(qtbot, home, checklists, mini)
    training = "training"
    window.walkthrough.show_domain(training)
    trained = card(window, "trn_trained")
    click(qtbot, trained.editor.buttons["yes"])  # optional note: focus stays on the button
    assert focused() is trained.editor.buttons["yes"]
    qtbot.keyClick(focused(), Qt.Key.Key_T, ALT)
    assert focused() is trained.note
    qtbot.keyClicks(focused(), "All 4 nurses, 2 in 2024")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)  # leaving the box saves it at once
    qtbot.waitUntil(lambda: window.runner.pending == 0, timeout=10_000)
    assert window.save_indicator.text().endswith("All changes saved")
    assert stored(home)["trn_trained"] == ("yes", "All 4 nurses, 2 in 2024")


def test_review_jump_to_missing_note_lands_in_the_note(qtbot, home, checklists, mini):
    window = open_new_assessment(qtbot, home, checklists, mini)
    click(qtbot, card(window, "prv_encrypted").editor.buttons["no"])
    window.walkthrough.show_domain("training")
    wait_saved(qtbot, window)
    window.show_review()
    window.jump_to_item("prv_encrypted")
    assert focused() is card(window, "prv_encrypted").note
