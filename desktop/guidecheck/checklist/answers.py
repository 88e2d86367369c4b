"""Checking one answer against its item: the single place that decides what a valid value is.

Used by the store before anything is written, so the CLI, the app and bundle imports agree.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from guidecheck import limits
from guidecheck.checklist.model import COMPLIANCE_VALUES, Item
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
