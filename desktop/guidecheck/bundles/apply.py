"""Apply a verified bundle's records to the hub database, so that any import order gives the same result.

Every version ("variant") of an assessment ever received is kept in `bundle_variants`. A variant is
the clinic-authored content only: the hub's own columns (`superseded`, `conflict`, cached scores)
are never part of it, so an officer's decision on the hub cannot look like a new version.
The row in `assessments` is the greatest variant by (final before draft, updated_at, content hash)
and its conflict flag is a function of the variant set of its lineage revision (`settle`). Since
the outcome depends only on the set of bundles imported, importing twice or in another order
changes nothing. A decision recorded in `district_resolutions` is part of that function: while the
revision's versions are exactly those the officer chose among, the chosen one stands and nothing is
flagged; any version the officer has not seen flags the revision again.
Call `apply_payload` inside `store.atomic()`: the caller's transaction makes it all-or-nothing.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from itertools import combinations
from operator import itemgetter
from typing import Any

from guidecheck.bundles import audit_check
from guidecheck.bundles.enrolment import transfer_target
from guidecheck.bundles.errors import BundleRefused
from guidecheck.bundles.manifest import Manifest
from guidecheck.bundles.payload import COLUMNS, Payload
from guidecheck.bundles.tool_binding import check_assessment_tools
from guidecheck.canonical import canonical_json, canonical_sha256
from guidecheck.checklist.model import Answer, Profile
from guidecheck.i18n import _
from guidecheck.monitoring import bundle as monitoring
from guidecheck.safetext import for_terminal

# Carried by the payload format but decided by the hub alone: ignored on import, never in a variant.
HUB_COLUMNS: tuple[str, ...] = ("superseded",)
ROW_COLUMNS = tuple(c for c in COLUMNS["assessments"] if c not in HUB_COLUMNS)
ANSWER_COLUMNS = tuple(COLUMNS["answers"])


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


@dataclass(frozen=True)
class Variant:
    sha256: str
    updated_at: str
    status: str

    @property
    def rank(self) -> tuple[bool, str, str]:
        """Final before any draft (a draft dated in the future never hides the final), then newest."""
        return (self.status == "final", self.updated_at, self.sha256)


def body_sha256(body: dict[str, Any]) -> str:
    return canonical_sha256(body)


@dataclass(frozen=True)
class Encoded:
    """A body with its canonical text and hash, encoded once (70 answers take about a
    millisecond to encode; a received body used to be encoded four times)."""

    body: dict[str, Any]
    text: str
    sha256: str

    @classmethod
    def of(cls, body: dict[str, Any]) -> Encoded:
        raw = canonical_json(body)
        return cls(body, raw.decode("utf-8"), hashlib.sha256(raw).hexdigest())


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
        _check_binding(conn, manifest.device_id, payload, set(facilities))
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
            _check_origin(conn, record, manifest.device_id)
            questionnaire, answers = _check_answers(store, record)
            checked[record["id"]] = (record, questionnaire, answers)
            before[record["id"]], known[record["id"]] = _receive(conn, record)
            lineages.add(record["lineage_id"])
        flagged_before = _flagged(conn, lineages)
        changed = settle(conn, lineages, known)
        for assessment_id, sha in before.items():
            if sha is None:
                result.new += 1
            elif assessment_id in changed:
                result.updated += 1
            else:
                result.unchanged += 1
        result.changed_ids = sorted(changed | {i for i, sha in before.items() if sha is None})
        result.conflicts = len(_flagged(conn, lineages) - flagged_before)
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


def _check_binding(
    conn: sqlite3.Connection, device_id: str, payload: Payload, allowed: set[str]
) -> None:
    """A device writes only the facilities it is approved for, and moves no tool out of another."""
    outside = sorted(payload.facility_codes() - allowed)
    if outside:
        raise BundleRefused(
            _(
                "Device {device} is not approved for facility {code}; nothing from this bundle was imported."
            ).format(device=device_id, code=for_terminal(outside[0][:100]))
        )
    for tool in payload.tools:
        row = conn.execute("SELECT facility_code FROM tools WHERE id = ?", (tool["id"],)).fetchone()
        if row is not None and row[0] not in allowed:
            raise BundleRefused(
                _(
                    "The bundle changes tool {id} of facility {code}, which device {device} is not approved for."
                ).format(id=for_terminal(tool["id"][:80]), code=row[0], device=device_id)
            )
    check_assessment_tools(conn, payload, allowed)  # and an assessment's tool is its facility's
    # A monitoring record names its facility and its tool: the tool must be one of those too.
    bundled = {t["id"]: t["facility_code"] for t in payload.tools}
    for record in payload.monitoring_events + payload.monitoring_tallies:
        code = bundled.get(record["tool_id"])
        if code is None:
            row = conn.execute(
                "SELECT facility_code FROM tools WHERE id = ?", (record["tool_id"],)
            ).fetchone()
            code = row[0] if row is not None else record["facility_code"]
        if code not in allowed or code != record["facility_code"]:
            raise BundleRefused(
                _(
                    "The bundle carries a monitoring record for tool {id} of facility {code}, which device {device} is not approved for."
                ).format(
                    id=for_terminal(record["tool_id"][:80]),
                    code=for_terminal(code[:100]),
                    device=device_id,
                )
            )


def _shipped_files() -> set[str]:
    """Hashes of the shipped checklist files' text, read without parsing them (cheap)."""
    from guidecheck.checklist.loading import source_sha256
    from guidecheck.paths import questionnaires_dir

    found = set()
    for path in sorted(questionnaires_dir().glob("*.yaml")):
        try:
            found.add(source_sha256(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            continue
    return found


def _shipped_sha256(questionnaire_id: str, version: str) -> str | None:
    """Hash of the checklist text this app ships for that id and version, if it ships one."""
    from guidecheck.checklist.loading import source_sha256
    from guidecheck.storage.catalog import shipped_questionnaires

    for q in shipped_questionnaires().questionnaires:
        if q.id == questionnaire_id and q.version == version:
            return source_sha256(q.source)
    return None


def _apply_questionnaires(conn: sqlite3.Connection, payload: Payload, stamp: str) -> int:
    added = 0
    for version in payload.questionnaire_versions:
        row = conn.execute(
            "SELECT sha256 FROM questionnaire_versions WHERE id = ? AND version = ?",
            (version["id"], version["version"]),
        ).fetchone()
        if (row is None or row[0] != version["sha256"]) and version[
            "sha256"
        ] not in _shipped_files():
            # Not yet here and not byte-identical to a shipped file: it must not claim the id and
            # version of a checklist this app ships.
            shipped = _shipped_sha256(version["id"], version["version"])
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
            _check_questionnaire(version)
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


def _check_questionnaire(version: dict[str, Any]) -> None:
    """A checklist new to this hub must parse and be the id and version it claims to be."""
    from guidecheck.checklist.loading import parse_questionnaire_text
    from guidecheck.errors import QuestionnaireError
    from guidecheck.storage.database import remember_parsed

    label = f"{version['id']} {version['version']}"
    try:
        parsed = parse_questionnaire_text(version["source"], label)
    except QuestionnaireError as exc:
        raise BundleRefused(
            _("The bundle holds a questionnaire that cannot be read ({problem}).").format(
                problem=exc.message
            )
        ) from exc
    if (parsed.id, parsed.version) != (version["id"], version["version"]):
        raise BundleRefused(
            _("The bundle holds a questionnaire that is not the version it claims to be.")
        )
    remember_parsed(parsed, version["sha256"])  # its answers are checked and scored with it next


def _check_origin(conn: sqlite3.Connection, record: dict[str, Any], device_id: str) -> None:
    """A device speaks only for the assessments it recorded: no overwriting another clinic's work."""
    row = conn.execute(
        "SELECT origin_device FROM assessments WHERE id = ?", (record["id"],)
    ).fetchone()
    moved = transfer_target(conn, record["lineage_id"]) == device_id
    if record["origin_device"] != device_id or (
        row is not None and row[0] != device_id and not moved
    ):
        raise BundleRefused(
            _(
                "The bundle carries an assessment recorded on another device; only its own device may send it."
            )
        )
    others = conn.execute(
        "SELECT DISTINCT origin_device FROM assessments WHERE lineage_id = ? AND origin_device != ?",
        (record["lineage_id"], device_id),
    ).fetchall()
    if others and not moved:
        raise BundleRefused(
            _(
                "The bundle adds to assessment lineage {id}, which belongs to device {owner}; only that device may add revisions (or the officer transfers the lineage)."
            ).format(id=for_terminal(record["lineage_id"][:80]), owner=others[0][0])
        )


def _check_answers(store: Any, record: dict[str, Any]) -> tuple[Any, dict[str, Answer]]:
    """Every answer must fit its item, as the clinic's store already made sure: refuse otherwise.
    Returns the questionnaire and the answers as the store reads them back (to score them)."""
    from guidecheck.checklist.answers import normalize_value
    from guidecheck.errors import UserError

    questionnaire = store.stored_questionnaire(
        record["questionnaire_id"], record["questionnaire_version"]
    )
    answers: dict[str, Answer] = {}
    for answer in record["answers"]:
        item = questionnaire.item(answer["item_id"])
        try:
            if item is None:
                raise UserError(answer["item_id"])
            value = json.loads(answer["value_json"])
            normalize_value(item, value)
        except UserError as exc:
            raise BundleRefused(
                _(
                    "The bundle holds an answer that does not fit its questionnaire (item {item})."
                ).format(item=answer["item_id"][:80])
            ) from exc
        answers[answer["item_id"]] = Answer(
            answer["item_id"], value, answer["note"], answer["answered_at"], answer["answered_by"]
        )
    return questionnaire, answers


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


def clinic_body(record: dict[str, Any]) -> dict[str, Any]:
    """The clinic-authored content of a received assessment record: what a variant is made of."""
    body = {c: record[c] for c in ROW_COLUMNS}
    body["answers"] = sorted(
        ({c: a[c] for c in ANSWER_COLUMNS} for a in record["answers"]), key=lambda a: a["item_id"]
    )
    return body


def _receive(conn: sqlite3.Connection, record: dict[str, Any]) -> tuple[str | None, str]:
    """Keep the received version; add the row if the id is new. Returns the row's content hash before and now."""
    received = Encoded.of(clinic_body(record))
    _check_final(conn, record["id"], received)
    found = _body_from_db(conn, record["id"])
    current = Encoded.of(found) if found is not None else None
    if current is not None:
        _remember(conn, record["id"], current)  # a hub-side edit of clinic content is a variant too
    _remember(conn, record["id"], received)
    if current is None:
        # `settle` picks the content; the row must exist for its lineage query
        _write_row(conn, received.body)
        return None, received.sha256
    return current.sha256, current.sha256


def _check_final(conn: sqlite3.Connection, assessment_id: str, received: Encoded) -> None:
    """A final assessment never changes here: another body for its id is refused and named.

    An older draft of it is history and still kept (replaying an old bundle changes nothing);
    a second final, or a draft dated at or after the final, is a change that must come as a
    new revision.
    """
    sha, body = received.sha256, received.body
    finals = conn.execute(
        "SELECT sha256, updated_at FROM bundle_variants WHERE assessment_id = ? AND status = 'final'",
        (assessment_id,),
    ).fetchall()
    row = conn.execute(
        "SELECT status, updated_at FROM assessments WHERE id = ?", (assessment_id,)
    ).fetchone()
    if row is not None and row[0] == "final":
        current = current_sha256(conn, assessment_id)
        if current is not None:
            finals.append((current, row[1]))
    if any(final_sha == sha for final_sha, _at in finals):
        return
    for _sha, final_at in finals:
        if body["status"] == "final" or body["updated_at"] >= final_at:
            raise BundleRefused(
                _(
                    "The bundle changes assessment {id}, which is already final here; changes to a final assessment must come as a new revision."
                ).format(id=for_terminal(assessment_id[:80]))
            )


def current_sha256(conn: sqlite3.Connection, assessment_id: str) -> str | None:
    """Content hash of the assessment as stored now (to mark it among its received variants)."""
    body = _body_from_db(conn, assessment_id)
    return body_sha256(body) if body is not None else None


def _body_from_db(conn: sqlite3.Connection, assessment_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        f"SELECT {', '.join(ROW_COLUMNS)} FROM assessments WHERE id = ?", (assessment_id,)
    ).fetchone()
    if row is None:
        return None
    body = dict(zip(ROW_COLUMNS, row, strict=True))
    answers = conn.execute(
        f"SELECT {', '.join(ANSWER_COLUMNS)} FROM answers WHERE assessment_id = ? ORDER BY item_id",
        (assessment_id,),
    )
    body["answers"] = [dict(zip(ANSWER_COLUMNS, a, strict=True)) for a in answers]
    return body


def _remember(conn: sqlite3.Connection, assessment_id: str, encoded: Encoded) -> None:
    body = encoded.body
    conn.execute(
        "INSERT OR IGNORE INTO bundle_variants (assessment_id, sha256, updated_at, status, body) VALUES (?, ?, ?, ?, ?)",
        (assessment_id, encoded.sha256, body["updated_at"], body["status"], encoded.text),
    )


def _variants(conn: sqlite3.Connection, assessment_id: str) -> list[Variant]:
    rows = conn.execute(
        "SELECT sha256, updated_at, status FROM bundle_variants WHERE assessment_id = ?",
        (assessment_id,),
    )
    return [Variant(*row) for row in rows]


def _variant_body(conn: sqlite3.Connection, assessment_id: str, sha256: str) -> str:
    row = conn.execute(
        "SELECT body FROM bundle_variants WHERE assessment_id = ? AND sha256 = ?",
        (assessment_id, sha256),
    ).fetchone()
    return str(row[0])


def _write_row(conn: sqlite3.Connection, body: dict[str, Any]) -> None:
    columns = list(ROW_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
    conn.execute(
        f"INSERT INTO assessments ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        f" ON CONFLICT(id) DO UPDATE SET {updates}",
        [body[c] for c in columns],
    )
    conn.execute("DELETE FROM answers WHERE assessment_id = ?", (body["id"],))
    conn.executemany(
        f"INSERT INTO answers (assessment_id, {', '.join(ANSWER_COLUMNS)}) VALUES (?{', ?' * len(ANSWER_COLUMNS)})",
        [[body["id"]] + [a[c] for c in ANSWER_COLUMNS] for a in body["answers"]],
    )


def _in_conflict(a: Variant, b: Variant) -> bool:
    """Two different versions that cannot both be honest steps of one assessment's life."""
    if a.updated_at == b.updated_at or (a.status == "final" and b.status == "final"):
        return True
    earlier, later = sorted((a, b), key=lambda v: v.updated_at)
    return earlier.status == "final" and later.status == "draft"


def _flagged(conn: sqlite3.Connection, lineages: set[str]) -> set[str]:
    rows = conn.execute(
        "SELECT id FROM assessments WHERE conflict = 1 AND lineage_id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(lineages)),),
    )
    return {row[0] for row in rows}


@dataclass(frozen=True)
class Decision:
    """An officer's recorded choice for one lineage revision (district_resolutions)."""

    kept_id: str
    kept_sha256: str
    versions: frozenset[str]  # every version the officer chose among


def _decisions(conn: sqlite3.Connection, lineages: set[str]) -> dict[tuple[str, int], Decision]:
    rows = conn.execute(
        "SELECT lineage_id, revision, kept_id, kept_sha256, options_json FROM district_resolutions"
        " WHERE lineage_id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(lineages)),),
    )
    return {(r[0], r[1]): Decision(r[2], r[3], frozenset(json.loads(r[4]))) for r in rows}


def settle(
    conn: sqlite3.Connection, lineages: set[str], known: dict[str, str] | None = None
) -> set[str]:
    """Give every row of these lineages its content and conflict flag; returns the ids whose content changed.

    Per lineage revision: if the officer decided on exactly the versions present (or a superset),
    the kept version stands and nothing is flagged; a decision that misses a version flags every
    row of the revision. Without a decision, the greatest variant stands, and a row is flagged when
    its own variants clash or another row not marked superseded claims the same revision.
    `known` maps ids to the hash of their current content, when the caller already has it.
    """
    known = dict(known or {})
    decisions = _decisions(conn, lineages)
    changed: set[str] = set()
    for lineage_id in sorted(lineages):
        revisions: dict[int, list[tuple[str, bool]]] = {}
        for assessment_id, revision, superseded in conn.execute(
            "SELECT id, revision, superseded FROM assessments WHERE lineage_id = ? ORDER BY id",
            (lineage_id,),
        ):
            revisions.setdefault(revision, []).append((assessment_id, bool(superseded)))
        for revision, members in sorted(revisions.items()):
            variants = {i: _variants(conn, i) for i, _s in members}
            versions = {v.sha256 for found in variants.values() for v in found}
            decision = decisions.get((lineage_id, revision))
            decided = decision is not None and versions <= decision.versions
            live = sum(not superseded for _i, superseded in members)
            for assessment_id, superseded in members:
                found = variants[assessment_id]
                if (
                    decided
                    and decision is not None
                    and assessment_id == decision.kept_id
                    and decision.kept_sha256 in versions
                ):
                    target: str | None = decision.kept_sha256
                else:
                    target = max(found, key=lambda v: v.rank).sha256 if found else None
                current = known.get(assessment_id) or current_sha256(conn, assessment_id)
                if target is not None and target != current:
                    _write_row(conn, json.loads(_variant_body(conn, assessment_id, target)))
                    changed.add(assessment_id)
                if decision is not None:
                    clash = not decided  # a version the officer has not seen: they must look again
                else:
                    clash = not superseded and (
                        live > 1 or any(_in_conflict(a, b) for a, b in combinations(found, 2))
                    )
                conn.execute(
                    "UPDATE assessments SET conflict = ? WHERE id = ?", (int(clash), assessment_id)
                )
    return changed


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
