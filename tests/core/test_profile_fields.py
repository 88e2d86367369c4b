"""The profile questions follow the checklist: the clinic checklist asks the tool's kind of use and
phase; the district-level checklist (a review of a programme) asks neither, in the core, the CLI's
`assessment new`, the PDF and workbook read back, and a checklist may say so with
`profile_fields:`. The wizard side is in tests/gui/test_profile_fields_screen.py."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from guidecheck.checklist.loading import load_questionnaire, parse_questionnaire_text
from guidecheck.checklist.model import Profile
from guidecheck.cli.main import main
from guidecheck.errors import QuestionnaireError, UserError
from guidecheck.paths import questionnaires_dir
from guidecheck.reports.content import build_report_data
from guidecheck.reports.pdf import render_pdf
from guidecheck.reports.workbook import render_workbook
from guidecheck.storage.store import Store

CLINIC = load_questionnaire(questionnaires_dir() / "who-ai-health-2025.yaml")
DISTRICT = load_questionnaire(questionnaires_dir() / "who-ai-health-2025-district.yaml")
BASE = {
    "facility_name": "Kisumu County Health Office",
    "facility_code": "KSM",
    "tool_name": "ChestScan",
    "assessor_name": "Grace Achieng",
    "date": "2026-11-20",
}


def test_what_each_shipped_checklist_asks():
    assert CLINIC.asks("use_category") and CLINIC.asks("phase")
    assert DISTRICT.level == "district"
    assert not DISTRICT.asks("use_category") and not DISTRICT.asks("phase")
    archived = load_questionnaire(
        questionnaires_dir() / "archive" / "who-ai-health-2025-1.0.0.yaml"
    )
    assert archived.asks("use_category") and not archived.asks("phase")  # format 1, as before


def _with_header(extra: str) -> str:
    text = DISTRICT.source
    return text.replace("level: district\n", "level: district\n" + extra, 1)


def test_profile_fields_key_is_checked_with_its_line():
    both = parse_questionnaire_text(_with_header("profile_fields: [phase, use_category]\n"))
    assert both.profile_fields == ("use_category", "phase")
    with pytest.raises(QuestionnaireError) as bad:
        parse_questionnaire_text(_with_header("profile_fields: [tool_colour]\n"), "d.yaml")
    assert "d.yaml, line 9" in str(bad.value) and "'profile_fields' must be a list" in str(
        bad.value
    )
    # a condition may not read a profile question the checklist says it does not ask
    text = _with_header("profile_fields: [phase]\n")  # its first domain reads the kind of use
    first_domain = text.index("  - id: ")
    end_of_line = text.index("\n", first_domain)
    text = (
        text[: end_of_line + 1]
        + "    condition: \"profile.use_category == 'other'\"\n"
        + text[end_of_line + 1 :]
    )
    with pytest.raises(QuestionnaireError) as unasked:
        parse_questionnaire_text(text, "d.yaml")
    assert "profile.use_category, which this checklist does not ask" in str(unasked.value)
    # without the key, the district file asks what its conditions read
    implicit = parse_questionnaire_text(text.replace("profile_fields: [phase]\n", "", 1))
    assert implicit.profile_fields == ("use_category",)
    # the clinic file's own conditions read both, so it cannot drop them
    clinic_none = CLINIC.source.replace("level: clinic\n", "level: clinic\nprofile_fields: []\n", 1)
    with pytest.raises(QuestionnaireError, match="which this checklist does not ask"):
        parse_questionnaire_text(clinic_none)


def test_store_needs_only_what_the_checklist_asks(tmp_path):
    with Store(tmp_path / "guidecheck.db") as store:
        district = store.new_assessment(DISTRICT, Profile(**BASE, use_category=""))
        assert district.profile.phase == "" and "phase" not in district.profile.as_dict()
        with pytest.raises(UserError, match="needs a phase"):
            store.new_assessment(CLINIC, Profile(**BASE, use_category="patient_triage"))
        clinic = store.new_assessment(
            CLINIC, Profile(**BASE, use_category="patient_triage", phase="pilot")
        )
        assert clinic.profile.phase == "pilot"


def _run(home, capsys, *args):
    code = main(["--home", str(home), *args])
    return code, capsys.readouterr()


def test_cli_assessment_new_and_reports_follow_the_checklist(tmp_path, capsys):
    home = tmp_path / "home"
    district_file = tmp_path / "district.json"
    district_file.write_text(json.dumps({"questionnaire": DISTRICT.id, "profile": BASE}), "utf-8")
    code, out = _run(home, capsys, "assessment", "new", "--from", str(district_file))
    assert code == 0, out.err
    district_id = out.out.strip()
    clinic_file = tmp_path / "clinic.json"
    clinic_file.write_text(json.dumps({"questionnaire": CLINIC.id, "profile": BASE}), "utf-8")
    code, out = _run(home, capsys, "assessment", "new", "--from", str(clinic_file))
    assert code == 2 and "needs a phase" in out.err  # the clinic checklist still asks it
    clinic_profile = {**BASE, "use_category": "patient_triage", "phase": "rollout"}
    clinic_file.write_text(json.dumps({"questionnaire": CLINIC.id, "profile": clinic_profile}))
    code, out = _run(home, capsys, "assessment", "new", "--from", str(clinic_file))
    assert code == 0, out.err
    clinic_id = out.out.strip()

    with Store(home / "guidecheck.db") as store:
        for assessment_id, asked in ((district_id, False), (clinic_id, True)):
            data = build_report_data(store, assessment_id)
            reader = PdfReader(io.BytesIO(render_pdf(data, "en")))
            text = reader.pages[0].extract_text()
            assert ("Use category" in text) is asked and ("Phase" in text) is asked, text
            book = load_workbook(io.BytesIO(render_workbook(data, "en")), read_only=True)
            sheet = book.worksheets[0]
            labels = [row[0] for row in sheet.iter_rows(values_only=True)]
            assert ("Use category" in labels) is asked and ("Phase" in labels) is asked
            if asked:
                assert "Roll-out" in text and "Patient triage" in text


def test_profile_fields_travel_through_an_xlsform(tmp_path):
    from guidecheck.interop.xlsform_export import export_xlsform
    from guidecheck.interop.xlsform_import import import_xlsform

    phase_only = parse_questionnaire_text(_with_header("profile_fields: [phase]\n"))
    cases = ((phase_only, ("phase",)), (DISTRICT, ()), (CLINIC, ("use_category", "phase")))
    for n, (questionnaire, expected) in enumerate(cases):
        path = export_xlsform(questionnaire, tmp_path / f"form-{n}.xlsx")
        assert parse_questionnaire_text(import_xlsform(path).yaml_text).profile_fields == expected


def test_a_district_file_written_before_the_key_asks_what_its_conditions_read():
    source = (
        questionnaires_dir().parent / "tests" / "core" / "data" / "v2-verdicts.yaml"
    ).read_text("utf-8")
    assert "profile.phase" in source
    team = parse_questionnaire_text(source.replace("level: clinic", "level: district"))
    assert team.asks("phase")  # still loads, and still asks what decides its questions
    declared = source.replace("level: clinic", "level: district\nprofile_fields: []")
    with pytest.raises(
        QuestionnaireError, match="profile.phase, which this checklist does not ask"
    ):
        parse_questionnaire_text(declared)
