"""The district table models, tested without widgets on the three-clinic hub (tests/district)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

sys.path.append(
    str(Path(__file__).resolve().parents[1] / "district")
)  # for hub_builder; appended so conftest stays ours
from hub_builder import TODAY, build_hub

from guidecheck.district.overview import OverviewFilter
from guidecheck.district.summary import build_summary
from guidecheck.district.trends import facility_detail
from guidecheck.gui.hub import district_models as m

DISPLAY = Qt.ItemDataRole.DisplayRole


@pytest.fixture
def district(tmp_path):
    hub = build_hub(tmp_path)
    yield hub, build_summary(hub.store, today=TODAY)
    hub.store.close()


def cells(model, role=DISPLAY, rows=None):
    rows = range(model.rowCount()) if rows is None else rows
    return [[model.index(r, c).data(role) for c in range(model.columnCount())] for r in rows]


def test_overview_model_display_sort_and_colours(district):
    _hub, summary = district
    model = m.OverviewModel()
    model.set_rows(summary.overview)
    assert model.rowCount() == 4 and model.columnCount() == 11
    assert model.headerData(m.O_DUE, Qt.Orientation.Horizontal) == "Re-assessment"
    assert cells(model, rows=[0])[0] == ["Clinic A", "A01", "North", "Lake", "ChestScan 1.0", "Diagnostic imaging",
                                         "2026-06-01", "✔ Ready", "91.7%", "0", "Due 2027-06-01"]  # fmt: skip
    assert cells(model, rows=[2])[0][m.O_DUE] == "Due since 2025-09-01"
    assert cells(model, rows=[3])[0][m.O_VERDICT :] == ["Never assessed", "–", "–", "Due now"]
    assert model.index(1, m.O_VERDICT).data(Qt.ItemDataRole.BackgroundRole) == QColor("#f6c9c4")
    assert (
        model.index(0, m.O_SCORE).data(m.SORT_ROLE) == 91.7
        and model.index(3, m.O_SCORE).data(m.SORT_ROLE) == -1.0
    )

    proxy = m.OverviewFilterModel()
    proxy.setSourceModel(model)
    proxy.sort(m.O_SCORE, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, m.O_CODE).data() for r in range(4)] == ["A01", "C01", "B01", "A01"]
    proxy.sort(m.O_FACILITY, Qt.SortOrder.AscendingOrder)
    proxy.set_filter(OverviewFilter(verdict="not_ready"))
    assert [proxy.index(r, m.O_CODE).data() for r in range(proxy.rowCount())] == ["B01", "C01"]
    proxy.set_filter(OverviewFilter(district="North", due_only=True))
    assert [proxy.index(r, m.O_TOOL).data() for r in range(proxy.rowCount())] == [
        "TriageBot 1.0",
        "TriageBot 1.0",
    ]


def test_heat_map_model_cells_carry_symbol_colour_and_words(district):
    _hub, summary = district
    model = m.HeatMapModel()
    model.set_heatmap(summary.heatmap)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "Facility",
        "AI tool",
        "Clinical care",
        "Data protection",
    ]
    assert cells(model) == [["Clinic A", "ChestScan 1.0", "87.5% ✔", "100% ✔"],
                            ["Clinic B", "ReadMyXray 1.0", "0% ✖", "75% ▲"],
                            ["Clinic C", "TriageBot 1.0", "83.3% ✔", "0% ✖"]]  # fmt: skip
    assert model.index(1, 2).data(m.BAND_ROLE) == "low"
    assert model.index(1, 2).data(Qt.ItemDataRole.BackgroundRole) == QColor(
        m.BAND_COLOURS["low"][0]
    )
    assert (
        model.index(1, 3).data(Qt.ItemDataRole.ToolTipRole)
        == "Clinic B · Data protection: 75% (fair)"
    )


def test_gaps_and_trend_models(district):
    hub, summary = district
    gaps = m.GapsModel()
    gaps.set_gaps(summary.gaps)
    assert cells(gaps, rows=[0, 3]) == [["Are staff trained on the tool?", "Clinical care", "2 / 3", "66.7%", "1", "1"],
                                        ["Does a clinician review every output?  (critical)", "Clinical care", "1 / 3", "33.3%", "1", "0"]]  # fmt: skip
    detail = facility_detail(hub.store, "A01")
    trend = m.TrendModel()
    trend.set_history(detail.tools[0], detail.domains)
    assert trend.headerData(5, Qt.Orientation.Horizontal) == "Clinical care"
    assert cells(trend) == [["2025-01-10", "1", "▲ Ready with conditions", "75%", "–", "62.5%", "100%"],
                            ["2026-06-01", "2", "✔ Ready", "91.7%", "+16.7", "87.5% (+25)", "100% (+0)"]]  # fmt: skip
    trend.set_history(None, ())
    assert (
        trend.rowCount() == 0
        and trend.rowCount(trend.index(0, 0)) == 0
        and not trend.index(0, 0).isValid()
    )
    assert trend.data(QModelIndex()) is None
