"""The hub's check of a clinic's audit log, once per imported bundle: chained, continued, replayed.

A bundle (format 3 on) carries the clinic's audit head inside its signed manifest (`AuditHead`):
the entries in the payload must chain from `after_hash` to the signed `hash`, the entry at
`after_seq` must be the one the hub already holds from an earlier bundle of that device (a log
rewritten since does not extend it), and each assessment in the bundle must be what the log,
replayed from the entries the hub holds plus the new ones, says it is.

A failed check never refuses the bundle: its records are applied as the trust rules decide and
each assessment is marked in `hub_audit_checks` with a status and one plain sentence:
`ok`, `flagged` (the reason says what did not hold) or `not_checked` (a bundle from an earlier
GuideCheck, or entries the hub has not received yet). The same bundle gives the same marks when
imported again. The work is a few indexed reads per bundle, plus one replay of the device's log
when the bundle carries assessments.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from guidecheck.bundles.audit_chain import chain_problem, in_order
from guidecheck.bundles.manifest import AuditHead, Manifest
from guidecheck.bundles.payload import Payload
from guidecheck.i18n import _
from guidecheck.storage.audit_replay import ENTRY_COLUMNS, compare_assessment, replay

OK, FLAGGED, NOT_CHECKED = "ok", "flagged", "not_checked"
STATUSES = (OK, FLAGGED, NOT_CHECKED)
MAX_NAMED = (
    3  # differences named in one reason; the officer runs `audit verify` at the clinic for all
)


@dataclass(frozen=True)
class AuditMark:
    """How an assessment's audit log was found at this hub (the worst of its bundles)."""

    status: str
    reason: str = ""

    @property
    def flagged(self) -> bool:
        return self.status == FLAGGED

    def label(self) -> str:
        """A short word for tables and columns."""
        return {OK: _("checked"), FLAGGED: _("FLAGGED"), NOT_CHECKED: _("not checked")}[self.status]

    def as_json(self) -> dict[str, str]:
        return {"status": self.status, "reason": self.reason}


class Unchecked:
    """`check_bundle(chain=...)` not given: the chain is checked there."""


UNCHECKED = Unchecked()


def check_bundle(
    conn: sqlite3.Connection,
    manifest: Manifest,
    payload: Payload,
    chain: str | None | Unchecked = UNCHECKED,
) -> list[str]:
    """Check one bundle's audit log and mark each of its assessments; returns the ids flagged.

    Call inside the import's transaction, before the bundle's entries are stored. `chain`: the
    answer of `audit_chain.chain_problem` for this bundle when its verification already gave it
    (`OpenedBundle.chain_problem`); the chain is then not hashed a second time.
    """
    device = manifest.device_id
    ids = [str(a["id"]) for a in payload.assessments]
    head = manifest.audit_head
    if head is None:
        marks = dict.fromkeys(ids, _unsigned(conn, device, manifest.created_at))
    else:
        conn.execute(
            "INSERT OR IGNORE INTO hub_audit_heads (bundle_id, device_id, after_seq, after_hash,"
            " seq, hash, count, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (manifest.bundle_id, device, head.after_seq, head.after_hash, head.seq, head.hash,
             head.count, manifest.created_at),
        )  # fmt: skip
        entries = in_order(payload.audit)
        if isinstance(chain, Unchecked):
            chain = chain_problem(entries, head)
        problem = chain or _continuity_problem(conn, device, entries, head)
        if problem is not None:
            marks = dict.fromkeys(ids, (FLAGGED, problem))
        elif ids and head.after_seq > 0 and held_hash(conn, device, head.after_seq) is None:
            reason = _(
                "not checked: this hub has not received the clinic's audit entries up to entry"
                " {seq} (an earlier bundle of device {device} is missing)"
            ).format(seq=head.after_seq, device=device)
            marks = dict.fromkeys(ids, (NOT_CHECKED, reason))
        else:
            marks = _replayed(conn, device, entries, head, payload.assessments) if ids else {}
    conn.executemany(
        "INSERT OR REPLACE INTO hub_audit_checks (assessment_id, bundle_id, device_id, status, reason)"
        " VALUES (?, ?, ?, ?, ?)",
        [(i, manifest.bundle_id, device, status, reason) for i, (status, reason) in marks.items()],
    )
    return sorted(i for i, (status, _reason) in marks.items() if status == FLAGGED)


