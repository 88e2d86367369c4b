"""Keys, container, manifest, sealing and the audit-chain check: the parts below import and export."""

from __future__ import annotations

import os
import stat

import pytest

from guidecheck.bundles import container, keys, seal
from guidecheck.bundles.errors import BundleRefused
from guidecheck.bundles.manifest import AuditHead, Manifest, parse_manifest


def make_manifest(**changes) -> Manifest:
    values = dict(
        bundle_id="ab" * 16,
        device_id="dev-1",
        device_key="cd" * 32,
        created_at="2026-11-25T09:30:00.000001Z",
        app_version="0.1.0",
        facility_codes=("KSM-001",),
        counts={
            "facilities": 1,
            "tools": 1,
            "assessments": 2,
            "answers": 70,
            "audit": 5,
            "questionnaire_versions": 1,
        },
        payload_name=container.PAYLOAD_PLAIN,
        payload_sha256="ef" * 32,
        payload_size=123,
        encrypted_to=(),
        scope="full",
        since=None,
        audit_head=AuditHead(after_seq=0, after_hash="0" * 64, seq=5, hash="cd" * 32, count=5),
    )
    values.update(changes)
    return Manifest(**values)


def test_device_key_is_made_once_and_private(tmp_path):
    first = keys.device_key(tmp_path)
    second = keys.device_key(tmp_path)
    assert first.public == second.public and len(first.public) == 32
    path = tmp_path / "keys" / keys.DEVICE_KEY_FILE
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not [p for p in (tmp_path / "keys").iterdir() if p.name.endswith(".partial")]


def test_district_key_file_round_trip_and_install(tmp_path):
    hub, clinic = tmp_path / "hub", tmp_path / "clinic"
    key = keys.create_district_identity(hub, name="Kisumu district")
    assert keys.is_district_hub(hub) and not keys.is_district_hub(clinic)
    if os.name == "posix":
        mode = (hub / "keys" / keys.DISTRICT_IDENTITY_FILE).stat().st_mode
        assert stat.S_IMODE(mode) == 0o600
    out = keys.write_district_key_file([key], tmp_path / "district.gckey")
    assert "AGE-SECRET" not in out.read_text()
    installed = keys.install_district_keys(clinic, out)
    assert installed == [key] == keys.installed_district_keys(clinic)
    _identity, public = keys.district_identity(hub)
    assert public.recipient == key.recipient and public.name == "Kisumu district"
    with pytest.raises(BundleRefused, match="already has a district key"):
        keys.create_district_identity(hub)


# The district's key with a second recipient added (its holder would read every bundle).
EXTRA_RECIPIENT = keys.district_key_file_text(
    [keys.DistrictKey("age18ykp8e40620ljn47mh7v2rdx9ftjk2q8yvwg83e4ujj5gvzk0c5sxuqp0q"),
     keys.DistrictKey("age1vn92tnmnlaje5hafgedqt28jsgrt74amhdjlu00z4k3tntx855cqkwen0f")]
)  # fmt: skip


@pytest.mark.parametrize(
    "text, reason",
    [
        ("hello\n", "not a GuideCheck district key"),
        ("guidecheck-district-key 1\n", "holds no district key"),
        ("guidecheck-district-key 1\nrecipient: age1notakey\n", "not valid"),
        ("guidecheck-district-key 1\nsecret: x\n", "not a GuideCheck district key"),
        (EXTRA_RECIPIENT, "more than one district key"),
    ],
)
def test_bad_district_key_files_are_refused(tmp_path, text, reason):
    path = tmp_path / "bad.gckey"
    path.write_text(text)
    with pytest.raises(BundleRefused, match=reason):
        keys.install_district_keys(tmp_path / "clinic", path)
    assert not (tmp_path / "clinic" / "keys" / keys.INSTALLED_DISTRICT_FILE).exists()


def test_fingerprint_mismatch_in_key_file_is_refused(tmp_path):
    key = keys.create_district_identity(tmp_path / "hub")
    text = keys.district_key_file_text([key]).replace(key.fingerprint, "0000-0000-0000-0000")
    with pytest.raises(BundleRefused, match="fingerprint"):
        keys.parse_district_key_text(text, "x.gckey")


def test_container_round_trip_and_exact_shape():
    box = container.Container(b"{}", b"s" * 64, container.PAYLOAD_PLAIN, b"payload")
    data = container.pack(box)
    assert data.startswith(b"GCBUNDLE") and container.unpack(data) == box
    for cut in range(len(data)):
        with pytest.raises(BundleRefused):
            container.unpack(data[:cut])
    with pytest.raises(BundleRefused, match="after its last part"):
        container.unpack(data + b"\0")


def test_unknown_format_version_and_foreign_member_names_are_refused():
    data = bytearray(
        container.pack(container.Container(b"{}", b"s" * 64, container.PAYLOAD_PLAIN, b"p"))
    )
    data[9] = container.FORMAT_VERSION + 1
    with pytest.raises(BundleRefused, match=f"format version {container.FORMAT_VERSION + 1}, but"):
        container.unpack(bytes(data))
    slip = container.pack(container.Container(b"{}", b"s" * 64, "../../evil.sh", b"p"))
    with pytest.raises(BundleRefused, match="unexpected part"):
        container.unpack(slip)


