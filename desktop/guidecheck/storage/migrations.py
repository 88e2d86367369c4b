"""The database schema, as named migrations applied in order at start-up (sqlite-utils Migrations).

Never edit a migration that has shipped: add a new one and list it in STEPS. Each runs in a
transaction together with its bookkeeping row; the store copies the database file before applying
any. sqlite-utils is imported only when a migration is pending (it costs ~60 ms of app start-up):
`pending_names` answers from the bookkeeping table with plain sqlite3.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

SET_NAME = "guidecheck"
BOOKKEEPING_TABLE = "_sqlite_migrations"  # sqlite_utils.migrations.Migrations.migrations_table


def _run(db: Database, script: str) -> None:
    """Run DDL statement by statement: `executescript` would COMMIT and break the migration's
    transaction (the DDL here holds no ';' inside strings)."""
    for statement in script.split(";"):
        if statement.strip():
            db.conn.execute(statement)


def m001_initial(db: Database) -> None:
    _run(
        db,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE facilities (
            code TEXT PRIMARY KEY, name TEXT NOT NULL, district TEXT NOT NULL DEFAULT '',
            region TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL
        );
        CREATE TABLE tools (
            id TEXT PRIMARY KEY, facility_code TEXT NOT NULL REFERENCES facilities(code),
            name TEXT NOT NULL, vendor TEXT NOT NULL DEFAULT '', version TEXT NOT NULL DEFAULT '',
            intended_use TEXT NOT NULL DEFAULT '', date_deployed TEXT NOT NULL DEFAULT '',
            use_category TEXT NOT NULL DEFAULT 'other', updated_at TEXT NOT NULL
        );
        CREATE INDEX tools_facility ON tools(facility_code);
        CREATE TABLE questionnaire_versions (
            id TEXT NOT NULL, version TEXT NOT NULL, sha256 TEXT NOT NULL, source TEXT NOT NULL,
            added_at TEXT NOT NULL, PRIMARY KEY (id, version)
        );
        CREATE TABLE assessments (
            id TEXT PRIMARY KEY, lineage_id TEXT NOT NULL, revision INTEGER NOT NULL,
            replaces TEXT REFERENCES assessments(id),
            questionnaire_id TEXT NOT NULL, questionnaire_version TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('draft', 'final')),
            profile_json TEXT NOT NULL, facility_code TEXT NOT NULL REFERENCES facilities(code),
            tool_id TEXT NOT NULL REFERENCES tools(id), sign_off_json TEXT,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL, finalized_at TEXT,
            current_domain TEXT NOT NULL DEFAULT '', origin_device TEXT NOT NULL DEFAULT '',
            superseded INTEGER NOT NULL DEFAULT 0, conflict INTEGER NOT NULL DEFAULT 0,
            overall_score REAL, verdict TEXT NOT NULL DEFAULT 'not_ready',
            red_flag_count INTEGER NOT NULL DEFAULT 0, answered_count INTEGER NOT NULL DEFAULT 0,
            shown_count INTEGER NOT NULL DEFAULT 0,
            FOREIGN KEY (questionnaire_id, questionnaire_version)
                REFERENCES questionnaire_versions(id, version)
        );
        CREATE INDEX assessments_lineage ON assessments(lineage_id, revision);
        CREATE INDEX assessments_facility ON assessments(facility_code);
        CREATE TABLE answers (
            assessment_id TEXT NOT NULL REFERENCES assessments(id), item_id TEXT NOT NULL,
            value_json TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',
            answered_at TEXT NOT NULL, answered_by TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (assessment_id, item_id)
        ) WITHOUT ROWID;
        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL,
            device_id TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
            action TEXT NOT NULL, field TEXT NOT NULL DEFAULT '', old TEXT, new TEXT,
            prev_hash TEXT NOT NULL, hash TEXT NOT NULL
        );
        """,
    )


def m002_bundles(db: Database) -> None:
    """Bookkeeping for sync bundles: exports written, imports applied, pinned device keys,
    received assessment variants and the clinics' own audit chains (see bundles/ledger.py)."""
    from guidecheck.bundles.ledger import SCHEMA

    _run(db, SCHEMA)


def m003_district_resolutions(db: Database) -> None:
    """The district officer's decisions on import conflicts (see district/conflicts.py)."""
    from guidecheck.district.conflicts import RESOLUTIONS

    _run(db, RESOLUTIONS)


def m004_variants_clinic_content(db: Database) -> None:
    """Bundle variants hold clinic-authored content only (see bundles/apply.py, upgrade_variants)."""
    from guidecheck.bundles.apply import upgrade_variants

    upgrade_variants(db.conn)


def m005_trust_device_enrolment(db: Database) -> None:
    """Devices approved per facility, bundles held for approval, lineage transfers
    (see bundles/enrolment.py). Devices a hub already trusted on first use stay trusted, for the
    facilities their assessments name."""
    from guidecheck.bundles.enrolment import SCHEMA, enrol_code

    _run(db, SCHEMA)
    conn = db.conn
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'bundle_devices'").fetchone():
        return
    for device_id, public_key, first_at in conn.execute(
        "SELECT device_id, public_key, first_created_at FROM bundle_devices"
    ).fetchall():
        codes = [r[0] for r in conn.execute(
            "SELECT DISTINCT facility_code FROM assessments WHERE origin_device = ? ORDER BY 1",
            (device_id,))]  # fmt: skip
        conn.execute(
            "INSERT OR IGNORE INTO hub_devices (device_id, public_key, enrol_code, status,"
            " facilities_json, first_seen, decided_at, decided_by) VALUES (?, ?, ?, 'approved', ?, ?, ?, ?)",
            (device_id, public_key, enrol_code(device_id, bytes.fromhex(public_key)),
             json.dumps(codes), first_at, first_at, "upgrade"),
        )  # fmt: skip


STEPS: tuple[Callable[[Database], None], ...] = (
    m001_initial,
    m002_bundles,
    m003_district_resolutions,
    m004_variants_clinic_content,
    m005_trust_device_enrolment,
)


def pending_names(conn: sqlite3.Connection) -> list[str]:
    """Names of the steps not yet applied to this database, without importing sqlite-utils."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (BOOKKEEPING_TABLE,)
    ).fetchone()
    applied: set[str] = set()
    if exists:
        rows = conn.execute(
            f"SELECT name FROM {BOOKKEEPING_TABLE} WHERE migration_set = ?", (SET_NAME,)
        )
        applied = {row[0] for row in rows}
    return [step.__name__ for step in STEPS if step.__name__ not in applied]


def migration_set() -> Migrations:
    """The steps as a sqlite-utils migration set (imports sqlite-utils)."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(SET_NAME)
    for step in STEPS:
        migrations()(step)
    return migrations
