"""Plain words the reports print: the core's labels plus scores, verdict reasons and short guidance.

Kept apart from the writers so the PDF, the workbook and the tests print exactly the same text.
"""

from __future__ import annotations

import re
from datetime import date

from guidecheck.checklist.labels import (
    answer_text,
    compliance_label,
    format_percent,
    priority_label,
    status_label,
    use_category_label,
    verdict_label,
)
from guidecheck.checklist.model import Item
from guidecheck.i18n import _
from guidecheck.reports.content import ReportData

__all__ = [
    "answer_text",
    "compliance_label",
    "first_sentence",
    "iso_date",
    "percent_number",
    "percent_text",
    "priority_label",
    "short_guidance",
    "status_label",
    "use_category_label",
    "verdict_explanation",
    "verdict_label",
]


def verdict_explanation(data: ReportData) -> str:
    """One sentence saying why the verdict is what it is. Rules version 2 and surveys: the most
    important reason (all of them follow in the "How the verdict was decided" box); a ready
    verdict says what it means instead."""
    result = data.score
    if result.rules_version >= 2 or result.verdict is None:
        from guidecheck.checklist.labels import verdict_explanation as meaning
        from guidecheck.checklist.reasons import reason_text

        if result.verdict in (None, "ready") or not result.reasons:
            return meaning(result.verdict)
        more = len(result.reasons) - 1
        first = reason_text(result.reasons[0], data.questionnaire)
        if more:
            return _("{reason} (and {n} more: see How the verdict was decided)").format(
                reason=first, n=more
            )
        return first
    thresholds = data.questionnaire.thresholds
    if result.red_flags:
        count = len(result.red_flags)
        if count == 1:
            return _("1 red flag: the tool should not be used until it is fixed.")
        return _("{count} red flags: the tool should not be used until they are fixed.").format(
            count=count
        )
    if result.overall is None:
        return _("Nothing has been scored yet: no scored item has an answer.")
    if result.verdict == "ready":
        return _(
            "Overall score at least {ready}%, every domain at least {minimum}%, no red flag."
        ).format(
            ready=percent_number(thresholds.ready),
            minimum=percent_number(thresholds.domain_minimum),
        )
    if result.verdict == "ready_with_conditions":
        return _("The tool may be used while the actions in the plan are carried out.")
    return _("Overall score below {level}%: the tool is not ready for use.").format(
        level=percent_number(thresholds.ready_with_conditions)
    )


def percent_number(value: float) -> str:
    """A percentage without a needless '.0' or '%', cut so 79.96 never reads as 80 (the core's
    one formatter, `checklist.labels.format_percent`)."""
    return format_percent(value).removesuffix("%")


def percent_text(value: float | None) -> str:
    """'72.5%' or 'no score' for a domain with nothing to score."""
    return format_percent(value, _("no score"))


_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def first_sentence(text: str) -> str:
    text = " ".join(text.split())
    parts = _SENTENCE_END.split(text, maxsplit=1)
    return parts[0] if parts else ""


def short_guidance(item: Item, lang: str = "en") -> str:
    """A short form of the guidance for an unmet item: why it matters and what counts as evidence."""
    why = first_sentence(item.guidance.why.get(lang))
    evidence = first_sentence(item.guidance.evidence.get(lang))
    if why and evidence:
        return _("{why} Evidence: {evidence}").format(why=why, evidence=evidence)
    return why or evidence


def iso_date(text: str) -> date | None:
    """A date from ISO text ('2026-11-25' or a timestamp starting with it), else None."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
