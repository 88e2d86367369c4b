"""Table models of the district hub (tested without widgets): overview, heat map, gaps, trend, conflicts.

Each model holds plain core objects (guidecheck.district.*), names its columns, and answers the
display, sort, colour and tooltip roles; tested without widgets. Colour is never the only carrier:
heat map cells add a symbol (✔ good, ▲ fair, ✖ low) and verdicts are written in words.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from guidecheck.district.conflicts import ConflictGroup
from guidecheck.district.gaps import Gap
from guidecheck.district.heatmap import HeatMap
from guidecheck.district.overview import OverviewFilter, OverviewRow
from guidecheck.district.trends import ToolHistory
from guidecheck.gui.shell.labels import (
    status_text,
    tr,
    use_category_options,
    verdict_colours,
    verdict_text,
)
from guidecheck.gui.shell.theme import is_dark, tone, tone_colour

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
BAND_ROLE = Qt.ItemDataRole.UserRole + 3

# Light fills with dark text (contrast above 4.5:1), matching the verdict badges.
BAND_COLOURS = {
    "good": ("#cdebd3", "#0d4f1f"),
    "fair": ("#fbe7b5", "#5c3d00"),
    "low": ("#f6c9c4", "#7a1108"),
}


def band_colours(band: str) -> tuple[str, str]:
    """(fill, text) of a heat-map band for the palette in use: light fills on a light palette,
    deep ones with light text on a dark palette (both above 4.5:1)."""
    if is_dark():
        return tone(f"band_{band}_bg"), tone(f"band_{band}_fg")
    return BAND_COLOURS[band]


BAND_SYMBOLS = {"good": "✔", "fair": "▲", "low": "✖"}

_Index = QModelIndex | QPersistentModelIndex
_Display = Qt.ItemDataRole.DisplayRole


def percent(value: float | None) -> str:
    from guidecheck.checklist.labels import format_percent

    return format_percent(value)


def change_text(value: float | None) -> str:
    return "" if value is None else f"{value:+g}"


def band_words() -> dict[str, str]:
    return {"good": tr("good"), "fair": tr("fair"), "low": tr("below minimum"), "": tr("no score")}


class _Table(QAbstractTableModel):
    """Shared plumbing: rows of one type, fixed column titles."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._titles: list[str] = []  # kept, not rebuilt: views ask for the column count per cell

    def titles(self) -> list[str]:
        raise NotImplementedError

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._titles)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _Display) -> Any:
        if (
            role == _Display
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._titles)
        ):
            return self._titles[section]
        return None

    def row(self, number: int) -> Any:
        return self._rows[number]

    def _reset(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._titles = self.titles()
        self.endResetModel()


# --- overview -----------------------------------------------------------------------------------
(
    O_FACILITY,
    O_CODE,
    O_DISTRICT,
    O_REGION,
    O_TOOL,
    O_CATEGORY,
    O_DATE,
    O_VERDICT,
    O_SCORE,
    O_FLAGS,
    O_DUE,
) = range(11)


class OverviewModel(_Table):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._categories = dict(use_category_options())
        self._cache: list[tuple[list[str], list[Any]]] = []
        self._audit: dict[str, Any] = {}  # assessment id -> bundles.audit_check.AuditMark

    def titles(self) -> list[str]:
        return [tr("Facility"), tr("Code"), tr("District"), tr("Region"), tr("AI tool"), tr("Use category"),
                tr("Last assessed"), tr("Verdict"), tr("Score"), tr("Red flags"), tr("Re-assessment")]  # fmt: skip

    def set_rows(self, rows: Sequence[OverviewRow], audit: dict[str, Any] | None = None) -> None:
        """`audit` marks the rows whose clinic audit log was flagged on import (a word in the
        red-flags column, the reason as its tooltip)."""
        self._audit = {k: m for k, m in (audit or {}).items() if m.flagged}
        # Texts and sort keys are made once here: sorting 1,000 rows asks for them ~20,000 times.
        self._cache = [
            ([self._display(r, c) for c in range(11)], [self._sort_key(r, c) for c in range(11)])
            for r in rows
        ]
        self._reset(rows)

    def data(self, index: _Index, role: int = _Display) -> Any:
        if not index.isValid():
            return None
        row: OverviewRow = self._rows[index.row()]
        column = index.column()
        if role == ROW_ROLE:
            return row
        if role == _Display:
            return self._cache[index.row()][0][column]
        if role == SORT_ROLE:
            return self._cache[index.row()][1][column]
        if (
            column == O_VERDICT
            and row.verdict
            and role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole)
        ):
            background, foreground = verdict_colours(row.verdict)
            return QColor(background if role == Qt.ItemDataRole.BackgroundRole else foreground)
        if column == O_DUE and row.due and role == Qt.ItemDataRole.ForegroundRole:
            return tone_colour("critical")
        flagged = self._audit.get(row.assessment_id)
        if column == O_FLAGS and flagged is not None:
            if role == Qt.ItemDataRole.ToolTipRole:
                return tr("Clinic audit log: {reason}").format(reason=flagged.reason)
            if role == Qt.ItemDataRole.ForegroundRole:
                return tone_colour("critical")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (O_SCORE, O_FLAGS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: OverviewRow, column: int) -> str:
        categories = self._categories
        if column == O_VERDICT:
            return verdict_text(row.verdict) if row.assessed else tr("Never assessed")
        if column == O_FLAGS:
            text = str(row.red_flag_count) if row.assessed else "–"
            text += " " + tr("· conflict") if row.conflict else ""
            return text + (" " + tr("· ⚠ audit") if row.assessment_id in self._audit else "")
        if column == O_DUE:
            if not row.assessed:
                return tr("Due now")
            return (
                tr("Due since {day}").format(day=row.due_date)
                if row.due
                else tr("Due {day}").format(day=row.due_date)
            )
        values = {O_FACILITY: row.facility_name, O_CODE: row.facility_code, O_DISTRICT: row.district,
                  O_REGION: row.region, O_TOOL: f"{row.tool_name} {row.tool_version}".strip(),
                  O_CATEGORY: categories.get(row.use_category, row.use_category), O_DATE: row.date or "–",
                  O_SCORE: percent(row.overall) if row.assessed else "–"}  # fmt: skip
        return values[column]

    def _sort_key(self, row: OverviewRow, column: int) -> Any:
        if column == O_SCORE:
            return -1.0 if row.overall is None else row.overall
        if column == O_FLAGS:
            return row.red_flag_count if row.assessed else -1
        if column == O_VERDICT:
            return {"ready": 3, "ready_with_conditions": 2, "not_ready": 1}.get(row.verdict, 0)
        if column == O_DUE:
            return row.due_date or "0000"
        return self._display(row, column).casefold()  # called once per cell by set_rows


