"""The attacks of a person with a USB stick, each through the CLI and real files: refused or held
with one plain sentence, and every record table of the hub unchanged (a dump before and after)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest
from bundle_helpers import SIGN, district_pair, fill, open_store, profile_for, value_for

from clinic_hub_helpers import dump
from guidecheck.bundles import container, keys, seal
from guidecheck.bundles.manifest import parse_manifest
from guidecheck.cli.main import main
from guidecheck.paths import database_path

HOLDING = {"hub_devices", "held_bundles"}


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def records(home: Path) -> dict:
    """Every table but the two that list waiting devices and bundles."""
    return {k: v for k, v in dump(database_path(home)).items() if k not in HOLDING}


@pytest.fixture
def district(tmp_path, capsys, mini):
    """A hub with clinic A approved for KSM-100, whose final assessment says Not ready."""
    hub, clinic, stick = tmp_path / "hub", tmp_path / "clinic-a", tmp_path / "stick"
    stick.mkdir()
    district_pair(clinic, hub, tmp_path)
    with open_store(clinic) as store:
        first = fill(store, mini, profile_for("KSM-100"), variant=2, final=True)
        device = store.device_id
        assert store.result(first).verdict != "ready"
    path = export(capsys, clinic, stick)
    cli(capsys, "--home", hub, "bundle", "import", path)
    code, out, _err = cli(
        capsys, "--home", hub, "device", "approve", device, "--facility", "KSM-100"
    )
    assert code == 0 and "1 new" in out
    return {"hub": hub, "clinic": clinic, "device": device, "first": first, "tmp": tmp_path,
            "key": tmp_path / "district.gckey", "stick": stick}  # fmt: skip


def export(capsys, home: Path, out: Path, *extra) -> Path:
    code, text, err = cli(capsys, "--home", home, "bundle", "export", "--out", out, *extra)
    assert code == 0, err
    return Path(text.strip().splitlines()[-1])


def laptop(world, name: str, mini, code: str = "KSM-100", facility: str = "Hacked clinic",
           final: bool = True) -> Path:  # fmt: skip
    """A new laptop running the ordinary app with the district key copied from a stick."""
    home = world["tmp"] / name
    keys.install_district_keys(home, world["key"])
    with open_store(home) as store:
        profile = replace(profile_for(code), facility_name=facility)
        fill(store, mini, profile, variant=0, final=final)
    return home


def resign(world, data: bytes, signer: Path, mutate, device_id: str | None = None,
           raw=lambda text: text) -> bytes:  # fmt: skip
    """The bundle's records changed by `mutate` (and its JSON text by `raw`), encrypted and signed
    again by `signer`'s key."""
    identity, public = keys.district_identity(world["hub"])
    box = container.unpack(data)
    body = json.loads(seal.decompress(seal.decrypt(box.payload, identity), 10**8))
    mutate(body)
    text = raw(json.dumps(body).encode())
    stored = seal.encrypt(seal.compress(text), [public.recipient])
    device = keys.device_key(signer)
    codes = sorted({f["code"] for f in body["facilities"]} | {t["facility_code"] for t in body["tools"]}
                   | {a["facility_code"] for a in body["assessments"]})  # fmt: skip
    counts = {
        n: len(body[n])
        for n in ("facilities", "tools", "assessments", "audit", "questionnaire_versions")
    }
    counts["answers"] = sum(len(a["answers"]) for a in body["assessments"])
    good = parse_manifest(box.manifest)
    manifest = replace(good, device_key=device.public_hex, device_id=device_id or good.device_id,
                       payload_sha256=seal.sha256_hex(stored), payload_size=len(stored), counts=counts,
                       facility_codes=tuple(codes)).to_bytes()  # fmt: skip
    return container.pack(container.Container(manifest, seal.sign(device.private, manifest),
                                              container.PAYLOAD_ENCRYPTED, stored))  # fmt: skip


