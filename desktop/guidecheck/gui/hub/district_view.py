"""The district hub screen: overview, heat map, most common gaps, facility detail and conflicts.

Shown by the main window when the installation is a district hub (guidecheck.bundles.keys.
is_district_hub). Every database read and every export runs on the task runner's single worker
(gui/shell/tasks.py); the screen only shows what comes back. Entry point: `DistrictHub(database,
parent, runner=None)`, or `open_district_view(parent, home)`.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from guidecheck.district.overview import OverviewFilter
from guidecheck.gui.hub.audit_banner import audit_banner, show_audit
from guidecheck.gui.hub.devices_panel import DevicesPanel
from guidecheck.gui.hub.district_models import (
    G_MISSING,
    ROW_ROLE,
    SORT_ROLE,
    GapsModel,
    HeatMapModel,
    OverviewFilterModel,
    OverviewModel,
    band_colours,
)
from guidecheck.gui.hub.district_panels import ConflictsPanel, FacilityPanel
from guidecheck.gui.shell.labels import set_scaled_font, tr, use_category_options, verdict_text
from guidecheck.gui.shell.tasks import TaskContext, TaskRunner
from guidecheck.gui.shell.theme import themed

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


def table_view(model: Any, parent: QWidget, sortable: bool = True) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSortingEnabled(sortable)
    if sortable:
        view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(False)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setResizeContentsPrecision(
        200
    )  # measure 200 rows, not 1,000, to fit columns
    return view


class DistrictHub(QWidget):
    """The district officer's screen. Signals say what happened, for the window and the tests."""

    overview_loaded = Signal()
    loaded = Signal()
    conflict_resolved = Signal(str)
    export_finished = Signal(str)
    failed = Signal(str)

    def __init__(
        self, database: Any, parent: QWidget | None = None, runner: TaskRunner | None = None
    ) -> None:
        super().__init__(parent)
        path = Path(getattr(database, "path", database))
        self._path = path
        self._own_runner = runner is None
        if runner is None:
            from guidecheck.storage.store import Store

            runner = TaskRunner(lambda: Store(path), parent=self)
        self.runner = runner
        self.data: HubData | None = None
        self._months_shown = 0
        self._closing = False
        self._build()
        self.reload()

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        title = QLabel(tr("District hub"), self)
        set_scaled_font(title, 1.4, bold=True)
        self.status = QLabel(tr("Loading…"), self)
        self.status.setAccessibleName(tr("District status"))
        self.months = QSpinBox(self)
        self.months.setRange(1, 120)
        self.months.setSuffix(tr(" months"))
        self.months.setAccessibleName(tr("Re-assessment due after"))
        self.pdf_button = QPushButton(tr("District PDF…"), self)
        self.xlsx_button = QPushButton(tr("District workbook…"), self)
        self.reload_button = QPushButton(tr("Reload"), self)
        # Two rows, the summary line wrapping: one row is wider than a 1024 px netbook at 150%.
        self.status.setWordWrap(True)
        top.addWidget(title)
        top.addWidget(self.status, 1)
        layout.addLayout(top)
        actions = QHBoxLayout()
        actions.addWidget(QLabel(tr("Re-assessment due after"), self))
        actions.addWidget(self.months)
        actions.addStretch(1)
        for button in (self.pdf_button, self.xlsx_button, self.reload_button):
            actions.addWidget(button)
        layout.addLayout(actions)
        self.empty_hint = QLabel(
            tr(
                "No clinic results yet. Put a clinic's USB stick in and choose District › Import "
                "bundles…: GuideCheck lists the .gcbundle files on it and imports the ones you pick."
            ),
            self,
        )
        self.empty_hint.setWordWrap(True)
        themed(self.empty_hint, "background:{warning_bg}; color:{warning_fg}; padding:8px;")
        self.empty_hint.setVisible(False)
        layout.addWidget(self.empty_hint)
        self.audit_banner = audit_banner(self)  # above the tabs: seen whichever tab is open
        layout.addWidget(self.audit_banner)
        self.saved_row = QHBoxLayout()
        self.saved_label = QLabel(self)
        self.saved_label.setWordWrap(True)
        self.open_saved_button = QPushButton(tr("&Open"), self)
        self.show_saved_button = QPushButton(tr("Show in &folder"), self)
        self.saved_row.addWidget(self.saved_label, 1)
        self.saved_row.addWidget(self.open_saved_button)
        self.saved_row.addWidget(self.show_saved_button)
        layout.addLayout(self.saved_row)
        self.saved_path: Path | None = None
        self._show_saved(None)
        self.open_saved_button.clicked.connect(lambda: self.open_saved(folder=False))
        self.show_saved_button.clicked.connect(lambda: self.open_saved(folder=True))

        self.tabs = QTabWidget(self)
        self.overview_model = OverviewModel(self)
        self.overview_proxy = OverviewFilterModel(self)
        self.overview_proxy.setSourceModel(self.overview_model)
        self.tabs.addTab(self._overview_tab(), tr("Overview"))
        self.heat_model = HeatMapModel(self)
        self.heat_view = table_view(self._sorted(self.heat_model), self)
        header = self.heat_view.horizontalHeader()
        header.setDefaultAlignment(
            Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag(Qt.TextFlag.TextWordWrap.value)
        )
        header.setStretchLastSection(False)
        self._heat_header = header
        self.tabs.addTab(self._with_legend(self.heat_view), tr("Heat map"))
        self.gaps_model = GapsModel(self)
        self.gaps_view = table_view(self._sorted(self.gaps_model), self)
        self.gaps_view.horizontalHeader().setStretchLastSection(False)
        self.gaps_view.sortByColumn(G_MISSING, Qt.SortOrder.DescendingOrder)  # most common first
        self.tabs.addTab(self.gaps_view, tr("Most common gaps"))
        self.facility = FacilityPanel(self.runner, self)
        self.tabs.addTab(self.facility, tr("Facility detail"))
        self.conflicts = ConflictsPanel(self.runner, self)
        self.tabs.addTab(self.conflicts, tr("Conflicts"))
        from guidecheck.gui.hub.monitoring_panel import MonitoringPanel

        self.monitoring = MonitoringPanel(self)
        self.tabs.addTab(self.monitoring, tr("Monitoring"))
        self.devices = DevicesPanel(path_home(self._path), self.runner, self)
        self.devices_tab = self.tabs.addTab(self.devices, tr("Devices"))
        layout.addWidget(self.tabs, 1)

        self.reload_button.clicked.connect(self.reload)
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.months.editingFinished.connect(self.save_interval)
        self.overview_view.doubleClicked.connect(self.open_facility_at)
        self.conflicts.resolved.connect(self._conflict_resolved)
        self.devices.changed.connect(self._devices_waiting)
        self.devices.decided.connect(lambda _text: self.reload())
        self.devices.failed.connect(self.show_failure)
        self.facility.failed.connect(self.show_failure)
        self.conflicts.failed.connect(self.show_failure)

    def _sorted(self, model: Any) -> Any:
        from PySide6.QtCore import QSortFilterProxyModel

        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(model)
        proxy.setSortRole(SORT_ROLE)
        return proxy

    def _overview_tab(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        bar, dates = QHBoxLayout(), QHBoxLayout()  # two rows: one is too wide for 1024 px
        self.district_filter, self.tool_filter = QComboBox(page), QComboBox(page)
        self.category_filter, self.verdict_filter = QComboBox(page), QComboBox(page)
        self.date_from, self.date_to = QLineEdit(page), QLineEdit(page)
        self.due_only = QCheckBox(tr("Due only"), page)
        for box, name in ((self.district_filter, tr("District")), (self.tool_filter, tr("AI tool")),
                          (self.category_filter, tr("Use category")), (self.verdict_filter, tr("Verdict"))):  # fmt: skip
            box.setAccessibleName(name)
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(8)  # long names show in the open list, not the bar
            bar.addWidget(QLabel(name, page))
            bar.addWidget(box, 1)
            box.currentIndexChanged.connect(self.apply_filter)
        for edit, name in ((self.date_from, tr("From")), (self.date_to, tr("To"))):
            edit.setPlaceholderText(tr("YYYY-MM-DD"))
            edit.setMaximumWidth(110)
            edit.setAccessibleName(name)
            dates.addWidget(QLabel(name, page))
            dates.addWidget(edit)
            edit.editingFinished.connect(self.apply_filter)
        self.due_only.toggled.connect(self.apply_filter)
        dates.addWidget(self.due_only)
        dates.addStretch(1)
        layout.addLayout(bar)
        layout.addLayout(dates)
        self.overview_view = table_view(self.overview_proxy, page)
        layout.addWidget(self.overview_view, 1)
        self.shown_label = QLabel(page)
        layout.addWidget(self.shown_label)
        return page

    def _with_legend(self, view: QTableView) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        words = {"good": tr("✔ at or above the ready level"), "fair": tr("▲ at or above the domain minimum"),
                 "low": tr("✖ below the domain minimum")}  # fmt: skip
        chips = []
        for band, text in words.items():
            background, foreground = band_colours(band)
            chips.append(f'<span style="background:{background}; color:{foreground};">'
                         f"&nbsp;{html.escape(text)}&nbsp;</span>")  # fmt: skip
        # One wrapping line of coloured words, in the heat map's own colours for this palette.
        self.legend = QLabel(html.escape(tr("Latest domain score of each facility and AI tool:"))
                             + " " + " ".join(chips), page)  # fmt: skip
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        layout.addWidget(self.legend)
        layout.addWidget(view, 1)
        return page

    # -- data ---------------------------------------------------------------------------------
    def _devices_waiting(self, n: int) -> None:
        self.tabs.setTabText(
            self.devices_tab, tr("Devices ({n} waiting)").format(n=n) if n else tr("Devices")
        )

    def reload(self) -> None:
        self.devices.reload()
        self.status.setText(tr("Loading…"))
        self.runner.run(load_overview, self.show_overview, self._load_failed)
        self.runner.run(load_hub, self.show_data, self._load_failed)

    def show_overview(self, result: tuple[list[Any], int]) -> None:
        rows, months = result
        self.empty_hint.setVisible(not rows)
        self.months.blockSignals(True)
        self.months.setValue(months)
        self.months.blockSignals(False)
        self._months_shown = months
        self.overview_model.set_rows(rows)
        self.overview_view.resizeColumnsToContents()
        self.apply_filter()
        self.status.setText(tr("Scoring the latest assessments…"))
        self.overview_loaded.emit()

    def _load_failed(self, error: BaseException) -> None:
        self.show_failure(error)
        self.status.setText(tr("The district figures could not be loaded."))

    def show_data(self, data: HubData) -> None:
        self.data = data
        summary = data.summary
        self.months.blockSignals(True)
        self.months.setValue(summary.reassess_months)
        self.months.blockSignals(False)
        self._months_shown = summary.reassess_months
        self.overview_model.set_rows(summary.overview, summary.audit)
        show_audit(self.audit_banner, summary)
        self.heat_model.set_heatmap(summary.heatmap)
        self.gaps_model.set_gaps(summary.gaps)
        self._fill_filters()
        self.facility.set_facilities([(r.facility_code, r.facility_name) for r in summary.overview])
        self.conflicts.set_groups(data.conflicts)
        self.monitoring.set_log(summary.monitoring)
        serious = len(summary.monitoring.serious_events) if summary.monitoring else 0
        self.tabs.setTabText(
            self.tabs.indexOf(self.monitoring),
            tr("Monitoring ({n} serious)").format(n=serious) if serious else tr("Monitoring"),
        )
        self.tabs.setTabText(
            4,
            tr("Conflicts ({n})").format(n=len(data.conflicts))
            if data.conflicts
            else tr("Conflicts"),
        )
        for view in (self.overview_view, self.heat_view, self.gaps_view):
            view.resizeColumnsToContents()
        self.gaps_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch
        )  # questions are long: they get the room the domain names leave, on two lines
        domain_width = self.gaps_view.fontMetrics().averageCharWidth() * 22
        if self.gaps_view.columnWidth(1) > domain_width:
            self.gaps_view.setColumnWidth(1, domain_width)
        self.gaps_view.setWordWrap(True)
        self.gaps_view.resizeRowsToContents()
        for column in range(HeatMapModel.LABEL_COLUMNS, self.heat_model.columnCount()):
            self.heat_view.setColumnWidth(column, 112)  # nine domains fit 1366 px; titles wrap
        # domain titles wrap to four lines at most, at any text size
        self._heat_header.setMinimumHeight(self._heat_header.fontMetrics().lineSpacing() * 4 + 8)
        self.empty_hint.setVisible(not summary.overview)
        self.status.setText(tr("{assessed} of {known} facilities assessed · {due} with a re-assessment due · {n} final assessments").format(
            assessed=summary.facilities_assessed, known=summary.facilities_known, due=summary.facilities_overdue,
            n=len(summary.records)))  # fmt: skip
        self.apply_filter()
        self.loaded.emit()

    def _fill_filters(self) -> None:
        from guidecheck.district.overview import choices

        options = choices(self.data.summary.overview) if self.data else {}
        names = dict(use_category_options())
        lists = ((self.district_filter, [(d, d) for d in options.get("district", [])]),
                 (self.tool_filter, [(t, t) for t in options.get("tool", [])]),
                 (self.category_filter, [(c, names.get(c, c)) for c in options.get("use_category", [])]),
                 (self.verdict_filter, [(v, verdict_text(v)) for v in ("ready", "ready_with_conditions", "not_ready")]))  # fmt: skip
        for box, values in lists:
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(tr("Any"), "")
            for code, label in values:
                box.addItem(label, code)
            box.setCurrentIndex(max(box.findData(current), 0))
            box.blockSignals(False)

    def current_filter(self) -> OverviewFilter:
        def day(edit: QLineEdit) -> str:
            text = edit.text().strip()
            try:
                valid = dt.date.fromisoformat(text).isoformat() if text else ""
            except ValueError:
                valid = ""
            themed(edit, "" if valid or not text else "border: 2px solid {critical};")
            return valid

        return OverviewFilter(self.district_filter.currentData() or "", self.tool_filter.currentData() or "",
                              self.category_filter.currentData() or "", self.verdict_filter.currentData() or "",
                              day(self.date_from), day(self.date_to), self.due_only.isChecked())  # fmt: skip

    def apply_filter(self) -> None:
        self.overview_proxy.set_filter(self.current_filter())
        self.shown_label.setText(tr("{shown} of {total} facility AI tools shown").format(
            shown=self.overview_proxy.rowCount(), total=self.overview_model.rowCount()))  # fmt: skip

    # -- actions ------------------------------------------------------------------------------
    def open_facility_at(self, index: Any) -> None:
        row = index.data(ROW_ROLE) if index.isValid() else None
        if row is not None:
            self.open_facility(row.facility_code)

    def open_facility(self, code: str) -> None:
        self.tabs.setCurrentWidget(self.facility)
        self.facility.show_facility(code)

    def save_interval(self) -> None:
        months = self.months.value()
        if self._closing or months == self._months_shown:
            return
        self._months_shown = months

        def work(context: TaskContext) -> None:
            from guidecheck.district.settings import set_reassess_months

            set_reassess_months(context.store, months)

        self.runner.run(work, lambda _r: self.reload(), self.show_failure)

    def export(self, kind: str) -> None:
        suffix = {
            "pdf": ("district-report.pdf", tr("PDF (*.pdf)")),
            "xlsx": ("district-workbook.xlsx", tr("Excel workbook (*.xlsx)")),
        }[kind]
        path, _filter = QFileDialog.getSaveFileName(
            self, tr("Save the district report"), str(Path.home() / suffix[0]), suffix[1]
        )
        if not path:
            return
        summary_line = self.status.text()
        self.status.setText(tr("Writing {name}…").format(name=Path(path).name))

        def work(context: TaskContext) -> str:
            from guidecheck.district.summary import build_summary

            summary = build_summary(context.store)
            if kind == "pdf":
                from guidecheck.district.report_pdf import write_district_pdf

                return str(write_district_pdf(summary, path))
            from guidecheck.district.report_workbook import write_district_workbook

            return str(write_district_workbook(context.store, summary, path))

        def done(written: str) -> None:
            self.status.setText(summary_line)  # the district summary stays; "Saved" goes below
            self._show_saved(Path(written))
            self.export_finished.emit(written)

        self.runner.run(work, done, self.show_failure)

    def _show_saved(self, path: Path | None) -> None:
        """ "Saved district.pdf" with Open and Show in folder beside it (the summary line stays)."""
        self.saved_path = path
        for widget in (self.saved_label, self.open_saved_button, self.show_saved_button):
            widget.setVisible(path is not None)
        if path is not None:
            self.saved_label.setText(tr("Saved {path}").format(path=path))

    def open_saved(self, folder: bool) -> bool:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        if self.saved_path is None:
            return False
        target = self.saved_path.parent if folder else self.saved_path
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
            return True
        self.saved_label.setText(
            tr("Saved {path}. No program to open it is installed here.").format(
                path=self.saved_path
            )
            if not folder
            else tr("Saved {path}. The folder could not be opened here.").format(
                path=self.saved_path
            )
        )
        return False

    def _conflict_resolved(self, key: str) -> None:
        self.conflict_resolved.emit(key)
        self.reload()

    def show_failure(self, error: BaseException) -> None:
        from guidecheck.errors import UserError

        message = (
            error.message
            if isinstance(error, UserError)
            else tr("Something went wrong; details are in the log.")
        )
        if not isinstance(error, UserError):
            import logging

            logging.getLogger(__name__).error("district hub task failed", exc_info=error)
        self.status.setText(message)
        self.failed.emit(message)

    def closeEvent(self, event: Any) -> None:
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the hub's own worker (not a runner lent by the main window)."""
        self._closing = True
        if self._own_runner:
            self.runner.shutdown()


def open_district_view(
    parent: QWidget | None, home: Path | str, runner: TaskRunner | None = None
) -> DistrictHub:
    """The hub screen for the installation in `home` (its guidecheck.db)."""
    from guidecheck.paths import database_path

    return DistrictHub(database_path(Path(home)), parent, runner)
