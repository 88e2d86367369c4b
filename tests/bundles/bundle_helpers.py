"""Helpers for bundle tests: profiles, answers entered through the real store, database dumps."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from guidecheck.checklist.model import Item, Profile, Questionnaire, SignOff
from guidecheck.paths import database_path
from guidecheck.storage.store import Store

SIGN = SignOff("Amina N.", "Nurse", "Dr. Kofi", "2026-11-21")


def profile_for(code: str, tool: str = "ChestScan") -> Profile:
    return Profile(
        facility_name=f"Clinic {code}", facility_code=code, district="Kisumu", region="West",
        tool_name=tool, tool_vendor="Acme", tool_version="2.1", use_category="diagnostic_imaging",
        assessor_name="Amina N.", assessor_role="Nurse", date="2026-11-20",
    )  # fmt: skip


def value_for(item: Item, variant: int = 0):
    if item.type == "compliance":
        return ("yes", "partly", "no", "dont_know")[variant % 4]
    if item.type == "single_choice":
        return item.choices[variant % len(item.choices)].id
    if item.type == "multiple_choice":
        return [item.choices[0].id]
    if item.type == "number":
        return int(item.minimum or 0) + 1 + variant
    if item.type == "date":
        return "2026-10-01"
    return f"remark {variant}"


def fill(store: Store, questionnaire: Questionnaire, profile: Profile, limit: int | None = None, variant: int = 0,
         final: bool = False) -> str:  # fmt: skip
    """A new assessment answered through the real store; returns its id."""
    assessment = store.new_assessment(questionnaire, profile)
    for n, item in enumerate(questionnaire.items[:limit]):
        store.save_answer(assessment.id, item.id, value_for(item, n + variant), note=f"note {n}")
    if final:
        store.finalize(assessment.id, SIGN)
    return assessment.id


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


def open_store(home: Path) -> Store:
    return Store(database_path(home))


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


def district_pair(clinic: Path, hub: Path, tmp: Path) -> None:
    """Make `hub` a district hub and install its public key at `clinic` (bundles encrypted to it)."""
    from guidecheck.bundles import keys

    key = keys.create_district_identity(hub)
    keys.install_district_keys(
        clinic, keys.write_district_key_file([key], tmp / "district.gckey", overwrite=True)
    )
