"""The district summary: every figure the PDF, the CLI's `summary --json` and the views report.

Built once from the standing records (scoring each latest record once) so the reports and the
screens always agree. `as_json` is the stable machine-readable form.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from guidecheck.bundles.audit_check import AuditMark, marks
from guidecheck.checklist.model import VERDICTS
from guidecheck.district.gaps import Gap, common_gaps
from guidecheck.district.heatmap import HeatMap, build_heatmap
from guidecheck.district.overview import OverviewRow, build_overview
from guidecheck.district.records import (
    Record,
    Scored,
    latest_records,
    score_records,
    split_by_level,
    standing_records,
)
from guidecheck.district.settings import reassess_months

if TYPE_CHECKING:
    from guidecheck.storage.store import Store


@dataclass(frozen=True)
class Attention:
    """A facility × tool needing the officer's attention, and why."""

    row: OverviewRow
    red_flags: tuple[tuple[str, str], ...]  # (item id, question)
    reasons: tuple[
        str, ...
    ]  # codes: not_ready, red_flags, overdue, never_assessed, not_assessed_since, conflict, audit


@dataclass(frozen=True)
class DistrictSummary:
    generated_on: str
    since: str
    reassess_months: int
    records: tuple[Record, ...]  # every standing record in scope (history included)
    overview: tuple[OverviewRow, ...]
    heatmap: HeatMap
    gaps: tuple[Gap, ...]
    attention: tuple[Attention, ...]
    conflicts: int
    # Latest assessment per team x tool made with a district-level checklist (`level: district`):
    # listed apart, never mixed into the clinics' overview, heat map, gaps or verdict counts.
    district_level: tuple[Record, ...] = ()
    monitoring: Any = None  # monitoring.district.DistrictMonitoring: the clinics' monitoring logs
    # How each standing record's clinic audit log was found on import (bundles/audit_check.py);
    # records no bundle brought have no mark.
    audit: dict[str, AuditMark] = field(default_factory=dict)

    def audit_flagged(self) -> list[tuple[Record, AuditMark]]:
        """Standing records whose clinic audit log did not verify, oldest first."""
        return [
            (r, self.audit[r.id])
            for r in self.records
            if r.id in self.audit and self.audit[r.id].flagged
        ]

    @property
    def facilities_known(self) -> int:
        return len({r.facility_code for r in self.overview})

    @property
    def facilities_assessed(self) -> int:
        return len({r.facility_code for r in self.overview if r.assessed})

    @property
    def tools_overdue(self) -> int:
        return sum(1 for r in self.overview if r.due)

    @property
    def facilities_overdue(self) -> int:
        return len({r.facility_code for r in self.overview if r.due})

    def verdict_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(VERDICTS, 0)
        for row in self.overview:
            if row.assessed and row.verdict:  # a survey (no scoring) has no verdict to count
                counts[row.verdict] = counts.get(row.verdict, 0) + 1
        return counts

    def as_json(self) -> dict[str, Any]:
        averages = self.heatmap.domain_averages()
        return {
            "generated_on": self.generated_on,
            "since": self.since or None,
            "reassess_months": self.reassess_months,
            "coverage": {
                "facilities_known": self.facilities_known,
                "facilities_assessed": self.facilities_assessed,
                "facilities_overdue": self.facilities_overdue,
                "tools_known": len(self.overview),
                "tools_assessed": sum(1 for r in self.overview if r.assessed),
                "tools_overdue": self.tools_overdue,
                "assessments": len(self.records),
            },
            "verdicts": self.verdict_counts(),
            "domain_averages": [
                {"domain": d, "title": t, "average": a}
                for (d, t), a in zip(self.heatmap.domains, averages, strict=True)
            ],
            "gaps": [
                {
                    "item": g.item_id,
                    "domain": g.domain_id,
                    "question": g.question,
                    "critical": g.critical,
                    "facilities_missing": g.facilities_missing,
                    "facilities_asked": g.facilities_asked,
                    "assessments_missing": g.records_missing,
                }
                for g in self.gaps
            ],  # fmt: skip
            "attention": [
                {
                    "facility": a.row.facility_code,
                    "facility_name": a.row.facility_name,
                    "tool": a.row.tool_name,
                    "date": a.row.date or None,
                    "verdict": a.row.verdict or None,
                    "overall": a.row.overall,
                    "red_flags": [i for i, _q in a.red_flags],
                    "reasons": list(a.reasons),
                }
                for a in self.attention
            ],  # fmt: skip
            "conflicts": self.conflicts,
            "audit": {
                "flagged": [
                    {
                        "assessment": r.id,
                        "facility": r.facility_code,
                        "facility_name": r.facility_name,
                        "tool": r.tool_label,
                        "reason": m.reason,
                    }
                    for r, m in self.audit_flagged()
                ],
                "not_checked": sum(
                    1
                    for r in self.records
                    if self.audit.get(r.id) and self.audit[r.id].status == "not_checked"
                ),
            },  # fmt: skip
            "district_level": [
                {
                    "team": r.facility_name,
                    "code": r.facility_code,
                    "tool": r.tool_label,
                    "questionnaire": r.questionnaire_id,
                    "questionnaire_version": r.questionnaire_version,
                    "date": r.date or None,
                    "verdict": r.verdict or None,
                    "overall": r.overall,
                    "red_flags": r.red_flag_count,
                    "assessment": r.id,
                }
                for r in self.district_level
            ],
        }


