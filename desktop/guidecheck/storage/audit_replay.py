"""Replay the audit log into the records it describes, and name every record that differs.

The clinic's `audit verify` and the hub's check of a received bundle use the same replay: entries
(in `seq` order) are folded into what each assessment, answer, facility and tool must hold, and a
record body (the bundle's assessment record shape) is compared field by field. A field the log
does not record (older entries wrote less) is not compared: the entry says what it logged.

What the store logs, and when (each in the transaction of the change):
- `assessment create`: the profile; since the audit check also the questionnaire id and version
  and `created_at` (extra keys beside the profile fields);
- `assessment update_profile`: the new profile; `finalize`: the sign-off (and since the audit
  check `finalized_at`); `revise`: the source id in `old` (the new draft copies its profile,
  questionnaire and answers); `supersede`: the hub's `superseded` mark;
- `answer set value` / `answer set note`: the new value or note, its `actor` is `answered_by`.
Facilities and tools are not logged on their own: they are the profile's facility and tool, so
the latest profile logged for a facility code (or tool id) says what its row must hold.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from guidecheck.checklist.model import PROFILE_FIELDS
from guidecheck.i18n import _
from guidecheck.safetext import for_terminal

SIGN_OFF_KEYS = ("assessor_name", "assessor_role", "facility_head_name", "date")
# Keys a `create` entry may carry beside the profile fields (written since the audit check).
CREATE_KEYS = ("questionnaire_id", "questionnaire_version", "created_at")
TOOL_KEYS = ("tool_name", "tool_vendor", "tool_version")
ENTRY_COLUMNS = ("seq", "actor", "entity", "entity_id", "action", "field", "old", "new")


@dataclass
class LoggedAnswer:
    value: str | None = None  # the value as the log writes it (JSON text of the value)
    note: str = ""
    by: str | None = None


@dataclass
class LoggedAssessment:
    """What the log says one assessment holds; None = not recorded by the log."""

    lineage_id: str
    revision: int
    replaces: str | None
    status: str = "draft"
    profile: dict[str, str] | None = None
    questionnaire: tuple[str, str] | None = None
    created_at: str | None = None
    sign_off: dict[str, str] | None = None
    finalized_at: str | None = None
    finalized_logged: bool = False
    superseded: int = 0
    answers: dict[str, LoggedAnswer] = field(default_factory=dict)


@dataclass
class Replay:
    """The log folded into records (`assessments`); `orphans` are answers of unlogged assessments."""

    assessments: dict[str, LoggedAssessment] = field(default_factory=dict)
    orphans: dict[str, dict[str, LoggedAnswer]] = field(default_factory=dict)
    facilities: dict[str, dict[str, str]] = field(default_factory=dict)
    tools: dict[str, dict[str, str]] = field(default_factory=dict)

    def answers_of(self, assessment_id: str) -> dict[str, LoggedAnswer]:
        known = self.assessments.get(assessment_id)
        return known.answers if known is not None else self.orphans.get(assessment_id, {})


@dataclass(frozen=True)
class Difference:
    """One record that differs from the log: table, row id, field, what the log says, what is found.

    `kind` is "differs" (a field), "unlogged" (a row the log never wrote) or "missing" (a row the
    log wrote that is gone). Values are kept raw and worded only by `sentence`, so a check that
    finds many differences but names three formats three."""

    table: str
    row_id: str
    field: str
    logged: Any
    found: Any
    kind: str = "differs"

    def sentence(self) -> str:
        if self.kind == "unlogged":
            return _("{table} row {id} is not in the audit log (it holds {found})").format(
                table=self.table, id=_shown(self.row_id), found=_value(self.found)
            )
        if self.kind == "missing":
            return _(
                "{table} row {id} is missing, but the audit log says it holds {logged}"
            ).format(table=self.table, id=_shown(self.row_id), logged=_value(self.logged))
        return _("{table} row {id}: {field} is {found}, but the audit log says {logged}").format(
            table=self.table, id=_shown(self.row_id), field=self.field, found=_value(self.found),
            logged=_value(self.logged),
        )  # fmt: skip


def replay(entries: Iterable[tuple[Any, ...]]) -> Replay:
    """Fold entries given as ENTRY_COLUMNS tuples, in `seq` order, into the records they describe."""
    from guidecheck.storage.database import tool_id_for

    out = Replay()
    for _seq, actor, entity, entity_id, action, name, old, new in entries:
        if entity == "answer" and action == "set" and name in ("value", "note"):
            assessment_id, _sep, item_id = entity_id.partition("/")
            known = out.assessments.get(assessment_id)
            answers = (
                known.answers if known is not None else out.orphans.setdefault(assessment_id, {})
            )
            answer = answers.setdefault(item_id, LoggedAnswer())
            if name == "value":
                answer.value = new
            else:
                answer.note = new or ""
            answer.by = actor
        elif entity != "assessment":
            continue
        elif action == "create":
            data = _object(new)
            state = LoggedAssessment(entity_id, 1, None, profile=_profile(data))
            if "questionnaire_id" in data and "questionnaire_version" in data:
                state.questionnaire = (
                    str(data["questionnaire_id"]),
                    str(data["questionnaire_version"]),
                )
            state.created_at = data.get("created_at")
            state.answers = out.orphans.pop(entity_id, {})
            out.assessments[entity_id] = state
            _facility_and_tool(out, state.profile, tool_id_for)
        elif action == "revise":
            source = out.assessments.get(old or "")
            if source is None:
                continue
            data = _object(new)
            out.assessments[entity_id] = LoggedAssessment(
                source.lineage_id,
                source.revision + 1,
                old,
                profile=dict(source.profile) if source.profile is not None else None,
                questionnaire=source.questionnaire,
                created_at=data.get("created_at"),
                answers={k: LoggedAnswer(a.value, a.note, a.by) for k, a in source.answers.items()},
            )
        elif entity_id in out.assessments:
            state = out.assessments[entity_id]
            if action == "update_profile":
                state.profile = _profile(_object(new))
                _facility_and_tool(out, state.profile, tool_id_for)
            elif action == "finalize":
                data = _object(new)
                state.status = "final"
                state.sign_off = {k: str(data.get(k, "")) for k in SIGN_OFF_KEYS}
                state.finalized_logged = "finalized_at" in data
                state.finalized_at = data.get("finalized_at")
            elif action == "supersede" and name == "superseded":
                state.superseded = 1 if new in ("1", "true") else 0
    return out


def _object(text: str | None) -> dict[str, Any]:
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _profile(data: dict[str, Any]) -> dict[str, str]:
    return {k: v for k, v in data.items() if k in PROFILE_FIELDS}


def _facility_and_tool(out: Replay, profile: dict[str, str] | None, tool_id_for: Any) -> None:
    """The store writes the profile's facility and tool with every profile it logs."""
    if not profile or not profile.get("facility_code"):
        return
    code = profile["facility_code"]
    out.facilities[code] = {
        "name": profile.get("facility_name", ""),
        "district": profile.get("district", ""),
        "region": profile.get("region", ""),
    }
    parts = tuple(profile.get(k, "") for k in TOOL_KEYS)
    tool_id = tool_id_for(code, *parts)
    first = out.tools.get(tool_id)
    out.tools[tool_id] = {
        # name, vendor and version are written once, when the tool is first seen (the id is made of them)
        "facility_code": code if first is None else first["facility_code"],
        "name": parts[0] if first is None else first["name"],
        "vendor": parts[1] if first is None else first["vendor"],
        "version": parts[2] if first is None else first["version"],
        "intended_use": profile.get("tool_intended_use", ""),
        "date_deployed": profile.get("tool_date_deployed", ""),
        "use_category": profile.get("use_category", ""),
    }  # fmt: skip


