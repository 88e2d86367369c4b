"""Saving and reading the monitoring log through the project's `Store`.

Each save is one transaction holding the row and its audit entry, like an answer. Everything is
checked before anything is written: the tool must be one registered on this laptop, the choices
must be known, dates real and not in the future, text within limits and free of obvious patient
identifiers (`identifiers.py`).
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import uuid
from dataclasses import asdict, replace
from typing import Any

from guidecheck import limits
from guidecheck.checklist.answers import is_text
from guidecheck.checklist.model import Tool
from guidecheck.errors import UserError
from guidecheck.i18n import _
from guidecheck.monitoring.identifiers import identifier_sentence
from guidecheck.monitoring.model import KINDS, SEVERITIES, Observation, Tally

MAX_TEXT = limits.MONITORING_TEXT  # a few paragraphs, short enough to read at the district
MAX_COUNT = limits.MONITORING_COUNT
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")

EVENT_COLUMNS: tuple[str, ...] = (
    "id", "facility_code", "tool_id", "date", "kind", "severity", "what_happened",
    "action_taken", "recorded_by", "created_at", "updated_at", "origin_device",
)  # fmt: skip
TALLY_COLUMNS: tuple[str, ...] = (
    "tool_id", "month", "origin_device", "facility_code", "times_used", "times_overridden",
    "updated_at",
)  # fmt: skip


def what_happened_label() -> str:
    return _("What happened")


def action_taken_label() -> str:
    return _("What was done")


def find_tool(store: Any, facility_code: str, tool: str) -> Tool:
    """The tool registered at this facility with this id or name (one sentence if none or several)."""
    tools: list[Tool] = store.tools(facility_code)
    if not store.conn.execute(
        "SELECT 1 FROM facilities WHERE code = ?", (facility_code,)
    ).fetchone():
        raise UserError(
            _("No facility with code '{code}' is registered on this computer.").format(
                code=facility_code[:100]
            )
        )
    by_id = [t for t in tools if t.id == tool]
    if by_id:
        return by_id[0]
    named = [t for t in tools if t.name.strip().casefold() == tool.strip().casefold()]
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        raise UserError(
            _(
                "Several versions of '{tool}' are registered at {code}; give its id instead ({ids})."
            ).format(tool=tool[:100], code=facility_code, ids=", ".join(t.id for t in named))
        )
    raise UserError(
        _(
            "No AI tool '{tool}' is registered at facility {code}; an assessment of it registers it."
        ).format(tool=tool[:100], code=facility_code[:100])
    )


def check_text(label: str, value: Any, required: bool) -> str:
    """The text, or one sentence saying what is wrong with it (too long, not text, an identifier)."""
    if not isinstance(value, str) or not is_text(value) or _CONTROL.search(value):
        raise UserError(_("“{field}” must be plain text.").format(field=label))
    if required and not value.strip():
        raise UserError(_("Please fill in “{field}”.").format(field=label))
    if len(value) > MAX_TEXT:
        raise UserError(
            _("“{field}” is longer than {n} characters.").format(field=label, n=MAX_TEXT)
        )
    sentence = identifier_sentence(label, value)
    if sentence:
        raise UserError(sentence)
    return value.strip()


def check_date(value: Any) -> str:
    if not isinstance(value, str):
        raise UserError(_("The date must be written as YYYY-MM-DD."))
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise UserError(_("The date must be written as YYYY-MM-DD.")) from None
    if len(value) != 10 or day.year < 2000:
        raise UserError(_("The date must be written as YYYY-MM-DD."))
    if day > dt.date.today() + dt.timedelta(days=1):
        raise UserError(_("The date {date} is in the future.").format(date=value))
    return value


def check_observation(store: Any, observation: Observation) -> Observation:
    """The observation as it will be stored, or a UserError naming the first problem."""
    if observation.kind not in KINDS:
        raise UserError(
            _("The kind must be one of {choices}, not '{value}'.").format(
                choices=", ".join(KINDS), value=str(observation.kind)[:40]
            )
        )
    if observation.severity not in SEVERITIES:
        raise UserError(
            _("The severity must be one of {choices}, not '{value}'.").format(
                choices=", ".join(SEVERITIES), value=str(observation.severity)[:40]
            )
        )
    date = check_date(observation.date)
    tool = find_tool(store, observation.facility_code, observation.tool_id)
    what = check_text(what_happened_label(), observation.what_happened, required=True)
    action = check_text(action_taken_label(), observation.action_taken, required=False)
    recorded_by = observation.recorded_by
    if not isinstance(recorded_by, str) or len(recorded_by) > 200 or _CONTROL.search(recorded_by):
        raise UserError(
            _("The name of who recorded it must be plain text of at most 200 characters.")
        )
    return replace(observation, date=date, tool_id=tool.id, what_happened=what, action_taken=action)


def add_observation(store: Any, observation: Observation, actor: str = "") -> str:
    """Check and save one observation with its audit entry, in one transaction; returns its id."""
    from guidecheck.storage.database import now_iso

    checked = check_observation(store, observation)
    stamp = now_iso()
    new_id = str(uuid.uuid4())
    row = replace(
        checked,
        id=new_id,
        created_at=stamp,
        updated_at=stamp,
        origin_device=store.device_id,
        recorded_by=checked.recorded_by or actor,
        tool_name="",
    )
    values = asdict(row)
    with store.atomic():
        store.conn.execute(
            f"INSERT INTO monitoring_events ({', '.join(EVENT_COLUMNS)})"
            f" VALUES ({', '.join('?' * len(EVENT_COLUMNS))})",
            [values[c] for c in EVENT_COLUMNS],
        )
        store.record_audit(
            actor or row.recorded_by,
            "monitoring_event",
            new_id,
            "create",
            new={c: values[c] for c in EVENT_COLUMNS if c not in ("created_at", "updated_at")},
        )
    return new_id


def check_tally(store: Any, tally: Tally) -> Tally:
    if not isinstance(tally.month, str) or not _MONTH.fullmatch(tally.month):
        raise UserError(_("The month must be written as YYYY-MM."))
    if tally.month > dt.date.today().strftime("%Y-%m"):
        raise UserError(_("The month {month} is in the future.").format(month=tally.month))
    for value in (tally.times_used, tally.times_overridden):
        if type(value) is not int or not 0 <= value <= MAX_COUNT:
            raise UserError(
                _("Counts must be whole numbers from 0 to {n}.").format(n=f"{MAX_COUNT:,}")
            )
    if tally.times_overridden > tally.times_used:
        raise UserError(
            _("The tool cannot be overruled more often ({over}) than it was used ({used}).").format(
                over=tally.times_overridden, used=tally.times_used
            )
        )
    tool = find_tool(store, tally.facility_code, tally.tool_id)
    return replace(tally, tool_id=tool.id, facility_code=tool.facility_code)


def save_tally(store: Any, tally: Tally, actor: str = "") -> Tally:
    """Record (or correct) this laptop's count for one tool and month, with its audit entry."""
    from guidecheck.storage.database import now_iso

    checked = check_tally(store, tally)
    old = store.conn.execute(
        "SELECT times_used, times_overridden FROM monitoring_tallies"
        " WHERE tool_id = ? AND month = ? AND origin_device = ?",
        (checked.tool_id, checked.month, store.device_id),
    ).fetchone()
    if old is not None and tuple(old) == (checked.times_used, checked.times_overridden):
        return checked
    stamp = now_iso()
    with store.atomic():
        store.conn.execute(
            "INSERT INTO monitoring_tallies (tool_id, month, origin_device, facility_code, times_used,"
            " times_overridden, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(tool_id, month, origin_device) DO UPDATE SET times_used = excluded.times_used,"
            " times_overridden = excluded.times_overridden, updated_at = excluded.updated_at",
            (checked.tool_id, checked.month, store.device_id, checked.facility_code,
             checked.times_used, checked.times_overridden, stamp),
        )  # fmt: skip
        store.record_audit(
            actor,
            "monitoring_tally",
            f"{checked.tool_id}/{checked.month}",
            "set",
            old=None if old is None else {"times_used": old[0], "times_overridden": old[1]},
            new={"times_used": checked.times_used, "times_overridden": checked.times_overridden},
        )
    return replace(checked, updated_at=stamp, origin_device=store.device_id)


