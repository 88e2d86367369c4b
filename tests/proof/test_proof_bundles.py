"""Hostile bundles: nothing gets in. Every damaged, truncated, spliced, forged or malicious bundle is
refused with one sentence and the hub's database (every row of every table) and archive unchanged;
a replayed bundle changes nothing; what is accepted leaves the hub sound.

The strongest attacker here holds the clinic's own signing key: forged bundles are re-signed with
it, so every check behind the signature (shape, types, sizes, references, answers) is exercised.
"""

from __future__ import annotations

import io
import json
import shutil
import struct
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from bundlekit import Kit, attempt, forge
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from proofkit import TALLY, dump_database, make_profile, run_cli

from clinic_hub_helpers import import_approved
from guidecheck.bundles import container, keys, seal
from guidecheck.bundles.export import export_bundle
from guidecheck.storage.store import Store

# One xdist worker runs this whole module: its module-scoped fixture is then built once, not once
# per worker (`make test` runs with --dist loadgroup).
pytestmark = pytest.mark.xdist_group("proof-bundles")
FAST = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SOAK = settings(
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
ANSWERS = [
    ("a_review", "no"),
    ("a_poster", "partly"),
    ("a_storage", "shelf"),
    ("a_staff", 12),
    ("b_places", ["local", "cloud"]),
    ("b_cloud_safe", "yes"),
    ("b_reviewed_on", "2026-10-01"),
    ("b_remarks", "fine"),
]


BOTH = ("KSM-001", "KSM-002")


@pytest.fixture(scope="module")
def kit(tmp_path_factory, mini) -> Kit:
    root = tmp_path_factory.mktemp("hostile")
    clinic, hub, stick = root / "clinic", root / "hub-fresh", root / "stick"
    stick.mkdir()
    district = keys.create_district_identity(hub, "Kisumu")
    keys.install_district_keys(
        clinic, keys.write_district_key_file([district], root / "district.gckey")
    )
    with Store(clinic / "guidecheck.db") as store:
        first = store.new_assessment(mini, make_profile("KSM-001"))
        for item, value in ANSWERS[:4]:
            store.save_answer(first.id, item, value, note="on site")
        older = export_bundle(clinic, store, stick).path.read_bytes()
        time.sleep(0.01)
        store.save_answer(first.id, "a_poster", "yes")
        second = store.new_assessment(mini, make_profile("KSM-002"))
        for item, value in ANSWERS:
            store.save_answer(second.id, item, value, note="checked")
        newer = export_bundle(clinic, store, stick).path.read_bytes()
    with Store(hub / "guidecheck.db") as store:
        # The officer already approved this clinic's laptop (its enrolment code was compared).
        from guidecheck.bundles import enrolment
        from guidecheck.bundles.approval import approve_device
        from guidecheck.storage.store import now_iso

        device_id = Store(clinic / "guidecheck.db").device_id
        with store.atomic():
            public = keys.device_key(clinic).public_hex
            enrolment.record_pending(store.conn, device_id, public, now_iso())
        approve_device(hub, store, device_id, list(BOTH))
    after_first = root / "hub-after-first"
    shutil.copytree(hub, after_first)
    (stick / "older.gcbundle").write_bytes(older)
    with Store(after_first / "guidecheck.db") as store:
        assert import_approved(
            after_first, store, stick / "older.gcbundle", facilities=BOTH
        ).imported
    return Kit(root, clinic, hub, after_first, older, newer)


def test_the_untouched_bundles_import(kit: Kit) -> None:
    assert attempt(kit, kit.newer).imported
    assert attempt(kit, kit.older, hub=kit.hub_fresh).imported
    assert attempt(kit, kit.newer, hub=kit.hub_fresh).imported


# --- replays ---------------------------------------------------------------------------------------


def _import_all(kit: Kit, home: Path, *bundles: bytes) -> None:
    with Store(home / "guidecheck.db") as store:
        for data in bundles:
            path = kit.root / ("older.gcbundle" if data == kit.older else "newer.gcbundle")
            path.write_bytes(data)
            assert import_approved(home, store, path, facilities=BOTH).imported


def test_a_replayed_older_bundle_changes_nothing(kit: Kit, tmp_path: Path) -> None:
    home = tmp_path / "hub"
    shutil.copytree(kit.hub_after_first, home)
    _import_all(kit, home, kit.newer)
    before = dump_database(home / "guidecheck.db")
    archive = sorted(p.name for p in (home / "archive").iterdir())
    for data in (kit.older, kit.newer, kit.older):
        _import_all(kit, home, data)
        assert dump_database(home / "guidecheck.db") == before
        assert sorted(p.name for p in (home / "archive").iterdir()) == archive
    TALLY["bundle replays that changed nothing"] += 3


def test_an_older_bundle_arriving_late_does_not_roll_back_newer_answers(
    kit: Kit, tmp_path: Path
) -> None:
    in_order, late = tmp_path / "in-order", tmp_path / "late"
    shutil.copytree(kit.hub_fresh, in_order)
    shutil.copytree(kit.hub_fresh, late)
    _import_all(kit, in_order, kit.older, kit.newer)
    _import_all(kit, late, kit.newer, kit.older)
    records = ("assessments", "answers", "facilities", "tools", "questionnaire_versions")
    a, b = dump_database(in_order / "guidecheck.db"), dump_database(late / "guidecheck.db")
    for table in records:
        assert a[table] == b[table], table
    with Store(late / "guidecheck.db") as store:
        values = [
            a.value
            for aid in [r.id for r in store.list_assessments()]
            for a in store.answers(aid).values()
        ]
    assert "yes" in values  # a_poster as the newer bundle has it


# --- forged identity -----------------------------------------------------------------------------


def test_a_valid_bundle_re_signed_by_another_device_under_the_same_id_is_held(kit: Kit) -> None:
    """Another key under an approved device's id changes nothing: it waits as a new request."""
    outcome = attempt(kit, forge(kit, signer=kit.root / "stolen-id"), expect_refused=True)
    assert outcome.held and "is not approved at this hub" in outcome.reason


def test_a_bundle_for_another_district_is_refused(kit: Kit, tmp_path: Path) -> None:
    other = keys.create_district_identity(tmp_path / "other-hub")
    box = container.unpack(kit.newer)
    identity, _public = keys.district_identity(kit.hub_fresh)
    plain = seal.decrypt(box.payload, identity)
    stored = seal.encrypt(plain, [other.recipient])

    def readdress(body):
        body["encrypted_to"] = [other.fingerprint]
        return body

    outcome = attempt(kit, forge(kit, stored=stored, manifest_edit=readdress), expect_refused=True)
    assert "another district" in outcome.reason


# --- crafted attacks -------------------------------------------------------------------------------


def _gzip_bomb(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1024 * 1024)
    return b"".join([*(packer.compress(chunk) for _ in range(size // len(chunk))), packer.flush()])


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("../../../../tmp/guidecheck-slip.txt", b"x")
        archive.writestr("payload.json", bytes(80 * 1024 * 1024))
    return buffer.getvalue()


def _member(name: bytes, data: bytes) -> bytes:
    return bytes([len(name)]) + name + struct.pack(">I", len(data)) + data


def _container(*members: bytes, count: int = 3) -> bytes:
    return struct.pack(">8sHB", b"GCBUNDLE", 1, count) + b"".join(members)


def _edit_records(kit: Kit, edit) -> dict:
    records = kit.records()
    edit(records)
    return records


def _set(path: list, value):
    def edit(records):
        node = records
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return edit


def _answer(value_json: str):
    return _set(["assessments", 0, "answers", 0, "value_json"], value_json)


def _unknown_questionnaire(records):
    records["questionnaire_versions"] = []
    for a in records["assessments"]:
        a["questionnaire_id"], a["questionnaire_version"] = "no-such-checklist", "1"


def _python_tag_questionnaire(records):
    from guidecheck.checklist.loading import source_sha256

    version = records["questionnaire_versions"][0]
    version["version"] = "6.6"
    version["source"] = "!!python/object/apply:os.system ['touch /tmp/guidecheck-pwned']\n"
    version["sha256"] = source_sha256(version["source"])
    for a in records["assessments"]:
        a["questionnaire_version"] = "6.6"


def _profile_surrogate(records):
    assessment = records["assessments"][0]
    assessment["profile_json"] = json.dumps(
        json.loads(assessment["profile_json"]) | {"facility_name": "Clinic \ud800"}
    )


def _many_answers(records):
    template = records["assessments"][0]["answers"][0]
    records["assessments"][0]["answers"] = [dict(template, item_id=f"x{n}") for n in range(5001)]


def _crafted(kit: Kit) -> dict[str, bytes]:
    box = container.unpack(kit.newer)
    plain_json = json.dumps(kit.records()).encode()
    return {
        "gzip bomb (100 MB of zeros, signed)": forge(
            kit, stored=_gzip_bomb(100 * 1024 * 1024), encrypt=False
        ),
        "gzip bomb inside the encryption": forge(
            kit,
            stored=seal.encrypt(
                _gzip_bomb(100 * 1024 * 1024), [keys.district_identity(kit.hub_fresh)[1].recipient]
            ),
        ),
        "two gzip members": forge(
            kit, stored=seal.compress(plain_json) + seal.compress(plain_json), encrypt=False
        ),
        "payload not compressed": forge(kit, stored=plain_json, encrypt=False),
        "zip bomb as the whole file": _zip_bomb(),
        "zip bomb as the payload": forge(kit, stored=_zip_bomb(), encrypt=False),
        "member named with a path": _container(
            _member(b"../../../../tmp/evil.json", box.manifest),
            _member(b"manifest.sig", box.signature),
            _member(b"payload.age", box.payload),
        ),
        "absolute member name": _container(
            _member(b"/etc/passwd", box.manifest),
            _member(b"manifest.sig", box.signature),
            _member(b"payload.age", box.payload),
        ),
        "manifest declared 4 GB long": _container(
            b"\x0dmanifest.json" + b"\xff\xff\xff\xff" + box.manifest
        ),
        "manifest of 64 KiB + 1": _container(
            _member(b"manifest.json", b" " * (64 * 1024 + 1)),
            _member(b"manifest.sig", box.signature),
            _member(b"payload.age", box.payload),
        ),
        "255 members": _container(_member(b"manifest.json", box.manifest), count=255),
        "empty file": b"",
        "only the magic": b"GCBUNDLE",
        "manifest with 1001 facilities (re-signed)": forge(
            kit, manifest_edit=lambda b: b | {"facility_codes": [f"F{n}" for n in range(1001)]}
        ),
        "manifest nested 100000 deep (re-signed)": forge(
            kit, manifest_raw=b"[" * 100_000 + b"]" * 100_000
        ),
        "manifest with NaN (re-signed)": forge(
            kit, manifest_raw=box.manifest.replace(b'"since":null', b'"since":NaN')
        ),
        "manifest with a duplicate key (re-signed)": forge(
            kit, manifest_raw=box.manifest[:-1] + b',"scope":"full"}'
        ),
        "manifest not canonical (re-signed)": forge(
            kit, manifest_raw=box.manifest.replace(b",", b", ")
        ),
        "manifest in UTF-16 (re-signed)": forge(
            kit, manifest_raw=box.manifest.decode().encode("utf-16")
        ),
        "manifest counts as text (re-signed)": forge(
            kit, manifest_edit=lambda b: b | {"counts": {k: str(v) for k, v in b["counts"].items()}}
        ),
        "manifest negative size (re-signed)": forge(
            kit, manifest_edit=lambda b: b | {"payload": b["payload"] | {"size": -1}}
        ),
        "manifest size true (re-signed)": forge(
            kit, manifest_edit=lambda b: b | {"payload": b["payload"] | {"size": True}}
        ),
        "manifest format as text (re-signed)": forge(
            kit, manifest_edit=lambda b: b | {"format": "1"}
        ),
        "manifest format 4 (re-signed)": forge(kit, manifest_edit=lambda b: b | {"format": 4}),
        "manifest format 1 in a format 3 file (re-signed)": forge(
            kit, manifest_edit=lambda b: b | {"format": 1}
        ),
        "monitoring severity 'fatal' (re-signed)": forge(
            kit, records=_with_event(kit, severity="fatal")
        ),
        "monitoring event from another device (re-signed)": forge(
            kit, records=_with_event(kit, origin_device="another-laptop")
        ),
        "monitoring event for an unknown tool (re-signed)": forge(
            kit, records=_with_event(kit, tool_id="no-such-tool")
        ),
        "manifest device id with a path (re-signed)": forge(
            kit, manifest_edit=lambda b: b | {"device_id": "../../etc/passwd"}
        ),
        "manifest date in words (re-signed)": forge(
            kit, manifest_edit=lambda b: b | {"created_at": "yesterday"}
        ),
        "manifest extra field (re-signed)": forge(kit, manifest_edit=lambda b: b | {"admin": True}),
        "manifest missing field (re-signed)": forge(
            kit, manifest_edit=lambda b: {k: v for k, v in b.items() if k != "since"}
        ),
        "manifest is a list (re-signed)": forge(kit, manifest_edit=lambda b: [b]),
        "payload is a list (re-signed)": forge(kit, records=[kit.records()]),
        "payload in UTF-16 (re-signed)": forge(
            kit, payload_json=plain_json.decode().encode("utf-16")
        ),
        "payload with a NaN (re-signed)": forge(
            kit, payload_json=plain_json.replace(b'"revision": 1', b'"revision": NaN', 1)
        ),
        "payload nested 100000 deep (re-signed)": forge(
            kit, payload_json=b"[" * 100_000 + b"]" * 100_000
        ),
        "payload not JSON (re-signed)": forge(kit, payload_json=b"\x00\x01 not json"),
        "assessments as a mapping (re-signed)": forge(
            kit, records=_edit_records(kit, _set(["assessments"], {"a": 1}))
        ),
        "revision as text (re-signed)": forge(
            kit, records=_edit_records(kit, _set(["assessments", 0, "revision"], "1"))
        ),
        "revision 2**70 (re-signed)": forge(
            kit, records=_edit_records(kit, _set(["assessments", 0, "revision"], 2**70))
        ),
        "status 'approved' (re-signed)": forge(
            kit, records=_edit_records(kit, _set(["assessments", 0, "status"], "approved"))
        ),
        "superseded 2 (re-signed)": forge(
            kit, records=_edit_records(kit, _set(["assessments", 0, "superseded"], 2))
        ),
        "answer not JSON (re-signed)": forge(kit, records=_edit_records(kit, _answer("{not json"))),
        "answer 'maybe' (re-signed)": forge(kit, records=_edit_records(kit, _answer('"maybe"'))),
        "answer nested 50000 deep (re-signed)": forge(
            kit, records=_edit_records(kit, _answer("[" * 50_000 + "]" * 50_000))
        ),
        "number answer of 400 digits (re-signed)": forge(
            kit, records=_edit_records(kit, _set_number_answer(kit, "1" + "0" * 400))
        ),
        "number answer 1e999 (re-signed)": forge(
            kit, records=_edit_records(kit, _set_number_answer(kit, "1e999"))
        ),
        "answer to an unknown item (re-signed)": forge(
            kit,
            records=_edit_records(
                kit, _set(["assessments", 0, "answers", 0, "item_id"], "../../etc")
            ),
        ),
        "5001 answers (re-signed)": forge(kit, records=_edit_records(kit, _many_answers)),
        "note of 200001 characters (re-signed)": forge(
            kit,
            records=_edit_records(
                kit, _set(["assessments", 0, "answers", 0, "note"], "x" * 200_001)
            ),
        ),
        "text with a lone surrogate (re-signed)": forge(
            kit, records=_edit_records(kit, _set(["facilities", 0, "name"], "Clinic \ud800"))
        ),
        "answer with a lone surrogate (re-signed)": forge(
            kit, records=_edit_records(kit, _set_text_answer(kit, "\udfff"))
        ),
        "note with a lone surrogate (re-signed)": forge(
            kit,
            records=_edit_records(kit, _set(["assessments", 0, "answers", 0, "note"], "n \ud800")),
        ),
        "profile with a lone surrogate (re-signed)": forge(
            kit, records=_edit_records(kit, _profile_surrogate)
        ),
        "profile with a list (re-signed)": forge(
            kit,
            records=_edit_records(
                kit, _set(["assessments", 0, "profile_json"], '{"facility_name": ["x"]}')
            ),
        ),
        "sign-off 'null' (re-signed)": forge(
            kit, records=_edit_records(kit, _set(["assessments", 0, "sign_off_json"], "null"))
        ),
        "unknown questionnaire (re-signed)": forge(
            kit, records=_edit_records(kit, _unknown_questionnaire)
        ),
        "questionnaire with a Python tag (re-signed)": forge(
            kit, records=_edit_records(kit, _python_tag_questionnaire)
        ),
        "facility pointing nowhere (re-signed)": forge(
            kit, records=_edit_records(kit, _set(["assessments", 0, "tool_id"], "no-such-tool"))
        ),
        "counts that lie (re-signed)": forge(
            kit,
            records=kit.records(),
            recount=False,
            manifest_edit=lambda b: b | {"counts": b["counts"] | {"answers": 1}},
        ),
    }


def _set_number_answer(kit: Kit, value_json: str):
    def edit(records):
        for assessment in records["assessments"]:
            for answer in assessment["answers"]:
                if answer["item_id"] == "a_staff":
                    answer["value_json"] = value_json
                    return
        raise AssertionError("no number answer to attack")

    return edit


def _set_text_answer(kit: Kit, value: str):
    def edit(records):
        for assessment in records["assessments"]:
            for answer in assessment["answers"]:
                if answer["item_id"] == "b_remarks":
                    answer["value_json"] = json.dumps(value)
                    return
        raise AssertionError("no text answer to attack")

    return edit


CRAFTED = [
    "gzip bomb (100 MB of zeros, signed)",
    "gzip bomb inside the encryption",
    "two gzip members",
    "payload not compressed",
    "zip bomb as the whole file",
    "zip bomb as the payload",
    "member named with a path",
    "absolute member name",
    "manifest declared 4 GB long",
    "manifest of 64 KiB + 1",
    "255 members",
    "empty file",
    "only the magic",
    "manifest with 1001 facilities (re-signed)",
    "manifest nested 100000 deep (re-signed)",
    "manifest with NaN (re-signed)",
    "manifest with a duplicate key (re-signed)",
    "manifest not canonical (re-signed)",
    "manifest in UTF-16 (re-signed)",
    "manifest counts as text (re-signed)",
    "manifest negative size (re-signed)",
    "manifest size true (re-signed)",
    "manifest format as text (re-signed)",
    "manifest format 4 (re-signed)",
    "manifest format 1 in a format 3 file (re-signed)",
    "monitoring severity 'fatal' (re-signed)",
    "monitoring event from another device (re-signed)",
    "monitoring event for an unknown tool (re-signed)",
    "manifest device id with a path (re-signed)",
    "manifest date in words (re-signed)",
    "manifest extra field (re-signed)",
    "manifest missing field (re-signed)",
    "manifest is a list (re-signed)",
    "payload is a list (re-signed)",
    "payload in UTF-16 (re-signed)",
    "payload with a NaN (re-signed)",
    "payload nested 100000 deep (re-signed)",
    "payload not JSON (re-signed)",
    "assessments as a mapping (re-signed)",
    "revision as text (re-signed)",
    "revision 2**70 (re-signed)",
    "status 'approved' (re-signed)",
    "superseded 2 (re-signed)",
    "answer not JSON (re-signed)",
    "answer 'maybe' (re-signed)",
    "answer nested 50000 deep (re-signed)",
    "number answer of 400 digits (re-signed)",
    "number answer 1e999 (re-signed)",
    "answer to an unknown item (re-signed)",
    "5001 answers (re-signed)",
    "note of 200001 characters (re-signed)",
    "text with a lone surrogate (re-signed)",
    "answer with a lone surrogate (re-signed)",
    "note with a lone surrogate (re-signed)",
    "profile with a lone surrogate (re-signed)",
    "profile with a list (re-signed)",
    "sign-off 'null' (re-signed)",
    "unknown questionnaire (re-signed)",
    "questionnaire with a Python tag (re-signed)",
    "facility pointing nowhere (re-signed)",
    "counts that lie (re-signed)",
]


def _with_event(kit: Kit, **changes: object) -> dict:
    """The newer bundle's records plus one monitoring event, changed as given."""
    records = kit.records()
    assessment = records["assessments"][0]
    stamp = "2026-11-01T08:00:00.000Z"
    event = {"id": "6f0c0b8e-0000-4000-8000-000000000001", "facility_code": assessment["facility_code"],
             "tool_id": assessment["tool_id"], "date": "2026-11-01", "kind": "near_miss", "severity": "minor",
             "what_happened": "Near miss", "action_taken": "", "recorded_by": "", "created_at": stamp,
             "updated_at": stamp, "origin_device": assessment["origin_device"]}  # fmt: skip
    records["monitoring_events"] = [event | changes]
    return records


@pytest.fixture(scope="module")
def crafted(kit: Kit) -> dict[str, bytes]:
    built = _crafted(kit)
    assert sorted(built) == sorted(CRAFTED)
    return built


@pytest.mark.parametrize("case", CRAFTED)
def test_crafted_hostile_bundle_is_refused(kit: Kit, crafted: dict[str, bytes], case: str) -> None:
    attempt(kit, crafted[case], expect_refused=True)
    assert (
        not Path("/tmp/guidecheck-pwned").exists() and not Path("/tmp/guidecheck-slip.txt").exists()
    )


@pytest.mark.parametrize(
    "name",
    [
        "..\\..\\..\\evil.gcbundle",
        "....gcbundle",
        ".gcbundle",
        "con.gcbundle",
        "a" * 240 + ".gcbundle",
        "\u202egnp.gcbundle",
        "new\nline.gcbundle",
        "-rf.gcbundle",
    ],
)
def test_hostile_file_names_stay_inside_the_archive(kit: Kit, name: str) -> None:
    outcome = attempt(kit, kit.newer, name=name)
    assert outcome.imported and outcome.archive_path is not None


def test_the_cli_refuses_each_hostile_file_in_one_line(
    kit: Kit, crafted: dict[str, bytes], tmp_path: Path
) -> None:
    home = tmp_path / "hub"
    shutil.copytree(kit.hub_after_first, home)
    names = [
        "zip bomb as the whole file",
        "gzip bomb (100 MB of zeros, signed)",
        "manifest nested 100000 deep (re-signed)",
        "number answer of 400 digits (re-signed)",
        "unknown questionnaire (re-signed)",
        "text with a lone surrogate (re-signed)",
    ]
    files = []
    for n, case in enumerate(names):
        files.append(tmp_path / f"hostile-{n}.gcbundle")
        files[-1].write_bytes(crafted[case])
    before = dump_database(home / "guidecheck.db")
    done = run_cli(home, "bundle", "import", *map(str, files))
    assert "Traceback" not in done.stderr and "Something went wrong" not in done.stderr, done.stderr
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = done.stdout.strip().split("\n")
    assert len(lines) == len(files) and all(": refused: " in line for line in lines), lines
    assert dump_database(home / "guidecheck.db") == before


# --- fuzzing ---------------------------------------------------------------------------------------

BYTE_EDITS = st.lists(
    st.tuples(
        st.integers(0, 4),
        st.integers(0, 10**7),
        st.integers(1, 64),
        st.binary(min_size=1, max_size=16),
    ),
    min_size=1,
    max_size=4,
)


def _edit_bytes(data: bytes, other: bytes, ops) -> bytes:
    for kind, pos, length, filler in ops:
        if not data:
            break
        pos %= len(data)
        if kind == 0:  # flip
            data = data[:pos] + bytes([data[pos] ^ (filler[0] or 1)]) + data[pos + 1 :]
        elif kind == 1:  # delete
            data = data[:pos] + data[pos + length :]
        elif kind == 2:  # insert
            data = data[:pos] + filler + data[pos:]
        elif kind == 3:  # splice in the other bundle from the same position
            data = data[:pos] + other[pos:]
        else:  # truncate
            data = data[:pos]
    return data


def check_byte_edits(kit: Kit, ops) -> None:
    data = _edit_bytes(kit.newer, kit.older, ops)
    attempt(kit, data, expect_refused=None if data in (kit.newer, kit.older) else True)


VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "yes",
            "no",
            "final",
            "draft",
            "KSM-001",
            "1",
            "[]",
            "{}",
            '"yes"',
            "2026-11-20T00:00:00.000Z",
        ]
    ),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=8,
)


def _paths(node, prefix=()):
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _replace(node, path, value):
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(node, dict):
        return {k: (_replace(v, rest, value) if k == head else v) for k, v in node.items()}
    return [(_replace(v, rest, value) if i == head else v) for i, v in enumerate(node)]


def check_record_change(kit: Kit, records: dict, choice: int, value) -> None:
    paths = [p for p in _paths(records) if p[0] != "questionnaire_versions" or p[-1] != "source"]
    records = _replace(records, paths[choice % len(paths)], value)
    attempt(kit, forge(kit, records=records))


def check_manifest_change(kit: Kit, choice: int, value) -> None:
    from guidecheck.bundles.manifest import parse_manifest

    body = parse_manifest(container.unpack(kit.newer).manifest).to_dict()
    path = _paths(body)[choice % len(_paths(body))]
    try:
        data = forge(kit, manifest_edit=lambda b: _replace(b, path, value))
    except ValueError:  # a value canonical JSON cannot spell (it would never be signed)
        return
    attempt(kit, data)


def check_payload_text(kit: Kit, ops) -> None:
    text = json.dumps(kit.records()).encode()
    attempt(kit, forge(kit, payload_json=_edit_bytes(text, text[::-1], ops)))


@pytest.fixture(scope="module")
def newer_records(kit: Kit) -> dict:
    return kit.records()


@FAST
@given(ops=BYTE_EDITS)
def test_fuzz_damaged_truncated_and_spliced_bundles(kit: Kit, ops) -> None:
    check_byte_edits(kit, ops)


@FAST
@given(choice=st.integers(0, 10**6), value=VALUES)
def test_fuzz_forged_records_signed_with_the_clinic_key(
    kit: Kit, newer_records: dict, choice: int, value
) -> None:
    check_record_change(kit, newer_records, choice, value)


@settings(FAST, max_examples=100)
@given(choice=st.integers(0, 10**6), value=VALUES)
def test_fuzz_forged_manifests_signed_with_the_clinic_key(kit: Kit, choice: int, value) -> None:
    check_manifest_change(kit, choice, value)


@settings(FAST, max_examples=100)
@given(ops=BYTE_EDITS)
def test_fuzz_damaged_payload_text_signed_with_the_clinic_key(kit: Kit, ops) -> None:
    check_payload_text(kit, ops)


@pytest.mark.soak
@SOAK
@given(ops=BYTE_EDITS)
def test_soak_fuzz_damaged_truncated_and_spliced_bundles(kit: Kit, ops) -> None:
    check_byte_edits(kit, ops)


@pytest.mark.soak
@SOAK
@given(choice=st.integers(0, 10**6), value=VALUES)
def test_soak_fuzz_forged_records(kit: Kit, newer_records: dict, choice: int, value) -> None:
    check_record_change(kit, newer_records, choice, value)


@pytest.mark.soak
@settings(SOAK, max_examples=4000)
@given(choice=st.integers(0, 10**6), value=VALUES)
def test_soak_fuzz_forged_manifests(kit: Kit, choice: int, value) -> None:
    check_manifest_change(kit, choice, value)


@pytest.mark.soak
@settings(SOAK, max_examples=4000)
@given(ops=BYTE_EDITS)
def test_soak_fuzz_damaged_payload_text(kit: Kit, ops) -> None:
    check_payload_text(kit, ops)
