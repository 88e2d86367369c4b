"""A complete assessment driven through the real widgets: create, answer every domain (with
skip logic showing and hiding items), leave, reopen, resume, finalize, revise — and the database
holds exactly what was clicked."""

from __future__ import annotations

from gui_helpers import (
    answer,
    card,
    click,
    close_window,
    open_window,
    stored,
    type_note,
    visible,
    wait_saved,
)
from PySide6.QtCore import QDate, Qt

from guidecheck.storage.store import Store


def create_through_screens(qtbot, window) -> None:
    click(qtbot, window.home.new_button)
    screen = window.new_screen
    qtbot.waitUntil(lambda: screen.questionnaire_list.count() == 1)
    assert "Small checklist" in screen.questionnaire_list.item(0).text()
    click(qtbot, screen.next_button)
    assert screen.steps.currentIndex() == 1
    # a missing required field is refused with a plain sentence and nothing is created
    click(qtbot, screen.next_button)
    assert "needs a facility name" in screen.message.text()
    qtbot.keyClicks(screen.facility_name.lineEdit(), "Kisumu East Health Centre")
    assert "needs a facility name" not in screen.message.text()  # gone once it is filled
    qtbot.keyClicks(screen.facility_code, "KE-0042")
    qtbot.keyClicks(screen.district, "Kisumu East")
    qtbot.keyClicks(screen.tool_name.lineEdit(), "ChestScan")
    qtbot.keyClicks(screen.tool_vendor, "Acme Imaging")
    screen.use_category.setCurrentIndex(screen.use_category.findData("diagnostic_imaging"))
    qtbot.keyClicks(screen.assessor_name, "Amina Otieno")
    screen.date.setDate(QDate(2025, 3, 31))  # the calendar picker's result
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        click(qtbot, screen.next_button)
    assert window.stack.currentWidget() is window.walkthrough


def test_complete_assessment_through_the_widgets(qtbot, home, checklists):
    window = open_window(qtbot, home, checklists)
    assert window.home.pages.currentWidget() is window.home.empty
    create_through_screens(qtbot, window)
    walk = window.walkthrough
    assert walk.current_domain() == "privacy"
    assert window.walkthrough.progress.maximum() == 9  # 10 items, local server question hidden

    # privacy: a critical "No" asks for a note
    assert not card(window, "prv_encrypted").note.isVisible()
    answer(qtbot, window, "prv_encrypted", "no")
    assert card(window, "prv_encrypted").note.isVisible()
    type_note(qtbot, window, "prv_encrypted", "Vendor sheet says plain HTTP")
    # skip logic: ticking "local server" shows the locked-room question, unticking hides it
    assert not visible(window, "prv_local_locked")
    answer(qtbot, window, "prv_storage", "local_server")
    assert visible(window, "prv_local_locked")
    answer(qtbot, window, "prv_local_locked", "yes")
    answer(qtbot, window, "prv_storage", "cloud")
    answer(qtbot, window, "prv_storage", "local_server")  # untick
    assert not visible(window, "prv_local_locked")
    wait_saved(qtbot, window)
    assert stored(home)["prv_local_locked"] == ("yes", "")  # kept while hidden
    answer(qtbot, window, "prv_storage", "local_server")  # tick again: the answer comes back
    assert visible(window, "prv_local_locked")
    assert card(window, "prv_local_locked").editor.buttons["yes"].isChecked()
    answer(qtbot, window, "prv_access", "shared_login")
    assert walk.domain_list.item(0).text().startswith("✔ 1. Privacy")
    wait_saved(qtbot, window)

    # safety
    click(qtbot, walk.next_button)
    assert walk.current_domain() == "safety"
    assert visible(window, "saf_imaging_review")  # shown because the tool does imaging
    answer(qtbot, window, "saf_validated", "yes")
    type_note(qtbot, window, "saf_validated", "Local study 2024")
    number = card(window, "saf_errors_per_month").editor
    qtbot.keyClicks(number.field, "7")
    qtbot.keyClick(number.field, Qt.Key.Key_Return)
    date = card(window, "saf_last_audit").editor
    qtbot.keyClicks(date.field, "2025-02-14")
    qtbot.keyClick(date.field, Qt.Key.Key_Return)
    wait_saved(qtbot, window)
    close_window(qtbot, window)  # leave half-way, on the safety page

    window = open_window(qtbot, home, checklists)
    assert window.home.model.rowCount() == 1
    window.home.table.selectRow(0)
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        click(qtbot, window.home.continue_button)
    walk = window.walkthrough
    assert walk.current_domain() == "safety"  # resumed where we left
    assert card(window, "saf_errors_per_month").editor.field.text() == "7"
    assert card(window, "prv_encrypted").note.toPlainText() == "Vendor sheet says plain HTTP"
    answer(qtbot, window, "saf_imaging_review", "partly")

    # training, through the side list
    walk.domain_list.setCurrentRow(2)
    assert walk.current_domain() == "training"
    answer(qtbot, window, "trn_trained", "yes")
    comments = card(window, "trn_comments").editor.field
    comments.setFocus()
    qtbot.keyClicks(comments, "Staff asked for refresher training.")
    click(qtbot, walk.review_button)  # leaving the page saves the text at once
    wait_saved(qtbot, window)

    review = window.review
    assert window.stack.currentWidget() is review
    assert "9 of 10 questions answered" not in review.summary.text()
    assert "10 of 10 questions answered" in review.summary.text()
    assert "red flags: 1." in review.summary.text()
    assert review.finalize_button.isEnabled()
    click(qtbot, review.finalize_button)
    sign = window.finalize_screen
    qtbot.keyClicks(sign.head_name, "Dr. Joseph Mwangi")
    sign.date.clear()
    qtbot.keyClicks(sign.date, "2025-04-01")
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        click(qtbot, sign.sign_button)
    assert window.stack.currentWidget() is window.summary
    assert "Not ready" in window.summary.verdict.text()

    expected = {
        "prv_encrypted": ("no", "Vendor sheet says plain HTTP"),
        "prv_storage": (["local_server", "cloud"], ""),
        "prv_local_locked": ("yes", ""),
        "prv_access": ("shared_login", ""),
        "saf_validated": ("yes", "Local study 2024"),
        "saf_errors_per_month": (7, ""),
        "saf_last_audit": ("2025-02-14", ""),
        "saf_imaging_review": ("partly", ""),
        "trn_trained": ("yes", ""),
        "trn_comments": ("Staff asked for refresher training.", ""),
    }
    assert stored(home) == expected
    store = Store(home / "guidecheck.db")
    try:
        final = store.list_assessments()[0]
        assert final.status == "final"
        assessment = store.get_assessment(final.id)
        assert assessment.sign_off is not None
        assert assessment.sign_off.facility_head_name == "Dr. Joseph Mwangi"
        assert assessment.sign_off.date == "2025-04-01"
    finally:
        store.close()

    # final is read-only: the answer buttons are off
    click(qtbot, window.summary.answers_button)
    assert not card(window, "trn_trained").editor.buttons["no"].isEnabled()

    # revise: a new draft revision with the same answers, editable again
    window.show_summary()
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        click(qtbot, window.summary.revise_button)
    assert window.assessment.revision == 2
    assert not window.assessment.is_final
    answer(qtbot, window, "trn_trained", "partly")
    wait_saved(qtbot, window)
    revised = stored(home)
    assert revised == {**expected, "trn_trained": ("partly", "")}
    store = Store(home / "guidecheck.db")
    try:
        rows = store.list_assessments()
        assert [(r.revision, r.status) for r in rows] == [(2, "draft")]
        first = store.revisions(rows[0].lineage_id)[0]
        assert store.answers(first.id)["trn_trained"].value == "yes"  # the signed one is untouched
    finally:
        store.close()
    close_window(qtbot, window)