def test_a_new_laptop_with_the_district_key_is_held_not_applied(capsys, district, mini):
    hub = district["hub"]
    attacker = laptop(district, "thief", mini)
    path = (
        export(
            capsys,
            attacker,
            district["tmp"] / "out",
        )
        if (district["tmp"] / "out").mkdir() is None
        else None
    )
    before = records(hub)
    code, out, err = cli(capsys, "--home", hub, "bundle", "import", path)
    assert code == 0 and ": held: device " in out and "new" not in out
    assert "device pending" in err
    assert records(hub) == before
    with open_store(hub) as store:
        assert store.result(district["first"]).verdict != "ready"
        assert store.conn.execute("SELECT name FROM facilities").fetchall() == [("Clinic KSM-100",)]
    code, out, _err = cli(capsys, "--home", hub, "device", "pending")
    with open_store(attacker) as store:
        thief = store.device_id
    assert thief in out and "KSM-100" in out
    code, out, _err = cli(capsys, "--home", hub, "device", "refuse", thief)
    assert code == 0 and "1 held bundles deleted" in out
    refused = dump(database_path(hub))  # the officer's decision is in the hub's audit log
    assert {
        k: v for k, v in refused.items() if k not in HOLDING | {"audit", "meta", "sqlite_sequence"}
    } == {k: v for k, v in before.items() if k not in {"audit", "meta", "sqlite_sequence"}}
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", path)
    assert code == 2 and "was refused at this hub" in out
    assert dump(database_path(hub)) == refused


def test_signed_only_bundles_are_refused(capsys, district, mini, tmp_path):
    plain = tmp_path / "plain"
    with open_store(plain) as store:
        fill(store, mini, profile_for("KSM-100"), limit=1)
    (tmp_path / "o").mkdir()
    path = export(capsys, plain, tmp_path / "o")
    before = dump(database_path(district["hub"]))
    code, out, _err = cli(capsys, "--home", district["hub"], "bundle", "import", path)
    assert code == 2 and "not encrypted to this district" in out
    assert dump(database_path(district["hub"])) == before


def test_an_approved_device_writes_only_its_facilities(capsys, district, mini):
    hub = district["hub"]
    other = laptop(district, "other", mini, code="KSM-200", facility="Clinic 200")
    (district["tmp"] / "o2").mkdir()
    first = export(capsys, other, district["tmp"] / "o2")
    cli(capsys, "--home", hub, "bundle", "import", first)
    with open_store(other) as store:
        device = store.device_id
    cli(capsys, "--home", hub, "device", "approve", device, "--facility", "KSM-200")
    data = resign(district, first.read_bytes(), other, lambda b: b["facilities"].append(
        {"code": "KSM-100", "name": "Renamed", "district": "x", "region": "y",
         "updated_at": "2026-01-01T00:00:00.000Z"}))  # fmt: skip
    attack = district["tmp"] / "attack.gcbundle"
    attack.write_bytes(data)
    before = dump(database_path(hub))
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", attack)
    assert code == 2 and f"Device {device} is not approved for facility KSM-100" in out
    assert dump(database_path(hub)) == before


def test_future_dated_records_do_not_win_for_good(capsys, district, mini):
    hub, clinic = district["hub"], district["clinic"]
    (district["tmp"] / "o3").mkdir()
    with open_store(clinic) as store:
        store.conn.execute(
            "UPDATE facilities SET name = 'Wrong clock', updated_at = '2099-01-01T00:00:00.000Z'"
        )
    export_path = export(capsys, clinic, district["tmp"] / "o3", "--full")
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", export_path)
    assert code == 0
    with open_store(hub) as store:
        name, stamp = store.conn.execute("SELECT name, updated_at FROM facilities").fetchone()
    assert name == "Wrong clock" and stamp < "2099"  # taken as dated at its import
    with open_store(clinic) as store:
        store.conn.execute(
            "UPDATE facilities SET name = 'Right name', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+1 second')"
        )
    cli(
        capsys,
        "--home",
        hub,
        "bundle",
        "import",
        export(capsys, clinic, district["tmp"] / "o3", "--full"),
    )
    with open_store(hub) as store:
        assert store.conn.execute("SELECT name FROM facilities").fetchone()[0] == "Right name"


