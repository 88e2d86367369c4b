"""The bundle payload: records collected from the store, and the strict check of a received one.

The payload is JSON with five lists (facilities, tools, questionnaire_versions, assessments with
their answers, audit). Each record's fields are declared in `COLUMNS`; a received record with a
missing, extra or wrongly typed field refuses the whole bundle before the database is touched.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from guidecheck import limits
from guidecheck.bundles.errors import BundleRefused
from guidecheck.bundles.manifest import reject_json_constant, strict_json
from guidecheck.canonical import canonical_json
from guidecheck.checklist.model import PROFILE_FIELDS
from guidecheck.i18n import _

SIGN_OFF_FIELDS: tuple[str, ...] = ("assessor_name", "assessor_role", "facility_head_name", "date")

# field -> (type, nullable). Strings are bounded by MAX_TEXT (questionnaire sources by MAX_SOURCE).
COLUMNS: dict[str, dict[str, tuple[type, bool]]] = {
    "facilities": {"code": (str, False), "name": (str, False), "district": (str, False),
                   "region": (str, False), "updated_at": (str, False)},
    "tools": {"id": (str, False), "facility_code": (str, False), "name": (str, False), "vendor": (str, False),
              "version": (str, False), "intended_use": (str, False), "date_deployed": (str, False),
              "use_category": (str, False), "updated_at": (str, False)},
    "questionnaire_versions": {"id": (str, False), "version": (str, False), "sha256": (str, False),
                               "source": (str, False)},
    "assessments": {"id": (str, False), "lineage_id": (str, False), "revision": (int, False),
                    "replaces": (str, True), "questionnaire_id": (str, False),
                    "questionnaire_version": (str, False), "status": (str, False), "profile_json": (str, False),
                    "facility_code": (str, False), "tool_id": (str, False), "sign_off_json": (str, True),
                    "created_at": (str, False), "updated_at": (str, False), "finalized_at": (str, True),
                    "current_domain": (str, False), "origin_device": (str, False), "superseded": (int, False)},
    "answers": {"item_id": (str, False), "value_json": (str, False), "note": (str, False),
                "answered_at": (str, False), "answered_by": (str, False)},
    "audit": {"seq": (int, False), "at": (str, False), "actor": (str, False), "device_id": (str, False),
              "entity": (str, False), "entity_id": (str, False), "action": (str, False), "field": (str, False),
              "old": (str, True), "new": (str, True), "prev_hash": (str, False), "hash": (str, False)},
}  # fmt: skip
LISTS: tuple[str, ...] = ("facilities", "tools", "questionnaire_versions", "assessments", "audit")
MAX_TEXT = limits.BUNDLE_TEXT
MAX_SOURCE = limits.QUESTIONNAIRE_BYTES  # the questionnaire loader's own limit
MAX_ANSWERS_PER_ASSESSMENT = limits.BUNDLE_ANSWERS_PER_ASSESSMENT


@dataclass(frozen=True)
class Payload:
    """Checked records of one bundle; assessments carry their answers under "answers"."""

    facilities: list[dict[str, Any]]
    tools: list[dict[str, Any]]
    questionnaire_versions: list[dict[str, Any]]
    assessments: list[dict[str, Any]]
    audit: list[dict[str, Any]]

    def counts(self) -> dict[str, int]:
        return {
            "facilities": len(self.facilities),
            "tools": len(self.tools),
            "assessments": len(self.assessments),
            "answers": sum(len(a["answers"]) for a in self.assessments),
            "audit": len(self.audit),
            "questionnaire_versions": len(self.questionnaire_versions),
        }

    def to_json(self) -> bytes:
        data = {name: getattr(self, name) for name in LISTS}
        return canonical_json(data)


def collect(
    conn: sqlite3.Connection, since: str | None, audit_after: int, device_id: str
) -> Payload:
    """Everything changed since `since` (None = everything), with what it needs to stand alone.

    A changed assessment brings every revision of its lineage, and the facilities, tools and
    questionnaire versions those revisions refer to, so the hub never lacks a referenced row.
    """
    if since is None:
        lineages = [
            r[0] for r in conn.execute("SELECT DISTINCT lineage_id FROM assessments ORDER BY 1")
        ]
    else:
        lineages = [r[0] for r in conn.execute(
            "SELECT DISTINCT lineage_id FROM assessments WHERE updated_at >= ?1 OR id IN"
            " (SELECT assessment_id FROM answers WHERE answered_at >= ?1) ORDER BY 1", (since,))]  # fmt: skip
    assessments = _rows(conn, "assessments", "lineage_id IN (SELECT value FROM json_each(?)) ORDER BY lineage_id, revision, id",
                        (json.dumps(lineages),))  # fmt: skip
    answer_cols = ", ".join(COLUMNS["answers"])
    for record in assessments:
        record["origin_device"] = record["origin_device"] or device_id
        rows = conn.execute(
            f"SELECT {answer_cols} FROM answers WHERE assessment_id = ? ORDER BY item_id",
            (record["id"],),
        )
        record["answers"] = [dict(zip(COLUMNS["answers"], row, strict=True)) for row in rows]
    tool_ids = sorted({a["tool_id"] for a in assessments})
    changed = "1" if since is None else "updated_at >= ?2"
    tools = _rows(conn, "tools", f"(id IN (SELECT value FROM json_each(?1)) OR {changed}) ORDER BY id",
                  (json.dumps(tool_ids),) + (() if since is None else (since,)))  # fmt: skip
    codes = sorted({a["facility_code"] for a in assessments} | {t["facility_code"] for t in tools})
    facilities = _rows(conn, "facilities", f"(code IN (SELECT value FROM json_each(?1)) OR {changed}) ORDER BY code",
                       (json.dumps(codes),) + (() if since is None else (since,)))  # fmt: skip
    versions = sorted({(a["questionnaire_id"], a["questionnaire_version"]) for a in assessments})
    questionnaire_versions = [
        dict(zip(COLUMNS["questionnaire_versions"], row, strict=True))
        for key in versions
        for row in conn.execute(
            "SELECT id, version, sha256, source FROM questionnaire_versions WHERE id = ? AND version = ?",
            key,
        )
    ]
    audit = _rows(conn, "audit", "seq > ? ORDER BY seq", (audit_after,))
    return Payload(facilities, tools, questionnaire_versions, assessments, audit)


def _rows(
    conn: sqlite3.Connection, table: str, where: str, params: tuple[Any, ...]
) -> list[dict[str, Any]]:
    columns = list(COLUMNS[table])
    rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE {where}", params)
    return [dict(zip(columns, row, strict=True)) for row in rows]


def parse_payload(raw: bytes) -> Payload:
    """Decode and check a received payload's shape; references are checked when it is applied."""
    bad = BundleRefused(_("The bundle's records are not in the expected form."))
    data = strict_json(raw, "utf-8", bad)
    if not isinstance(data, dict) or set(data) != set(LISTS) or not _utf8(data):
        raise bad
    for name in LISTS:
        records = data[name]
        if not isinstance(records, list) or not all(_valid(name, r) for r in records):
            raise bad
    for assessment in data["assessments"]:
        answers = assessment["answers"]
        if len(answers) > MAX_ANSWERS_PER_ASSESSMENT or len({a["item_id"] for a in answers}) != len(
            answers
        ):
            raise bad
        if assessment["status"] not in ("draft", "final") or not _strings(
            assessment["profile_json"], PROFILE_FIELDS
        ):
            raise bad
        if assessment["sign_off_json"] is not None and not _strings(
            assessment["sign_off_json"], SIGN_OFF_FIELDS, exact=True
        ):
            raise bad
        if assessment["revision"] < 1 or assessment["superseded"] not in (0, 1):
            raise bad
        if not all(_json_value(a["value_json"]) for a in answers):
            raise bad
    for name, key in (("facilities", ("code",)), ("tools", ("id",)), ("assessments", ("id",)),
                      ("questionnaire_versions", ("id", "version")), ("audit", ("seq",))):  # fmt: skip
        keys = [tuple(r[k] for k in key) for r in data[name]]
        if len(set(keys)) != len(keys):
            raise bad
    from guidecheck.checklist.loading import source_sha256

    for version in data["questionnaire_versions"]:
        if source_sha256(version["source"]) != version["sha256"]:
            raise bad
    return Payload(*(data[name] for name in LISTS))


