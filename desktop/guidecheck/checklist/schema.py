"""Checks a parsed questionnaire file field by field and builds the typed model from it.

Every problem is reported with the file and the line it was found on; the first problem is
raised, and all of them are kept on the error (`.errors`) so `validate` can list them.
This module checks the file level (format, id, version, languages, level, profile fields and
the scoring rules); `schema_items` checks the domains, items and choices, `schema_conditions`
the conditions and constraints, and `schema_fields` holds the field checks they all use.
"""

from __future__ import annotations

import re
from typing import Any

from guidecheck.checklist import schema_items
from guidecheck.checklist.model import (
    CHOSEN_PROFILE_FIELDS,
    LEVELS,
    VERDICTS,
    Questionnaire,
    ScoringRules,
    Thresholds,
    default_profile_fields,
)
from guidecheck.checklist.schema_fields import Checker
from guidecheck.checklist.yaml_reader import LocDict
from guidecheck.errors import QuestionnaireError
from guidecheck.i18n import _

SUPPORTED_FORMATS = (1, 2)
_QID = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")


def build_questionnaire(data: Any, source: str, path: str) -> Questionnaire:
    check = Checker(path)
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
    domains = schema_items.domains(check, root, fmt, rules)
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


def _profile_fields(check: Checker, root: LocDict, fmt: int, level: str) -> tuple[str, ...]:
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


def _raise(check: Checker) -> None:
    if check.problems:
        check.problems.sort(key=lambda p: p[0])
        line, problem = check.problems[0]
        error = QuestionnaireError(check.path, line, problem)
        error.errors = [QuestionnaireError(check.path, ln, pr) for ln, pr in check.problems]  # type: ignore[attr-defined]
        raise error


def _thresholds(check: Checker, root: LocDict) -> Thresholds:
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


def _scoring(check: Checker, root: LocDict) -> ScoringRules:
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
