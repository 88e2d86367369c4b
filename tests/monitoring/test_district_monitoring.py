"""Observations carried by a real bundle reach the district: the Monitoring tab (serious first),
the workbook (read back with openpyxl) and the district PDF (read back with pypdf)."""

from __future__ import annotations

import io

import pytest
from monitoring_helpers import assess, import_approved, log
from openpyxl import load_workbook
from pypdf import PdfReader
from test_monitoring_bundles import district_pair

from guidecheck.bundles.export import export_bundle
from guidecheck.district.report_pdf import render_district_pdf
from guidecheck.district.report_workbook import write_district_workbook
from guidecheck.district.summary import build_summary
from guidecheck.gui.hub.district_view import open_district_view
from guidecheck.monitoring import store as monitoring
from guidecheck.monitoring.model import Tally
from guidecheck.paths import database_path
from guidecheck.storage.store import Store


@pytest.fixture
def hub(tmp_path, capsys, mini, profile):
    clinic, hub = district_pair(tmp_path, capsys)
    stick = tmp_path / "stick"
    stick.mkdir()
    with Store(database_path(clinic)) as store:
        assess(store, mini, profile, final=True)
        log(store, "minor", "Overruled a doubtful reading.", kind="overridden")
        log(store, "harm", '=HYPERLINK("x") Missed a clear pneumonia; treatment two days late.')
        log(store, "serious", "Flagged TB on a healthy child.", kind="possible_bias")
        monitoring.save_tally(store, Tally("ChestScan", "2026-10", 50, 5, facility_code="MZ-0042"))
        monitoring.save_tally(store, Tally("ChestScan", "2026-11", 40, 10, facility_code="MZ-0042"))
        written = export_bundle(clinic, store, stick)
    with Store(database_path(hub)) as store:
        assert import_approved(hub, store, written.path).imported
    return hub


def test_district_workbook_and_pdf_list_the_events_serious_first(hub, tmp_path):
    with Store(database_path(hub)) as store:
        summary = build_summary(store)
        path = write_district_workbook(store, summary, tmp_path / "district.xlsx")
        pdf = render_district_pdf(summary)
    book = load_workbook(path)
    events = list(book["Monitoring events"].iter_rows(values_only=True))
    assert events[0][:3] == ("Facility code", "Facility", "AI tool")
    assert [row[5] for row in events[1:]] == ["Harm reached a patient", "Serious", "Minor"]
    assert events[1][6].startswith("=HYPERLINK")  # text, never a formula
    assert book["Monitoring events"].cell(row=2, column=7).data_type == "s"
    tallies = list(book["Monitoring tallies"].iter_rows(values_only=True))[1:]
    assert [(r[3], r[4], r[5], r[6]) for r in tallies] == [
        ("2026-10", 50, 5, 10.0),
        ("2026-11", 40, 10, 25.0),
    ]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Monitoring between assessments" in text
    assert text.index("Missed a clear pneumonia") < text.index("Flagged TB on a healthy child")
    assert "17%" in text  # 15 overruled of 90 uses


def test_district_view_has_a_monitoring_tab_with_serious_events_first(qtbot, hub):
    screen = open_district_view(None, hub)
    qtbot.addWidget(screen)
    screen.resize(1366, 768)
    with qtbot.waitSignal(screen.loaded, timeout=20_000):
        screen.show()
    tab = screen.tabs.indexOf(screen.monitoring)
    assert screen.tabs.tabText(tab) == "Monitoring (2 serious)"
    screen.tabs.setCurrentIndex(tab)
    panel = screen.monitoring
    assert "3 events from 1 facilities" in panel.status.text()
    assert [panel.serious.item(r, 3).text() for r in range(panel.serious.rowCount())] == [
        "Harm reached a patient",
        "Serious",
    ]
    row = [panel.tools.item(0, c).text() for c in range(panel.tools.columnCount())]
    assert row[1:8] == ["ChestScan", "3", "2", "1", "90", "15", "17%"]
    screen.close()