def test_a_revision_appended_to_another_devices_lineage_is_refused(capsys, district, mini):
    hub = district["hub"]
    second, path, _device = approved_laptop(capsys, district, "second-laptop", mini, "KSM-100")

    def append(body):
        a = body["assessments"][0]
        a["lineage_id"], a["revision"], a["replaces"] = district["first"], 2, district["first"]

    attack = district["tmp"] / "rev2.gcbundle"
    attack.write_bytes(resign(district, path.read_bytes(), second, append))
    before = dump(database_path(hub))
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", attack)
    assert (
        code == 2
        and f"lineage {district['first']}, which belongs to device {district['device']}" in out
    )
    assert dump(database_path(hub)) == before


def test_manifest_facilities_must_equal_the_payloads(capsys, district, mini):
    hub, clinic = district["hub"], district["clinic"]
    (district["tmp"] / "o5").mkdir()
    path = export(capsys, clinic, district["tmp"] / "o5", "--full")
    box = container.unpack(path.read_bytes())
    manifest = replace(
        parse_manifest(box.manifest), facility_codes=("KSM-100", "KSM-999")
    ).to_bytes()
    device = keys.device_key(clinic)
    attack = district["tmp"] / "codes.gcbundle"
    attack.write_bytes(container.pack(container.Container(manifest, seal.sign(device.private, manifest),
                                                          box.payload_name, bytes(box.payload))))  # fmt: skip
    before = dump(database_path(hub))
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", attack)
    assert code == 2 and "lists other facilities than the records inside it" in out
    assert dump(database_path(hub)) == before


def test_an_id_squatter_pins_nothing_and_locks_nobody_out(capsys, district, mini, tmp_path):
    """An empty bundle under a new clinic's device id, then the clinic's own: the officer approves
    the real one by its code; the squatter's key is retired, the clinic's data imports."""
    hub = district["hub"]
    real = laptop(district, "real", mini, code="KSM-300", facility="Clinic 300")
    with open_store(real) as store:
        real_id = store.device_id
    (tmp_path / "o6").mkdir()
    genuine = export(capsys, real, tmp_path / "o6")
    squatter = tmp_path / "squatter"
    fake = resign(district, genuine.read_bytes(), squatter,
                  lambda b: [b[n].clear() for n in ("assessments", "tools", "audit", "questionnaire_versions")])  # fmt: skip
    (tmp_path / "fake.gcbundle").write_bytes(fake)
    before = records(hub)
    code, out, _err = cli(
        capsys, "--home", hub, "bundle", "import", tmp_path / "fake.gcbundle", genuine
    )
    assert code == 0 and out.count(": held: ") == 2
    assert records(hub) == before
    code, out, err = cli(
        capsys, "--home", hub, "device", "approve", real_id, "--facility", "KSM-300"
    )
    assert code == 2 and "2 different keys claim to be device" in err
    real_code = keys.device_key(real)
    from guidecheck.bundles.enrolment import enrol_code

    digits = enrol_code(real_id, real_code.public).replace(" ", "")
    code, out, err = cli(
        capsys,
        "--home",
        hub,
        "device",
        "approve",
        real_id,
        "--facility",
        "KSM-300",
        "--code",
        digits,
    )
    assert code == 0 and "1 new" in out, err
    code, out, _err = cli(capsys, "--home", hub, "device", "list", "--json")
    states = {
        (d["device_id"], d["enrol_code"].replace(" ", "")): d["status"] for d in json.loads(out)
    }
    assert states[(real_id, digits)] == "approved"
    assert sorted(states.values()).count("revoked") == 1


def test_a_doctored_copy_of_a_shipped_checklist_is_refused_by_name(capsys, district, who, tmp_path):
    hub = district["hub"]
    home = tmp_path / "who-clinic"
    keys.install_district_keys(home, district["key"])
    with open_store(home) as store:
        fill(store, who, profile_for("KSM-100"), limit=3)
        device = store.device_id
    (tmp_path / "o7").mkdir()
    path = export(capsys, home, tmp_path / "o7")
    cli(capsys, "--home", hub, "bundle", "import", path)
    cli(capsys, "--home", hub, "device", "approve", device, "--facility", "KSM-100")

    def doctor(body):
        from guidecheck.checklist.loading import source_sha256

        for q in body["questionnaire_versions"]:
            q["source"] = q["source"].replace("title:", "title: ", 1)
            q["sha256"] = source_sha256(q["source"])

    attack = tmp_path / "doctored.gcbundle"
    attack.write_bytes(resign(district, path.read_bytes(), home, doctor))
    before = dump(database_path(hub))
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", attack)
    assert (
        code == 2 and f"questionnaire {who.id} version {who.version}" in out
    )  # named, shipped or archived
    assert dump(database_path(hub)) == before


