"""Tools for the hostile-bundle proofs: real bundles made by the real export, forged variants of
them signed with real keys, and one `attempt` that imports a file into a copy of a hub and checks
the promise: refused in one sentence with the database untouched, or accepted and still sound.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from proofkit import TALLY, dump_database

from guidecheck.bundles import container, keys, seal
from guidecheck.bundles.importer import ImportOutcome, import_file
from guidecheck.bundles.manifest import canonical_json, parse_manifest
from guidecheck.checklist.answers import normalize_value
from guidecheck.cli.assessment import assessment_as_json
from guidecheck.storage.store import Store


@dataclass
class Kit:
    """A clinic, a district hub, two bundles (older, newer) and hub copies to attack."""

    root: Path
    clinic: Path
    hub_fresh: Path  # a hub that imported nothing yet
    hub_after_first: Path  # a hub that imported `older`
    older: bytes
    newer: bytes

    def records(self, data: bytes | None = None) -> dict[str, Any]:
        """The decrypted records of a bundle (the newer one by default)."""
        identity, _public = keys.district_identity(self.hub_fresh)
        box = container.unpack(data or self.newer)
        return json.loads(
            seal.decompress(seal.decrypt(box.payload, identity), container.MAX_PAYLOAD_JSON)
        )


def forge(
    kit: Kit,
    *,
    records: Any = None,
    payload_json: bytes | None = None,
    stored: bytes | None = None,
    manifest_edit: Callable[[dict[str, Any]], Any] | None = None,
    manifest_raw: bytes | None = None,
    signer: Path | None = None,
    encrypt: bool = True,
    recount: bool = True,
    base: bytes | None = None,
) -> bytes:
    """A bundle built from `base` (the newer one) with its parts replaced, signed by `signer`'s
    device key (the clinic's own by default: the strongest attacker short of breaking Ed25519)."""
    base = base or kit.newer
    box = container.unpack(base)
    good = parse_manifest(box.manifest)
    if stored is None:
        if payload_json is None:
            payload_json = json.dumps(records if records is not None else kit.records(base)).encode(
                "utf-8"
            )
        stored = seal.compress(payload_json)
        if encrypt:
            _identity, public = keys.district_identity(kit.hub_fresh)
            stored = seal.encrypt(stored, [public.recipient])
    device = keys.device_key(signer or kit.clinic)
    changes: dict[str, Any] = {
        "payload_sha256": seal.sha256_hex(stored),
        "payload_size": len(stored),
        "device_key": device.public_hex,
        "bundle_id": uuid.uuid4().hex,
    }
    if not encrypt:
        changes.update(payload_name=container.PAYLOAD_PLAIN, encrypted_to=())
    if recount and isinstance(records, dict):
        changes["counts"] = _counts(records, good.counts)
    body: Any = replace(good, **changes).to_dict()
    if manifest_edit is not None:
        body = manifest_edit(body)
    raw = manifest_raw if manifest_raw is not None else canonical_json(body)
    name = container.PAYLOAD_ENCRYPTED if encrypt else container.PAYLOAD_PLAIN
    return container.pack(container.Container(raw, seal.sign(device.private, raw), name, stored))


def _counts(records: dict[str, Any], fallback: dict[str, int]) -> dict[str, int]:
    counts = dict(fallback)
    for name in ("facilities", "tools", "assessments", "audit", "questionnaire_versions",
                 "monitoring_events", "monitoring_tallies"):  # fmt: skip
        if isinstance(records.get(name), list):
            counts[name] = len(records[name])
    try:
        counts["answers"] = sum(len(a["answers"]) for a in records["assessments"])
    except (KeyError, TypeError):
        pass
    return counts


def archive_listing(home: Path) -> list[tuple[str, int]]:
    folder = home / "archive"
    return sorted((p.name, p.stat().st_size) for p in folder.iterdir()) if folder.exists() else []


def files_outside(home: Path) -> set[str]:
    """Every file of the data folder except the archive (compared on its own) and the log."""
    return {
        str(p.relative_to(home))
        for p in home.rglob("*")
        if not {"archive", "logs"} & set(p.relative_to(home).parts)
    }


def attempt(
    kit: Kit,
    data: bytes,
    *,
    hub: Path | None = None,
    name: str = "attack.gcbundle",
    expect_refused: bool | None = None,
) -> ImportOutcome:
    """Import `data` as a file into a fresh copy of a hub and check what the proofs promise."""
    template = hub or kit.hub_after_first
    work = kit.root / f"try-{uuid.uuid4().hex[:10]}"
    home = work / "hub"
    shutil.copytree(template, home)
    source = work / "stick" / name
    source.parent.mkdir()
    source.write_bytes(data)
    db = home / "guidecheck.db"
    before = dump_database(db), archive_listing(home), files_outside(home)
    try:
        with Store(db) as store:
            outcome = import_file(home, store, source)
        if not outcome.imported:
            reason = outcome.reason
            assert reason and "\n" not in reason and reason.endswith("."), reason
            assert "Traceback" not in reason and len(reason) < 400, reason
            # The importer's last line of defence turns an exception the checks missed into this
            # generic sentence: it means a hostile input reached code that did not expect it.
            assert "unexpected problem" not in reason, (
                f"an exception escaped the bundle checks: see the log ({reason})"
            )
            after = dump_database(db), archive_listing(home), files_outside(home)
            if outcome.held:  # only the holding area may change: no record, no archive copy
                after, before = _without_holding(after), _without_holding(before)
            assert after == before, "a refused bundle changed the hub"
            TALLY["bundle cases refused"] += 1
        else:
            sound(home, source)
            TALLY["bundle cases accepted (valid after all)"] += 1
        if expect_refused is not None:
            assert outcome.imported is not expect_refused, outcome.summary()
        assert source.read_bytes() == data  # the stick is only ever read
        return outcome
    finally:
        shutil.rmtree(work, ignore_errors=True)


HOLDING_TABLES = ("hub_devices", "held_bundles")


def _without_holding(state: tuple[Any, ...]) -> tuple[Any, ...]:
    tables, archive, files = state
    tables = {k: v for k, v in tables.items() if k not in HOLDING_TABLES}
    return tables, archive, {f for f in files if not f.startswith("held")}


def sound(home: Path, source: Path) -> None:
    """After an accepted bundle: the database is intact, every answer fits its item, all scores work."""
    from proofkit import integrity

    assert integrity(home / "guidecheck.db") == "ok"
    with Store(home / "guidecheck.db") as store:
        assert store.verify_audit().ok
        for row in store.conn.execute("SELECT id FROM assessments").fetchall():
            assessment = store.get_assessment(row[0])
            questionnaire = store.questionnaire_for(assessment)
            for item_id, answer in store.answers(assessment.id).items():
                item = questionnaire.item(item_id)
                assert item is not None, item_id
                assert normalize_value(item, answer.value) == answer.value, item_id
            store.result(assessment.id)
            # what `assessment show --json` and the reports print must be valid UTF-8 text
            json.dumps(assessment_as_json(store, assessment.id), ensure_ascii=False).encode("utf-8")
        store.list_assessments()
    for archived in (home / "archive").iterdir():
        assert archived.resolve().parent == (home / "archive").resolve()
