"""What the bundle tests and the district tests both need, kept once: an assessment entered at a
clinic through the real store, a bundle imported at the hub as the district officer does it, a
dump of a database file for before/after comparisons, and a valid answer for any item.

`tests/bundles/bundle_helpers.py` and `tests/district/hub_builder.py` build their clinics and hubs
on these, each with its own profiles and answers (the figures their tests check depend on them).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from guidecheck.checklist.model import Item, Profile, Questionnaire, SignOff
from guidecheck.storage.store import Store


def fitting_value(item: Item, text: str = "ok") -> Any:
    """A valid answer for any item: the best compliance answer, the first choice, the least
    number above the minimum, a fixed date, or `text` for a free-text item."""
    if item.type == "compliance":
        return "yes"
    if item.type in ("single_choice", "multiple_choice"):
        first = item.choices[0].id
        return first if item.type == "single_choice" else [first]
    if item.type == "number":
        return int(item.minimum or 0) + 1
    if item.type == "date":
        return "2026-10-01"
    return text


def enter_assessment(
    store: Store,
    questionnaire: Questionnaire,
    profile: Profile,
    answers: Iterable[tuple[str, Any, str | None]],
    sign_off: SignOff | None = None,
) -> str:
    """A new assessment answered through the real store, one `(item id, value, note)` at a time
    (a note of None leaves it empty), then signed off when `sign_off` is given; returns its id."""
    assessment = store.new_assessment(questionnaire, profile)
    for item_id, value, note in answers:
        store.save_answer(assessment.id, item_id, value, note=note)
    if sign_off is not None:
        store.finalize(assessment.id, sign_off)
    return assessment.id


def import_approved(home: Path, store: Store, path: Path, facilities=(), **options):
    """Import a bundle as the officer would on first contact: held, device approved, applied.

    A device already approved imports directly; a new one is approved for the facilities its
    bundle names (the officer's step in `guidecheck device approve`), which applies the held file.
    """
    import dataclasses

    from guidecheck.bundles.approval import approve_device
    from guidecheck.bundles.importer import import_file

    outcome = import_file(home, store, path, **options)
    if not outcome.held or options.get("dry_run"):
        return outcome
    m = outcome.manifest
    codes = sorted(set(m.facility_codes) | set(facilities)) or ["-"]
    decision = approve_device(home, store, m.device_id, codes)
    (applied,) = [o for o in decision.outcomes if o.manifest.bundle_id == m.bundle_id]
    return dataclasses.replace(applied, path=Path(path), source_name="")


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows (and the schema) of a database file, for before/after comparisons."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        result = {
            "__schema__": conn.execute(
                "SELECT type, name, sql FROM sqlite_master ORDER BY name"
            ).fetchall()
        }
        for table in tables:
            result[table] = sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
        return result
    finally:
        conn.close()
