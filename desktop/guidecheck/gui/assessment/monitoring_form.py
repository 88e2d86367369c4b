"""The monitoring log in the clinic app: "Log an observation" (a few seconds' form), the monthly
counts, and the panel showing on the monitoring part of an assessment what was logged since the
last one. The dialogs only gather input: the window saves through its task runner, and a refusal
(an identifier in the text, a bad date) comes back as one sentence while the text stays to edit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from guidecheck.gui.shell.theme import themed
from guidecheck.monitoring.identifiers import identifier_sentence
from guidecheck.monitoring.model import (
    KINDS,
    SEVERITIES,
    Observation,
    Tally,
    kind_label,
    severity_label,
)

# Tone templates (gui/shell/theme.py): text and fill follow a light, dark or high-contrast palette.
WARNING_STYLE = "background:{warning_bg}; color:{warning_fg}; padding:6px; border-radius:4px;"
PROBLEM_STYLE = "color:{error}; padding:4px; font-weight:bold;"


def tool_choices(tools: list[Any], facilities: list[Any]) -> list[tuple[str, str, str]]:
    """(label, facility code, tool id) for every tool on this laptop, by facility then tool."""
    names = {f.code: f.name for f in facilities}
    rows = []
    for tool in sorted(tools, key=lambda t: (names.get(t.facility_code, ""), t.name, t.version)):
        version = f" {tool.version}" if tool.version else ""
        facility = names.get(tool.facility_code, tool.facility_code)
        rows.append((f"{tool.name}{version} — {facility}", tool.facility_code, tool.id))
    return rows


def _tool_combo(parent: QWidget, choices: list[tuple[str, str, str]]) -> QComboBox:
    combo = QComboBox(parent)
    for label, code, tool_id in choices:
        combo.addItem(label, (code, tool_id))
    combo.setMinimumContentsLength(24)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return combo


def _problem_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    themed(label, PROBLEM_STYLE)
    label.setAccessibleName(parent.tr("Problem"))
    label.hide()
    return label


class ObservationDialog(QDialog):
    """Date, tool, kind, severity, what happened, what was done: Save emits `submitted`."""

    submitted = Signal(object)  # Observation

    def __init__(self, choices: list[tuple[str, str, str]], actor: str = "",
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.actor = actor
        self.setWindowTitle(self.tr("Log an observation"))
        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.date = QDateEdit(QDate.currentDate(), self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setMaximumDate(QDate.currentDate())
        self.date.setMinimumDate(QDate(2000, 1, 1))
        form.addRow(self.tr("&Date:"), self.date)
        self.tool = _tool_combo(self, choices)
        form.addRow(self.tr("AI &tool:"), self.tool)
        layout.addLayout(form)

        layout.addWidget(QLabel(self.tr("What kind of event?"), self))
        kinds = QGridLayout()
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[str, QRadioButton] = {}
        for n, kind in enumerate(KINDS):
            button = QRadioButton(kind_label(kind), self)
            self.kind_group.addButton(button, n)
            self.kind_buttons[kind] = button
            kinds.addWidget(button, n // 2, n % 2)
        layout.addLayout(kinds)
        layout.addWidget(QLabel(self.tr("How serious?"), self))
        severities = QHBoxLayout()
        self.severity_group = QButtonGroup(self)
        self.severity_buttons: dict[str, QRadioButton] = {}
        for n, severity in enumerate(SEVERITIES):
            button = QRadioButton(severity_label(severity), self)
            self.severity_group.addButton(button, n)
            self.severity_buttons[severity] = button
            severities.addWidget(button)
        severities.addStretch(1)
        layout.addLayout(severities)

        self.warning = QLabel(
            self.tr(
                "⚠ No patient names, phone numbers or record numbers: this log goes to the district."
            ),
            self,
        )
        self.warning.setWordWrap(True)
        themed(self.warning, WARNING_STYLE)
        layout.addWidget(self.warning)
        self.what_label = QLabel(self.tr("What &happened?"), self)
        self.what = QPlainTextEdit(self)
        self.what.setTabChangesFocus(True)
        self.what.setMinimumHeight(60)
        self.what_label.setBuddy(self.what)
        layout.addWidget(self.what_label)
        layout.addWidget(self.what, 2)
        self.action_label = QLabel(self.tr("What &was done? (optional)"), self)
        self.action = QPlainTextEdit(self)
        self.action.setTabChangesFocus(True)
        self.action.setMinimumHeight(44)
        self.action_label.setBuddy(self.action)
        layout.addWidget(self.action_label)
        layout.addWidget(self.action, 1)
        self.problem = _problem_label(self)
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if not choices:
            self.show_problem(
                self.tr(
                    "No AI tool is registered on this laptop yet: start an assessment of the tool first."
                )
            )
            self.save_button.setEnabled(False)
        self.resize(560, 520)

    def chosen(self, group: QButtonGroup, options: tuple[str, ...]) -> str:
        index = group.checkedId()
        return options[index] if index >= 0 else ""

    def submit(self) -> None:
        """Check what can be checked here, then hand the observation to the window to save."""
        kind = self.chosen(self.kind_group, KINDS)
        severity = self.chosen(self.severity_group, SEVERITIES)
        if not kind:
            return self.show_problem(self.tr("Please choose what kind of event it was."))
        if not severity:
            return self.show_problem(self.tr("Please choose how serious it was."))
        what, action = self.what.toPlainText(), self.action.toPlainText()
        if not what.strip():
            self.what.setFocus()
            return self.show_problem(self.tr("Please say what happened."))
        for label, text, editor in (
            (self.tr("What happened"), what, self.what),
            (self.tr("What was done"), action, self.action),
        ):
            sentence = identifier_sentence(label, text)
            if sentence:
                editor.setFocus()
                return self.show_problem(sentence)
        code, tool_id = self.tool.currentData()
        self.problem.hide()
        self.save_button.setEnabled(False)
        self.submitted.emit(
            Observation(
                date=self.date.date().toString("yyyy-MM-dd"),
                facility_code=code,
                tool_id=tool_id,
                kind=kind,
                severity=severity,
                what_happened=what,
                action_taken=action,
                recorded_by=self.actor,
            )
        )
        return None

    def show_problem(self, sentence: str) -> None:
        """Say what is wrong; every field keeps its text so the person can fix it."""
        self.problem.setText(sentence)
        self.problem.show()
        self.save_button.setEnabled(self.tool.count() > 0)


class TallyDialog(QDialog):
    """One tool's count for one month: times used and times the clinician overruled it."""

    submitted = Signal(object)  # Tally

    def __init__(self, choices: list[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Monthly counts for an AI tool"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Count from the register how often the tool was used in the month, and how often "
                "the clinician disagreed with it. Saving the same month again corrects it."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.tool = _tool_combo(self, choices)
        form.addRow(self.tr("AI &tool:"), self.tool)
        self.month = QComboBox(self)
        today = dt.date.today()
        year, month = today.year, today.month
        for _n in range(24):
            self.month.addItem(f"{year:04d}-{month:02d}")
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        form.addRow(self.tr("&Month:"), self.month)
        self.used = QSpinBox(self)
        self.used.setRange(0, 1_000_000)
        form.addRow(self.tr("Times &used:"), self.used)
        self.overridden = QSpinBox(self)
        self.overridden.setRange(0, 1_000_000)
        form.addRow(self.tr("Times &overruled:"), self.overridden)
        self.rate = QLabel(self)
        form.addRow(self.tr("Override rate:"), self.rate)
        layout.addLayout(form)
        self.problem = _problem_label(self)
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.used.valueChanged.connect(self._show_rate)
        self.overridden.valueChanged.connect(self._show_rate)
        self._show_rate()
        self.setMinimumWidth(480)
        if not choices:
            self.show_problem(
                self.tr(
                    "No AI tool is registered on this laptop yet: start an assessment of the tool first."
                )
            )
            self.save_button.setEnabled(False)

    def _show_rate(self) -> None:
        used, over = self.used.value(), self.overridden.value()
        self.rate.setText(f"{over / used:.0%}" if used else "–")

    def submit(self) -> None:
        code, tool_id = self.tool.currentData()
        self.problem.hide()
        self.save_button.setEnabled(False)
        self.submitted.emit(
            Tally(
                tool_id=tool_id,
                month=self.month.currentText(),
                times_used=self.used.value(),
                times_overridden=self.overridden.value(),
                facility_code=code,
            )  # fmt: skip
        )

    def show_problem(self, sentence: str) -> None:
        self.problem.setText(sentence)
        self.problem.show()
        self.save_button.setEnabled(self.tool.count() > 0)


class MonitoringSincePanel(QLabel):
    """On the monitoring part of an assessment: what was logged since the last assessment."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        themed(self, WARNING_STYLE)
        self.setAccessibleName(self.tr("Monitoring log since the last assessment"))
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def set_log(self, log: Any) -> None:
        """Fill in from a `monitoring.since.MonitoringSince` (None or empty: nothing to show)."""
        if log is None or log.empty:
            self.setText("")
            return
        lines = [
            self.tr("Monitoring log since the last final assessment (signed off {date}):").format(
                date=log.since[:10]
            )
            if log.since
            else self.tr("Monitoring log of this tool so far (no earlier final assessment):")
        ]
        if log.events:
            severities = log.by_severity()
            kinds = log.by_kind()
            lines.append(
                self.tr("{n} events — {severities}; {kinds}.").format(
                    n=len(log.events),
                    severities=", ".join(
                        f"{severity_label(s).lower()} {severities[s]}"
                        for s in SEVERITIES
                        if severities[s]
                    ),
                    kinds=", ".join(
                        f"{kind_label(k).lower()} {kinds[k]}" for k in KINDS if kinds[k]
                    ),
                )
            )
        trend = log.override_trend()
        if trend:
            lines.append(
                self.tr("Override rate by month: {months}.").format(
                    months=", ".join(
                        f"{m} {'–' if r is None else f'{r:.0%}'} ({o}/{u})"
                        for m, u, o, r in trend[-6:]
                    )
                )
            )
        for event in log.serious[:3]:
            lines.append(
                self.tr("For review: {date} · {severity} · {text}").format(
                    date=event.date,
                    severity=severity_label(event.severity),
                    text=" ".join(event.what_happened.split())[:160],
                )
            )
        if len(log.serious) > 3:
            lines.append(self.tr("…and {n} more serious events.").format(n=len(log.serious) - 3))
        self.setText("\n".join(lines))

    @property
    def has_content(self) -> bool:
        return bool(self.text())


class MonitoringActions:
    """Opens the two dialogs for the main window and saves what they give through its runner."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.dialog: ObservationDialog | TallyDialog | None = None
        self.saved_ids: list[str] = []

    def _with_tools(self, then: Any) -> None:
        def work(context: Any) -> list[tuple[str, str, str]]:
            return tool_choices(context.store.tools(), context.store.facilities())

        self.window.runner.task(work).success(then).failure(self.window.show_error).run()

    def log_observation(self) -> None:
        self._with_tools(self._open_observation)

    def record_tally(self) -> None:
        self._with_tools(self._open_tally)

    def _open_observation(self, choices: list[tuple[str, str, str]]) -> None:
        actor = self.window.assessment.profile.assessor_name if self.window.assessment else ""
        dialog = ObservationDialog(choices, actor, self.window)
        dialog.submitted.connect(lambda observation: self._save(dialog, observation))
        self._show(dialog)

    def _open_tally(self, choices: list[tuple[str, str, str]]) -> None:
        dialog = TallyDialog(choices, self.window)
        dialog.submitted.connect(lambda tally: self._save(dialog, tally))
        self._show(dialog)

    def _show(self, dialog: QDialog) -> None:
        self.dialog = dialog  # type: ignore[assignment]
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _save(self, dialog: Any, record: Observation | Tally) -> None:
        from guidecheck.errors import UserError

        def work(context: Any) -> Any:
            from guidecheck.monitoring import store as monitoring

            if isinstance(record, Observation):
                return monitoring.add_observation(context.store, record, record.recorded_by)
            return monitoring.save_tally(context.store, record)

        def saved(result: Any) -> None:
            if isinstance(result, str):
                self.saved_ids.append(result)
                message = dialog.tr("Observation saved.")
            else:
                message = dialog.tr("Counts for {month} saved.").format(month=result.month)
            self.window.busy_label.setText(message)
            dialog.accept()

        def failed(error: BaseException) -> None:
            if isinstance(error, UserError):
                dialog.show_problem(error.message)
            else:
                dialog.show_problem("")
                dialog.problem.hide()
                self.window.show_error(error)

        self.window.runner.task(work).success(saved).failure(failed).run()
