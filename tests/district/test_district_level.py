"""District-level checklists (`level: district`) are listed apart from clinic assessments in the
district summary, PDF and workbook, and never counted in the clinics' figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pypdf

from guidecheck.checklist.loading import parse_questionnaire_text
from guidecheck.checklist.model import Profile, SignOff
from guidecheck.district.report_pdf import write_district_pdf
from guidecheck.district.report_workbook import write_district_workbook
from guidecheck.district.summary import build_summary
from guidecheck.storage.store import Store

SOURCE = (Path(__file__).parents[1] / "core" / "data" / "v2-verdicts.yaml").read_text("utf-8")
CLINIC = parse_questionnaire_text(SOURCE)
TEAM = parse_questionnaire_text(
    SOURCE.replace("id: v2-verdicts", "id: v2-district").replace("level: clinic", "level: district")
)
TEAM_NAME = "=Kisumu County Health Office"  # text from people: never a formula


def assess(store: Store, questionnaire, **profile: str) -> str:
    base = {"tool_name": "ChestScan", "use_category": "diagnostic_imaging", "phase": "routine",
            "assessor_name": "Officer", "date": "2026-11-20"}  # fmt: skip
    assessment = store.new_assessment(questionnaire, Profile.from_dict({**base, **profile}))
    store.save_answer(assessment.id, "phs_users", 4)
    store.save_answer(assessment.id, "phs_trained", 3)
    for item in questionnaire.items:
        if item.type == "compliance" and item.domain_id != "chatbot":
            store.save_answer(assessment.id, item.id, "no" if item.id == "saf_confirm" else "yes")
    store.finalize(assessment.id, SignOff("Officer", "", "Head", "2026-11-21"))
    return assessment.id


def test_district_level_assessments_are_listed_apart(tmp_path: Path) -> None:
    with Store(tmp_path / "hub.db") as store:
        clinic_id = assess(store, CLINIC, facility_name="Kibera HC", facility_code="KE-KIB-01")
        team_id = assess(store, TEAM, facility_name=TEAM_NAME, facility_code="KE-047")
        summary = build_summary(store, today=dt.date(2026, 11, 25))
        assert [r.id for r in summary.district_level] == [team_id]
        assert [r.assessment_id for r in summary.overview] == [
            clinic_id
        ]  # team not "never assessed"
        assert sum(summary.verdict_counts().values()) == 1
        assert summary.as_json()["district_level"][0]["team"] == TEAM_NAME
        pdf = write_district_pdf(summary, tmp_path / "district.pdf")
        text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(pdf).pages)
        assert "District and national team assessments" in text and TEAM_NAME in text
        book = write_district_workbook(store, summary, tmp_path / "district.xlsx")
    sheet = openpyxl.load_workbook(book)["District-level"]
    row = [cell for cell in sheet[2]]
    assert row[1].value == TEAM_NAME and row[1].data_type == "s"
    assert row[5].value == "Not ready" and row[8].value == team_id
