"""Helpers for bundle tests: profiles, answers entered through the real store (`fill`), a
district key pair between a clinic and a hub. Importing as the officer does and database dumps are
in `tests/clinic_hub_helpers.py`, shared with the district tests."""

from __future__ import annotations

from pathlib import Path

from clinic_hub_helpers import enter_assessment
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
    answers = (
        (item.id, value_for(item, n + variant), f"note {n}")
        for n, item in enumerate(questionnaire.items[:limit])
    )
    return enter_assessment(store, questionnaire, profile, answers, SIGN if final else None)


def open_store(home: Path) -> Store:
    return Store(database_path(home))


def district_pair(clinic: Path, hub: Path, tmp: Path) -> None:
    """Make `hub` a district hub and install its public key at `clinic` (bundles encrypted to it)."""
    from guidecheck.bundles import keys

    key = keys.create_district_identity(hub)
    keys.install_district_keys(
        clinic, keys.write_district_key_file([key], tmp / "district.gckey", overwrite=True)
    )
