"""Conditions both ways between GuideCheck's condition language and the XLSForm (XPath) subset.

XLSForm → GuideCheck: `${field}`, strings, numbers, `=` `!=` `<` `<=` `>` `>=`, `and`, `or`,
`not(…)`, `selected(${f}, 'v')`, `count-selected(${f})`, `true()`, `false()`, `( … )` and `.` (the
question's own value, in a constraint). Anything else (another function, arithmetic, a chained
comparison) raises `Untranslatable` naming what it met; nothing is evaluated here.

GuideCheck → XLSForm: walks the parsed condition (`checklist.expressions`), so what the native
parser accepts is what is translated; `x in [a, b]` becomes `(x = a or x = b)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from guidecheck.checklist import expressions as ex

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<ref>\$\{\s*(?P<refname>[^}\s]+)\s*\})
    | (?P<string>'[^']*'|"[^"]*")
    | (?P<number>-?\d+(?:\.\d+)?)
    | (?P<op>!=|<=|>=|=|<|>|\(|\)|,)
    | (?P<name>[A-Za-z_][\w:.-]*)
    | (?P<dot>\.)
    )""",
    re.VERBOSE,
)


class Untranslatable(Exception):
    """An expression outside the subset; `feature` says what, e.g. "the function 'today()'"."""

    def __init__(self, feature: str) -> None:
        super().__init__(feature)
        self.feature = feature


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str


def _tokens(text: str) -> list[_Tok]:
    found: list[_Tok] = []
    pos = 0
    while pos < len(text):
        if not text[pos:].strip():
            break
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise Untranslatable(f"'{text[pos:].strip()[:20]}'")
        kind = match.lastgroup or ""
        if kind == "refname":
            kind = "ref"
        value = match.group("refname") if kind == "ref" else match.group(kind)
        found.append(_Tok(kind, value))
        pos = match.end()
    found.append(_Tok("end", ""))
    return found


# A resolver tells, for a field name, its scope ("answer" or "profile") and its GuideCheck type
# ("multiple_choice", "number", …); it raises Untranslatable for an unknown name.
Resolver = Callable[[str], tuple[str, str]]


class _ToNative:
    def __init__(self, text: str, resolve: Resolver, allow_self: bool) -> None:
        self.tokens = _tokens(text)
        self.index = 0
        self.resolve = resolve
        self.allow_self = allow_self

    @property
    def tok(self) -> _Tok:
        return self.tokens[self.index]

    def take(self) -> _Tok:
        tok = self.tok
        self.index += 1
        return tok

    def accept(self, kind: str, text: str | None = None) -> bool:
        if self.tok.kind == kind and (text is None or self.tok.text == text):
            self.index += 1
            return True
        return False

    def expect(self, kind: str, text: str) -> None:
        if not self.accept(kind, text):
            raise Untranslatable(f"'{self.tok.text or 'the end'}' where '{text}' was expected")

    def run(self) -> str:
        result, _kind = self.parse_or()
        if self.tok.kind != "end":
            raise Untranslatable(f"'{self.tok.text}'")
        return result

    def parse_or(self) -> tuple[str, str]:
        parts = [self.parse_and()[0]]
        while self.accept("name", "or"):
            parts.append(self.parse_and()[0])
        return (" or ".join(parts), "bool") if len(parts) > 1 else (parts[0], "bool")

    def parse_and(self) -> tuple[str, str]:
        parts = [self.parse_compare()]
        while self.accept("name", "and"):
            parts.append(self.parse_compare())
        wrapped = [
            f"({p[0]})" if " or " in p[0] and not p[0].startswith("(") else p[0] for p in parts
        ]
        return (" and ".join(wrapped), "bool") if len(parts) > 1 else parts[0]

    def parse_compare(self) -> tuple[str, str]:
        left, left_kind = self.parse_operand()
        if self.tok.kind == "op" and self.tok.text in ("=", "!=", "<", "<=", ">", ">="):
            op = self.take().text
            right, right_kind = self.parse_operand()
            if self.tok.kind == "op" and self.tok.text in ("=", "!=", "<", "<=", ">", ">="):
                raise Untranslatable("a chained comparison")
            return self.comparison(op, left, left_kind, right, right_kind), "bool"
        return left, left_kind

    def comparison(self, op: str, left: str, left_kind: str, right: str, right_kind: str) -> str:
        native_op = "==" if op == "=" else op
        for ref, ref_kind, other in ((left, left_kind, right), (right, right_kind, left)):
            if other == "''" and ref_kind.startswith("ref:") and op in ("=", "!="):
                return f"answered({ref})" if op == "!=" else f"not answered({ref})"
            if ref_kind == "ref:multiple_choice" and op in ("=", "!=") and other.startswith("'"):
                return f"{ref} {native_op} [{other}]"  # XLSForm: only that choice selected
        return f"{left} {native_op} {right}"

    def parse_operand(self) -> tuple[str, str]:
        tok = self.tok
        if tok.kind == "ref":
            self.take()
            scope, kind = self.resolve(tok.text)
            return f"{scope}.{tok.text}", f"ref:{kind}"
        if tok.kind == "string":
            self.take()
            inner = tok.text[1:-1]
            return ("'" + inner + "'") if "'" not in inner else ('"' + inner + '"'), "string"
        if tok.kind == "number":
            self.take()
            return tok.text, "number"
        if tok.kind == "dot":
            self.take()
            if not self.allow_self:
                raise Untranslatable("'.' outside a constraint")
            return "value", "ref:self"
        if self.accept("op", "("):
            inner, kind = self.parse_or()
            self.expect("op", ")")
            return f"({inner})", kind
        if tok.kind == "name":
            return self.parse_call()
        raise Untranslatable(f"'{tok.text or 'the end'}'")

    def parse_call(self) -> tuple[str, str]:
        name = self.take().text
        if self.tok.kind != "op" or self.tok.text != "(":
            raise Untranslatable(f"'{name}'")
        self.take()
        if name == "not":
            inner, _kind = self.parse_or()
            self.expect("op", ")")
            return f"not ({inner})", "bool"
        if name in ("true", "false"):
            self.expect("op", ")")
            return name, "bool"
        if name in ("selected", "count-selected"):
            tok = self.take()
            if tok.kind != "ref":
                raise Untranslatable(f"{name}() on something other than a ${{field}}")
            scope, _kind = self.resolve(tok.text)
            if name == "count-selected":
                self.expect("op", ")")
                return f"count({scope}.{tok.text})", "number"
            self.expect("op", ",")
            value = self.take()
            if value.kind != "string":
                raise Untranslatable("selected() with a value that is not quoted text")
            self.expect("op", ")")
            inner = value.text[1:-1]
            quoted = ("'" + inner + "'") if "'" not in inner else ('"' + inner + '"')
            return f"{quoted} in {scope}.{tok.text}", "bool"
        raise Untranslatable(f"the function '{name}()'")


