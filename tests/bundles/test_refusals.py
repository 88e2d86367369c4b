"""Damaged, truncated, foreign, forged and hostile bundles: each refused, the database unchanged."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from bundle_helpers import fill, open_store, profile_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_hub_helpers import dump, import_approved
from guidecheck.bundles import container, keys, seal
from guidecheck.bundles.errors import BundleRefused
from guidecheck.bundles.export import export_bundle
from guidecheck.bundles.importer import import_file
from guidecheck.bundles.manifest import parse_manifest
from guidecheck.bundles.verify import open_bundle
from guidecheck.paths import database_path


@pytest.fixture
def world(tmp_path, mini):
    """A hub that already imported one bundle, and a second valid encrypted bundle to attack."""
    clinic, hub, stick = tmp_path / "clinic", tmp_path / "hub", tmp_path / "stick"
    stick.mkdir()
    key = keys.create_district_identity(hub)
    keys.install_district_keys(clinic, keys.write_district_key_file([key], tmp_path / "d.gckey"))
    with open_store(clinic) as store:
        first = fill(store, mini, profile_for("KSM-010"), limit=3)
        export_bundle(clinic, store, stick)
        store.save_answer(first, "a_poster", "yes")
        fill(store, mini, profile_for("KSM-010", tool="Other"), limit=4)
        (stick / "first").mkdir()
        for p in stick.glob("*.gcbundle"):
            p.rename(stick / "first" / p.name)
        bundle = export_bundle(clinic, store, stick).path
    with open_store(hub) as store:
        (done,) = list((stick / "first").iterdir())
        assert import_approved(hub, store, done).imported
    return {
        "clinic": clinic,
        "hub": hub,
        "bundle": bundle,
        "data": bundle.read_bytes(),
        "tmp": tmp_path,
    }


def archive_names(home: Path) -> list[str]:
    folder = home / "archive"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def refused_unchanged(world, data: bytes, name: str = "attack.gcbundle", words: str = "") -> str:
    """Import `data` as a file; assert it is refused and the hub's database and archive are untouched."""
    hub = world["hub"]
    path = world["tmp"] / name
    path.write_bytes(data)
    with open_store(hub):  # a hub that never opened its database gets one, as on first start
        pass
    before = dump(database_path(hub)), archive_names(hub)
    with open_store(hub) as store:
        outcome = import_file(hub, store, path)
    assert not outcome.imported, "a bad bundle was accepted"
    assert words in outcome.reason
    assert "\n" not in outcome.reason and outcome.reason.endswith(".")
    assert (dump(database_path(hub)), archive_names(hub)) == before
    return outcome.reason


HOLDING = ("hub_devices", "held_bundles")


def held_unchanged(world, data: bytes, name: str = "held.gcbundle") -> str:
    """Import `data`; assert it is held and nothing but the holding area changed."""
    hub = world["hub"]
    path = world["tmp"] / name
    path.write_bytes(data)
    before = dump(database_path(hub)), archive_names(hub)
    with open_store(hub) as store:
        outcome = import_file(hub, store, path)
    assert outcome.held and not outcome.imported
    after = dump(database_path(hub)), archive_names(hub)
    strip = lambda state: ({k: v for k, v in state[0].items() if k not in HOLDING}, state[1])  # noqa: E731
    assert strip(after) == strip(before)
    assert after[0]["held_bundles"] != before[0]["held_bundles"]
    return outcome.reason


def test_the_untouched_bundle_imports(world):
    with open_store(world["hub"]) as store:
        outcome = import_file(world["hub"], store, world["bundle"])
    assert outcome.imported and outcome.result.new == 1 and outcome.result.updated == 1


def test_every_single_byte_flip_is_refused(world):
    data = world["data"]
    hub = world["hub"]
    before = dump(database_path(hub))
    with open_store(hub) as store:
        for position in range(len(data)):
            for mask in (0x01, 0x80):
                damaged = bytearray(data)
                damaged[position] ^= mask
                with pytest.raises(BundleRefused):
                    open_bundle(bytes(damaged), hub, store.conn)
    assert dump(database_path(hub)) == before


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_random_byte_changes_are_refused_with_the_database_unchanged(world, data):
    raw = world["data"]
    position = data.draw(st.integers(0, len(raw) - 1))
    value = data.draw(st.integers(0, 255).filter(lambda v: v != raw[position]))
    damaged = bytearray(raw)
    damaged[position] = value
    refused_unchanged(world, bytes(damaged))


