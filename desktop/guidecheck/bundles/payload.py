"""The bundle payload: records collected from the store, and the strict check of a received one.

The payload is JSON with five lists (facilities, tools, questionnaire_versions, assessments with
their answers, audit). Each record's fields are declared in `COLUMNS`; a received record with a
missing, extra or wrongly typed field refuses the whole bundle before the database is touched.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from typing import Any

from guidecheck import limits
from guidecheck.bundles.boundedjson import count_tokens, loads_bounded, loads_small
from guidecheck.bundles.errors import BundleRefused
from guidecheck.canonical import canonical_json
from guidecheck.checklist.model import PROFILE_FIELDS
from guidecheck.i18n import _

SIGN_OFF_FIELDS: tuple[str, ...] = ("assessor_name", "assessor_role", "facility_head_name", "date")

# field -> (type, nullable). Strings are bounded by FIELD_LIMITS (SHORT_TEXT when not listed).
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
# The same limits as the clinic's store: profile fields 500 characters, notes and text answers
# 10,000 (a JSON value of such a text, escaped, stays under 64,000). Fields not named: SHORT_TEXT.
SHORT_TEXT = limits.PROFILE_FIELD
MAX_SOURCE = limits.QUESTIONNAIRE_BYTES  # the questionnaire loader's own limit
FIELD_LIMITS: dict[tuple[str, str], int] = {
    ("questionnaire_versions", "source"): MAX_SOURCE,
    ("assessments", "profile_json"): 20_000,
    ("assessments", "sign_off_json"): 4_000,
    ("answers", "value_json"): 64_000,
    ("answers", "note"): limits.ANSWER_TEXT,
    ("audit", "old"): 80_000,
    ("audit", "new"): 80_000,
}
MAX_TEXT = max(FIELD_LIMITS.values())  # kept for callers that ask for the largest field
MAX_ANSWERS_PER_ASSESSMENT = limits.BUNDLE_ANSWERS_PER_ASSESSMENT
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")
# Bounds checked on the raw JSON before decoding (see boundedjson): at most this many values in
# all (a clinic's full history is far below it), and no string longer than a checklist source
# written with escapes.
MAX_TOKENS = 1_500_000
MAX_STRING_BYTES = 6 * MAX_SOURCE + 2


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

    def facility_codes(self) -> set[str]:
        """Every facility code the records name: the set the manifest's list must equal."""
        return (
            {f["code"] for f in self.facilities}
            | {t["facility_code"] for t in self.tools}
            | {a["facility_code"] for a in self.assessments}
        )

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


def token_budget(counts: dict[str, int] | None) -> int:
    """Values the manifest's counts allow (each field, key and separator), capped by MAX_TOKENS."""
    if counts is None:
        return MAX_TOKENS
    per = {name: 3 * len(COLUMNS[name]) + 4 for name in COLUMNS}
    names = {"facilities": "facilities", "tools": "tools", "assessments": "assessments",
             "answers": "answers", "audit": "audit", "questionnaire_versions": "questionnaire_versions"}  # fmt: skip
    need = 64 + sum(per[names[k]] * int(counts.get(k, 0)) for k in names)
    return min(need, MAX_TOKENS)


def parse_payload(
    raw: bytes | bytearray, counts: dict[str, int] | None = None, consume: bool = False
) -> Payload:
    """Decode and check a received payload's shape; references are checked when it is applied.

    Decoding is bounded by what the manifest's `counts` allow (and MAX_TOKENS), checked on the raw
    bytes before any object is built; `consume` releases a bytearray's buffer once decoded.
    """
    bad = BundleRefused(_("The bundle's records are not in the expected form."))
    too_big = BundleRefused(
        _("The bundle holds more records or longer texts than its manifest and the format allow.")
    )
    try:
        count_tokens(raw, token_budget(counts), MAX_STRING_BYTES)
    except ValueError as exc:
        raise too_big from exc
    surrogates = _ESCAPED_SURROGATE.search(raw) is not None  # only an escape can make a lone one
    data = loads_bounded(
        raw, "utf-8", bad, MAX_TOKENS, MAX_STRING_BYTES, consume=consume, scanned=True
    )
    if not isinstance(data, dict) or set(data) != set(LISTS) or (surrogates and not _utf8(data)):
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
    for name, (kind, nullable) in columns.items():
        value = record[name]
        if value is None:
            if not nullable:
                return False
        elif type(value) is not kind or (
            isinstance(value, str) and len(value) > FIELD_LIMITS.get((table, name), SHORT_TEXT)
        ):
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
        data = loads_small(text)
    except (ValueError, RecursionError):
        return False
    if (
        not isinstance(data, dict)
        or not all(isinstance(v, str) and len(v) <= SHORT_TEXT for v in data.values())
        or not _utf8(data)
    ):
        return False
    return set(data) == set(fields) if exact else set(data) <= set(fields)


def _json_value(text: str) -> bool:
    try:
        value = loads_small(text)
    except (ValueError, RecursionError):
        return False
    return _utf8(value)


def _utf8(value: Any) -> bool:
    """False when a string anywhere in `value` is not valid Unicode (a lone surrogate from a JSON escape).

    Each string is checked on its own, so no copy of the whole payload is ever made.
    """
    stack = [value]
    try:
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                item.encode("utf-8")
            elif isinstance(item, dict):
                stack.extend(item.keys())
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    except UnicodeEncodeError:
        return False
    return True
