"""Scores, verdict, red flags and action plan: a pure function of questionnaire + profile + answers.

Rules (docs/questionnaire-format.md): yes = 1, partly = 0.5, no and don't know = 0, not applicable
left out; hidden items are ignored; any shown critical item answered no / don't know is a red flag
and forces `not_ready`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from guidecheck.checklist import expressions
from guidecheck.checklist.answers import is_na
from guidecheck.checklist.model import (
    COMPLIANCE_SCORES,
    ActionEntry,
    Answer,
    Item,
    Profile,
    Questionnaire,
    ScoreResult,
)

PRIORITY_ORDER = {"critical": 0, "high": 1, "medium": 2}


@lru_cache(maxsize=4096)
def _parsed(condition: str) -> expressions.Node:
    return expressions.parse(condition)


def _holds(condition: str | None, profile: dict[str, Any], values: dict[str, Any]) -> bool:
    return condition is None or expressions.evaluate(_parsed(condition), profile, values)


def visible_items(
    questionnaire: Questionnaire, profile: Profile, answers: Mapping[str, Answer]
) -> list[Item]:
    """Items shown for these answers, in file order. A hidden item's answer reads as null."""
    profile_values = profile.as_dict()
    values: dict[str, Any] = {}
    shown: list[Item] = []
    for domain in questionnaire.domains:
        domain_shown = _holds(domain.condition, profile_values, values)
        for item in domain.items:
            if domain_shown and _holds(item.condition, profile_values, values):
                shown.append(item)
                answer = answers.get(item.id)
                if answer is not None:
                    values[item.id] = answer.value
    return shown


def item_credit(item: Item, value: Any) -> float | None:
    """The share of the item met by this value (0–1), or None when it is left out of scoring."""
    if value is None:
        return None
    if item.type == "compliance":
        return COMPLIANCE_SCORES.get(value)
    if item.type == "single_choice":
        choice = item.choice(value)
        if choice is None or choice.na:
            return None
        return choice.score
    return None


def note_required(item: Item, value: Any) -> bool:
    if item.note == "required":
        return True
    if item.na_needs_note and is_na(item, value):
        return True
    if item.note == "on_unmet":
        credit = item_credit(item, value)
        return credit is not None and credit < 1
    return False


def _priority(item: Item) -> str:
    if item.critical:
        return "critical"
    return "high" if item.weight >= 3 else "medium"


def score(
    questionnaire: Questionnaire, profile: Profile, answers: Mapping[str, Answer]
) -> ScoreResult:
    """Everything derived from the answers; the same inputs always give the same result."""
    shown = visible_items(questionnaire, profile, answers)
    earned: dict[str, float] = {}
    possible: dict[str, float] = {}
    progress: dict[str, list[int]] = {d.id: [0, 0] for d in questionnaire.domains}
    red_flags: list[str] = []
    unanswered: list[str] = []
    missing_notes: list[str] = []
    actions: list[tuple[tuple[int, float, int], ActionEntry]] = []
    for position, item in enumerate(shown):
        answer = answers.get(item.id)
        value = answer.value if answer is not None else None
        progress[item.domain_id][1] += 1
        if value is None or value == "" or value == []:
            unanswered.append(item.id)
            continue
        progress[item.domain_id][0] += 1
        if note_required(item, value) and not (answer and answer.note.strip()):
            missing_notes.append(item.id)
        if item.critical and value in ("no", "dont_know"):
            red_flags.append(item.id)
        credit = item_credit(item, value)
        if not item.scored or credit is None:
            continue
        earned[item.domain_id] = earned.get(item.domain_id, 0.0) + credit * item.weight
        possible[item.domain_id] = possible.get(item.domain_id, 0.0) + item.weight
        if credit < 1:
            entry = ActionEntry(item.id, item.domain_id, item.action, _priority(item), value)
            actions.append(((PRIORITY_ORDER[entry.priority], -item.weight, position), entry))
    domains: dict[str, float | None] = {}
    for domain in questionnaire.domains:
        total = possible.get(domain.id, 0.0)
        domains[domain.id] = round(100.0 * earned.get(domain.id, 0.0) / total, 1) if total else None
    total_possible = sum(possible.values())
    overall = round(100.0 * sum(earned.values()) / total_possible, 1) if total_possible else None
    verdict = _verdict(questionnaire, overall, domains, bool(red_flags))
    actions.sort(key=lambda pair: pair[0])
    return ScoreResult(
        overall=overall,
        domains=domains,
        verdict=verdict,
        red_flags=tuple(red_flags),
        action_plan=tuple(entry for _, entry in actions),
        visible_items=tuple(item.id for item in shown),
        unanswered=tuple(unanswered),
        missing_notes=tuple(missing_notes),
        domain_progress={k: (v[0], v[1]) for k, v in progress.items()},
    )


def _verdict(
    questionnaire: Questionnaire,
    overall: float | None,
    domains: dict[str, float | None],
    flagged: bool,
) -> str:
    if flagged or overall is None:
        return "not_ready"
    limits = questionnaire.thresholds
    scored = [s for s in domains.values() if s is not None]
    if overall >= limits.ready and all(s >= limits.domain_minimum for s in scored):
        return "ready"
    if overall >= limits.ready_with_conditions:
        return "ready_with_conditions"
    return "not_ready"
