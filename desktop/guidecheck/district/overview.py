"""The overview: one row per facility × AI tool with its latest final assessment and due date.

Facilities and tools known to the hub but never assessed (only drafts arrived) still get a row, with
no verdict and "due" set, because an unassessed tool in use is exactly what the officer must see.
One query and no scoring, so it opens in well under a second at 2,000 assessments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from guidecheck.district.records import (
    Record,
    latest_records,
    parse_date,
    split_by_level,
    standing_records,
)
from guidecheck.district.settings import reassess_months

if TYPE_CHECKING:
    from guidecheck.storage.store import Store


@dataclass(frozen=True)
class OverviewRow:
    facility_code: str
    facility_name: str
    district: str
    region: str
    tool_id: str
    tool_name: str
    tool_version: str
    use_category: str
    assessment_id: str  # "" when never assessed
    date: str  # "" when never assessed
    verdict: str  # "" when never assessed
    overall: float | None
    red_flag_count: int
    due_date: str  # "" when never assessed (due now)
    due: bool
    conflict: bool = False

    @property
    def assessed(self) -> bool:
        return bool(self.assessment_id)


@dataclass(frozen=True)
class OverviewFilter:
    """Empty strings mean "any"; dates are ISO text and bound the latest assessment date."""

    district: str = ""
    tool: str = ""
    use_category: str = ""
    verdict: str = ""
    date_from: str = ""
    date_to: str = ""
    due_only: bool = False

    def accepts(self, row: OverviewRow) -> bool:
        if self.district and row.district != self.district:
            return False
        if self.tool and row.tool_name != self.tool:
            return False
        if self.use_category and row.use_category != self.use_category:
            return False
        if self.verdict and row.verdict != self.verdict:
            return False
        if self.date_from and (not row.date or row.date < self.date_from):
            return False
        if self.date_to and (not row.date or row.date > self.date_to):
            return False
        return not (self.due_only and not row.due)


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def build_overview(store: Store, records: list[Record] | None = None, today: dt.date | None = None,
                   months: int | None = None) -> list[OverviewRow]:  # fmt: skip
    """Overview rows, assessed ones first by facility name, then tools never assessed."""
    today = today or dt.date.today()
    months = months or reassess_months(store)
    if records is None:
        records = standing_records(store.conn)
    records, team_records = split_by_level(store, records)  # district-level ones: reported apart
    rows = [_row(record, today, months) for record in latest_records(records)]
    seen = {(row.facility_code, row.tool_id) for row in rows}
    seen |= {(record.facility_code, record.tool_id) for record in team_records}
    for code, name, district, region, tool_id, tool, version, category in store.conn.execute(
        "SELECT f.code, f.name, f.district, f.region, t.id, t.name, t.version, t.use_category"
        " FROM tools t JOIN facilities f ON f.code = t.facility_code ORDER BY f.name, t.name"
    ):
        if (code, tool_id) not in seen:
            rows.append(OverviewRow(code, name, district, region, tool_id, tool, version, category,
                                    "", "", "", None, 0, "", True))  # fmt: skip
    return rows


def _row(record: Record, today: dt.date, months: int) -> OverviewRow:
    day = parse_date(record.date)
    due_on = add_months(day, months) if day else None
    return OverviewRow(
        record.facility_code, record.facility_name, record.district, record.region, record.tool_id,
        record.tool_name, record.tool_version, record.use_category, record.id, record.date, record.verdict,
        record.overall, record.red_flag_count, due_on.isoformat() if due_on else "",
        due_on is None or due_on <= today, record.conflict,
    )  # fmt: skip


def filter_rows(rows: Iterable[OverviewRow], how: OverviewFilter) -> list[OverviewRow]:
    return [row for row in rows if how.accepts(row)]


def choices(rows: Iterable[OverviewRow]) -> dict[str, list[str]]:
    """Distinct districts, tools and use categories, for the filter drop-downs."""
    rows = list(rows)
    return {
        "district": sorted({r.district for r in rows if r.district}),
        "tool": sorted({r.tool_name for r in rows if r.tool_name}),
        "use_category": sorted({r.use_category for r in rows if r.use_category}),
    }
