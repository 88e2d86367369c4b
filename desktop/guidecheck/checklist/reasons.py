"""The verdict's reasons and the scoring rules in plain, translatable sentences.

Scoring returns reasons as data (`model.Reason`); this module words them for the CLI, the screens
and the PDF, in the questionnaire's language for item and area names and through `_()` for the
sentence itself. Percentages come from the one formatter (`labels.format_percent`).
"""

from __future__ import annotations

from guidecheck.checklist.labels import format_percent, verdict_label
from guidecheck.checklist.model import Questionnaire, Reason, ScoreResult
from guidecheck.i18n import _


def _area(questionnaire: Questionnaire, domain_id: str, lang: str) -> str:
    domain = questionnaire.domain(domain_id)
    return domain.title.get(lang) if domain else domain_id


def _question(questionnaire: Questionnaire, item_id: str, lang: str) -> str:
    item = questionnaire.item(item_id)
    return f"“{item.question.get(lang)}”" if item else item_id


def reason_text(reason: Reason, questionnaire: Questionnaire, lang: str = "en") -> str:
    """One reason as a sentence a nurse can act on."""
    pct = format_percent
    if reason.kind == "red_flags":
        questions = "; ".join(_question(questionnaire, i, lang) for i in reason.items)
        if len(reason.items) == 1:
            return _("1 red flag (a critical item answered No or Don't know): {items}").format(
                items=questions
            )
        return _("{n} red flags (critical items answered No or Don't know): {items}").format(
            n=len(reason.items), items=questions
        )
    if reason.kind == "floor":
        return _("{area} is at {score}, below the {floor} floor.").format(
            area=_area(questionnaire, reason.domain, lang),
            score=pct(reason.value),
            floor=pct(reason.limit),
        )
    if reason.kind == "overall_low":
        return _("The overall score is {score}, below the {limit} needed for {verdict}.").format(
            score=pct(reason.value),
            limit=pct(reason.limit),
            verdict=verdict_label("ready_with_conditions"),
        )
    if reason.kind == "critical_partly":
        return _("Condition: a critical item is only partly met: {item}").format(
            item=_question(questionnaire, reason.items[0], lang)
        )
    if reason.kind == "domain_minimum":
        return _("{area} is at {score}, below the {limit} minimum for {verdict}.").format(
            area=_area(questionnaire, reason.domain, lang),
            score=pct(reason.value),
            limit=pct(reason.limit),
            verdict=verdict_label("ready"),
        )
    if reason.kind == "not_assessed":
        return _(
            "{area} is not assessed: {share} of its scored questions (by weight) are marked Not applicable, more than {limit}."
        ).format(
            area=_area(questionnaire, reason.domain, lang),
            share=pct(reason.value),
            limit=pct(reason.limit),
        )
    if reason.kind == "below_ready":
        return _("The overall score is {score}, below the {limit} needed for {verdict}.").format(
            score=pct(reason.value), limit=pct(reason.limit), verdict=verdict_label("ready")
        )
    if reason.kind == "nothing_scored":
        return _("No scored question has been answered yet.")
    if reason.kind == "survey":
        return _("This checklist is a survey: it has no scoring.")
    if reason.kind == "ready":
        return _(
            "No red flags, no area below its minimum, and the overall score is {score} (at least {limit})."
        ).format(score=pct(reason.value), limit=pct(reason.limit))
    return reason.kind


def reason_texts(result: ScoreResult, questionnaire: Questionnaire, lang: str = "en") -> list[str]:
    """Every reason for this result's verdict, most important first."""
    return [reason_text(reason, questionnaire, lang) for reason in result.reasons]


def rules_in_words(questionnaire: Questionnaire) -> list[str]:
    """How answers become the verdict, for the "How the verdict was decided" box."""
    rules = questionnaire.scoring
    pct = format_percent
    lines = [
        _(
            "Each scored question counts by its weight: Yes = full marks, Partly = half, No and Don't know = none; Not applicable is left out."
        ),
        _(
            "An area's score and the overall score are the weighted share of marks earned, cut (never rounded up) to one decimal."
        ),
        _("A critical question answered No or Don't know is a red flag: {verdict}.").format(
            verdict=verdict_label("not_ready")
        ),
    ]
    if not questionnaire.scored:
        return [_("This checklist is a survey: it has no scoring.")]
    if rules.rules_version >= 2:
        lines += [
            _("A guideline area below {floor}: {verdict}.").format(
                floor=pct(rules.domain_floor), verdict=verdict_label("not_ready")
            ),
            _("An overall score below {limit}: {verdict}.").format(
                limit=pct(rules.ready_with_conditions), verdict=verdict_label("not_ready")
            ),
            _(
                "At most {verdict} when: a critical question is answered Partly, a guideline area is below {minimum}, more than {share} of an area is Not applicable (the area is not assessed), or the overall score is below {ready}."
            ).format(
                verdict=verdict_label("ready_with_conditions"),
                minimum=pct(rules.domain_minimum),
                share=pct(rules.na_share_max),
                ready=pct(rules.ready),
            ),
            _("Otherwise: {verdict}.").format(verdict=verdict_label("ready")),
        ]
        if rules.na_needs_note:
            lines.append(_("Every Not applicable answer needs a reason (a note)."))
    else:
        lines += [
            _("{verdict}: overall at least {ready} and every area at least {minimum}.").format(
                verdict=verdict_label("ready"),
                ready=pct(rules.ready),
                minimum=pct(rules.domain_minimum),
            ),
            _("{verdict}: overall at least {limit}; below it: {not_ready}.").format(
                verdict=verdict_label("ready_with_conditions"),
                limit=pct(rules.ready_with_conditions),
                not_ready=verdict_label("not_ready"),
            ),
        ]
    return lines
