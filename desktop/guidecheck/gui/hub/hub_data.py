"""What the district hub screen asks its worker for: the overview alone (fast, shown first) and
then the whole summary with the conflicts (`HubData`).

These run on the task runner's single worker thread (gui/shell/tasks.py), never on the GUI
thread; kept apart from the screen so what is read is in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidecheck.gui.shell.tasks import TaskContext

if TYPE_CHECKING:
    from guidecheck.district.summary import DistrictSummary


def path_home(database: Path) -> Path:
    """The data folder of a hub database file (held bundles and the archive live beside it)."""
    return Path(database).parent


@dataclass(frozen=True)
class HubData:
    """What one load brings back from the worker."""

    summary: DistrictSummary
    conflicts: list[Any]  # guidecheck.district.conflicts.ConflictGroup


def load_hub(context: TaskContext) -> HubData:
    from guidecheck.district.conflicts import conflict_groups
    from guidecheck.district.summary import build_summary

    store = context.store
    return HubData(build_summary(store), conflict_groups(store))


def load_overview(context: TaskContext) -> tuple[list[Any], int]:
    """The overview alone (one query, no scoring), so the first tab shows before the rest is scored."""
    from guidecheck.district.overview import build_overview
    from guidecheck.district.settings import reassess_months

    return build_overview(context.store), reassess_months(context.store)
