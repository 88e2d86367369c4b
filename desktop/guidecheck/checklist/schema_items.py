"""The checks on a questionnaire's domains, their items and the items' choices, and the typed
`Domain`, `Item` and `Choice` they build (format 1 fields, plus the format 2 ones).

Kept apart from the file-level checks in `schema.py`: this is most of a questionnaire, and most
of what a checklist author gets wrong.
"""

from __future__ import annotations

import re
from typing import Any

from guidecheck.checklist import schema_conditions
from guidecheck.checklist.model import (
    ANSWER_TYPES,
    NOTE_RULES,
    Choice,
    Domain,
    Guidance,
    Item,
    ScoringRules,
)
from guidecheck.checklist.schema_fields import Checker
from guidecheck.checklist.yaml_reader import LocDict
from guidecheck.i18n import _

_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
DOMAIN_KINDS = ("guideline", "phase", "risk")
DOMAIN_KINDS_V2 = ("guideline", "phase", "risk", "benefit")
CONSTRAINT_TYPES = ("number", "date", "single_choice", "text")


def domains(
    check: Checker, root: LocDict, fmt: int = 1, rules: ScoringRules | None = None
) -> list[Domain]:
    domains: list[Domain] = []
    seen_domains: set[str] = set()
    earlier_items: dict[str, Item] = {}
    for raw in check.sequence(root, "domains"):
        node = check.mapping(raw, root.line_of("domains"), _("a domain"))
        if node is None:
            continue
        check.unknown_keys(node, {"id", "title", "description", "kind", "condition", "items"})
        did = node.get("id")
        if not isinstance(did, str) or not _ID.match(did):
            check.fail(node.line, _("a domain 'id' must be lowercase letters, digits and '_'"))
            did = f"domain_{len(domains) + 1}"
        elif did in seen_domains:
            check.fail(node.line_of("id"), _("the domain id '{id}' is used twice").format(id=did))
        seen_domains.add(did)
        kind = node.get("kind", "guideline")
        kinds = DOMAIN_KINDS if fmt == 1 else DOMAIN_KINDS_V2
        if kind not in kinds:
            check.fail(
                node.line_of("kind"),
                _("'kind' must be one of: {kinds}").format(kinds=", ".join(kinds)),
            )
        condition = schema_conditions.condition(check, node, earlier_items)
        items = [
            item
            for raw_item in check.sequence(node, "items")
            if (item := _item(check, raw_item, node, did, earlier_items, fmt, rules))
        ]
        domains.append(
            Domain(
                id=did,
                title=check.text(node, "title"),
                description=check.text(node, "description", required=False),
                kind=str(kind),
                condition=condition,
                items=tuple(items),
                line=node.line,
            )
        )
    return domains


_ITEM_KEYS = {
    "id",
    "type",
    "question",
    "guidance",
    "weight",
    "critical",
    "action",
    "note",
    "condition",
    "choices",
    "min",
    "max",
    "integer",
    "unit",
}
_ITEM_KEYS_V2 = _ITEM_KEYS | {"basis", "na_allowed", "constraint", "constraint_message"}


