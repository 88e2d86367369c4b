"""The district PDF and workbook, read back with pypdf and openpyxl, and the `district` CLI."""

from __future__ import annotations

import datetime as dt
import json

from hub_builder import TODAY
from openpyxl import load_workbook
from pypdf import PdfReader

from guidecheck.cli.main import main
from guidecheck.district.report_pdf import write_district_pdf
from guidecheck.district.report_workbook import write_district_workbook
from guidecheck.district.summary import build_summary


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_district_pdf_says_the_hand_worked_figures(hub, tmp_path):
    out = write_district_pdf(
        build_summary(hub.store, today=TODAY), tmp_path / "district.pdf", "Lake district"
    )
    text = " ".join(pdf_text(out).split())
    assert "Lake district" in text
    assert "Facilities known 3" in text and "Facilities assessed (final) 3" in text
    assert "Facilities with a re-assessment due 2" in text and "Final assessments counted 4" in text
    assert "Ready 1 33.3%" in text and "Not ready 2 66.6%" in text  # shares round down, never up
    assert "56.9%" in text and "58.3%" in text  # domain averages on the chart
    assert "Are staff trained on the tool? Clinical care 2 / 3 66.7%" in text
    assert "Does a clinician review every output? (critical)" in text
    assert (
        "Clinic B (B01) ReadMyXray 2026-03-01 Not ready 25% not ready, red flags Does a clinician review every output?"
        in text
    )
    assert "Clinic A (A01) TriageBot – – – never assessed" in text
    fonts = {
        str(f) for page in PdfReader(str(out)).pages for f in page["/Resources"]["/Font"].values()
    }
    assert fonts  # at least one font resource
    assert all("DejaVu" in str(font.get_object()["/BaseFont"]) for page in PdfReader(str(out)).pages
               for font in page["/Resources"]["/Font"].values())  # fmt: skip


