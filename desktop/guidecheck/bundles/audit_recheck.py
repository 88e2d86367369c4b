"""Marks left "not checked" because an earlier bundle of the device had not arrived yet are
checked again when it arrives: the order USB sticks reach the hub in must not leave an
assessment unchecked for good.

After a bundle's entries are stored, each bundle of the same device whose assessments wait on an
entry the hub now holds is opened again from its archive copy (verified as at its import, and
held to the hash recorded then) and checked as if it arrived now (`audit_check.check_bundle`,
which replaces its marks). The same set of bundles gives the same marks in any import order.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

from guidecheck.atomic import WriteGroup
from guidecheck.bundles.audit_check import UNCHECKED, check_bundle, held_hash
from guidecheck.bundles.errors import BundleRefused
from guidecheck.bundles.verify import NO_KEY, open_bundle_file

log = logging.getLogger(__name__)


def waiting(conn: sqlite3.Connection, device: str) -> list[tuple[str, int]]:
    """(bundle id, entry it waits on) of the device's bundles with assessments not checked for
    want of earlier entries (a bundle of an earlier GuideCheck, with no signed head, never is)."""
    rows = conn.execute(
        "SELECT DISTINCT c.bundle_id, h.after_seq FROM hub_audit_checks c"
        " JOIN hub_audit_heads h ON h.bundle_id = c.bundle_id"
        " WHERE c.device_id = ? AND c.status = 'not_checked' AND h.after_seq > 0"
        " ORDER BY h.after_seq",
        (device,),
    )
    return [(str(bundle_id), int(after_seq)) for bundle_id, after_seq in rows]


def recheck_waiting(
    home: Path,
    conn: sqlite3.Connection,
    device: str,
    hub_key: Any = NO_KEY,
    group: WriteGroup | None = None,
) -> list[str]:
    """Check again the device's waiting bundles whose missing entry is now held; returns the ids
    of the assessments those checks flagged. A copy that cannot be read again (deleted, damaged)
    keeps its marks as they are. `group`: the import's pending archive copies (a bundle imported
    earlier in the same command is not yet in its place)."""
    flagged: list[str] = []
    for bundle_id, after_seq in waiting(conn, device):
        if held_hash(conn, device, after_seq) is None:
            continue
        row = conn.execute(
            "SELECT archive_path, sha256 FROM bundle_imports WHERE bundle_id = ? LIMIT 1",
            (bundle_id,),
        ).fetchone()
        if row is None or not row[0]:
            continue
        path = Path(row[0])
        if group is not None:
            path = group.staged(path) or path
        try:
            opened = open_bundle_file(path, home, hub_key=hub_key)
        except (BundleRefused, OSError):
            continue
        if opened.sha256 != row[1] or opened.payload is None:
            continue
        chain = opened.chain_problem if opened.chain_checked else UNCHECKED
        flagged += check_bundle(conn, opened.manifest, opened.payload, chain)
        log.info("audit marks of bundle %s checked again: its earlier entries arrived", bundle_id)
    return flagged
