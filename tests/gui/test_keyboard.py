"""The whole flow with the keyboard only: no mouse click anywhere (QTest key presses)."""

from __future__ import annotations

from gui_helpers import answer, card, close_window, open_window, sample_profile, stored
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def focused():
    return QApplication.focusWidget()


def type_then_tab(qtbot, text: str) -> None:
    widget = focused()
    assert widget is not None
    if text:
        qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifier)


def test_keyboard_only_assessment(qtbot, home, checklists):
    window = open_window(qtbot, home, checklists)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)  # File > New assessment
    screen = window.new_screen
    qtbot.waitUntil(lambda: screen.questionnaire_list.count() == 1)
    assert focused() is screen.questionnaire_list
    press(qtbot, Qt.Key.Key_Return)
    assert screen.steps.currentIndex() == 1
    assert focused() is screen.facility_name  # editable combo: typing goes to its line
    for text in ("Lwala Dispensary", "KE-0107", "", "", "TriageMate", "", "", "", ""):
        type_then_tab(qtbot, text)
    assert focused() is screen.use_category  # kind of use: a required choice, no default
    press(qtbot, Qt.Key.Key_O)  # typing a letter picks "Other"
    assert screen.use_category.currentData() == "other"
    press(qtbot, Qt.Key.Key_Tab)
    type_then_tab(qtbot, "Peter Ouma")
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        press(qtbot, Qt.Key.Key_S, ALT)  # Start assessment
    walk = window.walkthrough

    class Cards:
        def __getitem__(self, item_id):
            return card(window, item_id)

    cards = Cards()

    # privacy page: keys 1-5 / Alt+letter answer the focused question, focus moves on
    assert focused() is cards["prv_encrypted"].editor.buttons["yes"]
    press(qtbot, Qt.Key.Key_2)  # Partly: needs a note, so focus goes to the note
    assert focused() is cards["prv_encrypted"].note
    qtbot.keyClicks(focused(), "Only the lab results are encrypted")
    press(qtbot, Qt.Key.Key_Tab)  # leaving the note saves it
    assert focused() is cards["prv_storage"].editor.boxes["local_server"]
    press(qtbot, Qt.Key.Key_Space)  # tick: shows the locked-room question
    assert not cards["prv_local_locked"].isHidden()
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)
    assert cards["prv_local_locked"].isAncestorOf(focused())
    press(qtbot, Qt.Key.Key_N, ALT)  # No
    assert cards["prv_access"].isAncestorOf(focused())
    press(qtbot, Qt.Key.Key_1)  # first choice
    press(qtbot, Qt.Key.Key_Right, CTRL)  # next page
    assert walk.current_domain() == "safety"
    assert cards["saf_imaging_review"].isHidden()  # "other" use: imaging question skipped

    assert focused() is cards["saf_validated"].editor.buttons["yes"]
    press(qtbot, Qt.Key.Key_Y, ALT)  # Yes; the note is required, focus goes there
    assert focused() is cards["saf_validated"].note
    qtbot.keyClicks(focused(), "District study")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is cards["saf_errors_per_month"].editor.field
    type_then_tab(qtbot, "3")
    assert focused() is cards["saf_last_audit"].editor.field
    type_then_tab(qtbot, "2025-01-20")
    press(qtbot, Qt.Key.Key_PageDown, CTRL)
    assert walk.current_domain() == "training"
    press(qtbot, Qt.Key.Key_5)  # Not applicable
    assert focused() is cards["trn_comments"].editor.field
    qtbot.keyClicks(focused(), "none")
    press(
        qtbot, Qt.Key.Key_PageUp, CTRL
    )  # back to safety (Ctrl+← moves by word in text), text saved
    assert walk.current_domain() == "safety"
    press(qtbot, Qt.Key.Key_Right, CTRL)
    press(qtbot, Qt.Key.Key_Right, CTRL)  # past the last page: review
    assert window.stack.currentWidget() is window.review
    assert window.review.finalize_button.isEnabled()
    press(qtbot, Qt.Key.Key_Z, ALT)  # Finalize and sign (a mnemonic clicks after a short flash)
    qtbot.waitUntil(lambda: focused() is window.finalize_screen.head_name)
    qtbot.keyClicks(focused(), "Sr. Mary Akinyi")
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        press(qtbot, Qt.Key.Key_S, ALT)  # Sign and make final
    assert window.assessment.is_final
    assert stored(home) == {
        "prv_encrypted": ("partly", "Only the lab results are encrypted"),
        "prv_storage": (["local_server"], ""),
        "prv_local_locked": ("no", ""),
        "prv_access": ("named_staff", ""),
        "saf_validated": ("yes", "District study"),
        "saf_errors_per_month": (3, ""),
        "saf_last_audit": ("2025-01-20", ""),
        "trn_trained": ("na", ""),
        "trn_comments": ("none", ""),
    }
    close_window(qtbot, window)


def test_review_lines_jump_to_their_question(qtbot, home, checklists):
    window = open_window(qtbot, home, checklists)
    from guidecheck.checklist.loading import load_questionnaire
    from guidecheck.storage.store import Store

    store = Store(home / "guidecheck.db")
    questionnaire = load_questionnaire(checklists / "mini-checklist.yaml")
    assessment = store.new_assessment(questionnaire, sample_profile(), "Amina")
    store.close()
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        window.open_assessment(assessment.id)
    answer(qtbot, window, "prv_encrypted", "no")  # red flag, note missing
    press(qtbot, Qt.Key.Key_R, ALT)  # Review answers
    review = window.review
    qtbot.waitUntil(lambda: window.stack.currentWidget() is review)
    assert "0 of" not in review.summary.text() and "red flags: 1." in review.summary.text()
    # red flags come first: the first line is the critical "No"; Enter jumps there
    assert review.tree.currentItem().data(0, Qt.ItemDataRole.UserRole) == "prv_encrypted"
    press(qtbot, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.walkthrough
    assert window.walkthrough.cards["prv_encrypted"].isAncestorOf(focused())
    window.show_review()
    missing_note = review.tree.topLevelItem(1).child(0)
    assert missing_note.data(0, Qt.ItemDataRole.UserRole) == "prv_encrypted"
    unanswered = review.tree.topLevelItem(2).child(0)
    assert unanswered.data(0, Qt.ItemDataRole.UserRole) == "prv_storage"
    review.tree.setCurrentItem(unanswered)
    press(qtbot, Qt.Key.Key_Return)
    assert window.walkthrough.cards["prv_storage"].isAncestorOf(focused())
    close_window(qtbot, window)


def test_home_list_is_ready_for_the_keyboard(qtbot, home, checklists, mini):
    from guidecheck.storage.store import Store

    store = Store(home / "guidecheck.db")
    store.new_assessment(mini, sample_profile(), "Amina")
    store.close()
    window = open_window(qtbot, home, checklists)
    assert focused() is window.home.table
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        press(qtbot, Qt.Key.Key_Return)  # opens the selected (first) assessment
    assert window.stack.currentWidget() is window.walkthrough
    close_window(qtbot, window)
