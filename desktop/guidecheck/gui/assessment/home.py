"""Home screen: the assessments on this laptop, a search box, and what to do next.

The list is loaded by the database worker (tasks.py) so a big database never freezes the window;
the screen only shows rows and emits what the person asked for.

The table is hidden behind the "loading" line until the rows arrive, so it is built, with its
models (home_model.py), columns and default sort, with the first rows (`_build_table`): the
item-view classes and home_model.py are not needed for the first frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from guidecheck.gui.shell.fonts import set_scaled_font
from guidecheck.gui.shell.wrapping import ElidedButton, FlowLayout

if TYPE_CHECKING:
    from PySide6.QtGui import QResizeEvent
    from PySide6.QtWidgets import QTableView

    from guidecheck.gui.assessment.home_model import AssessmentFilterModel, AssessmentTableModel
    from guidecheck.storage.database import AssessmentSummary


class HomeScreen(QWidget):
    new_requested = Signal()
    continue_requested = Signal(str)
    resume_requested = Signal(str)  # the draft worked on last, at the part where it stopped
    report_requested = Signal(str)
    export_requested = Signal(str)
    revise_requested = Signal(str)
    log_requested = Signal()  # "Log an observation" (monitoring_form.py)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model: AssessmentTableModel | None = None  # these three: see _build_table
        self._proxy: AssessmentFilterModel | None = None
        self.export_available = True
        self.export_unavailable_reason = ""

        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        title = QLabel(self.tr("Assessments on this laptop"), self)
        set_scaled_font(title, 1.35, bold=True)
        top.addWidget(title, 1)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search facility, AI tool, status…"))
        self.search.setAccessibleName(self.tr("Search assessments"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)
        self.search.textChanged.connect(self._filter)
        top.addWidget(self.search)
        outer.addLayout(top)

        actions = FlowLayout()  # wraps: French buttons at 150% are wider than a netbook
        self.new_button = QPushButton(self.tr("&New assessment"), self)
        self.continue_button = QPushButton(self.tr("&Continue"), self)
        self.report_button = QPushButton(self.tr("Save &report…"), self)
        self.export_button = QPushButton(self.tr("&Export for district…"), self)
        self.revise_button = QPushButton(self.tr("Re&vise"), self)
        self.log_button = QPushButton(self.tr("&Log an observation…"), self)
        self.log_button.setToolTip(
            self.tr(
                "Note what the AI tool did: a wrong or overruled result, an outage, a complaint (Ctrl+L)."
            )
        )
        self.new_button.setDefault(True)
        for button in (
            self.new_button,
            self.continue_button,
            self.report_button,
            self.export_button,
            self.revise_button,
        ):
            button.setMinimumHeight(34)
            actions.addWidget(button)
        self.log_button.setMinimumHeight(34)
        actions.addWidget(self.log_button)
        outer.addLayout(actions)

        self.resume_button = ElidedButton(self)  # a long facility name never widens the window
        self.resume_button.setMinimumHeight(34)
        self.resume_button.setVisible(False)
        self.resume_button.clicked.connect(self._resume)
        self._resume_id = ""
        outer.addWidget(self.resume_button)

        self.pages = QStackedWidget(self)
        self.empty = QLabel(self._empty_text(), self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setObjectName("emptyState")
        self.empty.setMargin(40)
        set_scaled_font(self.empty, 1.15)
        self.loading = QLabel(self.tr("Opening the assessments on this laptop…"), self)
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_match = QLabel(self.tr("No assessment matches your search."), self)
        self.no_match.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_match.hide()
        self._table: QTableView | None = None  # page 2, built with the first rows
        self.pages.addWidget(self.loading)
        self.pages.addWidget(self.empty)
        outer.addWidget(self.pages, 1)

        self.new_button.clicked.connect(self.new_requested)
        self.continue_button.clicked.connect(lambda: self._emit_selected(self.continue_requested))
        self.report_button.clicked.connect(lambda: self._emit_selected(self.report_requested))
        self.export_button.clicked.connect(
            lambda: self.export_requested.emit(self.selected_id() or "")
        )
        self.revise_button.clicked.connect(lambda: self._emit_selected(self.revise_requested))
        self.log_button.clicked.connect(self.log_requested)
        self._update_buttons()

    @property
    def table(self) -> QTableView:
        """The list of assessments (page 2 of `pages`)."""
        return self._table if self._table is not None else self._build_table()

    @property
    def model(self) -> AssessmentTableModel:
        """The rows, all of them (home_model.py)."""
        if self._model is None:
            self._build_table()
        assert self._model is not None
        return self._model

    @property
    def proxy(self) -> AssessmentFilterModel:
        """The rows the search lets through, sorted; the table shows this."""
        if self._proxy is None:
            self._build_table()
        assert self._proxy is not None
        return self._proxy

    def _build_table(self) -> QTableView:
        """Build the table page with its models, columns and default sort (newest first), once,
        with the first rows: until then it is hidden behind the "loading" line (module docstring)."""
        from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

        from guidecheck.gui.assessment.home_model import (
            COL_DATE,
            COL_FACILITY,
            COL_SCORE,
            COL_STATUS,
            COL_TOOL,
            COL_VERDICT,
            AssessmentFilterModel,
            AssessmentTableModel,
            VerdictBadgeDelegate,
        )

        self._model = AssessmentTableModel(self)
        self._proxy = AssessmentFilterModel(self)
        self._proxy.setSourceModel(self._model)
        self._table = table = QTableView(self)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.setItemDelegateForColumn(COL_VERDICT, VerdictBadgeDelegate(table))
        table.setAccessibleName(self.tr("Assessments"))
        table_page = QWidget(self)
        table_layout = QVBoxLayout(table_page)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(table, 1)
        table_layout.addWidget(self.no_match)
        self.pages.addWidget(table_page)
        table.setModel(self._proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(COL_DATE, Qt.SortOrder.DescendingOrder)
        header = table.horizontalHeader()
        header.setSectionResizeMode(COL_FACILITY, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_TOOL, QHeaderView.ResizeMode.Interactive)
        # Date, status, score and verdict always show whole (a nurse reads them at a glance, at
        # any text size); the names share what is left and elide in the middle, whole in a
        # tooltip, so "Siaya County…Hospital" still tells two facilities apart.
        for column in (COL_DATE, COL_STATUS, COL_SCORE, COL_VERDICT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header.setResizeContentsPrecision(100)  # these cells are alike: 100 rows tell, not 2,000
        table.selectionModel().selectionChanged.connect(self._update_buttons)
        table.activated.connect(lambda _index: self._emit_selected(self.continue_requested))
        return table

    def _fit_tool_column(self) -> None:
        """The AI tool column as wide as its names, but at most a third of the table: the
        facility, which tells rows apart, gets the rest (at least about twelve characters)."""
        table = self._table
        if table is None:  # the first show resizes the screen before any row (module docstring)
            return
        from guidecheck.gui.assessment.home_model import COL_TOOL

        wanted = max(
            table.sizeHintForColumn(COL_TOOL), table.horizontalHeader().sectionSizeHint(COL_TOOL)
        )
        header = table.horizontalHeader()
        header.resizeSection(COL_TOOL, min(wanted + 12, table.viewport().width() // 3))
        self._keep_facility_readable()

    def _keep_facility_readable(self) -> None:
        """The facility tells rows apart: when the columns shown whole leave it less than about
        twelve characters (Portuguese at 150% on a 1024-pixel netbook), it keeps that
        width and the table scrolls sideways, from its left edge, instead of squeezing the name
        to "…"."""
        from PySide6.QtWidgets import QHeaderView

        from guidecheck.gui.assessment.home_model import COL_FACILITY

        table = self._table
        assert table is not None
        header = table.horizontalHeader()
        others = sum(
            header.sectionSize(column)
            for column in range(header.count())
            if column != COL_FACILITY and not header.isSectionHidden(column)
        )
        least = table.fontMetrics().averageCharWidth() * 12
        if table.viewport().width() - others < least:
            header.setSectionResizeMode(COL_FACILITY, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(COL_FACILITY, least)
        else:
            header.setSectionResizeMode(COL_FACILITY, QHeaderView.ResizeMode.Stretch)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_tool_column()

    def _empty_text(self) -> str:
        return self.tr(
            "There are no assessments on this laptop yet.\n\n"
            "To start, click “New assessment” (Alt+N). You will pick the checklist, type the "
            "facility and the AI tool you are checking, then answer the questions one part at a "
            "time. Every answer is saved as soon as you give it, so you can stop and come back later."
        )

    # -- data ------------------------------------------------------------------------------------
    def show_loading(self) -> None:
        if self._model is None or self._model.rowCount() == 0:
            self.pages.setCurrentWidget(self.loading)

    def set_rows(self, rows: list[AssessmentSummary], select_id: str | None = None) -> None:
        table = self.table  # built with the first rows
        previous = select_id or self.selected_id()
        self.model.set_rows(rows)
        self._show_resume(rows)
        self.pages.setCurrentIndex(2 if rows else 1)
        self._filter(self.search.text())
        self._fit_tool_column()
        if previous:
            self.select(previous)
        # Keyboard first: arrows move in the list and Enter opens; with no rows, Enter starts one.
        if not (self.search.hasFocus() and self.search.text()):  # not while someone searches
            if rows:
                if self.selected_summary() is None:
                    table.selectRow(0)
                table.setFocus()
            else:
                self.new_button.setFocus()
        table.horizontalScrollBar().setValue(0)  # a wide table starts at the facility names
        self._update_buttons()

    def _show_resume(self, rows: list[AssessmentSummary]) -> None:
        """ "Continue where you stopped": the draft changed last, reopened at its part."""
        drafts = [row for row in rows if row.status == "draft"]
        last = max(drafts, key=lambda row: row.updated_at, default=None)
        self._resume_id = last.id if last else ""
        self.resume_button.setVisible(last is not None)
        if last is not None:
            self.resume_button.set_full_text(
                self.tr(
                    "▶ Continue where you stopped: {facility} — {tool} ({answered} of {shown} "
                    "answered)"
                ).format(
                    facility=last.facility_name,
                    tool=last.tool_name,
                    answered=last.answered,
                    shown=last.shown,
                )
            )

    def _resume(self) -> None:
        if self._resume_id:
            self.resume_requested.emit(self._resume_id)

    def select(self, assessment_id: str) -> None:
        if self._table is None:
            return
        row = self.model.row_of(assessment_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            from PySide6.QtCore import QItemSelectionModel

            flags = QItemSelectionModel.SelectionFlag
            self._table.selectionModel().select(index, flags.ClearAndSelect | flags.Rows)
            self._table.setCurrentIndex(index)
            self._table.scrollTo(index)

    def selected_summary(self) -> AssessmentSummary | None:
        if self._table is None:
            return None
        rows = self._table.selectionModel().selectedRows()
        if not rows:
            return None
        from guidecheck.gui.assessment.home_model import SUMMARY_ROLE

        return rows[0].data(SUMMARY_ROLE)

    def selected_id(self) -> str | None:
        summary = self.selected_summary()
        return summary.id if summary else None

    # -- behaviour -------------------------------------------------------------------------------
    def _filter(self, text: str) -> None:
        if self._table is None:
            return  # no rows yet: set_rows applies the search text with them
        self.proxy.setFilterFixedString(text.strip())
        self.no_match.setVisible(bool(self.model.rowCount()) and self.proxy.rowCount() == 0)

    def _emit_selected(self, signal: Signal) -> None:
        summary = self.selected_summary()
        if summary is not None:
            signal.emit(summary.id)  # type: ignore[attr-defined]

    def set_export_available(self, available: bool, reason: str = "") -> None:
        self.export_available = available
        self.export_unavailable_reason = reason
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        summary = self.selected_summary()
        has = summary is not None
        final = has and summary.status == "final"  # type: ignore[union-attr]
        self.continue_button.setEnabled(has)
        self.continue_button.setText(self.tr("&Open") if final else self.tr("&Continue"))
        self.report_button.setEnabled(has)
        # A district bundle holds every change since the last export, not one row: no selection needed.
        self.export_button.setEnabled(self.export_available)
        if not self.export_available:
            self.export_button.setToolTip(self.export_unavailable_reason)
        else:
            self.export_button.setToolTip(
                self.tr(
                    "Save a sealed file with every change since the last export, for the district health office."
                )
            )
        self.revise_button.setEnabled(bool(final))
        self.revise_button.setToolTip(
            self.tr("Make a new draft revision of this final assessment.")
            if final
            else self.tr(
                "Only a final assessment can be revised; a draft can still be changed directly."
            )
        )
