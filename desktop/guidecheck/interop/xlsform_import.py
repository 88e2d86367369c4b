"""`guidecheck questionnaires import-xlsform FORM.xlsx`: an XLSForm as a GuideCheck checklist.

`xlsform_read` reads, screens and converts the workbook with pyxform; this module maps what is
left: groups to domains, rows to items, `relevant`/`constraint` to native expressions (an
expression outside the subset leaves its row out, or refuses the form), the extra columns to
the fields XLSForm lacks. Texts are taken from the cells themselves, so nothing pyxform
normalises (quotes, spaces) is lost. The result is checked by the checklist loader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guidecheck.checklist.model import COMPLIANCE_VALUES, PROFILE_FIELDS
from guidecheck.errors import QuestionnaireError, UserError
from guidecheck.i18n import _
from guidecheck.interop.xlsform_columns import COMPLIANCE_LIST, language_code
from guidecheck.interop.xlsform_expr import Untranslatable, to_native
from guidecheck.interop.xlsform_read import (
    MEDIA_COLUMNS,
    PROFILE_GROUP,
    Dropped,
    Reader,
    columns_of,
    norm_type,
    texts_of,
)

_YES = {"yes", "true", "1", "true()"}
_NO = {"no", "false", "0", "false()", ""}
_RANGE = re.compile(r"^\s*\.\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)\s*$")


@dataclass
class ImportResult:
    data: dict[str, Any]
    yaml_text: str
    dropped: list[Dropped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unscored: bool = False


def _flag(value: str, where: str, column: str) -> bool:
    text = str(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise UserError(
        _("{where}: '{column}' must be yes or no, not '{value}'.").format(
            where=where, column=column, value=value
        )
    )


def _number(value: str, where: str, column: str) -> float | int:
    try:
        number = float(str(value).strip())
    except ValueError:
        raise UserError(
            _("{where}: '{column}' must be a number, not '{value}'.").format(
                where=where, column=column, value=value
            )
        ) from None
    return int(number) if number.is_integer() else number


def import_xlsform(path: str | Path, skip_unsupported: bool = False) -> ImportResult:
    """Read, screen, convert and map an XLSForm; the result's YAML loads as a checklist."""
    path = Path(path)
    if not path.is_file():
        raise UserError(_("There is no file {path}.").format(path=path))
    reader = Reader(path, skip_unsupported)
    data = reader.read()
    survey = reader.screen(list(data.survey or []))
    for index, row in enumerate(data.choices or []):
        cols = columns_of(row)
        for (name, _language), value in cols.items():
            if value and name in MEDIA_COLUMNS | {"media"}:
                reader.unsupported("choices", index + 2, _("media ({column})").format(column=name))
    tree = reader.convert(data, survey)
    return _Mapper(reader, data, survey, tree).build()


class _Drop(Exception):
    """The row was left out (listed already); its question or group is not imported."""


