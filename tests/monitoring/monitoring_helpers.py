"""Helpers for monitoring tests: assessments answered and observations logged through the real store."""

from __future__ import annotations

from guidecheck.checklist.model import Item, Profile, Questionnaire, SignOff
from guidecheck.monitoring import store as monitoring
from guidecheck.monitoring.model import Observation
from guidecheck.storage.store import Store

SIGN = SignOff("Amina N.", "Nurse", "Dr. Kofi", "2026-11-21")


def value_for(item: Item):
    if item.type == "compliance":
        return "yes"
    if item.type in ("single_choice",):
        return item.choices[0].id
    if item.type == "multiple_choice":
        return [item.choices[0].id]
    if item.type == "number":
        return int(item.minimum or 0) + 1
    if item.type == "date":
        return "2026-10-01"
    return "checked"


def next_millisecond() -> None:
    """Wait until the store's clock (millisecond stamps) has moved on, so an event and a sign-off
    made back to back in a test never share a stamp: a person cannot do both in one millisecond,
    and which side of the sign-off such an event belongs to is not defined."""
    from guidecheck.storage.database import now_iso

    start = now_iso()
    while now_iso() == start:
        pass


def assess(store: Store, questionnaire: Questionnaire, profile: Profile, final: bool) -> str:
    """A new assessment with every item answered through the store; finalized when asked."""
    next_millisecond()
    assessment = store.new_assessment(questionnaire, profile)
    for item in questionnaire.items:
        store.save_answer(assessment.id, item.id, value_for(item), note="seen")
    if final:
        store.finalize(assessment.id, SIGN)
        next_millisecond()
    return assessment.id


def log(store: Store, severity: str, what: str, kind: str = "wrong_output", code: str = "MZ-0042",
        tool: str = "ChestScan", date: str = "2026-11-22") -> str:  # fmt: skip
    return monitoring.add_observation(
        store,
        Observation(
            date=date,
            facility_code=code,
            tool_id=tool,
            kind=kind,
            severity=severity,
            what_happened=what,
            action_taken="Told the in-charge.",
        ),  # fmt: skip
        actor="Amina N.",
    )


def import_approved(home, store: Store, path):
    """Import a bundle as the hub's officer would on first contact: the unknown device's bundle is
    held, the officer approves the device for the facilities it names, and the held file applies."""
    import dataclasses
    from pathlib import Path

    from guidecheck.bundles.approval import approve_device
    from guidecheck.bundles.importer import import_file

    outcome = import_file(home, store, path)
    if not outcome.held:
        return outcome
    manifest = outcome.manifest
    decision = approve_device(home, store, manifest.device_id, list(manifest.facility_codes))
    (applied,) = [o for o in decision.outcomes if o.manifest.bundle_id == manifest.bundle_id]
    return dataclasses.replace(applied, path=Path(path), source_name="")
