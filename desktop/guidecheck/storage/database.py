"""The local SQLite database: opening, migrating, reading, and the writes every store needs.

`StoreBase` opens and migrates the file and holds the reads plus the small writes any part may make
(meta keys, audit entries, questionnaire copies, facility and tool records); `Store` (store.py) adds
the changes to assessments. Outside storage/, bundles/ writes its own bookkeeping tables and (in
apply.py) the records a hub receives; district/conflicts.py records the officer's decisions.

Durability: WAL with `synchronous=FULL`, so a transaction that returned is on disk even through a
power cut; every answer is its own transaction. The file is copied before a migration and checked
(`quick_check`) on open.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidecheck.atomic import atomic_path, make_folder
from guidecheck.checklist.loading import parse_questionnaire_text, source_sha256
from guidecheck.checklist.model import (
    Answer,
    Assessment,
    Facility,
    Profile,
    Questionnaire,
    SignOff,
    Tool,
)
from guidecheck.errors import NotFound, UserError
from guidecheck.fileops import data_folder_error, database_open_error
from guidecheck.i18n import _
from guidecheck.paths import owner_only
from guidecheck.storage import audit, migrations

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from sqlite_utils import Database

TOOL_NAMESPACE = uuid.UUID("6f1c2a3e-9b7d-4c55-8e0a-3f1d2b4c5a6e")


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def tool_id_for(facility_code: str, name: str, vendor: str, version: str) -> str:
    """Same tool at the same facility gets the same id on every laptop, so bundles merge."""
    key = "\x1f".join(s.strip().casefold() for s in (facility_code, name, vendor, version))
    return str(uuid.uuid5(TOOL_NAMESPACE, key))


@dataclass(frozen=True)
class AssessmentSummary:
    """One line of the home list: the latest revision of an assessment."""

    id: str
    lineage_id: str
    revision: int
    status: str
    facility_code: str
    facility_name: str
    tool_name: str
    date: str
    overall: float | None
    verdict: str
    red_flag_count: int
    answered: int
    shown: int
    updated_at: str
    questionnaire_id: str
    questionnaire_version: str


class StoreBase:
    """One GuideCheck database file: connection, schema, reads. Use `store.Store`."""

    def __init__(self, path: str | Path, check: bool = True) -> None:
        self.path = Path(path)
        try:
            make_folder(self.path.parent)  # flushed into its parent: survives a power cut
        except OSError as exc:
            raise data_folder_error(self.path.parent, exc) from None
        existed = self.path.exists() and self.path.stat().st_size > 0
        try:
            self.conn = sqlite3.connect(str(self.path), timeout=10, isolation_level=None)
            self.conn.execute("PRAGMA busy_timeout = 10000")
            if existed and check:
                result = self.conn.execute("PRAGMA quick_check").fetchone()[0]
                if result != "ok":
                    raise UserError(
                        _("The database {path} is damaged ({detail}).").format(
                            path=self.path, detail=result
                        )
                    )
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = FULL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            owner_only(self.path, self.path.with_name(self.path.name + "-wal"),
                       self.path.with_name(self.path.name + "-shm"))  # fmt: skip
        except sqlite3.OperationalError as exc:  # a missing or read-only folder, never "not ours"
            if hasattr(self, "conn"):
                self.conn.close()
            raise database_open_error(self.path, exc) from None
        except sqlite3.DatabaseError as exc:
            raise UserError(
                _("The file {path} is not a GuideCheck database ({detail}).").format(
                    path=self.path, detail=exc
                )
            ) from None
        self._migrate(existed)
        self.device_id = self._ensure_device_id()
        self.refresh_stale_scores()

    @cached_property
    def db(self) -> Database:
        """The connection as a `sqlite_utils.Database`, made on first use (keeps start-up light)."""
        from sqlite_utils import Database

        return Database(self.conn, execute_plugins=False)

    def _migrate(self, existed: bool) -> None:
        pending = migrations.pending_names(self.conn)
        if not pending:
            return
        if existed:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            backup = self.path.with_name(f"{self.path.name}.before-{pending[0]}")
            try:
                # whole or absent, and flushed before the migration commits (power cuts)
                with atomic_path(backup) as temporary:
                    shutil.copy2(self.path, temporary)
            except OSError as exc:
                raise data_folder_error(self.path.parent, exc) from None
            owner_only(backup)
        migrations.migration_set().apply(self.db)

    # --- cached scores ---------------------------------------------------------------------------

    def refresh_stale_scores(self) -> int:
        """Recompute every cached score/verdict computed under another scoring rules version than
        its questionnaire version asks for, so lists, the district overview and the heat map
        always agree with the assessment itself. One cheap query when nothing is stale; a
        read-only database is left as it is (logged). Returns how many were recomputed."""
        stale = self.conn.execute(
            "SELECT a.id FROM assessments a LEFT JOIN questionnaire_versions q"
            " ON q.id = a.questionnaire_id AND q.version = a.questionnaire_version"
            " WHERE q.rules_version IS NULL OR a.rules_version != q.rules_version"
        ).fetchall()
        if not stale:
            return 0
        try:
            with self.atomic():
                for (assessment_id,) in stale:
                    assessment = self.get_assessment(assessment_id)
                    try:
                        questionnaire = self.questionnaire_for(assessment)
                    except UserError as exc:  # no readable copy: nothing to score it with
                        log.warning("assessment %s not rescored: %s", assessment_id, exc)
                        continue
                    self._refresh_summary(assessment_id, questionnaire, assessment.profile)
        except UserError as exc:
            log.warning("cached scores not recomputed: %s", exc)
            return 0
        return len(stale)

    def _refresh_summary(
        self,
        assessment_id: str,
        questionnaire: Questionnaire,
        profile: Profile,
        answers: dict[str, Answer] | None = None,
    ) -> None:
        """Write the cached score, verdict, counts and the rules version they were computed under.
        `answers`: the rows the caller has just written, when it holds them (else read here)."""
        from guidecheck.checklist.scoring import score

        if answers is None:
            answers = self.answers(assessment_id)
        result = score(questionnaire, profile, answers)
        self.conn.execute(
            "UPDATE questionnaire_versions SET rules_version = ? WHERE id = ? AND version = ?"
            " AND rules_version IS NOT ?",
            (result.rules_version, questionnaire.id, questionnaire.version, result.rules_version),
        )
        self.conn.execute(
            "UPDATE assessments SET overall_score = ?, verdict = ?, red_flag_count = ?, answered_count = ?,"
            " shown_count = ?, rules_version = ? WHERE id = ?",
            (
                result.overall,
                result.verdict or "",
                len(result.red_flags),
                len(result.visible_items) - len(result.unanswered),
                len(result.visible_items),
                result.rules_version,
                assessment_id,
            ),
        )

    def _ensure_device_id(self) -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
        if row:
            return str(row[0])
        device_id = str(uuid.uuid4())
        with self.atomic():
            self.conn.execute("INSERT INTO meta (key, value) VALUES ('device_id', ?)", (device_id,))
        return device_id

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> StoreBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def atomic(self) -> Iterator[sqlite3.Connection]:
        """One transaction (a savepoint when nested): all of the block is written, or none of it.
        A full or read-only disk becomes one plain sentence; the transaction is rolled back."""
        try:
            with self.db.atomic():
                yield self.conn
        except sqlite3.OperationalError as exc:
            text = str(exc).lower()
            if (
                "disk is full" in text
                or "disk i/o" in text
                or "readonly" in text
                or "read-only" in text
            ):
                raise UserError(
                    _(
                        "Nothing was saved: the disk holding {path} is full or cannot be written ({detail})."
                    ).format(path=self.path, detail=exc)
                ) from None
            raise

    def integrity_check(self) -> str:
        """SQLite's full integrity check: "ok", or the first problem it found."""
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])

    # --- meta --------------------------------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.atomic():
            self.conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value)
            )

    def record_audit(
        self,
        actor: str,
        entity: str,
        entity_id: str,
        action: str,
        field: str = "",
        old: Any = None,
        new: Any = None,
    ) -> None:
        """Append to the audit chain; call inside the transaction that makes the change."""
        audit.append(
            self.conn,
            at=now_iso(),
            actor=actor or "",
            device_id=self.device_id,
            entity=entity,
            entity_id=entity_id,
            action=action,
            field=field,
            old=old,
            new=new,
        )

    def audit_entries(self) -> list[audit.AuditEntry]:
        rows = self.conn.execute(
            "SELECT seq, at, actor, device_id, entity, entity_id, action, field, old, new, prev_hash, hash FROM audit ORDER BY seq"
        )
        return [audit.AuditEntry(*row) for row in rows]

    def verify_audit(self) -> audit.AuditCheck:
        return audit.verify(self.conn)

    # --- questionnaire versions ----------------------------------------------------------------

    def remember_questionnaire(self, questionnaire: Questionnaire) -> None:
        """Keep a copy of this exact version so its assessments stay readable when the file changes."""
        digest = source_sha256(questionnaire.source)
        row = self.conn.execute(
            "SELECT sha256 FROM questionnaire_versions WHERE id = ? AND version = ?",
            (questionnaire.id, questionnaire.version),
        ).fetchone()
        if row is None:
            self.conn.execute(
                "INSERT INTO questionnaire_versions (id, version, sha256, source, added_at, rules_version)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    questionnaire.id,
                    questionnaire.version,
                    digest,
                    questionnaire.source,
                    now_iso(),
                    questionnaire.scoring.rules_version,
                ),
            )
        elif row[0] != digest:
            raise UserError(
                _(
                    "Questionnaire {id} version {version} differs from the copy already used here; give the changed file a new version."
                ).format(id=questionnaire.id, version=questionnaire.version)
            )

    def stored_questionnaire(self, questionnaire_id: str, version: str) -> Questionnaire:
        """The stored copy, parsed once per process: looked up by its digest, so a hub importing
        a thousand bundles does not read and hash the whole source for each of them."""
        where = (questionnaire_id, version)
        row = self.conn.execute(
            "SELECT sha256 FROM questionnaire_versions WHERE id = ? AND version = ?", where
        ).fetchone()
        if row is None:
            raise NotFound(
                _("Questionnaire {id} version {version} is not in this database.").format(
                    id=questionnaire_id, version=version
                )
            )
        key = (questionnaire_id, version, str(row[0]))
        parsed = _STORED.get(key)
        if parsed is None:
            (source,) = self.conn.execute(
                "SELECT source FROM questionnaire_versions WHERE id = ? AND version = ?", where
            ).fetchone()
            parsed = _parse_cached(source, f"{questionnaire_id} {version} (stored copy)")
            if len(_STORED) >= 32:
                _STORED.pop(next(iter(_STORED)))
            _STORED[key] = parsed
        return parsed

    def questionnaire_for(self, assessment: Assessment) -> Questionnaire:
        return self.stored_questionnaire(
            assessment.questionnaire_id, assessment.questionnaire_version
        )

    # --- facilities and tools ------------------------------------------------------------------

    def upsert_facility_and_tool(self, profile: Profile) -> str:
        """Register the profile's facility and tool (newest details win); returns the tool id."""
        stamp = now_iso()
        self.conn.execute(
            "INSERT INTO facilities (code, name, district, region, updated_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(code) DO UPDATE SET name = excluded.name, district = excluded.district,"
            " region = excluded.region, updated_at = excluded.updated_at",
            (profile.facility_code, profile.facility_name, profile.district, profile.region, stamp),
        )
        tool_id = tool_id_for(
            profile.facility_code, profile.tool_name, profile.tool_vendor, profile.tool_version
        )
        self.conn.execute(
            "INSERT INTO tools (id, facility_code, name, vendor, version, intended_use, date_deployed, use_category, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET intended_use = excluded.intended_use,"
            " date_deployed = excluded.date_deployed, use_category = excluded.use_category, updated_at = excluded.updated_at",
            (
                tool_id,
                profile.facility_code,
                profile.tool_name,
                profile.tool_vendor,
                profile.tool_version,
                profile.tool_intended_use,
                profile.tool_date_deployed,
                profile.use_category,
                stamp,
            ),
        )
        return tool_id

    def facilities(self) -> list[Facility]:
        rows = self.conn.execute(
            "SELECT code, name, district, region FROM facilities ORDER BY name, code"
        )
        return [Facility(*row) for row in rows]

    def tools(self, facility_code: str | None = None) -> list[Tool]:
        sql = "SELECT id, facility_code, name, vendor, version, intended_use, date_deployed, use_category FROM tools"
        params: tuple[str, ...] = ()
        if facility_code is not None:
            sql += " WHERE facility_code = ?"
            params = (facility_code,)
        return [Tool(*row) for row in self.conn.execute(sql + " ORDER BY name, version", params)]

    # --- reading assessments -------------------------------------------------------------------

    def get_assessment(self, assessment_id: str) -> Assessment:
        row = self.conn.execute(
            f"SELECT {_ASSESSMENT_COLUMNS} FROM assessments WHERE id = ?", (assessment_id,)
        ).fetchone()
        if row is None:
            raise NotFound(_("There is no assessment with id {id}.").format(id=assessment_id))
        return assessment_from_row(row)

    def find_assessment(self, id_or_prefix: str) -> Assessment:
        """An assessment by full id or a unique prefix of at least 6 characters (as the CLI shows)."""
        if len(id_or_prefix) >= 6:
            rows = self.conn.execute(
                "SELECT id FROM assessments WHERE id LIKE ? LIMIT 2",
                (id_or_prefix.replace("%", "") + "%",),
            ).fetchall()
            if len(rows) == 1:
                return self.get_assessment(rows[0][0])
        return self.get_assessment(id_or_prefix)

    def answers(self, assessment_id: str) -> dict[str, Answer]:
        rows = self.conn.execute(
            "SELECT item_id, value_json, note, answered_at, answered_by FROM answers WHERE assessment_id = ?",
            (assessment_id,),
        )
        return {row[0]: Answer(row[0], json.loads(row[1]), row[2], row[3], row[4]) for row in rows}

    def revisions(self, lineage_id: str) -> list[Assessment]:
        rows = self.conn.execute(
            f"SELECT {_ASSESSMENT_COLUMNS} FROM assessments WHERE lineage_id = ? ORDER BY revision, created_at",
            (lineage_id,),
        )
        return [assessment_from_row(row) for row in rows]

    def list_assessments(self) -> list[AssessmentSummary]:
        """Latest revision of every assessment, newest first; one query, no scoring."""
        rows = self.conn.execute(
            """
            SELECT a.id, a.lineage_id, a.revision, a.status, a.facility_code,
                   json_extract(a.profile_json, '$.facility_name'), json_extract(a.profile_json, '$.tool_name'),
                   json_extract(a.profile_json, '$.date'), a.overall_score, a.verdict, a.red_flag_count,
                   a.answered_count, a.shown_count, a.updated_at, a.questionnaire_id, a.questionnaire_version
            FROM assessments a
            WHERE a.superseded = 0 AND NOT EXISTS (
                SELECT 1 FROM assessments b WHERE b.lineage_id = a.lineage_id AND b.superseded = 0
                AND (b.revision > a.revision OR (b.revision = a.revision AND b.id > a.id)))
            ORDER BY a.updated_at DESC
            """
        )
        return [AssessmentSummary(*row) for row in rows]