def audit_chain_problem(entries: list[dict[str, Any]]) -> int | None:
    """Seq of the first clinic audit entry whose hash or link does not hold, or None when intact.

    Checked within the bundle only (an incremental bundle starts mid-chain); the hub shows the
    result, it does not refuse the records: a broken chain is evidence for the officer to see.
    """
    from guidecheck.storage.audit import entry_hash

    previous: dict[str, Any] | None = None
    for entry in sorted(entries, key=lambda e: e["seq"]):
        if entry_hash(entry["prev_hash"], entry) != entry["hash"]:
            return int(entry["seq"])
        if (
            previous is not None
            and entry["seq"] == previous["seq"] + 1
            and entry["prev_hash"] != previous["hash"]
        ):
            return int(entry["seq"])
        previous = entry
    return None


def _valid(table: str, record: Any) -> bool:
    if not isinstance(record, dict):
        return False
    columns = COLUMNS[table]
    expected = set(columns) | ({"answers"} if table == "assessments" else set())
    if set(record) != expected:
        return False
    limit = MAX_SOURCE if table == "questionnaire_versions" else MAX_TEXT
    for name, (kind, nullable) in columns.items():
        value = record[name]
        if value is None:
            if not nullable:
                return False
        elif type(value) is not kind or (isinstance(value, str) and len(value) > limit):
            return False
        elif isinstance(value, int) and not -(2**62) < value < 2**62:
            return False
    if table == "assessments":
        answers = record["answers"]
        return isinstance(answers, list) and all(_valid("answers", a) for a in answers)
    return True


def _strings(text: str, fields: tuple[str, ...], exact: bool = False) -> bool:
    """A JSON object of text values whose keys are among (or, with `exact`, exactly) `fields`."""
    try:
        data = json.loads(text, parse_constant=reject_json_constant)
    except (ValueError, RecursionError):
        return False
    if (
        not isinstance(data, dict)
        or not all(isinstance(v, str) for v in data.values())
        or not _utf8(data)
    ):
        return False
    return set(data) == set(fields) if exact else set(data) <= set(fields)


def _json_value(text: str) -> bool:
    try:
        value = json.loads(text, parse_constant=reject_json_constant)
    except (ValueError, RecursionError):
        return False
    return _utf8(value)


def _utf8(value: Any) -> bool:
    """False when a string anywhere in `value` is not valid Unicode (a lone surrogate from a JSON escape)."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, RecursionError):
        return False
    return True
