"""Report saving, the settings dialog, the export action's wiring and a big home list."""

from __future__ import annotations

import pytest
from gui_helpers import close_window, open_window, press_in_next_box, sample_profile
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from guidecheck.gui.shell.main_window import export_unavailable_reason
from guidecheck.storage.store import Store


@pytest.fixture
def final_assessment(home, mini):
    from guidecheck.checklist import scoring
    from guidecheck.checklist.model import SignOff

    store = Store(home / "guidecheck.db")
    profile = sample_profile()
    assessment = store.new_assessment(mini, profile, "Amina")
    for _ in range(2):
        for item in scoring.visible_items(mini, profile, store.answers(assessment.id)):
            value = {
                "compliance": "yes",
                "single_choice": item.choices[0].id if item.choices else None,
                "multiple_choice": [item.choices[0].id] if item.choices else None,
                "number": 2,
                "date": "2025-01-01",
                "text": "ok",
            }[item.type]
            store.save_answer(
                assessment.id, item.id, value, "seen" if item.note == "required" else None, "Amina"
            )
    store.finalize(assessment.id, SignOff("Amina", "Nurse", "Dr. Head", "2025-04-01"))
    store.close()
    return assessment.id


class FileViewer(QObject):
    def __init__(self, opened: list[str]) -> None:
        super().__init__()
        self.opened = opened

    @Slot(QUrl)
    def open_url(self, url: QUrl) -> None:
        self.opened.append(url.toLocalFile())


@pytest.mark.parametrize(("suffix", "magic"), [(".pdf", b"%PDF"), (".xlsx", b"PK")])
def test_open_report_saves_the_file_off_the_ui_thread_and_offers_to_open_it(
    qtbot, home, checklists, final_assessment, tmp_path, monkeypatch, suffix, magic
):
    target = tmp_path / "out" / f"report{suffix}"
    target.parent.mkdir()
    asked: list[str] = []
    opened: list[str] = []

    def fake_save(_parent, _title, default, filters):
        asked.append(default)
        chosen = next(f for f in filters.split(";;") if suffix in f)
        return str(target.with_suffix("")), chosen  # no suffix typed: the app adds it

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    said = press_in_next_box(qtbot, "Open")
    viewer = FileViewer(opened)  # Qt's own hook for opening file: URLs, instead of a real viewer
    QDesktopServices.setUrlHandler("file", viewer, "open_url")
    window = open_window(qtbot, home, checklists)
    window.home.select(final_assessment)
    window.home.report_button.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
    assert opened == [str(target)]
    assert target.read_bytes()[:4].startswith(magic)
    assert asked[0].endswith(".pdf") and "KE-0042" in asked[0]
    assert said and str(target) in said[0]
    QDesktopServices.unsetUrlHandler("file")
    close_window(qtbot, window)


def test_saved_report_offers_its_folder_and_says_when_nothing_can_open_it(
    qtbot, home, checklists, final_assessment, tmp_path, monkeypatch
):
    target = tmp_path / "report.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a: (str(target), "PDF report (*.pdf)")
    )
    opened: list[str] = []
    viewer = FileViewer(opened)
    QDesktopServices.setUrlHandler("file", viewer, "open_url")
    window = open_window(qtbot, home, checklists)
    window.home.select(final_assessment)
    assert window.home.report_button.text().replace("&", "") == "Save report…"
    press_in_next_box(qtbot, "Show in folder")
    window.home.report_button.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
    assert opened == [str(target.parent)]
    QDesktopServices.unsetUrlHandler("file")
    # no program for file: URLs at all (a bare desktop without a PDF viewer): it says so
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: False)
    said = press_in_next_box(qtbot, "Open", "OK")
    window.home.report_button.click()
    qtbot.waitUntil(lambda: window.actions_helper.last_choice == "no viewer", timeout=30_000)
    assert len(said) == 2 and "No program to open PDF files" in said[1]
    close_window(qtbot, window)