def _unsigned(conn: sqlite3.Connection, device: str, created_at: str) -> tuple[str, str]:
    """A bundle without a signed head: an earlier GuideCheck's, unless the device had already
    signed heads in bundles written before this one (an old bundle imported late is not flagged)."""
    signed_before = conn.execute(
        "SELECT 1 FROM hub_audit_heads WHERE device_id = ? AND created_at < ? LIMIT 1",
        (device, created_at),
    ).fetchone()
    if signed_before:
        return FLAGGED, _(
            "the bundle carries no signed audit head, though earlier bundles of device {device} did"
        ).format(device=device)
    return NOT_CHECKED, _(
        "not checked: the bundle was made by an earlier GuideCheck, which does not sign its audit head"
    )


def _continuity_problem(
    conn: sqlite3.Connection, device: str, entries: list[dict[str, Any]], head: AuditHead
) -> str | None:
    """Every entry the hub already holds from this device, from after_seq to the head, must be the
    bundle's: the clinic's log may grow, never change what it sent before."""
    if head.seq == 0:
        return None
    mine = {e["seq"]: e["hash"] for e in entries}
    if head.after_seq > 0:
        mine[head.after_seq] = head.after_hash
    rows = conn.execute(
        "SELECT seq, hash FROM bundle_audit WHERE origin_device = ? AND seq BETWEEN ? AND ?"
        " ORDER BY seq",
        (device, max(head.after_seq, 1), head.seq),
    )
    for seq, digest in rows:
        if mine.get(seq) != digest:
            return _(
                "the clinic's audit log was rewritten (or the laptop's data copied to another one):"
                " entry {seq} differs from the one this hub received in an earlier bundle, so the"
                " new entries do not extend the log held here"
            ).format(seq=seq)
    forked = conn.execute(
        "SELECT seq FROM hub_audit_forks WHERE device_id = ? AND seq <= ? ORDER BY seq LIMIT 1",
        (device, head.after_seq),
    ).fetchone()
    if forked is not None:
        return _(
            "this hub holds two different versions of entry {seq} of the clinic's audit log: it"
            " was rewritten (or the laptop's data copied to another one) after an earlier bundle"
        ).format(seq=forked[0])
    return None


def record_forks(conn: sqlite3.Connection, device: str, entries: list[dict[str, Any]]) -> None:
    """After a bundle's entries are stored: note each entry number the hub now holds in two
    versions. Only the bundle's own range is read, so the check of later bundles ("two versions of
    entry N") is one indexed lookup instead of a pass over the device's whole log."""
    if not entries:
        return
    seqs = [int(e["seq"]) for e in entries]
    conn.execute(
        "INSERT OR IGNORE INTO hub_audit_forks (device_id, seq) SELECT origin_device, seq"
        " FROM bundle_audit WHERE origin_device = ? AND seq BETWEEN ? AND ?"
        " GROUP BY seq HAVING COUNT(*) > 1",
        (device, min(seqs), max(seqs)),
    )


def held_hash(conn: sqlite3.Connection, device: str, seq: int) -> str | None:
    """The hash of the device's entry `seq` as this hub holds it, or None when it holds none."""
    row = conn.execute(
        "SELECT hash FROM bundle_audit WHERE origin_device = ? AND seq = ? LIMIT 1", (device, seq)
    ).fetchone()
    return None if row is None else str(row[0])


def _replayed(
    conn: sqlite3.Connection,
    device: str,
    entries: list[dict[str, Any]],
    head: AuditHead,
    assessments: list[dict[str, Any]],
) -> dict[str, tuple[str, str]]:
    """Replay the device's log (held entries up to after_seq, then the bundle's) against each body.

    Only the entries of the bundle's assessments and of the revisions they came from are read:
    an assessment's replayed state depends on nothing else, and reading the device's whole log
    for every bundle made a hub's imports slower with each bundle it had taken in."""
    ids = _with_sources(conn, device, head.after_seq, entries, {str(a["id"]) for a in assessments})
    held = sorted(
        (
            row
            for assessment_id in ids
            for row in _held_entries(conn, device, head.after_seq, assessment_id)
        ),
        key=lambda row: row[0],
    )
    logged = replay(_chained(held, entries))
    marks: dict[str, tuple[str, str]] = {}
    for record in assessments:
        differences = compare_assessment(record, logged)
        if not differences:
            marks[str(record["id"])] = (OK, "")
            continue
        named = "; ".join(d.sentence() for d in differences[:MAX_NAMED])
        more = len(differences) - MAX_NAMED
        reason = _("differs from the clinic's audit log: {what}").format(what=named)
        if more > 0:
            reason += " " + _("(and {n} more)").format(n=more)
        marks[str(record["id"])] = (FLAGGED, reason)
    return marks


