"""The district hub screen: overview, heat map, most common gaps, facility detail and conflicts.

Shown by the main window when the installation is a district hub (guidecheck.bundles.keys.
is_district_hub). Every database read and every export runs on the task runner's single worker
(gui/shell/tasks.py); the screen only shows what comes back. Entry point: `DistrictHub(database,
parent, runner=None)`, or `open_district_view(parent, home)`. Its overview tab and filters are in
`overview_filters.py`, its exports in `district_exports.py`, what its worker reads in `hub_data.py`.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from guidecheck.gui.hub.audit_banner import audit_banner, show_audit
from guidecheck.gui.hub.devices_panel import DevicesPanel
from guidecheck.gui.hub.district_exports import DistrictExports
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
from guidecheck.gui.hub.hub_data import HubData, load_hub, load_overview, path_home
from guidecheck.gui.hub.overview_filters import OverviewFilters
from guidecheck.gui.hub.table_view import table_view
from guidecheck.gui.shell.labels import set_scaled_font, tr
from guidecheck.gui.shell.tasks import TaskContext, TaskRunner
from guidecheck.gui.shell.theme import themed


class DistrictHub(OverviewFilters, DistrictExports, QWidget):
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
        self._build_saved_row(layout)

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