def test_export_action_follows_the_bundle_module(qtbot, home, checklists, monkeypatch):
    window = open_window(qtbot, home, checklists)
    reason = export_unavailable_reason()
    assert window.home.export_button.isEnabled() == (reason == "")
    if reason:
        assert window.home.export_button.toolTip() == reason
    else:
        window.home.export_button.click()
        qtbot.waitUntil(
            lambda: any(
                w.isVisible() and type(w).__name__ == "ExportDialog"
                for w in QApplication.topLevelWidgets()
            )
        )
        for widget in QApplication.topLevelWidgets():
            if type(widget).__name__ == "ExportDialog":
                widget.close()
        qtbot.waitUntil(lambda: window.runner.pending == 0)
    close_window(qtbot, window)


def test_text_size_setting_scales_fonts_and_is_remembered(qtbot, home, checklists, monkeypatch):
    from guidecheck.gui.shell.dialogs import SettingsDialog
    from guidecheck.gui.shell.settings import AppSettings, apply_text_scale

    app = QApplication.instance()
    window = open_window(qtbot, home, checklists)
    base = app.font().pointSizeF()
    dialog = SettingsDialog(window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: window.runner.pending == 0)
    assert "No district key" in dialog.key_status.text()
    dialog.text_size.setCurrentIndex(dialog.text_size.findData(150))
    try:
        dialog.accept()
        assert app.font().pointSizeF() == pytest.approx(base * 1.5)
        assert AppSettings(home).text_scale == 150
    finally:
        apply_text_scale(app, 100)
    assert app.font().pointSizeF() == pytest.approx(base)
    close_window(qtbot, window)


def test_home_list_of_2000_assessments_opens_and_searches(qtbot, home, checklists, mini):
    """The list's speed is measured by bench/bench_startup.py, not here."""
    store = Store(home / "guidecheck.db")
    with store.atomic():
        for n in range(2000):
            store.new_assessment(
                mini, sample_profile(facility_code=f"KE-{n:04d}", facility_name=f"Clinic {n}"), "A"
            )
    store.close()
    window = open_window(qtbot, home, checklists)
    assert window.home.model.rowCount() == 2000
    window.home.search.setText("Clinic 1999")
    assert window.home.proxy.rowCount() == 1
    close_window(qtbot, window)


def test_a_district_hub_opens_on_the_district_overview(qtbot, home, checklists, tmp_path):
    from guidecheck.bundles.keys import create_district_identity

    clinic = open_window(qtbot, home, checklists)
    qtbot.waitUntil(lambda: clinic.runner.pending == 0)
    assert not clinic.district_menu.menuAction().isVisible()
    assert clinic.stack.currentWidget() is clinic.home
    close_window(qtbot, clinic)

    hub_home = tmp_path / "hub"
    hub_home.mkdir()
    create_district_identity(hub_home, "Kisumu East district")
    hub = open_window(qtbot, hub_home, checklists)
    qtbot.waitUntil(lambda: hub.district_menu.menuAction().isVisible(), timeout=10_000)
    qtbot.waitUntil(
        lambda: hub._district is not None and hub.stack.currentWidget() is hub._district,
        timeout=10_000,
    )
    hub.home_action.trigger()
    assert hub.stack.currentWidget() is hub.home
    assert type(hub._district).__name__ == "DistrictHub"
    qtbot.waitUntil(lambda: hub.runner.pending == 0, timeout=10_000)
    close_window(qtbot, hub)


def test_about_names_version_and_guidance(qtbot, home, checklists):
    from guidecheck import GUIDANCE, __version__
    from guidecheck.gui.shell.dialogs import AboutDialog

    window = open_window(qtbot, home, checklists)
    dialog = AboutDialog(window)
    qtbot.addWidget(dialog)
    assert __version__ in dialog.text.text() and GUIDANCE in dialog.text.text()
    assert window.windowTitle().startswith("GuideCheck")
    assert not window.windowIcon().isNull()
    close_window(qtbot, window)


def test_a_failed_background_task_shows_one_plain_sentence(qtbot, home, checklists, monkeypatch):
    """Opening an assessment that is not there: a plain dialog, no traceback, window still works."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text) or 0)
    window = open_window(qtbot, home, checklists)
    window.open_assessment("no-such-id")
    qtbot.waitUntil(lambda: bool(shown))
    assert shown == ["There is no assessment with id no-such-id."]
    assert window.busy_label.text() == ""
    assert window.stack.currentWidget() is window.home
    close_window(qtbot, window)