def test_amplified_tiny_objects_are_refused_before_they_are_built(capsys, district):
    hub, clinic = district["hub"], district["clinic"]
    (district["tmp"] / "o8").mkdir()
    path = export(capsys, clinic, district["tmp"] / "o8")

    def bomb(body):
        body["audit"] = [{}] * 2_000_000  # 6 MB of "{}," once written

    attack = district["tmp"] / "bomb.gcbundle"
    attack.write_bytes(resign(district, path.read_bytes(), clinic, bomb))
    assert attack.stat().st_size < 100_000
    before = dump(database_path(hub))
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", attack)
    assert code == 2 and "more records or longer texts than" in out
    assert dump(database_path(hub)) == before


def test_over_long_fields_and_duplicate_keys_are_refused(capsys, district):
    hub, clinic = district["hub"], district["clinic"]
    (district["tmp"] / "o9").mkdir()
    path = export(capsys, clinic, district["tmp"] / "o9", "--full")
    attack = district["tmp"] / "long.gcbundle"
    attack.write_bytes(resign(district, path.read_bytes(), clinic,
                              lambda b: b["facilities"][0].update(name="x" * 200_000)))  # fmt: skip
    before = dump(database_path(hub))
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", attack)
    assert code == 2 and "not in the expected form" in out
    assert dump(database_path(hub)) == before
    from guidecheck.bundles.errors import BundleRefused
    from guidecheck.bundles.payload import parse_payload

    with pytest.raises(BundleRefused):
        parse_payload(b'{"facilities":[],"facilities":[],"tools":[],"questionnaire_versions":[],'
                      b'"assessments":[],"audit":[]}')  # fmt: skip


@pytest.mark.skipif(os.name != "posix", reason="FIFOs and byte file names are POSIX")
def test_fifos_odd_names_and_renamed_copies(capsys, district):
    hub, clinic, tmp = district["hub"], district["clinic"], district["tmp"]
    fifo = tmp / "pipe.gcbundle"
    os.mkfifo(fifo)
    before = dump(database_path(hub)), sorted(os.listdir(hub / "archive"))
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", fifo)  # must not block
    assert code == 2 and "is not a regular file" in out
    (tmp / "o10").mkdir()
    path = export(capsys, clinic, tmp / "o10", "--full")
    odd = os.fsencode(str(tmp)) + b"/fake\nKSM-100: 9 new\xff.gcbundle"
    with open(odd, "wb") as handle:
        handle.write(path.read_bytes())
    copy = tmp / "renamed.gcbundle"
    copy.write_bytes(path.read_bytes())
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", os.fsdecode(odd), copy, path)
    lines = out.splitlines()
    assert len(lines) == 3 and lines[0].startswith("fake\\nKSM-100: 9 new\\xff.gcbundle: ")
    assert all("unexpected problem" not in line for line in lines)
    archived = sorted(os.listdir(hub / "archive"))
    assert len(archived) == len(before[1]) + 1  # one copy per distinct content


def approved_laptop(
    capsys, world, name: str, mini, code: str, *facilities: str
) -> tuple[Path, Path, str]:
    """A second clinic laptop for `code`, approved for `facilities`: (home, first bundle, device id)."""
    home = laptop(world, name, mini, code=code, facility=f"Clinic {code}")
    (world["tmp"] / f"out-{name}").mkdir()
    first = export(capsys, home, world["tmp"] / f"out-{name}")
    cli(capsys, "--home", world["hub"], "bundle", "import", first)
    with open_store(home) as store:
        device = store.device_id
    code_, out, err = cli(capsys, "--home", world["hub"], "device", "approve", device,
                          "--facility", *(facilities or (code,)))  # fmt: skip
    assert code_ == 0 and "1 new" in out, err
    return home, first, device


