"""Two tabs of the district hub: facility detail (history and trend per AI tool) and conflicts.

Both load through the hub's task runner; the conflicts panel shows the versions side by side and
lets the officer say which one stands (after a confirmation, since the other becomes superseded).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from guidecheck.fileops import safe_file_name
from guidecheck.gui.hub.district_models import (
    ROW_ROLE,
    ConflictCompareModel,
    TrendModel,
    change_text,
    percent,
)
from guidecheck.gui.shell.labels import set_scaled_font, tr, verdict_text
from guidecheck.gui.shell.tasks import TaskContext, TaskRunner

if TYPE_CHECKING:
    from guidecheck.district.conflicts import ConflictGroup, Option
    from guidecheck.district.trends import FacilityDetail


SHORT_FACTS = 6  # status, last changed, laptop, assessor, date, score: the rows never wrapped


def _view(model: Any, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class FacilityPanel(QWidget):
    """A facility's AI tools, each with its assessment rounds and how the scores moved."""

    detail_loaded = Signal(str)
    report_saved = Signal(str)
    failed = Signal(object)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.detail: FacilityDetail | None = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.facility_box, self.tool_box = QComboBox(self), QComboBox(self)
        self.facility_box.setAccessibleName(tr("Facility"))
        self.tool_box.setAccessibleName(tr("AI tool"))
        bar.addWidget(QLabel(tr("Facility"), self))
        bar.addWidget(self.facility_box, 2)
        bar.addWidget(QLabel(tr("AI tool"), self))
        bar.addWidget(self.tool_box, 1)
        self.report_button = QPushButton(tr("Assessment report…"), self)
        self.report_button.setEnabled(False)
        bar.addWidget(self.report_button)
        layout.addLayout(bar)
        self.heading = QLabel(self)
        set_scaled_font(self.heading, 1.2, bold=True)
        layout.addWidget(self.heading)
        self.trend_text = QLabel(self)
        self.trend_text.setWordWrap(True)
        layout.addWidget(self.trend_text)
        self.model = TrendModel(self)
        self.view = _view(self.model, self)
        layout.addWidget(self.view, 1)
        self.facility_box.activated.connect(
            lambda _i: self.show_facility(self.facility_box.currentData())
        )
        self.tool_box.currentIndexChanged.connect(self._show_tool)
        self.view.selectionModel().selectionChanged.connect(
            lambda *_a: self.report_button.setEnabled(self._selected() is not None)
        )
        self.report_button.clicked.connect(self.save_report)

    def set_facilities(self, facilities: list[tuple[str, str]]) -> None:
        current = self.facility_box.currentData()
        self.facility_box.blockSignals(True)
        self.facility_box.clear()
        for code, name in sorted(set(facilities), key=lambda f: (f[1].casefold(), f[0])):
            self.facility_box.addItem(f"{name} ({code})", code)
        self.facility_box.blockSignals(False)
        # Never a blank tab: the facility shown before, else the first one in the list.
        if current or self.facility_box.count():
            self.show_facility(current or self.facility_box.itemData(0))

    def show_facility(self, code: str | None) -> None:
        if not code:
            return
        self.facility_box.setCurrentIndex(max(self.facility_box.findData(code), 0))

        def work(context: TaskContext) -> Any:
            from guidecheck.district.trends import facility_detail

            return facility_detail(context.store, code)

        self.runner.run(work, self._show_detail, self.failed.emit)

    def _show_detail(self, detail: FacilityDetail) -> None:
        self.detail = detail
        self.heading.setText(f"{detail.name} ({detail.code}) · {detail.district} · {detail.region}")
        self.tool_box.blockSignals(True)
        self.tool_box.clear()
        for history in detail.tools:
            self.tool_box.addItem(history.tool_label, history.tool_id)
        self.tool_box.blockSignals(False)
        self._show_tool()
        self.detail_loaded.emit(detail.code)

    def _show_tool(self) -> None:
        detail = self.detail
        history = (
            detail.tools[self.tool_box.currentIndex()]
            if detail and detail.tools and self.tool_box.currentIndex() >= 0
            else None
        )
        self.model.set_history(history, detail.domains if detail else ())
        self.view.resizeColumnsToContents()
        if history is None:
            self.trend_text.setText(tr("No finalized assessment from this facility yet."))
            return
        latest = history.latest
        text = tr("{n} assessment rounds; latest {day}: {verdict}, {score}").format(
            n=len(history.points), day=latest.record.date, verdict=verdict_text(latest.record.verdict),
            score=percent(latest.record.overall))  # fmt: skip
        if latest.overall_change is not None:
            text += " " + tr("({change} points since the round before)").format(
                change=change_text(latest.overall_change)
            )
        self.trend_text.setText(text)

    def _selected(self) -> Any:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def save_report(self) -> None:
        point = self._selected()
        if point is None:
            return
        record = point.record
        name = safe_file_name(f"{record.facility_code}-{record.tool_name}-{record.date}.pdf")
        path, _filter = QFileDialog.getSaveFileName(
            self, tr("Save the assessment report"), str(Path.home() / name), tr("PDF (*.pdf)")
        )
        if not path:
            return

        def work(context: TaskContext) -> str:
            from guidecheck.reports import build_report_data, write_assessment_pdf

            return str(write_assessment_pdf(build_report_data(context.store, record.id), path))

        self.runner.run(work, self.report_saved.emit, self.failed.emit)