_ENTRY_TUPLE = itemgetter(*ENTRY_COLUMNS)  # an entry as `replay` reads it (a dozen per answer)

_ENTRY_SELECT = (
    f"SELECT {', '.join(ENTRY_COLUMNS)} FROM bundle_audit WHERE origin_device = ? AND seq <= ?"
)


def _held_entries(
    conn: sqlite3.Connection, device: str, up_to: int, assessment_id: str
) -> list[tuple[Any, ...]]:
    """The held entries of one assessment: its own, and its answers' ("<id>/<item>")."""
    own = conn.execute(
        _ENTRY_SELECT + " AND entity = 'assessment' AND entity_id = ?",
        (device, up_to, assessment_id),
    ).fetchall()
    answers = conn.execute(
        _ENTRY_SELECT + " AND entity = 'answer' AND entity_id > ? AND entity_id < ?",
        (device, up_to, assessment_id + "/", assessment_id + "0"),  # "0" sorts right after "/"
    ).fetchall()
    return own + answers


def _with_sources(
    conn: sqlite3.Connection, device: str, up_to: int, entries: list[dict[str, Any]], ids: set[str]
) -> set[str]:
    """The ids and every revision they were made from (a revision starts as a copy of its source)."""
    revised_from = {
        str(e["entity_id"]): str(e["old"] or "")
        for e in entries
        if e["entity"] == "assessment" and e["action"] == "revise"
    }
    found, todo = set(), list(ids)
    while todo:
        assessment_id = todo.pop()
        if assessment_id in found or not assessment_id:
            continue
        found.add(assessment_id)
        source = revised_from.get(assessment_id)
        if source is None:
            row = conn.execute(
                "SELECT old FROM bundle_audit WHERE origin_device = ? AND seq <= ? AND"
                " entity = 'assessment' AND entity_id = ? AND action = 'revise' LIMIT 1",
                (device, up_to, assessment_id),
            ).fetchone()
            source = str(row[0] or "") if row is not None else ""
        todo.append(source)
    return found


def _chained(
    held: Iterable[tuple[Any, ...]], entries: list[dict[str, Any]]
) -> Iterable[tuple[Any, ...]]:
    yield from held
    for e in entries:
        if e["entity"] in ("answer", "assessment"):
            yield _ENTRY_TUPLE(e)


def marks(conn: sqlite3.Connection, ids: Iterable[str] | None = None) -> dict[str, AuditMark]:
    """Each assessment's mark at this hub: flagged if any bundle flagged it (the reasons of those),
    else checked if any bundle checked it, else not checked. Assessments no bundle brought are absent."""
    if ids is None:
        rows = conn.execute(
            "SELECT assessment_id, status, reason FROM hub_audit_checks ORDER BY assessment_id, bundle_id"
        )
    else:
        rows = conn.execute(
            "SELECT assessment_id, status, reason FROM hub_audit_checks WHERE assessment_id IN"
            " (SELECT value FROM json_each(?)) ORDER BY assessment_id, bundle_id",
            (_json_list(ids),),
        )
    found: dict[str, dict[str, list[str]]] = {}
    for assessment_id, status, reason in rows:
        found.setdefault(assessment_id, {}).setdefault(status, []).append(reason)
    out: dict[str, AuditMark] = {}
    for assessment_id, by_status in found.items():
        for status in (FLAGGED, OK, NOT_CHECKED):
            if status in by_status:
                reasons = list(dict.fromkeys(r for r in by_status[status] if r))
                out[assessment_id] = AuditMark(status, " / ".join(reasons))
                break
    return out


def mark(conn: sqlite3.Connection, assessment_id: str) -> AuditMark | None:
    return marks(conn, [assessment_id]).get(assessment_id)


def _json_list(ids: Iterable[str]) -> str:
    import json

    return json.dumps(list(ids))
