"""How complete a checklist's translations are: every text a person reads, per language.

`questionnaires validate` prints this so a translator sees what is left; the screens and reports
fall back to English string by string (`Text.local`), so a half-translated checklist still works.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from guidecheck.checklist.model import Questionnaire, Text
from guidecheck.i18n import SHIPPED_LANGUAGES


@dataclass(frozen=True)
class Coverage:
    """One language's share of a checklist's texts: `missing` of `total` have no translation."""

    lang: str
    total: int
    missing: int


def texts(questionnaire: Questionnaire) -> Iterator[Text]:
    """Every non-empty text of the checklist: titles, questions, guidance, actions, choices, units."""
    candidates: list[Text] = [questionnaire.title, questionnaire.description]
    for domain in questionnaire.domains:
        candidates += [domain.title, domain.description]
        for item in domain.items:
            guidance = item.guidance
            candidates += [item.question, guidance.why, guidance.evidence, guidance.example]
            candidates += [item.action, item.unit, *(choice.label for choice in item.choices)]
    yield from (text for text in candidates if text.en.strip())


def coverage(questionnaire: Questionnaire) -> list[Coverage]:
    """For each shipped and each declared language other than English: how many texts lack it."""
    languages = [lang for lang in SHIPPED_LANGUAGES if lang != "en"]
    languages += [
        lang for lang in questionnaire.languages if lang not in languages and lang != "en"
    ]
    all_texts = list(texts(questionnaire))
    return [
        Coverage(
            lang,
            len(all_texts),
            sum(1 for text in all_texts if not (text.values.get(lang) or "").strip()),
        )
        for lang in languages
    ]
