"""The database schema, as named migrations applied in order at start-up (sqlite-utils Migrations).

Never edit a migration that has shipped: add a new one and list it in STEPS. Each runs in a
transaction together with its bookkeeping row; the store copies the database file before applying
any. sqlite-utils is imported only when a migration is pending (it costs ~60 ms of app start-up):
`pending_names` answers from the bookkeeping table with plain sqlite3.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from itertools import combinations
from typing import TYPE_CHECKING, Any

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
    received assessment variants and the clinics' own audit chains (used by bundles/ledger.py)."""
    _run(
        db,
        """
        CREATE TABLE IF NOT EXISTS bundle_exports (
            bundle_id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, created_at TEXT NOT NULL,
            path TEXT NOT NULL, scope TEXT NOT NULL, since TEXT, audit_to_seq INTEGER NOT NULL,
            counts_json TEXT NOT NULL, encrypted_to TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE IF NOT EXISTS bundle_imports (
            bundle_id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, device_id TEXT NOT NULL,
            created_at TEXT NOT NULL, imported_at TEXT NOT NULL, source_name TEXT NOT NULL,
            archive_path TEXT NOT NULL, result_json TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS bundle_devices (
            device_id TEXT PRIMARY KEY, public_key TEXT NOT NULL, fingerprint TEXT NOT NULL,
            first_bundle TEXT NOT NULL, first_created_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS bundle_variants (
            assessment_id TEXT NOT NULL, sha256 TEXT NOT NULL, updated_at TEXT NOT NULL,
            status TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (assessment_id, sha256)
        );
        CREATE TABLE IF NOT EXISTS bundle_audit (
            origin_device TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL,
            actor TEXT NOT NULL, device_id TEXT NOT NULL, entity TEXT NOT NULL,
            entity_id TEXT NOT NULL, action TEXT NOT NULL, field TEXT NOT NULL, old TEXT, new TEXT,
            prev_hash TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (origin_device, seq, hash)
        );
        """,
    )


def m003_district_resolutions(db: Database) -> None:
    """The district officer's decisions on import conflicts (read and written by district/conflicts.py)."""
    _run(
        db,
        """
        CREATE TABLE IF NOT EXISTS district_resolutions (
            lineage_id TEXT NOT NULL, revision INTEGER NOT NULL, kept_id TEXT NOT NULL,
            kept_sha256 TEXT NOT NULL, options_json TEXT NOT NULL, resolved_at TEXT NOT NULL,
            actor TEXT NOT NULL, PRIMARY KEY (lineage_id, revision)
        )
        """,
    )


def m004_variants_clinic_content(db: Database) -> None:
    """Bundle variants hold clinic-authored content only: hubs from before stored `superseded` inside
    each variant, so a re-import of the same content looked like a second version. Rewrites those
    variants, renames recorded decisions to the new hashes and settles the lineages again."""
    _m004_upgrade(db.conn)


def m005_scores_rules_version(db: Database) -> None:
    """Cached scores and verdicts carry the scoring rules version they were computed under, and
    each stored questionnaire version the rules it asks for (NULL = not read yet). Every cache
    starts stale (0), so the first open after this step recomputes them all (`StoreBase`)."""
    _run(
        db,
        """
        ALTER TABLE assessments ADD COLUMN rules_version INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE questionnaire_versions ADD COLUMN rules_version INTEGER
        """,
    )


