"""The home list's table model, tested without widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt

from guidecheck.gui.assessment.home_model import (
    COL_FACILITY,
    COL_SCORE,
    COL_STATUS,
    COL_VERDICT,
    COLUMN_COUNT,
    SORT_ROLE,
    SUMMARY_ROLE,
    VERDICT_ROLE,
    AssessmentFilterModel,
    AssessmentTableModel,
)
from guidecheck.storage.database import AssessmentSummary


def summary(n: int, **changes) -> AssessmentSummary:
    data = dict(
        id=f"id{n}",
        lineage_id=f"id{n}",
        revision=1,
        status="draft",
        facility_code=f"F{n}",
        facility_name=f"Clinic {n}",
        tool_name="ChestScan",
        date=f"2025-01-{n + 1:02d}",
        overall=None,
        verdict="not_ready",
        red_flag_count=0,
        answered=0,
        shown=10,
        updated_at=f"2025-01-{n + 1:02d}T00:00:00Z",
        questionnaire_id="q",
        questionnaire_version="1",
    )
    data.update(changes)
    return AssessmentSummary(**data)


def test_columns_display_and_roles(qapp):
    model = AssessmentTableModel()
    rows = [
        summary(0, status="final", overall=85.0, verdict="ready", answered=10),
        summary(1, answered=4, overall=55.5, verdict="ready_with_conditions", revision=2),
        summary(2),
    ]
    model.set_rows(rows)
    assert model.rowCount() == 3 and model.columnCount() == COLUMN_COUNT
    assert model.headerData(COL_VERDICT, Qt.Orientation.Horizontal) == "Verdict"
    assert model.index(0, COL_FACILITY).data() == "Clinic 0"
    assert model.index(0, COL_STATUS).data() == "Final"
    assert model.index(1, COL_STATUS).data() == "Draft 4/10 · rev. 2"
    assert (
        model.index(1, COL_STATUS).data(Qt.ItemDataRole.ToolTipRole)
        == "Draft: 4 of 10 questions answered · revision 2"
    )
    assert model.index(0, COL_SCORE).data() == "85%"
    assert model.index(2, COL_SCORE).data() == "–"
    # the verdict says itself in words; colour is only a help
    assert model.index(0, COL_VERDICT).data() == "✔ Ready"
    assert model.index(1, COL_VERDICT).data() == "▲ Ready with conditions (so far)"
    assert model.index(2, COL_VERDICT).data() == "– Not scored yet"
    assert model.index(2, COL_VERDICT).data(VERDICT_ROLE) == ""
    assert model.index(1, 0).data(SUMMARY_ROLE).id == "id1"
    assert model.index(2, COL_SCORE).data(SORT_ROLE) == -1.0


def test_sort_by_score_and_search_filters_every_column(qapp):
    model = AssessmentTableModel()
    model.set_rows(
        [summary(0, overall=40.0), summary(1, overall=90.0), summary(2, tool_name="TriageMate")]
    )
    proxy = AssessmentFilterModel()
    proxy.setSourceModel(model)
    proxy.sort(COL_SCORE, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, 0).data() for r in range(3)] == ["Clinic 1", "Clinic 0", "Clinic 2"]
    proxy.setFilterFixedString("triage")
    assert proxy.rowCount() == 1 and proxy.index(0, 0).data() == "Clinic 2"
    proxy.setFilterFixedString("CLINIC 0")
    assert proxy.rowCount() == 1
    assert model.row_of("id2") == 2 and model.row_of("nope") == -1
