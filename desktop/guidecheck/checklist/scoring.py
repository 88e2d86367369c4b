"""Scores, verdict, reasons, red flags and action plan: a pure function of questionnaire +
profile + answers.

Rules (docs/questionnaire-format.md): yes = 1, partly = 0.5, no and don't know = 0, not applicable
left out; hidden items are ignored; any shown critical item answered no / don't know is a red flag
and forces `not_ready`. Format 1 questionnaires use scoring rules version 1 (thresholds only);
format 2 ones use version 2 (area floor, "not assessed" areas, critical partly as a cap), with
the limits read from the questionnaire's `scoring:` block. The reasons are data (`Reason`), worded
by `checklist.reasons`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from guidecheck.checklist import expressions
from guidecheck.checklist.answers import is_na
from guidecheck.checklist.labels import cut_percent
from guidecheck.checklist.model import (
    COMPLIANCE_SCORES,
    ActionEntry,
    Answer,
    Item,
    Profile,
    Questionnaire,
    Reason,
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


def floor1(value: float) -> float:
    """Cut to one decimal, never up: 79.96 -> 79.9 (the float noise of 28.999999 counts as 29)."""
    return float(cut_percent(value) or 0.0)


def score(
    questionnaire: Questionnaire, profile: Profile, answers: Mapping[str, Answer]
) -> ScoreResult:
    """Everything derived from the answers; the same inputs always give the same result."""
    rules = questionnaire.scoring
    version = rules.rules_version
    shown = visible_items(questionnaire, profile, answers)
    earned: dict[str, float] = {}
    possible: dict[str, float] = {}
    na_weight: dict[str, float] = {}
    progress: dict[str, list[int]] = {d.id: [0, 0] for d in questionnaire.domains}
    red_flags: list[str] = []
    partly_critical: list[str] = []
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
        if item.critical and value == "partly":
            partly_critical.append(item.id)
        credit = item_credit(item, value)
        if item.scored and credit is None and is_na(item, value):
            na_weight[item.domain_id] = na_weight.get(item.domain_id, 0.0) + item.weight
        if not item.scored or credit is None:
            continue
        earned[item.domain_id] = earned.get(item.domain_id, 0.0) + credit * item.weight
        possible[item.domain_id] = possible.get(item.domain_id, 0.0) + item.weight
        if credit < 1:
            entry = ActionEntry(item.id, item.domain_id, item.action, _priority(item), value)
            actions.append(((PRIORITY_ORDER[entry.priority], -item.weight, position), entry))
    cut = floor1 if version >= 2 else (lambda v: round(v, 1))
    domains: dict[str, float | None] = {}
    for domain in questionnaire.domains:
        total = possible.get(domain.id, 0.0)
        domains[domain.id] = cut(100.0 * earned.get(domain.id, 0.0) / total) if total else None
    total_possible = sum(possible.values())
    overall = cut(100.0 * sum(earned.values()) / total_possible) if total_possible else None
    not_assessed: dict[str, float] = {}  # guideline area -> % of its answered weight marked na
    if version >= 2:
        for domain in questionnaire.domains:
            na = na_weight.get(domain.id, 0.0)
            share = 100.0 * na / (na + possible.get(domain.id, 0.0)) if na else 0.0
            if domain.kind == "guideline" and share > rules.na_share_max:
                not_assessed[domain.id] = share
    if not questionnaire.scored:
        verdict: str | None = None
        reasons: tuple[Reason, ...] = (Reason("survey"),)
    elif version >= 2:
        verdict, reasons = _verdict_v2(
            questionnaire, overall, domains, red_flags, partly_critical, not_assessed
        )
    else:
        verdict = _verdict(questionnaire, overall, domains, bool(red_flags))
        reasons = _reasons_v1(questionnaire, overall, domains, red_flags, verdict)
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
        reasons=reasons,
        rules_version=version,
        not_assessed=tuple(not_assessed),
    )


_SEVERITY = {"ready": 0, "ready_with_conditions": 1, "not_ready": 2}


def _verdict_v2(
    questionnaire: Questionnaire,
    overall: float | None,
    domains: dict[str, float | None],
    red_flags: list[str],
    partly_critical: list[str],
    not_assessed: dict[str, float],
) -> tuple[str, tuple[Reason, ...]]:
    """Rules version 2, in order; the verdict is the strictest any reason allows."""
    rules = questionnaire.scoring
    guideline = [d for d in questionnaire.domains if d.kind == "guideline"]
    reasons: list[Reason] = []
    if red_flags:
        reasons.append(Reason("red_flags", items=tuple(red_flags), verdict="not_ready"))
    for domain in guideline:
        value = domains.get(domain.id)
        if value is not None and value < rules.domain_floor:
            reasons.append(
                Reason(
                    "floor",
                    domain=domain.id,
                    value=value,
                    limit=rules.domain_floor,
                    verdict="not_ready",
                )  # fmt: skip
            )
    if overall is None:
        reasons.append(Reason("nothing_scored", verdict="not_ready"))
    elif overall < rules.ready_with_conditions:
        reasons.append(
            Reason(
                "overall_low", value=overall, limit=rules.ready_with_conditions, verdict="not_ready"
            )  # fmt: skip
        )
    for item_id in partly_critical:
        reasons.append(Reason("critical_partly", items=(item_id,), verdict=rules.critical_partly))
    for domain in guideline:
        value = domains.get(domain.id)
        if value is not None and rules.domain_floor <= value < rules.domain_minimum:
            reasons.append(
                Reason(
                    "domain_minimum",
                    domain=domain.id,
                    value=value,
                    limit=rules.domain_minimum,
                    verdict="ready_with_conditions",
                )  # fmt: skip
            )
    for domain_id, share in not_assessed.items():
        reasons.append(
            Reason(
                "not_assessed",
                domain=domain_id,
                value=floor1(share),
                limit=rules.na_share_max,
                verdict="ready_with_conditions",
            )  # fmt: skip
        )
    if overall is not None and rules.ready_with_conditions <= overall < rules.ready:
        reasons.append(
            Reason(
                "below_ready", value=overall, limit=rules.ready, verdict="ready_with_conditions"
            )  # fmt: skip
        )
    verdict = max(
        (r.verdict or "ready" for r in reasons), key=_SEVERITY.__getitem__, default="ready"
    )
    if not reasons:
        reasons.append(Reason("ready", value=overall, limit=rules.ready, verdict="ready"))
    return verdict, tuple(reasons)


def _reasons_v1(
    questionnaire: Questionnaire,
    overall: float | None,
    domains: dict[str, float | None],
    red_flags: list[str],
    verdict: str,
) -> tuple[Reason, ...]:
    """Rules version 1 in words: red flags, the overall thresholds and the domain minimum."""
    limits = questionnaire.thresholds
    reasons: list[Reason] = []
    if red_flags:
        reasons.append(Reason("red_flags", items=tuple(red_flags), verdict="not_ready"))
    if overall is None:
        reasons.append(Reason("nothing_scored", verdict="not_ready"))
        return tuple(reasons)
    if overall < limits.ready_with_conditions:
        reasons.append(
            Reason(
                "overall_low",
                value=overall,
                limit=limits.ready_with_conditions,
                verdict="not_ready",
            )  # fmt: skip
        )
    for domain in questionnaire.domains:
        value = domains.get(domain.id)
        if value is not None and value < limits.domain_minimum:
            reasons.append(
                Reason(
                    "domain_minimum",
                    domain=domain.id,
                    value=value,
                    limit=limits.domain_minimum,
                    verdict="ready_with_conditions",
                )  # fmt: skip
            )
    if limits.ready_with_conditions <= overall < limits.ready:
        reasons.append(
            Reason(
                "below_ready", value=overall, limit=limits.ready, verdict="ready_with_conditions"
            )  # fmt: skip
        )
    if verdict == "ready":
        reasons.append(Reason("ready", value=overall, limit=limits.ready, verdict="ready"))
    return tuple(reasons)


def _verdict(
    questionnaire: Questionnaire,
    overall: float | None,
    domains: dict[str, float | None],
    flagged: bool,
) -> str:
    """Rules version 1, unchanged: format 1 assessments keep the verdict they always had."""
    if flagged or overall is None:
        return "not_ready"
    limits = questionnaire.thresholds
    scored = [s for s in domains.values() if s is not None]
    if overall >= limits.ready and all(s >= limits.domain_minimum for s in scored):
        return "ready"
    if overall >= limits.ready_with_conditions:
        return "ready_with_conditions"
    return "not_ready"
