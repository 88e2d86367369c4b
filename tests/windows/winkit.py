"""Helpers for the Windows-readiness tests: a clinic with one assessment, the CLI in-process."""

from __future__ import annotations

from pathlib import Path

from guidecheck.checklist.loading import load_questionnaire
from guidecheck.checklist.model import Profile, Questionnaire
from guidecheck.cli.main import main
from guidecheck.paths import database_path
from guidecheck.storage.store import Store

MINI = Path(__file__).resolve().parents[1] / "bundles" / "data" / "mini.yaml"


def mini() -> Questionnaire:
    return load_questionnaire(MINI)


def profile(
    code: str = "MOH/KSM/042", tool: str = "CAD4TB:_TB?", name: str = "Ọ̀yọ́ Clinic"
) -> Profile:
    return Profile.from_dict(
        {
            "facility_name": name,
            "facility_code": code,
            "district": "Kisumu",
            "region": "West",
            "tool_name": tool,
            "tool_vendor": "Delft",
            "tool_version": "7",
            "use_category": "diagnostic_imaging",
            "assessor_name": "Amina N.",
            "assessor_role": "Nurse",
            "date": "2026-11-20",
        }
    )


def clinic_with_assessment(home: Path, **profile_changes: str) -> str:
    """A data folder holding one draft assessment with its first item answered; returns its id."""
    questionnaire = mini()
    with Store(database_path(home)) as store:
        assessment = store.new_assessment(questionnaire, profile(**profile_changes))
        item = next(i for i in questionnaire.items if i.type == "compliance")
        store.save_answer(assessment.id, item.id, "yes", note="seen")
        return assessment.id


def cli(capsys, *argv: object) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err
