"""Helpers for report tests: profiles and answering every shown item like a person would.

A uniquely named module (not conftest) so `import` finds it whatever other test folders hold.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from guidecheck.checklist.model import Item, Profile
from guidecheck.checklist.scoring import visible_items
from guidecheck.storage.store import Store

LONG_NOTE = (
    "Checked the vendor's signed data protection agreement and the facility register on site; the "
    "register lists every login since March, reviewed with the nurse in charge, who showed the locked "
    "cabinet, the encrypted laptop settings and the paper consent forms for the last forty patients. "
)


def profile(**changes: str) -> Profile:
    base = {
        "facility_name": "Clínica São João",
        "facility_code": "MZ-NIA-014",
        "district": "Lichinga",
        "region": "Niassa",
        "tool_name": "ChestScan AI",
        "tool_vendor": "Radiant Health",
        "tool_version": "2.3.1",
        "tool_intended_use": "Reads chest X-rays for signs of tuberculosis and flags them for a clinician.",
        "tool_date_deployed": "2025-06-01",
        "use_category": "diagnostic_imaging",
        "assessor_name": "Maria Mondlane",
        "assessor_role": "Nurse in charge",
        "date": "2026-11-20",
    }
    base.update(changes)
    return Profile.from_dict(base)


def default_value(item: Item, compliance: str = "yes") -> Any:
    if item.type == "compliance":
        return compliance
    if item.type == "single_choice":
        scored = [c for c in item.choices if not c.na]
        best = max(scored, key=lambda c: c.score or 0.0) if scored else item.choices[0]
        return best.id
    if item.type == "multiple_choice":
        return [item.choices[0].id]
    if item.type == "number":
        return int(item.minimum) if item.minimum is not None else 3
    if item.type == "date":
        return "2026-01-15"
    return "Answered in writing: see the facility file."


Chooser = Callable[[Item], Any]


def answer_all(
    store: Store, assessment_id: str, choose: Chooser, note: Callable[[Item], str]
) -> None:
    """Answer every shown item (repeating while answers reveal more items) with a note."""
    assessment = store.get_assessment(assessment_id)
    questionnaire = store.questionnaire_for(assessment)
    for _round in range(10):
        answers = store.answers(assessment_id)
        pending = [
            i
            for i in visible_items(questionnaire, assessment.profile, answers)
            if i.id not in answers
        ]
        if not pending:
            return
        for item in pending:
            store.save_answer(assessment_id, item.id, choose(item), note(item))
    raise AssertionError("items kept appearing")


RED_FLAG_ITEMS = {"eth_patient_informed": "no", "prv_access_password": "dont_know"}
PARTLY_ITEMS = {"prv_vendor_agreement", "saf_error_reporting"}


def mixed_choice(item: Item) -> Any:
    """Mostly yes, two red flags, a few 'partly' and some 'no' on non-critical heavy items."""
    if item.id in RED_FLAG_ITEMS:
        return RED_FLAG_ITEMS[item.id]
    if item.type == "compliance":
        if item.id in PARTLY_ITEMS:
            return "partly"
        if not item.critical and item.weight >= 3 and item.domain_id in ("equity", "training"):
            return "no"
    return default_value(item)
