"""The heat map: facility × AI tool (rows) against domains (columns), each cell the latest score.

Cells carry a band word as well as a number ("good" at or above the ready level, "fair" at or
above the domain minimum, "low" below it), so the views never rely on colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from guidecheck.checklist.labels import cut_percent
from guidecheck.district.records import (
    Record,
    Scored,
    domain_columns,
    latest_records,
    questionnaire_of,
    score_records,
)

if TYPE_CHECKING:
    from guidecheck.storage.store import Store


@dataclass(frozen=True)
class HeatRow:
    record: Record
    cells: tuple[float | None, ...]  # aligned with HeatMap.domains


@dataclass(frozen=True)
class HeatMap:
    domains: tuple[tuple[str, str], ...]  # (domain id, title)
    rows: tuple[HeatRow, ...]
    ready: float = 80.0
    minimum: float = 50.0

    def band(self, value: float | None) -> str:
        """'good', 'fair', 'low' or '' (no score) for a cell value."""
        if value is None:
            return ""
        if value >= self.ready:
            return "good"
        return "fair" if value >= self.minimum else "low"

    def domain_averages(self) -> list[float | None]:
        """Mean of each domain over the rows that have a score there (one decimal)."""
        result: list[float | None] = []
        for column in range(len(self.domains)):
            values = [row.cells[column] for row in self.rows if row.cells[column] is not None]
            result.append(cut_percent(sum(values) / len(values)) if values else None)  # type: ignore[arg-type]
        return result


def build_heatmap(
    store: Store, records: list[Record], scored: list[Scored] | None = None
) -> HeatMap:
    """The heat map of the latest record per facility × tool (pass `scored` to reuse scoring)."""
    latest = latest_records(records)
    if scored is None:
        scored = list(score_records(store, latest))
    by_id = {s.record.id: s for s in scored}
    domains = tuple(domain_columns(store, latest))
    rows = tuple(
        HeatRow(record, tuple(by_id[record.id].domains.get(d) for d, _t in domains))
        for record in latest
    )
    ready, minimum = 80.0, 50.0
    if latest:
        limits = questionnaire_of(store, latest[-1]).thresholds
        ready, minimum = limits.ready, limits.domain_minimum
    return HeatMap(domains, rows, ready, minimum)
