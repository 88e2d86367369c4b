"""The app's interop dialogs, driven like a user: real workbook, real hub database, real files."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from test_xlsform_import import FULL_FORM, write_form

from guidecheck.checklist.loading import load_questionnaire
from guidecheck.gui.shell.tasks import TaskRunner
from guidecheck.gui.sync.interop_dialogs import NationalExportDialog, XlsformImportDialog
from guidecheck.paths import database_path
from guidecheck.storage.store import Store


def make_runner(home):
    return TaskRunner(lambda: Store(database_path(home)))


def test_import_dialog_imports_lists_and_saves(qtbot, tmp_path):
    runner = make_runner(tmp_path / "home")
    dialog = XlsformImportDialog(None, runner)
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled() and not dialog.save_button.isEnabled()
    dialog.set_form(write_form(tmp_path / "demo.xlsx", FULL_FORM))
    with qtbot.waitSignal(dialog.import_finished, timeout=20_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "Checklist demo-form version 2024010101: 2 parts, 8 questions." in dialog.message.text()
    assert dialog.save_button.isEnabled()
    dialog.save_to(tmp_path / "demo.yaml")
    assert load_questionnaire(tmp_path / "demo.yaml").item("audit") is not None
    assert "Saved the checklist" in dialog.message.text()
    runner.shutdown()


def test_import_dialog_refusal_is_one_sentence(qtbot, tmp_path):
    runner = make_runner(tmp_path / "home")
    dialog = XlsformImportDialog(None, runner)
    qtbot.addWidget(dialog)
    dialog.set_form(write_form(tmp_path / "geo.xlsx", [["geopoint", "where", "Where?"]]))
    with qtbot.waitSignal(dialog.import_failed, timeout=20_000) as signal:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "sheet 'survey', row 2" in signal.args[0] and signal.args[0] == dialog.message.text()
    assert not dialog.save_button.isEnabled()
    runner.shutdown()


def _export_dialog(qtbot, hub, tmp_path, fhir: bool):
    hub.store.close()
    runner = make_runner(hub.home)
    dialog = NationalExportDialog(None, runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.period.count() > 0, timeout=20_000)
    # quarters holding a final assessment (DHIS2 counts only those), newest first
    quarters = ["2026Q2", "2026Q1", "2025Q1", "2024Q3"]
    assert [dialog.period.itemText(i) for i in range(dialog.period.count())] == quarters
    dialog.fhir.setChecked(True)  # FHIR takes drafts too: the TriageBot draft's quarter appears
    assert [dialog.period.itemText(i) for i in range(dialog.period.count())] == [
        "2026Q4",
        *quarters,
    ]
    (dialog.fhir if fhir else dialog.dhis2).setChecked(True)
    dialog.kind.setCurrentIndex(2)  # years
    assert dialog.period.currentText() == "2026"
    dialog.places.set_folder(tmp_path)
    assert dialog.export_button.isEnabled()
    return dialog, runner


def test_national_export_dialog_writes_fhir_for_the_picked_period(qtbot, hub, tmp_path):
    dialog, runner = _export_dialog(qtbot, hub, tmp_path, fhir=True)
    with qtbot.waitSignal(dialog.export_finished, timeout=30_000) as signal:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    bundle = json.loads(
        (tmp_path / "guidecheck-fhir-2026" / "bundle.json").read_text(encoding="utf-8")
    )
    responses = [
        e for e in bundle["entry"] if e["resource"]["resourceType"] == "QuestionnaireResponse"
    ]
    assert len(responses) == 3  # A01 round 2, A01 TriageBot draft, B01: the ones dated 2026
    assert signal.args[0] in dialog.message.text() and "bundle.json" in dialog.message.text()
    runner.shutdown()


def test_national_export_dialog_says_why_dhis2_cannot_export(qtbot, hub, tmp_path):
    dialog, runner = _export_dialog(qtbot, hub, tmp_path, fhir=False)
    with qtbot.waitSignal(dialog.export_failed, timeout=30_000) as signal:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "There is no DHIS2 mapping for the checklist district-test" in signal.args[0]
    assert dialog.message.text().startswith("Nothing was exported:")
    assert dialog.export_button.isEnabled()
    runner.shutdown()
