"""Scoring rules version 2 through the real command: `assessment new --from FILE.json
--finalize`, then `assessment show --json`, on a format 2 test checklist kept in the database.

The first five tests are the five cases that opened issue 12 (what a careful assessor found the
old rules let through); the others drive each remaining rule and the wording of its reason."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from tests.core.test_cli import run

from guidecheck.checklist.loading import load_questionnaire
from guidecheck.storage.store import Store

DATA = Path(__file__).parent / "data"
V2 = load_questionnaire(DATA / "v2-verdicts.yaml")
SURVEY = load_questionnaire(DATA / "v2-survey.yaml")
PROFILE = {
    "facility_name": "Kibera Health Centre",
    "facility_code": "KE-KIB-01",
    "tool_name": "ChestScan",
    "use_category": "diagnostic_imaging",
    "phase": "routine",
    "assessor_name": "Grace Wanjiru",
    "date": "2026-11-20",
}
CRITICAL = ["eth_informed", "prv_access", "saf_confirm", "gov_agreement"]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A data folder whose database already keeps the test checklists (as after an import)."""
    with Store(tmp_path / "home" / "guidecheck.db") as store:
        with store.atomic():
            store.remember_questionnaire(V2)
            store.remember_questionnaire(SURVEY)
    return tmp_path / "home"


def answers(**overrides: object) -> dict[str, object]:
    """Yes to every scored item a routine diagnostic-imaging tool is shown, then the overrides."""
    result: dict[str, object] = {"phs_users": 4, "phs_trained": 3}
    for item in V2.items:
        if item.type == "compliance" and item.domain_id != "chatbot":
            result[item.id] = "yes"
    result.update(overrides)
    return result


