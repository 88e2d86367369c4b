"""The district hub's overview tab: the table of facility AI tools with its filter bar (district,
tool, use category, verdict, dates, due only) and the "n of m shown" line.

A mixin of `DistrictHub` (district_view.py), kept apart so each module stays small; `self` is the
hub screen, whose worker fills the table.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from guidecheck.district.overview import OverviewFilter
from guidecheck.gui.hub.table_view import table_view
from guidecheck.gui.shell.labels import tr, use_category_options, verdict_text
from guidecheck.gui.shell.theme import themed


class OverviewFilters:
    """Methods DistrictHub gets for its overview tab; `self` is the DistrictHub."""

    data: Any
    overview_model: Any
    overview_proxy: Any

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