def test_truncation_at_every_length_is_refused(world):
    data = world["data"]
    with open_store(world["hub"]) as store:
        for length in range(len(data)):
            with pytest.raises(BundleRefused):
                open_bundle(data[:length], world["hub"], store.conn)
    for length in (0, 5, 12, len(data) // 2, len(data) - 1):
        refused_unchanged(world, data[:length])


def test_bundle_for_another_district_is_refused(world, mini):
    other_hub = world["tmp"] / "other-hub"
    keys.create_district_identity(other_hub)
    reason = refused_unchanged(world | {"hub": other_hub}, world["data"], words="another district")
    assert "not to this one" in reason
    refused_unchanged(
        world | {"hub": world["clinic"]}, world["data"], words="holds no district key"
    )


def test_unknown_format_version_is_refused(world):
    data = bytearray(world["data"])
    data[9] = 4
    refused_unchanged(
        world,
        bytes(data),
        words="format version 4, but this version of GuideCheck reads formats 1 to 3",
    )
    # a properly signed manifest that announces a future format is refused too
    box = container.unpack(world["data"])
    manifest = box.manifest.replace(b'"format":3', b'"format":4')
    device = keys.device_key(world["clinic"])
    forged = container.pack(
        container.Container(
            manifest, seal.sign(device.private, manifest), box.payload_name, box.payload
        )
    )
    refused_unchanged(world, forged, words="format version 4")


def test_zip_slip_and_foreign_member_names_are_refused(world, tmp_path):
    box = container.unpack(world["data"])
    for name in ("../../payload.age", "/etc/passwd", "..\\..\\evil.exe", "payload.age\0.txt"):
        evil = container.pack(container.Container(box.manifest, box.signature, name, box.payload))
        refused_unchanged(world, evil, words="unexpected part")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.json", box.manifest)
        archive.writestr("../../evil.sh", b"rm -rf /")
    refused_unchanged(world, buffer.getvalue(), words="not a GuideCheck bundle")
    assert not list(tmp_path.parent.glob("evil.sh")) and not Path("evil.sh").exists()


def test_oversized_members_and_files_are_refused(world):
    box = container.unpack(world["data"])
    name = container.MANIFEST_NAME.encode()
    header = container._HEADER.pack(container.MAGIC, container.FORMAT_VERSION, 3)
    claim = (
        header
        + bytes([len(name)])
        + name
        + container._LENGTH.pack(container.MAX_MANIFEST + 1)
        + box.manifest
    )
    refused_unchanged(world, claim, words="larger than allowed")
    big = world["tmp"] / "huge.gcbundle"
    with big.open("wb") as handle:  # sparse: refused from its size, never read
        handle.truncate(container.MAX_FILE + 1)
    with open_store(world["hub"]) as store:
        outcome = import_file(world["hub"], store, big)
    assert not outcome.imported and "too large" in outcome.reason


def test_signed_decompression_bomb_is_refused(world):
    """Even a correctly signed bundle cannot make the hub inflate more than the limit."""
    device = keys.device_key(world["clinic"])
    bomb = seal.compress(b" " * (container.MAX_PAYLOAD_JSON + 1024))
    good = parse_manifest(container.unpack(world["data"]).manifest)
    from dataclasses import replace

    manifest = replace(good, payload_name=container.PAYLOAD_PLAIN, encrypted_to=(), payload_size=len(bomb),
                       payload_sha256=seal.sha256_hex(bomb), bundle_id="0" * 32).to_bytes()  # fmt: skip
    data = container.pack(
        container.Container(
            manifest, seal.sign(device.private, manifest), container.PAYLOAD_PLAIN, bomb
        )
    )
    refused_unchanged(world, data, words="not encrypted to this district")


def test_known_device_id_with_another_key_is_held(world):
    box = container.unpack(world["data"])
    good = parse_manifest(box.manifest)
    impostor = keys.device_key(world["tmp"] / "impostor")
    from dataclasses import replace

    manifest = replace(good, device_key=impostor.public_hex, bundle_id="1" * 32).to_bytes()
    data = container.pack(
        container.Container(
            manifest, seal.sign(impostor.private, manifest), box.payload_name, box.payload
        )
    )
    reason = held_unchanged(world, data)
    assert "is not approved at this hub" in reason


def test_swapped_payload_is_refused(world):
    box = container.unpack(world["data"])
    other = seal.encrypt(
        seal.compress(b'{"facilities":[]}'), [keys.district_identity(world["hub"])[1].recipient]
    )
    data = container.pack(container.Container(box.manifest, box.signature, box.payload_name, other))
    refused_unchanged(world, data, words="do not match its manifest")


def json_records(world) -> dict:
    import json

    identity, _public = keys.district_identity(world["hub"])
    return json.loads(
        seal.decompress(seal.decrypt(container.unpack(world["data"]).payload, identity), 10**7)
    )


def approve_key(hub: Path, device_id: str, public_hex: str, codes: list[str]) -> None:
    """The officer approved this device key for these facilities (the attack is in the content)."""
    from guidecheck.bundles import enrolment
    from guidecheck.bundles.approval import approve_device
    from guidecheck.storage.store import now_iso

    with open_store(hub) as store:
        with store.atomic():
            enrolment.record_pending(store.conn, device_id, public_hex, now_iso())
        code = enrolment.enrol_code(device_id, bytes.fromhex(public_hex))
        approve_device(hub, store, device_id, codes or ["-"], code=code)


def forged(world, mutate, device_home: Path) -> bytes:
    """The attacked bundle's records changed by `mutate`, then encrypted and signed properly by a
    new device: every check of form and content must hold on its own, not just the signature."""
    import json
    from dataclasses import replace

    device = keys.device_key(device_home)
    identity, public = keys.district_identity(world["hub"])
    box = container.unpack(world["data"])
    records = json.loads(seal.decompress(seal.decrypt(box.payload, identity), 10**7))
    for a in records["assessments"]:  # a new device with assessments of its own
        a["origin_device"] = "new-device"
        a["id"] = a["lineage_id"] = "n" + a["id"][1:]
        a["replaces"] = None
    mutate(records)
    stored = seal.encrypt(seal.compress(json.dumps(records).encode()), [public.recipient])
    good = parse_manifest(box.manifest)
    counts = {
        name: len(records[name])
        for name in ("facilities", "tools", "assessments", "audit", "questionnaire_versions")
    }
    counts["answers"] = sum(len(a["answers"]) for a in records["assessments"])
    codes = sorted(
        {f["code"] for f in records["facilities"]}
        | {t["facility_code"] for t in records["tools"]}
        | {a["facility_code"] for a in records["assessments"]}
    )
    manifest = replace(good, device_id="new-device", device_key=device.public_hex, payload_sha256=seal.sha256_hex(stored),
                       payload_size=len(stored), counts=counts, bundle_id="2" * 32,
                       facility_codes=tuple(codes)).to_bytes()  # fmt: skip
    approve_key(world["hub"], "new-device", device.public_hex, codes)
    return container.pack(
        container.Container(
            manifest, seal.sign(device.private, manifest), container.PAYLOAD_ENCRYPTED, stored
        )
    )


def test_a_device_cannot_send_another_devices_assessments(world, tmp_path):
    """A new device (valid key, valid signature) re-sending the clinic's assessments as its own."""

    with open_store(world["hub"]) as store:  # the honest version of the forged bundle imports
        path = tmp_path / "honest.gcbundle"
        path.write_bytes(forged(world, lambda records: None, tmp_path / "a"))
        assert import_file(world["hub"], store, path).imported
    original = json_records(world)

    def claim_clinic_ids(records):
        for a, theirs in zip(records["assessments"], original["assessments"], strict=True):
            a["id"], a["lineage_id"] = theirs["id"], theirs["lineage_id"]

    def keep_clinic_origin(records):
        for a in records["assessments"]:
            a["origin_device"] = original["assessments"][0]["origin_device"]

    refused_unchanged(
        world, forged(world, claim_clinic_ids, tmp_path / "a"), words="recorded on another device"
    )
    refused_unchanged(
        world, forged(world, keep_clinic_origin, tmp_path / "a"), words="recorded on another device"
    )


def test_records_pointing_nowhere_are_refused(world, tmp_path):
    """The assessment names a facility and tool that neither the bundle nor the hub has."""

    def drop(records):
        records["facilities"], records["tools"] = [], []
        for a in records["assessments"]:
            a["facility_code"], a["tool_id"] = "NOWHERE", "no-tool"

    refused_unchanged(
        world,
        forged(world, drop, tmp_path / "dev"),
        words="neither in the bundle nor in this database",
    )


def test_answers_that_do_not_fit_their_items_are_refused(world, tmp_path):
    def bad_value(records):
        records["assessments"][0]["answers"][0]["value_json"] = '"maybe"'

    def unknown_item(records):
        records["assessments"][0]["answers"][0]["item_id"] = "no_such_item"

    for n, mutate in enumerate((bad_value, unknown_item)):
        refused_unchanged(
            world,
            forged(world, mutate, tmp_path / f"dev{n}"),
            words="does not fit its questionnaire",
        )


def test_malformed_records_and_fake_questionnaires_are_refused(world, tmp_path):
    def extra_field(records):
        records["assessments"][0]["is_admin"] = 1

    def odd_sign_off(records):
        records["assessments"][0]["sign_off_json"] = '{"assessor_name": "x", "__class__": "y"}'

    def odd_profile(records):
        records["assessments"][0]["profile_json"] = '{"facility_name": ["not", "text"]}'

    def wrong_type(records):
        records["assessments"][0]["revision"] = "1"

    for n, mutate in enumerate((extra_field, odd_sign_off, odd_profile, wrong_type)):
        refused_unchanged(
            world, forged(world, mutate, tmp_path / f"dev{n}"), words="not in the expected form"
        )

    def renamed_version(records):
        from guidecheck.checklist.loading import source_sha256

        version = records["questionnaire_versions"][0]
        version["version"] = "9.9"
        version["sha256"] = source_sha256(version["source"])
        for a in records["assessments"]:
            a["questionnaire_version"] = "9.9"

    refused_unchanged(
        world, forged(world, renamed_version, tmp_path / "q"), words="not the version it claims"
    )
