"""Conflicts flagged by bundle import, shown side by side, and the officer's decision.

Import flags `conflict = 1` in two cases (guidecheck.bundles.variants): two assessment ids claim the
same lineage revision (two laptops revised one assessment), or one id arrived in incompatible
versions ("variants", kept in `bundle_variants`). A conflict group is one lineage revision; its
options are every row of it and every stored variant of those rows. Choosing "this one stands"
records the decision in `district_resolutions` (the kept version and every version offered), marks
every other row of the group superseded (kept, never deleted) and audits it, all in one
transaction; the shared import mechanism (`guidecheck.bundles.variants.settle`) then writes the kept
content and clears the flags. Because that same mechanism runs on every import, re-importing the
same bundles leaves the decision standing, and only a version the officer has not seen reopens it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from guidecheck.checklist.model import Answer, Profile
from guidecheck.checklist.scoring import score
from guidecheck.errors import UserError
from guidecheck.i18n import _

if TYPE_CHECKING:
    from guidecheck.checklist.model import Questionnaire
    from guidecheck.storage.store import Store


@dataclass(frozen=True)
class Option:
    """One version a conflict could settle on, with what the officer compares."""

    assessment_id: str
    sha256: str
    current: bool  # this content is what the assessments row holds now
    status: str
    updated_at: str
    origin_device: str
    assessor: str
    date: str
    overall: float | None
    verdict: str | None  # None: a survey (no verdict)
    red_flags: tuple[str, ...]
    answers: dict[str, tuple[Any, str]]  # item id -> (value, note)
    body: dict[str, Any]
    numbers: dict[str, str] = field(
        default_factory=dict
    )  # item id -> "2.3" as this version showed it


@dataclass(frozen=True)
class ConflictGroup:
    lineage_id: str
    revision: int
    facility_code: str
    facility_name: str
    tool_name: str
    options: tuple[Option, ...]
    questions: dict[str, str]  # item id -> question text, for the side-by-side view

    def number(self, item_id: str) -> str:
        """The question's number (part.question) as the walk-through showed it: the version
        shown now first, else any version that asked it; "" if none did."""
        ordered = sorted(self.options, key=lambda o: not o.current)
        return next((o.numbers[item_id] for o in ordered if item_id in o.numbers), "")

    @property
    def key(self) -> str:
        return f"{self.lineage_id}#{self.revision}"

    def differing_items(self) -> list[str]:
        """Item ids whose value or note differs between any two options, in first-seen order."""
        seen: dict[str, None] = {}
        for option in self.options:
            for item_id in option.answers:
                seen.setdefault(item_id, None)
        return [
            i
            for i in seen
            if len({json.dumps(o.answers.get(i), sort_keys=True) for o in self.options}) > 1
        ]


def _row_body(conn: sqlite3.Connection, assessment_id: str) -> dict[str, Any]:
    """The row's clinic content as a variant body (the ids come from `assessments`: it exists)."""
    from guidecheck.bundles.variants import body_from_db

    body = body_from_db(conn, assessment_id)
    assert body is not None
    return body


def _sha(body: dict[str, Any]) -> str:
    from guidecheck.bundles.variants import body_sha256

    return body_sha256(body)


def _option(store: Store, body: dict[str, Any], current: bool) -> Option:
    profile = Profile.from_dict(json.loads(body["profile_json"]))
    answers = {
        a["item_id"]: Answer(a["item_id"], json.loads(a["value_json"]), a["note"])
        for a in body["answers"]
    }
    questionnaire = store.stored_questionnaire(
        body["questionnaire_id"], body["questionnaire_version"]
    )
    result = score(questionnaire, profile, answers)
    return Option(
        body["id"], _sha(body), current, body["status"], body["updated_at"], body["origin_device"],
        profile.assessor_name, profile.date, result.overall, result.verdict or "", result.red_flags,
        {k: (a.value, a.note) for k, a in answers.items()}, body,
        _numbers(questionnaire, set(result.visible_items)),
    )  # fmt: skip


