"""The checks on a `condition:` or `constraint:` text: it parses in the condition language and
refers only to earlier items, profile fields the checklist asks, and values those items can have.

Kept apart from the item checks because these are cross-references: they read the items checked
before, and they record which profile fields the conditions read (`Checker.profile_refs`).
"""

from __future__ import annotations

from guidecheck.checklist import expressions
from guidecheck.checklist.model import Item
from guidecheck.checklist.schema_fields import Checker
from guidecheck.checklist.yaml_reader import LocDict
from guidecheck.i18n import _


def condition(
    check: Checker, node: LocDict, earlier: dict[str, Item], key: str = "condition"
) -> str | None:
    text = node.get(key)
    if text is None:
        return None
    line = node.line_of(key)
    if not isinstance(text, str):
        check.fail(line, _("'{key}' must be text").format(key=key))
        return None
    try:
        tree = expressions.parse(text, allow_value=key == "constraint")
    except expressions.ExpressionError as exc:
        check.fail(line, exc.message)
        return None
    for ref in expressions.references(tree):
        if ref.scope == "profile":
            check.profile_refs.add(ref.name)
        if ref.scope == "profile" and ref.name in check.unasked:
            check.fail(
                line,
                _(
                    "the condition reads profile.{name}, which this checklist does not ask "
                    "(add it to 'profile_fields')"
                ).format(name=ref.name),
            )
        if ref.scope == "answer" and ref.name not in earlier:
            check.fail(
                line,
                _("the condition refers to '{name}', which is not an earlier item").format(
                    name=ref.name
                ),
            )
    for ref, value in expressions.compared_values(tree):
        target = earlier.get(ref.name)
        if target is None:
            continue
        if target.type == "compliance" and value not in ("yes", "partly", "no", "dont_know", "na"):
            check.fail(
                line,
                _(
                    "the condition compares '{name}' with '{value}', which is not a compliance answer"
                ).format(name=ref.name, value=value),
            )
        if target.choices and target.choice(value) is None:
            check.fail(
                line,
                _("the condition uses '{value}', which is not a choice of '{name}'").format(
                    name=ref.name, value=value
                ),
            )
    return text
