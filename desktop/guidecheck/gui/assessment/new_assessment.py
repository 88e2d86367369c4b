"""New assessment: pick a questionnaire, then fill the profile (facility, AI tool, assessor).

Facilities and AI tools already entered on this laptop are offered in editable combo boxes, and
choosing one fills its other fields, so the same clinic is not typed three different ways.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from guidecheck.checklist.model import Facility, Profile, Questionnaire, Tool
from guidecheck.errors import UserError
from guidecheck.gui.shell.labels import set_scaled_font, use_category_options
from guidecheck.storage.store import check_profile


class NewAssessmentScreen(QWidget):
    start_requested = Signal(object, object)  # Questionnaire, Profile
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.questionnaires: list[Questionnaire] = []
        self.facilities: list[Facility] = []
        self.tools: list[Tool] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        self.heading = QLabel(self)
        set_scaled_font(self.heading, 1.35, bold=True)
        outer.addWidget(self.heading)
        self.steps = QStackedWidget(self)
        outer.addWidget(self.steps, 1)
        self.steps.addWidget(self._build_picker())
        self.steps.addWidget(self._build_profile())
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setObjectName("formMessage")
        self.message.setStyleSheet("color:#8a1c0f;")
        outer.addWidget(self.message)
        buttons = QHBoxLayout()
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.back_button = QPushButton(self.tr("← &Back"), self)
        self.next_button = QPushButton(self.tr("Ne&xt →"), self)
        self.next_button.setDefault(True)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        outer.addLayout(buttons)
        self.cancel_button.clicked.connect(self.cancelled)
        self.back_button.clicked.connect(lambda: self.show_step(0))
        self.next_button.clicked.connect(self._next)
        self.show_step(0)

    # -- step 1 ------------------------------------------------------------------------------------
    def _build_picker(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel(self.tr("Which checklist do you want to use?"), page)
        self.questionnaire_list = QListWidget(page)
        self.questionnaire_list.setWordWrap(True)
        self.questionnaire_list.setSpacing(6)
        self.questionnaire_list.setAccessibleName(self.tr("Checklists"))
        self.questionnaire_list.itemActivated.connect(lambda _item: self._next())
        label.setBuddy(self.questionnaire_list)
        self.picker_problems = QLabel(page)
        self.picker_problems.setWordWrap(True)
        layout.addWidget(label)
        layout.addWidget(self.questionnaire_list, 1)
        layout.addWidget(self.picker_problems)
        return page

    def set_questionnaires(self, questionnaires: list[Questionnaire], problems: list[str]) -> None:
        self.questionnaires = list(questionnaires)
        self.questionnaire_list.clear()
        for questionnaire in questionnaires:
            count = len(questionnaire.items)
            text = self.tr("{title}\nversion {version} · {count} questions · {source}").format(
                title=questionnaire.title.local,
                version=questionnaire.version,
                count=count,
                source=questionnaire.guidance_source or questionnaire.id,
            )
            row = QListWidgetItem(text)
            row.setToolTip(questionnaire.description.local)
            self.questionnaire_list.addItem(row)
        if questionnaires:
            self.questionnaire_list.setCurrentRow(0)
        self.picker_problems.setText(
            self.tr("Some checklist files could not be used: {problems}").format(
                problems="; ".join(problems)
            )
            if problems
            else ""
        )

    def selected_questionnaire(self) -> Questionnaire | None:
        row = self.questionnaire_list.currentRow()
        return self.questionnaires[row] if 0 <= row < len(self.questionnaires) else None

    # -- step 2 ------------------------------------------------------------------------------------
    def _build_profile(self) -> QWidget:
        page = QWidget(self)
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)

        facility_box = QGroupBox(self.tr("Facility"), page)
        facility_form = QFormLayout(facility_box)
        self.facility_name = QComboBox(facility_box)
        self.facility_name.setEditable(True)
        self.facility_name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.facility_name.lineEdit().setPlaceholderText(self.tr("e.g. Kisumu East Health Centre"))
        self.facility_name.activated.connect(self._facility_chosen)
        self.facility_code = QLineEdit(facility_box)
        self.facility_code.setPlaceholderText(self.tr("the code the district uses"))
        self.district = QLineEdit(facility_box)
        self.region = QLineEdit(facility_box)
        facility_form.addRow(self.tr("Facility &name *"), self.facility_name)
        facility_form.addRow(self.tr("Facility &code *"), self.facility_code)
        facility_form.addRow(self.tr("&District"), self.district)
        facility_form.addRow(self.tr("Re&gion"), self.region)

        tool_box = QGroupBox(self.tr("AI tool being checked"), page)
        tool_form = QFormLayout(tool_box)
        self.tool_name = QComboBox(tool_box)
        self.tool_name.setEditable(True)
        self.tool_name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.tool_name.activated.connect(self._tool_chosen)
        self.tool_vendor = QLineEdit(tool_box)
        self.tool_version = QLineEdit(tool_box)
        self.tool_use = QLineEdit(tool_box)
        self.tool_use.setPlaceholderText(self.tr("what the clinic uses it for"))
        self.tool_deployed = QLineEdit(tool_box)
        self.tool_deployed.setPlaceholderText(self.tr("YYYY-MM-DD, if known"))
        self.use_category = QComboBox(tool_box)
        for code, label in use_category_options():
            self.use_category.addItem(label, code)
        tool_form.addRow(self.tr("AI &tool name *"), self.tool_name)
        tool_form.addRow(self.tr("&Vendor"), self.tool_vendor)
        tool_form.addRow(self.tr("Versi&on"), self.tool_version)
        tool_form.addRow(self.tr("&Used for"), self.tool_use)
        tool_form.addRow(self.tr("In use since"), self.tool_deployed)
        tool_form.addRow(self.tr("&Kind of use *"), self.use_category)

        assessor_box = QGroupBox(self.tr("Who is assessing"), page)
        assessor_form = QFormLayout(assessor_box)
        self.assessor_name = QLineEdit(assessor_box)
        self.assessor_role = QLineEdit(assessor_box)
        self.assessor_role.setPlaceholderText(self.tr("e.g. Nurse in charge"))
        self.date = QLineEdit(assessor_box)
        self.date.setPlaceholderText(self.tr("YYYY-MM-DD"))
        assessor_form.addRow(self.tr("&Assessor name *"), self.assessor_name)
        assessor_form.addRow(self.tr("Assessor &role"), self.assessor_role)
        assessor_form.addRow(self.tr("Date of assessment *"), self.date)
        note = QLabel(self.tr("Fields marked * are needed."), page)

        grid.addWidget(facility_box, 0, 0)
        grid.addWidget(tool_box, 0, 1, 2, 1)
        grid.addWidget(assessor_box, 1, 0)
        grid.addWidget(note, 2, 0, 1, 2)
        grid.setRowStretch(3, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        return page

    def set_known(self, facilities: list[Facility], tools: list[Tool]) -> None:
        """Offer the facilities and AI tools already on this laptop."""
        self.facilities = list(facilities)
        self.tools = list(tools)
        self.facility_name.clear()
        for facility in facilities:
            self.facility_name.addItem(facility.name, facility.code)
        self.facility_name.setCurrentIndex(-1)
        self.facility_name.setEditText("")
        self._fill_tools(None)

    def _fill_tools(self, facility_code: str | None) -> None:
        self.tool_name.clear()
        seen: set[str] = set()
        for tool in self.tools:
            if facility_code and tool.facility_code != facility_code:
                continue
            key = f"{tool.name} {tool.version}"
            if key in seen:
                continue
            seen.add(key)
            label = tool.name if not tool.version else f"{tool.name} ({tool.version})"
            self.tool_name.addItem(label, tool.id)
        self.tool_name.setCurrentIndex(-1)
        self.tool_name.setEditText("")

    def _facility_chosen(self, index: int) -> None:
        code = self.facility_name.itemData(index)
        for facility in self.facilities:
            if facility.code == code:
                self.facility_code.setText(facility.code)
                self.district.setText(facility.district)
                self.region.setText(facility.region)
        self._fill_tools(code)

    def _tool_chosen(self, index: int) -> None:
        tool_id = self.tool_name.itemData(index)
        for tool in self.tools:
            if tool.id == tool_id:
                self.tool_name.setEditText(tool.name)
                self.tool_vendor.setText(tool.vendor)
                self.tool_version.setText(tool.version)
                self.tool_use.setText(tool.intended_use)
                self.tool_deployed.setText(tool.date_deployed)
                position = self.use_category.findData(tool.use_category)
                if position >= 0:
                    self.use_category.setCurrentIndex(position)

    def profile(self) -> Profile:
        return Profile(
            facility_name=self.facility_name.currentText().strip(),
            facility_code=self.facility_code.text().strip(),
            district=self.district.text().strip(),
            region=self.region.text().strip(),
            tool_name=self.tool_name.currentText().strip(),
            tool_vendor=self.tool_vendor.text().strip(),
            tool_version=self.tool_version.text().strip(),
            tool_intended_use=self.tool_use.text().strip(),
            tool_date_deployed=self.tool_deployed.text().strip(),
            use_category=str(self.use_category.currentData()),
            assessor_name=self.assessor_name.text().strip(),
            assessor_role=self.assessor_role.text().strip(),
            date=self.date.text().strip(),
        )

    # -- flow --------------------------------------------------------------------------------------
    def reset(self) -> None:
        for field in (
            self.facility_code,
            self.district,
            self.region,
            self.tool_vendor,
            self.tool_version,
            self.tool_use,
            self.tool_deployed,
            self.assessor_role,
        ):
            field.clear()
        self.facility_name.setEditText("")
        self.tool_name.setEditText("")
        self.use_category.setCurrentIndex(self.use_category.findData("other"))
        self.date.setText(dt.date.today().isoformat())
        self.message.clear()
        self.show_step(0)

    def show_step(self, step: int) -> None:
        self.steps.setCurrentIndex(step)
        self.message.clear()
        self.back_button.setVisible(step == 1)
        if step == 0:
            self.heading.setText(self.tr("New assessment — step 1 of 2: choose the checklist"))
            self.next_button.setText(self.tr("Ne&xt →"))
            self.questionnaire_list.setFocus()
        else:
            self.heading.setText(
                self.tr("New assessment — step 2 of 2: the facility and the AI tool")
            )
            self.next_button.setText(self.tr("&Start assessment"))
            self.facility_name.setFocus()

    def _next(self) -> None:
        if self.steps.currentIndex() == 0:
            if self.selected_questionnaire() is None:
                self.message.setText(
                    self.tr("There is no checklist to choose; ask your district office for one.")
                )
                return
            self.show_step(1)
            return
        profile = self.profile()
        try:
            check_profile(profile)
        except UserError as problem:
            self.message.setText(str(problem))
            return
        self.message.clear()
        self.start_requested.emit(self.selected_questionnaire(), profile)

    def show_problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft)
