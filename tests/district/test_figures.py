"""Overview, heat map, gaps, trend and summary of the three-clinic hub, against hand-worked figures."""

from __future__ import annotations

import pytest
from hub_builder import TODAY

from guidecheck.district.gaps import common_gaps
from guidecheck.district.heatmap import build_heatmap
from guidecheck.district.overview import (
    OverviewFilter,
    add_months,
    build_overview,
    choices,
    filter_rows,
)
from guidecheck.district.records import latest_records, score_records, standing_records
from guidecheck.district.settings import reassess_months, set_reassess_months
from guidecheck.district.summary import build_summary
from guidecheck.district.trends import facility_detail
from guidecheck.errors import NotFound, UserError


def test_standing_records_keep_final_latest_revision_per_lineage_and_no_drafts(hub):
    records = standing_records(hub.store.conn)
    # A round 1, C, B, A round 2 revision 2 (by date); revision 1 of round 2 and the draft are left out.
    assert [r.id for r in records] == [hub.ids["c"], hub.ids["a1"], hub.ids["b"], hub.ids["a2"]]
    assert {r.id for r in latest_records(records)} == {hub.ids["c"], hub.ids["b"], hub.ids["a2"]}
    assert [r.id for r in standing_records(hub.store.conn, since="2026-01-01")] == [
        hub.ids["b"],
        hub.ids["a2"],
    ]


def test_overview_rows_due_dates_and_never_assessed_tools(hub):
    rows = build_overview(hub.store, today=TODAY)
    table = [
        (
            r.facility_code,
            r.tool_name,
            r.date,
            r.verdict,
            r.overall,
            r.red_flag_count,
            r.due_date,
            r.due,
        )
        for r in rows
    ]
    assert table == [
        ("A01", "ChestScan", "2026-06-01", "ready", 91.7, 0, "2027-06-01", False),
        ("B01", "ReadMyXray", "2026-03-01", "not_ready", 25.0, 1, "2027-03-01", False),
        ("C01", "TriageBot", "2024-09-01", "not_ready", 50.0, 1, "2025-09-01", True),
        ("A01", "TriageBot", "", "", None, 0, "", True),  # only a draft arrived
    ]
    assert (
        rows[0].district == "North"
        and rows[0].region == "Lake"
        and rows[0].use_category == "diagnostic_imaging"
    )


def test_overview_filters(hub):
    rows = build_overview(hub.store, today=TODAY)

    def pick(**kw):
        return [(r.facility_code, r.tool_name) for r in filter_rows(rows, OverviewFilter(**kw))]

    assert pick(district="North") == [
        ("A01", "ChestScan"),
        ("C01", "TriageBot"),
        ("A01", "TriageBot"),
    ]
    assert pick(tool="TriageBot") == [("C01", "TriageBot"), ("A01", "TriageBot")]
    assert pick(use_category="diagnostic_imaging") == [("A01", "ChestScan"), ("B01", "ReadMyXray")]
    assert pick(verdict="not_ready") == [("B01", "ReadMyXray"), ("C01", "TriageBot")]
    assert pick(date_from="2026-01-01", date_to="2026-05-31") == [("B01", "ReadMyXray")]
    assert pick(due_only=True) == [("C01", "TriageBot"), ("A01", "TriageBot")]
    assert choices(rows) == {"district": ["North", "South"], "tool": ["ChestScan", "ReadMyXray", "TriageBot"],
                             "use_category": ["diagnostic_imaging", "patient_triage"]}  # fmt: skip


def test_reassessment_interval_setting_changes_due(hub):
    assert reassess_months(hub.store) == 12
    set_reassess_months(hub.store, 6)
    assert reassess_months(hub.store) == 6
    rows = build_overview(hub.store, today=TODAY)
    assert [(r.tool_name, r.due_date, r.due) for r in rows[:2]] == [
        ("ChestScan", "2026-12-01", False),
        ("ReadMyXray", "2026-09-01", True),
    ]
    assert hub.store.audit_entries()[-1].entity_id == "district.reassess_months"
    with pytest.raises(UserError):
        set_reassess_months(hub.store, 0)
    assert reassess_months(hub.store) == 6