def hub_tool(world) -> str:
    with open_store(world["hub"]) as store:
        return store.conn.execute(
            "SELECT id FROM tools WHERE facility_code = 'KSM-100'"
        ).fetchone()[0]


def test_an_assessment_for_another_facilitys_tool_is_refused(capsys, district, mini):
    """The loophole: a device approved for KSM-200 names its own facility on an assessment but
    attaches it to KSM-100's tool (ids are printed on every PDF page): refused, hub unchanged."""
    hub = district["hub"]
    other, first, _device = approved_laptop(capsys, district, "other200", mini, "KSM-200")
    victim_tool = hub_tool(district)

    def steal(body):
        body["tools"].clear()
        for a in body["assessments"]:
            a["id"] = a["lineage_id"] = "11111111-2222-4333-8444-555555555555"
            a["tool_id"] = victim_tool
        body["audit"].clear()

    attack = district["tmp"] / "steal.gcbundle"
    attack.write_bytes(resign(district, first.read_bytes(), other, steal))
    before = dump(database_path(hub))
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", attack)
    assert code == 2 and out.count("\n") == 1
    assert (
        f"attaches an assessment for facility KSM-200 to tool {victim_tool} of facility KSM-100"
        in out
    )
    assert dump(database_path(hub)) == before
    with open_store(hub) as store:
        assert store.result(district["first"]).verdict != "ready"


def test_a_tool_moved_into_an_approved_facility_is_refused(capsys, district, mini):
    """The same attack with the tool's record carried along, re-homed to KSM-200: refused."""
    hub = district["hub"]
    other, first, device = approved_laptop(capsys, district, "mover", mini, "KSM-200")
    victim_tool = hub_tool(district)

    def move(body):
        body["tools"][0]["id"] = victim_tool
        body["tools"][0]["updated_at"] = "2026-12-31T00:00:00.000Z"
        for a in body["assessments"]:
            a["id"] = a["lineage_id"] = "21111111-2222-4333-8444-555555555555"
            a["tool_id"] = victim_tool
        body["audit"].clear()

    attack = district["tmp"] / "move.gcbundle"
    attack.write_bytes(resign(district, first.read_bytes(), other, move))
    before = dump(database_path(hub))
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", attack)
    assert code == 2
    assert (
        f"changes tool {victim_tool} of facility KSM-100, which device {device} is not approved for"
        in out
    )
    assert dump(database_path(hub)) == before


def test_a_profile_naming_another_facility_is_refused(capsys, district, mini):
    hub = district["hub"]
    other, first, _device = approved_laptop(capsys, district, "profile", mini, "KSM-200")

    def rename(body):
        for a in body["assessments"]:
            profile = json.loads(a["profile_json"])
            profile["facility_code"] = "KSM-100"
            a["profile_json"] = json.dumps(profile)
            a["id"] = a["lineage_id"] = "31111111-2222-4333-8444-555555555555"
        body["audit"].clear()

    attack = district["tmp"] / "profile.gcbundle"
    attack.write_bytes(resign(district, first.read_bytes(), other, rename))
    before = dump(database_path(hub))
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", attack)
    assert code == 2 and "whose profile names another facility than the assessment" in out
    assert dump(database_path(hub)) == before


def test_a_device_approved_for_both_facilities_may_move_a_tool(capsys, district, mini):
    """A district nurse's laptop approved for KSM-100 and KSM-200 re-homes a tool and assesses it
    there: accepted, the tool now belongs to KSM-200 and the assessment names it."""
    hub = district["hub"]
    other, first, _device = approved_laptop(capsys, district, "both", mini, "KSM-200",
                                            "KSM-100", "KSM-200")  # fmt: skip
    victim_tool = hub_tool(district)

    def move(body):
        body["tools"][0]["id"] = victim_tool
        body["tools"][0]["updated_at"] = "2026-12-31T00:00:00.000Z"
        for a in body["assessments"]:
            a["id"] = a["lineage_id"] = "41111111-2222-4333-8444-555555555555"
            a["tool_id"] = victim_tool
        body["audit"].clear()

    allowed = district["tmp"] / "allowed.gcbundle"
    allowed.write_bytes(resign(district, first.read_bytes(), other, move))
    code, out, err = cli(capsys, "--home", hub, "bundle", "import", allowed)
    assert code == 0 and "1 new" in out, out + err
    with open_store(hub) as store:
        assert store.conn.execute(
            "SELECT facility_code FROM tools WHERE id = ?", (victim_tool,)
        ).fetchone() == ("KSM-200",)


