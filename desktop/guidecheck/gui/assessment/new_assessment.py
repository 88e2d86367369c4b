"""New assessment: pick a questionnaire, then fill the profile (facility, AI tool, assessor).

Facilities and AI tools already entered on this laptop are offered in editable combo boxes, and
choosing one fills its other fields, so the same clinic is not typed three different ways.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from guidecheck.bundles.key_facilities import KeyFacility
from guidecheck.checklist.loading import DEFAULT_QUESTIONNAIRE_ID
from guidecheck.checklist.model import Facility, Profile, Questionnaire, Tool
from guidecheck.errors import UserError
from guidecheck.gui.assessment.editors import CalendarButton
from guidecheck.gui.shell.fit import roomy_labels
from guidecheck.gui.shell.labels import phase_options, set_scaled_font, use_category_options
from guidecheck.gui.shell.theme import themed
from guidecheck.storage.store import check_profile


def calendar_field(parent: QWidget) -> QDateEdit:
    """A date picked from a calendar pop-up (or typed), shown as year-month-day."""
    field = QDateEdit(parent)
    field.setCalendarPopup(True)
    field.setDisplayFormat("yyyy-MM-dd")
    field.setMinimumDate(QDate(1990, 1, 1))
    field.setMaximumDate(QDate(2100, 12, 31))
    field.setDate(QDate.currentDate())
    return field


def iso_date(field: QDateEdit) -> str:
    return field.date().toString("yyyy-MM-dd")


class NewAssessmentScreen(QWidget):
    start_requested = Signal(object, object)  # Questionnaire, Profile
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.questionnaires: list[Questionnaire] = []
        self.facilities: list[Facility] = []
        self.district_facilities: list[KeyFacility] = []
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
        themed(self.message, "color:{error};")
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

    def set_questionnaires(
        self,
        questionnaires: list[Questionnaire],
        problems: list[str],
        added: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        """Offer the checklists; `added` holds the (id, version) of those the person added
        (imported), which say so instead of their guidance source."""
        self.questionnaires = list(questionnaires)
        self.questionnaire_list.clear()
        for questionnaire in questionnaires:
            count = len(questionnaire.items)
            source = questionnaire.guidance_source or questionnaire.id
            if (questionnaire.id, questionnaire.version) in added:
                source = self.tr("added on this computer ({id})").format(id=questionnaire.id)
            text = self.tr(
                "{title}\n{level} · version {version} · up to {count} questions (only those "
                "that apply to your tool are asked) · {source}"
            ).format(
                title=questionnaire.title.local,
                level=self.tr("for district and national teams")
                if questionnaire.level == "district"
                else self.tr("for a clinic"),
                version=questionnaire.version,
                count=count,
                source=source,
            )
            row = QListWidgetItem(text)
            row.setToolTip(questionnaire.description.local)
            self.questionnaire_list.addItem(row)
        if questionnaires:
            ids = [
                q.id for q in questionnaires
            ]  # the clinic checklist first, whatever the file order
            default = DEFAULT_QUESTIONNAIRE_ID
            self.questionnaire_list.setCurrentRow(ids.index(default) if default in ids else 0)
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
        """One column in a scroll area: it fits a 1024×600 screen at 150% text, and Tab goes down
        the column in reading order (facility, AI tool, assessor)."""
        scroller = QScrollArea(self)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        page = QWidget(scroller)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 8, 0)

        def form_box(title: str) -> tuple[QGroupBox, QFormLayout]:
            box = QGroupBox(title, page)
            form = QFormLayout(box)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            column.addWidget(box)
            return box, form

        facility_box, facility_form = form_box(self.tr("Facility"))
        self.facility_box = facility_box  # retitled for a district-level checklist
        self.facility_name = QComboBox(facility_box)
        self.facility_name.setEditable(True)
        self.facility_name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.facility_name.lineEdit().setPlaceholderText(
            self.tr("pick from the list, or type the name")
        )
        self.facility_name.activated.connect(self._facility_chosen)
        self.facility_code = QLineEdit(facility_box)
        self.facility_code.setPlaceholderText(self.tr("the code the district uses"))
        self.district = QLineEdit(facility_box)
        self.region = QLineEdit(facility_box)
        facility_form.addRow(self.tr("Facility &name *"), self.facility_name)
        self.facility_hint = QLabel(
            self.tr("The district's list of facilities is offered: pick yours to fill its code."),
            facility_box,
        )
        self.facility_hint.setWordWrap(True)
        self.facility_hint.setVisible(False)
        facility_form.addRow("", self.facility_hint)
        facility_form.addRow(self.tr("Facility &code *"), self.facility_code)
        facility_form.addRow(self.tr("&District"), self.district)
        facility_form.addRow(self.tr("Re&gion"), self.region)

        tool_box, tool_form = form_box(self.tr("AI tool being checked"))
        self.tool_name = QComboBox(tool_box)
        self.tool_name.setEditable(True)
        self.tool_name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.tool_name.activated.connect(self._tool_chosen)
        self.tool_vendor = QLineEdit(tool_box)
        self.tool_version = QLineEdit(tool_box)
        self.tool_use = QLineEdit(tool_box)
        self.tool_use.setPlaceholderText(self.tr("what the clinic uses it for"))
        deployed_row = QWidget(tool_box)
        deployed_layout = QHBoxLayout(deployed_row)
        deployed_layout.setContentsMargins(0, 0, 0, 0)
        self.tool_deployed = QLineEdit(deployed_row)
        self.tool_deployed.setPlaceholderText(self.tr("YYYY-MM-DD, if known"))
        deployed_layout.addWidget(self.tool_deployed, 1)
        deployed_layout.addWidget(CalendarButton(self.tool_deployed, deployed_row))
        self.use_category = QComboBox(tool_box)
        self.use_category.addItem(self.tr("Choose… (it decides which questions are asked)"), None)
        for code, label in use_category_options():
            self.use_category.addItem(label, code)
        tool_form.addRow(self.tr("AI &tool name *"), self.tool_name)
        tool_form.addRow(self.tr("&Vendor"), self.tool_vendor)
        tool_form.addRow(self.tr("Versi&on"), self.tool_version)
        tool_form.addRow(self.tr("&Used for"), self.tool_use)
        tool_form.addRow(self.tr("In use s&ince"), deployed_row)
        tool_form.addRow(self.tr("&Kind of use *"), self.use_category)
        self.phase = QComboBox(tool_box)  # asked when the checklist asks it (format 2 clinic)
        self.phase.addItem(self.tr("Choose… (it decides which questions are asked)"), "")
        for code, label in phase_options():
            self.phase.addItem(label, code)
        self.phase.setAccessibleName(self.tr("Phase"))
        tool_form.addRow(self.tr("&Phase *"), self.phase)
        self.tool_form = tool_form

        assessor_box, assessor_form = form_box(self.tr("Who is assessing"))
        self.assessor_name = QLineEdit(assessor_box)
        self.assessor_role = QLineEdit(assessor_box)
        self.assessor_role.setPlaceholderText(self.tr("e.g. Nurse in charge"))
        self.date = calendar_field(assessor_box)
        assessor_form.addRow(self.tr("&Assessor name *"), self.assessor_name)
        assessor_form.addRow(self.tr("Assessor &role"), self.assessor_role)
        assessor_form.addRow(self.tr("Dat&e of assessment *"), self.date)
        for form in (facility_form, tool_form, assessor_form):
            roomy_labels(form)  # the last glyph of the longest label is not cut at 150% text
        column.addWidget(QLabel(self.tr("Fields marked * are needed."), page))
        column.addStretch(1)
        scroller.setWidget(page)
        # A message about a missing field goes as soon as the person changes anything.
        for field in (
            self.facility_code,
            self.district,
            self.region,
            self.tool_vendor,
            self.tool_version,
            self.tool_use,
            self.tool_deployed,
            self.assessor_name,
            self.assessor_role,
        ):
            field.textEdited.connect(self._edited)
        for combo in (self.facility_name, self.tool_name):
            combo.editTextChanged.connect(self._edited)
        self.use_category.currentIndexChanged.connect(self._edited)
        self.phase.currentIndexChanged.connect(self._edited)
        self.date.dateChanged.connect(self._edited)
        return scroller

    def _edited(self, *_args: object) -> None:
        if self.steps.currentIndex() == 1:
            self.message.clear()

    def set_known(
        self,
        facilities: list[Facility],
        tools: list[Tool],
        district_facilities: list[KeyFacility] | None = None,
    ) -> None:
        """Offer the district's facility list (from its key file) and the facilities and AI tools
        already on this laptop; typing a facility that is in neither stays possible."""
        self.facilities = list(facilities)
        self.district_facilities = list(district_facilities or [])
        self.tools = list(tools)
        self.facility_name.clear()
        listed: set[str] = set()
        for facility in self.district_facilities:
            self.facility_name.addItem(f"{facility.name} ({facility.code})", facility.code)
            listed.add(facility.code)
        for known in facilities:
            if known.code not in listed:
                self.facility_name.addItem(known.name, known.code)
        self.facility_name.setCurrentIndex(-1)
        self.facility_name.setEditText("")
        self.facility_hint.setVisible(bool(self.district_facilities))
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
        for facility in [*self.district_facilities, *self.facilities]:
            if facility.code == code:
                self.facility_name.setEditText(facility.name)
                self.facility_code.setText(facility.code)
                self.district.setText(facility.district)
                self.region.setText(facility.region)
                break
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
            use_category=str(self.use_category.currentData() or "")
            if self._asks("use_category")
            else "other",
            phase=str(self.phase.currentData() or "") if self._asks("phase") else "",
            assessor_name=self.assessor_name.text().strip(),
            assessor_role=self.assessor_role.text().strip(),
            date=iso_date(self.date),
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
            self.assessor_role,
        ):
            field.clear()
        self.facility_name.setEditText("")
        self.tool_name.setEditText("")
        self.tool_deployed.clear()
        self.use_category.setCurrentIndex(0)  # "Choose…": no silent default
        self.phase.setCurrentIndex(0)
        self.date.setDate(QDate.currentDate())
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
            # the checklist decides: a district-level review asks neither (`profile_fields`)
            self.tool_form.setRowVisible(self.use_category, self._asks("use_category"))
            self.tool_form.setRowVisible(self.phase, self._asks("phase"))
            chosen = self.selected_questionnaire()
            district = chosen is not None and chosen.level == "district"
            self.facility_box.setTitle(  # a district checklist assesses a team or office
                self.tr("Team or office (name and district code)")
                if district
                else self.tr("Facility")
            )
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
        try:  # the fields in screen order; the kind of use (asked last) is checked below
            check_profile(
                replace(profile, use_category=profile.use_category or "other"),
                self.selected_questionnaire(),  # a format 2 checklist also needs the phase
            )
        except UserError as problem:
            self.message.setText(str(problem))
            return
        if self._asks("use_category") and self.use_category.currentData() is None:
            self.message.setText(
                self.tr(
                    "Choose the kind of use of the AI tool: it decides which questions are asked."
                )
            )
            self.use_category.setFocus()
            return
        self.message.clear()
        self.start_requested.emit(self.selected_questionnaire(), profile)

    def _asks(self, field: str) -> bool:
        """Whether the chosen checklist asks this profile question (kind of use, phase)."""
        questionnaire = self.selected_questionnaire()
        return questionnaire is not None and questionnaire.asks(field)

    def show_problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft)