def observations(
    conn: sqlite3.Connection,
    tool_id: str | None = None,
    facility_code: str | None = None,
    after: str | None = None,
    until: str | None = None,
) -> list[Observation]:
    """Logged observations, newest first; `after`/`until` bound the event date (after is exclusive)."""
    where, params = ["1"], []
    for clause, value in (
        ("e.tool_id = ?", tool_id),
        ("e.facility_code = ?", facility_code),
        ("e.date > ?", after),
        ("e.date <= ?", until),
    ):
        if value is not None:
            where.append(clause)
            params.append(value)
    columns = ", ".join(f"e.{c}" for c in EVENT_COLUMNS)
    rows = conn.execute(
        f"SELECT {columns}, COALESCE(t.name, '') FROM monitoring_events e"
        f" LEFT JOIN tools t ON t.id = e.tool_id WHERE {' AND '.join(where)}"
        " ORDER BY e.date DESC, e.created_at DESC, e.id",
        params,
    )
    return [
        Observation(**dict(zip(EVENT_COLUMNS, row[:-1], strict=True)), tool_name=row[-1])
        for row in rows
    ]


def tallies(
    conn: sqlite3.Connection, tool_id: str | None = None, facility_code: str | None = None
) -> list[Tally]:
    """Monthly tallies summed over the devices that counted, oldest month first."""
    where, params = ["1"], []
    for clause, value in (("m.tool_id = ?", tool_id), ("m.facility_code = ?", facility_code)):
        if value is not None:
            where.append(clause)
            params.append(value)
    rows = conn.execute(
        "SELECT m.tool_id, m.month, SUM(m.times_used), SUM(m.times_overridden), m.facility_code,"
        " COALESCE(t.name, ''), MAX(m.updated_at) FROM monitoring_tallies m"
        f" LEFT JOIN tools t ON t.id = m.tool_id WHERE {' AND '.join(where)}"
        " GROUP BY m.tool_id, m.month ORDER BY m.month, t.name, m.tool_id",
        params,
    )
    return [Tally(*row) for row in rows]