def test_oversized_member_is_refused_from_its_declared_length():
    header = container._HEADER.pack(container.MAGIC, container.FORMAT_VERSION, 3)
    name = container.MANIFEST_NAME.encode()
    data = (
        header
        + bytes([len(name)])
        + name
        + container._LENGTH.pack(container.MAX_MANIFEST + 1)
        + b"{}"
    )
    with pytest.raises(BundleRefused, match="larger than allowed"):
        container.unpack(data)


def test_manifest_is_canonical_and_strict():
    manifest = make_manifest()
    raw = manifest.to_bytes()
    assert parse_manifest(raw) == manifest
    with pytest.raises(BundleRefused):
        parse_manifest(raw.replace(b'"scope":"full"', b'"scope": "full"'))
    with pytest.raises(BundleRefused, match="format version 7"):
        parse_manifest(raw.replace(b'"format":3', b'"format":7'))
    with pytest.raises(BundleRefused):
        parse_manifest(make_manifest(encrypted_to=("abcd-abcd-abcd-abcd",)).to_bytes())
    with pytest.raises(BundleRefused):
        parse_manifest(b"[]")


def test_signature_and_encryption(tmp_path):
    device = keys.device_key(tmp_path)
    manifest = make_manifest().to_bytes()
    signature = seal.sign(device.private, manifest)
    seal.verify_signature(device.public, manifest, signature)
    with pytest.raises(BundleRefused, match="signature"):
        seal.verify_signature(device.public, manifest + b" ", signature)
    other = keys.device_key(tmp_path / "other")
    with pytest.raises(BundleRefused, match="signature"):
        seal.verify_signature(other.public, manifest, signature)

    district = keys.create_district_identity(tmp_path / "hub")
    stranger = keys.create_district_identity(tmp_path / "elsewhere")
    secret = seal.encrypt(b"records", [district.recipient])
    identity, _public = keys.district_identity(tmp_path / "hub")
    assert seal.decrypt(secret, identity) == b"records"
    wrong, _public = keys.district_identity(tmp_path / "elsewhere")
    assert stranger.recipient != district.recipient
    with pytest.raises(BundleRefused, match="another district"):
        seal.decrypt(secret, wrong)


def test_decompress_is_bounded():
    bomb = seal.compress(b"\0" * 5_000_000)
    assert len(bomb) < 10_000
    with pytest.raises(BundleRefused, match="larger than allowed"):
        seal.decompress(bomb, 1_000_000)
    assert seal.decompress(seal.compress(b"abc"), 10) == b"abc"
    with pytest.raises(BundleRefused, match="damaged"):
        seal.decompress(seal.compress(b"abc")[:-3], 10)


def test_clinic_audit_chain_check(tmp_path, mini):
    from bundle_helpers import fill, open_store, profile_for

    from guidecheck.bundles.payload import audit_chain_problem, collect

    with open_store(tmp_path) as store:
        fill(store, mini, profile_for("KSM-030"), limit=3)
        entries = collect(store.conn, None, 0, store.device_id).audit
    assert len(entries) >= 4 and audit_chain_problem(entries) is None
    assert audit_chain_problem(entries[2:]) is None  # an incremental bundle starts mid-chain
    edited = [dict(e) for e in entries]
    edited[2]["new"] = '"no"'
    assert audit_chain_problem(edited) == entries[2]["seq"]
    dropped = entries[:1] + entries[2:]
    assert (
        audit_chain_problem(dropped) is None
    )  # a gap is not a broken link: only seqs that follow are linked
    relinked = [dict(e) for e in entries]
    relinked[3]["prev_hash"] = "0" * 64
    assert audit_chain_problem(relinked) == entries[3]["seq"]


def test_the_signed_audit_head_is_required_from_format_3_and_checked():
    manifest = make_manifest()
    assert parse_manifest(manifest.to_bytes()).audit_head == manifest.audit_head
    data = manifest.to_dict()
    bad_heads = [
        None,
        {**data["audit"], "seq": -1},
        {**data["audit"], "hash": "xyz"},
        {**data["audit"], "after_seq": 9},  # after the head it leads to
        {**data["audit"], "extra": 1},
        {**data["audit"], "count": True},
    ]
    from guidecheck.bundles.manifest import canonical_json

    for head in bad_heads:
        edited = {k: v for k, v in data.items() if k != "audit"}
        if head is not None:
            edited["audit"] = head
        with pytest.raises(BundleRefused, match="manifest is not valid"):
            parse_manifest(canonical_json(edited))
    older = {k: v for k, v in data.items() if k != "audit"} | {"format": 2}
    assert parse_manifest(canonical_json(older)).audit_head is None  # an earlier version's bundle
    with pytest.raises(BundleRefused):
        parse_manifest(canonical_json(older | {"audit": data["audit"]}))
