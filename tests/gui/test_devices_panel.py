"""The hub's Devices tab: a held laptop, its code typed by the officer, approved or refused."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

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
        qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    assert "1 of 1 waiting bundles imported" in signal.args[0]
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
        qtbot.mouseClick(panel.refuse_button, Qt.MouseButton.LeftButton)
    assert "1 waiting bundles deleted" in signal.args[0]
    runner.shutdown()
    with Store(database_path(hub)) as store:
        assert store.list_assessments() == []
        assert not list((hub / "held").iterdir())
