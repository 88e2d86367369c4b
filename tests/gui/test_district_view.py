"""The district hub screen with real widgets: tables, filters, sorting, facility detail, exports,
conflicts decided with "Version n stands". Screens are saved at 1366x768 in test-output/district/."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

sys.path.append(
    str(Path(__file__).resolve().parents[1] / "district")
)  # for hub_builder; appended so conftest stays ours
from hub_builder import build_hub, import_conflict

from guidecheck.gui.hub.district_models import O_CODE, O_SCORE, O_VERDICT
from guidecheck.gui.hub.district_view import DistrictHub, open_district_view

SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "district"


@pytest.fixture
def built(tmp_path):
    hub = build_hub(tmp_path)
    shared = import_conflict(tmp_path, hub)
    hub.store.close()
    return hub, shared


@pytest.fixture
def screen(qtbot, built):
    hub, _shared = built
    widget = open_district_view(None, hub.home)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    with qtbot.waitSignal(widget.loaded, timeout=15_000):
        widget.show()
    yield widget
    widget.close()


def shot(widget, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(SHOTS / f"{name}.png"))


def codes(widget: DistrictHub) -> list[str]:
    proxy = widget.overview_proxy
    return [proxy.index(r, O_CODE).data() for r in range(proxy.rowCount())]


def test_overview_filters_and_sorting_like_a_user(qtbot, screen):
    assert "4 of 4 facilities assessed" in screen.status.text()
    assert sorted(codes(screen)) == ["A01", "A01", "B01", "C01", "K01"]
    shot(screen, "overview")
    screen.verdict_filter.setCurrentIndex(screen.verdict_filter.findData("not_ready"))
    assert sorted(codes(screen)) == ["B01", "C01"]  # K01 is ready in either version
    screen.verdict_filter.setCurrentIndex(0)
    screen.district_filter.setCurrentIndex(screen.district_filter.findData("South"))
    assert (
        codes(screen) == ["B01"] and screen.shown_label.text() == "1 of 5 facility AI tools shown"
    )
    screen.district_filter.setCurrentIndex(0)
    qtbot.keyClicks(screen.date_from, "2026-01-01")
    screen.date_from.editingFinished.emit()
    assert sorted(codes(screen)) == ["A01", "B01", "K01"]
    screen.date_from.setText("not a date")
    screen.date_from.editingFinished.emit()
    assert "border" in screen.date_from.styleSheet() and len(codes(screen)) == 5  # ignored, marked
    screen.date_from.clear()
    screen.date_from.editingFinished.emit()
    header = screen.overview_view.horizontalHeader()
    x = header.sectionViewportPosition(O_SCORE) + header.sectionSize(O_SCORE) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )
    scores = [
        screen.overview_proxy.index(r, O_SCORE).data(screen.overview_proxy.sortRole())
        for r in range(5)
    ]
    assert scores == sorted(scores) or scores == sorted(scores, reverse=True)
    assert screen.overview_proxy.index(0, O_VERDICT).data() in ("Never assessed", "✔ Ready")


def test_heat_map_gaps_and_facility_trend(qtbot, screen):
    screen.tabs.setCurrentIndex(1)
    model = screen.heat_model
    assert model.rowCount() == 4 and model.index(1, 2).data() == "0% ✖"
    shot(screen, "heatmap")
    screen.tabs.setCurrentIndex(2)
    assert screen.gaps_model.index(0, 0).data() == "Are staff trained on the tool?"
    shot(screen, "gaps")
    screen.tabs.setCurrentIndex(0)
    row = next(r for r in range(screen.overview_proxy.rowCount()) if screen.overview_proxy.index(r, O_CODE).data() == "A01"
               and screen.overview_proxy.index(r, O_SCORE).data() != "–")  # fmt: skip
    index = screen.overview_proxy.index(row, 0)
    rect = screen.overview_view.visualRect(index)
    qtbot.mouseClick(screen.overview_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(screen.facility.detail_loaded, timeout=10_000) as blocker:
        qtbot.mouseDClick(
            screen.overview_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
        )
    assert blocker.args == ["A01"] and screen.tabs.currentWidget() is screen.facility
    trend = screen.facility.model
    assert [trend.index(r, 4).data() for r in range(trend.rowCount())] == ["–", "+16.7"]
    assert (
        "2 assessment rounds" in screen.facility.trend_text.text()
        and "+16.7 points" in screen.facility.trend_text.text()
    )
    shot(screen, "facility")


def test_exports_and_facility_report_through_patched_file_dialogs(
    qtbot, screen, tmp_path, monkeypatch
):
    target = tmp_path / "out.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(screen.export_finished, timeout=20_000):
        screen.xlsx_button.click()
    assert load_workbook(target).sheetnames[0] == "Latest assessments"
    pdf = tmp_path / "out.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))
    with qtbot.waitSignal(screen.export_finished, timeout=20_000):
        screen.pdf_button.click()
    assert pdf.read_bytes().startswith(b"%PDF")
    with qtbot.waitSignal(screen.facility.detail_loaded, timeout=10_000):
        screen.open_facility("B01")
    screen.facility.view.selectRow(0)
    report = tmp_path / "b01.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(report), ""))
    with qtbot.waitSignal(screen.facility.report_saved, timeout=20_000):
        screen.facility.report_button.click()
    assert report.read_bytes().startswith(b"%PDF")


def test_red_flags_in_a_conflict_name_the_questions(qtbot):
    """A red flag reads "1.2 Question" like the walk-through, not the checklist's item id."""
    from guidecheck.district.conflicts import ConflictGroup, Option
    from guidecheck.gui.hub.district_models import ConflictCompareModel

    def option(current: bool, flags: tuple[str, ...]) -> Option:
        return Option("a", "sha", current, "final", "2026-05-02T10:11:12.123456+00:00", "dev",
                      "Nurse", "2026-05-02", 50.0, "not_ready", flags,
                      {"eth_patient_informed": ("no", "")}, {}, {"eth_patient_informed": "3.2"})  # fmt: skip

    group = ConflictGroup("l", 1, "K01", "Clinic K", "ChestScan",
                          (option(True, ("eth_patient_informed",)), option(False, ())),
                          {"eth_patient_informed": "Are patients told an AI tool is used?"})  # fmt: skip
    model = ConflictCompareModel()
    model.set_group(group)
    rows = {model.headerData(r, Qt.Orientation.Vertical): r for r in range(model.rowCount())}
    flags = model.index(rows["Red flags"], 0)
    assert flags.data() == "3.2 Are patients told an AI tool is used?"
    assert "eth_patient_informed" in flags.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(rows["Red flags"], 1).data() == "–"
    assert "3.2 Are patients told an AI tool is used?" in rows
    changed = model.index(rows["Last changed"], 0)
    assert changed.data() == "2026-05-02 10:11"
    assert changed.data(Qt.ItemDataRole.ToolTipRole) == "2026-05-02T10:11:12.123456+00:00"