def _numbers(questionnaire: Questionnaire, visible: set[str]) -> dict[str, str]:
    """part.question for each shown item, counting shown parts and questions only (as the
    walk-through and the PDF report number them)."""
    numbers: dict[str, str] = {}
    part = 0
    for domain in questionnaire.domains:
        shown = [item for item in domain.items if item.id in visible]
        if shown:
            part += 1
            for number, item in enumerate(shown, start=1):
                numbers[item.id] = f"{part}.{number}"
    return numbers


def conflict_groups(store: Store) -> list[ConflictGroup]:
    """Every flagged lineage revision with its options, oldest facility name first."""
    conn = store.conn
    keys = conn.execute(
        "SELECT DISTINCT lineage_id, revision FROM assessments WHERE conflict = 1 ORDER BY lineage_id, revision"
    ).fetchall()
    groups = []
    for lineage_id, revision in keys:
        ids = [r[0] for r in conn.execute(
            "SELECT id FROM assessments WHERE lineage_id = ? AND revision = ? ORDER BY superseded, id",
            (lineage_id, revision))]  # fmt: skip
        options: list[Option] = []
        for assessment_id in ids:
            current = _row_body(conn, assessment_id)
            options.append(_option(store, current, True))
            for (text,) in conn.execute(
                "SELECT body FROM bundle_variants WHERE assessment_id = ? ORDER BY updated_at, sha256",
                (assessment_id,),
            ):
                body = json.loads(text)
                if all(_sha(body) != o.sha256 for o in options):
                    options.append(_option(store, body, False))
        if not options:
            continue
        first = options[0]
        profile = Profile.from_dict(json.loads(first.body["profile_json"]))
        questionnaire = store.stored_questionnaire(
            first.body["questionnaire_id"], first.body["questionnaire_version"]
        )
        questions = {item.id: item.question.local for item in questionnaire.items}
        groups.append(ConflictGroup(lineage_id, revision, profile.facility_code, profile.facility_name,
                                    profile.tool_name, tuple(options), questions))  # fmt: skip
    return sorted(groups, key=lambda g: (g.facility_name.casefold(), g.key))


def resolve(store: Store, group: ConflictGroup, keep: Option, actor: str = "") -> None:
    """Let `keep` stand; every other row of the group is kept but marked superseded."""
    from guidecheck.bundles.variants import settle

    if keep not in group.options:
        raise UserError(_("That version is not part of this conflict."))
    conn = store.conn
    with store.atomic():
        still = conn.execute(
            "SELECT COUNT(*) FROM assessments WHERE lineage_id = ? AND revision = ? AND conflict = 1",
            (group.lineage_id, group.revision),
        ).fetchone()[0]
        if not still:
            raise UserError(_("This conflict was already resolved; reload the list."))
        offered = sorted({o.sha256 for o in group.options})
        conn.execute(
            "INSERT OR REPLACE INTO district_resolutions VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                group.lineage_id,
                group.revision,
                keep.assessment_id,
                keep.sha256,
                json.dumps(offered),
                _now(),
                actor,
            ),
        )
        for assessment_id in sorted({o.assessment_id for o in group.options}):
            store.set_superseded(assessment_id, assessment_id != keep.assessment_id, actor)
        # The same function every import runs: writes the kept content, clears (or keeps) the flags.
        for assessment_id in sorted(settle(conn, {group.lineage_id})):
            store.refresh_summary(assessment_id)
        reopened = conn.execute(
            "SELECT COUNT(*) FROM assessments WHERE lineage_id = ? AND revision = ? AND conflict = 1",
            (group.lineage_id, group.revision),
        ).fetchone()[0]
        if (
            reopened
        ):  # a version arrived after the list was shown: the officer has not seen it (rolled back)
            raise UserError(_("Another version of this record arrived meanwhile; reload the list."))
        store.record_audit(
            actor,
            "assessment",
            keep.assessment_id,
            "resolve_conflict",
            "content",
            None,
            keep.sha256,
        )


def _now() -> str:
    from guidecheck.storage.database import now_iso

    return now_iso()