def compare_assessment(body: dict[str, Any], logged: Replay) -> list[Difference]:
    """Every field of one assessment record (the bundle's record shape, answers included) that
    differs from the log; an assessment the log never created is one difference."""
    from guidecheck.storage.database import tool_id_for

    found_id = str(body["id"])
    state = logged.assessments.get(found_id)
    out: list[Difference] = []
    if state is None:
        out.append(Difference("assessments", found_id, "", None, body.get("status"), "unlogged"))
    else:
        expected: list[tuple[str, Any, Any]] = [
            ("lineage_id", state.lineage_id, body.get("lineage_id")),
            ("revision", state.revision, body.get("revision")),
            ("replaces", state.replaces, body.get("replaces")),
            ("status", state.status, body.get("status")),
            ("superseded", state.superseded, body.get("superseded", state.superseded)),
        ]
        if state.profile is not None:
            profile = _object(body.get("profile_json"))
            expected.append(("profile", state.profile, profile))
            code = state.profile.get("facility_code", "")
            expected.append(("facility_code", code, body.get("facility_code")))
            tool = tool_id_for(code, *(state.profile.get(k, "") for k in TOOL_KEYS))
            expected.append(("tool_id", tool, body.get("tool_id")))
        if state.questionnaire is not None:
            expected.append(
                ("questionnaire_id", state.questionnaire[0], body.get("questionnaire_id"))
            )
            expected.append(
                ("questionnaire_version", state.questionnaire[1], body.get("questionnaire_version"))
            )
        if state.created_at is not None:
            expected.append(("created_at", state.created_at, body.get("created_at")))
        sign_off = _object(body.get("sign_off_json")) if body.get("sign_off_json") else None
        expected.append(("sign_off", state.sign_off, sign_off))
        if state.finalized_logged or state.status == "draft":
            expected.append(("finalized_at", state.finalized_at, body.get("finalized_at")))
        for name, want, got in expected:
            if name == "profile" and isinstance(got, dict):
                for key in sorted(set(want) | set(got)):
                    if (want.get(key) or "") != (got.get(key) or ""):
                        out.append(Difference("assessments", found_id, f"profile {key}",
                                              want.get(key), got.get(key)))  # fmt: skip
            elif want != got:
                out.append(Difference("assessments", found_id, name, want, got))
    out += _compare_answers(found_id, body.get("answers", []), logged.answers_of(found_id))
    return out


