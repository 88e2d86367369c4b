"""Queries on the bundle bookkeeping tables: exports written, bundles imported, pinned device keys,
received assessment variants and the clinics' own audit entries.

Bundle-specific SQL lives here (and, for applying a payload, in apply.py), not in storage/: the CLI
and the GUI call these named functions instead of writing SQL.

The tables are created by the `m002_bundles` migration (storage/migrations.py), which every
database passes through when it is opened.
"""

from __future__ import annotations

import sqlite3


def pinned_key(conn: sqlite3.Connection, device_id: str) -> str | None:
    """The public key first seen for this device id, or None if the device is new here."""
    row = conn.execute(
        "SELECT public_key FROM bundle_devices WHERE device_id = ?", (device_id,)
    ).fetchone()
    return str(row[0]) if row else None


def imported_at(conn: sqlite3.Connection, bundle_id: str) -> str | None:
    row = conn.execute(
        "SELECT imported_at FROM bundle_imports WHERE bundle_id = ?", (bundle_id,)
    ).fetchone()
    return str(row[0]) if row else None


def last_export(conn: sqlite3.Connection) -> tuple[str, int] | None:
    """(created_at, audit_to_seq) of the newest export, the starting point of an incremental one."""
    row = conn.execute(
        "SELECT created_at, audit_to_seq FROM bundle_exports ORDER BY created_at DESC LIMIT 1"
    ).fetchone()
    return (str(row[0]), int(row[1])) if row else None


def exports(conn: sqlite3.Connection) -> list[tuple[str, str, str, str, str]]:
    """(created_at, bundle_id, scope, counts_json, path) of every bundle written here, oldest first."""
    return conn.execute(
        "SELECT created_at, bundle_id, scope, counts_json, path FROM bundle_exports"
        " ORDER BY created_at"
    ).fetchall()


def imports(conn: sqlite3.Connection) -> list[tuple[str, str, str, str, str]]:
    """(imported_at, bundle_id, device_id, result_json, source_name) of every bundle imported here."""
    return conn.execute(
        "SELECT imported_at, bundle_id, device_id, result_json, source_name FROM bundle_imports"
        " ORDER BY imported_at"
    ).fetchall()


def flagged_assessments(conn: sqlite3.Connection) -> list[tuple[str, int, str, str]]:
    """(id, revision, facility_code, origin_device) of every assessment flagged as a conflict."""
    return conn.execute(
        "SELECT id, revision, facility_code, origin_device FROM assessments WHERE conflict = 1"
        " ORDER BY facility_code, lineage_id, revision"
    ).fetchall()


def variants_of(conn: sqlite3.Connection, assessment_id: str) -> list[tuple[str, str, str]]:
    """(updated_at, status, sha256) of every version of the assessment received, oldest first."""
    return conn.execute(
        "SELECT updated_at, status, sha256 FROM bundle_variants WHERE assessment_id = ?"
        " ORDER BY updated_at, sha256",
        (assessment_id,),
    ).fetchall()
