"""Monitoring records in sync bundles (payload format 2): what is collected, how a received one
is checked, and how the hub applies it.

Kept here so the bundle modules only call in. Rules at the hub are those for assessments: a device
speaks only for the records it made (`origin_device` must be the bundle's device, and a record
already held from another device is never overwritten); the newest `updated_at` wins, so import
order does not matter.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from typing import Any

from guidecheck.bundles.errors import BundleRefused
from guidecheck.i18n import _
from guidecheck.monitoring.model import KINDS, SEVERITIES
from guidecheck.monitoring.store import EVENT_COLUMNS, MAX_COUNT, MAX_TEXT, TALLY_COLUMNS

FIRST_FORMAT = 2  # the payload format that introduced monitoring records
LISTS: tuple[str, ...] = ("monitoring_events", "monitoring_tallies")
COLUMNS: dict[str, dict[str, tuple[type, bool]]] = {
    "monitoring_events": {c: (str, False) for c in EVENT_COLUMNS},
    "monitoring_tallies": {
        c: (int if c in ("times_used", "times_overridden") else str, False) for c in TALLY_COLUMNS
    },
}
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_TABLE_KEYS = {
    "monitoring_events": ("id",),
    "monitoring_tallies": ("tool_id", "month", "origin_device"),
}


def lists_for(payload_format: int) -> tuple[str, ...]:
    return LISTS if payload_format >= FIRST_FORMAT else ()


def collect(
    conn: sqlite3.Connection, since: str | None, device_id: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Events and tallies changed since `since` (None = all), in a stable order."""
    result = []
    for table, order in (
        ("monitoring_events", "id"),
        ("monitoring_tallies", "tool_id, month, origin_device"),
    ):
        columns = list(COLUMNS[table])
        where = "1" if since is None else "updated_at >= ?"
        rows = conn.execute(
            f"SELECT {', '.join(columns)} FROM {table} WHERE {where} ORDER BY {order}",
            () if since is None else (since,),
        )
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        for record in records:
            record["origin_device"] = record["origin_device"] or device_id
        result.append(records)
    return result[0], result[1]


def referenced(
    events: list[dict[str, Any]], tallies: list[dict[str, Any]]
) -> tuple[set[str], set[str]]:
    """(tool ids, facility codes) the records refer to: the bundle must carry those rows too."""
    records = events + tallies
    return {r["tool_id"] for r in records}, {r["facility_code"] for r in records}


def valid(data: dict[str, Any]) -> bool:
    """Field values a clinic's store could have written (shapes and types were checked already)."""
    today = dt.date.today() + dt.timedelta(days=2)
    for event in data["monitoring_events"]:
        if event["kind"] not in KINDS or event["severity"] not in SEVERITIES:
            return False
        if len(event["what_happened"]) > MAX_TEXT or len(event["action_taken"]) > MAX_TEXT:
            return False
        try:
            if dt.date.fromisoformat(event["date"]) > today or len(event["date"]) != 10:
                return False
        except ValueError:
            return False
    for tally in data["monitoring_tallies"]:
        if not _MONTH.fullmatch(tally["month"]):
            return False
        if not 0 <= tally["times_overridden"] <= tally["times_used"] <= MAX_COUNT:
            return False
    for table, key in _TABLE_KEYS.items():
        keys = [tuple(r[k] for k in key) for r in data[table]]
        if len(set(keys)) != len(keys):
            return False
    return True


def apply(conn: sqlite3.Connection, device_id: str, events: list[dict[str, Any]],
          tallies: list[dict[str, Any]]) -> int:  # fmt: skip
    """Merge received monitoring records into the hub (inside the caller's transaction)."""
    changed = 0
    for table, records in (("monitoring_events", events), ("monitoring_tallies", tallies)):
        key = _TABLE_KEYS[table]
        columns = list(COLUMNS[table])
        match = " AND ".join(f"{k} = ?" for k in key)
        for record in records:
            row = conn.execute(
                f"SELECT origin_device, updated_at, {', '.join(columns)} FROM {table} WHERE {match}",
                [record[k] for k in key],
            ).fetchone()
            if record["origin_device"] != device_id or (row is not None and row[0] != device_id):
                raise BundleRefused(
                    _(
                        "The bundle carries a monitoring record made on another device; only its own device may send it."
                    )
                )
            if row is not None:
                current = dict(zip(columns, row[2:], strict=True))
                if (current["updated_at"], _sha(current)) >= (record["updated_at"], _sha(record)):
                    continue
            updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key)
            conn.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
                f" ON CONFLICT({', '.join(key)}) DO UPDATE SET {updates}",
                [record[c] for c in columns],
            )
            changed += 1
    return changed


def _sha(record: dict[str, Any]) -> str:
    import hashlib

    text = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