def to_native(text: str, resolve: Resolver, allow_self: bool = False) -> str:
    """An XLSForm expression in GuideCheck's condition language (checked by its parser)."""
    native = _ToNative(text, resolve, allow_self).run()
    try:
        ex.parse(native, allow_value=allow_self)
    except ex.ExpressionError as exc:
        raise Untranslatable(exc.problem) from None
    return native


# ---------------------------------------------------------------------------- native → XLSForm


def _quote(value: object) -> str:
    if value is None:
        return "''"
    if value is True:
        return "true()"
    if value is False:
        return "false()"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    text = str(value)
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    raise Untranslatable("a text holding both kinds of quote")


def _ref(node: ex.Node) -> str:
    assert isinstance(node, ex.Ref)
    return "." if node.scope == "value" else f"${{{node.name}}}"


_XPATH_OP = {"==": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def _xpath(node: ex.Node, top: bool = False) -> str:
    if isinstance(node, ex.Literal):
        return _quote(node.value)
    if isinstance(node, ex.Ref):
        return _ref(node)
    if isinstance(node, ex.Answered):
        return f"{_ref(node.ref)} != ''"
    if isinstance(node, ex.Count):
        return f"count-selected({_ref(node.ref)})"
    if isinstance(node, ex.Not):
        return f"not({_xpath(node.operand, top=True)})"
    if isinstance(node, ex.BoolOp):
        text = f" {node.op} ".join(_xpath(o) for o in node.operands)
        return text if top else f"({text})"
    if isinstance(node, ex.Compare):
        if node.op in ("in", "not in"):
            if isinstance(node.right, ex.ListLiteral):
                left = _xpath(node.left)
                text = " or ".join(f"{left} = {_quote(v)}" for v in node.right.values) or "false()"
                if node.op == "not in":
                    return f"not({text})"
                return text if top or len(node.right.values) < 2 else f"({text})"
            if isinstance(node.right, ex.Ref):
                text = f"selected({_ref(node.right)}, {_xpath(node.left)})"
                return f"not({text})" if node.op == "not in" else text
            raise Untranslatable("'in' on something other than a list or an answer")
        if isinstance(node.right, ex.ListLiteral) or isinstance(node.left, ex.ListLiteral):
            ref, values = (
                (node.left, node.right)
                if isinstance(node.right, ex.ListLiteral)
                else (node.right, node.left)
            )
            if isinstance(ref, ex.Ref) and len(values.values) == 1 and node.op in ("==", "!="):  # type: ignore[union-attr]
                return f"{_ref(ref)} {_XPATH_OP[node.op]} {_quote(values.values[0])}"  # type: ignore[union-attr]
            raise Untranslatable("a comparison with a list")
        return f"{_xpath(node.left)} {_XPATH_OP[node.op]} {_xpath(node.right)}"
    raise Untranslatable("an unknown form")


def to_xpath(native: str, self_name: str | None = None) -> str:
    """A GuideCheck condition (or, with `self_name`, a constraint using `value`) as XLSForm."""
    return _xpath(ex.parse(native, allow_value=self_name is not None), top=True)
