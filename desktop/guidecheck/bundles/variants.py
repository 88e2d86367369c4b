"""Every version of an assessment a hub received, and which one stands: any import order gives
the same result.

Every version ("variant") of an assessment ever received is kept in `bundle_variants`. A variant is
the clinic-authored content only: the hub's own columns (`superseded`, `conflict`, cached scores)
are never part of it, so an officer's decision on the hub cannot look like a new version.
The row in `assessments` is the greatest variant by (final before draft, updated_at, content hash)
and its conflict flag is a function of the variant set of its lineage revision (`settle`). Since
the outcome depends only on the set of bundles imported, importing twice or in another order
changes nothing. A decision recorded in `district_resolutions` is part of that function: while the
revision's versions are exactly those the officer chose among, the chosen one stands and nothing is
flagged; any version the officer has not seen flags the revision again.
Called by `apply.apply_payload` and by the officer's decisions (`district/conflicts.py`), inside
their transaction.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from guidecheck.bundles.payload import COLUMNS
from guidecheck.canonical import canonical_json, canonical_sha256

# Carried by the payload format but decided by the hub alone: ignored on import, never in a variant.
HUB_COLUMNS: tuple[str, ...] = ("superseded",)
ROW_COLUMNS = tuple(c for c in COLUMNS["assessments"] if c not in HUB_COLUMNS)
ANSWER_COLUMNS = tuple(COLUMNS["answers"])


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


def clinic_body(record: dict[str, Any]) -> dict[str, Any]:
    """The clinic-authored content of a received assessment record: what a variant is made of."""
    body = {c: record[c] for c in ROW_COLUMNS}
    body["answers"] = sorted(
        ({c: a[c] for c in ANSWER_COLUMNS} for a in record["answers"]), key=lambda a: a["item_id"]
    )
    return body


def current_sha256(conn: sqlite3.Connection, assessment_id: str) -> str | None:
    """Content hash of the assessment as stored now (to mark it among its received variants)."""
    body = body_from_db(conn, assessment_id)
    return body_sha256(body) if body is not None else None


def body_from_db(conn: sqlite3.Connection, assessment_id: str) -> dict[str, Any] | None:
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


def remember(conn: sqlite3.Connection, assessment_id: str, encoded: Encoded) -> None:
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


def write_row(conn: sqlite3.Connection, body: dict[str, Any]) -> None:
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


def flagged_ids(conn: sqlite3.Connection, lineages: set[str]) -> set[str]:
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
                    write_row(conn, json.loads(_variant_body(conn, assessment_id, target)))
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