def test_a_transferred_lineage_takes_revisions_from_its_new_device(capsys, district, mini):
    """`device transfer` is the one way another device continues a lineage (a replaced laptop)."""
    hub = district["hub"]
    second, path, device = approved_laptop(capsys, district, "replacement", mini, "KSM-100")

    def append(body):
        a = body["assessments"][0]
        a["id"] = "51111111-2222-4333-8444-555555555555"
        a["lineage_id"], a["revision"], a["replaces"] = district["first"], 2, district["first"]
        body["audit"].clear()

    revision = district["tmp"] / "rev2-ok.gcbundle"
    revision.write_bytes(resign(district, path.read_bytes(), second, append))
    before = dump(database_path(hub))
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", revision)
    assert code == 2 and "only that device may add revisions" in out
    assert dump(database_path(hub)) == before
    code, out, err = cli(
        capsys, "--home", hub, "device", "transfer", district["first"], "--to", device
    )
    assert code == 0, err
    code, out, err = cli(capsys, "--home", hub, "bundle", "import", revision)
    assert code == 0 and "1 new" in out, out + err


def test_duplicate_json_keys_are_refused_through_the_cli(capsys, district):
    """A payload whose JSON names `facilities` twice (which copy counts would depend on the
    parser): refused as not in the expected form, hub unchanged."""
    hub, clinic = district["hub"], district["clinic"]
    (district["tmp"] / "o12").mkdir()
    path = export(capsys, clinic, district["tmp"] / "o12", "--full")

    def twice(text: bytes) -> bytes:
        assert text.count(b'"facilities": ') == 1
        return text.replace(b'"facilities": ', b'"facilities": [], "facilities": ')

    attack = district["tmp"] / "dupkeys.gcbundle"
    attack.write_bytes(resign(district, path.read_bytes(), clinic, lambda b: None, raw=twice))
    before = dump(database_path(hub))
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", attack)
    assert code == 2 and "not in the expected form" in out and out.count("\n") == 1
    assert dump(database_path(hub)) == before


def test_a_bundle_encrypted_to_another_hub_is_refused_through_the_cli(capsys, district, mini):
    hub, tmp = district["hub"], district["tmp"]
    other_hub = tmp / "other-hub"
    key = keys.create_district_identity(other_hub, "Elsewhere")
    keys.write_district_key_file([key], tmp / "other.gckey", overwrite=True)
    home = tmp / "other-district-clinic"
    keys.install_district_keys(home, tmp / "other.gckey")
    with open_store(home) as store:
        fill(store, mini, profile_for("KSM-100"), limit=2)
    (tmp / "o13").mkdir()
    path = export(capsys, home, tmp / "o13")
    before = dump(database_path(hub))
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", path)
    assert code == 2 and "another district" in out
    assert dump(database_path(hub)) == before


def test_a_revoked_device_is_refused_and_what_it_sent_stays(capsys, district, mini):
    hub, clinic, device = district["hub"], district["clinic"], district["device"]
    code, out, _err = cli(capsys, "--home", hub, "device", "revoke", device)
    assert code == 0 and f"Revoked device {device}" in out
    with open_store(clinic) as store:
        fill(store, mini, profile_for("KSM-100", tool="Other tool"), limit=2)
    (district["tmp"] / "o14").mkdir()
    path = export(capsys, clinic, district["tmp"] / "o14")
    before = dump(database_path(hub))
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", path)
    assert code == 2 and f"device {device} was revoked at this hub" in out
    assert dump(database_path(hub)) == before
    with open_store(hub) as store:  # what it sent before stays
        assert store.conn.execute("SELECT id FROM assessments").fetchall() == [(district["first"],)]


