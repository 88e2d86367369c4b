"""The verdict's reasons on the Review and Summary screens, and the phase asked for format 2
checklists on the new-assessment screen (real widgets offscreen, a real store)."""

from __future__ import annotations

from pathlib import Path

from guidecheck.checklist.loading import load_questionnaire
from guidecheck.checklist.model import Profile
from guidecheck.gui.assessment.new_assessment import NewAssessmentScreen
from guidecheck.gui.assessment.review import ReviewScreen
from guidecheck.gui.assessment.summary import SummaryScreen
from guidecheck.storage.store import Store

V2 = load_questionnaire(Path(__file__).parents[1] / "core" / "data" / "v2-verdicts.yaml")
PROFILE = Profile(
    facility_name="Kibera Health Centre",
    facility_code="KE-KIB-01",
    tool_name="ChestScan",
    use_category="diagnostic_imaging",
    phase="routine",
    assessor_name="Grace Wanjiru",
    date="2026-11-20",
)


def test_review_and_summary_say_why(qtbot, tmp_path: Path) -> None:
    with Store(tmp_path / "g.db") as store:
        assessment = store.new_assessment(V2, PROFILE)
        for item in V2.items:
            if item.type == "compliance" and item.domain_id != "chatbot":
                value = {"saf_confirm": "no", "eqt_groups": "no", "eqt_language": "no"}.get(
                    item.id, "yes"
                )
                store.save_answer(assessment.id, item.id, value)
        result = store.result(assessment.id)
        for screen_class in (ReviewScreen, SummaryScreen):
            screen = screen_class()
            qtbot.addWidget(screen)
            screen.set_data(V2, store.get_assessment(assessment.id), result)
            lines = screen.reasons.text().splitlines()
            assert lines[0] == "Why:"
            assert lines[1].startswith("• 1 red flag (a critical item answered No or Don't know)")
            assert lines[2] == "• Equity and inclusion is at 0%, below the 25% floor."


def test_new_assessment_asks_the_phase_for_format2(qtbot) -> None:
    screen = NewAssessmentScreen()
    qtbot.addWidget(screen)
    screen.set_questionnaires([V2], [])
    screen.reset()
    assert "for a clinic" in screen.questionnaire_list.item(0).text()
    screen.show_step(1)
    assert screen.tool_form.isRowVisible(screen.phase)
    screen.facility_name.setEditText("Kibera Health Centre")
    screen.facility_code.setText("KE-KIB-01")
    screen.tool_name.setEditText("ChestScan")
    screen.assessor_name.setText("Grace Wanjiru")
    started = []
    screen.start_requested.connect(lambda q, p: started.append(p))
    screen._next()
    assert not started and "needs a phase" in screen.message.text()
    screen.phase.setCurrentIndex(screen.phase.findData("pilot"))
    screen.use_category.setCurrentIndex(screen.use_category.findData("chatbot_generative"))
    screen._next()
    assert started and started[0].phase == "pilot"
    assert started[0].use_category == "chatbot_generative"


def test_question_card_shows_basis_and_hides_na_on_critical_items(qtbot) -> None:
    from guidecheck.gui.assessment.question_card import QuestionCard

    critical = QuestionCard(V2.item("eth_informed"), 1)
    allowed = QuestionCard(V2.item("gov_agreement"), 2)
    for card in (critical, allowed):
        qtbot.addWidget(card)
    assert "na" not in critical.editor.buttons and "na" in allowed.editor.buttons
    assert (
        "Based on:" in critical.guidance.text() and "WHO 2025 guidance" in critical.guidance.text()
    )
