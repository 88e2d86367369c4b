"""Facility detail: each AI tool's assessment history with the change of every score between rounds.

A history point is one lineage's standing final revision (a correction replaces its round, it is
not a new round), in date order; the change is measured against the point before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from guidecheck.district.records import Record, domain_columns, score_records, standing_records

if TYPE_CHECKING:
    from guidecheck.storage.store import Store


@dataclass(frozen=True)
class TrendPoint:
    record: Record
    domains: tuple[float | None, ...]  # aligned with FacilityDetail.domains
    overall_change: (
        float | None
    )  # against the previous point; None for the first or a missing score
    domain_changes: tuple[float | None, ...]
    red_flags: tuple[str, ...]


@dataclass(frozen=True)
class ToolHistory:
    tool_id: str
    tool_label: str
    use_category: str
    points: tuple[TrendPoint, ...]  # oldest first

    @property
    def latest(self) -> TrendPoint:
        return self.points[-1]


@dataclass(frozen=True)
class FacilityDetail:
    code: str
    name: str
    district: str
    region: str
    domains: tuple[tuple[str, str], ...]
    tools: tuple[ToolHistory, ...]


def _change(new: float | None, old: float | None) -> float | None:
    return None if new is None or old is None else round(new - old, 1)


def facility_detail(store: Store, code: str, records: list[Record] | None = None) -> FacilityDetail:
    """The history of every AI tool at one facility (final assessments only)."""
    from guidecheck.errors import NotFound
    from guidecheck.i18n import _

    row = store.conn.execute(
        "SELECT code, name, district, region FROM facilities WHERE code = ?", (code,)
    ).fetchone()
    if row is None:
        raise NotFound(
            _("There is no facility with code {code} in this database.").format(code=code)
        )
    mine = [
        r
        for r in (records if records is not None else standing_records(store.conn))
        if r.facility_code == code
    ]
    domains = tuple(domain_columns(store, mine))
    per_tool: dict[str, list[TrendPoint]] = {}
    previous: dict[str, TrendPoint] = {}
    for scored in score_records(store, mine):  # records arrive oldest first
        record = scored.record
        values = tuple(scored.domains.get(d) for d, _t in domains)
        before = previous.get(record.tool_id)
        point = TrendPoint(
            record, values,
            _change(record.overall, before.record.overall) if before else None,
            tuple(_change(v, before.domains[i]) if before else None for i, v in enumerate(values)),
            scored.red_flags,
        )  # fmt: skip
        per_tool.setdefault(record.tool_id, []).append(point)
        previous[record.tool_id] = point
    tools = tuple(
        ToolHistory(
            tool_id, points[-1].record.tool_label, points[-1].record.use_category, tuple(points)
        )
        for tool_id, points in sorted(
            per_tool.items(), key=lambda kv: kv[1][-1].record.tool_label.casefold()
        )
    )
    return FacilityDetail(row[0], row[1], row[2], row[3], domains, tools)
