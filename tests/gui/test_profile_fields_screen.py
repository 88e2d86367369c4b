"""The new-assessment wizard asks the profile questions the chosen checklist asks: the clinic
checklist asks the kind of use and the phase; the district-level review asks neither, and starts
without them (real widgets, the shipped checklists, a real database)."""

from __future__ import annotations

from gui_helpers import click, close_window, open_window
from PySide6.QtCore import QDate

from guidecheck.paths import questionnaires_dir
from guidecheck.storage.store import Store


def _pick(qtbot, window, level_words: str) -> None:
    window.new_action.trigger()  # File › New assessment, from wherever the person is
    screen = window.new_screen
    qtbot.waitUntil(lambda: window.runner.pending == 0, timeout=10_000)  # the list is reloaded
    qtbot.waitUntil(lambda: screen.questionnaire_list.count() == 2, timeout=10_000)
    rows = [screen.questionnaire_list.item(i).text() for i in range(2)]
    screen.questionnaire_list.setCurrentRow(next(i for i, t in enumerate(rows) if level_words in t))
    click(qtbot, screen.next_button)


def _fill(qtbot, screen, name: str) -> None:
    qtbot.keyClicks(screen.facility_name.lineEdit(), name)
    qtbot.keyClicks(screen.facility_code, "KSM")
    qtbot.keyClicks(screen.tool_name.lineEdit(), "ChestScan")
    qtbot.keyClicks(screen.assessor_name, "Grace Achieng")
    screen.date.setDate(QDate(2026, 11, 20))


def test_district_review_skips_kind_of_use_and_phase_the_clinic_asks_them(qtbot, home):
    window = open_window(qtbot, home, questionnaires_dir())
    screen = window.new_screen
    _pick(qtbot, window, "for district and national teams")
    assert not screen.tool_form.isRowVisible(screen.use_category)
    assert not screen.tool_form.isRowVisible(screen.phase)
    assert screen.facility_box.title().startswith("Team or office")
    _fill(qtbot, screen, "Kisumu County Health Office")
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        click(qtbot, screen.next_button)  # nothing more is asked
    assert window.assessment.questionnaire_id == "who-ai-health-2025-district"

    _pick(qtbot, window, "for a clinic")
    assert screen.tool_form.isRowVisible(screen.use_category)
    assert screen.tool_form.isRowVisible(screen.phase)
    _fill(qtbot, screen, "Kisumu East Health Centre")
    screen.use_category.setCurrentIndex(screen.use_category.findData("patient_triage"))
    click(qtbot, screen.next_button)
    assert "needs a phase" in screen.message.text()  # the clinic checklist still asks it
    screen.phase.setCurrentIndex(screen.phase.findData("pilot"))
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        click(qtbot, screen.next_button)
    close_window(qtbot, window)

    with Store(home / "guidecheck.db") as store:
        profiles = {
            a.questionnaire_id: store.get_assessment(a.id).profile for a in store.list_assessments()
        }
    assert profiles["who-ai-health-2025-district"].phase == ""
    assert profiles["who-ai-health-2025"].phase == "pilot"
    assert profiles["who-ai-health-2025"].use_category == "patient_triage"
