"""The monitoring log at the district: events per facility and tool, override rates, serious
events first. Computed once for the district view, workbook and PDF (no Qt, no report library)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from guidecheck.monitoring.model import KINDS, Observation, Tally
from guidecheck.monitoring.store import observations, tallies


@dataclass(frozen=True)
class ToolMonitoring:
    """One facility's AI tool: how much was logged about it and how often it was overruled."""

    facility_code: str
    facility_name: str
    tool_id: str
    tool_name: str
    events: int
    serious: int  # serious events, harm included
    harm: int
    by_kind: dict[str, int]
    times_used: int
    times_overridden: int
    last_event: str

    @property
    def override_rate(self) -> float | None:
        return self.times_overridden / self.times_used if self.times_used else None


@dataclass(frozen=True)
class DistrictMonitoring:
    rows: tuple[ToolMonitoring, ...] = ()  # tools with harm or serious events first
    serious_events: tuple[Observation, ...] = ()  # harm first, then serious; newest first
    events: tuple[Observation, ...] = ()
    tallies: tuple[Tally, ...] = ()
    facility_names: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.events and not self.tallies


def district_monitoring(conn: sqlite3.Connection, since: str | None = None) -> DistrictMonitoring:
    """Everything logged (events dated from `since`, tallies of its month on), summed per tool."""
    names = dict(conn.execute("SELECT code, name FROM facilities"))
    start = since[:10] if since else None
    events = [e for e in observations(conn) if start is None or e.date >= start]
    months = [t for t in tallies(conn) if start is None or t.month >= start[:7]]
    keys = sorted({(e.facility_code, e.tool_id, e.tool_name) for e in events}
                  | {(t.facility_code, t.tool_id, t.tool_name) for t in months})  # fmt: skip
    rows = []
    for code, tool_id, tool_name in keys:
        mine = [e for e in events if e.tool_id == tool_id]
        counted = [t for t in months if t.tool_id == tool_id]
        rows.append(
            ToolMonitoring(
                facility_code=code,
                facility_name=names.get(code, code),
                tool_id=tool_id,
                tool_name=tool_name,
                events=len(mine),
                serious=sum(e.is_serious for e in mine),
                harm=sum(e.severity == "harm" for e in mine),
                by_kind={k: sum(e.kind == k for e in mine) for k in KINDS},
                times_used=sum(t.times_used for t in counted),
                times_overridden=sum(t.times_overridden for t in counted),
                last_event=max((e.date for e in mine), default=""),
            )
        )
    rows.sort(
        key=lambda r: (-r.harm, -r.serious, -(r.override_rate or 0), r.facility_name, r.tool_name)
    )
    serious = sorted((e for e in events if e.is_serious), key=lambda e: e.severity != "harm")
    return DistrictMonitoring(tuple(rows), tuple(serious), tuple(events), tuple(months), names)