def test_conflict_side_by_side_and_this_one_stands(qtbot, screen, built, monkeypatch):
    hub, shared = built
    screen.tabs.setCurrentWidget(screen.conflicts)
    assert screen.tabs.tabText(4) == "Conflicts (1)"
    model = screen.conflicts.model
    assert model.columnCount() == 2 and len(screen.conflicts.stand_buttons) == 2
    rows = {model.headerData(r, Qt.Orientation.Vertical): r for r in range(model.rowCount())}
    # questions read as the walk-through numbered them; the item id only in the tooltip
    assert "1.2 Are staff trained on the tool?" in rows
    assert not [name for name in rows if "(c" in name]
    trained = rows["1.2 Are staff trained on the tool?"]
    assert "(c2)" in model.headerData(trained, Qt.Orientation.Vertical, Qt.ItemDataRole.ToolTipRole)
    versions = [model.index(rows["1.2 Are staff trained on the tool?"], c).data() for c in range(2)]
    assert sorted(versions) == ["no", "yes"]
    assert (
        model.index(rows["1.2 Are staff trained on the tool?"], 0).data(
            Qt.ItemDataRole.BackgroundRole
        )
        is not None
    )  # differences tinted
    assert (
        model.index(rows["1.1 Does a clinician review every output?"], 0).data(
            Qt.ItemDataRole.BackgroundRole
        )
        is None
    )
    # the "Last changed" time is whole in its cell, not cut off
    view = screen.conflicts.view
    changed = rows["Last changed"]
    for column in range(2):
        text = model.index(changed, column).data()
        assert len(text) == len("2026-05-02 10:11"), text
        needed = view.fontMetrics().horizontalAdvance(text)
        assert view.visualRect(model.index(changed, column)).width() > needed, column
    shot(screen, "conflicts")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    screen.conflicts.stand_buttons[1].click()
    qtbot.wait(50)
    assert screen.tabs.tabText(4) == "Conflicts (1)"  # said no: nothing changed
    keep = versions[1]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(screen.loaded, timeout=15_000):
        with qtbot.waitSignal(screen.conflict_resolved, timeout=10_000):
            screen.conflicts.stand_buttons[1].click()
    assert screen.tabs.tabText(4) == "Conflicts" and screen.conflicts.model.rowCount() == 0
    from guidecheck.paths import database_path
    from guidecheck.storage.store import Store

    with Store(database_path(hub.home)) as store:
        # the two laptops' revisions 2 of one lineage: the chosen one stands, the other superseded
        (standing,) = store.conn.execute(
            "SELECT id FROM assessments WHERE revision = 2 AND superseded = 0 AND lineage_id ="
            " (SELECT lineage_id FROM assessments WHERE id = ?)",
            (shared,),
        ).fetchone()
        assert store.answers(standing)["c2"].value == keep
        assert not store.get_assessment(standing).conflict
        assert store.audit_entries()[-1].action == "resolve_conflict"


def test_interval_setting_saves_and_reloads(qtbot, screen):
    screen.months.setValue(6)
    with qtbot.waitSignal(screen.loaded, timeout=10_000):
        screen.months.editingFinished.emit()
    assert screen.data.summary.reassess_months == 6
