"""Checklists the person adds (an XLSForm imported in the app or with `questionnaires import`)
are saved in the data folder's `checklists/` and offered for new assessments beside the shipped
ones: driven through the real dialog, the new-assessment screen and the CLI, on real files."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import QDate

from guidecheck.cli.main import main
from guidecheck.gui.shell.main_window import MainWindow
from guidecheck.gui.sync.interop_dialogs import XlsformImportDialog
from guidecheck.interop.xlsform_export import export_xlsform
from guidecheck.paths import questionnaires_dir
from guidecheck.storage.catalog import find_questionnaire
from guidecheck.storage.store import Store

NEW_ID = "kisumu-ai-checklist"


def shipped_form(tmp_path: Path, form_id: str | None = None) -> Path:
    """The shipped clinic checklist as an XLSForm, its form_id changed when asked (as a district
    officer would, to make their own variant of it)."""
    questionnaire = find_questionnaire("who-ai-health-2025")
    path = export_xlsform(questionnaire, tmp_path / f"{form_id or 'shipped'}.xlsx")
    if form_id:
        book = load_workbook(path)
        sheet = book["settings"]
        header = [cell.value for cell in sheet[1]]
        sheet.cell(row=2, column=header.index("form_id") + 1, value=form_id)
        book.save(path)
    return path


def run(home: Path, *args: str) -> int:
    return main(["--home", str(home), "questionnaires", *args])


def test_cli_import_puts_it_in_the_data_folder_and_list_shows_its_source(tmp_path, capsys):
    home = tmp_path / "home"
    # the shipped id and version is never replaced: one sentence, nothing written
    assert run(home, "import", str(shipped_form(tmp_path))) == 2
    err = capsys.readouterr().err
    assert "ships with GuideCheck" in err and "Traceback" not in err
    assert not list((home / "checklists").glob("*"))

    assert run(home, "import", str(shipped_form(tmp_path, NEW_ID))) == 0
    out = capsys.readouterr().out
    saved = home / "checklists" / f"{NEW_ID}-2.0.0.yaml"
    assert saved.is_file() and str(saved) in out and "Added checklist" in out
    assert run(home, "import", str(shipped_form(tmp_path, NEW_ID))) == 0  # same text: no copy
    assert "was already added" in capsys.readouterr().out
    assert len(list((home / "checklists").glob("*.yaml"))) == 1

    # a broken file is named with its line and skipped; the others are still listed
    (home / "checklists" / "broken.yaml").write_text("format: 2\nid: [oops\n", encoding="utf-8")
    assert run(home, "list", "--json") == 0
    captured = capsys.readouterr()
    rows = {row["id"]: row for row in json.loads(captured.out)}
    assert rows[NEW_ID]["source"] == "added" and rows[NEW_ID]["path"] == str(saved)
    assert rows["who-ai-health-2025"]["source"] == "shipped"
    assert "broken.yaml, line" in captured.err
    assert run(home, "list") == 0
    table = capsys.readouterr().out
    assert f"added: {saved}" in table and "shipped" in table

    # a different text under the same id and version is refused, the first one kept
    changed = saved.read_text(encoding="utf-8").replace("title:", "title: ", 1) + "\n# changed\n"
    (tmp_path / "changed.yaml").write_text(changed, encoding="utf-8")
    assert run(home, "import", str(tmp_path / "changed.yaml")) == 2
    assert "other content" in capsys.readouterr().err

    # `assessment new --from` finds the added checklist by id
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"questionnaire": NEW_ID, "profile": {
        "facility_name": "Kisumu East", "facility_code": "KE-1", "tool_name": "ChestScan",
        "use_category": "diagnostic_imaging", "phase": "pilot", "assessor_name": "Amina",
        "date": "2026-03-01"}}), encoding="utf-8")  # fmt: skip
    assert main(["--home", str(home), "assessment", "new", "--from", str(answers)]) == 0
    with Store(home / "guidecheck.db") as store:
        assert [a.questionnaire_id for a in store.list_assessments()] == [NEW_ID]


def test_xlsform_added_in_the_app_is_offered_for_a_new_assessment(qtbot, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "checklists").mkdir()
    (home / "checklists" / "half-written.yaml").write_text("format: 2\nid: x\n  bad", "utf-8")
    window = MainWindow(home, questionnaires_dir())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.home_loaded, timeout=10_000):
        window.show()  # a broken added file never stops start-up

    window.xlsform_action.trigger()
    dialog = window.findChild(XlsformImportDialog)
    assert dialog is not None and dialog.isVisible()
    assert not dialog.add_button.isEnabled()
    dialog.set_form(shipped_form(tmp_path, NEW_ID))
    with qtbot.waitSignal(dialog.import_finished, timeout=30_000):
        dialog.import_button.click()
    assert "Add it to your checklists" in dialog.message.text()
    with qtbot.waitSignal(dialog.checklist_added, timeout=10_000):
        dialog.add_button.click()
    assert "New assessment now offers" in dialog.message.text() and NEW_ID in dialog.message.text()
    assert (home / "checklists" / f"{NEW_ID}-2.0.0.yaml").is_file()
    dialog.close()

    window.home.new_button.click()
    screen = window.new_screen
    qtbot.waitUntil(lambda: screen.questionnaire_list.count() == 3, timeout=10_000)
    texts = [screen.questionnaire_list.item(i).text() for i in range(3)]
    assert "added on this computer" in texts[2] and NEW_ID in texts[2]
    assert "half-written.yaml, line" in screen.picker_problems.text()
    screen.questionnaire_list.setCurrentRow(2)
    screen.next_button.click()
    qtbot.keyClicks(screen.facility_name.lineEdit(), "Kisumu East Health Centre")
    qtbot.keyClicks(screen.facility_code, "KE-0042")
    qtbot.keyClicks(screen.tool_name.lineEdit(), "ChestScan")
    screen.use_category.setCurrentIndex(screen.use_category.findData("diagnostic_imaging"))
    screen.phase.setCurrentIndex(screen.phase.findData("pilot"))
    qtbot.keyClicks(screen.assessor_name, "Amina Otieno")
    screen.date.setDate(QDate(2026, 3, 31))
    with qtbot.waitSignal(window.assessment_opened, timeout=10_000):
        screen.next_button.click()
    assert window.stack.currentWidget() is window.walkthrough
    assert window.assessment.questionnaire_id == NEW_ID
    window.close()
    qtbot.waitUntil(lambda: window.runner._closed, timeout=5_000)
