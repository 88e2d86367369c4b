"""Which devices may change the hub, for which facilities: enrolment by an officer, held bundles.

A signature proves only that *some* key signed a bundle. The hub therefore trusts a device (its id
and public key together) only after the district officer approved it for named facility codes,
having compared its enrolment code with the one the clinic's About screen or `keys show` displays.
Until then its verified bundles are *held*: copied to `home/held/` and listed, never applied, and
they pin nothing (another key claiming the same device id is simply a second pending request).
Pre-enrolment is the clinic's first bundle: any bundle, even an empty one, is its request.

The enrolment code is one code per key: SHA-256 over a fixed label, the length-prefixed device id
and the raw public key, shown as 22 decimal digits plus 2 ISO 7064 (mod 97) check digits, in six
groups of four. Digits read well over the phone in any language; the check digits catch a typo.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from guidecheck.bundles.errors import BundleRefused
from guidecheck.i18n import _

SCHEMA = """
CREATE TABLE IF NOT EXISTS hub_devices (
    device_id TEXT NOT NULL, public_key TEXT NOT NULL, enrol_code TEXT NOT NULL,
    status TEXT NOT NULL, facilities_json TEXT NOT NULL DEFAULT '[]',
    first_seen TEXT NOT NULL, decided_at TEXT, decided_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (device_id, public_key)
);
CREATE TABLE IF NOT EXISTS held_bundles (
    sha256 TEXT PRIMARY KEY, bundle_id TEXT NOT NULL, device_id TEXT NOT NULL, public_key TEXT NOT NULL,
    facility_codes_json TEXT NOT NULL, created_at TEXT NOT NULL, received_at TEXT NOT NULL,
    source_name TEXT NOT NULL, held_path TEXT NOT NULL, counts_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS lineage_transfers (
    lineage_id TEXT PRIMARY KEY, to_device TEXT NOT NULL, approved_at TEXT NOT NULL,
    approved_by TEXT NOT NULL DEFAULT ''
);
"""
CODE_LABEL = b"guidecheck/enrol/v1"
PENDING, APPROVED, REVOKED, REFUSED = "pending", "approved", "revoked", "refused"


def enrol_code(device_id: str, public_key: bytes) -> str:
    """The 24-digit enrolment code of one device key, grouped by four for reading aloud."""
    ident = device_id.encode("utf-8")
    digest = hashlib.sha256(
        CODE_LABEL + len(ident).to_bytes(2, "big") + ident + public_key
    ).digest()
    body = f"{int.from_bytes(digest, 'big') % 10**22:022d}"
    digits = body + f"{98 - int(body + '00') % 97:02d}"
    return " ".join(digits[i : i + 4] for i in range(0, 24, 4))


def normalize_code(text: str) -> str:
    """A typed enrolment code in its display form; a wrong length or check digit is refused."""
    digits = "".join(ch for ch in text if not ch.isspace() and ch != "-")
    if len(digits) != 24 or not digits.isascii() or not digits.isdigit():
        raise BundleRefused(_("An enrolment code has 24 digits; check what was typed."))
    if int(digits) % 97 != 1:
        raise BundleRefused(
            _("The enrolment code's check digits do not match: a digit was misread or mistyped.")
        )
    return " ".join(digits[i : i + 4] for i in range(0, 24, 4))


@dataclass(frozen=True)
class Device:
    """One device key as the hub knows it."""

    device_id: str
    public_key: str  # hex
    enrol_code: str
    status: str
    facilities: tuple[str, ...]
    first_seen: str
    decided_at: str | None

    def as_dict(self) -> dict[str, object]:
        return {"device_id": self.device_id, "enrol_code": self.enrol_code, "status": self.status,
                "facilities": list(self.facilities), "first_seen": self.first_seen,
                "decided_at": self.decided_at, "public_key": self.public_key}  # fmt: skip


@dataclass(frozen=True)
class HeldBundle:
    sha256: str
    bundle_id: str
    device_id: str
    public_key: str
    facility_codes: tuple[str, ...]
    created_at: str
    received_at: str
    source_name: str
    held_path: Path
    counts: dict[str, int]


def has_tables(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'hub_devices'"
    ).fetchone()
    return row is not None


def ensure_tables(conn: sqlite3.Connection) -> None:
    if not has_tables(conn):
        for statement in SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)


def _device(row: tuple[str, str, str, str, str, str, str | None]) -> Device:
    return Device(row[0], row[1], row[2], row[3], tuple(json.loads(row[4])), row[5], row[6])


_DEVICE_COLUMNS = (
    "device_id, public_key, enrol_code, status, facilities_json, first_seen, decided_at"
)


def device(conn: sqlite3.Connection, device_id: str, public_key: str) -> Device | None:
    if not has_tables(conn):
        return None
    row = conn.execute(
        f"SELECT {_DEVICE_COLUMNS} FROM hub_devices WHERE device_id = ? AND public_key = ?",
        (device_id, public_key),
    ).fetchone()
    return _device(row) if row else None


def devices(conn: sqlite3.Connection, device_id: str | None = None) -> list[Device]:
    if not has_tables(conn):
        return []
    where, params = ("WHERE device_id = ?", (device_id,)) if device_id else ("", ())
    rows = conn.execute(
        f"SELECT {_DEVICE_COLUMNS} FROM hub_devices {where} ORDER BY status, device_id, first_seen",
        params,
    )
    return [_device(r) for r in rows]


def approved_key(conn: sqlite3.Connection, device_id: str) -> str | None:
    """The public key approved for this device id, or None."""
    if not has_tables(conn):
        return None
    row = conn.execute(
        "SELECT public_key FROM hub_devices WHERE device_id = ? AND status = ?",
        (device_id, APPROVED),
    ).fetchone()
    return str(row[0]) if row else None


def held(conn: sqlite3.Connection, device_id: str | None = None) -> list[HeldBundle]:
    if not has_tables(conn):
        return []
    where, params = ("WHERE device_id = ?", (device_id,)) if device_id else ("", ())
    rows = conn.execute(
        "SELECT sha256, bundle_id, device_id, public_key, facility_codes_json, created_at, received_at,"
        f" source_name, held_path, counts_json FROM held_bundles {where} ORDER BY created_at, sha256",
        params,
    )
    return [
        HeldBundle(
            r[0],
            r[1],
            r[2],
            r[3],
            tuple(json.loads(r[4])),
            r[5],
            r[6],
            r[7],
            Path(r[8]),
            json.loads(r[9]),
        )  # fmt: skip
        for r in rows
    ]


def record_pending(conn: sqlite3.Connection, device_id: str, public_key: str, now: str) -> Device:
    """Note a device key the hub has not decided on yet (idempotent)."""
    ensure_tables(conn)
    code = enrol_code(device_id, bytes.fromhex(public_key))
    conn.execute(
        "INSERT OR IGNORE INTO hub_devices (device_id, public_key, enrol_code, status, first_seen)"
        " VALUES (?, ?, ?, ?, ?)",
        (device_id, public_key, code, PENDING, now),
    )
    found = device(conn, device_id, public_key)
    assert found is not None
    return found


def choose_key(conn: sqlite3.Connection, device_id: str, code: str | None) -> Device:
    """The one device key an officer's command refers to (by id, and by code when several claim it)."""
    candidates = devices(conn, device_id)
    if not candidates:
        raise BundleRefused(
            _("No bundle from device {device} has reached this hub.").format(device=device_id)
        )
    if code is not None:
        wanted = normalize_code(code)
        matching = [d for d in candidates if d.enrol_code == wanted]
        if not matching:
            raise BundleRefused(
                _(
                    "The enrolment code does not match device {device}: do not approve it; ask the clinic to read its code again."
                ).format(device=device_id)
            )
        return matching[0]
    undecided = [d for d in candidates if d.status != APPROVED] or candidates
    if len(undecided) > 1:
        raise BundleRefused(
            _(
                "{n} different keys claim to be device {device}; give --code with the 24 digits the clinic reads from its About screen."
            ).format(n=len(undecided), device=device_id)
        )
    return undecided[0]


def set_status(
    conn: sqlite3.Connection,
    chosen: Device,
    status: str,
    facilities: tuple[str, ...],
    now: str,
    actor: str,
) -> None:
    """Approve, revoke or refuse one device key. Approving one key retires the id's other keys."""
    if status == APPROVED:
        conn.execute(
            "UPDATE hub_devices SET status = ?, decided_at = ?, decided_by = ? WHERE device_id = ?"
            " AND public_key != ? AND status IN (?, ?)",
            (REVOKED, now, actor, chosen.device_id, chosen.public_key, APPROVED, PENDING),
        )
    conn.execute(
        "UPDATE hub_devices SET status = ?, facilities_json = ?, decided_at = ?, decided_by = ?"
        " WHERE device_id = ? AND public_key = ?",
        (status, json.dumps(sorted(set(facilities))), now, actor, chosen.device_id,
         chosen.public_key),
    )  # fmt: skip


def transfer_target(conn: sqlite3.Connection, lineage_id: str) -> str | None:
    """The device an officer allowed to continue this lineage, if any."""
    if not has_tables(conn):
        return None
    row = conn.execute(
        "SELECT to_device FROM lineage_transfers WHERE lineage_id = ?", (lineage_id,)
    ).fetchone()
    return str(row[0]) if row else None


@dataclass(frozen=True)
class PendingDevice:
    """A device key with bundles waiting, as the officer's approval list shows it."""

    device_id: str
    public_key: str
    enrol_code: str
    facility_codes: tuple[str, ...]  # every code its held bundles claim
    bundles: int
    assessments: int
    first_seen: str
    other_key_approved: bool  # the same device id is approved with another key


def pending_devices(conn: sqlite3.Connection) -> list[PendingDevice]:
    """Device keys with held bundles, oldest request first."""
    grouped: dict[tuple[str, str], list[HeldBundle]] = {}
    for entry in held(conn):
        grouped.setdefault((entry.device_id, entry.public_key), []).append(entry)
    result = []
    for (device_id, public_key), entries in grouped.items():
        found = device(conn, device_id, public_key)
        approved = approved_key(conn, device_id)
        result.append(
            PendingDevice(
                device_id=device_id,
                public_key=public_key,
                enrol_code=found.enrol_code
                if found
                else enrol_code(device_id, bytes.fromhex(public_key)),
                facility_codes=tuple(sorted({c for e in entries for c in e.facility_codes})),
                bundles=len(entries),
                assessments=sum(int(e.counts.get("assessments", 0)) for e in entries),
                first_seen=found.first_seen if found else entries[0].received_at,
                other_key_approved=approved is not None and approved != public_key,
            )
        )
    return sorted(result, key=lambda p: (p.first_seen, p.device_id))


def this_device(home: Path) -> tuple[str, str] | None:
    """(device id, enrolment code) of this installation, for its About screen; None before its
    database exists. Makes the device key on first use, as `keys show` does."""
    from guidecheck.bundles.keys import device_public_key
    from guidecheck.paths import database_path

    path = database_path(Path(home))
    if not path.exists():
        return None
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
    except sqlite3.Error:
        row = None
    finally:
        conn.close()
    if row is None:
        return None
    return str(row[0]), enrol_code(str(row[0]), device_public_key(Path(home)))