class ConflictsPanel(QWidget):
    """Flagged records side by side; "Version n stands" settles one conflict."""

    resolved = Signal(str)
    failed = Signal(object)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.groups: list[Any] = []
        layout = QVBoxLayout(self)
        self.explain = QLabel(tr("These records arrived in two versions that cannot both be right. Compare them and "
                                 "choose the one that stands; the other is kept, marked superseded."), self)  # fmt: skip
        self.explain.setWordWrap(True)
        layout.addWidget(self.explain)
        splitter = QSplitter(self)
        self.list = QListWidget(splitter)
        self.list.setAccessibleName(tr("Conflicts"))
        self.list.setWordWrap(True)  # facility · tool · revision, whole on a narrow list
        right = QWidget(splitter)
        right_layout = QVBoxLayout(right)
        self.model = ConflictCompareModel(self)
        self.view = _view(self.model, right)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        right_layout.addWidget(self.view, 1)
        self.buttons = QHBoxLayout()
        right_layout.addLayout(self.buttons)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([300, 900])  # the list readable, the comparison wider
        layout.addWidget(splitter, 1)
        self.list.currentRowChanged.connect(self._show_group)
        self.stand_buttons: list[QPushButton] = []

    def set_groups(self, groups: list[Any]) -> None:
        self.groups = groups
        self.list.blockSignals(True)
        self.list.clear()
        for group in groups:
            item = QListWidgetItem(
                f"{group.facility_name} · {group.tool_name} · "
                + tr("revision {n}").format(n=group.revision)
            )
            self.list.addItem(item)
        self.list.blockSignals(False)
        if not groups:
            self.explain.setText(tr("No conflicts: every imported record agrees with the others."))
        self.list.setCurrentRow(0 if groups else -1)
        self._show_group(self.list.currentRow())

    def _show_group(self, row: int) -> None:
        group = self.groups[row] if 0 <= row < len(self.groups) else None
        self.model.set_group(group)
        # Question texts label the rows: cap them (elided, whole in the tooltip) so the versions
        # keep room beside them on a small screen.
        header = self.view.verticalHeader()
        header.setMaximumWidth(header.fontMetrics().averageCharWidth() * 28)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)  # the number and the start read
        titles = self.view.horizontalHeader()  # "Version 1 (shown now)" wraps, not clipped
        titles.setDefaultAlignment(
            Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag(Qt.TextFlag.TextWordWrap.value)
        )
        titles.setMinimumHeight(titles.fontMetrics().lineSpacing() * 2 + 8)
        # Each version's column at least as wide as its short facts (the "Last changed" time,
        # the laptop, the date), so none is cut; long answers wrap, and red flags list one
        # question a line, so rows grow to fit.
        metrics = self.view.fontMetrics()
        short_facts = range(min(SHORT_FACTS, self.model.rowCount()))
        widest = max((metrics.horizontalAdvance(str(self.model.index(r, c).data() or ""))
                      for r in short_facts for c in range(self.model.columnCount())), default=0)  # fmt: skip
        titles.setMinimumSectionSize(widest + 2 * metrics.averageCharWidth() + 8)
        self.view.setWordWrap(True)
        self.view.resizeRowsToContents()
        for button in self.stand_buttons:
            self.buttons.removeWidget(button)
            button.deleteLater()
        self.stand_buttons = []
        for number, option in enumerate(group.options if group else (), start=1):
            button = QPushButton(tr("Version {n} stands").format(n=number), self)
            button.setAccessibleDescription(
                tr("Keep version {n}; mark the others superseded").format(n=number)
            )
            button.clicked.connect(
                lambda _c=False, g=group, o=option, n=number: self.let_stand(g, o, n)
            )
            self.buttons.addWidget(button)
            self.stand_buttons.append(button)

    def let_stand(self, group: ConflictGroup, option: Option, number: int) -> None:
        answer = QMessageBox.question(
            self, tr("Let this version stand?"),
            tr("Version {n} of {facility} · {tool} will stand; the other versions are kept but marked superseded.").format(
                n=number, facility=group.facility_name, tool=group.tool_name),
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return

        def work(context: TaskContext) -> str:
            from guidecheck.district.conflicts import resolve

            resolve(context.store, group, option, actor=tr("District officer"))
            return group.key

        self.runner.run(work, self.resolved.emit, self.failed.emit)
