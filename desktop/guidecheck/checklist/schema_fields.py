"""The field-level checks every part of a questionnaire file goes through: text in one or more
languages, mappings, lists, numbers, true/false and unknown keys.

`Checker` keeps each problem with the line it was found on instead of stopping at the first, so
`guidecheck validate` can list every problem in a file at once (`schema.build_questionnaire`
raises them). Kept apart from the file-level and item checks that use it.
"""

from __future__ import annotations

import re
from typing import Any

from guidecheck.checklist.model import Text
from guidecheck.checklist.yaml_reader import LocDict
from guidecheck.i18n import _

_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")


class Checker:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[tuple[int, str]] = []
        self.unasked: set[str] = set()  # profile fields the checklist does not ask
        self.profile_refs: set[str] = set()  # profile fields its conditions read

    def fail(self, line: int, problem: str) -> None:
        self.problems.append((line, problem))

    def text(self, owner: LocDict, key: str, required: bool = True) -> Text:
        line = owner.line_of(key)
        value = owner.get(key)
        if value is None:
            if required:
                self.fail(line, _("'{key}' is missing").format(key=key))
            return Text({"en": ""})
        if isinstance(value, str):
            if required and not value.strip():
                self.fail(line, _("'{key}' is empty").format(key=key))
            return Text({"en": value})
        if isinstance(value, dict):
            values: dict[str, str] = {}
            for lang, text in value.items():
                if not isinstance(lang, str) or not _LANG.match(lang):
                    self.fail(
                        line,
                        _("'{key}' has an invalid language code '{lang}'").format(
                            key=key, lang=lang
                        ),
                    )
                elif not isinstance(text, str):
                    self.fail(line, _("'{key}.{lang}' must be text").format(key=key, lang=lang))
                else:
                    values[lang] = text
            if not values.get("en"):
                self.fail(line, _("'{key}' needs an English ('en') text").format(key=key))
            return Text(values or {"en": ""})
        self.fail(line, _("'{key}' must be text or a mapping of language to text").format(key=key))
        return Text({"en": ""})

    def mapping(self, value: Any, line: int, what: str) -> LocDict | None:
        if isinstance(value, LocDict):
            return value
        self.fail(line, _("{what} must be a mapping (key: value)").format(what=what))
        return None

    def sequence(self, owner: LocDict, key: str) -> list[Any]:
        value = owner.get(key)
        if not isinstance(value, list) or not value:
            self.fail(owner.line_of(key), _("'{key}' must be a non-empty list").format(key=key))
            return []
        return value

    def number(
        self, owner: LocDict, key: str, default: float | None, low: float, high: float
    ) -> float | None:
        value = owner.get(key, default)
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not low <= value <= high
        ):
            self.fail(
                owner.line_of(key),
                _("'{key}' must be a number from {low} to {high}").format(
                    key=key, low=low, high=high
                ),
            )
            return default
        return float(value)

    def flag(self, owner: LocDict, key: str) -> bool:
        value = owner.get(key, False)
        if not isinstance(value, bool):
            self.fail(owner.line_of(key), _("'{key}' must be true or false").format(key=key))
            return False
        return value

    def unknown_keys(self, owner: LocDict, allowed: set[str]) -> None:
        for key in owner:
            if key not in allowed:
                self.fail(owner.line_of(key), _("unknown field '{key}'").format(key=key))
