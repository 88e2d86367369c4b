"""DHIS2 reporting periods GuideCheck exports: yearly `2026`, quarterly `2026Q4`, monthly `202611`."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from guidecheck.errors import UserError
from guidecheck.i18n import _

_PERIOD = re.compile(r"^(\d{4})(?:Q([1-4])|(0[1-9]|1[0-2]))?$")


@dataclass(frozen=True)
class Period:
    """A period by its DHIS2 id, with its first and last day (ISO text compares as dates)."""

    id: str
    kind: str  # Yearly | Quarterly | Monthly (DHIS2 period type names)
    start: str
    end: str

    def contains(self, date: str) -> bool:
        return self.start <= date[:10] <= self.end


def parse_period(text: str) -> Period:
    """`2026`, `2026Q4` or `202611`; one sentence for anything else."""
    match = _PERIOD.match(text.strip()) if isinstance(text, str) else None
    if not match or not 1900 <= int(match.group(1)) <= 2999:
        raise UserError(
            _(
                "'{text}' is not a period GuideCheck exports: write a year (2026), a quarter (2026Q4) or a month (202611)."
            ).format(text=text)
        )
    year = int(match.group(1))
    if match.group(2):
        quarter = int(match.group(2))
        first, last = 3 * quarter - 2, 3 * quarter
        kind = "Quarterly"
    elif match.group(3):
        first = last = int(match.group(3))
        kind = "Monthly"
    else:
        first, last, kind = 1, 12, "Yearly"
    end = dt.date(year, last, calendar.monthrange(year, last)[1])
    return Period(text.strip(), kind, dt.date(year, first, 1).isoformat(), end.isoformat())


def periods_of(dates: Iterable[str], kind: str = "Quarterly") -> list[str]:
    """The periods of this kind that hold at least one of the dates, newest first (for pickers)."""
    found: set[str] = set()
    for date in dates:
        try:
            day = dt.date.fromisoformat(date[:10])
        except (TypeError, ValueError):
            continue
        if kind == "Yearly":
            found.add(f"{day.year}")
        elif kind == "Monthly":
            found.add(f"{day.year}{day.month:02d}")
        else:
            found.add(f"{day.year}Q{(day.month - 1) // 3 + 1}")
    return sorted(found, reverse=True)
