"""Helpers for monitoring tests: assessments answered and observations logged through the real store."""

from __future__ import annotations

from clinic_hub_helpers import fitting_value, import_approved  # noqa: F401 - used by the tests here
from guidecheck.checklist.model import Item, Profile, Questionnaire, SignOff
from guidecheck.monitoring import store as monitoring
from guidecheck.monitoring.model import Observation
from guidecheck.storage.store import Store

SIGN = SignOff("Amina N.", "Nurse", "Dr. Kofi", "2026-11-21")


def value_for(item: Item):
    return fitting_value(item, "checked")


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
