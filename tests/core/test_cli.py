"""The `guidecheck` command as outside scripts use it: real processes, real data folders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from guidecheck.checklist.loading import load_questionnaire
from guidecheck.paths import questionnaires_dir

WHO = load_questionnaire(questionnaires_dir() / "who-ai-health-2025.yaml")
PROFILE = {
    "facility_name": "Hôpital de Kédougou",
    "facility_code": "SN-KED-01",
    "district": "Kédougou",
    "region": "Kédougou",
    "tool_name": "TriageAssist",
    "tool_vendor": "Acme Health",
    "tool_version": "3.2",
    "use_category": "patient_triage",
    "phase": "routine",
    "assessor_name": "Awa Diallo",
    "assessor_role": "Nurse",
    "date": "2026-11-20",
}


def run(
    home: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "guidecheck.cli.main",
        *(["--home", str(home)] if home else []),
        *args,
    ]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})}
    )


def full_answers(no: set[str] = frozenset(), partly: set[str] = frozenset()) -> dict[str, object]:
    """Answer every scored item a triage tool in routine use is shown: yes unless listed."""
    from guidecheck.checklist.model import Answer, Profile
    from guidecheck.checklist.scoring import visible_items

    answers: dict[str, object] = {}
    for _round in range(5):  # answers can reveal more items
        given = {k: Answer(k, v["value"] if isinstance(v, dict) else v) for k, v in answers.items()}
        for item in visible_items(WHO, Profile.from_dict(PROFILE), given):
            if item.id in answers:
                continue
            if item.type == "compliance":
                value = "no" if item.id in no else "partly" if item.id in partly else "yes"
                answers[item.id] = {"value": value, "note": "checked the register"}
            elif item.type == "single_choice":
                scored = [c for c in item.choices if c.score == 1]
                answers[item.id] = (scored or list(item.choices))[0].id
    return answers


def test_list_shows_the_who_checklist(tmp_path: Path) -> None:
    done = run(tmp_path, "questionnaires", "list")
    assert done.returncode == 0, done.stderr
    rows = {x.split()[0]: x.split() for x in done.stdout.splitlines()[1:]}
    assert int(rows["who-ai-health-2025"][-2]) >= 60 and int(rows["who-ai-health-2025"][-1]) >= 9
    assert int(rows["who-ai-health-2025-district"][-2]) >= 25


def test_validate_exit_codes(tmp_path: Path) -> None:
    assert (
        run(
            tmp_path,
            "questionnaires",
            "validate",
            str(questionnaires_dir() / "who-ai-health-2025.yaml"),
        ).returncode
        == 0
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "format: 1\nid: x\nversion: 1\ntitle: X\ndomains:\n  - id: d\n    title: D\n    items:\n      - id: q\n        type: nope\n        question: Q\n",
        encoding="utf-8",
    )
    done = run(tmp_path, "questionnaires", "validate", str(bad))
    assert done.returncode == 2
    assert f"{bad}, line 10" in done.stderr and "Traceback" not in done.stderr


def test_show_json_has_domains_and_items(tmp_path: Path) -> None:
    done = run(tmp_path, "questionnaires", "show", "who-ai-health-2025", "--json")
    data = json.loads(done.stdout)
    item = data["domains"][0]["items"][0]
    assert set(item) >= {"id", "type", "choices", "weight", "critical", "condition"}


def test_answers_file_round_trips_with_expected_scores(tmp_path: Path) -> None:
    answers = full_answers(no={"saf_clinician_reviews_output"}, partly={"prv_access_password"})
    source = tmp_path / "answers.json"
    source.write_text(
        json.dumps(
            {
                "questionnaire": "who-ai-health-2025",
                "profile": PROFILE,
                "answers": _visible_only(answers),
            }
        ),
        encoding="utf-8",
    )
    done = run(tmp_path / "home", "assessment", "new", "--from", str(source))
    assert done.returncode == 0, done.stderr
    assessment_id = done.stdout.strip()
    shown = json.loads(run(tmp_path / "home", "assessment", "show", assessment_id, "--json").stdout)
    assert shown["profile"]["facility_name"] == "Hôpital de Kédougou"
    assert shown["verdict"] == "not_ready"
    assert shown["red_flags"] == ["saf_clinician_reviews_output"]
    assert shown["action_plan"][0] == {
        "item": "saf_clinician_reviews_output",
        "domain": "safety",
        "priority": "critical",
        "action": WHO.item("saf_clinician_reviews_output").action.en,
    }
    # privacy: every scored shown item yes except one partly -> (W - w/2) / W
    privacy = [i for i in WHO.domain("privacy").items if i.scored and i.id in shown["answers"]]
    total = sum(i.weight for i in privacy)
    expected = round(100 * (total - WHO.item("prv_access_password").weight / 2) / total, 1)
    assert shown["scores"]["domains"]["privacy"] == expected
    assert shown["scores"]["domains"]["ethics"] == 100.0
    listing = json.loads(run(tmp_path / "home", "assessment", "list", "--json").stdout)
    assert [x["id"] for x in listing] == [assessment_id]


def _visible_only(answers: dict[str, object]) -> dict[str, object]:
    from guidecheck.checklist.model import Answer, Profile
    from guidecheck.checklist.scoring import visible_items

    as_answers = {
        k: Answer(k, v["value"] if isinstance(v, dict) else v) for k, v in answers.items()
    }
    shown = {i.id for i in visible_items(WHO, Profile.from_dict(PROFILE), as_answers)}
    return {k: v for k, v in answers.items() if k in shown}


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        ({"not_an_item": "yes"}, "no item 'not_an_item'"),
        ({"eth_patients_told": 7}, "takes one of"),
        ({"gov_decision_record": "sometime"}, "no choice 'sometime'"),
        ({"saf_image_quality_check": "yes"}, "hidden by skip logic"),
    ],
)
def test_one_bad_answer_refuses_the_file_and_writes_nothing(
    tmp_path: Path, answers: dict, words: str
) -> None:
    good = {"eth_patients_told": "yes"}
    source = tmp_path / "answers.json"
    source.write_text(
        json.dumps(
            {
                "questionnaire": "who-ai-health-2025",
                "profile": PROFILE,
                "answers": {**good, **answers},
            }
        ),
        encoding="utf-8",
    )
    done = run(tmp_path / "home", "assessment", "new", "--from", str(source))
    assert done.returncode == 2
    assert words in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert json.loads(run(tmp_path / "home", "assessment", "list", "--json").stdout) == []


def test_broken_json_and_unknown_id_are_plain_errors(tmp_path: Path) -> None:
    source = tmp_path / "answers.json"
    source.write_text('{"questionnaire": "who-ai-health-2025",\n "profile": {', encoding="utf-8")
    done = run(tmp_path / "home", "assessment", "new", "--from", str(source))
    assert done.returncode == 2 and "line 2" in done.stderr and "Traceback" not in done.stderr
    done = run(tmp_path / "home", "assessment", "show", "0000000-nope")
    assert done.returncode == 2 and "no assessment" in done.stderr


def test_home_from_environment_and_two_homes_are_separate(tmp_path: Path) -> None:
    source = tmp_path / "answers.json"
    source.write_text(
        json.dumps({"questionnaire": "who-ai-health-2025", "profile": PROFILE, "answers": {}}),
        encoding="utf-8",
    )
    env = {"GUIDECHECK_HOME": str(tmp_path / "laptop-a")}
    assert run(None, "assessment", "new", "--from", str(source), env=env).returncode == 0
    assert (tmp_path / "laptop-a" / "guidecheck.db").exists()
    assert len(json.loads(run(None, "assessment", "list", "--json", env=env).stdout)) == 1
    assert json.loads(run(tmp_path / "laptop-b", "assessment", "list", "--json").stdout) == []


def test_finalize_from_file_needs_complete_answers(tmp_path: Path) -> None:
    source = tmp_path / "answers.json"
    source.write_text(
        json.dumps(
            {
                "questionnaire": "who-ai-health-2025",
                "profile": PROFILE,
                "answers": {"eth_patients_told": "yes"},
            }
        ),
        encoding="utf-8",
    )
    done = run(tmp_path / "home", "assessment", "new", "--from", str(source), "--finalize")
    assert done.returncode == 2 and "cannot be finalized" in done.stderr
    assert json.loads(run(tmp_path / "home", "assessment", "list", "--json").stdout) == []
