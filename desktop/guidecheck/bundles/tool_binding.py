"""An assessment speaks for one facility's tool: the tool must belong to the facility it names.

The binding check lets a device write only the facilities it is approved for, judged by the
facility code each record carries. An assessment also names a tool, and the district views join
the two: an assessment naming an approved facility but the tool of another facility would put a
verdict on that other facility's tool. So each assessment's tool must belong to the facility the
assessment names, as the same bundle records it (a new or moved tool) or else as the hub knows it;
its profile snapshot must name that facility too (conflict lists show the profile). A tool that
neither knows is left to the database's own reference check (the bundle is refused as incomplete).
Moving a tool to another facility needs approval for both: the old one is checked by the caller,
the new one is among the bundle's facility codes.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from guidecheck.bundles.errors import BundleRefused
from guidecheck.bundles.payload import Payload
from guidecheck.i18n import _
from guidecheck.safetext import for_terminal


def tool_facility(conn: sqlite3.Connection, bundled: dict[str, str], tool_id: str) -> str | None:
    """The facility a tool belongs to after this bundle: the bundle's record, else the hub's."""
    if tool_id in bundled:
        return bundled[tool_id]
    row = conn.execute("SELECT facility_code FROM tools WHERE id = ?", (tool_id,)).fetchone()
    return str(row[0]) if row is not None else None


def check_assessment_tools(conn: sqlite3.Connection, payload: Payload, allowed: set[str]) -> None:
    """Refuse the bundle when an assessment's tool, or its profile, is of another facility."""
    bundled = {t["id"]: t["facility_code"] for t in payload.tools}
    for record in payload.assessments:
        named = record["facility_code"]
        owner = tool_facility(conn, bundled, record["tool_id"])
        if owner is None:
            continue  # pointing nowhere: the database's reference check refuses it
        if owner != named or owner not in allowed:
            raise BundleRefused(
                _(
                    "The bundle attaches an assessment for facility {named} to tool {id} of facility {owner}; a device may assess only the tools of the facilities it is approved for, so nothing was imported."
                ).format(
                    named=for_terminal(named[:100]),
                    id=for_terminal(record["tool_id"][:80]),
                    owner=for_terminal(owner[:100]),
                )
            )
        if _profile_facility(record) not in ("", named):
            raise BundleRefused(
                _(
                    "The bundle carries assessment {id} whose profile names another facility than the assessment; nothing was imported."
                ).format(id=for_terminal(record["id"][:80]))
            )


def _profile_facility(record: dict[str, Any]) -> str:
    """The facility code the assessment's profile snapshot shows ('' when it shows none)."""
    try:
        profile = json.loads(record["profile_json"])
    except ValueError:
        return ""
    code = profile.get("facility_code", "") if isinstance(profile, dict) else ""
    return code if isinstance(code, str) else ""
