"""The tamper-evident audit log: every change appends an entry that carries the previous hash.

`meta.audit_head` keeps the last hash and count, so deleting the newest rows is detected too.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from guidecheck.canonical import canonical_sha256
from guidecheck.i18n import _

GENESIS = "0" * 64
_FIELDS = (
    "seq",
    "at",
    "actor",
    "device_id",
    "entity",
    "entity_id",
    "action",
    "field",
    "old",
    "new",
)


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    device_id: str
    entity: str
    entity_id: str
    action: str
    field: str
    old: str | None
    new: str | None
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditCheck:
    ok: bool
    entries: int
    first_broken: int | None = None
    problem: str = ""


def entry_hash(prev_hash: str, values: dict[str, Any]) -> str:
    return canonical_sha256([prev_hash] + [values.get(k) for k in _FIELDS])


def _head(conn: sqlite3.Connection) -> tuple[str, int]:
    row = conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
    if not row:
        return GENESIS, 0
    head = json.loads(row[0])
    return head["hash"], int(head["count"])


def append(
    conn: sqlite3.Connection,
    *,
    at: str,
    actor: str,
    device_id: str,
    entity: str,
    entity_id: str,
    action: str,
    field: str = "",
    old: Any = None,
    new: Any = None,
) -> None:
    """Append one entry; call inside the transaction that makes the change it records."""
    prev_hash, count = _head(conn)
    row = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM audit").fetchone()
    values = {
        "seq": int(row[0]) + 1,
        "at": at,
        "actor": actor,
        "device_id": device_id,
        "entity": entity,
        "entity_id": entity_id,
        "action": action,
        "field": field,
        "old": _text(old),
        "new": _text(new),
    }
    digest = entry_hash(prev_hash, values)
    conn.execute(
        "INSERT INTO audit (seq, at, actor, device_id, entity, entity_id, action, field, old, new, prev_hash, hash)"
        " VALUES (:seq, :at, :actor, :device_id, :entity, :entity_id, :action, :field, :old, :new, :prev_hash, :hash)",
        {**values, "prev_hash": prev_hash, "hash": digest},
    )
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_head', ?)",
        (json.dumps({"hash": digest, "count": count + 1, "seq": values["seq"]}),),
    )


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def verify(conn: sqlite3.Connection) -> AuditCheck:
    """Walk the chain in order; name the first entry that was edited, inserted or deleted."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    for row in conn.execute(
        f"SELECT {', '.join(_FIELDS)}, prev_hash, hash FROM audit ORDER BY seq"
    ):
        values = dict(zip(_FIELDS, row[: len(_FIELDS)], strict=True))
        prev_hash, digest = row[-2], row[-1]
        seq = values["seq"]
        if seq != expected_seq:
            return AuditCheck(
                False, count, expected_seq, _("entry {seq} is missing").format(seq=expected_seq)
            )
        if prev_hash != prev:
            return AuditCheck(
                False,
                count,
                seq,
                _("entry {seq} does not follow the entry before it").format(seq=seq),
            )
        if entry_hash(prev, values) != digest:
            return AuditCheck(
                False, count, seq, _("entry {seq} was changed after it was written").format(seq=seq)
            )
        prev = digest
        expected_seq += 1
        count += 1
    head_hash, head_count = _head(conn)
    if count > head_count:
        seq = head_count + 1
        return AuditCheck(
            False,
            head_count,
            seq,
            _("entry {seq} was added after the last recorded entry").format(seq=seq),
        )
    if head_count != count or head_hash != prev:
        return AuditCheck(
            False, count, count + 1, _("entries after {seq} were removed").format(seq=count)
        )
    return AuditCheck(True, count)
