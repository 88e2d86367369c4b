"""Skip logic as FHIR `enableWhen`, for the conditions FHIR can say.

FHIR can enable an item on answers to other items: equality, order and "answered", combined all
with `and` or all with `or` (`enableBehavior`). GuideCheck conditions of that shape are written
out; profile fields they use are items of a `profile` group (fhir_build.profile_items). A
condition mixing `and` with `or`, or using `not`, has no FHIR form, so that item is left always
enabled. The responses hold only the questions GuideCheck showed either way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from guidecheck.checklist import expressions as ex
from guidecheck.checklist.model import Item, Questionnaire

_OPERATORS = {"==": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}

# (item, code) -> the answerCoding for a choice or compliance code of that item
Coder = Callable[[Item, str], dict[str, str]]


class _NoForm(Exception):
    pass


def _answer(item: Item, value: Any, coder: Coder) -> dict[str, Any]:
    if item.type in ("compliance", "single_choice", "multiple_choice"):
        if not isinstance(value, str):
            raise _NoForm
        return {"answerCoding": coder(item, value)}
    if item.type == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        return (
            {"answerInteger": int(value)}
            if item.integer and float(value).is_integer()
            else {"answerDecimal": float(value)}
        )
    if item.type == "date" and isinstance(value, str):
        return {"answerDate": value}
    if item.type == "text" and isinstance(value, str):
        return {"answerString": value}
    raise _NoForm


def _item_of(node: ex.Node, questionnaire: Questionnaire, profile: dict[str, Item]) -> Item:
    if not isinstance(node, ex.Ref) or node.scope not in ("answer", "profile"):
        raise _NoForm
    if node.scope == "profile":
        item = profile.get(f"profile.{node.name}")
    else:
        item = questionnaire.item(node.name)
    if item is None:
        raise _NoForm
    return item


def _simple(
    node: ex.Node, questionnaire: Questionnaire, coder: Coder, profile: dict[str, Item]
) -> tuple[list[dict[str, Any]], str]:
    """enableWhen entries for one comparison; the behaviour they need among themselves."""
    if isinstance(node, ex.Answered):
        item = _item_of(node.ref, questionnaire, profile)
        return [{"question": item.id, "operator": "exists", "answerBoolean": True}], "all"
    if not isinstance(node, ex.Compare):
        raise _NoForm
    if node.op == "in" and isinstance(node.right, ex.ListLiteral):
        item = _item_of(node.left, questionnaire, profile)
        entries = [
            {"question": item.id, "operator": "=", **_answer(item, v, coder)}
            for v in node.right.values
        ]
        return entries, "any"
    if node.op == "in" and isinstance(node.left, ex.Literal):
        item = _item_of(node.right, questionnaire, profile)
        if item.type != "multiple_choice":
            raise _NoForm
        return [
            {"question": item.id, "operator": "=", **_answer(item, node.left.value, coder)}
        ], "all"
    if node.op not in _OPERATORS:
        raise _NoForm
    ref, literal = (
        (node.left, node.right) if isinstance(node.right, ex.Literal) else (node.right, node.left)
    )
    if not isinstance(literal, ex.Literal) or literal.value is None:
        raise _NoForm
    item = _item_of(ref, questionnaire, profile)
    op = (
        node.op
        if ref is node.left
        else {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(node.op, node.op)
    )
    if item.type == "multiple_choice" or (item.type != "number" and op not in ("==", "!=")):
        raise _NoForm
    return [
        {"question": item.id, "operator": _OPERATORS[op], **_answer(item, literal.value, coder)}
    ], "all"


def enable_when(
    condition: str | None,
    questionnaire: Questionnaire,
    coder: Coder,
    profile: dict[str, Item] | None = None,
) -> dict[str, Any]:
    """`{"enableWhen": [...], "enableBehavior": ...}` for the condition, or {} when FHIR cannot
    say it (or there is no condition)."""
    if not condition:
        return {}
    try:
        tree = ex.parse(condition)
        parts = tree.operands if isinstance(tree, ex.BoolOp) else (tree,)
        joined = tree.op if isinstance(tree, ex.BoolOp) else None
        entries: list[dict[str, Any]] = []
        behaviours: set[str] = set()
        for part in parts:
            found, behaviour = _simple(part, questionnaire, coder, profile or {})
            entries += found
            if len(found) > 1:
                behaviours.add(behaviour)
        if joined:
            behaviours.add("all" if joined == "and" else "any")
    except (_NoForm, ex.ExpressionError):
        return {}
    if len(behaviours) > 1:
        return {}  # `and` of `or`s: FHIR has one behaviour per item
    result: dict[str, Any] = {"enableWhen": entries}
    if len(entries) > 1:
        result["enableBehavior"] = behaviours.pop() if behaviours else "all"
    return result
