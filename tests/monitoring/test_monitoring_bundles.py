"""Monitoring records travel clinic -> hub in real bundle files (payload format 2); a newer hub
still takes a format 1 bundle (a file written before the change), and refuses what it cannot read."""

from __future__ import annotations

from pathlib import Path

from monitoring_helpers import assess, import_approved, log

from guidecheck.bundles import container
from guidecheck.bundles.export import export_bundle
from guidecheck.bundles.importer import import_file
from guidecheck.bundles.keys import DISTRICT_IDENTITY_FILE
from guidecheck.cli.main import main
from guidecheck.monitoring import store as monitoring
from guidecheck.monitoring.model import Tally
from guidecheck.paths import database_path, keys_dir
from guidecheck.storage.store import Store

DATA = Path(__file__).parent / "data"
TEST_IDENTITY = Path(__file__).parent.parent / "district" / "data" / "test-district-identity.age"


def make_district(hub: Path) -> None:
    """The hub holds the shared test district identity, the key the format 1 file is encrypted to."""
    (keys_dir(hub) / DISTRICT_IDENTITY_FILE).write_bytes(TEST_IDENTITY.read_bytes())


def district_pair(tmp_path: Path, capsys) -> tuple[Path, Path]:
    clinic, hub = tmp_path / "clinic", tmp_path / "hub"
    key = tmp_path / "district.gckey"
    assert (
        main(["--home", str(hub), "keys", "district-init", "--out", str(key), "--name", "Maputo"])
        == 0
    )
    assert main(["--home", str(clinic), "keys", "install-district", str(key)]) == 0
    capsys.readouterr()
    return clinic, hub


def test_observations_and_tallies_reach_the_hub_in_an_encrypted_bundle(
    tmp_path, capsys, mini, profile
):
    clinic, hub = district_pair(tmp_path, capsys)
    stick = tmp_path / "stick"
    stick.mkdir()
    with Store(database_path(clinic)) as store:
        assess(store, mini, profile, final=True)
        log(store, "harm", "Missed a clear pneumonia; treatment started two days late.")
        log(store, "none", "Down for a morning after a power cut.", kind="unavailable")
        monitoring.save_tally(store, Tally("ChestScan", "2026-11", 40, 10, facility_code="MZ-0042"))
        first = export_bundle(clinic, store, stick)
        assert first.encrypted and first.manifest.format == container.FORMAT_VERSION == 3
        assert first.manifest.counts["monitoring_events"] == 2
        assert first.manifest.counts["monitoring_tallies"] == 1
    with Store(database_path(hub)) as store:
        outcome = import_approved(hub, store, first.path)
        assert outcome.imported, outcome.reason
        assert "3 monitoring records" in outcome.summary()
        events = monitoring.observations(store.conn)
        assert sorted(e.severity for e in events) == ["harm", "none"]
        assert [(t.month, t.override_rate) for t in monitoring.tallies(store.conn)] == [
            ("2026-11", 0.25)
        ]
        again = import_file(hub, store, first.path)
        assert again.imported and again.result.monitoring == 0
    # an incremental bundle carries only what changed, and the tool it refers to
    with Store(database_path(clinic)) as store:
        log(store, "serious", "Flagged TB on a healthy child.")
        second = export_bundle(clinic, store, stick)
        assert second.manifest.counts["monitoring_events"] == 1
        assert second.manifest.counts["assessments"] == 0
    with Store(database_path(hub)) as store:
        assert import_file(hub, store, second.path).imported
        assert len(monitoring.observations(store.conn)) == 3


def test_a_format_1_bundle_written_before_monitoring_still_imports(tmp_path):
    hub = tmp_path / "hub"
    bundle = DATA / "format1-mz0042.gcbundle"  # encrypted to the shared test district key
    assert bundle.read_bytes()[8:10] == b"\x00\x01"  # written by the format 1 code
    make_district(hub)
    with Store(database_path(hub)) as store:
        outcome = import_approved(hub, store, bundle)
        assert outcome.imported, outcome.reason
        assert outcome.result.new == 1
        (summary,) = store.list_assessments()
        assert summary.facility_code == "MZ-0042" and summary.status == "final"
        assert monitoring.observations(store.conn) == []


def test_a_newer_format_is_refused_naming_both_versions(tmp_path):
    hub = tmp_path / "hub"
    data = bytearray((DATA / "format1-mz0042.gcbundle").read_bytes())
    data[9] = 9
    future = tmp_path / "future.gcbundle"
    future.write_bytes(bytes(data))
    with Store(database_path(hub)) as store:
        outcome = import_file(hub, store, future)
        assert not outcome.imported
        assert "format version 9" in outcome.reason and "formats 1 to 3" in outcome.reason
        assert store.list_assessments() == []


def test_a_monitoring_record_from_another_device_is_refused(tmp_path, capsys, mini, profile):
    clinic, hub = district_pair(tmp_path, capsys)
    stick = tmp_path / "stick"
    stick.mkdir()
    with Store(database_path(clinic)) as store:
        assess(store, mini, profile, final=True)
        log(store, "minor", "Overruled a doubtful reading.", kind="overridden")
        with store.atomic():
            store.conn.execute("UPDATE monitoring_events SET origin_device = 'another-laptop'")
        forged = export_bundle(clinic, store, stick)
    with Store(database_path(hub)) as store:
        outcome = import_approved(hub, store, forged.path)
        assert not outcome.imported and "another device" in outcome.reason
        assert store.list_assessments() == [] and monitoring.observations(store.conn) == []