def m006_trust_device_enrolment(db: Database) -> None:
    """Devices approved per facility, bundles held for approval, lineage transfers
    (see bundles/enrolment.py). Devices a hub already trusted on first use stay trusted, for the
    facilities their assessments name. SQL and enrolment code are copied here on purpose: a shipped
    step never changes when live code does."""
    _run(
        db,
        """
        CREATE TABLE IF NOT EXISTS hub_devices (
            device_id TEXT NOT NULL, public_key TEXT NOT NULL, enrol_code TEXT NOT NULL,
            status TEXT NOT NULL, facilities_json TEXT NOT NULL DEFAULT '[]',
            first_seen TEXT NOT NULL, decided_at TEXT, decided_by TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (device_id, public_key)
        );
        CREATE TABLE IF NOT EXISTS held_bundles (
            sha256 TEXT PRIMARY KEY, bundle_id TEXT NOT NULL, device_id TEXT NOT NULL,
            public_key TEXT NOT NULL, facility_codes_json TEXT NOT NULL, created_at TEXT NOT NULL,
            received_at TEXT NOT NULL, source_name TEXT NOT NULL, held_path TEXT NOT NULL,
            counts_json TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS lineage_transfers (
            lineage_id TEXT PRIMARY KEY, to_device TEXT NOT NULL, approved_at TEXT NOT NULL,
            approved_by TEXT NOT NULL DEFAULT ''
        );
        """,
    )
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
            (device_id, public_key, _m006_enrol_code(device_id, bytes.fromhex(public_key)),
             json.dumps(codes), first_at, first_at, "upgrade"),
        )  # fmt: skip


def _m006_enrol_code(device_id: str, public_key: bytes) -> str:
    """The enrolment code as m006 computed it (bundles/enrolment.enrol_code, frozen here)."""
    ident = device_id.encode("utf-8")
    digest = hashlib.sha256(
        b"guidecheck/enrol/v1" + len(ident).to_bytes(2, "big") + ident + public_key
    ).digest()
    body = f"{int.from_bytes(digest, 'big') % 10**22:022d}"
    digits = body + f"{98 - int(body + '00') % 97:02d}"
    return " ".join(digits[i : i + 4] for i in range(0, 24, 4))


def m007_monitoring_log(db: Database) -> None:
    """The monitoring log between assessments: observations and monthly tallies (monitoring/).

    Tallies are kept per device, so two laptops counting at one clinic add up instead of
    overwriting each other at the district."""
    _run(
        db,
        """
        CREATE TABLE monitoring_events (
            id TEXT PRIMARY KEY, facility_code TEXT NOT NULL REFERENCES facilities(code),
            tool_id TEXT NOT NULL REFERENCES tools(id), date TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('wrong_output', 'overridden', 'unavailable',
                'complaint', 'possible_bias', 'near_miss')),
            severity TEXT NOT NULL CHECK (severity IN ('none', 'minor', 'serious', 'harm')),
            what_happened TEXT NOT NULL, action_taken TEXT NOT NULL DEFAULT '',
            recorded_by TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL, origin_device TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX monitoring_events_tool ON monitoring_events(tool_id, date);
        CREATE INDEX monitoring_events_updated ON monitoring_events(updated_at);
        CREATE TABLE monitoring_tallies (
            tool_id TEXT NOT NULL REFERENCES tools(id), month TEXT NOT NULL,
            origin_device TEXT NOT NULL, facility_code TEXT NOT NULL REFERENCES facilities(code),
            times_used INTEGER NOT NULL CHECK (times_used >= 0),
            times_overridden INTEGER NOT NULL CHECK (times_overridden BETWEEN 0 AND times_used),
            updated_at TEXT NOT NULL, PRIMARY KEY (tool_id, month, origin_device)
        );
        CREATE INDEX monitoring_tallies_updated ON monitoring_tallies(updated_at);
        """,
    )


def m008_hub_audit_chain(db: Database) -> None:
    """The hub's check of each clinic's audit log (bundles/audit_check.py): the signed audit head of
    every bundle imported, and per assessment and bundle whether its log was checked, held or
    flagged, with the reason in one sentence; the entry numbers held in two versions (a rewritten
    log), and an index to read one assessment's entries without reading the device's whole log."""
    _run(
        db,
        """
        CREATE TABLE hub_audit_heads (
            bundle_id TEXT PRIMARY KEY, device_id TEXT NOT NULL, after_seq INTEGER NOT NULL,
            after_hash TEXT NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL,
            count INTEGER NOT NULL, created_at TEXT NOT NULL
        );
        CREATE INDEX hub_audit_heads_device ON hub_audit_heads(device_id, seq);
        CREATE INDEX bundle_audit_entity ON bundle_audit(origin_device, entity_id, seq);
        CREATE TABLE hub_audit_forks (
            device_id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (device_id, seq)
        ) WITHOUT ROWID;
        CREATE TABLE hub_audit_checks (
            assessment_id TEXT NOT NULL, bundle_id TEXT NOT NULL, device_id TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('ok', 'flagged', 'not_checked')),
            reason TEXT NOT NULL DEFAULT '', PRIMARY KEY (assessment_id, bundle_id)
        ) WITHOUT ROWID;
        """,
    )


