"""The skip-logic condition language: a tiny, safe parser and evaluator (never Python's `eval`).

Grammar (see docs/questionnaire-format.md):

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := operand (("=="|"!="|"<"|"<="|">"|">="|"in"|"not in") operand)?
    operand := literal | list | "profile." NAME | "answer." NAME | "answered(" ref ")"
             | "count(" ref ")" | "(" expr ")"
             | "value"   (only in an item's `constraint`: the item's own answer)

Only these forms exist; anything else is a parse error with the column where it went wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from guidecheck import limits
from guidecheck.checklist.model import PROFILE_FIELDS
from guidecheck.errors import UserError
from guidecheck.i18n import _

MAX_LENGTH = limits.EXPRESSION_LENGTH
MAX_DEPTH = limits.EXPRESSION_DEPTH

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<number>-?\d+(?:\.\d+)?)
    | (?P<string>'[^'\\]*'|"[^"\\]*")
    | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,|\.)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in", "true", "false", "null"}


class ExpressionError(UserError):
    """A condition that does not parse; `column` is 1-based."""

    def __init__(self, problem: str, column: int) -> None:
        super().__init__(
            _("condition error at column {column}: {problem}").format(
                column=column, problem=problem
            )
        )
        self.problem = problem
        self.column = column


@dataclass(frozen=True)
class Literal:
    value: Any


@dataclass(frozen=True)
class ListLiteral:
    values: tuple[Any, ...]


@dataclass(frozen=True)
class Ref:
    scope: str  # "profile" | "answer" | "value" (a constraint's own answer)
    name: str


@dataclass(frozen=True)
class Answered:
    ref: Ref


@dataclass(frozen=True)
class Count:
    """How many choices a multiple-choice answer holds (0 when unanswered): XLSForm's count-selected."""

    ref: Ref


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Compare:
    op: str
    left: Node
    right: Node


Node = Literal | ListLiteral | Ref | Answered | Count | Not | BoolOp | Compare


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str
    column: int


