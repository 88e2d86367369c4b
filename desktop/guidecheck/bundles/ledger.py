"""The bundle bookkeeping tables: exports written, bundles imported, pinned device keys, received
assessment variants and the clinics' own audit entries.

Created by the `m002_bundles` migration at start-up; `ensure_tables` stays as a guard for a
database opened without migrations, and runs inside the caller's transaction.
"""

from __future__ import annotations

import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS bundle_exports (
    bundle_id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, created_at TEXT NOT NULL, path TEXT NOT NULL,
    scope TEXT NOT NULL, since TEXT, audit_to_seq INTEGER NOT NULL, counts_json TEXT NOT NULL,
    encrypted_to TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS bundle_imports (
    bundle_id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, device_id TEXT NOT NULL, created_at TEXT NOT NULL,
    imported_at TEXT NOT NULL, source_name TEXT NOT NULL, archive_path TEXT NOT NULL, result_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS bundle_devices (
    device_id TEXT PRIMARY KEY, public_key TEXT NOT NULL, fingerprint TEXT NOT NULL,
    first_bundle TEXT NOT NULL, first_created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS bundle_variants (
    assessment_id TEXT NOT NULL, sha256 TEXT NOT NULL, updated_at TEXT NOT NULL, status TEXT NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (assessment_id, sha256)
);
CREATE TABLE IF NOT EXISTS bundle_audit (
    origin_device TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL,
    device_id TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL, action TEXT NOT NULL,
    field TEXT NOT NULL, old TEXT, new TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
    PRIMARY KEY (origin_device, seq, hash)
);
"""


def ensure_tables(conn: sqlite3.Connection) -> None:
    """Create the bundle tables if missing; call inside a transaction (store.atomic())."""
    if not has_table(conn, "bundle_audit"):
        for statement in SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return row is not None


def pinned_key(conn: sqlite3.Connection, device_id: str) -> str | None:
    """The public key first seen for this device id, or None if the device is new here."""
    if not has_table(conn, "bundle_devices"):
        return None
    row = conn.execute(
        "SELECT public_key FROM bundle_devices WHERE device_id = ?", (device_id,)
    ).fetchone()
    return str(row[0]) if row else None


def imported_at(conn: sqlite3.Connection, bundle_id: str) -> str | None:
    if not has_table(conn, "bundle_imports"):
        return None
    row = conn.execute(
        "SELECT imported_at FROM bundle_imports WHERE bundle_id = ?", (bundle_id,)
    ).fetchone()
    return str(row[0]) if row else None


def last_export(conn: sqlite3.Connection) -> tuple[str, int] | None:
    """(created_at, audit_to_seq) of the newest export, the starting point of an incremental one."""
    if not has_table(conn, "bundle_exports"):
        return None
    row = conn.execute(
        "SELECT created_at, audit_to_seq FROM bundle_exports ORDER BY created_at DESC LIMIT 1"
    ).fetchone()
    return (str(row[0]), int(row[1])) if row else None