def _compare_answers(
    assessment_id: str, rows: list[dict[str, Any]], logged: dict[str, LoggedAnswer]
) -> list[Difference]:
    out: list[Difference] = []
    seen: set[str] = set()
    for row in rows:
        item = str(row["item_id"])
        seen.add(item)
        row_id = f"{assessment_id}/{item}"
        want = logged.get(item)
        value = _logged_form(row["value_json"], want.value if want is not None else None)
        if want is None or (want.value is None and not want.note):
            out.append(Difference("answers", row_id, "", None, value, "unlogged"))
            continue
        if value != want.value:
            out.append(Difference("answers", row_id, "value", want.value, value))
        if (row.get("note") or "") != want.note:
            out.append(Difference("answers", row_id, "note", want.note, row.get("note")))
        if "answered_by" in row and want.by is not None and row["answered_by"] != want.by:
            out.append(Difference("answers", row_id, "answered_by", want.by,
                                  row["answered_by"]))  # fmt: skip
    for item, want in sorted(logged.items()):
        if item not in seen and (want.value is not None or want.note):
            out.append(
                Difference("answers", f"{assessment_id}/{item}", "", want.value, None, "missing")
            )
    return out


def compare_rows(
    table: str, key: str, rows: Iterable[dict[str, Any]], logged: dict[str, dict[str, str]]
) -> list[Difference]:
    """Facilities or tools against the latest profile the log holds for each of them."""
    out: list[Difference] = []
    seen: set[str] = set()
    for row in rows:
        row_id = str(row[key])
        seen.add(row_id)
        want = logged.get(row_id)
        if want is None:
            out.append(Difference(table, row_id, "", None, row.get("name"), "unlogged"))
            continue
        for name, value in want.items():
            if (row.get(name) or "") != value:
                out.append(Difference(table, row_id, name, value, row.get(name)))
    for row_id, want in sorted(logged.items()):
        if row_id not in seen:
            out.append(Difference(table, row_id, "", want.get("name"), None, "missing"))
    return out


