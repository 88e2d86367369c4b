"""Checks a parsed questionnaire file field by field and builds the typed model from it.

Every problem is reported with the file and the line it was found on; the first problem is
raised, and all of them are kept on the error (`.errors`) so `validate` can list them.
"""

from __future__ import annotations

import re
from typing import Any

from guidecheck.checklist import expressions
from guidecheck.checklist.model import (
    ANSWER_TYPES,
    CHOSEN_PROFILE_FIELDS,
    LEVELS,
    NOTE_RULES,
    VERDICTS,
    Choice,
    Domain,
    Guidance,
    Item,
    Questionnaire,
    ScoringRules,
    Text,
    Thresholds,
    default_profile_fields,
)
from guidecheck.checklist.yaml_reader import LocDict
from guidecheck.errors import QuestionnaireError
from guidecheck.i18n import _

SUPPORTED_FORMATS = (1, 2)
_QID = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")
DOMAIN_KINDS = ("guideline", "phase", "risk")
DOMAIN_KINDS_V2 = ("guideline", "phase", "risk", "benefit")
CONSTRAINT_TYPES = ("number", "date", "single_choice", "text")


class _Checker:
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


def build_questionnaire(data: Any, source: str, path: str) -> Questionnaire:
    check = _Checker(path)
    root = check.mapping(data, 1, _("the file"))
    if root is None:
        _raise(check)
    assert root is not None
    check.unknown_keys(
        root,
        {
            "format",
            "id",
            "version",
            "title",
            "description",
            "source",
            "languages",
            "thresholds",
            "scoring",
            "level",
            "profile_fields",
            "domains",
        },
    )
    fmt = root.get("format")
    if fmt not in SUPPORTED_FORMATS or isinstance(fmt, bool):
        check.fail(
            root.line_of("format"),
            _("'format' must be one of: {known}").format(
                known=", ".join(map(str, SUPPORTED_FORMATS))
            ),
        )
    qid = root.get("id")
    if not isinstance(qid, str) or not _QID.match(qid):
        check.fail(root.line_of("id"), _("'id' must be lowercase letters, digits and '-'"))
    version = root.get("version")
    if (
        not isinstance(version, str | int | float)
        or isinstance(version, bool)
        or not str(version).strip()
    ):
        check.fail(root.line_of("version"), _("'version' is missing"))
    languages = root.get("languages", ["en"])
    if (
        not isinstance(languages, list)
        or "en" not in languages
        or not all(isinstance(x, str) for x in languages)
    ):
        check.fail(root.line_of("languages"), _("'languages' must be a list that includes 'en'"))
        languages = ["en"]
    fmt = fmt if fmt in SUPPORTED_FORMATS and not isinstance(fmt, bool) else 1
    level = "clinic"
    if fmt == 1:
        for key in ("scoring", "level", "profile_fields"):
            if key in root:
                check.fail(
                    root.line_of(key),
                    _("'{key}' needs 'format: 2'").format(key=key),
                )
        thresholds = _thresholds(check, root)
        rules = ScoringRules(
            rules_version=1,
            ready=thresholds.ready,
            ready_with_conditions=thresholds.ready_with_conditions,
            domain_minimum=thresholds.domain_minimum,
            domain_floor=0.0,
            na_needs_note=False,
        )
    else:
        if "thresholds" in root:
            check.fail(
                root.line_of("thresholds"),
                _("format 2 gives its limits in 'scoring:', not 'thresholds:'"),
            )
        level = root.get("level", "clinic")
        if level not in LEVELS:
            check.fail(
                root.line_of("level"),
                _("'level' must be one of: {levels}").format(levels=", ".join(LEVELS)),
            )
            level = "clinic"
        rules = _scoring(check, root)
        thresholds = rules.thresholds
    asked = _profile_fields(check, root, int(fmt), str(level))
    declared = "profile_fields" in root
    check.unasked = set(CHOSEN_PROFILE_FIELDS) - set(asked) if declared else set()
    domains = _domains(check, root, fmt, rules)
    if not declared:  # a checklist written before the key still asks what its conditions read
        asked = tuple(f for f in CHOSEN_PROFILE_FIELDS if f in asked or f in check.profile_refs)
    title = check.text(root, "title")
    description = check.text(root, "description", required=False)
    _raise(check)
    return Questionnaire(
        id=str(qid),
        version=str(version),
        title=title,
        description=description,
        domains=tuple(domains),
        thresholds=thresholds,
        languages=tuple(languages),
        guidance_source=str(root.get("source", "")),
        source=source,
        path=path,
        format=int(fmt),
        level=str(level),
        scoring=rules,
        profile_fields=asked,
    )


