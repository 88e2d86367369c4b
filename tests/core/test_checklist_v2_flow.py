"""The shipped v2 checklists as an assessor meets them: `assessment new --from … --finalize`,
then `assessment show --json`, in a real data folder (the CLI's own entry point, in process)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from guidecheck.checklist.loading import load_questionnaire
from guidecheck.checklist.model import Answer, Item, Profile
from guidecheck.checklist.scoring import visible_items
from guidecheck.cli.main import main
from guidecheck.paths import questionnaires_dir

CLINIC = load_questionnaire(questionnaires_dir() / "who-ai-health-2025.yaml")
DISTRICT = load_questionnaire(questionnaires_dir() / "who-ai-health-2025-district.yaml")
PROFILE = {
    "facility_name": "Centre de santé de Ziniaré",
    "facility_code": "BF-ZIN-03",
    "district": "Ziniaré",
    "tool_name": "ChestScan",
    "tool_vendor": "Radiant Health",
    "use_category": "diagnostic_imaging",
    "phase": "routine",
    "assessor_name": "Awa Ouédraogo",
    "assessor_role": "Infirmière chef",
    "date": "2026-11-20",
}


def _value(item: Item, changes: dict[str, Any]) -> Any:
    if item.id in changes:
        return changes[item.id]
    if item.type == "compliance":
        return "yes"
    if item.type == "single_choice":
        scored = [c for c in item.choices if c.score is not None]
        return max(scored, key=lambda c: c.score or 0).id if scored else item.choices[0].id
    if item.type == "multiple_choice":
        return [item.choices[0].id]
    if item.type == "number":
        return 12
    if item.type == "date":
        return "2026-06-30"
    return "Written down in the facility file."


def _all_answers(questionnaire, profile: dict[str, str], **changes: Any) -> dict[str, Any]:
    """Every item shown for this profile answered (yes unless changed), each with a note."""
    answers: dict[str, Any] = {}
    for _round in range(5):
        given = {k: Answer(k, v["value"]) for k, v in answers.items()}
        for item in visible_items(questionnaire, Profile.from_dict(profile), given):
            if item.id not in answers:
                answers[item.id] = {"value": _value(item, changes), "note": "Seen on site."}
    return answers


def _new(home: Path, capsys, data: dict[str, Any], finalize: bool = True) -> tuple[int, str]:
    source = home.parent / "answers.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    args = ["--home", str(home), "assessment", "new", "--from", str(source)]
    code = main(args + (["--finalize"] if finalize else []))
    captured = capsys.readouterr()
    return code, (captured.out if code == 0 else captured.err).strip()


def _show(home: Path, capsys, assessment_id: str) -> dict[str, Any]:
    assert main(["--home", str(home), "assessment", "show", assessment_id, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_clinic_still_preparing_is_not_asked_for_an_error_logbook(tmp_path: Path, capsys) -> None:
    preparing = PROFILE | {"phase": "preparing"}
    answers = _all_answers(CLINIC, preparing)
    assert "mon_error_report_way" not in answers and "saf_error_plan_ready" in answers
    assert "imp_performance_tracked" not in answers
    code, assessment_id = _new(
        tmp_path / "home",
        capsys,
        {"questionnaire": CLINIC.id, "profile": preparing, "answers": answers},
    )
    assert code == 0, assessment_id
    shown = _show(tmp_path / "home", capsys, assessment_id)
    assert (shown["questionnaire"]["version"], shown["verdict"]) == ("2.0.0", "ready")
    assert shown["status"] == "final"
    # The logbook question cannot even be answered while preparing.
    answers["mon_error_report_way"] = {"value": "no", "note": "Not started yet."}
    code, error = _new(
        tmp_path / "home2",
        capsys,
        {"questionnaire": CLINIC.id, "profile": preparing, "answers": answers},
    )
    assert code == 2 and "hidden by skip logic" in error


def test_a_pilot_is_asked_about_tracking_and_feedback(tmp_path: Path, capsys) -> None:
    pilot = _all_answers(CLINIC, PROFILE | {"phase": "pilot"})
    assert {"imp_performance_tracked", "mon_feedback_way", "imp_pilot_plan"} <= set(pilot)
    assert "mon_error_report_way" in pilot


def test_a_positive_reading_left_unconfirmed_is_a_red_flag_that_suspends_use(
    tmp_path: Path, capsys
) -> None:
    answers = _all_answers(CLINIC, PROFILE, saf_positive_confirmed="no")
    code, assessment_id = _new(
        tmp_path / "home",
        capsys,
        {"questionnaire": CLINIC.id, "profile": PROFILE, "answers": answers},
    )
    assert code == 0, assessment_id
    shown = _show(tmp_path / "home", capsys, assessment_id)
    assert shown["verdict"] == "not_ready"
    assert shown["red_flags"] == ["saf_positive_confirmed"]
    first = shown["action_plan"][0]
    assert first["item"] == "saf_positive_confirmed" and first["priority"] == "critical"
    assert first["action"].startswith("Suspend use of the tool for diagnosis")


def test_personal_logins_are_weighted_but_not_a_red_flag(tmp_path: Path, capsys) -> None:
    answers = _all_answers(CLINIC, PROFILE, prv_access_password="no")
    code, assessment_id = _new(
        tmp_path / "home",
        capsys,
        {"questionnaire": CLINIC.id, "profile": PROFILE, "answers": answers},
    )
    assert code == 0, assessment_id
    shown = _show(tmp_path / "home", capsys, assessment_id)
    assert shown["red_flags"] == [] and shown["verdict"] == "ready"
    assert shown["scores"]["domains"]["privacy"] < 100


def test_more_trained_staff_than_users_is_refused_in_the_checklists_words(
    tmp_path: Path, capsys
) -> None:
    answers = _all_answers(CLINIC, PROFILE, trn_staff_using_count=12, trn_staff_trained_count=13)
    code, error = _new(
        tmp_path / "home",
        capsys,
        {"questionnaire": CLINIC.id, "profile": PROFILE, "answers": answers},
    )
    assert code == 2
    assert "Trained staff cannot be more than the staff who use the tool." in error
    assert main(["--home", str(tmp_path / "home"), "assessment", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_chatbots_are_asked_about_disclosure_hand_over_and_identifiers() -> None:
    chatbot = _all_answers(CLINIC, PROFILE | {"use_category": "chatbot_generative"})
    imaging = _all_answers(CLINIC, PROFILE)
    chat_items = {
        "trp_chatbot_disclosed",
        "saf_chatbot_handover",
        "prv_chatbot_no_identifiers",
        "mon_chatbot_answers_checked",
    }
    assert chat_items <= set(chatbot) and not chat_items & set(imaging)
    # The measures against bias and loss of oversight are asked for every tool.
    for answers in (chatbot, imaging):
        assert {"rsk_bias_extra_checks", "rsk_oversight_measures"} <= set(answers)


def test_the_district_checklist_finalizes_and_checks_its_counts(tmp_path: Path, capsys) -> None:
    office = PROFILE | {"facility_name": "Kisumu County Health Office", "facility_code": "KE-KSM"}
    answers = _all_answers(
        DISTRICT, office, pol_facilities_using_ai=17, mon_facilities_reporting=12
    )
    code, assessment_id = _new(
        tmp_path / "home",
        capsys,
        {"questionnaire": DISTRICT.id, "profile": office, "answers": answers},
    )
    assert code == 0, assessment_id
    assert _show(tmp_path / "home", capsys, assessment_id)["verdict"] == "ready"
    answers["mon_facilities_reporting"] = {"value": 18, "note": "Counted."}
    code, error = _new(
        tmp_path / "home2",
        capsys,
        {"questionnaire": DISTRICT.id, "profile": office, "answers": answers},
    )
    assert code == 2 and "cannot be more than the facilities that use AI tools" in error
