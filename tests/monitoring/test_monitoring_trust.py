"""The hub's trust rules hold for monitoring records too, through real bundle files and the CLI:
a bundle from a device the officer has not approved is held and changes nothing (its monitoring
records included) until approval, and an approved device may not send monitoring records for a
facility it is not approved for."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from monitoring_helpers import assess, log

from guidecheck.cli.main import main
from guidecheck.monitoring import store as monitoring
from guidecheck.paths import database_path
from guidecheck.storage.store import Store, now_iso

HOLDING = {"hub_devices", "held_bundles"}


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def records(home: Path) -> dict[str, list[tuple]]:
    """Every table's rows but the two listing waiting devices and bundles."""
    conn = sqlite3.connect(database_path(home))
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {
            name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
            for name in names
            if name not in HOLDING
        }
    finally:
        conn.close()


def export(capsys, home: Path, out: Path) -> Path:
    code, text, err = cli(capsys, "--home", home, "bundle", "export", "--out", out)
    assert code == 0, err
    return Path(text.strip().splitlines()[-1])


def setup(tmp_path: Path, capsys, mini, profile) -> tuple[Path, Path, Path, str]:
    """A hub and a clinic laptop holding the district key, with one signed-off assessment and one
    serious observation logged; nothing sent yet."""
    clinic, hub, stick = tmp_path / "clinic", tmp_path / "hub", tmp_path / "stick"
    stick.mkdir()
    key = tmp_path / "district.gckey"
    assert (
        cli(capsys, "--home", hub, "keys", "district-init", "--out", key, "--name", "Maputo")[0]
        == 0
    )
    assert cli(capsys, "--home", clinic, "keys", "install-district", key)[0] == 0
    with Store(database_path(clinic)) as store:
        assess(store, mini, profile, final=True)
        log(store, "serious", "The reading said clear; the X-ray showed a mass.")
        device = store.device_id
    return clinic, hub, stick, device


def test_monitoring_from_an_unapproved_device_is_held_until_approval(
    tmp_path, capsys, mini, profile
):
    clinic, hub, stick, device = setup(tmp_path, capsys, mini, profile)
    path = export(capsys, clinic, stick)
    with Store(database_path(hub)):
        pass  # the hub's database, as the app creates it, before the first import
    before = records(hub)

    code, out, err = cli(capsys, "--home", hub, "bundle", "import", path)

    assert code == 0 and ": held: device " in out and "device pending" in err
    assert records(hub) == before
    with Store(database_path(hub)) as store:
        assert monitoring.observations(store.conn) == []
    code, out, _err = cli(
        capsys, "--home", hub, "device", "approve", device, "--facility", "MZ-0042"
    )
    assert code == 0 and "1 new" in out
    with Store(database_path(hub)) as store:
        seen = monitoring.observations(store.conn)
        assert [o.what_happened for o in seen] == [
            "The reading said clear; the X-ray showed a mass."
        ]


def test_monitoring_for_a_facility_the_device_is_not_approved_for_is_refused(
    tmp_path, capsys, mini, profile
):
    clinic, hub, stick, device = setup(tmp_path, capsys, mini, profile)
    cli(capsys, "--home", hub, "bundle", "import", export(capsys, clinic, stick))
    assert cli(capsys, "--home", hub, "device", "approve", device, "--facility", "MZ-0042")[0] == 0
    # The laptop's owner edits its own database: a new observation now names another clinic.
    with Store(database_path(clinic)) as store:
        log(store, "harm", "A child was sent home with pneumonia.", date="2026-11-24")
        with store.atomic():
            store.conn.execute(
                "INSERT INTO facilities (code, name, district, region, updated_at)"
                " VALUES ('MZ-0099', 'Another clinic', 'Maputo', 'South', ?)",
                (now_iso(),),
            )
            store.conn.execute(
                "UPDATE monitoring_events SET facility_code = 'MZ-0099' WHERE date = '2026-11-24'"
            )
    (tmp_path / "second").mkdir()
    path = export(capsys, clinic, tmp_path / "second")
    before = records(hub)

    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", path)

    assert code == 2 and f"Device {device} is not approved for facility MZ-0099" in out
    assert records(hub) == before
    with Store(database_path(hub)) as store:
        assert len(monitoring.observations(store.conn)) == 1