def test_add_months_clamps_to_month_end():
    import datetime as dt

    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2026, 11, 30), 14) == dt.date(2028, 1, 30)


def test_heat_map_cells_and_domain_averages(hub):
    heat = build_heatmap(hub.store, standing_records(hub.store.conn))
    assert heat.domains == (("care", "Clinical care"), ("data", "Data protection"))
    # A: care (2+1+0.5)/4, data 2/2; B: care 0/4, data 1.5/2; C (c3 hidden): care 2.5/3, data 0/2.
    assert [(r.record.facility_code, r.cells) for r in heat.rows] == [
        ("A01", (87.5, 100.0)),
        ("B01", (0.0, 75.0)),
        ("C01", (83.3, 0.0)),
    ]
    assert heat.domain_averages() == [56.9, 58.3]
    assert [heat.band(v) for v in (87.5, 75.0, 0.0, None)] == ["good", "fair", "low", ""]


def test_most_common_gaps_counted_by_facility(hub):
    scored = list(score_records(hub.store, latest_records(standing_records(hub.store.conn))))
    gaps = common_gaps(hub.store, scored)
    table = [
        (g.item_id, g.facilities_missing, g.facilities_asked, g.not_met, g.partly, g.critical)
        for g in gaps
    ]
    assert table == [
        ("c2", 2, 3, 1, 1, False),  # B no, C partly
        ("c3", 2, 2, 1, 1, False),  # A partly, B no; hidden for C's triage tool
        ("d1", 2, 3, 1, 1, False),  # B partly, C no
        ("c1", 1, 3, 1, 0, True),  # B no
        ("d2", 1, 3, 1, 0, True),  # C don't know
    ]
    assert gaps[1].share == 100.0 and gaps[0].share == 66.7
    assert (
        gaps[0].question == "Are staff trained on the tool?"
        and gaps[0].domain_title == "Clinical care"
    )
    assert [g.item_id for g in common_gaps(hub.store, scored, limit=2)] == ["c2", "c3"]


def test_facility_trend_between_rounds(hub):
    detail = facility_detail(hub.store, "A01")
    assert (detail.name, detail.district) == ("Clinic A", "North")
    assert [t.tool_label for t in detail.tools] == [
        "ChestScan 1.0"
    ]  # the draft-only tool has no history
    points = detail.tools[0].points
    assert [p.record.id for p in points] == [hub.ids["a1"], hub.ids["a2"]]
    assert [(p.record.overall, p.domains) for p in points] == [
        (75.0, (62.5, 100.0)),
        (91.7, (87.5, 100.0)),
    ]
    assert points[0].overall_change is None and points[0].domain_changes == (None, None)
    assert points[1].overall_change == 16.7 and points[1].domain_changes == (25.0, 0.0)
    assert points[1].record.revision == 2
    with pytest.raises(NotFound):
        facility_detail(hub.store, "ZZZ")


def test_summary_figures(hub):
    summary = build_summary(hub.store, today=TODAY)
    data = summary.as_json()
    assert data["coverage"] == {"facilities_known": 3, "facilities_assessed": 3, "facilities_overdue": 2,
                                "tools_known": 4, "tools_assessed": 3, "tools_overdue": 2, "assessments": 4}  # fmt: skip
    assert data["verdicts"] == {"ready": 1, "ready_with_conditions": 0, "not_ready": 2}
    assert [(d["domain"], d["average"]) for d in data["domain_averages"]] == [
        ("care", 56.9),
        ("data", 58.3),
    ]
    assert [
        (a["facility"], a["tool"], a["red_flags"], a["reasons"]) for a in data["attention"]
    ] == [
        ("B01", "ReadMyXray", ["c1"], ["not_ready", "red_flags"]),
        ("C01", "TriageBot", ["d2"], ["not_ready", "red_flags", "overdue"]),
        ("A01", "TriageBot", [], ["never_assessed"]),
    ]
    assert data["conflicts"] == 0
    since = build_summary(hub.store, since="2025-01-01", today=TODAY).as_json()
    assert since["coverage"]["assessments"] == 3 and since["coverage"]["facilities_assessed"] == 2
    assert ("C01", ["not_assessed_since"]) in [
        (a["facility"], a["reasons"]) for a in since["attention"]
    ]