def m009_import_lookup_index(db: Database) -> None:
    """Each imported bundle looks up whether its content was archived already
    (`bundle_imports.sha256`): without an index every import read the whole table, so a hub's
    imports got slower with each bundle it had taken in."""
    _run(db, "CREATE INDEX bundle_imports_sha256 ON bundle_imports(sha256)")


def m010_audit_marks_waiting(db: Database) -> None:
    """Each bundle a hub imports looks for the same device's bundles whose audit marks wait on an
    earlier bundle (bundles/audit_recheck.py): a small index of just those marks."""
    _run(
        db,
        "CREATE INDEX hub_audit_checks_waiting ON hub_audit_checks(device_id, bundle_id)"
        " WHERE status = 'not_checked'",
    )


STEPS: tuple[Callable[[Database], None], ...] = (
    m001_initial,
    m002_bundles,
    m003_district_resolutions,
    m004_variants_clinic_content,
    m005_scores_rules_version,
    m006_trust_device_enrolment,
    m007_monitoring_log,
    m008_hub_audit_chain,
    m009_import_lookup_index,
    m010_audit_marks_waiting,
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


# --- m004's own code: a frozen copy of what bundles/apply.py did when the step shipped -------------
# (upgrade_variants and the settle rule of 2026-11-25). Never edit; a later change to the live
# settle rule must not change what this step does to an old hub.

_M004_ROW_COLUMNS = (
    "id", "lineage_id", "revision", "replaces", "questionnaire_id", "questionnaire_version",
    "status", "profile_json", "facility_code", "tool_id", "sign_off_json", "created_at",
    "updated_at", "finalized_at", "current_domain", "origin_device",
)  # fmt: skip
_M004_ANSWER_COLUMNS = ("item_id", "value_json", "note", "answered_at", "answered_by")


def _m004_json(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _m004_sha(body: dict[str, Any]) -> str:
    return hashlib.sha256(_m004_json(body).encode("utf-8")).hexdigest()


def _m004_upgrade(conn: sqlite3.Connection) -> set[str]:
    """Returns the ids whose content changed (none on a hub whose flags were current)."""
    renamed: dict[str, str] = {}
    lineages: set[str] = set()
    for assessment_id, sha, text in conn.execute(
        "SELECT assessment_id, sha256, body FROM bundle_variants"
    ).fetchall():
        body = json.loads(text)
        if "superseded" not in body:
            continue
        body.pop("superseded")
        conn.execute(
            "DELETE FROM bundle_variants WHERE assessment_id = ? AND sha256 = ?",
            (assessment_id, sha),
        )
        conn.execute(
            "INSERT OR IGNORE INTO bundle_variants (assessment_id, sha256, updated_at, status, body)"
            " VALUES (?, ?, ?, ?, ?)",
            (assessment_id, _m004_sha(body), body["updated_at"], body["status"], _m004_json(body)),
        )
        renamed[sha] = _m004_sha(body)
        lineages.add(body["lineage_id"])
    if renamed:
        for lineage_id, revision, kept, offered in conn.execute(
            "SELECT lineage_id, revision, kept_sha256, options_json FROM district_resolutions"
        ).fetchall():
            versions = sorted({renamed.get(v, v) for v in json.loads(offered)})
            conn.execute(
                "UPDATE district_resolutions SET kept_sha256 = ?, options_json = ?"
                " WHERE lineage_id = ? AND revision = ?",
                (renamed.get(kept, kept), json.dumps(versions), lineage_id, revision),
            )
    return _m004_settle(conn, lineages) if lineages else set()


def _m004_body(conn: sqlite3.Connection, assessment_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        f"SELECT {', '.join(_M004_ROW_COLUMNS)} FROM assessments WHERE id = ?", (assessment_id,)
    ).fetchone()
    if row is None:
        return None
    body = dict(zip(_M004_ROW_COLUMNS, row, strict=True))
    answers = conn.execute(
        f"SELECT {', '.join(_M004_ANSWER_COLUMNS)} FROM answers WHERE assessment_id = ?"
        " ORDER BY item_id",
        (assessment_id,),
    )
    body["answers"] = [dict(zip(_M004_ANSWER_COLUMNS, a, strict=True)) for a in answers]
    return body


def _m004_write_row(conn: sqlite3.Connection, body: dict[str, Any]) -> None:
    columns = list(_M004_ROW_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
    conn.execute(
        f"INSERT INTO assessments ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        f" ON CONFLICT(id) DO UPDATE SET {updates}",
        [body[c] for c in columns],
    )
    conn.execute("DELETE FROM answers WHERE assessment_id = ?", (body["id"],))
    conn.executemany(
        f"INSERT INTO answers (assessment_id, {', '.join(_M004_ANSWER_COLUMNS)})"
        f" VALUES (?{', ?' * len(_M004_ANSWER_COLUMNS)})",
        [[body["id"]] + [a[c] for c in _M004_ANSWER_COLUMNS] for a in body["answers"]],
    )


def _m004_settle(conn: sqlite3.Connection, lineages: set[str]) -> set[str]:
    """The settle rule as shipped: a decision on a superset of the present versions stands;
    otherwise the greatest variant stands and clashing or competing rows are flagged."""
    # (updated_at, final before draft, hash) ranks variants; status per hash decides a clash.
    decisions = {
        (r[0], r[1]): (r[2], r[3], frozenset(json.loads(r[4])))
        for r in conn.execute(
            "SELECT lineage_id, revision, kept_id, kept_sha256, options_json FROM district_resolutions"
            " WHERE lineage_id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(lineages)),),
        )
    }

    def clash(a: tuple[str, str, str], b: tuple[str, str, str]) -> bool:
        if a[1] == b[1] or (a[2] == "final" and b[2] == "final"):
            return True
        earlier, later = sorted((a, b), key=lambda v: v[1])
        return earlier[2] == "final" and later[2] == "draft"

    changed: set[str] = set()
    for lineage_id in sorted(lineages):
        revisions: dict[int, list[tuple[str, bool]]] = {}
        for assessment_id, revision, superseded in conn.execute(
            "SELECT id, revision, superseded FROM assessments WHERE lineage_id = ? ORDER BY id",
            (lineage_id,),
        ):
            revisions.setdefault(revision, []).append((assessment_id, bool(superseded)))
        for revision, members in sorted(revisions.items()):
            variants = {
                i: [
                    (str(r[0]), str(r[1]), str(r[2]))
                    for r in conn.execute(
                        "SELECT sha256, updated_at, status FROM bundle_variants"
                        " WHERE assessment_id = ?",
                        (i,),
                    )
                ]
                for i, _s in members
            }
            versions = {v[0] for found in variants.values() for v in found}
            decision = decisions.get((lineage_id, revision))
            decided = decision is not None and versions <= decision[2]
            live = sum(not superseded for _i, superseded in members)
            for assessment_id, superseded in members:
                found = variants[assessment_id]
                if (
                    decided
                    and decision is not None
                    and assessment_id == decision[0]
                    and (decision[1] in versions)
                ):
                    target: str | None = decision[1]
                else:
                    target = (
                        max(found, key=lambda v: (v[1], v[2] == "final", v[0]))[0]
                        if found
                        else None
                    )
                body = _m004_body(conn, assessment_id)
                current = _m004_sha(body) if body is not None else None
                if target is not None and target != current:
                    text = conn.execute(
                        "SELECT body FROM bundle_variants WHERE assessment_id = ? AND sha256 = ?",
                        (assessment_id, target),
                    ).fetchone()[0]
                    _m004_write_row(conn, json.loads(text))
                    changed.add(assessment_id)
                if decision is not None:
                    flag = not decided
                else:
                    flag = not superseded and (
                        live > 1 or any(clash(a, b) for a, b in combinations(found, 2))
                    )
                conn.execute(
                    "UPDATE assessments SET conflict = ? WHERE id = ?", (int(flag), assessment_id)
                )
    return changed
