"""The assessments district figures are built from: final, not superseded, one per lineage.

Rule (documented in the overview and reports): drafts never count for district figures. Within a
lineage (one assessment round and its corrections) the highest final, not superseded revision
stands; per facility × AI tool the "latest" is the standing record of the lineage with the latest
assessment date (ties: later finalization, then id). Rows still flagged as conflicts are kept
(flagged) so a pending conflict never makes a facility vanish from the overview.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from guidecheck.checklist.model import Answer, Profile, Questionnaire
from guidecheck.checklist.scoring import item_credit, score
from guidecheck.errors import UserError

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from guidecheck.storage.store import Store


@dataclass(frozen=True)
class Record:
    """One standing assessment (a lineage's best final revision) with its facility and tool."""

    id: str
    lineage_id: str
    revision: int
    facility_code: str
    facility_name: str
    district: str
    region: str
    tool_id: str
    tool_name: str
    tool_vendor: str
    tool_version: str
    use_category: str
    date: str
    finalized_at: str
    overall: float | None
    verdict: str
    red_flag_count: int
    questionnaire_id: str
    questionnaire_version: str
    profile_json: str
    conflict: bool
    origin_device: str

    @property
    def tool_label(self) -> str:
        return f"{self.tool_name} {self.tool_version}".strip()

    @property
    def profile(self) -> Profile:
        return Profile.from_dict(json.loads(self.profile_json))


_SQL = """
SELECT a.id, a.lineage_id, a.revision, a.facility_code, f.name, f.district, f.region,
       a.tool_id, t.name, t.vendor, t.version, t.use_category,
       COALESCE(json_extract(a.profile_json, '$.date'), ''), COALESCE(a.finalized_at, ''),
       a.overall_score, a.verdict, a.red_flag_count, a.questionnaire_id, a.questionnaire_version,
       a.profile_json, a.conflict, a.origin_device, a.updated_at
FROM assessments a
JOIN facilities f ON f.code = a.facility_code
JOIN tools t ON t.id = a.tool_id
WHERE a.status = 'final' AND a.superseded = 0
"""


def standing_records(conn: sqlite3.Connection, since: str | None = None) -> list[Record]:
    """Every lineage's standing final revision, oldest first; `since` keeps dates >= it (ISO)."""
    best: dict[str, tuple[tuple[Any, ...], Record]] = {}
    for row in conn.execute(_SQL):
        fields = list(row[:22])  # the last two are conflict (0/1) and origin_device
        fields[20] = bool(fields[20])
        record = Record(*fields)
        if since and record.date < since:
            continue
        key = (record.revision, row[22], record.id)  # conflicting twins: newer content, then id
        current = best.get(record.lineage_id)
        if current is None or key > current[0]:
            best[record.lineage_id] = (key, record)
    return sorted((r for _, r in best.values()), key=_date_key)


def _date_key(record: Record) -> tuple[str, str, str]:
    return (record.date, record.finalized_at, record.id)


def latest_records(records: Iterable[Record]) -> list[Record]:
    """The latest standing record per facility × AI tool, ordered by facility name, then tool."""
    latest: dict[tuple[str, str], Record] = {}
    for record in records:
        key = (record.facility_code, record.tool_id)
        if key not in latest or _date_key(record) > _date_key(latest[key]):
            latest[key] = record
    return sorted(
        latest.values(),
        key=lambda r: (r.facility_name.casefold(), r.facility_code, r.tool_label.casefold()),
    )


def parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10])
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Scored:
    """Scoring detail of one record: domain scores, unmet scored items and red flags."""

    record: Record
    domains: dict[str, float | None]
    unmet: dict[str, float]  # item id -> credit (0 to <1), shown scored items short of fully met
    red_flags: tuple[str, ...]
    applicable: tuple[str, ...]  # shown scored items answered as applicable (credit not None)


def load_answers(conn: sqlite3.Connection, ids: list[str]) -> dict[str, dict[str, Answer]]:
    """Answers of many assessments in one query (chunked under SQLite's variable limit)."""
    result: dict[str, dict[str, Answer]] = {i: {} for i in ids}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        rows = conn.execute(
            "SELECT assessment_id, item_id, value_json, note, answered_at, answered_by FROM answers"
            f" WHERE assessment_id IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        for row in rows:
            try:
                value = json.loads(row[2])
            except (TypeError, ValueError):  # a damaged row is left out of the figures, not fatal
                log.warning(
                    "unreadable answer %s/%s left out of the district figures", row[0], row[1]
                )
                continue
            result[row[0]][row[1]] = Answer(row[1], value, row[3], row[4], row[5])
    return result


def score_records(store: Store, records: list[Record]) -> Iterator[Scored]:
    """Score each record with its own stored questionnaire version (scoring is ~0.2 ms each)."""
    answers = load_answers(store.conn, [r.id for r in records])
    for record in records:
        questionnaire = questionnaire_of(store, record)
        mine = answers[record.id]
        result = score(questionnaire, record.profile, mine)
        unmet: dict[str, float] = {}
        applicable: list[str] = []
        for item_id in result.visible_items:
            item = questionnaire.item(item_id)
            answer = mine.get(item_id)
            if item is None or not item.scored or answer is None:
                continue
            credit = item_credit(item, answer.value)
            if credit is None:
                continue
            applicable.append(item_id)
            if credit < 1:
                unmet[item_id] = credit
        yield Scored(record, result.domains, unmet, result.red_flags, tuple(applicable))


def questionnaire_of(store: Store, record: Record) -> Questionnaire:
    return store.stored_questionnaire(record.questionnaire_id, record.questionnaire_version)


def split_by_level(store: Store, records: Iterable[Record]) -> tuple[list[Record], list[Record]]:
    """(clinic records, district-level records): assessments made with a `level: district`
    checklist (district and national teams) are reported apart from the clinics' figures."""
    levels: dict[tuple[str, str], str] = {}
    clinic: list[Record] = []
    district: list[Record] = []
    for record in records:
        key = (record.questionnaire_id, record.questionnaire_version)
        if key not in levels:
            try:
                levels[key] = questionnaire_of(store, record).level
            except UserError:  # an unreadable or missing copy counts as a clinic checklist
                levels[key] = "clinic"
        (district if levels[key] == "district" else clinic).append(record)
    return clinic, district


def domain_columns(store: Store, records: Iterable[Record]) -> list[tuple[str, str]]:
    """(domain id, title) across every questionnaire version in use, newest version's order first."""
    versions: dict[tuple[str, str], int] = {}
    for record in records:
        key = (record.questionnaire_id, record.questionnaire_version)
        versions[key] = versions.get(key, 0) + 1
    columns: dict[str, str] = {}
    for qid, version in sorted(versions, key=lambda k: (-versions[k], k)):
        for domain in store.stored_questionnaire(qid, version).domains:
            columns.setdefault(domain.id, domain.title.en)
    return list(columns.items())
