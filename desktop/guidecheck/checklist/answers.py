"""Checking one answer against its item: the single place that decides what a valid value is.

Used by the store before anything is written, so the CLI, the app and bundle imports agree.
Format 2 adds two rules here: `na` is refused on a critical item unless it says `na_allowed`, and
an item's `constraint` (a condition where `value` is its own answer) must hold.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from guidecheck import limits
from guidecheck.checklist.model import COMPLIANCE_VALUES, Answer, Item, Profile, Questionnaire
from guidecheck.errors import AnswerError
from guidecheck.i18n import _

MAX_TEXT = limits.ANSWER_TEXT


def normalize_value(item: Item, value: Any) -> Any:
    """The stored form of `value` for `item`, or AnswerError naming the item and the problem."""
    kind = item.type
    if value is None:
        return None
    if kind == "compliance":
        if value not in COMPLIANCE_VALUES:
            raise AnswerError(
                _("Item '{id}' takes one of yes, partly, no, dont_know, na, not '{value}'.").format(
                    id=item.id, value=value
                )
            )
        if value == "na" and item.na_refused:
            raise AnswerError(
                _(
                    "Item '{id}' is critical: it cannot be answered Not applicable. Answer Yes, Partly, No or Don't know."
                ).format(id=item.id)
            )
        return value
    if kind == "single_choice":
        if not isinstance(value, str) or item.choice(value) is None:
            raise AnswerError(
                _("Item '{id}' has no choice '{value}'.").format(id=item.id, value=value)
            )
        return value
    if kind == "multiple_choice":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise AnswerError(_("Item '{id}' takes a list of choices.").format(id=item.id))
        for choice_id in value:
            if item.choice(choice_id) is None:
                raise AnswerError(
                    _("Item '{id}' has no choice '{value}'.").format(id=item.id, value=choice_id)
                )
        order = [c.id for c in item.choices]
        return sorted(set(value), key=order.index)
    if kind == "number":
        return _number(item, value)
    if kind == "date":
        return _date(item, value)
    if not isinstance(value, str) or not is_text(value):
        raise AnswerError(_("Item '{id}' takes text.").format(id=item.id))
    if len(value) > MAX_TEXT:
        raise AnswerError(
            _("Item '{id}' takes at most {n} characters.").format(id=item.id, n=MAX_TEXT)
        )
    return value


def is_na(item: Item, value: Any) -> bool:
    """True when the answer says "not applicable" (compliance `na`, or a choice marked `na`)."""
    if item.type == "compliance":
        return bool(value == "na")
    if item.type == "single_choice" and isinstance(value, str):
        choice = item.choice(value)
        return choice is not None and choice.na
    return False


def constraint_problem(
    questionnaire: Questionnaire,
    item: Item,
    value: Any,
    profile: Profile,
    answers: Mapping[str, Answer],
    lang: str = "en",
) -> str | None:
    """The item's `constraint_message` when its constraint fails for this value, else None.

    Earlier answers are read as stored (hidden items count as unanswered only at scoring)."""
    if item.constraint is None or value is None or value == "":
        return None
    from guidecheck.checklist.expressions import VALUE_KEY, evaluate, parse

    values: dict[str, Any] = {key: answer.value for key, answer in answers.items()}
    values[VALUE_KEY] = value
    if evaluate(parse(item.constraint, allow_value=True), profile.as_dict(), values):
        return None
    return item.constraint_message.get(lang) or _(
        "Item '{id}': this answer is not allowed."
    ).format(id=item.id)


def check_constraint(
    questionnaire: Questionnaire,
    item: Item,
    value: Any,
    profile: Profile,
    answers: Mapping[str, Answer],
    lang: str = "en",
) -> None:
    """Refuse (AnswerError, the questionnaire's message) a value that breaks the item's constraint."""
    problem = constraint_problem(questionnaire, item, value, profile, answers, lang)
    if problem is not None:
        raise AnswerError(problem)


def is_text(value: str) -> bool:
    """False for strings that cannot be stored as UTF-8 (lone surrogates from JSON escapes)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _finite(value: int | float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float (hundreds of digits)
        return False


def _number(item: Item, value: Any) -> int | float:
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            raise AnswerError(
                _("Item '{id}' takes a number, not '{value}'.").format(
                    id=item.id, value=value.strip()
                ),
                "not_a_number",
            ) from None
    if isinstance(value, bool) or not isinstance(value, int | float) or not _finite(value):
        raise AnswerError(_("Item '{id}' takes a number.").format(id=item.id), "not_a_number")
    if item.integer and float(value) != int(value):
        raise AnswerError(_("Item '{id}' takes a whole number.").format(id=item.id), "not_whole")
    if item.minimum is not None and value < item.minimum:
        raise AnswerError(
            _("Item '{id}' must be at least {min:g}.").format(id=item.id, min=item.minimum),
            "too_low",
        )
    if item.maximum is not None and value > item.maximum:
        raise AnswerError(
            _("Item '{id}' must be at most {max:g}.").format(id=item.id, max=item.maximum),
            "too_high",
        )
    return int(value) if item.integer or float(value).is_integer() else float(value)


def _date(item: Item, value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise AnswerError(
        _("Item '{id}' takes a date written as YYYY-MM-DD, not '{value}'.").format(
            id=item.id, value=value
        ),
        "not_a_date",
    )
