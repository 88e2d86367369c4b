"""The assessment workbook a district analyses: Summary, Answers, Action plan and Red flags sheets.

Values are typed (numbers as numbers, dates as dates, yes/no as booleans) and there are no
formulas, so the file reads the same in any spreadsheet without recalculation. Each sheet has its
header row frozen and an autofilter. openpyxl is imported only when a workbook is made.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from guidecheck.checklist.labels import cut_percent, phase_label
from guidecheck.checklist.model import Item
from guidecheck.i18n import _, language
from guidecheck.reports import labels
from guidecheck.reports.content import ReportData, answer_value_code, item_score
from guidecheck.reports.files import check_writable, write_atomically
from guidecheck.reports.pdf_styles import HEADER_FILL, VERDICT_COLOURS, VERDICT_TINTS

WRAP_WIDTH = 60  # columns at least this wide wrap their text


def write_assessment_workbook(
    data: ReportData, path: str | os.PathLike[str], lang: str | None = None
) -> Path:
    """Write the workbook to `path` (replacing it in one step); a UserError if it cannot be written."""
    target = check_writable(path)
    return write_atomically(target, render_workbook(data, lang))


def render_workbook(data: ReportData, lang: str | None = None) -> bytes:
    """The workbook as bytes, every word in `lang` (default: the current language)."""
    with language(lang) as chosen:
        return _render_workbook(data, chosen)


def _render_workbook(data: ReportData, lang: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    summary = book.active
    summary.title = _("Summary")
    _summary_sheet(summary, data, lang)
    _table_sheet(book.create_sheet(_("Answers")), *_answer_rows(data, lang))
    _table_sheet(book.create_sheet(_("Action plan")), *_action_rows(data, lang))
    _table_sheet(book.create_sheet(_("Red flags")), *_red_flag_rows(data, lang))
    book.properties.title = _("AI tool readiness assessment")
    book.properties.creator = "GuideCheck"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _timestamp(text: str | None) -> datetime | None:
    """ISO timestamp text as a naive UTC datetime (spreadsheets have no time zones)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _summary_rows(data: ReportData, lang: str) -> list[tuple[str, Any]]:
    profile = data.assessment.profile
    q = data.questionnaire
    signed = data.assessment.sign_off
    return [
        (_("Facility"), profile.facility_name),
        (_("Facility code"), profile.facility_code),
        (_("District"), profile.district),
        (_("Region"), profile.region),
        (_("AI tool"), profile.tool_name),
        (_("Vendor"), profile.tool_vendor),
        (_("Tool version"), profile.tool_version),
        (_("Intended use"), profile.tool_intended_use),
        # only the profile questions the checklist asks (a district review asks neither)
        *(
            [(_("Use category"), labels.use_category_label(profile.use_category))]
            if q.asks("use_category")
            else []
        ),
        *([(_("Phase"), phase_label(profile.phase))] if q.asks("phase") and profile.phase else []),
        (
            _("Deployed since"),
            labels.iso_date(profile.tool_date_deployed) or profile.tool_date_deployed,
        ),
        (_("Assessor"), profile.assessor_name),
        (_("Assessor role"), profile.assessor_role),
        (_("Assessment date"), labels.iso_date(profile.date) or profile.date),
        (_("Questionnaire"), q.title.get(lang)),
        (_("Questionnaire id"), q.id),
        (_("Questionnaire version"), q.version),
        (_("Assessment id"), data.assessment.id),
        (_("Revision"), data.assessment.revision),
        (_("Status"), labels.status_label(data.assessment.status)),
        (_("Verdict"), labels.verdict_label(data.score.verdict)),
        (_("Overall score (%)"), _number(cut_percent(data.score.overall))),
        (_("Red flags"), len(data.score.red_flags)),
        (_("Actions"), len(data.score.action_plan)),
        (_("Signed off by"), signed.assessor_name if signed else ""),
        (_("Head of facility"), signed.facility_head_name if signed else ""),
        (_("Sign-off date"), (labels.iso_date(signed.date) or signed.date) if signed else None),
        (_("Finalized at"), _timestamp(data.assessment.finalized_at)),
        (_("Content hash"), data.content_hash),
    ]


def _summary_sheet(sheet: Any, data: ReportData, lang: str) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font, PatternFill

    rows = _summary_rows(data, lang)
    _header(sheet, [_("Field"), _("Value")])
    for row, (label, value) in enumerate(rows, start=2):
        _set(sheet.cell(row=row, column=1), label)
        _set(sheet.cell(row=row, column=2), value)
    verdict_row = next(i for i, (label, _v) in enumerate(rows, start=2) if label == _("Verdict"))
    verdict = data.score.verdict or ""  # "" for a survey: no verdict colour
    cell = sheet.cell(row=verdict_row, column=2)
    cell.font = Font(bold=True, color=VERDICT_COLOURS.get(verdict, "#000000").lstrip("#"))
    cell.fill = PatternFill("solid", fgColor=VERDICT_TINTS.get(verdict, "#FFFFFF").lstrip("#"))
    sheet.auto_filter.ref = f"A1:B{len(rows) + 1}"

    # Domain scores beside the fields, sharing the frozen header row.
    _header(
        sheet,
        [_("Domain"), _("Domain id"), _("Score (%)"), _("Answered"), _("Shown")],
        first_column=4,
    )
    domains = data.shown_domains()
    for row, domain in enumerate(domains, start=2):
        answered, shown = data.score.domain_progress.get(domain.id, (0, 0))
        values = [
            domain.title.get(lang),
            domain.id,
            _number(cut_percent(data.score.domains.get(domain.id))),
            answered,
            shown,
        ]
        for column, value in enumerate(values, start=4):
            _set(sheet.cell(row=row, column=column), value)
    _widths(sheet, {"A": 24, "B": 46, "C": 3, "D": 40, "E": 18, "F": 11, "G": 10, "H": 9})
    sheet.freeze_panes = "A2"
    if domains:
        chart = BarChart()
        chart.type = "bar"
        chart.title = _("Scores by domain (%)")
        chart.legend = None
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 100
        chart.y_axis.majorUnit = 25
        chart.x_axis.scaling.orientation = "maxMin"  # first domain on top, as in the PDF
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.add_data(
            Reference(sheet, min_col=6, min_row=1, max_row=len(domains) + 1), titles_from_data=True
        )
        chart.set_categories(Reference(sheet, min_col=4, min_row=2, max_row=len(domains) + 1))
        chart.height = max(6.0, 1.0 * len(domains) + 2)
        chart.width = 18
        sheet.add_chart(chart, f"D{len(domains) + 4}")


