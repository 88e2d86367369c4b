"""`guidecheck questionnaires export-xlsform ID OUT.xlsx`: a checklist as an XLSForm workbook.

Domains become groups, items become rows, choices go to the `choices` sheet, conditions become
`relevant` (translated to XLSForm; the exact GuideCheck text is kept beside it in `gc_condition`
so an unedited form comes back identical). Profile fields that conditions use are asked in a
`profile` group, so ODK tools can run the form too. Every cell is written as text, so nothing in
a checklist can become a spreadsheet formula.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from guidecheck.checklist.model import (
    COMPLIANCE_VALUES,
    PHASES,
    PROFILE_FIELDS,
    USE_CATEGORIES,
    Item,
    Questionnaire,
    Text,
    default_profile_fields,
)
from guidecheck.errors import UserError
from guidecheck.i18n import _
from guidecheck.interop.xlsform_columns import (
    COMPLIANCE_LABELS,
    COMPLIANCE_LIST,
    language_header,
)
from guidecheck.interop.xlsform_expr import Untranslatable, to_xpath
from guidecheck.reports.files import write_atomically

PROFILE_GROUP = "profile"
_PROFILE_LABELS = {
    "facility_name": "Facility name", "facility_code": "Facility code", "district": "District",
    "region": "Region", "tool_name": "AI tool name", "tool_vendor": "AI tool vendor",
    "tool_version": "AI tool version", "tool_intended_use": "Intended use of the AI tool",
    "tool_date_deployed": "Date the AI tool was deployed", "use_category": "Use category",
    "phase": "Implementation phase", "assessor_name": "Assessor name", "assessor_role": "Assessor role",
    "date": "Date of the assessment",
}  # fmt: skip


def _num(value: float) -> str:
    return f"{value:g}"


def range_constraint(item: Item) -> str:
    """The XLSForm constraint a number item's min/max stand for ("" when it has neither)."""
    parts = []
    if item.minimum is not None:
        parts.append(f". >= {_num(item.minimum)}")
    if item.maximum is not None:
        parts.append(f". <= {_num(item.maximum)}")
    return " and ".join(parts)


class _Sheet:
    """Rows of one sheet as dicts; the header is the union of keys in first-use order."""

    def __init__(self, fixed: list[str]) -> None:
        self.header = list(fixed)
        self.rows: list[dict[str, str]] = []

    def add(self, row: dict[str, str]) -> None:
        clean = {k: v for k, v in row.items() if v not in ("", None)}
        for key in clean:
            if key not in self.header:
                self.header.append(key)
        self.rows.append(clean)


