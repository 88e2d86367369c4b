"""The hub's Devices tab: a held laptop, its code typed by the officer, approved or refused."""

from __future__ import annotations

import os
from pathlib import Path

from gui_helpers import press_in_next_box
from PySide6.QtCore import Qt

from clinic_hub_helpers import dump
from guidecheck.bundles import keys
from guidecheck.bundles.enrolment import enrol_code
from guidecheck.bundles.export import export_bundle
from guidecheck.bundles.importer import import_file
from guidecheck.checklist.model import Profile
from guidecheck.gui.hub.devices_panel import DevicesPanel
from guidecheck.gui.shell.tasks import TaskRunner
from guidecheck.paths import database_path
from guidecheck.storage.store import Store

PROFILE = Profile(facility_name="Kibera Clinic", facility_code="KE-0042", district="Nairobi",
                  region="Nairobi", tool_name="ChestScan", tool_vendor="Acme", tool_version="2.1",
                  use_category="diagnostic_imaging", assessor_name="A. N.", assessor_role="Nurse",
                  date="2026-11-20")  # fmt: skip


def held_laptop(tmp_path: Path, mini, name: str) -> tuple[Path, str, str]:
    """A clinic laptop whose first bundle waits at the hub: (hub, device id, enrolment code)."""
    hub, clinic = tmp_path / "hub", tmp_path / name
    if not keys.is_district_hub(hub):
        key = keys.create_district_identity(hub, "Kisumu")
        keys.write_district_key_file([key], tmp_path / "d.gckey", overwrite=True)
    keys.install_district_keys(clinic, tmp_path / "d.gckey")
    out = tmp_path / f"stick-{name}"
    out.mkdir()
    with Store(database_path(clinic)) as store:
        assessment = store.new_assessment(mini, PROFILE)
        store.save_answer(assessment.id, mini.items[0].id, "yes")
        path = export_bundle(clinic, store, out).path
        device = store.device_id
    with Store(database_path(hub)) as store:
        assert import_file(hub, store, path).held
    return hub, device, enrol_code(device, keys.device_key(clinic).public)


def test_officer_types_the_code_and_approves(qtbot, tmp_path, mini):
    hub, device, code = held_laptop(tmp_path, mini, "laptop")
    runner = TaskRunner(lambda: Store(database_path(hub)))
    panel = DevicesPanel(hub, runner)
    qtbot.addWidget(panel)
    panel.resize(1000, 560)
    with qtbot.waitSignal(panel.changed, timeout=20_000):
        panel.reload()
    assert panel.table.rowCount() == 1 and panel.table.item(0, 0).text() == code
    assert panel.facilities_edit.text() == "KE-0042"
    assert not panel.approve_button.isEnabled()
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    panel.code_edit.setText(wrong)
    assert not panel.approve_button.isEnabled() and "do not match" in panel.check.text()
    panel.code_edit.setText(code.replace(" ", ""))
    assert panel.approve_button.isEnabled() and "matches" in panel.check.text()
    if os.environ.get("GUIDECHECK_SHOTS"):
        panel.grab().save(os.environ["GUIDECHECK_SHOTS"] + "/devices-panel.png")
    with qtbot.waitSignal(panel.decided, timeout=20_000) as signal:
        seen = press_in_next_box(qtbot, "Approve and import")
        qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    assert "1 of 1 waiting bundles imported" in signal.args[0]
    grouped = "&nbsp;&nbsp;".join(code.split())  # six groups of four, to compare by phone
    assert device in seen[0] and "KE-0042" in seen[0] and grouped in seen[0]
    qtbot.waitUntil(lambda: panel.table.rowCount() == 0, timeout=20_000)
    runner.shutdown()
    with Store(database_path(hub)) as store:
        assert [a.facility_code for a in store.list_assessments()] == ["KE-0042"]