def _answer_rows(
    data: ReportData, lang: str
) -> tuple[list[str], list[list[Any]], dict[str, float]]:
    headers = [
        _("Domain"),
        _("Domain id"),
        _("Item"),
        _("Question"),
        _("Answer"),
        _("Value"),
        _("Note"),
        _("Weight"),
        _("Critical"),
        _("Met"),
        _("Score"),
        _("Red flag"),
        _("Answered at"),
        _("Answered by"),
    ]
    red = set(data.score.red_flags)
    rows = []
    for domain in data.shown_domains():
        for item in data.shown_items(domain):
            answer = data.answers.get(item.id)
            credit = item_score(item, answer)
            rows.append(
                [
                    domain.title.get(lang),
                    domain.id,
                    item.id,
                    item.question.get(lang),
                    labels.answer_text(item, answer.value if answer else None, lang),
                    _typed_value(item, answer_value_code(answer)),
                    answer.note if answer else "",
                    _number(item.weight),
                    item.critical,
                    None if credit is None else credit >= 1,
                    _number(credit),
                    item.id in red,
                    _timestamp(answer.answered_at) if answer else None,
                    answer.answered_by if answer else "",
                ]
            )
    widths: dict[str, float] = {
        "A": 28,
        "B": 14,
        "C": 22,
        "D": 60,
        "E": 22,
        "F": 16,
        "G": 60,
        "H": 8,
        "I": 9,
        "J": 7,
        "K": 7,
        "L": 9,
        "M": 18,
        "N": 16,
    }
    return headers, rows, widths


def _typed_value(item: Item, value: Any) -> Any:
    if item.type == "date" and isinstance(value, str):
        return labels.iso_date(value) or value
    if item.type == "number" and isinstance(value, int | float):
        return _number(value)
    return value


def _action_rows(
    data: ReportData, lang: str
) -> tuple[list[str], list[list[Any]], dict[str, float]]:
    headers = [_("Priority"), _("Action"), _("Domain"), _("Item"), _("Question"), _("Answer")]
    rows = []
    for entry in data.score.action_plan:
        item = data.questionnaire.item(entry.item_id)
        rows.append(
            [
                labels.priority_label(entry.priority),
                entry.action.get(lang),
                data.domain_title(entry.domain_id, lang),
                entry.item_id,
                item.question.get(lang) if item else "",
                labels.answer_text(item, entry.answer, lang) if item else str(entry.answer),
            ]
        )
    return headers, rows, {"A": 10, "B": 60, "C": 28, "D": 22, "E": 60, "F": 16}


def _red_flag_rows(
    data: ReportData, lang: str
) -> tuple[list[str], list[list[Any]], dict[str, float]]:
    headers = [_("Domain"), _("Item"), _("Question"), _("Answer"), _("Note"), _("Action")]
    rows = []
    for item_id in data.score.red_flags:
        item = data.questionnaire.item(item_id)
        if item is None:
            continue
        answer = data.answers.get(item_id)
        rows.append(
            [
                data.domain_title(item.domain_id, lang),
                item.id,
                item.question.get(lang),
                labels.answer_text(item, answer.value if answer else None, lang),
                answer.note if answer else "",
                item.action.get(lang),
            ]
        )
    return headers, rows, {"A": 28, "B": 22, "C": 60, "D": 14, "E": 60, "F": 60}


def _table_sheet(
    sheet: Any, headers: list[str], rows: list[list[Any]], widths: dict[str, float]
) -> None:
    from openpyxl.utils import get_column_letter

    _header(sheet, headers)
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            _set(sheet.cell(row=row_number, column=column), value)
    for column in range(1, len(headers) + 1):
        if widths.get(get_column_letter(column), 0) >= WRAP_WIDTH:
            _wrap_column(sheet, column, len(rows))
    _widths(sheet, widths)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"


def _wrap_column(sheet: Any, column: int, count: int) -> None:
    from openpyxl.styles import Alignment

    wrap = Alignment(wrap_text=True, vertical="top")
    for row in range(2, count + 2):
        sheet.cell(row=row, column=column).alignment = wrap


def _header(sheet: Any, headers: Sequence[str], first_column: int = 1) -> None:
    from openpyxl.styles import Font, PatternFill

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=HEADER_FILL.lstrip("#"))
    for offset, title in enumerate(headers):
        cell = sheet.cell(row=1, column=first_column + offset)
        _set(cell, title)
        cell.font = bold
        cell.fill = fill


def _set(cell: Any, value: Any) -> None:
    """Store a typed value through the one cell writer (text is always text, see reports.cells)."""
    from guidecheck.reports.cells import set_cell

    set_cell(cell, value)


def _widths(sheet: Any, widths: dict[str, float]) -> None:
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
