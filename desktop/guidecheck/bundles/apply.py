"""Apply a verified bundle's records to the hub database, so that any import order gives the same result.

Each record first passes the trust rules of `record_checks.py` (a broken rule refuses the bundle);
facilities and tools are upserted (the newest wins); every version ("variant") of an assessment
ever received is kept, and `variants.settle` decides which one stands and whether a lineage
revision is in conflict; the clinic's audit log is checked (`audit_check.py`) and kept beside the
hub's own; changed assessments are scored again.
Call `apply_payload` inside `store.atomic()`: the caller's transaction makes it all-or-nothing.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from guidecheck.bundles import audit_check
from guidecheck.bundles.errors import BundleRefused
from guidecheck.bundles.manifest import Manifest
from guidecheck.bundles.payload import COLUMNS, Payload
from guidecheck.bundles.record_checks import (
    check_answers,
    check_binding,
    check_final,
    check_origin,
    check_questionnaire,
    shipped_files,
    shipped_sha256,
)
from guidecheck.bundles.variants import (
    Encoded,
    body_from_db,
    body_sha256,
    clinic_body,
    flagged_ids,
    remember,
    settle,
    write_row,
)
from guidecheck.checklist.model import Answer, Profile
from guidecheck.i18n import _
from guidecheck.monitoring import bundle as monitoring
from guidecheck.safetext import for_terminal


@dataclass
class ApplyResult:
    """What one bundle did: counted per assessment, plus the side records it brought."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    other_records: int = (
        0  # facilities, tools, questionnaire versions and audit entries added or changed
    )
    changed_ids: list[str] = field(default_factory=list)
    monitoring: int = 0  # monitoring events and tallies added or changed (also in other_records)
    audit_flagged: list[str] = field(default_factory=list)  # ids whose clinic audit log failed

    @property
    def changed(self) -> bool:
        return bool(self.new or self.updated or self.conflicts or self.other_records)

    def as_dict(self) -> dict[str, int]:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged,
                "conflicts": self.conflicts, "other_records": self.other_records}  # fmt: skip


def apply_payload(
    store: Any,
    manifest: Manifest,
    payload: Payload,
    facilities: tuple[str, ...] | None = None,
    now: str | None = None,
    chain: str | None | audit_check.Unchecked = audit_check.UNCHECKED,
) -> ApplyResult:
    """Merge one bundle into the store's database (inside the caller's transaction).

    `facilities` are the codes the officer approved the device for (None: no binding, for
    callers that apply trusted data themselves); `now` is the hub's clock, the latest time a
    facility or tool record may claim (a record from the future wins no more than import order);
    `chain` is the audit chain's answer when verifying the bundle already gave it.
    """
    conn: sqlite3.Connection = store.conn
    result = ApplyResult()
    if facilities is not None:
        check_binding(conn, manifest.device_id, payload, set(facilities))
    try:
        result.other_records += _apply_questionnaires(conn, payload, manifest.created_at)
        result.other_records += _apply_latest(conn, "facilities", "code", payload.facilities, now)
        result.other_records += _apply_latest(conn, "tools", "id", payload.tools, now)
        lineages: set[str] = set()
        before: dict[str, str | None] = {}
        # id -> hash of the row's content now, so `settle` need not read it again
        known: dict[str, str] = {}
        checked: dict[str, tuple[dict[str, Any], Any, dict[str, Answer]]] = {}
        for record in sorted(
            payload.assessments, key=lambda a: (a["lineage_id"], a["revision"], a["id"])
        ):
            check_origin(conn, record, manifest.device_id)
            questionnaire, answers = check_answers(store, record)
            checked[record["id"]] = (record, questionnaire, answers)
            before[record["id"]], known[record["id"]] = _receive(conn, record)
            lineages.add(record["lineage_id"])
        flagged_before = flagged_ids(conn, lineages)
        changed = settle(conn, lineages, known)
        for assessment_id, sha in before.items():
            if sha is None:
                result.new += 1
            elif assessment_id in changed:
                result.updated += 1
            else:
                result.unchanged += 1
        result.changed_ids = sorted(changed | {i for i, sha in before.items() if sha is None})
        result.conflicts = len(flagged_ids(conn, lineages) - flagged_before)
        result.audit_flagged = audit_check.check_bundle(conn, manifest, payload, chain)
        result.other_records += _apply_audit(conn, manifest.device_id, payload.audit)
        audit_check.record_forks(conn, manifest.device_id, payload.audit)
        result.monitoring = monitoring.apply(
            conn, manifest.device_id, payload.monitoring_events, payload.monitoring_tallies
        )
        result.other_records += result.monitoring
    except sqlite3.IntegrityError as exc:
        raise BundleRefused(
            _(
                "The bundle's records refer to records that are neither in the bundle nor in this database."
            )
        ) from exc
    for assessment_id in result.changed_ids:
        if before.get(assessment_id, "") is None and assessment_id not in changed:
            # A new row that `settle` left as received: its content is the record checked above.
            record, questionnaire, answers = checked[assessment_id]
            profile = Profile.from_dict(json.loads(record["profile_json"]))
            store.refresh_summary_from(assessment_id, questionnaire, profile, answers)
        else:
            store.refresh_summary(assessment_id)
    return result