def test_officer_refuses_a_laptop(qtbot, tmp_path, mini):
    hub, device, _code = held_laptop(tmp_path, mini, "stranger")
    runner = TaskRunner(lambda: Store(database_path(hub)))
    panel = DevicesPanel(hub, runner)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.changed, timeout=20_000):
        panel.reload()
    with qtbot.waitSignal(panel.decided, timeout=20_000) as signal:
        seen = press_in_next_box(qtbot, "Refuse laptop")
        qtbot.mouseClick(panel.refuse_button, Qt.MouseButton.LeftButton)
    assert "1 waiting bundles deleted" in signal.args[0]
    assert device in seen[0] and "KE-0042" in seen[0] and "will be deleted" in seen[0]
    runner.shutdown()
    with Store(database_path(hub)) as store:
        assert store.list_assessments() == []
        assert not list((hub / "held").iterdir())


def tables(hub: Path) -> dict:
    """Every table of the hub's database, the held-bundle files included (for 'nothing changed')."""
    return {"db": dump(database_path(hub)),
            "held": sorted(p.name for p in (hub / "held").iterdir())}  # fmt: skip


def open_panel(qtbot, hub: Path) -> tuple[DevicesPanel, TaskRunner]:
    runner = TaskRunner(lambda: Store(database_path(hub)))
    panel = DevicesPanel(hub, runner)
    qtbot.addWidget(panel)
    panel.resize(1000, 560)
    panel.show()
    with qtbot.waitSignal(panel.changed, timeout=20_000):
        panel.reload()
    return panel, runner


def test_refuse_then_cancel_changes_nothing(qtbot, tmp_path, mini):
    hub, device, code = held_laptop(tmp_path, mini, "laptop")
    panel, runner = open_panel(qtbot, hub)
    before = tables(hub)
    seen = press_in_next_box(qtbot, "Cancel")
    qtbot.mouseClick(panel.refuse_button, Qt.MouseButton.LeftButton)  # exec() returns on Cancel
    assert len(seen) == 1 and device in seen[0] and code.replace(" ", "&nbsp;") in seen[0]
    assert runner.pending == 0 and panel.result.text() == ""
    runner.shutdown()
    assert tables(hub) == before and panel.table.rowCount() == 1


