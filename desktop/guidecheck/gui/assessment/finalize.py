"""Finalize: the sign-off (assessor name and role, facility head, date), after which the
assessment is read-only. The store checks completeness again; this screen checks the fields.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guidecheck.checklist.model import Assessment, ScoreResult, SignOff
from guidecheck.gui.assessment.editors import CalendarButton
from guidecheck.gui.shell.labels import score_text, set_scaled_font, verdict_text
from guidecheck.gui.shell.theme import themed


class FinalizeScreen(QWidget):
    sign_requested = Signal(object)  # SignOff
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        self.title = QLabel(self.tr("Finalize and sign"), self)
        set_scaled_font(self.title, 1.35, bold=True)
        outer.addWidget(self.title)
        explain = QLabel(
            self.tr(
                "Signing makes this assessment final: its answers can no longer be changed, and it can be "
                "printed and sent to the district. If something changes later, use “Revise” on the home "
                "screen to make a new revision; the signed one is kept."
            ),
            self,
        )
        explain.setWordWrap(True)
        outer.addWidget(explain)
        self.result_line = QLabel(self)
        self.result_line.setWordWrap(True)
        set_scaled_font(self.result_line, 1.1, bold=True)
        outer.addWidget(self.result_line)
        box = QGroupBox(self.tr("Sign-off"), self)
        form = QFormLayout(box)
        self.assessor_name = QLineEdit(box)
        self.assessor_role = QLineEdit(box)
        self.head_name = QLineEdit(box)
        self.head_name.setPlaceholderText(self.tr("the person in charge of the facility"))
        self.date = QLineEdit(box)
        self.date.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.date_message = QLabel(box)
        themed(self.date_message, "color:{error};")
        self.calendar = CalendarButton(self.date, box)
        self.calendar.picked.connect(lambda _text: self.date_message.clear())
        date_row = QHBoxLayout()
        date_row.addWidget(self.date)
        date_row.addWidget(self.calendar)
        date_row.addWidget(self.date_message, 1)
        form.addRow(self.tr("&Assessor name *"), self.assessor_name)
        form.addRow(self.tr("Assessor &role"), self.assessor_role)
        form.addRow(self.tr("Facility head na&me *"), self.head_name)
        date_label = QLabel(self.tr("&Date *"), box)
        date_label.setBuddy(self.date)
        form.addRow(date_label, date_row)
        box.setMaximumWidth(760)
        outer.addWidget(box)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        themed(self.message, "color:{error};")
        outer.addWidget(self.message)
        outer.addStretch(1)
        buttons = QHBoxLayout()
        self.back_button = QPushButton(self.tr("← &Back to review"), self)
        self.sign_button = QPushButton(self.tr("&Sign and make final"), self)
        self.sign_button.setDefault(True)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.sign_button)
        outer.addLayout(buttons)
        self.back_button.clicked.connect(self.back_requested)
        self.sign_button.clicked.connect(self._sign)
        self.date.returnPressed.connect(self._sign)

    def set_assessment(self, assessment: Assessment, result: ScoreResult | None = None) -> None:
        profile = assessment.profile
        if result is not None:
            self.result_line.setText(
                self.tr(
                    "You are signing: {verdict}, overall score {score}, red flags: {flags}."
                ).format(
                    verdict=verdict_text(result.verdict),
                    score=score_text(result.overall),
                    flags=len(result.red_flags),
                )
            )
        self.title.setText(
            self.tr("Finalize and sign — {facility}, {tool}").format(
                facility=profile.facility_name, tool=profile.tool_name
            )
        )
        self.assessor_name.setText(profile.assessor_name)
        self.assessor_role.setText(profile.assessor_role)
        self.head_name.clear()
        self.date.setText(dt.date.today().isoformat())
        self.message.clear()
        self.date_message.clear()

    def _sign(self) -> None:
        self.message.clear()
        self.date_message.clear()
        date_text = self.date.text().strip()
        try:
            date_text = dt.date.fromisoformat(date_text).isoformat()
        except ValueError:
            self.date_message.setText(
                self.tr("Please write the date as year-month-day, for example 2025-03-31.")
            )
            return
        if not self.assessor_name.text().strip():
            self.message.setText(self.tr("Please type the assessor's name."))
            return
        if not self.head_name.text().strip():
            self.message.setText(self.tr("Please type the name of the facility head."))
            return
        self.sign_requested.emit(
            SignOff(
                assessor_name=self.assessor_name.text().strip(),
                assessor_role=self.assessor_role.text().strip(),
                facility_head_name=self.head_name.text().strip(),
                date=date_text,
            )
        )

    def show_problem(self, text: str) -> None:
        self.message.setText(text)