def _apply_questionnaires(conn: sqlite3.Connection, payload: Payload, stamp: str) -> int:
    added = 0
    for version in payload.questionnaire_versions:
        row = conn.execute(
            "SELECT sha256 FROM questionnaire_versions WHERE id = ? AND version = ?",
            (version["id"], version["version"]),
        ).fetchone()
        if (row is None or row[0] != version["sha256"]) and version[
            "sha256"
        ] not in shipped_files():
            # Not yet here and not byte-identical to a shipped file: it must not claim the id and
            # version of a checklist this app ships.
            shipped = shipped_sha256(version["id"], version["version"])
            if shipped is not None and shipped != version["sha256"]:
                raise BundleRefused(
                    _(
                        "The bundle carries an altered copy of questionnaire {id} version {version}, which this app ships; it was refused."
                    ).format(
                        id=for_terminal(version["id"][:80]),
                        version=for_terminal(version["version"][:40]),
                    )
                )
        if row is None:
            check_questionnaire(version)
            conn.execute(
                "INSERT INTO questionnaire_versions (id, version, sha256, source, added_at) VALUES (?, ?, ?, ?, ?)",
                (version["id"], version["version"], version["sha256"], version["source"], stamp),
            )
            added += 1
        elif row[0] == version["sha256"]:
            # The earliest bundle date wins, whatever the import order.
            conn.execute(
                "UPDATE questionnaire_versions SET added_at = ? WHERE id = ? AND version = ? AND added_at > ?",
                (stamp, version["id"], version["version"], stamp),
            )
        else:
            raise BundleRefused(
                _(
                    "The bundle uses questionnaire {id} version {version}, which differs from the copy of that version here."
                ).format(id=version["id"], version=version["version"])
            )
    return added


def _apply_latest(
    conn: sqlite3.Connection,
    table: str,
    key: str,
    records: list[dict[str, Any]],
    now: str | None = None,
) -> int:
    """Upsert facilities or tools: the newest `updated_at` wins, ties broken by content.

    A record dated after `now` (the hub's clock) is taken as dated `now`: a wrong or forged clock
    wins over the records already here only as a fresh import would, and later ones win over it.
    """
    columns = list(COLUMNS[table])
    changed = 0
    for record in records:
        if now is not None and record["updated_at"] > now:
            record = {**record, "updated_at": now}
        row = conn.execute(
            f"SELECT {', '.join(columns)} FROM {table} WHERE {key} = ?", (record[key],)
        ).fetchone()
        if row is not None:
            current = dict(zip(columns, row, strict=True))
            if (current["updated_at"], body_sha256(current)) >= (
                record["updated_at"],
                body_sha256(record),
            ):
                continue
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != key)
        conn.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            f" ON CONFLICT({key}) DO UPDATE SET {updates}",
            [record[c] for c in columns],
        )
        changed += 1
    return changed


def _receive(conn: sqlite3.Connection, record: dict[str, Any]) -> tuple[str | None, str]:
    """Keep the received version; add the row if the id is new. Returns the row's content hash before and now."""
    received = Encoded.of(clinic_body(record))
    check_final(conn, record["id"], received)
    found = body_from_db(conn, record["id"])
    current = Encoded.of(found) if found is not None else None
    if current is not None:
        remember(conn, record["id"], current)  # a hub-side edit of clinic content is a variant too
    remember(conn, record["id"], received)
    if current is None:
        # `settle` picks the content; the row must exist for its lineage query
        write_row(conn, received.body)
        return None, received.sha256
    return current.sha256, current.sha256


def _apply_audit(
    conn: sqlite3.Connection, origin_device: str, entries: list[dict[str, Any]]
) -> int:
    """Keep the clinic's audit entries beside (not inside) the hub's own hash chain."""
    columns = tuple(COLUMNS["audit"])
    values = itemgetter(*columns)  # ~140 entries a bundle: one C call each instead of a loop
    before = conn.total_changes
    conn.executemany(
        f"INSERT OR IGNORE INTO bundle_audit (origin_device, {', '.join(columns)}) VALUES (?{', ?' * len(columns)})",
        [(origin_device, *values(e)) for e in entries],
    )
    return conn.total_changes - before
