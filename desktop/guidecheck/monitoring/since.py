"""What was logged for a facility's AI tool since its last final assessment: what the next
assessment's monitoring part, its review list and the clinic PDF show.

"Since" means logged after the previous final assessment of the same tool at the same facility was
signed off (any version of the tool, matched by name); for a final assessment, up to its own
sign-off. Serious or harmful events are listed for review; they never change the verdict, which
stays a function of the answers.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from guidecheck.monitoring.model import KINDS, SEVERITIES, Observation, Tally
from guidecheck.monitoring.store import EVENT_COLUMNS


@dataclass(frozen=True)
class MonitoringSince:
    """The monitoring log of one tool between two assessments."""

    facility_code: str
    tool_name: str
    since: str | None  # sign-off time of the previous final assessment; None = from the start
    until: str | None  # this assessment's sign-off time when it is final
    events: tuple[Observation, ...]
    tallies: tuple[Tally, ...]

    @property
    def empty(self) -> bool:
        return not self.events and not self.tallies

    @property
    def serious(self) -> tuple[Observation, ...]:
        """Serious events and harm: harm first, then newest first (events are newest first)."""
        return tuple(
            sorted((e for e in self.events if e.is_serious), key=lambda e: e.severity != "harm")
        )

    def by_kind(self) -> dict[str, int]:
        return {k: sum(e.kind == k for e in self.events) for k in KINDS}

    def by_severity(self) -> dict[str, int]:
        return {s: sum(e.severity == s for e in self.events) for s in SEVERITIES}

    def override_trend(self) -> list[tuple[str, int, int, float | None]]:
        """(month, times used, times overruled, override rate) per month, oldest first."""
        return [(t.month, t.times_used, t.times_overridden, t.override_rate) for t in self.tallies]

    def overall_override_rate(self) -> float | None:
        used = sum(t.times_used for t in self.tallies)
        return sum(t.times_overridden for t in self.tallies) / used if used else None


def since_last_assessment(conn: sqlite3.Connection, assessment: Any) -> MonitoringSince:
    """The log of this assessment's tool since the previous final assessment of it."""
    profile = assessment.profile
    previous = conn.execute(
        "SELECT MAX(a.finalized_at) FROM assessments a JOIN tools t ON t.id = a.tool_id"
        " WHERE a.status = 'final' AND a.superseded = 0 AND a.facility_code = ?"
        " AND lower(t.name) = lower(?) AND a.lineage_id != ? AND a.finalized_at < ?",
        (
            assessment.facility_code,
            profile.tool_name.strip(),
            assessment.lineage_id,
            assessment.finalized_at or assessment.created_at,
        ),
    ).fetchone()[0]
    until = assessment.finalized_at if assessment.is_final else None
    return log_between(conn, assessment.facility_code, profile.tool_name, previous, until)


def log_between(
    conn: sqlite3.Connection,
    facility_code: str,
    tool_name: str,
    since: str | None,
    until: str | None,
) -> MonitoringSince:
    """Events logged in [since, until) and tallies of the months from since's month to until's."""
    where = "e.facility_code = ? AND lower(t.name) = lower(?)"
    params: list[Any] = [facility_code, tool_name.strip()]
    if since is not None:
        where += " AND e.created_at >= ?"  # the same millisecond as the sign-off counts as after
        params.append(since)
    if until is not None:  # exclusive: an event in the sign-off's millisecond belongs to the next
        where += " AND e.created_at < ?"
        params.append(until)
    columns = ", ".join(f"e.{c}" for c in EVENT_COLUMNS)
    rows = conn.execute(
        f"SELECT {columns}, t.name FROM monitoring_events e JOIN tools t ON t.id = e.tool_id"
        f" WHERE {where} ORDER BY e.date DESC, e.created_at DESC, e.id",
        params,
    )
    events = tuple(
        Observation(**dict(zip(EVENT_COLUMNS, r[:-1], strict=True)), tool_name=r[-1]) for r in rows
    )
    tally_where = "m.facility_code = ? AND lower(t.name) = lower(?)"
    tally_params: list[Any] = [facility_code, tool_name.strip()]
    if since is not None:
        tally_where += " AND m.month >= ?"
        tally_params.append(since[:7])
    if until is not None:
        tally_where += " AND m.month <= ?"
        tally_params.append(until[:7])
    tally_rows = conn.execute(
        "SELECT MIN(m.tool_id), m.month, SUM(m.times_used), SUM(m.times_overridden), m.facility_code,"
        " MIN(t.name), MAX(m.updated_at) FROM monitoring_tallies m JOIN tools t ON t.id = m.tool_id"
        f" WHERE {tally_where} GROUP BY m.month ORDER BY m.month",
        tally_params,
    )
    tallies = tuple(Tally(*row) for row in tally_rows)
    return MonitoringSince(facility_code, tool_name, since, until, events, tallies)


def monitoring_domain_id(questionnaire: Any) -> str | None:
    """The checklist domain the monitoring log bears on: the one whose items start with `mon_`,
    else the first whose title speaks of monitoring (the shipped checklist's clinical safety and
    ongoing monitoring domain)."""
    for domain in questionnaire.domains:
        if any(item.id.startswith("mon_") for item in domain.items):
            return str(domain.id)
    for domain in questionnaire.domains:
        if "monitor" in domain.title.en.lower():
            return str(domain.id)
    return None