def _profile_fields(check: _Checker, root: LocDict, fmt: int, level: str) -> tuple[str, ...]:
    """`profile_fields: [use_category, phase]`: which of the chosen profile questions the
    checklist asks; without the key, the default for its format and level."""
    if "profile_fields" not in root:
        return default_profile_fields(fmt, level)
    value = root.get("profile_fields")
    line = root.line_of("profile_fields")
    if (
        not isinstance(value, list)
        or not all(isinstance(x, str) and x in CHOSEN_PROFILE_FIELDS for x in value)
        or len(set(value)) != len(value)
    ):
        check.fail(
            line,
            _("'profile_fields' must be a list of: {fields}").format(
                fields=", ".join(CHOSEN_PROFILE_FIELDS)
            ),
        )
        return default_profile_fields(fmt, level)
    return tuple(name for name in CHOSEN_PROFILE_FIELDS if name in value)


def _raise(check: _Checker) -> None:
    if check.problems:
        check.problems.sort(key=lambda p: p[0])
        line, problem = check.problems[0]
        error = QuestionnaireError(check.path, line, problem)
        error.errors = [QuestionnaireError(check.path, ln, pr) for ln, pr in check.problems]  # type: ignore[attr-defined]
        raise error


def _thresholds(check: _Checker, root: LocDict) -> Thresholds:
    node = root.get("thresholds")
    if node is None:
        return Thresholds()
    node = check.mapping(node, root.line_of("thresholds"), "'thresholds'")
    if node is None:
        return Thresholds()
    check.unknown_keys(node, {"ready", "ready_with_conditions", "domain_minimum"})
    ready = check.number(node, "ready", 80.0, 0, 100) or 0.0
    conditional = check.number(node, "ready_with_conditions", 60.0, 0, 100) or 0.0
    minimum = check.number(node, "domain_minimum", 50.0, 0, 100) or 0.0
    if conditional > ready:
        check.fail(node.line, _("'ready_with_conditions' must not be above 'ready'"))
    return Thresholds(ready=ready, ready_with_conditions=conditional, domain_minimum=minimum)


def _scoring(check: _Checker, root: LocDict) -> ScoringRules:
    """The format 2 `scoring:` block; every key is optional and takes the documented default."""
    defaults = ScoringRules()
    node = root.get("scoring")
    if node is None:
        return defaults
    node = check.mapping(node, root.line_of("scoring"), "'scoring'")
    if node is None:
        return defaults
    check.unknown_keys(
        node,
        {
            "rules_version",
            "ready",
            "ready_with_conditions",
            "domain_minimum",
            "domain_floor",
            "na_share_max",
            "critical_partly",
            "na_needs_note",
        },
    )
    version = node.get("rules_version", defaults.rules_version)
    if version != 2 or isinstance(version, bool):
        check.fail(node.line_of("rules_version"), _("'rules_version' must be 2 in format 2"))
    numbers = {
        key: check.number(node, key, getattr(defaults, key), 0, 100) or 0.0
        for key in ("ready", "ready_with_conditions", "domain_minimum", "domain_floor")
    }
    share = check.number(node, "na_share_max", defaults.na_share_max, 0, 100)
    cap = node.get("critical_partly", defaults.critical_partly)
    if cap not in ("ready_with_conditions", "not_ready"):
        check.fail(
            node.line_of("critical_partly"),
            _("'critical_partly' must be ready_with_conditions or not_ready"),
        )
        cap = defaults.critical_partly
    if numbers["ready_with_conditions"] > numbers["ready"]:
        check.fail(node.line, _("'ready_with_conditions' must not be above 'ready'"))
    if numbers["domain_floor"] > numbers["domain_minimum"]:
        check.fail(node.line, _("'domain_floor' must not be above 'domain_minimum'"))
    flag = node.get("na_needs_note", defaults.na_needs_note)
    if not isinstance(flag, bool):
        check.fail(node.line_of("na_needs_note"), _("'na_needs_note' must be true or false"))
        flag = defaults.na_needs_note
    assert cap in VERDICTS
    return ScoringRules(
        rules_version=2,
        na_share_max=defaults.na_share_max if share is None else share,
        critical_partly=str(cap),
        na_needs_note=flag,
        **numbers,
    )


def _domains(
    check: _Checker, root: LocDict, fmt: int = 1, rules: ScoringRules | None = None
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
        condition = _condition(check, node, earlier_items)
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
    check: _Checker,
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
        condition=_condition(check, node, earlier),
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
    check: _Checker, node: LocDict, iid: str, kind: str, critical: bool, earlier: dict[str, Item]
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
        fields["constraint"] = _condition(check, node, earlier, key="constraint")
        fields["constraint_message"] = check.text(node, "constraint_message")
    elif "constraint_message" in node:
        check.fail(
            node.line_of("constraint_message"),
            _("item '{id}': 'constraint_message' needs a 'constraint'").format(id=iid),
        )
    return fields


def _choices(check: _Checker, node: LocDict, iid: str, kind: Any) -> list[Choice]:
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


def _condition(
    check: _Checker, node: LocDict, earlier: dict[str, Item], key: str = "condition"
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