def _item(
    check: Checker,
    raw: Any,
    parent: LocDict,
    domain_id: str,
    earlier: dict[str, Item],
    fmt: int = 1,
    rules: ScoringRules | None = None,
) -> Item | None:
    node = check.mapping(raw, parent.line_of("items"), _("an item"))
    if node is None:
        return None
    check.unknown_keys(node, _ITEM_KEYS if fmt == 1 else _ITEM_KEYS_V2)
    iid = node.get("id")
    if not isinstance(iid, str) or not _ID.match(iid):
        check.fail(node.line, _("an item 'id' must be lowercase letters, digits and '_'"))
        return None
    if iid in earlier:
        check.fail(node.line_of("id"), _("the item id '{id}' is used twice").format(id=iid))
        return None
    kind = node.get("type")
    if kind not in ANSWER_TYPES:
        check.fail(
            node.line_of("type"),
            _("item '{id}': 'type' must be one of: {types}").format(
                id=iid, types=", ".join(ANSWER_TYPES)
            ),
        )
        kind = "text"
    weight = check.number(node, "weight", 0.0, 0, 5) or 0.0
    critical = check.flag(node, "critical")
    note = node.get("note", "none")
    if note not in NOTE_RULES:
        check.fail(
            node.line_of("note"),
            _("item '{id}': 'note' must be one of: {rules}").format(
                id=iid, rules=", ".join(NOTE_RULES)
            ),
        )
        note = "none"
    choices = _choices(check, node, iid, kind)
    if weight > 0 and kind not in ("compliance", "single_choice"):
        check.fail(
            node.line_of("weight"),
            _("item '{id}': only compliance and single choice items can be scored").format(id=iid),
        )
    if (
        weight > 0
        and kind == "single_choice"
        and any(c.score is None and not c.na for c in choices)
    ):
        check.fail(
            node.line_of("weight"),
            _("item '{id}': every choice of a scored item needs a 'score' or 'na: true'").format(
                id=iid
            ),
        )
    if critical and kind != "compliance":
        check.fail(
            node.line_of("critical"),
            _("item '{id}': only compliance items can be critical").format(id=iid),
        )
    if critical and weight <= 0:
        check.fail(
            node.line_of("critical"),
            _("item '{id}': a critical item needs a weight above 0").format(id=iid),
        )
    guidance = Guidance()
    if "guidance" in node:
        g = check.mapping(node["guidance"], node.line_of("guidance"), "'guidance'")
        if g is not None:
            check.unknown_keys(g, {"why", "evidence", "example"})
            guidance = Guidance(
                why=check.text(g, "why", required=False),
                evidence=check.text(g, "evidence", required=False),
                example=check.text(g, "example", required=False),
            )
    minimum = check.number(node, "min", None, -1e12, 1e12)
    maximum = check.number(node, "max", None, -1e12, 1e12)
    if minimum is not None and maximum is not None and minimum > maximum:
        check.fail(node.line_of("min"), _("item '{id}': 'min' is above 'max'").format(id=iid))
    v2 = _item_v2(check, node, iid, str(kind), critical, earlier) if fmt == 2 else {}
    if fmt == 2 and rules is not None:
        v2["na_refused"] = critical and not v2.get("na_allowed", False)
        v2["na_needs_note"] = rules.na_needs_note
    item = Item(
        id=iid,
        type=str(kind),
        question=check.text(node, "question"),
        domain_id=domain_id,
        guidance=guidance,
        weight=weight,
        critical=critical,
        action=check.text(node, "action", required=weight > 0),
        note=str(note),
        condition=schema_conditions.condition(check, node, earlier),
        choices=tuple(choices),
        minimum=minimum,
        maximum=maximum,
        integer=check.flag(node, "integer"),
        unit=check.text(node, "unit", required=False),
        line=node.line,
        **v2,
    )
    earlier[iid] = item
    return item


def _item_v2(
    check: Checker, node: LocDict, iid: str, kind: str, critical: bool, earlier: dict[str, Item]
) -> dict[str, Any]:
    """The format 2 item fields: `basis` (required), `na_allowed`, `constraint` + its message."""
    fields: dict[str, Any] = {"basis": check.text(node, "basis")}
    if "na_allowed" in node:
        fields["na_allowed"] = check.flag(node, "na_allowed")
        if not critical:
            check.fail(
                node.line_of("na_allowed"),
                _("item '{id}': 'na_allowed' is only for critical items").format(id=iid),
            )
    if "constraint" in node:
        if kind not in CONSTRAINT_TYPES:
            check.fail(
                node.line_of("constraint"),
                _(
                    "item '{id}': only number, date, single choice and text items have a 'constraint'"
                ).format(id=iid),
            )
        fields["constraint"] = schema_conditions.condition(check, node, earlier, key="constraint")
        fields["constraint_message"] = check.text(node, "constraint_message")
    elif "constraint_message" in node:
        check.fail(
            node.line_of("constraint_message"),
            _("item '{id}': 'constraint_message' needs a 'constraint'").format(id=iid),
        )
    return fields


def _choices(check: Checker, node: LocDict, iid: str, kind: Any) -> list[Choice]:
    if kind not in ("single_choice", "multiple_choice"):
        if "choices" in node:
            check.fail(
                node.line_of("choices"),
                _("item '{id}': only choice items have 'choices'").format(id=iid),
            )
        return []
    choices: list[Choice] = []
    for raw in check.sequence(node, "choices"):
        cnode = check.mapping(raw, node.line_of("choices"), _("a choice"))
        if cnode is None:
            continue
        check.unknown_keys(cnode, {"id", "label", "score", "na"})
        cid = cnode.get("id")
        if not isinstance(cid, str) or not _ID.match(cid):
            check.fail(
                cnode.line,
                _("item '{id}': a choice 'id' must be lowercase letters, digits and '_'").format(
                    id=iid
                ),
            )
            continue
        if any(c.id == cid for c in choices):
            check.fail(
                cnode.line_of("id"),
                _("item '{id}': the choice '{choice}' is listed twice").format(id=iid, choice=cid),
            )
            continue
        score = check.number(cnode, "score", None, 0, 1)
        if score is not None and kind != "single_choice":
            check.fail(
                cnode.line_of("score"),
                _("item '{id}': only single choice items can score their choices").format(id=iid),
            )
        choices.append(
            Choice(
                id=cid, label=check.text(cnode, "label"), score=score, na=check.flag(cnode, "na")
            )
        )
    return choices