def assess(home: Path, tmp_path: Path, given: dict[str, object], **profile: str):
    """Create and finalize through the CLI; (process, shown JSON or None)."""
    path = tmp_path / "answers.json"
    data = {
        "questionnaire": V2.id,
        "questionnaire_version": V2.version,
        "profile": {**PROFILE, **profile},
        "answers": given,
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    made = run(home, "assessment", "new", "--from", str(path), "--finalize")
    if made.returncode != 0:
        return made, None
    shown = run(home, "assessment", "show", made.stdout.strip(), "--json")
    assert shown.returncode == 0, shown.stderr
    return made, json.loads(shown.stdout)


def test_case1_three_guideline_areas_at_zero_are_not_ready(home: Path, tmp_path: Path) -> None:
    zero = {i: "no" for i in ("eqt_groups", "eqt_language", "eng_community", "eng_feedback",
                              "trn_users", "trn_refresher")}  # fmt: skip
    made, data = assess(home, tmp_path, answers(**zero))
    assert made.returncode == 0, made.stderr
    assert data["verdict"] == "not_ready"
    assert data["scores"]["domains"]["equity"] == 0
    assert data["verdict_reasons"][:3] == [
        "Equity and inclusion is at 0%, below the 25% floor.",
        "Public involvement is at 0%, below the 25% floor.",
        "Training is at 0%, below the 25% floor.",
    ]
    assert data["scoring_rules_version"] == 2


def test_case2_every_critical_item_partly_is_ready_with_conditions(
    home: Path, tmp_path: Path
) -> None:
    made, data = assess(home, tmp_path, answers(**dict.fromkeys(CRITICAL, "partly")))
    assert made.returncode == 0, made.stderr
    assert data["verdict"] == "ready_with_conditions"
    assert data["red_flags"] == []
    conditions = [r for r in data["verdict_reasons"] if r.startswith("Condition:")]
    assert len(conditions) == 4
    assert conditions[0] == (
        "Condition: a critical item is only partly met: “Are patients told that an AI tool is used?”"
    )


def test_case3_areas_all_not_applicable_need_reasons_and_are_not_assessed(
    home: Path, tmp_path: Path
) -> None:
    na_items = ("eqt_groups", "eqt_language", "eng_community", "eng_feedback", "trn_users",
                "trn_refresher")  # fmt: skip
    made, data = assess(home, tmp_path, answers(**dict.fromkeys(na_items, "na")))
    assert made.returncode == 2 and data is None
    assert "6 notes are missing" in made.stderr and "eqt_groups" in made.stderr
    assert "Traceback" not in made.stderr
    with_reasons = {i: {"value": "na", "note": "no such patients here"} for i in na_items}
    made, data = assess(home, tmp_path, answers(**with_reasons))
    assert made.returncode == 0, made.stderr
    assert data["verdict"] == "ready_with_conditions"  # the other areas are all Yes (100%)
    assert data["scores"]["overall"] == 100
    assert data["not_assessed"] == ["equity", "engagement", "training"]
    assert data["verdict_reasons"][0] == (
        "Equity and inclusion is not assessed: 100% of its scored questions (by weight) are"
        " marked Not applicable, more than 50%."
    )


def test_case4_risk_questions_are_always_asked_and_yes_is_good(home: Path, tmp_path: Path) -> None:
    given = answers()
    del given["rsk_bias_checked"], given["rsk_oversight_kept"]
    made, _ = assess(home, tmp_path, given)
    assert made.returncode == 2 and "2 questions are unanswered" in made.stderr
    made, data = assess(home, tmp_path, answers(rsk_bias_checked="no", rsk_oversight_kept="no"))
    assert data["scores"]["domains"]["risks"] == 0
    assert {e["item"] for e in data["action_plan"]} == {"rsk_bias_checked", "rsk_oversight_kept"}
    made, data = assess(home, tmp_path, answers())
    assert data["scores"]["domains"]["risks"] == 100 and data["verdict"] == "ready"


def test_case5_a_red_flag_is_not_ready_and_comes_first(home: Path, tmp_path: Path) -> None:
    made, data = assess(
        home, tmp_path, answers(saf_confirm="no", eqt_groups="no", eqt_language="no")
    )
    assert made.returncode == 0, made.stderr
    assert data["verdict"] == "not_ready"
    assert data["red_flags"] == ["saf_confirm"]
    assert data["verdict_reasons"][0] == (
        "1 red flag (a critical item answered No or Don't know): “Is a positive AI reading"
        " confirmed by a test or a trained clinician?”"
    )
    assert data["verdict_reasons"][1] == "Equity and inclusion is at 0%, below the 25% floor."
    shown = run(home, "assessment", "show", data["id"])
    assert "Why:" in shown.stdout and "1 red flag" in shown.stdout


def test_ready_says_why(home: Path, tmp_path: Path) -> None:
    made, data = assess(home, tmp_path, answers())
    assert data["verdict"] == "ready"
    assert data["verdict_reasons"] == [
        "No red flags, no area below its minimum, and the overall score is 100% (at least 80%)."
    ]


def test_area_below_minimum_caps_at_ready_with_conditions(home: Path, tmp_path: Path) -> None:
    made, data = assess(home, tmp_path, answers(eqt_groups="no"))  # 2 of 5 = 40%
    assert data["verdict"] == "ready_with_conditions"
    assert data["verdict_reasons"] == [
        "Equity and inclusion is at 40%, below the 50% minimum for Ready."
    ]


def test_overall_is_cut_not_rounded_and_below_ready_caps(home: Path, tmp_path: Path) -> None:
    partly = {i.id: "partly" for i in V2.items if i.scored and not i.critical}
    given = answers(**partly)
    del given["phs_error_log"]  # not asked during a pilot
    made, data = assess(home, tmp_path, given, phase="pilot")
    # 36.5 of 54 = 67.59…: shown and stored as 67.5, never 67.6
    assert data["scores"]["overall"] == 67.5
    assert data["verdict"] == "ready_with_conditions"
    assert data["verdict_reasons"] == [
        "The overall score is 67.5%, below the 80% needed for Ready."
    ]
    listed = run(home, "assessment", "list")
    assert "67.5%" in listed.stdout and "67.6%" not in listed.stdout


def test_overall_below_ready_with_conditions_is_not_ready(home: Path, tmp_path: Path) -> None:
    every = {i.id: "partly" for i in V2.items if i.scored and i.domain_id != "chatbot"}
    made, data = assess(home, tmp_path, answers(**every))
    assert data["verdict"] == "not_ready"
    assert data["verdict_reasons"][0] == (
        "The overall score is 50%, below the 60% needed for Ready with conditions."
    )
    assert sum(r.startswith("Condition:") for r in data["verdict_reasons"]) == 4


def test_na_is_refused_on_critical_items_unless_allowed(home: Path, tmp_path: Path) -> None:
    made, _ = assess(home, tmp_path, answers(eth_informed={"value": "na", "note": "n/a"}))
    assert made.returncode == 2
    assert "Item 'eth_informed' is critical: it cannot be answered Not applicable" in made.stderr
    note = {"value": "na", "note": "the supplier never receives patient data"}
    made, data = assess(home, tmp_path, answers(gov_agreement=note))
    assert made.returncode == 0, made.stderr
    # allowed, but it is 4 of the area's 7 weight points: the area counts as not assessed
    assert data["verdict"] == "ready_with_conditions"
    assert data["verdict_reasons"][0].startswith(
        "Governance and accountability is not assessed: 57.1% of its scored questions"
    )


def test_phase_is_required_and_drives_questions(home: Path, tmp_path: Path) -> None:
    made, _ = assess(home, tmp_path, answers(), phase="")
    assert made.returncode == 2 and "The profile needs a phase" in made.stderr
    made, _ = assess(home, tmp_path, answers(), phase="planning")
    assert made.returncode == 2 and "The phase must be one of" in made.stderr
    given = answers()
    del given["phs_error_log"]
    made, data = assess(home, tmp_path, given, phase="preparing")  # no logbook asked yet
    assert made.returncode == 0, made.stderr
    assert "phs_error_log" not in data["answers"] and data["profile"]["phase"] == "preparing"


def test_area_that_does_not_apply_is_left_out_not_unassessed(home: Path, tmp_path: Path) -> None:
    made, data = assess(home, tmp_path, answers())
    assert data["scores"]["domains"]["chatbot"] is None and data["not_assessed"] == []
    made, data = assess(home, tmp_path, answers(), use_category="chatbot_generative")
    assert made.returncode == 2 and "cht_machine" in made.stderr
    made, data = assess(
        home, tmp_path, answers(cht_machine="no"), use_category="chatbot_generative"
    )
    assert data["red_flags"] == ["cht_machine"]


def test_constraint_refuses_with_the_questionnaires_message(home: Path, tmp_path: Path) -> None:
    made, _ = assess(home, tmp_path, answers(phs_users=3, phs_trained=5))
    assert made.returncode == 2
    assert made.stderr.strip().endswith(
        "Trained staff cannot be more than the staff who use the tool."
    )
    assert run(home, "assessment", "list", "--json").stdout.strip() == "[]"


def test_survey_has_no_verdict(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "survey.json"
    data = {
        "questionnaire": SURVEY.id,
        "questionnaire_version": SURVEY.version,
        "profile": PROFILE,
        "answers": {"sv_users": 3, "sv_policy": "yes"},
    }
    path.write_text(json.dumps(data), encoding="utf-8")
    made = run(home, "assessment", "new", "--from", str(path), "--finalize")
    assert made.returncode == 0, made.stderr
    shown = json.loads(run(home, "assessment", "show", made.stdout.strip(), "--json").stdout)
    assert shown["verdict"] is None and shown["scores"]["overall"] is None
    assert shown["verdict_reasons"] == ["This checklist is a survey: it has no scoring."]


def test_cached_verdict_from_other_rules_is_recomputed_on_open(home: Path, tmp_path: Path) -> None:
    made, data = assess(home, tmp_path, answers(saf_confirm="no"))
    with sqlite3.connect(home / "guidecheck.db") as conn:  # a cache left by older rules
        conn.execute(
            "UPDATE assessments SET verdict = 'ready', overall_score = 99, rules_version = 1"
        )
    listed = json.loads(run(home, "assessment", "list", "--json").stdout)
    assert (listed[0]["verdict"], listed[0]["overall"]) == ("not_ready", data["scores"]["overall"])


def test_one_percent_formatter_cuts_never_rounds_up() -> None:
    from guidecheck.checklist.labels import cut_percent, format_percent
    from guidecheck.reports.labels import percent_text

    assert [format_percent(v) for v in (79.96, 80.0, 0, 28.999999999999996, None)] == [
        "79.9%",
        "80%",
        "0%",
        "29%",
        "–",
    ]
    assert percent_text(79.96) == "79.9%" and cut_percent(79.96) == 79.9


def test_migration_adds_rules_version_and_recomputes_old_caches(home: Path, tmp_path: Path) -> None:
    """A database from before the rules version existed: the step is applied (after a backup)
    and every cached verdict is recomputed, so lists and district figures match the assessment."""
    made, data = assess(home, tmp_path, answers(eqt_groups="no", eqt_language="no"))
    db = home / "guidecheck.db"
    with sqlite3.connect(db) as conn:  # back to the schema before m005, with an old-rules cache
        conn.execute("ALTER TABLE assessments DROP COLUMN rules_version")
        conn.execute("ALTER TABLE questionnaire_versions DROP COLUMN rules_version")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_scores_rules_version'")
        conn.execute("UPDATE assessments SET verdict = 'ready_with_conditions'")
    listed = json.loads(run(home, "assessment", "list", "--json").stdout)
    assert listed[0]["verdict"] == "not_ready" == data["verdict"]
    assert (home / "guidecheck.db.before-m005_scores_rules_version").exists()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT rules_version FROM assessments").fetchone() == (2,)


def test_reasons_are_translated(home: Path, tmp_path: Path) -> None:
    made, data = assess(home, tmp_path, answers(eqt_groups="no", eqt_language="no"))
    shown = run(home, "assessment", "show", data["id"], "--json", env={"GUIDECHECK_LANG": "fr"})
    reasons = json.loads(shown.stdout)["verdict_reasons"]
    assert reasons == ["Equity and inclusion est à 0%, sous le plancher de 25%."]