def _logged_form(value_json: str, logged: str | None = None) -> str | None:
    """An answer row's value written as the log writes values (None for JSON null).

    Most answers are short texts ("yes", "partly"): a printable text with no quote or backslash is
    written by `json.dumps` as itself in quotes, so that case is compared without parsing (a check
    of a thousand bundles reads 70,000 answers); anything else is parsed."""
    if (
        logged is not None
        and value_json == f'"{logged}"'
        and logged.isprintable()
        and "\\" not in logged
        and '"' not in logged
    ):
        return logged
    try:
        value = json.loads(value_json)
    except ValueError:
        return "\ufffd" + value_json  # never equal to a logged value
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _value(value: Any) -> str:
    """A value for a sentence: quoted, escaped, cut at 60 characters; "nothing" for none."""
    if value is None or value == "":
        return _("nothing")
    text = (
        value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    )
    text = for_terminal(text)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def _shown(text: str) -> str:
    return for_terminal(text[:120])


def check_database(conn: Any, device_id: str, facilities: bool = True) -> list[Difference]:
    """Replay this installation's log against its assessments, answers, facilities and tools.

    Assessments received from other devices (at a hub) are left out: their history is in their own
    clinic's log and is checked when their bundle is imported. `facilities` is False at a hub,
    whose facility and tool rows come from bundles.
    """
    logged = replay(
        conn.execute(
            f"SELECT {', '.join(ENTRY_COLUMNS)} FROM audit"
            " WHERE entity IN ('answer', 'assessment') ORDER BY seq"
        )
    )
    out: list[Difference] = []
    local = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM assessments WHERE COALESCE(origin_device, '') IN ('', ?) ORDER BY id",
            (device_id,),
        )
    ]
    for assessment_id in local:
        out += compare_assessment(assessment_body(conn, assessment_id), logged)
    present = set(local) | {
        r[0]
        for r in conn.execute(
            "SELECT id FROM assessments WHERE origin_device NOT IN ('', ?)", (device_id,)
        )
    }
    for assessment_id, state in sorted(logged.assessments.items()):
        if assessment_id not in present:
            out.append(Difference("assessments", assessment_id, "", state.status, None, "missing"))
    if facilities:
        columns = ("code", "name", "district", "region")
        rows = [dict(zip(columns, r, strict=True)) for r in conn.execute(
            f"SELECT {', '.join(columns)} FROM facilities ORDER BY code")]  # fmt: skip
        out += compare_rows("facilities", "code", rows, logged.facilities)
        tool_columns = ("id", "facility_code", "name", "vendor", "version", "intended_use",
                   "date_deployed", "use_category")  # fmt: skip
        rows = [dict(zip(tool_columns, r, strict=True)) for r in conn.execute(
            f"SELECT {', '.join(tool_columns)} FROM tools ORDER BY id")]  # fmt: skip
        out += compare_rows("tools", "id", rows, logged.tools)
    return out


BODY_COLUMNS = ("id", "lineage_id", "revision", "replaces", "questionnaire_id",
                "questionnaire_version", "status", "profile_json", "facility_code", "tool_id",
                "sign_off_json", "created_at", "finalized_at", "superseded")  # fmt: skip


def assessment_body(conn: Any, assessment_id: str) -> dict[str, Any]:
    """One assessment and its answers as stored, in the bundle's record shape."""
    row = conn.execute(
        f"SELECT {', '.join(BODY_COLUMNS)} FROM assessments WHERE id = ?", (assessment_id,)
    ).fetchone()
    body = dict(zip(BODY_COLUMNS, row, strict=True))
    answers = conn.execute(
        "SELECT item_id, value_json, note, answered_by FROM answers WHERE assessment_id = ? ORDER BY item_id",
        (assessment_id,),
    )
    body["answers"] = [
        dict(zip(("item_id", "value_json", "note", "answered_by"), a, strict=True)) for a in answers
    ]
    return body