def _tokenize(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            column = pos + 1 + (len(text[pos:]) - len(text[pos:].lstrip()))
            raise ExpressionError(_("unexpected character"), column)
        kind = match.lastgroup or ""
        value = match.group(kind)
        column = match.start(kind) + 1
        if kind == "name" and value in _KEYWORDS:
            kind = "keyword"
        tokens.append(_Tok(kind, value, column))
        pos = match.end()
    tokens.append(_Tok("end", "", len(text) + 1))
    return tokens


VALUE_KEY = (
    " value"  # where `value` (a constraint's own answer) sits among the answers: never an item id
)


class _Parser:
    def __init__(self, text: str, allow_value: bool = False) -> None:
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0
        self.allow_value = allow_value

    @property
    def tok(self) -> _Tok:
        return self.tokens[self.index]

    def take(self) -> _Tok:
        tok = self.tok
        self.index += 1
        return tok

    def accept(self, text: str) -> bool:
        if self.tok.kind in ("op", "keyword") and self.tok.text == text:
            self.index += 1
            return True
        return False

    def expect(self, text: str) -> None:
        if not self.accept(text):
            raise ExpressionError(_("expected '{what}'").format(what=text), self.tok.column)

    def nested(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(_("too deeply nested"), self.tok.column)

    def parse(self) -> Node:
        node = self.parse_or()
        if self.tok.kind != "end":
            raise ExpressionError(
                _("unexpected '{text}'").format(text=self.tok.text), self.tok.column
            )
        return node

    def parse_or(self) -> Node:
        operands = [self.parse_and()]
        while self.accept("or"):
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else BoolOp("or", tuple(operands))

    def parse_and(self) -> Node:
        operands = [self.parse_not()]
        while self.accept("and"):
            operands.append(self.parse_not())
        return operands[0] if len(operands) == 1 else BoolOp("and", tuple(operands))

    def parse_not(self) -> Node:
        if self.accept("not"):
            self.nested()
            node = Not(self.parse_not())
            self.depth -= 1
            return node
        return self.parse_compare()

    def parse_compare(self) -> Node:
        left = self.parse_operand()
        tok = self.tok
        if tok.kind == "op" and tok.text in ("==", "!=", "<", "<=", ">", ">="):
            self.take()
            return Compare(tok.text, left, self.parse_operand())
        if self.accept("in"):
            return Compare("in", left, self.parse_operand())
        if tok.kind == "keyword" and tok.text == "not" and self.tokens[self.index + 1].text == "in":
            self.index += 2
            return Compare("not in", left, self.parse_operand())
        return left

    def parse_operand(self) -> Node:
        tok = self.tok
        if tok.kind == "number":
            self.take()
            return Literal(float(tok.text) if "." in tok.text else int(tok.text))
        if tok.kind == "string":
            self.take()
            return Literal(tok.text[1:-1])
        if tok.kind == "keyword" and tok.text in ("true", "false", "null"):
            self.take()
            return Literal({"true": True, "false": False, "null": None}[tok.text])
        if self.accept("("):
            self.nested()
            node = self.parse_or()
            self.expect(")")
            self.depth -= 1
            return node
        if self.accept("["):
            return self.parse_list()
        if tok.kind == "name":
            if tok.text == "answered":
                self.take()
                self.expect("(")
                ref = self.parse_ref()
                self.expect(")")
                return Answered(ref)
            if tok.text == "count" and self.tokens[self.index + 1].text == "(":
                self.take()
                self.expect("(")
                ref = self.parse_ref()
                self.expect(")")
                return Count(ref)
            if tok.text == "value" and self.allow_value:
                self.take()
                return Ref("value", VALUE_KEY)
            return self.parse_ref()
        raise ExpressionError(_("expected a value, 'profile.…' or 'answer.…'"), tok.column)

    def parse_list(self) -> Node:
        values: list[Any] = []
        while not self.accept("]"):
            if values:
                self.expect(",")
            item = self.parse_operand()
            if not isinstance(item, Literal):
                raise ExpressionError(_("a list may hold only literal values"), self.tok.column)
            values.append(item.value)
        return ListLiteral(tuple(values))

    def parse_ref(self) -> Ref:
        tok = self.take()
        if tok.kind != "name" or tok.text not in ("profile", "answer"):
            raise ExpressionError(
                _("only 'profile.…' and 'answer.…' can be referred to"), tok.column
            )
        self.expect(".")
        name = self.take()
        if name.kind not in ("name", "keyword"):
            raise ExpressionError(_("expected a name after '.'"), name.column)
        if self.tok.kind == "op" and self.tok.text == ".":
            raise ExpressionError(_("attribute access is not allowed"), self.tok.column)
        if tok.text == "profile" and name.text not in PROFILE_FIELDS:
            raise ExpressionError(
                _("unknown profile field '{name}'").format(name=name.text), name.column
            )
        return Ref(tok.text, name.text)


def parse(text: str, allow_value: bool = False) -> Node:
    """Parse a condition; raises ExpressionError naming the column of the problem.

    `allow_value` admits the bare name `value` (an item's own answer), for constraints."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError(_("a condition must be non-empty text"), 1)
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            _("a condition may be at most {n} characters").format(n=MAX_LENGTH), MAX_LENGTH
        )
    return _Parser(text, allow_value).parse()


def references(node: Node) -> list[Ref]:
    """Every profile field and answer the condition reads, in order."""
    if isinstance(node, Ref):
        return [node]
    if isinstance(node, Answered | Count):
        return [node.ref]
    if isinstance(node, Not):
        return references(node.operand)
    if isinstance(node, BoolOp):
        return [ref for operand in node.operands for ref in references(operand)]
    if isinstance(node, Compare):
        return references(node.left) + references(node.right)
    return []


def compared_values(node: Node) -> list[tuple[Ref, Any]]:
    """(answer ref, literal) pairs the condition compares, for checking that choices exist."""
    if isinstance(node, Not):
        return compared_values(node.operand)
    if isinstance(node, BoolOp):
        return [pair for operand in node.operands for pair in compared_values(operand)]
    if not isinstance(node, Compare):
        return []
    pairs: list[tuple[Ref, Any]] = []
    for ref_side, other in ((node.left, node.right), (node.right, node.left)):
        if isinstance(ref_side, Ref) and ref_side.scope == "answer":
            if isinstance(other, Literal) and isinstance(other.value, str):
                pairs.append((ref_side, other.value))
            elif isinstance(other, ListLiteral):
                pairs.extend((ref_side, v) for v in other.values if isinstance(v, str))
    return pairs


def evaluate(node: Node, profile: dict[str, Any], answers: dict[str, Any]) -> bool:
    """True when the condition holds. `answers` maps item id to value (missing = null)."""
    return bool(_value(node, profile, answers))


def _value(node: Node, profile: dict[str, Any], answers: dict[str, Any]) -> Any:
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, ListLiteral):
        return list(node.values)
    if isinstance(node, Ref):
        source = profile if node.scope == "profile" else answers  # "value" sits in answers
        value = source.get(node.name)
        return None if value == "" else value
    if isinstance(node, Answered):
        value = _value(node.ref, profile, answers)
        return value is not None and value != []
    if isinstance(node, Count):
        value = _value(node.ref, profile, answers)
        return len(value) if isinstance(value, list) else int(value is not None)
    if isinstance(node, Not):
        return not _value(node.operand, profile, answers)
    if isinstance(node, BoolOp):
        if node.op == "and":
            return all(_value(o, profile, answers) for o in node.operands)
        return any(_value(o, profile, answers) for o in node.operands)
    if isinstance(node, Compare):
        return _compare(
            node.op, _value(node.left, profile, answers), _value(node.right, profile, answers)
        )
    raise TypeError(f"unknown node {node!r}")


def _compare(op: str, left: Any, right: Any) -> bool:
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    if op in ("in", "not in"):
        found = isinstance(right, list | tuple) and left in right
        return found if op == "in" else not found
    numeric = (int, float)
    comparable = (
        isinstance(left, numeric) and isinstance(right, numeric) and not isinstance(left, bool)
    ) or (isinstance(left, str) and isinstance(right, str))
    if not comparable:
        return False
    if op == "<":
        return bool(left < right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    return bool(left >= right)