def test_the_confirm_boxes_default_to_cancel(qtbot, tmp_path, mini):
    """Enter pressed by habit in any decision box is Cancel."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from guidecheck.gui.hub.device_confirm import confirm_refuse, confirm_revoke

    defaults: list[str] = []

    def look() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, look)
            return
        defaults.append(box.defaultButton().text())
        qtbot.keyClick(box, Qt.Key.Key_Return)

    for ask in (lambda: confirm_refuse(None, "dev", "1111 2222 3333 4444 5555 6666", ("A",), 1),
                lambda: confirm_revoke(None, "dev", "1111 2222 3333 4444 5555 6666", ("A",))):  # fmt: skip
        QTimer.singleShot(20, look)
        assert ask() is False
    assert defaults == ["Cancel", "Cancel"]


def test_revoke_asks_then_stops_the_laptop(qtbot, tmp_path, mini):
    hub, device, code = held_laptop(tmp_path, mini, "laptop")
    with Store(database_path(hub)) as store:
        from guidecheck.bundles.approval import approve_device

        approve_device(hub, store, device, ["KE-0042"], code=code)
    panel, runner = open_panel(qtbot, hub)
    assert panel.approved_table.rowCount() == 1 and not panel.revoke_button.isEnabled()
    panel.approved_table.selectRow(0)
    assert panel.revoke_button.isEnabled()
    before = tables(hub)
    seen = press_in_next_box(qtbot, "Cancel")
    qtbot.mouseClick(panel.revoke_button, Qt.MouseButton.LeftButton)
    assert device in seen[0] and "KE-0042" in seen[0] and "stays" in seen[0]
    assert tables(hub) == before
    with qtbot.waitSignal(panel.decided, timeout=20_000) as signal:
        press_in_next_box(qtbot, "Revoke laptop")
        qtbot.mouseClick(panel.revoke_button, Qt.MouseButton.LeftButton)
    assert device in signal.args[0]
    qtbot.waitUntil(lambda: panel.approved_table.rowCount() == 0, timeout=20_000)
    runner.shutdown()
    with Store(database_path(hub)) as store:
        assert [a.facility_code for a in store.list_assessments()] == [
            "KE-0042"
        ]  # what it sent stays
        status = store.conn.execute("SELECT status FROM hub_devices").fetchone()[0]
    assert status == "revoked"


SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "devices"


def test_devices_tab_fits_small_screens_large_text_and_the_dark_palette(qapp, tmp_path, mini):
    """The Devices tab in the real hub window, with one laptop waiting and one approved, and each
    decision box: at 1366×768 and 1024×600, 100 and 150% text, light and dark (pictures kept in
    test-output/devices/ to look at), and in French at the smallest. Every button is on screen and nothing scrolls sideways."""
    from test_small_screens import cut_off

    from guidecheck.bundles.approval import approve_device
    from guidecheck.gui.hub.device_confirm import approve_box, refuse_box, revoke_box
    from guidecheck.gui.hub.district_view import DistrictHub
    from guidecheck.gui.screenshots import wait_until
    from guidecheck.gui.shell.main_window import MainWindow
    from guidecheck.gui.shell.settings import apply_text_scale
    from guidecheck.gui.shell.theme import PALETTES
    from guidecheck.gui.shell.translation import install_language

    hub, first, first_code = held_laptop(tmp_path, mini, "approved-laptop")
    with Store(database_path(hub)) as store:
        approve_device(hub, store, first, ["KE-0042"], code=first_code)
    _hub, device, code = held_laptop(tmp_path, mini, "waiting-laptop")
    original = qapp.palette()
    problems: dict[str, list[str]] = {}
    try:
        for (width, height), theme, scale, lang in (
            ((1366, 768), "light", 100, "en"),
            ((1366, 768), "dark", 150, "en"),
            ((1024, 600), "light", 150, "en"),
            ((1024, 600), "dark", 150, "en"),
            ((1024, 600), "dark", 150, "fr"),  # French runs longest
        ):
            install_language(qapp, lang)
            qapp.setPalette(PALETTES[theme]())
            apply_text_scale(qapp, scale)
            name = f"{lang}-{width}x{height}-{theme}-{scale}"
            window = MainWindow(hub)
            window.show()
            window.resize(width, height)
            wait_until(lambda w=window: isinstance(w.stack.currentWidget(), DistrictHub))
            view = window.stack.currentWidget()
            view.tabs.setCurrentWidget(view.devices)
            wait_until(
                lambda w=window, v=view: w.runner.pending == 0 and v.devices.table.rowCount() == 1
            )
            view.devices.approved_table.selectRow(0)
            view.devices.code_edit.setText(code)
            qapp.processEvents()
            SHOTS.mkdir(parents=True, exist_ok=True)
            assert window.grab().save(str(SHOTS / f"tab-{name}.png"))
            problems[f"tab-{name}"] = cut_off(window, wide_tables=True)
            if view.devices.minimumSizeHint().width() > width - 40:
                problems[f"tab-{name}"].append(f"tab needs {view.devices.minimumSizeHint()}")
            # (in French the hub window grows past 1024 px whatever the tab: its overview's header)
            if lang == "en" and window.size().toTuple() != (width, height):
                problems[f"tab-{name}"].append(f"window is {window.size().toTuple()}")
            for kind, box in (("approve", approve_box(window, device, code, ["KE-0042"], 1)),
                              ("refuse", refuse_box(window, device, code, ("KE-0042",), 1)),
                              ("revoke", revoke_box(window, first, first_code, ("KE-0042",)))):  # fmt: skip
                box.show()
                qapp.processEvents()
                assert box.grab().save(str(SHOTS / f"{kind}-{name}.png"))
                if box.width() > width or box.height() > height:
                    problems[f"{kind}-{name}"] = [f"box is {box.size().toTuple()}"]
                box.done(0)
            window.close()
            window.runner.shutdown()
    finally:
        qapp.setPalette(original)
        apply_text_scale(qapp, 100)
        install_language(qapp, "en")
    assert {k: v for k, v in problems.items() if v} == {}