def test_double_click_on_start_makes_one_assessment(qtbot, home, checklists):
    window = open_window(qtbot, home, checklists)
    click(qtbot, window.home.new_button)
    screen = window.new_screen
    qtbot.waitUntil(lambda: screen.questionnaire_list.count() == 1)
    click(qtbot, screen.next_button)
    qtbot.keyClicks(screen.facility_name.lineEdit(), "Lwala Dispensary")
    qtbot.keyClicks(screen.facility_code, "KE-0107")
    qtbot.keyClicks(screen.tool_name.lineEdit(), "TriageMate")
    qtbot.keyClicks(screen.assessor_name, "Peter Ouma")
    # the kind of use is a required choice: without it nothing starts, and the screen says so
    click(qtbot, screen.next_button)
    assert "kind of use" in screen.message.text()
    screen.use_category.setCurrentIndex(screen.use_category.findData("patient_triage"))
    assert screen.message.text() == ""  # a stale message goes as soon as the form changes
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        qtbot.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)  # ignored: screen is busy
    qtbot.waitUntil(lambda: window.runner.pending == 0)
    store = Store(home / "guidecheck.db")
    try:
        assert len(store.list_assessments()) == 1
    finally:
        store.close()
    close_window(qtbot, window)


def test_going_home_selects_the_assessment_just_left(qtbot, home, checklists, mini):
    from gui_helpers import sample_profile

    store = Store(home / "guidecheck.db")
    first = store.new_assessment(mini, sample_profile(facility_code="KE-1"), "A")
    store.new_assessment(
        mini, sample_profile(facility_code="KE-2", facility_name="Other clinic"), "A"
    )
    store.close()
    window = open_window(qtbot, home, checklists)
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        window.open_assessment(first.id)
    with qtbot.waitSignal(window.home_loaded, timeout=10_000):
        click(qtbot, window.walkthrough.home_button)
    assert window.home.selected_id() == first.id
    assert window.home.continue_button.isEnabled() and window.home.report_button.isEnabled()
    close_window(qtbot, window)
