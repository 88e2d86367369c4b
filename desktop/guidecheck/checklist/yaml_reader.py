"""Safe YAML reading with line numbers, for questionnaire files.

A SafeLoader subclass that records the line of every mapping and key, refuses aliases (no
"billion laughs"), refuses nesting deeper than limits.YAML_NESTING, and reports problems as
QuestionnaireError naming the file and line.
"""

from __future__ import annotations

from typing import Any

import yaml

from guidecheck import limits
from guidecheck.errors import QuestionnaireError
from guidecheck.i18n import _


class LocDict(dict[Any, Any]):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[object, int] = {}

    def line_of(self, key: object) -> int:
        return self.key_lines.get(key, self.line)


try:  # libyaml's parser, where PyYAML was built with it: it makes the same events, faster
    from yaml.cyaml import CParser  # type: ignore[attr-defined]

    _EVENTS: tuple[type, ...] = (CParser,)
except ImportError:  # pragma: no cover - PyYAML without libyaml: the pure-Python parser
    _EVENTS = (yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser)


class _LineLoader(
    yaml.composer.Composer,  # first: its nodes, not libyaml's own composer, are the ones built
    *_EVENTS,  # type: ignore[misc]
    yaml.constructor.SafeConstructor,
    yaml.resolver.Resolver,
):
    """Safe loader that keeps line numbers and refuses aliases and over-deep nesting.

    The events come from libyaml's parser where PyYAML was built with it (five times faster on
    the WHO checklist than the pure-Python scanner); the nodes are composed here, in Python, so
    every check below sees every node with its line, whichever parser made the events."""

    def __init__(self, stream: str) -> None:
        if len(_EVENTS) == 1:
            _EVENTS[0].__init__(self, stream)  # type: ignore[misc]
        else:  # pragma: no cover
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                problem=_("anchors and aliases (*name) are not allowed"),
                problem_mark=event.start_mark,
            )
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > limits.YAML_NESTING:
                raise yaml.MarkedYAMLError(
                    problem=_("the file is nested too deeply"),
                    problem_mark=self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LocDict:
    loader.flatten_mapping(node)
    mapping = LocDict()
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str | int | float | bool):
            raise yaml.MarkedYAMLError(
                problem=_("a key must be plain text"), problem_mark=key_node.start_mark
            )
        if key in mapping:
            raise yaml.MarkedYAMLError(
                problem=_("the key '{key}' appears twice").format(key=key),
                problem_mark=key_node.start_mark,
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def read_yaml(text: str, path: str) -> object:
    """Parse YAML text into plain data with line numbers, or raise QuestionnaireError."""
    if len(text.encode("utf-8", "replace")) > limits.QUESTIONNAIRE_BYTES:
        raise QuestionnaireError(path, None, _("the file is larger than 2 MB"))
    try:
        text.encode("utf-8")  # libyaml reads UTF-8: a lone surrogate is not text it can read
    except UnicodeEncodeError as exc:
        bad_line = text.count("\n", 0, exc.start) + 1
        raise QuestionnaireError(path, bad_line, _("the file is not UTF-8 text")) from None
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or _("the file is not valid YAML")
        raise QuestionnaireError(
            path, line, _("not valid YAML: {problem}").format(problem=problem)
        ) from None
    except yaml.YAMLError as exc:
        raise QuestionnaireError(
            path, None, _("not valid YAML: {problem}").format(problem=exc)
        ) from None
    except RecursionError:
        raise QuestionnaireError(path, None, _("the file is nested too deeply")) from None
