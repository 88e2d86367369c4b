"""Hostile answers files (`guidecheck assessment new --from FILE.json`): refused in one sentence
(exit 2, never "Something went wrong"), with the database exactly as it was.

These are the same values a forged bundle could carry, entered through the other door.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from proofkit import TALLY, dump_database, make_profile

from guidecheck.cli.main import main
from guidecheck.storage.store import Store

# The shipped checklist is format 2: its profile names the tool's phase.
PROFILE = make_profile().as_dict() | {"phase": "routine"}


def _file(tmp_path: Path, answers: object = None, text: str | None = None, **extra: object) -> Path:
    path = tmp_path / "answers.json"
    if text is None:
        data = {
            "questionnaire": "who-ai-health-2025",
            "profile": PROFILE,
            "answers": answers or {},
            **extra,
        }
        text = json.dumps(data)
    path.write_text(text, encoding="utf-8")
    return path


CASES = {
    "number of 400 digits": {"trn_staff_using_count": 10**400},
    "negative number of 400 digits": {"trn_staff_using_count": -(10**400)},
    "number NaN": {"trn_staff_using_count": float("nan")},
    "number Infinity": {"trn_staff_using_count": float("inf")},
    "text with a lone surrogate": {"rsk_other_remarks": "broken \udfff text"},
    "note with a lone surrogate": {"eth_patients_told": {"value": "yes", "note": "broken \ud800"}},
    "choice as a list": {"prv_storage_places": [["nested"]]},
    "compliance as a mapping": {"eth_patients_told": {"value": {"yes": 1}}},
    "unknown item": {"__class__": "yes"},
    "text of 10001 characters": {"rsk_other_remarks": "x" * 10_001},
    "note of 10001 characters": {"eth_patients_told": {"value": "yes", "note": "x" * 10_001}},
}


def _refused(capsys, tmp_path: Path, source: Path) -> str:
    home = tmp_path / "home"
    with Store(home / "guidecheck.db"):
        pass
    before = dump_database(home / "guidecheck.db")
    code = main(["--home", str(home), "assessment", "new", "--from", str(source)])
    err = capsys.readouterr().err.strip()
    assert "Something went wrong" not in err and "Traceback" not in err, err
    assert code == 2 and err and "\n" not in err, (code, err)
    assert dump_database(home / "guidecheck.db") == before
    TALLY["answers-file cases refused"] += 1
    return err


def test_the_valid_file_is_accepted(capsys, tmp_path: Path) -> None:
    code = main(
        [
            "--home",
            str(tmp_path / "home"),
            "assessment",
            "new",
            "--from",
            str(_file(tmp_path, {"eth_patients_told": "yes", "trn_staff_using_count": 4})),
        ]
    )
    assert code == 0, capsys.readouterr().err


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_answers_are_refused(capsys, tmp_path: Path, case: str) -> None:
    answers = CASES[case]
    text = json.dumps(
        {"questionnaire": "who-ai-health-2025", "profile": PROFILE, "answers": answers}
    )
    _refused(capsys, tmp_path, _file(tmp_path, text=text))


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"questionnaire": "who-ai-health-2025", "profile": ' + "[" * 50_000 + "]" * 50_000 + "}",
        '{"questionnaire": ["who-ai-health-2025"], "profile": {}, "answers": {}}',
        '{"questionnaire": "who-ai-health-2025", "questionnaire_version": {"a": 1}, "profile": {}, "answers": {}}',
        '{"questionnaire": "../../etc/passwd", "profile": {}, "answers": {}}',
        '{"questionnaire": "who-ai-health-2025", "profile": {"facility_name": 7}, "answers": {}}',
        '{"questionnaire": "who-ai-health-2025", "profile": "x", "answers": {}}',
        '{"questionnaire": "who-ai-health-2025", "profile": {}, "answers": []}',
        "\ufeff{}",
        "null",
        "",
    ],
)
def test_hostile_files_are_refused(capsys, tmp_path: Path, text: str) -> None:
    _refused(capsys, tmp_path, _file(tmp_path, text=text))


def test_profile_with_a_lone_surrogate_is_refused(capsys, tmp_path: Path) -> None:
    text = json.dumps(
        {
            "questionnaire": "who-ai-health-2025",
            "profile": PROFILE | {"facility_name": "Clinic \udc80"},
            "answers": {},
        }
    )
    _refused(capsys, tmp_path, _file(tmp_path, text=text))