class OverviewFilterModel(QSortFilterProxyModel):
    """Filters on the core's OverviewFilter; sorts on the model's SORT_ROLE."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.how = OverviewFilter()
        self.setSortRole(SORT_ROLE)

    def set_filter(self, how: OverviewFilter) -> None:
        self.beginFilterChange()
        self.how = how
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        row = self.sourceModel().index(source_row, 0, source_parent).data(ROW_ROLE)
        return row is not None and self.how.accepts(row)


# --- heat map -----------------------------------------------------------------------------------
class HeatMapModel(_Table):
    """Facility × tool rows against domain columns, after two label columns."""

    LABEL_COLUMNS = 2

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.heat: HeatMap | None = None

    def titles(self) -> list[str]:
        domains = [title for _d, title in self.heat.domains] if self.heat else []
        return [tr("Facility"), tr("AI tool"), *domains]

    def set_heatmap(self, heat: HeatMap) -> None:
        self.beginResetModel()
        self.heat = heat
        self._rows = list(heat.rows)
        self._titles = self.titles()
        self.endResetModel()

    def data(self, index: _Index, role: int = _Display) -> Any:
        if not index.isValid() or self.heat is None:
            return None
        row = self._rows[index.row()]
        column = index.column()
        if column < self.LABEL_COLUMNS:
            value = row.record.facility_name if column == 0 else row.record.tool_label
            return (
                value
                if role in (_Display, SORT_ROLE)
                else (row.record if role == ROW_ROLE else None)
            )
        score = row.cells[column - self.LABEL_COLUMNS]
        band = self.heat.band(score)
        if role == _Display:
            return f"{percent(score)} {BAND_SYMBOLS.get(band, '')}".strip()
        if role == SORT_ROLE:
            return -1.0 if score is None else score
        if role == BAND_ROLE:
            return band
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole) and band:
            return QColor(band_colours(band)[0 if role == Qt.ItemDataRole.BackgroundRole else 1])
        if role == Qt.ItemDataRole.ToolTipRole:
            title = self.heat.domains[column - self.LABEL_COLUMNS][1]
            return f"{row.record.facility_name} · {title}: {percent(score)} ({band_words()[band]})"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


# --- gaps ---------------------------------------------------------------------------------------
G_QUESTION, G_DOMAIN, G_MISSING, G_SHARE, G_NOT_MET, G_PARTLY = range(6)


class GapsModel(_Table):
    def titles(self) -> list[str]:
        return [
            tr("Item"),
            tr("Domain"),
            tr("Facilities missing"),
            tr("Share"),
            tr("Not met"),
            tr("Partly met"),
        ]

    def set_gaps(self, gaps: Sequence[Gap]) -> None:
        self._reset(gaps)

    def data(self, index: _Index, role: int = _Display) -> Any:
        if not index.isValid():
            return None
        gap: Gap = self._rows[index.row()]
        column = index.column()
        if role == ROW_ROLE:
            return gap
        if role == _Display:
            question = gap.question + ("  " + tr("(critical)") if gap.critical else "")
            return [question, gap.domain_title, f"{gap.facilities_missing} / {gap.facilities_asked}",
                    percent(gap.share), str(gap.not_met), str(gap.partly)][column]  # fmt: skip
        if role == Qt.ItemDataRole.ToolTipRole and column in (G_QUESTION, G_DOMAIN):
            return self.data(index, _Display)  # whole, when the cell cuts it
        if role == SORT_ROLE:
            return [gap.question.casefold(), gap.domain_title.casefold(), gap.facilities_missing, gap.share,
                    gap.not_met, gap.partly][column]  # fmt: skip
        if role == Qt.ItemDataRole.ToolTipRole and column == G_QUESTION:
            return tr("Item {id}").format(id=gap.item_id)
        return None


# --- facility trend -----------------------------------------------------------------------------
T_DATE, T_REVISION, T_VERDICT, T_OVERALL, T_CHANGE = range(5)


class TrendModel(_Table):
    """One AI tool's history: a row per assessment round, each domain with its change."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.domains: tuple[tuple[str, str], ...] = ()

    def titles(self) -> list[str]:
        return [
            tr("Date"),
            tr("Revision"),
            tr("Verdict"),
            tr("Overall"),
            tr("Change"),
            *[t for _d, t in self.domains],
        ]

    def set_history(
        self, history: ToolHistory | None, domains: tuple[tuple[str, str], ...]
    ) -> None:
        self.beginResetModel()
        self.domains = domains
        self._rows = list(history.points) if history else []
        self._titles = self.titles()
        self.endResetModel()

    def data(self, index: _Index, role: int = _Display) -> Any:
        if not index.isValid():
            return None
        point = self._rows[index.row()]
        column = index.column()
        if role == ROW_ROLE:
            return point
        if role == _Display:
            if column >= 5:
                n = column - 5
                change = change_text(point.domain_changes[n])
                return (
                    f"{percent(point.domains[n])} ({change})"
                    if change
                    else percent(point.domains[n])
                )
            return [point.record.date, str(point.record.revision), verdict_text(point.record.verdict),
                    percent(point.record.overall), change_text(point.overall_change) or "–"][column]  # fmt: skip
        if (
            role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole)
            and column == T_VERDICT
        ):
            background, foreground = verdict_colours(point.record.verdict)
            return QColor(background if role == Qt.ItemDataRole.BackgroundRole else foreground)
        return None


