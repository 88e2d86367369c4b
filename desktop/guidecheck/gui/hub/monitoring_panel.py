"""The district view's Monitoring tab: what clinics logged about their AI tools between
assessments. Serious events and harm come first, then events and override rates per facility
and tool. Filled from `monitoring.district.DistrictMonitoring` (computed in the worker)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from guidecheck.monitoring.model import kind_label, severity_label

HARM_TINT = "#FFCDD2"
SERIOUS_TINT = "#FFE0B2"


def _table(parent: QWidget, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    # rows grow with their wrapped text whenever the columns change width (a small window)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.setWordWrap(True)
    return table


def _cell(text: str, tint: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(text)  # the whole text, even where the column cuts it
    if tint:
        item.setBackground(QBrush(QColor(tint)))
        item.setForeground(QBrush(QColor("#1A1A1A")))  # readable on the tint in dark mode too
    return item


class MonitoringPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.serious_label = QLabel(self.tr("Serious events and harm, worst first"), self)
        self.serious_label.setStyleSheet("font-weight:bold;")
        layout.addWidget(self.serious_label)
        self.serious = _table(
            self,
            [self.tr("Date"), self.tr("Facility"), self.tr("AI tool"), self.tr("Severity"),
             self.tr("Kind"), self.tr("What happened"), self.tr("What was done")],
        )  # fmt: skip
        self.serious.setAccessibleName(self.tr("Serious events"))
        layout.addWidget(self.serious, 3)
        tools_label = QLabel(self.tr("Per facility and AI tool"), self)
        tools_label.setStyleSheet("font-weight:bold;")
        layout.addWidget(tools_label)
        self.tools = _table(
            self,
            [self.tr("Facility"), self.tr("AI tool"), self.tr("Events"), self.tr("Serious"),
             self.tr("Harm"), self.tr("Times used"), self.tr("Overruled"), self.tr("Override rate"),
             self.tr("Last event")],
        )  # fmt: skip
        self.tools.setAccessibleName(self.tr("Monitoring per facility and AI tool"))
        layout.addWidget(self.tools, 2)
        self.log: Any = None

    def set_log(self, log: Any) -> None:
        self.log = log
        events = log.events if log is not None else ()
        serious = log.serious_events if log is not None else ()
        rows = log.rows if log is not None else ()
        if not events and not (log is not None and log.tallies):
            self.status.setText(
                self.tr(
                    "No monitoring log has arrived yet. Clinics log what their AI tool does with "
                    "“Log an observation”; it comes in their bundles."
                )
            )
        else:
            self.status.setText(
                self.tr("{n} events from {f} facilities · {s} serious or harmful").format(
                    n=len(events), f=len({r.facility_code for r in rows}), s=len(serious)
                )
            )
        self.serious.setRowCount(len(serious))
        names = log.facility_names if log is not None else {}
        for row, e in enumerate(serious):
            tint = HARM_TINT if e.severity == "harm" else SERIOUS_TINT
            values = [e.date, names.get(e.facility_code, e.facility_code), e.tool_name,
                      severity_label(e.severity), kind_label(e.kind), e.what_happened, e.action_taken]  # fmt: skip
            for column, value in enumerate(values):
                self.serious.setItem(row, column, _cell(value, tint if column == 3 else None))
        self.serious_label.setVisible(bool(serious))
        self.serious.setVisible(bool(serious))
        self.tools.setRowCount(len(rows))
        for row, r in enumerate(rows):
            rate = "–" if r.override_rate is None else f"{r.override_rate:.0%}"
            values = [r.facility_name, r.tool_name, str(r.events), str(r.serious), str(r.harm),
                      str(r.times_used), str(r.times_overridden), rate, r.last_event]  # fmt: skip
            for column, value in enumerate(values):
                tint = {3: SERIOUS_TINT if r.serious else None, 4: HARM_TINT if r.harm else None}
                item = _cell(value, tint.get(column))
                if column >= 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.tools.setItem(row, column, item)
        for table, stretch in ((self.serious, 5), (self.tools, 0)):
            table.resizeColumnsToContents()
            if table is self.serious:  # long texts wrap in their column instead of widening it
                for column in (5, 6):
                    table.setColumnWidth(column, min(table.columnWidth(column), 260))
            table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
            table.resizeRowsToContents()
