"""The workbook, read back with openpyxl: sheets, typed values, frozen headers, filters, no formulas."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from report_helpers import mixed_choice

from guidecheck.errors import UserError
from guidecheck.reports import write_assessment_workbook
from guidecheck.reports.labels import verdict_label


def summary_fields(sheet) -> dict[str, object]:
    return {
        row[0]: row[1] for row in sheet.iter_rows(min_row=2, max_col=2, values_only=True) if row[0]
    }


def rows_as_dicts(sheet) -> list[dict[str, object]]:
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def test_workbook_has_facility_verdict_domain_scores_and_red_flags(make_report, tmp_path):
    data = make_report(mixed_choice)
    book = openpyxl.load_workbook(write_assessment_workbook(data, tmp_path / "r.xlsx"))
    assert book.sheetnames == ["Summary", "Answers", "Action plan", "Red flags"]
    summary = book["Summary"]
    fields = summary_fields(summary)
    assert fields["Facility"] == "Clínica São João"
    assert fields["Verdict"] == verdict_label("not_ready")
    assert fields["Overall score (%)"] == pytest.approx(data.score.overall)
    assert fields["Red flags"] == len(data.score.red_flags)
    assert fields["Revision"] == 1
    assert fields["Content hash"] == data.content_hash
    assert fields["Assessment date"].date() == dt.date(2026, 11, 20)
    scores = {
        row[1]: row[2]
        for row in summary.iter_rows(min_row=2, min_col=4, max_col=6, values_only=True)
        if row[1]
    }
    shown = data.shown_domains()
    assert set(scores) == {d.id for d in shown}
    for domain in shown:
        assert scores[domain.id] == pytest.approx(data.score.domains[domain.id])
        assert isinstance(scores[domain.id], int | float)
    assert len(summary._charts) == 1
    flags = rows_as_dicts(book["Red flags"])
    assert [row["Item"] for row in flags] == list(data.score.red_flags)
    for row in flags:
        assert row["Question"] == data.questionnaire.item(row["Item"]).question.en
    plan = rows_as_dicts(book["Action plan"])
    assert [row["Item"] for row in plan] == [entry.item_id for entry in data.score.action_plan]
    assert plan[0]["Priority"] == "Critical"


def test_answers_sheet_has_one_typed_row_per_shown_item(make_report, tmp_path):
    data = make_report(mixed_choice)
    book = openpyxl.load_workbook(write_assessment_workbook(data, tmp_path / "r.xlsx"))
    rows = rows_as_dicts(book["Answers"])
    assert [row["Item"] for row in rows] == list(data.score.visible_items)
    by_id = {row["Item"]: row for row in rows}
    flagged = by_id["eth_patient_informed"]
    assert flagged["Answer"] == "No" and flagged["Value"] == "no"
    assert flagged["Critical"] is True and flagged["Met"] is False and flagged["Red flag"] is True
    assert isinstance(flagged["Weight"], int | float) and flagged["Weight"] > 0
    assert flagged["Score"] == 0
    partly = by_id["prv_vendor_agreement"]
    assert partly["Score"] == pytest.approx(0.5) and partly["Met"] is False
    assert isinstance(flagged["Answered at"], dt.datetime)
    types = {item.id: item.type for item in data.questionnaire.items}
    for item_id, row in by_id.items():
        if types[item_id] == "date":
            assert isinstance(row["Value"], dt.datetime)
        if types[item_id] == "number":
            assert isinstance(row["Value"], int | float)
        if types[item_id] in ("text", "multiple_choice", "number", "date"):
            assert row["Met"] is None and row["Score"] is None


def test_every_sheet_has_frozen_header_and_autofilter_and_no_formulas(make_report, tmp_path):
    tricky = '=HYPERLINK("http://example.org","click")'
    data = make_report(
        note=lambda item: tricky if item.id == "eth_consent_recorded" else "ok\x07 bell"
    )
    book = openpyxl.load_workbook(write_assessment_workbook(data, tmp_path / "r.xlsx"))
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
        assert sheet.column_dimensions["A"].width >= 8
    notes = {row["Item"]: row["Note"] for row in rows_as_dicts(book["Answers"])}
    assert notes["eth_consent_recorded"] == tricky
    assert notes["eth_patient_can_refuse"] == "ok bell"


def test_final_workbook_carries_sign_off(make_report, tmp_path):
    data = make_report(final=True, facility_name="Hôpital de Kédougou")
    fields = summary_fields(
        openpyxl.load_workbook(write_assessment_workbook(data, tmp_path / "f.xlsx"))["Summary"]
    )
    assert fields["Facility"] == "Hôpital de Kédougou"
    assert fields["Status"] == "Final"
    assert fields["Verdict"] == "Ready"
    assert fields["Head of facility"] == "Dr. Aminata Diallo"
    assert isinstance(fields["Finalized at"], dt.datetime)


def test_unwritable_workbook_target_raises_user_error(make_report, tmp_path):
    data = make_report()
    with pytest.raises(UserError, match=r"does not exist\.$"):
        write_assessment_workbook(data, tmp_path / "nowhere" / "r.xlsx")
    assert not list(tmp_path.rglob("*.xlsx"))