def observation_from_data(store: Any, data: Any) -> Observation:
    """An observation from the JSON object of `guidecheck monitor add --from FILE.json`."""
    fields = {"date", "facility_code", "tool_name", "tool_id", "kind", "severity",
              "what_happened", "action_taken", "recorded_by"}  # fmt: skip
    data = _object(data, fields)
    for name in ("date", "facility_code", "kind", "severity", "what_happened"):
        if name not in data:
            raise UserError(_("The file needs a field '{field}'.").format(field=name))
    if "tool_name" not in data and "tool_id" not in data:
        raise UserError(_("The file needs a field '{field}'.").format(field="tool_name"))
    for name, value in data.items():
        if not isinstance(value, str):
            raise UserError(_("The field '{field}' must be text.").format(field=name))
    return Observation(
        date=data["date"],
        facility_code=data["facility_code"],
        tool_id=data.get("tool_id") or data["tool_name"],
        kind=data["kind"],
        severity=data["severity"],
        what_happened=data["what_happened"],
        action_taken=data.get("action_taken", ""),
        recorded_by=data.get("recorded_by", ""),
    )


def tallies_from_data(data: Any) -> list[Tally]:
    """Tallies from `guidecheck monitor tally --from FILE.json`: one object or a list of them."""
    records = data if isinstance(data, list) else [data]
    if not records or len(records) > 1000:
        raise UserError(_("The file must hold one tally or a list of at most 1000 tallies."))
    result = []
    fields = {"facility_code", "tool_name", "tool_id", "month", "times_used", "times_overridden"}
    for record in records:
        record = _object(record, fields)
        for name in ("facility_code", "month", "times_used", "times_overridden"):
            if name not in record:
                raise UserError(_("The file needs a field '{field}'.").format(field=name))
        tool = record.get("tool_id") or record.get("tool_name")
        if not isinstance(tool, str) or not isinstance(record["facility_code"], str):
            raise UserError(_("The file needs a field '{field}'.").format(field="tool_name"))
        result.append(
            Tally(
                tool_id=tool,
                month=record["month"],
                times_used=record["times_used"],
                times_overridden=record["times_overridden"],
                facility_code=record["facility_code"],
            )
        )
    return result


def _object(data: Any, fields: set[str]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise UserError(_("The file must hold a JSON object."))
    unknown = sorted(set(data) - fields)
    if unknown:
        raise UserError(
            _("Unknown field '{field}' in the file.").format(field=str(unknown[0])[:60])
        )
    return data