class _Mapper:
    def __init__(
        self, reader: Reader, data: Any, survey: list[dict[str, str]], tree: dict[str, Any]
    ) -> None:
        self.reader = reader
        self.settings = columns_of((data.settings or [{}])[0]) if data.settings else {}
        default = self.settings.get(("default_language", None), "")
        self.default_code = (language_code(default) if default else None) or "en"
        self.rows: dict[str, tuple[int, dict[tuple[str, str | None], str]]] = {}
        for index, row in enumerate(survey):
            cols = columns_of(row)
            name = cols.get(("name", None))
            if name:
                self.rows[name] = (index + 2, cols)
        self.choice_rows: dict[tuple[str, str], dict[tuple[str, str | None], str]] = {}
        for row in data.choices or []:
            cols = columns_of(row)
            self.choice_rows[(cols.get(("list_name", None), ""), cols.get(("name", None), ""))] = (
                cols
            )
        self.tree = tree
        self.kinds: dict[str, str] = {}
        self.profile: set[str] = set()
        self.languages: set[str] = {"en"}
        self.pending_notes: list[dict[str, str]] = []

    def text(self, cols: dict[tuple[str, str | None], str], column: str) -> dict[str, str] | None:
        values = texts_of(cols, column, self.default_code)
        if not values:
            return None
        self.languages.update(values)
        if "en" not in values:
            values = {"en": values.get(self.default_code) or next(iter(values.values())), **values}
        return values

    def resolve(self, name: str) -> tuple[str, str]:
        if name in self.profile:
            return "profile", "text"
        if name in self.kinds:
            return "answer", self.kinds[name]
        raise Untranslatable(_("'${{{name}}}', which is not an earlier question").format(name=name))

    def expression(self, text: str, row: int, column: str, allow_self: bool = False) -> str:
        try:
            return to_native(text, self.resolve, allow_self)
        except Untranslatable as exc:
            self.reader.unsupported(
                "survey",
                row,
                _("the expression {what} in '{column}'").format(what=exc.feature, column=column),
            )
            raise _Drop() from None

    def condition(self, cols: dict[tuple[str, str | None], str], row: int) -> str | None:
        relevant = cols.get(("relevant", None), "")
        if not relevant:
            return None
        native = cols.get(("gc_condition", None), "")
        if native:
            from guidecheck.interop.xlsform_expr import to_xpath

            try:
                if " ".join(to_xpath(native).split()) == " ".join(relevant.split()):
                    return native  # the form's relevant is still the one GuideCheck wrote
            except Exception:  # noqa: BLE001 - a hand-edited gc_condition: translate relevant instead
                pass
        return self.expression(relevant, row, "relevant")

    def build(self) -> ImportResult:
        domains: list[dict[str, Any]] = []
        loose: list[dict[str, Any]] = []
        for child in self.tree.get("children", []):
            if child.get("name") == "meta" and child.get("type") == "group":
                continue
            if child.get("type") == "group" and child.get("name") == PROFILE_GROUP:
                for field_node in child.get("children", []):
                    self.profile.add(field_node["name"])
                    if field_node["name"] not in PROFILE_FIELDS:
                        row = self.rows.get(field_node["name"], (0, {}))[0]
                        self.reader.unsupported(
                            "survey",
                            row,
                            _("the profile field '{name}'").format(name=field_node["name"]),
                        )
                continue
            try:
                if child.get("type") in ("group", "repeat"):
                    domains.append(self.domain(child))
                else:
                    item = self.item(child, "main")
                    if item is not None:
                        loose.append(item)
            except _Drop:
                continue
        if loose:
            title = self.settings.get(("form_title", None)) or self.tree.get("title") or "Questions"
            domains.insert(0, {"id": "main", "title": {"en": str(title)}, "items": loose})
        domains = [d for d in domains if d["items"]]
        if not domains:
            raise UserError(
                _("{path} has no question GuideCheck can use.").format(path=self.reader.path.name)
            )
        data = self.top(domains)
        unscored = not any(i.get("weight", 0) for d in domains for i in d["items"])
        notes = list(self.reader.notes)
        if unscored:
            notes.append(
                _(
                    "No question has a weight: the checklist is imported as an unscored survey (answers and reports without a verdict)."
                )
            )
        from guidecheck.interop.yaml_out import dump_questionnaire

        text = dump_questionnaire(data)
        from guidecheck.checklist.loading import parse_questionnaire_text

        try:
            parse_questionnaire_text(text, f"{self.reader.path.name} (imported)")
        except QuestionnaireError as exc:
            raise UserError(
                _("{path} imports into a checklist GuideCheck refuses: {problem}").format(
                    path=self.reader.path.name, problem=exc.problem
                )
            ) from None
        return ImportResult(data, text, list(self.reader.dropped), notes, unscored)

    def top(self, domains: list[dict[str, Any]]) -> dict[str, Any]:
        s = self.settings
        raw_id = s.get(("form_id", None)) or self.tree.get("id_string") or self.reader.path.stem
        qid = re.sub(r"[^a-z0-9-]+", "-", str(raw_id).lower()).strip("-") or "imported"
        data: dict[str, Any] = {
            "format": 1,
            "id": qid,
            "version": str(s.get(("version", None)) or "1"),
        }
        title = {"en": str(s.get(("form_title", None)) or self.tree.get("title") or qid)}
        title.update(
            {k: v for k, v in texts_of(s, "gc_title", self.default_code).items() if k != "en"}
        )
        data["title"] = title
        description = self.text(s, "description")
        if description:
            data["description"] = description
        if s.get(("source", None)):
            data["source"] = s[("source", None)]
        declared = str(s.get(("gc_languages", None), "")).split()
        data["languages"] = declared or ["en"] + sorted(self.languages - {"en"})
        format2 = ("basis", "na_allowed", "constraint")
        uses2 = any(key in item for d in domains for item in d["items"] for key in format2)
        if uses2 or str(s.get(("gc_format", None), "1")).strip() == "2" or s.get(("level", None)):
            data["format"] = 2
        if s.get(("level", None)):
            data["level"] = s[("level", None)]
        asked = str(s.get(("gc_profile_fields", None), "")).split()
        if asked and data["format"] == 2:  # "none": the checklist asks neither
            data["profile_fields"] = [name for name in asked if name != "none"]
        keys: tuple[str, ...] = ("ready", "ready_with_conditions", "domain_minimum")
        if data["format"] == 2:
            keys = ("rules_version", *keys, "domain_floor", "na_share_max")
        limits: dict[str, Any] = {
            k: _number(s[(k, None)], "settings", k) for k in keys if s.get((k, None))
        }
        if data["format"] == 2:
            if s.get(("critical_partly", None)):
                limits["critical_partly"] = s[("critical_partly", None)]
            if s.get(("na_needs_note", None)):
                limits["na_needs_note"] = _flag(
                    s[("na_needs_note", None)], "settings", "na_needs_note"
                )
        if limits:
            data["thresholds" if data["format"] == 1 else "scoring"] = limits
        data["domains"] = domains
        return data

    def domain(self, node: dict[str, Any]) -> dict[str, Any]:
        name = node["name"]
        row, cols = self.rows.get(name, (0, {}))
        domain: dict[str, Any] = {"id": name, "title": self.text(cols, "label") or {"en": name}}
        description = self.text(cols, "description")
        if description:
            domain["description"] = description
        if cols.get(("kind", None)):
            domain["kind"] = cols[("kind", None)]
        condition = self.condition(cols, row)
        if condition:
            domain["condition"] = condition
        items = []
        for child in node.get("children", []):
            if child.get("type") in ("group", "repeat"):
                self.reader.unsupported(
                    "survey", self.rows.get(child["name"], (0, {}))[0], _("a group inside a group")
                )
                continue
            try:
                item = self.item(child, name)
            except _Drop:
                continue
            if item is not None:
                items.append(item)
        if self.pending_notes:  # notes after the last question describe the part
            joined = [*([description] if description else []), *self.pending_notes]
            domain["description"] = {
                c: "\n\n".join(t[c] for t in joined if c in t)
                for c in {c for t in joined for c in t}
            }
            self.pending_notes = []
        domain["items"] = items
        return domain

    def item(self, node: dict[str, Any], domain_id: str) -> dict[str, Any] | None:
        name = node["name"]
        row, cols = self.rows.get(name, (0, {}))
        kind, list_name, _other = norm_type(cols.get(("type", None), ""))
        if kind == "note":
            text = self.text(cols, "label") or self.text(cols, "hint")
            if text:
                self.pending_notes.append(text)
            return None
        where = _("sheet 'survey', row {row}").format(row=row)
        if not re.match(r"^[a-z][a-z0-9_]{0,63}$", name):
            raise UserError(_("{path}: {where}: the name '{name}' must be lowercase letters, digits and '_' for GuideCheck.").format(path=self.reader.path.name, where=where, name=name))  # fmt: skip
        item: dict[str, Any] = {"id": name}
        choices: list[dict[str, Any]] = []
        if (
            kind == "select_one"
            and list_name == COMPLIANCE_LIST
            and {c["name"] for c in node.get("choices", [])} == set(COMPLIANCE_VALUES)
        ):
            item["type"] = "compliance"
        elif kind in ("select_one", "select_multiple"):
            item["type"] = "single_choice" if kind == "select_one" else "multiple_choice"
            for choice in node.get("choices", []):
                ccols = self.choice_rows.get((list_name, choice["name"]), {})
                entry: dict[str, Any] = {
                    "id": choice["name"],
                    "label": self.text(ccols, "label") or {"en": choice["name"]},
                }
                if ccols.get(("score", None)):
                    entry["score"] = _number(ccols[("score", None)], where, "score")
                if ccols.get(("na", None)) and _flag(ccols[("na", None)], where, "na"):
                    entry["na"] = True
                choices.append(entry)
        elif kind in ("integer", "decimal"):
            item["type"] = "number"
        else:
            item["type"] = kind  # date, text
        item["question"] = self.text(cols, "label") or self.text(cols, "hint") or {"en": name}
        guidance: dict[str, dict[str, str]] = {}
        why = self.text(cols, "hint")
        if self.pending_notes:
            joined: dict[str, str] = {}
            for note in [*self.pending_notes, *([why] if why else [])]:
                for code, note_text in note.items():
                    joined[code] = f"{joined[code]}\n\n{note_text}" if code in joined else note_text
            why, self.pending_notes = joined, []
        for key, value in (
            ("why", why),
            ("evidence", self.text(cols, "guidance_hint")),
            ("example", self.text(cols, "example")),
        ):
            if value:
                guidance[key] = value
        if guidance:
            item["guidance"] = guidance
        if cols.get(("weight", None)):
            item["weight"] = _number(cols[("weight", None)], where, "weight")
        if cols.get(("critical", None)) and _flag(cols[("critical", None)], where, "critical"):
            item["critical"] = True
        action = self.text(cols, "action")
        if action:
            item["action"] = action
        elif item.get("weight"):
            item["action"] = {"en": _("Meet this question's requirement.")}
        if cols.get(("note_rule", None)):
            item["note"] = cols[("note_rule", None)]
        condition = self.condition(cols, row)
        if condition:
            item["condition"] = condition
        if choices:
            item["choices"] = choices
        if kind == "integer":
            item["integer"] = True
        self.number_limits(item, cols, row, kind)
        unit = self.text(cols, "unit")
        if unit:
            item["unit"] = unit
        self.format2(item, cols, row)
        self.kinds[name] = item["type"]
        return item

    def number_limits(
        self, item: dict[str, Any], cols: dict[tuple[str, str | None], str], row: int, kind: str
    ) -> None:
        where = _("sheet 'survey', row {row}").format(row=row)
        for column, key in (("min", "min"), ("max", "max")):
            if cols.get((column, None)):
                item[key] = _number(cols[(column, None)], where, column)
        constraint = cols.get(("constraint", None), "")
        if (
            not constraint
            or cols.get(("gc_constraint", None))
            or kind not in ("integer", "decimal")
        ):
            return
        parts = [p for p in re.split(r"\band\b", constraint)]
        matches = [_RANGE.match(p) for p in parts]
        if all(matches) and len(matches) <= 2:
            limits = {
                ("min" if m.group(1) == ">=" else "max"): _number(m.group(2), where, "constraint")
                for m in matches
                if m
            }
            given = {k: item[k] for k in ("min", "max") if k in item}
            if given and given != limits:
                return  # a constraint narrower than min/max: kept as a constraint
            item.update(limits)
            cols[("constraint", None)] = ""  # said as min/max

    def format2(
        self, item: dict[str, Any], cols: dict[tuple[str, str | None], str], row: int
    ) -> None:
        where = _("sheet 'survey', row {row}").format(row=row)
        basis = self.text(cols, "basis")
        if basis:
            item["basis"] = basis
        if cols.get(("na_allowed", None)) and _flag(
            cols[("na_allowed", None)], where, "na_allowed"
        ):
            item["na_allowed"] = True
        constraint = cols.get(("constraint", None), "")
        if not constraint:
            return
        native = cols.get(("gc_constraint", None), "")
        from guidecheck.interop.xlsform_expr import to_xpath

        try:
            kept = bool(native) and " ".join(to_xpath(native, item["id"]).split()) == " ".join(
                constraint.split()
            )
        except Exception:  # noqa: BLE001 - a hand-edited gc_constraint: translate the constraint
            kept = False
        translated = (
            native if kept else self.expression(constraint, row, "constraint", allow_self=True)
        )
        if translated:
            item["constraint"] = translated
            message = self.text(cols, "constraint_message")
            item["constraint_message"] = message or {"en": _("This answer is not accepted.")}
