"""The trust rules each record of a verified bundle must pass at the hub before it is applied:
the device speaks only for the facilities it was approved for and the assessments it recorded,
every answer fits its checklist, a final assessment never changes, and a checklist copy never
takes the id and version of one this app ships. A rule broken refuses the whole bundle with one
sentence (`BundleRefused`); `apply.apply_payload` calls them inside the import's transaction.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from guidecheck.bundles.enrolment import transfer_target
from guidecheck.bundles.errors import BundleRefused
from guidecheck.bundles.payload import Payload
from guidecheck.bundles.tool_binding import check_assessment_tools
from guidecheck.bundles.variants import Encoded, current_sha256
from guidecheck.checklist.model import Answer
from guidecheck.i18n import _
from guidecheck.safetext import for_terminal


def check_binding(
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


def shipped_files() -> set[str]:
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


def shipped_sha256(questionnaire_id: str, version: str) -> str | None:
    """Hash of the checklist text this app ships for that id and version, if it ships one."""
    from guidecheck.checklist.loading import source_sha256
    from guidecheck.storage.catalog import shipped_questionnaires

    for q in shipped_questionnaires().questionnaires:
        if q.id == questionnaire_id and q.version == version:
            return source_sha256(q.source)
    return None


def check_questionnaire(version: dict[str, Any]) -> None:
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


def check_origin(conn: sqlite3.Connection, record: dict[str, Any], device_id: str) -> None:
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


def check_answers(store: Any, record: dict[str, Any]) -> tuple[Any, dict[str, Answer]]:
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


def check_final(conn: sqlite3.Connection, assessment_id: str, received: Encoded) -> None:
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
