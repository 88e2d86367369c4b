"""The "Export for district" and "Import bundles" dialogs, driven like a user with real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from guidecheck.bundles import keys
from guidecheck.bundles.approval import approve_device
from guidecheck.checklist.model import Profile
from guidecheck.gui.shell.tasks import TaskRunner
from guidecheck.gui.sync.bundle_dialogs import open_export_dialog
from guidecheck.gui.sync.dialog_parts import describe_free_space
from guidecheck.gui.sync.drives import removable_drives
from guidecheck.gui.sync.export_dialog import ExportDialog
from guidecheck.gui.sync.import_dialog import ImportDialog
from guidecheck.paths import database_path
from guidecheck.storage.store import Store

PROFILE = Profile(
    facility_name="Kisumu East Health Centre", facility_code="KE-0042", district="Kisumu East", region="Western",
    tool_name="ChestScan", use_category="diagnostic_imaging", assessor_name="Amina Otieno", date="2025-03-31",
)  # fmt: skip


def make_runner(home: Path) -> TaskRunner:
    return TaskRunner(lambda: Store(database_path(home)))


@pytest.fixture
def clinic_home(tmp_path, mini) -> Path:
    home = tmp_path / "clinic"
    with Store(database_path(home)) as store:
        assessment = store.new_assessment(mini, PROFILE)
        first = mini.items[0]
        store.save_answer(assessment.id, first.id, "yes" if first.type == "compliance" else None)
    return home


def export_with_dialog(qtbot, home: Path, folder: Path) -> tuple[ExportDialog, Path]:
    runner = make_runner(home)
    dialog = ExportDialog(None, home, runner)
    qtbot.addWidget(dialog)
    dialog.places.set_folder(folder)
    assert dialog.export_button.isEnabled()
    with qtbot.waitSignal(dialog.export_finished, timeout=20_000) as signal:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    runner.shutdown()
    return dialog, Path(signal.args[0])


def test_export_without_district_key_warns_and_names_the_file(qtbot, clinic_home, tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    dialog, written = export_with_dialog(qtbot, clinic_home, stick)
    assert "NOT encrypted" in dialog.key_label.text()
    assert (
        written.parent == stick
        and written.exists()
        and written.name.startswith("guidecheck-KE-0042-")
    )
    assert written.name in dialog.message.text() and "not encrypted" in dialog.message.text()
    assert not dialog.progress.isVisible()


def test_export_failure_is_one_sentence(qtbot, clinic_home, tmp_path):
    runner = make_runner(clinic_home)
    dialog = ExportDialog(None, clinic_home, runner)
    qtbot.addWidget(dialog)
    dialog.places.set_folder(tmp_path / "unplugged")
    with qtbot.waitSignal(dialog.export_failed, timeout=20_000) as signal:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert signal.args[0].endswith("does not exist.") and signal.args[0] in dialog.message.text()
    runner.shutdown()


def test_hub_scans_lists_and_imports_the_chosen_bundles(qtbot, clinic_home, tmp_path):
    hub = tmp_path / "hub"
    key = keys.create_district_identity(hub, "Kisumu")
    keys.install_district_keys(
        clinic_home, keys.write_district_key_file([key], tmp_path / "d.gckey")
    )
    stick = tmp_path / "stick"
    stick.mkdir()
    exported, written = export_with_dialog(qtbot, clinic_home, stick)
    assert "encrypted for the district: Kisumu" in exported.key_label.text()
    (stick / "broken.gcbundle").write_bytes(written.read_bytes()[:-10])

    runner = make_runner(hub)
    dialog = ImportDialog(None, hub, runner)
    qtbot.addWidget(dialog)
    dialog.places.set_folder(stick)
    with qtbot.waitSignal(dialog.scan_finished, timeout=20_000):
        qtbot.mouseClick(dialog.scan_button, Qt.MouseButton.LeftButton)
    rows = [dialog.files.item(i).text() for i in range(dialog.files.count())]
    assert len(rows) == 2
    assert rows[0].startswith("broken.gcbundle — invalid: The bundle is incomplete")
    assert " — new: KE-0042" in rows[1]
    assert dialog.chosen() == [written]
    with qtbot.waitSignal(dialog.import_finished, timeout=20_000) as signal:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    (outcome,) = signal.args[0]
    assert outcome.held and not outcome.imported  # a laptop the hub has not approved yet
    assert "0 of 1 bundles imported." in dialog.message.text()
    assert "1 wait for their device's approval" in dialog.message.text()
    runner.shutdown()
    with Store(database_path(hub)) as store:
        assert store.list_assessments() == []
        decision = approve_device(hub, store, outcome.manifest.device_id, ["KE-0042"])
        assert [o.result.new for o in decision.outcomes] == [1]
        assert [a.facility_code for a in store.list_assessments()] == ["KE-0042"]

    runner = make_runner(hub)
    dialog = ImportDialog(None, hub, runner)
    qtbot.addWidget(dialog)
    dialog.places.set_folder(stick)
    with qtbot.waitSignal(dialog.scan_finished, timeout=20_000):
        qtbot.mouseClick(dialog.scan_button, Qt.MouseButton.LeftButton)
    assert "already imported" in dialog.files.item(1).text()
    assert dialog.chosen() == []  # already imported bundles are not ticked again
    runner.shutdown()


def test_drive_list_and_free_space_text(qtbot, tmp_path):
    assert describe_free_space(1_400_000_000) == "1.4 GB"
    assert describe_free_space(820_000_000) == "820 MB"
    for drive in removable_drives():  # whatever this machine has mounted: never the system disk
        assert str(drive.path) != "/" and drive.free_bytes >= 0
    home = tmp_path / "home"
    runner = make_runner(home)
    dialog = open_export_dialog(None, home, runner, assessment_id="ignored")
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and dialog.windowTitle() == "Export for district"
    assert not dialog.export_button.isEnabled() or dialog.places.folder() is not None
    dialog.places.set_folder(tmp_path)
    assert dialog.export_button.isEnabled()
    assert (
        dialog.buttons.standardButton(dialog.close_button) == QDialogButtonBox.StandardButton.Close
    )
    runner.shutdown()


def test_main_window_opens_the_export_dialog(qtbot, window):
    """The window's "Export for district" action reaches this dialog with its home and runner."""
    window.export_for_district("any-assessment")
    dialogs = window.findChildren(ExportDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    assert dialogs[0].home == window.home_dir and dialogs[0].runner is window.runner
    dialogs[0].close()


def test_import_dialog_gives_the_bundle_list_the_room(qtbot, tmp_path, qapp):
    """At 150% text on a 1024×600 netbook the drive list is only as tall as its rows, and the
    bundle list below it shows many bundles at once (it had room for about four)."""
    from guidecheck.gui.shell.settings import apply_text_scale

    stick = tmp_path / "stick"
    stick.mkdir()
    for n in range(12):  # not bundles: listed as invalid, one row each, enough to fill the list
        (stick / f"guidecheck-KE-{n:04d}-2026-05-02.gcbundle").write_bytes(b"not a bundle")
    apply_text_scale(qapp, 150)
    try:
        runner = make_runner(tmp_path / "hub")
        hub_window = QWidget()  # the window the dialog opens over: a netbook's whole screen
        qtbot.addWidget(hub_window)
        hub_window.resize(1024, 600)
        dialog = ImportDialog(hub_window, tmp_path / "hub", runner)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.places.set_folder(stick)
        with qtbot.waitSignal(dialog.scan_finished, timeout=20_000):
            qtbot.mouseClick(dialog.scan_button, Qt.MouseButton.LeftButton)
        places = dialog.places.list
        assert places.height() <= (places.fontMetrics().lineSpacing() + 6) * places.count() + 12
        files = dialog.files
        shown = sum(
            files.visualItemRect(files.item(i)).bottom() <= files.viewport().height()
            for i in range(files.count())
        )
        assert files.height() > 2.5 * places.height() and shown >= 6, (shown, files.height())
        runner.shutdown()
    finally:
        apply_text_scale(qapp, 100)