_ASSESSMENT_COLUMNS = (
    "id, lineage_id, revision, replaces, questionnaire_id, questionnaire_version, status, profile_json,"
    " created_at, updated_at, facility_code, tool_id, sign_off_json, finalized_at, current_domain,"
    " origin_device, superseded, conflict"
)


def assessment_from_row(row: tuple[Any, ...]) -> Assessment:
    sign_off = json.loads(row[12]) if row[12] else None
    return Assessment(
        id=row[0],
        lineage_id=row[1],
        revision=row[2],
        replaces=row[3],
        questionnaire_id=row[4],
        questionnaire_version=row[5],
        status=row[6],
        profile=Profile.from_dict(json.loads(row[7])),
        created_at=row[8],
        updated_at=row[9],
        facility_code=row[10],
        tool_id=row[11],
        sign_off=SignOff(**sign_off) if sign_off else None,
        finalized_at=row[13],
        current_domain=row[14],
        origin_device=row[15],
        superseded=bool(row[16]),
        conflict=bool(row[17]),
    )


# (id, version, sha256 of the source) -> parsed stored copy; (id, version) is the table's key and
# a stored source never changes under its digest, so an entry can only be the row it was read from.
_STORED: dict[tuple[str, str, str], Questionnaire] = {}


def remember_parsed(questionnaire: Questionnaire, sha256: str) -> None:
    """Keep a checklist already parsed from a source whose digest is `sha256`, so that
    `stored_questionnaire` does not parse it a second time once that source is stored (a hub
    checks a new checklist from a bundle, then scores its answers with it)."""
    if len(_STORED) >= 32:
        _STORED.pop(next(iter(_STORED)))
    _STORED[(questionnaire.id, questionnaire.version, sha256)] = questionnaire


@lru_cache(maxsize=32)
def _parse_cached(source: str, label: str) -> Questionnaire:
    return parse_questionnaire_text(source, label)
