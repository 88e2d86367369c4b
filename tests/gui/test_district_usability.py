"""District and sync screens as an officer meets them: an empty hub says how to import, a second
export with nothing new says so before writing and offers everything again, the hub follows an
import at once, the Facility detail tab is never blank, a saved district PDF offers Open / Show
in folder, and the hub itself is made from Settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import close_window, open_window, press_in_next_box
from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from guidecheck.bundles import keys
from guidecheck.checklist.model import Profile
from guidecheck.gui.shell.tasks import TaskRunner
from guidecheck.gui.sync.export_dialog import ExportDialog
from guidecheck.paths import database_path
from guidecheck.storage.store import Store

PROFILE = Profile(
    facility_name="Kisumu East Health Centre", facility_code="KE-0042", district="Kisumu East",
    region="Western", tool_name="ChestScan", use_category="diagnostic_imaging",
    assessor_name="Amina Otieno", date="2025-03-31",
)  # fmt: skip


class FileViewer(QObject):
    def __init__(self, opened: list[str]) -> None:
        super().__init__()
        self.opened = opened

    @Slot("QUrl")
    def open_url(self, url) -> None:
        self.opened.append(url.toLocalFile())


@pytest.fixture
def clinic_home(tmp_path, mini) -> Path:
    home = tmp_path / "clinic"
    with Store(database_path(home)) as store:
        assessment = store.new_assessment(mini, PROFILE)
        store.save_answer(assessment.id, mini.items[0].id, "yes")
    return home


def test_second_export_with_nothing_new_says_so_first(qtbot, clinic_home, tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    runner = TaskRunner(lambda: Store(database_path(clinic_home)))
    dialog = ExportDialog(None, clinic_home, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.places.set_folder(stick)
    with qtbot.waitSignal(dialog.export_finished, timeout=20_000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert len(list(stick.glob("*.gcbundle"))) == 1
    # nothing changed since: no empty bundle is written, and the dialog says why
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.again_button.isVisible(), timeout=20_000)
    assert "Nothing changed since the last export" in dialog.message.text()
    assert len(list(stick.glob("*.gcbundle"))) == 1
    # the stick was lost: everything again
    with qtbot.waitSignal(dialog.export_finished, timeout=20_000) as signal:
        qtbot.mouseClick(dialog.again_button, Qt.MouseButton.LeftButton)
    assert len(list(stick.glob("*.gcbundle"))) == 2
    assert "no assessments" not in dialog.message.text()
    assert Path(signal.args[0]).exists()
    runner.shutdown()


def test_hub_made_in_settings_imports_and_follows_at_once(
    qtbot, clinic_home, tmp_path, checklists, monkeypatch
):
    from guidecheck.gui.shell.dialogs import SettingsDialog

    hub_home = tmp_path / "hub"
    hub_home.mkdir()
    window = open_window(qtbot, hub_home, checklists)
    assert not window.district_menu.menuAction().isVisible()
    key_file = tmp_path / "district"  # no suffix typed: .gckey is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(key_file), ""))
    dialog = SettingsDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.hub_button.isVisible(), timeout=10_000)
    qtbot.keyClicks(dialog.hub_name, "Kisumu East")
    qtbot.mouseClick(dialog.hub_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.hub_made, timeout=20_000)
    written = key_file.with_suffix(".gckey")
    assert "now the district hub" in dialog.message.text() and str(written) in dialog.message.text()
    (key,) = keys.read_district_key_file(written)
    assert key.name == "Kisumu East" and keys.is_district_hub(hub_home)
    qtbot.waitUntil(lambda: window.district_menu.menuAction().isVisible(), timeout=10_000)
    dialog.close()

    # an empty hub says how to import
    qtbot.waitUntil(lambda: window._district is not None, timeout=10_000)
    hub = window._district
    qtbot.waitUntil(lambda: hub.data is not None, timeout=15_000)
    assert hub.empty_hint.isVisible() and "Import bundles" in hub.empty_hint.text()

    # the clinic exports to the new key; the hub imports and its overview follows without Reload
    keys.install_district_keys(clinic_home, written)
    stick = tmp_path / "stick"
    stick.mkdir()
    runner = TaskRunner(lambda: Store(database_path(clinic_home)))
    export = ExportDialog(None, clinic_home, runner)
    qtbot.addWidget(export)
    export.places.set_folder(stick)
    with qtbot.waitSignal(export.export_finished, timeout=20_000):
        qtbot.mouseClick(export.export_button, Qt.MouseButton.LeftButton)
    runner.shutdown()
    importer = window.import_bundles()
    assert importer.minimumWidth() >= 600  # room for the long bundle names
    importer.places.set_folder(stick)
    with qtbot.waitSignal(importer.scan_finished, timeout=20_000):
        qtbot.mouseClick(importer.scan_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(hub.loaded, timeout=30_000):
        qtbot.mouseClick(importer.import_button, Qt.MouseButton.LeftButton)
    # a laptop the hub has not approved: its bundle waits on the Devices tab, nothing is shown yet
    assert hub.overview_model.rowCount() == 0
    qtbot.waitUntil(lambda: hub.devices.table.rowCount() == 1, timeout=15_000)
    assert "1 waiting" in hub.tabs.tabText(hub.devices_tab)
    from guidecheck.bundles.enrolment import this_device

    _device_id, code = this_device(clinic_home)
    hub.devices.code_edit.setText(code)  # as read out by the clinic from its About screen
    assert hub.devices.approve_button.isEnabled()
    with qtbot.waitSignal(hub.loaded, timeout=30_000):
        seen = press_in_next_box(qtbot, "Approve and import")  # the box repeats the code
        qtbot.mouseClick(hub.devices.approve_button, Qt.MouseButton.LeftButton)
    assert "&nbsp;&nbsp;".join(code.split()) in seen[0]
    assert hub.overview_model.rowCount() == 1
    assert not hub.empty_hint.isVisible()
    importer.close()
    close_window(qtbot, window)


def test_facility_tab_not_blank_and_saved_pdf_offers_open(qtbot, tmp_path, monkeypatch):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "district"))
    from hub_builder import build_hub

    from guidecheck.gui.hub.district_view import open_district_view

    hub = build_hub(tmp_path)
    hub.store.close()
    screen = open_district_view(None, hub.home)
    qtbot.addWidget(screen)
    screen.resize(1024, 600)
    with qtbot.waitSignal(screen.facility.detail_loaded, timeout=20_000):
        screen.show()
    assert screen.facility.facility_box.currentIndex() == 0  # a facility is shown at once
    assert not screen.empty_hint.isVisible()
    pdf = tmp_path / "district.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))
    status_before = screen.status.text()
    with qtbot.waitSignal(screen.export_finished, timeout=30_000):
        screen.pdf_button.click()
    assert screen.saved_label.isVisible() and "district.pdf" in screen.saved_label.text()
    assert screen.status.text() == status_before  # the summary line stays
    opened: list[str] = []
    viewer = FileViewer(opened)
    QDesktopServices.setUrlHandler("file", viewer, "open_url")
    try:
        screen.show_saved_button.click()
        screen.open_saved_button.click()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert opened == [str(tmp_path), str(pdf)]
    screen.close()