def district_monitoring(conn: Any, since: str | None) -> Any:
    from guidecheck.monitoring.district import district_monitoring as build

    return build(conn, since)


def build_summary(
    store: Store,
    since: str | None = None,
    today: dt.date | None = None,
    gap_limit: int | None = None,
) -> DistrictSummary:
    """Everything the district reports say, computed once."""
    today = today or dt.date.today()
    months = reassess_months(store)
    every = standing_records(store.conn, since)
    records, team_records = split_by_level(store, every)
    overview = build_overview(store, every, today, months)  # leaves district-level ones out
    scored = list(score_records(store, latest_records(records)))
    heatmap = build_heatmap(store, records, scored)
    gaps = common_gaps(store, scored, gap_limit)
    conflicts = store.conn.execute(
        "SELECT COUNT(DISTINCT lineage_id || '#' || revision) FROM assessments WHERE conflict = 1"
    ).fetchone()[0]
    audit = marks(store.conn, [r.id for r in every])
    return DistrictSummary(today.isoformat(), since or "", months, tuple(records), tuple(overview), heatmap,
                           tuple(gaps), tuple(_attention(store, overview, scored, bool(since), audit)), int(conflicts),
                           tuple(latest_records(team_records)), district_monitoring(store.conn, since), audit)  # fmt: skip


def _attention(
    store: Store,
    overview: list[OverviewRow],
    scored: list[Scored],
    since: bool,
    audit: dict[str, AuditMark] | None = None,
) -> list[Attention]:
    """Rows needing attention: not ready, red flags, overdue, not assessed (in the period) or in conflict."""
    from guidecheck.district.records import questionnaire_of

    by_id = {s.record.id: s for s in scored}
    result = []
    for row in overview:
        reasons = []
        flags: tuple[tuple[str, str], ...] = ()
        if not row.assessed:
            reasons.append("not_assessed_since" if since else "never_assessed")
        else:
            entry = by_id[row.assessment_id]
            questionnaire = questionnaire_of(store, entry.record)
            texts = {item.id: item.question.local for item in questionnaire.items}
            flags = tuple((i, texts.get(i, i)) for i in entry.red_flags)
            if row.verdict == "not_ready":
                reasons.append("not_ready")
            if flags:
                reasons.append("red_flags")
            if row.due:
                reasons.append("overdue")
            if row.conflict:
                reasons.append("conflict")
            if audit and row.assessment_id in audit and audit[row.assessment_id].flagged:
                reasons.append("audit")
        if reasons:
            result.append(Attention(row, flags, tuple(reasons)))
    severity = {
        "red_flags": 0,
        "not_ready": 1,
        "conflict": 2,
        "audit": 2,
        "overdue": 3,
        "never_assessed": 4,
        "not_assessed_since": 4,
    }
    result.sort(
        key=lambda a: (
            min(severity[r] for r in a.reasons),
            -len(a.red_flags),
            a.row.facility_name.casefold(),
        )
    )
    return result