class _Writer:
    def __init__(self, questionnaire: Questionnaire) -> None:
        self.q = questionnaire
        self.languages = list(dict.fromkeys(["en", *questionnaire.languages]))
        self.survey = _Sheet(
            ["type", "name"] + [f"label::{language_header(c)}" for c in self.languages]
        )
        self.choices = _Sheet(
            ["list_name", "name"] + [f"label::{language_header(c)}" for c in self.languages]
        )
        self.settings = _Sheet(["form_title", "form_id", "version", "default_language"])

    def text(self, row: dict[str, str], column: str, value: Text | None) -> None:
        if value is None:
            return
        for code, text in value.values.items():
            if text:
                if code not in self.languages:
                    self.languages.append(code)
                row[f"{column}::{language_header(code)}"] = text

    def xpath(self, native: str | None, where: str, self_name: str | None = None) -> str:
        if not native:
            return ""
        try:
            return to_xpath(native, self_name)
        except Untranslatable as exc:
            raise UserError(
                _("The condition of {where} cannot be written as XLSForm: {what}.").format(
                    where=where, what=exc.feature
                )
            ) from None

    def profile_fields(self) -> list[str]:
        from guidecheck.checklist import expressions

        used: list[str] = []
        conditions = [d.condition for d in self.q.domains] + [i.condition for i in self.q.items]
        conditions += [getattr(i, "constraint", None) for i in self.q.items]
        for condition in conditions:
            if condition:
                source = (
                    condition.replace("value", "answer.value")
                    if "value" in condition
                    else condition
                )
                try:
                    refs = expressions.references(expressions.parse(source))
                except expressions.ExpressionError:
                    refs = expressions.references(expressions.parse(condition))
                used += [r.name for r in refs if r.scope == "profile" and r.name not in used]
        return [name for name in PROFILE_FIELDS if name in used] + [
            n for n in used if n not in PROFILE_FIELDS
        ]

    def write_profile(self) -> None:
        fields = self.profile_fields()
        if not fields:
            return
        self.survey.add(
            {
                "type": "begin_group",
                "name": PROFILE_GROUP,
                **{f"label::{language_header('en')}": "Profile"},
            }
        )
        for name in fields:
            row = {
                "name": name,
                f"label::{language_header('en')}": _PROFILE_LABELS.get(name, name),
                "required": "yes",
            }
            if name in ("use_category", "phase"):
                row["type"] = f"select_one {name}"
                for category in USE_CATEGORIES if name == "use_category" else PHASES:
                    self.choices.add({"list_name": name, "name": category,
                                      f"label::{language_header('en')}": category.replace("_", " ")})  # fmt: skip
            elif name in ("date", "tool_date_deployed"):
                row["type"] = "date"
            else:
                row["type"] = "text"
            self.survey.add(row)
        self.survey.add({"type": "end_group"})

    def write_item(self, item: Item) -> None:
        row: dict[str, str] = {"name": item.id, "required": "yes"}
        if item.type == "compliance":
            row["type"] = f"select_one {COMPLIANCE_LIST}"
        elif item.type == "single_choice":
            row["type"] = f"select_one {item.id}"
        elif item.type == "multiple_choice":
            row["type"] = f"select_multiple {item.id}"
        elif item.type == "number":
            row["type"] = "integer" if item.integer else "decimal"
        else:
            row["type"] = item.type  # date, text
        self.text(row, "label", item.question)
        self.text(row, "hint", item.guidance.why)
        self.text(row, "guidance_hint", item.guidance.evidence)
        self.text(row, "example", item.guidance.example)
        self.text(row, "action", item.action)
        self.text(row, "unit", item.unit)
        self.text(row, "basis", getattr(item, "basis", None))
        if item.weight:
            row["weight"] = _num(item.weight)
        if item.critical:
            row["critical"] = "yes"
        if getattr(item, "na_allowed", False):
            row["na_allowed"] = "yes"
        if item.note != "none":
            row["note_rule"] = item.note
        if item.minimum is not None:
            row["min"] = _num(item.minimum)
        if item.maximum is not None:
            row["max"] = _num(item.maximum)
        if item.condition:
            row["relevant"] = self.xpath(item.condition, item.id)
            row["gc_condition"] = item.condition
        constraint = getattr(item, "constraint", None)
        if constraint:
            row["constraint"] = self.xpath(constraint, item.id, self_name=item.id)
            row["gc_constraint"] = constraint
            self.text(row, "constraint_message", getattr(item, "constraint_message", None))
        elif item.type == "number" and range_constraint(item):
            row["constraint"] = range_constraint(item)
        self.survey.add(row)
        for choice in item.choices:
            crow = {"list_name": item.id, "name": choice.id}
            self.text(crow, "label", choice.label)
            if choice.score is not None:
                crow["score"] = _num(choice.score)
            if choice.na:
                crow["na"] = "yes"
            self.choices.add(crow)

    def build(self) -> dict[str, _Sheet]:
        q = self.q
        self.write_profile()
        if any(item.type == "compliance" for item in q.items):
            for value in COMPLIANCE_VALUES:
                row = {"list_name": COMPLIANCE_LIST, "name": value}
                for code in self.languages:
                    label = COMPLIANCE_LABELS.get(code, COMPLIANCE_LABELS["en"])[value]
                    row[f"label::{language_header(code)}"] = label
                self.choices.add(row)
        for domain in q.domains:
            row = {"type": "begin_group", "name": domain.id, "kind": domain.kind}
            self.text(row, "label", domain.title)
            self.text(row, "description", domain.description)
            if domain.condition:
                row["relevant"] = self.xpath(domain.condition, domain.id)
                row["gc_condition"] = domain.condition
            self.survey.add(row)
            for item in domain.items:
                self.write_item(item)
            self.survey.add({"type": "end_group"})
        settings = {
            "form_title": q.title.en,
            "form_id": q.id,
            "version": q.version,
            "default_language": language_header("en"),
            "clean_text_values": "no",
            "gc_languages": " ".join(q.languages),
            "source": q.guidance_source,
        }
        if q.format >= 2:
            rules = q.scoring
            settings.update({"gc_format": str(q.format), "level": q.level,
                             "rules_version": str(rules.rules_version), "ready": _num(rules.ready),
                             "ready_with_conditions": _num(rules.ready_with_conditions),
                             "domain_minimum": _num(rules.domain_minimum), "domain_floor": _num(rules.domain_floor),
                             "na_share_max": _num(rules.na_share_max), "critical_partly": rules.critical_partly,
                             "na_needs_note": "yes" if rules.na_needs_note else "no"})  # fmt: skip
            if q.profile_fields != default_profile_fields(q.format, q.level):
                settings["gc_profile_fields"] = " ".join(q.profile_fields) or "none"
        else:
            settings.update({"ready": _num(q.thresholds.ready),
                             "ready_with_conditions": _num(q.thresholds.ready_with_conditions),
                             "domain_minimum": _num(q.thresholds.domain_minimum)})  # fmt: skip
        self.text(
            settings, "gc_title", Text({k: v for k, v in q.title.values.items() if k != "en"})
        )
        self.text(settings, "description", q.description)
        self.settings.add(settings)
        return {"survey": self.survey, "choices": self.choices, "settings": self.settings}


def xlsform_bytes(questionnaire: Questionnaire) -> bytes:
    """The XLSForm workbook (.xlsx) of a checklist, every cell text."""
    from openpyxl import Workbook

    sheets = _Writer(questionnaire).build()
    book = Workbook()
    book.remove(book.active)
    for name, sheet in sheets.items():
        ws = book.create_sheet(name)
        for column, key in enumerate(sheet.header, start=1):
            _cell(ws, 1, column, key)
        for row_number, row in enumerate(sheet.rows, start=2):
            for column, key in enumerate(sheet.header, start=1):
                if key in row:
                    _cell(ws, row_number, column, row[key])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(ws: Any, row: int, column: int, value: str) -> None:
    cell = ws.cell(row=row, column=column)
    cell.value = value
    cell.data_type = "s"  # text, never a formula, whatever it starts with


def export_xlsform(questionnaire: Questionnaire, out: str | os.PathLike[str]) -> Path:
    return write_atomically(out, xlsform_bytes(questionnaire))
