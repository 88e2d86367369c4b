"""Two small dialogs for interop: "Import checklist from Excel…" and "Export for national systems…".

They only pick files, folders and periods and show the result; the work runs in the core
(guidecheck.interop) through the window's task runner. Entry points for the main window:
`open_xlsform_import_dialog(parent, runner)` and `open_national_export_dialog(parent, runner)`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from guidecheck.gui.shell.fit import keep_fitted
from guidecheck.gui.sync.dialog_parts import PlacePicker, error_text


def _message_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)  # names from files are data, never markup
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class XlsformImportDialog(QDialog):
    """Turn an XLSForm workbook into a checklist, saying plainly what was left out; "Add to my
    checklists" saves it in the data folder, where new assessments offer it."""

    import_finished = Signal(str)  # the summary shown
    import_failed = Signal(str)  # the one-sentence reason
    checklist_added = Signal(str)  # the sentence shown once it is offered for new assessments

    def __init__(self, parent: QWidget | None, runner: Any) -> None:
        super().__init__(parent)
        self.runner = runner
        self.form: Path | None = None
        self.result: Any = None
        self.setWindowTitle(self.tr("Import checklist from Excel"))
        intro = _message_label(self)
        intro.setText(
            self.tr(
                "Choose an XLSForm workbook (the Excel format of ODK and KoboToolbox). GuideCheck "
                "turns it into a checklist: add it to your checklists to use it for new "
                "assessments, or save it as a file to share."
            )
        )
        self.form_label = _message_label(self)
        self.form_label.setText(self.tr("No file chosen."))
        choose = QPushButton(self.tr("Choose file…"), self)
        choose.clicked.connect(self.choose_form)
        row = QHBoxLayout()
        row.addWidget(self.form_label, 1)
        row.addWidget(choose)
        self.skip = QCheckBox(
            self.tr("Leave out rows GuideCheck cannot use (they are listed)"), self
        )
        self.message = _message_label(self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(
            self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.add_button = self.buttons.addButton(
            self.tr("Add to my checklists"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save_button = self.buttons.addButton(
            self.tr("Save checklist…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.skip)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.start_import)
        self.buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.choose_save)
        self.add_button.clicked.connect(self.add_to_checklists)
        self._update_buttons()
        keep_fitted(self)  # the summary grows after an import; nothing may be cut off

    def _update_buttons(self) -> None:
        self.import_button.setEnabled(self.form is not None)
        self.save_button.setEnabled(self.result is not None)
        self.add_button.setEnabled(self.result is not None)

    def choose_form(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Choose an XLSForm"), "", self.tr("Excel workbooks (*.xlsx)")
        )
        if path:
            self.set_form(Path(path))

    def set_form(self, path: Path) -> None:
        self.form = Path(path)
        self.result = None
        self.form_label.setText(str(self.form))
        self.message.setText("")
        self._update_buttons()

    def start_import(self) -> None:
        if self.form is None:
            return
        form, skip = self.form, self.skip.isChecked()
        self.import_button.setEnabled(False)
        self.message.setText(self.tr("Reading the workbook…"))

        def work(context: Any) -> Any:
            from guidecheck.interop.xlsform_import import import_xlsform

            return import_xlsform(form, skip)

        self.runner.task(work).success(self._on_done).failure(self._on_failed).run()

    def _on_done(self, result: Any) -> None:
        self.result = result
        domains = result.data["domains"]
        lines = [
            self.tr("Checklist {id} version {version}: {parts} parts, {items} questions.").format(
                id=result.data["id"],
                version=result.data["version"],
                parts=len(domains),
                items=sum(len(d["items"]) for d in domains),
            )
        ]
        lines += [self.tr("Left out: {row}").format(row=d.sentence()) for d in result.dropped]
        lines += list(result.notes)
        lines.append(
            self.tr(
                "Add it to your checklists to use it for new assessments, or save it as a file "
                "to share."
            )
        )
        text = "\n".join(lines)
        self.message.setText(text)
        self._update_buttons()
        self.import_finished.emit(text)

    def _on_failed(self, error: BaseException) -> None:
        reason = error_text(self, error)
        self.message.setText(reason)
        self._update_buttons()
        self.import_failed.emit(reason)

    def add_to_checklists(self) -> None:
        """Save the imported checklist in the data folder (the worker's store sits there)."""
        if self.result is None:
            return
        text, shown = self.result.yaml_text, str(self.form)
        self.add_button.setEnabled(False)

        def work(context: Any) -> Any:
            from guidecheck.storage.added_checklists import add_checklist

            return add_checklist(context.store.path.parent, text, shown)

        self.runner.task(work).success(self._on_added).failure(self._on_add_failed).run()

    def _on_added(self, added: Any) -> None:
        q = added.questionnaire
        sentence = self.tr(
            "Added to your checklists: New assessment now offers {title} ({id} version {version})."
        ).format(title=q.title.local, id=q.id, version=q.version)
        self.message.setText(sentence)
        self._update_buttons()
        self.checklist_added.emit(sentence)

    def _on_add_failed(self, error: BaseException) -> None:
        self.message.setText(error_text(self, error))
        self._update_buttons()

    def choose_save(self) -> None:
        if self.result is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save the checklist"), f"{self.result.data['id']}.yaml",
            self.tr("Checklists (*.yaml)"),
        )  # fmt: skip
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        from guidecheck.errors import UserError
        from guidecheck.reports.files import write_atomically

        try:
            written = write_atomically(path, self.result.yaml_text.encode("utf-8"))
        except UserError as error:
            self.message.setText(error.message)
            return
        self.message.setText(self.tr("Saved the checklist: {path}").format(path=written))


class NationalExportDialog(QDialog):
    """FHIR or DHIS2 files for one period picked from the hub's data, written to a folder."""

    export_finished = Signal(str)  # the folder written
    export_failed = Signal(str)  # the one-sentence reason
    periods_loaded = Signal()

    KINDS = ("Quarterly", "Monthly", "Yearly")

    def __init__(self, parent: QWidget | None, runner: Any) -> None:
        super().__init__(parent)
        self.runner = runner
        self.dates: dict[str, list[str]] = {"fhir": [], "dhis2": []}
        self.setWindowTitle(self.tr("Export for national systems"))
        self.fhir = QRadioButton(self.tr("FHIR R4 (questionnaires, responses, scores)"), self)
        self.dhis2 = QRadioButton(self.tr("DHIS2 (data values and metadata)"), self)
        self.dhis2.setChecked(True)
        self.kind = QComboBox(self)
        for kind, label in zip(
            self.KINDS, (self.tr("Quarter"), self.tr("Month"), self.tr("Year")), strict=True
        ):
            self.kind.addItem(label, kind)
        self.period = QComboBox(self)
        self.places = PlacePicker(self, self.tr("Choose where to write the files"))
        self.message = _message_label(self)
        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(
            self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        form = QFormLayout()
        form.addRow(self.tr("Format:"), self.dhis2)
        form.addRow("", self.fhir)
        form.addRow(self.tr("Period type:"), self.kind)
        form.addRow(self.tr("Period:"), self.period)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Write the files to:"), self))
        layout.addWidget(self.places)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)
        self.kind.currentIndexChanged.connect(self._fill_periods)
        self.fhir.toggled.connect(self._fill_periods)
        self.period.currentIndexChanged.connect(self._update_buttons)
        self.places.place_changed.connect(self._update_buttons)
        self._busy = False
        self._update_buttons()
        self._load_dates()

    def _load_dates(self) -> None:
        def work(context: Any) -> dict[str, list[str]]:
            from guidecheck.district.records import standing_records

            return {
                # FHIR takes every assessment, drafts too; DHIS2 only final ones (as the reports)
                "fhir": [s.date for s in context.store.list_assessments() if s.date],
                "dhis2": [r.date for r in standing_records(context.store.conn) if r.date],
            }

        self.runner.task(work).success(self._on_dates).failure(self._on_failed).run()

    def _on_dates(self, dates: dict[str, list[str]]) -> None:
        self.dates = dates
        self._fill_periods()
        if not dates["fhir"]:
            self.message.setText(self.tr("There are no assessments to export yet."))
        self.periods_loaded.emit()

    def _fill_periods(self) -> None:
        from guidecheck.interop.periods import periods_of

        self.period.clear()
        chosen = self.period.currentData()
        dates = self.dates["fhir" if self.fhir.isChecked() else "dhis2"]
        for period in periods_of(dates, self.kind.currentData()):
            self.period.addItem(period, period)
        if chosen is not None and self.period.findData(chosen) >= 0:
            self.period.setCurrentIndex(self.period.findData(chosen))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.export_button.setEnabled(
            not self._busy
            and self.period.currentData() is not None
            and self.places.folder() is not None
        )

    def start_export(self) -> None:
        folder, period = self.places.folder(), self.period.currentData()
        if folder is None or period is None:
            return
        fhir = self.fhir.isChecked()
        target = folder / f"guidecheck-{'fhir' if fhir else 'dhis2'}-{period}"
        self._busy = True
        self._update_buttons()
        self.message.setText(self.tr("Writing the files…"))

        def work(context: Any) -> Any:
            from guidecheck.interop.periods import parse_period

            if fhir:
                from guidecheck.interop.fhir_export import export_fhir
                from guidecheck.interop.selection import select_assessments

                bounds = parse_period(period)
                chosen = select_assessments(context.store, since=bounds.start, until=bounds.end)
                return export_fhir(chosen, target).folder
            from guidecheck.interop.dhis2_export import export_dhis2

            return export_dhis2(context.store, period, target).folder

        self.runner.task(work).success(self._on_done).failure(self._on_failed).run()

    def _on_done(self, folder: Path) -> None:
        self._busy = False
        self._update_buttons()
        if self.fhir.isChecked():
            hint = self.tr("Send bundle.json to the FHIR server in one POST.")
        else:
            hint = self.tr(
                "In DHIS2's Import/Export app, import the metadata file once, then the data values; "
                "use a dry run first each time."
            )
        self.message.setText(
            self.tr("Files written to {folder}.").format(folder=folder) + "\n" + hint
        )
        self.export_finished.emit(str(folder))

    def _on_failed(self, error: BaseException) -> None:
        self._busy = False
        self._update_buttons()
        reason = error_text(self, error)
        self.message.setText(self.tr("Nothing was exported: {reason}").format(reason=reason))
        self.export_failed.emit(reason)


def open_xlsform_import_dialog(parent: QWidget | None, runner: Any) -> XlsformImportDialog:
    dialog = XlsformImportDialog(parent, runner)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def open_national_export_dialog(parent: QWidget | None, runner: Any) -> NationalExportDialog:
    dialog = NationalExportDialog(parent, runner)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