def changed_text(stamp: str) -> str:
    """ "2026-03-04 10:12" from a stored ISO time (the whole stamp, seconds too, in the tooltip)."""
    if len(stamp) >= 16 and stamp[10] == "T":
        return f"{stamp[:10]} {stamp[11:16]}"
    return stamp


# --- conflicts side by side ----------------------------------------------------------------------
class ConflictCompareModel(_Table):
    """Rows: the facts and answers of each version; columns: the versions. Differences are tinted."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.group: ConflictGroup | None = None
        self._differing: set[str] = set()

    def titles(self) -> list[str]:
        if self.group is None:
            return []
        return [tr("Version {n}{now}").format(n=n, now=tr(" (shown now)") if option.current else "")
                for n, option in enumerate(self.group.options, start=1)]  # fmt: skip

    def set_group(self, group: ConflictGroup | None) -> None:
        self.beginResetModel()
        self.group = group
        self._differing = set(group.differing_items()) if group else set()
        facts = [
            "status",
            "updated_at",
            "origin_device",
            "assessor",
            "date",
            "overall",
            "verdict",
            "red_flags",
        ]
        items: list[str] = []
        for option in group.options if group else ():
            items += [i for i in option.answers if i not in items]
        items.sort(
            key=lambda i: i not in self._differing
        )  # differences first, then the rest in order
        self._rows = [("fact", f) for f in facts] + [("item", i) for i in items] if group else []
        self._titles = self.titles()
        self.endResetModel()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _Display) -> Any:
        if (
            orientation == Qt.Orientation.Vertical
            and role == _Display
            and 0 <= section < len(self._rows)
        ):
            kind, key = self._rows[section]
            names = {"status": tr("Status"), "updated_at": tr("Last changed"), "origin_device": tr("Laptop"),
                     "assessor": tr("Assessor"), "date": tr("Assessment date"), "overall": tr("Score"),
                     "verdict": tr("Verdict"), "red_flags": tr("Red flags")}  # fmt: skip
            if kind == "fact":
                return names[key]
            return self.question_label(key)
        if (
            orientation == Qt.Orientation.Vertical
            and role == Qt.ItemDataRole.ToolTipRole
            and 0 <= section < len(self._rows)
        ):
            kind, key = self._rows[section]
            label = self.headerData(section, orientation, _Display)
            # the item id is for whoever reads the checklist file, never the row's name
            return f"{label}\n({key})" if kind == "item" else label
        return super().headerData(section, orientation, role)

    def question_label(self, item_id: str) -> str:
        """ "2.3 Question text", numbered as the walk-through showed it; the id only if the
        checklist no longer has the question."""
        if self.group is None:
            return item_id
        question = self.group.questions.get(item_id, "")
        if not question:
            return item_id
        number = self.group.number(item_id)
        return f"{number} {question}" if number else question

    def data(self, index: _Index, role: int = _Display) -> Any:
        if not index.isValid() or self.group is None:
            return None
        kind, key = self._rows[index.row()]
        option = self.group.options[index.column()]
        if role == _Display:
            if kind == "item":
                value, note = option.answers.get(key, (None, ""))
                text = (
                    "–"
                    if value is None
                    else (", ".join(value) if isinstance(value, list) else str(value))
                )
                return f"{text} — {note}" if note else text
            facts = {"status": status_text(option.status), "updated_at": changed_text(option.updated_at),
                     "origin_device": option.origin_device[:8], "assessor": option.assessor, "date": option.date,
                     "overall": percent(option.overall), "verdict": verdict_text(option.verdict),
                     "red_flags": "\n".join(self.question_label(i) for i in option.red_flags) or "–"}  # fmt: skip
            return facts[key]
        if role == Qt.ItemDataRole.ToolTipRole:
            if kind == "fact" and key == "red_flags" and option.red_flags:
                return "\n".join(f"{self.question_label(i)} ({i})" for i in option.red_flags)
            if kind == "fact" and key == "updated_at":
                return option.updated_at
            return self.data(index, _Display)
        if role == Qt.ItemDataRole.BackgroundRole:
            values = {
                json.dumps(self.data(self.index(index.row(), c)), sort_keys=True)
                for c in range(self.columnCount())
            }
            if len(values) > 1:
                return tone_colour("differs_bg")
        if role == Qt.ItemDataRole.ForegroundRole:
            values = {
                json.dumps(self.data(self.index(index.row(), c)), sort_keys=True)
                for c in range(self.columnCount())
            }
            if len(values) > 1:
                return tone_colour("differs_fg")
        return None