def test_district_workbook_sheets_read_back(hub, tmp_path):
    summary = build_summary(hub.store, today=TODAY)
    out = write_district_workbook(hub.store, summary, tmp_path / "district.xlsx")
    book = load_workbook(out)
    assert book.sheetnames == [
        "Latest assessments", "Answers", "Gaps", "Items", "Monitoring events", "Monitoring tallies", "Charts",
    ]  # fmt: skip
    latest = list(book["Latest assessments"].values)
    assert latest[0][:11] == ("Facility code", "Facility", "District", "Region", "AI tool", "Use category", "Date",
                              "Verdict", "Overall score", "Clinical care", "Data protection")  # fmt: skip
    assert [row[:4] + row[6:] for row in latest[1:]] == [
        ("A01", "Clinic A", "North", "Lake", dt.datetime(2026, 6, 1), "Ready", 91.7, 87.5, 100, 0,
         dt.datetime(2027, 6, 1), False, False, hub.ids["a2"], "checked", None),
        ("B01", "Clinic B", "South", "Lake", dt.datetime(2026, 3, 1), "Not ready", 25, 0, 75, 1,
         dt.datetime(2027, 3, 1), False, False, hub.ids["b"], "checked", None),
        ("C01", "Clinic C", "North", "Lake", dt.datetime(2024, 9, 1), "Not ready", 50, 83.3, 0, 1,
         dt.datetime(2025, 9, 1), True, False, hub.ids["c"], "checked", None),
    ]  # fmt: skip
    answers = list(book["Answers"].values)
    assert answers[0] == ("Assessment id", "Facility code", "AI tool", "Date", "Latest", "Domain", "Item id", "Answer",
                          "Credit", "Note")  # fmt: skip
    assert (
        len(answers) == 1 + 5 + 6 + 6 + 6
    )  # C (c3 hidden: not answered), A round 1, B, A round 2 rev 2
    assert [r[0] for r in answers[1:]] == [hub.ids["c"]] * 5 + [hub.ids["a1"]] * 6 + [
        hub.ids["b"]
    ] * 6 + [hub.ids["a2"]] * 6
    assert [r[6] for r in answers[6:12]] == ["c1", "c2", "c3", "d1", "d2", "d3"]  # checklist order
    by_key = {(row[0], row[6]): row for row in answers[1:]}
    assert by_key[(hub.ids["a2"], "c3")][1:] == (
        "A01",
        "ChestScan 1.0",
        dt.datetime(2026, 6, 1),
        True,
        "care",
        "c3",
        "partly",
        0.5,
        None,
    )
    assert by_key[(hub.ids["a1"], "c2")][4] is False and by_key[(hub.ids["a1"], "c2")][8] == 0
    assert by_key[(hub.ids["b"], "d3")][7:9] == ("-", None)
    items = list(book["Items"].values)
    assert items[1] == (
        "district-test",
        "1.0",
        "c1",
        "care",
        "Does a clinician review every output?",
        "compliance",
        2,
        True,
    )
    assert len(items) == 1 + 6
    gaps = list(book["Gaps"].values)
    assert [(g[0], g[4], g[5], g[6], g[8], g[9]) for g in gaps[1:]] == [
        ("c2", 2, 3, 66.7, 1, 1), ("c3", 2, 2, 100, 1, 1), ("d1", 2, 3, 66.7, 1, 1), ("c1", 1, 3, 33.3, 1, 0),
        ("d2", 1, 3, 33.3, 1, 0)]  # fmt: skip
    charts = book["Charts"]
    assert [
        tuple(r) for r in charts.iter_rows(min_row=1, max_row=4, max_col=2, values_only=True)
    ] == [("Verdict", "AI tools"), ("Ready", 1), ("Ready with conditions", 0), ("Not ready", 2)]
    assert [
        tuple(r) for r in charts.iter_rows(min_row=6, max_row=8, max_col=2, values_only=True)
    ] == [("Domain", "Average score (%)"), ("Clinical care", 56.9), ("Data protection", 58.3)]
    assert len(charts._charts) == 2
    assert book["Answers"].freeze_panes == "A2" and book["Answers"].auto_filter.ref == "A1:J24"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_summary_json_and_report(hub, tmp_path, capsys):
    hub.store.close()
    code, out, _err = run(capsys, "--home", hub.home, "district", "summary", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["coverage"]["facilities_assessed"] == 3 and data["verdicts"]["not_ready"] == 2
    assert data["gaps"][0]["item"] == "c2"
    code, out, _err = run(capsys, "--home", hub.home, "district", "summary")
    assert (
        code == 0
        and "3 of 3 facilities assessed" in out
        and "1 ready, 0 ready with conditions, 2 not ready" in out
    )
    pdf, xlsx = tmp_path / "d.pdf", tmp_path / "d.xlsx"
    code, out, err = run(
        capsys,
        "--home",
        hub.home,
        "district",
        "report",
        "--since",
        "2026-01-01",
        "--pdf",
        pdf,
        "--xlsx",
        xlsx,
    )
    assert code == 0, err
    assert "Assessments dated from 2026-01-01" in " ".join(pdf_text(pdf).split())
    assert len(list(load_workbook(xlsx)["Latest assessments"].values)) == 1 + 2  # A round 2 and B


def test_cli_refuses_bad_input_and_writes_nothing(hub, tmp_path, capsys):
    hub.store.close()
    code, _out, err = run(capsys, "--home", hub.home, "district", "report")
    assert (
        code == 2
        and err.strip()
        == "Say where to write the district report with --pdf OUT.pdf, --xlsx OUT.xlsx or both."
    )
    pdf = tmp_path / "d.pdf"
    code, _out, err = run(
        capsys,
        "--home",
        hub.home,
        "district",
        "report",
        "--pdf",
        pdf,
        "--xlsx",
        tmp_path / "no" / "d.xlsx",
    )
    assert code == 2 and "does not exist" in err and not pdf.exists()
    code, _out, err = run(
        capsys, "--home", hub.home, "district", "settings", "--reassess-months", "500"
    )
    assert code == 2 and "from 1 to 120" in err
    code, out, _err = run(
        capsys, "--home", hub.home, "district", "settings", "--reassess-months", "18"
    )
    assert code == 0 and "18 months" in out
