"""The home list's table model (tested without widgets; CONTRIBUTING.md, Patterns): named columns, display and sort roles.

Tested without widgets. Rows are `AssessmentSummary` records from `store.list_assessments()`;
the verdict column carries its colours as roles, and a delegate paints them as a badge whose text
says the verdict in words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QStyledItemDelegate

from guidecheck.gui.shell.labels import score_text, status_text, tr, verdict_colours, verdict_text

if TYPE_CHECKING:  # the store loads in the worker thread, after the window is shown
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QStyleOptionViewItem

    from guidecheck.storage.database import AssessmentSummary

COL_FACILITY = 0
COL_TOOL = 1
COL_DATE = 2
COL_STATUS = 3
COL_SCORE = 4
COL_VERDICT = 5
COLUMN_COUNT = 6

DISPLAY_ROLE = Qt.ItemDataRole.DisplayRole
TOOLTIP_ROLE = Qt.ItemDataRole.ToolTipRole
TEXT_ALIGNMENT_ROLE = Qt.ItemDataRole.TextAlignmentRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 2
VERDICT_ROLE = Qt.ItemDataRole.UserRole + 3
ALIGN_RIGHT_VCENTER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

_Index = QModelIndex | QPersistentModelIndex


def column_titles() -> list[str]:
    return [tr("Facility"), tr("AI tool"), tr("Date"), tr("Status"), tr("Score"), tr("Verdict")]


def status_cell(summary: AssessmentSummary) -> str:
    """Short enough to read whole on a netbook at 150% text ("Draft 31/66"); the sentence is in
    `status_tooltip`."""
    revision = tr(" · rev. {n}").format(n=summary.revision) if summary.revision > 1 else ""
    if summary.status == "final":
        return status_text("final") + revision
    return tr("Draft {done}/{total}").format(done=summary.answered, total=summary.shown) + revision


def status_tooltip(summary: AssessmentSummary) -> str:
    revision = tr(" · revision {n}").format(n=summary.revision) if summary.revision > 1 else ""
    if summary.status == "final":
        return status_text("final") + revision
    return (
        tr("Draft: {done} of {total} questions answered").format(
            done=summary.answered, total=summary.shown
        )
        + revision
    )


def verdict_cell(summary: AssessmentSummary) -> str:
    if summary.status != "final":
        if not summary.answered:
            return verdict_text(None)
        return tr("{verdict} (so far)").format(verdict=verdict_text(summary.verdict))
    return verdict_text(summary.verdict)


class AssessmentTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AssessmentSummary] = []
        self._titles = column_titles()

    def set_rows(self, rows: list[AssessmentSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def summary(self, row: int) -> AssessmentSummary:
        return self._rows[row]

    def row_of(self, assessment_id: str) -> int:
        for row, summary in enumerate(self._rows):
            if summary.id == assessment_id:
                return row
        return -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = DISPLAY_ROLE
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY_ROLE:
            return self._titles[section]
        return None

    def data(self, index: _Index, role: int = DISPLAY_ROLE) -> Any:
        if not index.isValid():
            return None
        summary = self._rows[index.row()]
        column = index.column()
        if role == DISPLAY_ROLE:
            return self._display(summary, column)
        if role == SORT_ROLE:
            return self._sort_key(summary, column)
        if role == SUMMARY_ROLE:
            return summary
        if role == VERDICT_ROLE:
            return summary.verdict if (summary.status == "final" or summary.answered) else ""
        if role == TOOLTIP_ROLE and column == COL_VERDICT and summary.red_flag_count:
            return tr("{n} red flag(s)").format(n=summary.red_flag_count)
        if role == TOOLTIP_ROLE and column == COL_STATUS:
            return status_tooltip(summary)
        if role == TOOLTIP_ROLE and column in (COL_FACILITY, COL_TOOL):
            return self._display(summary, column)  # whole, when the cell elides it
        if role == TEXT_ALIGNMENT_ROLE and column == COL_SCORE:
            return ALIGN_RIGHT_VCENTER
        return None

    def _display(self, summary: AssessmentSummary, column: int) -> str:
        if column == COL_FACILITY:
            return summary.facility_name or summary.facility_code
        if column == COL_TOOL:
            return summary.tool_name
        if column == COL_DATE:
            return summary.date
        if column == COL_STATUS:
            return status_cell(summary)
        if column == COL_SCORE:
            return score_text(summary.overall)
        return verdict_cell(summary)

    def _sort_key(self, summary: AssessmentSummary, column: int) -> Any:
        if column == COL_SCORE:
            return -1.0 if summary.overall is None else float(summary.overall)
        if column == COL_DATE:
            return f"{summary.date} {summary.updated_at}"
        return self._display(summary, column).casefold()


class AssessmentFilterModel(QSortFilterProxyModel):
    """Search across every column, case-insensitive; sorts on the model's sort role."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)


class VerdictBadgeDelegate(QStyledItemDelegate):
    """Paints the verdict cell as a rounded badge: words and symbol first, colour as a help."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        from PySide6.QtCore import QRectF
        from PySide6.QtGui import QColor, QPainter, QPen
        from PySide6.QtWidgets import QStyle

        verdict = index.data(VERDICT_ROLE)
        text = index.data(DISPLAY_ROLE) or ""
        if option.state & QStyle.StateFlag.State_Selected:  # type: ignore[operator]
            painter.fillRect(option.rect, option.palette.highlight())  # type: ignore[attr-defined]
        background, foreground = verdict_colours(verdict)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(option.rect).adjusted(4, 4, -4, -4)  # type: ignore[attr-defined]
        metrics = option.fontMetrics  # type: ignore[attr-defined]
        width = min(rect.width(), metrics.horizontalAdvance(text) + 18)
        rect.setWidth(width)
        painter.setPen(QPen(QColor(foreground), 1))
        painter.setBrush(QColor(background))
        painter.drawRoundedRect(rect, 5, 5)
        painter.setPen(QColor(foreground))
        painter.drawText(
            rect,
            int(Qt.AlignmentFlag.AlignCenter),
            metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width()) - 8),
        )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> Any:
        """Room for the badge's padding, so a column sized to its contents shows it whole."""
        hint = super().sizeHint(option, index)
        hint.setWidth(hint.width() + 30)
        return hint