def test_an_unknown_checklist_version_is_stored_only_once_its_device_is_approved(
    capsys, district, mini
):
    """A new laptop's bundle carrying a checklist version the hub has never seen is held: the
    version is not stored; approving the laptop stores it with its assessment."""
    hub, tmp = district["hub"], district["tmp"]
    home = laptop(district, "newversion", mini, final=False)
    (tmp / "o15").mkdir()
    path = export(capsys, home, tmp / "o15")
    with open_store(home) as store:
        device = store.device_id

    def bump(body):
        from guidecheck.checklist.loading import source_sha256

        for q in body["questionnaire_versions"]:
            q["source"] = re.sub(r"^version:.*$", 'version: "9.9.9"', q["source"], count=1,
                                 flags=re.MULTILINE)  # fmt: skip
            q["version"], q["sha256"] = "9.9.9", source_sha256(q["source"])
        for a in body["assessments"]:
            a["questionnaire_version"] = "9.9.9"
        body["audit"].clear()

    bumped = tmp / "bumped.gcbundle"
    bumped.write_bytes(resign(district, path.read_bytes(), home, bump))
    before = records(hub)
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", bumped)
    assert code == 0 and ": held: " in out
    assert records(hub) == before
    code, out, err = cli(
        capsys, "--home", hub, "device", "approve", device, "--facility", "KSM-100"
    )
    assert code == 0 and "1 new" in out, out + err
    with open_store(hub) as store:
        versions = store.conn.execute(
            "SELECT version FROM questionnaire_versions WHERE version = '9.9.9'"
        ).fetchall()
    assert versions == [("9.9.9",)]


def test_a_future_dated_tool_record_does_not_win_for_good(capsys, district):
    hub, clinic = district["hub"], district["clinic"]
    (district["tmp"] / "o16").mkdir()
    with open_store(clinic) as store:
        store.conn.execute(
            "UPDATE tools SET vendor = 'Wrong clock', updated_at = '2099-01-01T00:00:00.000Z'"
        )
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import",
                          export(capsys, clinic, district["tmp"] / "o16", "--full"))  # fmt: skip
    assert code == 0
    with open_store(hub) as store:
        vendor, stamp = store.conn.execute("SELECT vendor, updated_at FROM tools").fetchone()
    assert vendor == "Wrong clock" and stamp < "2099"
    with open_store(clinic) as store:
        store.conn.execute(
            "UPDATE tools SET vendor = 'Right vendor', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+1 second')"
        )
    cli(capsys, "--home", hub, "bundle", "import",
        export(capsys, clinic, district["tmp"] / "o16", "--full"))  # fmt: skip
    with open_store(hub) as store:
        assert store.conn.execute("SELECT vendor FROM tools").fetchone()[0] == "Right vendor"


def test_a_future_dated_draft_does_not_hide_the_final(capsys, district, mini):
    """A clinic laptop whose clock was years ahead sent a draft; with its clock fixed it finalizes
    the assessment. The final stands at the hub (the draft is kept as history and flagged)."""
    hub, clinic = district["hub"], district["clinic"]
    with open_store(clinic) as store:
        draft = fill(store, mini, profile_for("KSM-100", tool="Triage bot"), limit=2)
        store.conn.execute(
            "UPDATE assessments SET updated_at = '2099-01-01T00:00:00.000Z' WHERE id = ?", (draft,)
        )
    (district["tmp"] / "o17").mkdir()
    code, out, err = cli(capsys, "--home", hub, "bundle", "import",
                         export(capsys, clinic, district["tmp"] / "o17"))  # fmt: skip
    assert code == 0 and "1 new" in out, out + err
    with open_store(clinic) as store:
        for n, item in enumerate(mini.items):
            store.save_answer(draft, item.id, value_for(item, n), note=f"note {n}")
        store.finalize(draft, SIGN)
    code, out, err = cli(capsys, "--home", hub, "bundle", "import",
                         export(capsys, clinic, district["tmp"] / "o17"))  # fmt: skip
    assert code == 0, out + err
    with open_store(hub) as store:
        status = store.conn.execute(
            "SELECT status FROM assessments WHERE id = ?", (draft,)
        ).fetchone()
    assert status == ("final",)
