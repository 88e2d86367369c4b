"""The district officer's decisions on devices: approve (for named facilities), revoke, refuse.

Approving a device key applies every bundle of that key held at the hub, oldest first, through the
same import path as a fresh file (so every binding rule applies). Refusing a pending key deletes
its held bundles; revoking an approved key stops its future bundles but keeps what it sent.
Each decision is one transaction and one entry in the hub's audit chain.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guidecheck.bundles import enrolment
from guidecheck.bundles.errors import BundleRefused
from guidecheck.bundles.importer import ImportOutcome, import_file
from guidecheck.i18n import _

MAX_FACILITIES = 1000


@dataclass
class Decision:
    device: enrolment.Device
    outcomes: list[ImportOutcome] = field(default_factory=list)


def _clean_codes(codes: list[str]) -> tuple[str, ...]:
    cleaned = tuple(sorted({c.strip() for c in codes if c.strip()}))
    if not cleaned:
        raise BundleRefused(_("Give at least one facility code the device may report for."))
    if len(cleaned) > MAX_FACILITIES or any(len(c) > 100 or not c.isprintable() for c in cleaned):
        raise BundleRefused(_("A facility code is too long or holds characters that are not text."))
    return cleaned


def approve_device(
    home: Path,
    store: Any,
    device_id: str,
    facilities: list[str],
    code: str | None = None,
    actor: str = "",
) -> Decision:
    """Approve one device key for these facility codes, then apply its held bundles."""
    from guidecheck.storage.store import now_iso

    codes = _clean_codes(facilities)
    with store.atomic():
        chosen = enrolment.choose_key(store.conn, device_id, code)
        enrolment.set_status(store.conn, chosen, enrolment.APPROVED, codes, now_iso(), actor)
        store.record_audit(actor, "device", device_id, "approve",
                           new={"code": chosen.enrol_code, "facilities": list(codes)})  # fmt: skip
    approved = enrolment.device(store.conn, chosen.device_id, chosen.public_key)
    assert approved is not None
    decision = Decision(approved)
    decision.outcomes = apply_held(home, store, device_id, chosen.public_key, actor)
    return decision


def apply_held(
    home: Path, store: Any, device_id: str, public_key: str, actor: str = ""
) -> list[ImportOutcome]:
    """Import the held bundles of an approved key, oldest first; each leaves the holding area."""
    outcomes = []
    for entry in enrolment.held(store.conn, device_id):
        if entry.public_key != public_key:
            continue
        outcome = import_file(home, store, entry.held_path, actor=actor,
                              source_name=entry.source_name)  # fmt: skip
        outcomes.append(outcome)
        _forget_held(store, entry)
    return outcomes


def _forget_held(store: Any, entry: enrolment.HeldBundle) -> None:
    with store.atomic():
        store.conn.execute("DELETE FROM held_bundles WHERE sha256 = ?", (entry.sha256,))
    with contextlib.suppress(OSError):
        entry.held_path.unlink()


def revoke_device(
    store: Any, device_id: str, code: str | None = None, actor: str = ""
) -> enrolment.Device:
    """Stop accepting bundles from the device's approved key (what it sent stays)."""
    from guidecheck.storage.store import now_iso

    with store.atomic():
        keys = enrolment.devices(store.conn, device_id)
        chosen = (
            enrolment.choose_key(store.conn, device_id, code)
            if code
            else next((d for d in keys if d.status == enrolment.APPROVED), None)
        )
        if chosen is None:
            raise BundleRefused(
                _("Device {device} is not approved here; nothing to revoke.").format(
                    device=device_id
                )
            )
        enrolment.set_status(
            store.conn, chosen, enrolment.REVOKED, chosen.facilities, now_iso(), actor
        )
        store.record_audit(actor, "device", device_id, "revoke", new={"code": chosen.enrol_code})
    found = enrolment.device(store.conn, chosen.device_id, chosen.public_key)
    assert found is not None
    return found


def refuse_device(
    store: Any, device_id: str, code: str | None = None, actor: str = ""
) -> tuple[enrolment.Device, int]:
    """Refuse a pending device key: its held bundles are deleted, later ones refused."""
    from guidecheck.storage.store import now_iso

    with store.atomic():
        chosen = enrolment.choose_key(store.conn, device_id, code)
        if chosen.status == enrolment.APPROVED:
            raise BundleRefused(
                _("Device {device} is approved; revoke it instead.").format(device=device_id)
            )
        enrolment.set_status(store.conn, chosen, enrolment.REFUSED, (), now_iso(), actor)
        store.record_audit(actor, "device", device_id, "refuse", new={"code": chosen.enrol_code})
    dropped = [
        e for e in enrolment.held(store.conn, device_id) if e.public_key == chosen.public_key
    ]
    for entry in dropped:
        _forget_held(store, entry)
    found = enrolment.device(store.conn, chosen.device_id, chosen.public_key)
    assert found is not None
    return found, len(dropped)


def transfer_lineage(store: Any, lineage_id: str, device_id: str, actor: str = "") -> None:
    """Let another approved device continue an assessment lineage (e.g. a replaced laptop)."""
    from guidecheck.storage.store import now_iso

    if enrolment.approved_key(store.conn, device_id) is None:
        raise BundleRefused(
            _("Device {device} is not approved here; approve it first.").format(device=device_id)
        )
    with store.atomic():
        known = store.conn.execute(
            "SELECT 1 FROM assessments WHERE lineage_id = ? LIMIT 1", (lineage_id,)
        ).fetchone()
        if known is None:
            raise BundleRefused(
                _("There is no assessment lineage {id} here.").format(id=lineage_id)
            )
        store.conn.execute(
            "INSERT OR REPLACE INTO lineage_transfers (lineage_id, to_device, approved_at, approved_by)"
            " VALUES (?, ?, ?, ?)",
            (lineage_id, device_id, now_iso(), actor),
        )
        store.record_audit(actor, "lineage", lineage_id, "transfer", new={"device": device_id})
