"""The most common gaps: checklist items most often unmet across the district's latest records.

An item is a gap in a record when it was shown, scored and answered short of fully met (no,
don't know, partly, or a choice worth less than full marks): the same rule as the action plan.
Counts are of facilities (a facility misses an item when any of its AI tools' latest records does),
out of the facilities where the item was asked and applied; this is what tells the ministry where
training and money should go.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from guidecheck.district.records import Scored, questionnaire_of

if TYPE_CHECKING:
    from guidecheck.storage.store import Store


@dataclass(frozen=True)
class Gap:
    item_id: str
    domain_id: str
    domain_title: str
    question: str
    critical: bool
    facilities_missing: int
    facilities_asked: int
    records_missing: int
    not_met: int  # records with no credit at all (no, don't know, a zero-score choice)
    partly: int  # records with partial credit

    @property
    def share(self) -> float:
        """Share of the facilities asked that miss it, in percent (one decimal)."""
        return (
            round(100.0 * self.facilities_missing / self.facilities_asked, 1)
            if self.facilities_asked
            else 0.0
        )


def common_gaps(store: Store, scored: Iterable[Scored], limit: int | None = None) -> list[Gap]:
    """Gaps ordered by facilities missing (most first), then critical first, then checklist order."""
    missing: dict[str, set[str]] = {}
    asked: dict[str, set[str]] = {}
    records_missing: dict[str, int] = {}
    not_met: dict[str, int] = {}
    details: dict[str, tuple[tuple[int, int], str, str, str, bool]] = {}
    for entry in scored:
        facility = entry.record.facility_code
        for item_id in entry.applicable:
            asked.setdefault(item_id, set()).add(facility)
        if not entry.unmet:
            continue
        questionnaire = questionnaire_of(store, entry.record)
        for item_id, credit in entry.unmet.items():
            missing.setdefault(item_id, set()).add(facility)
            records_missing[item_id] = records_missing.get(item_id, 0) + 1
            if credit == 0:
                not_met[item_id] = not_met.get(item_id, 0) + 1
            if item_id not in details:
                item = questionnaire.item(item_id)
                assert item is not None  # scoring only reports items of this questionnaire
                domain = questionnaire.domain(item.domain_id)
                position = (
                    questionnaire.domains.index(domain) if domain else 0,
                    questionnaire.items.index(item),
                )
                details[item_id] = (
                    position,
                    item.domain_id,
                    domain.title.en if domain else "",
                    item.question.en,
                    item.critical,
                )
    gaps = [
        Gap(item_id, *details[item_id][1:], len(facilities), len(asked[item_id]),
            records_missing[item_id], not_met.get(item_id, 0), records_missing[item_id] - not_met.get(item_id, 0))
        for item_id, facilities in missing.items()
    ]  # fmt: skip
    gaps.sort(key=lambda g: (-g.facilities_missing, not g.critical, details[g.item_id][0]))
    return gaps[:limit] if limit else gaps
