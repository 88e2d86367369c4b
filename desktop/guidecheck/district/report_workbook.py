"""The district workbook: latest assessments, every answer in long form, gaps, and charts.

openpyxl's write-only mode streams each row to disk as it is made, so 100,000 answer rows take
little memory; answers are read assessment by assessment, never all at once. Values are typed
(numbers, dates, booleans) with no formulas. The file is written beside the target and renamed
over it, so a failed export leaves no half file. openpyxl is imported only here.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidecheck.checklist.labels import cut_percent, use_category_label, verdict_label
from guidecheck.checklist.scoring import item_credit
from guidecheck.district.records import Record
from guidecheck.district.summary import DistrictSummary
from guidecheck.errors import UserError
from guidecheck.i18n import _, language
from guidecheck.reports import cells

# Long form kept to the columns an analysis joins and filters on: every extra column costs about a
# tenth of the export time at 100,000 rows. Question texts are on the Items sheet (join on item id),
# facility names and districts on the Latest assessments sheet (join on facility code). Column names
# of these two sheets stay English on purpose, so analysts' scripts read any district's file.
ANSWER_HEADERS = (
    "Assessment id", "Facility code", "AI tool", "Date", "Latest", "Domain", "Item id", "Answer", "Credit", "Note",
)  # fmt: skip
ITEM_HEADERS = (
    "Questionnaire",
    "Version",
    "Item id",
    "Domain",
    "Question",
    "Type",
    "Weight",
    "Critical",
)

if TYPE_CHECKING:
    from guidecheck.storage.store import Store


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10])
    except (TypeError, ValueError):
        return None


def _text(sheet: Any, value: str) -> Any:
    """Text typed by people as a plain text cell: "=..." stays text, never a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _cell_value(value: Any) -> Any:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def answer_rows(
    store: Store, records: Iterable[Record], latest_ids: set[str], skipped: list[str] | None = None
) -> Iterator[tuple[Any, ...]]:
    """One tuple per assessment × answered item, in checklist order, read one assessment at a time.

    An assessment whose rows cannot be read (a damaged answer, a missing checklist version) is
    skipped and named in `skipped`: one bad record never stops the district's workbook.
    """
    for record in records:
        try:
            rows = list(_record_answer_rows(store, record, latest_ids))
        except (ValueError, TypeError, KeyError, UserError) as exc:
            if skipped is None:
                raise
            detail = exc.message if isinstance(exc, UserError) else type(exc).__name__
            skipped.append(
                _("Assessment {id} ({facility}) was left out: {detail}").format(
                    id=record.id, facility=record.facility_code, detail=detail
                )
            )
            continue
        yield from rows


def _record_answer_rows(
    store: Any, record: Record, latest_ids: set[str]
) -> Iterator[tuple[Any, ...]]:
    conn = store.conn
    questionnaire = store.stored_questionnaire(
        record.questionnaire_id, record.questionnaire_version
    )
    position = {item.id: n for n, item in enumerate(questionnaire.items)}
    head = (
        record.id,
        record.facility_code,
        record.tool_label,
        _day(record.date),
        record.id in latest_ids,
    )
    rows = conn.execute(
        "SELECT item_id, value_json, note FROM answers WHERE assessment_id = ?", (record.id,)
    ).fetchall()
    rows.sort(key=lambda r: position.get(r[0], len(position)))
    for item_id, value_json, note in rows:
        value = json.loads(value_json)
        item = questionnaire.item(item_id)
        if item is None:  # an answer to an item this version does not have: keep it, unscored
            yield head + ("", item_id, _cell_value(value), None, note or None)
        else:
            credit = item_credit(item, value) if item.scored else None
            yield head + (item.domain_id, item_id, _cell_value(value), credit, note or None)


def item_rows(store: Store, records: Iterable[Record]) -> Iterator[tuple[Any, ...]]:
    """The questionnaire items behind the answers, one row per version in use × item."""
    versions = sorted({(r.questionnaire_id, r.questionnaire_version) for r in records})
    for qid, version in versions:
        for item in store.stored_questionnaire(qid, version).items:
            yield (
                qid,
                version,
                item.id,
                item.domain_id,
                item.question.local,
                item.type,
                item.weight,
                item.critical,
            )


def write_district_workbook(
    store: Store,
    summary: DistrictSummary,
    path: str | os.PathLike[str],
    skipped: list[str] | None = None,
    lang: str | None = None,
) -> Path:
    """Write the workbook to `path` in one step; a UserError (one sentence) if it cannot be written.

    The workbook is rendered into memory first and written with one safe write (temporary name,
    fsync, rename), so a failure never leaves a half file, and no open file has to be removed
    (Windows refuses to delete a file that is still open). Assessments that could not be read
    are named in `skipped` (a list the caller passes) instead of stopping the report.
    """
    import io

    from guidecheck.atomic import write_atomic
    from guidecheck.reports.files import check_writable

    target = check_writable(path)
    buffer = io.BytesIO()
    with language(lang):  # headings in the language asked for, this thread only
        _write(store, summary, buffer, skipped if skipped is not None else [])
    try:
        write_atomic(target, buffer.getvalue(), overwrite=True)
    except OSError as exc:
        raise UserError(
            _("Cannot write the workbook to {path}: {reason}.").format(
                path=target, reason=exc.strerror or exc
            )
        ) from exc
    return target


def _sheet(book: Any, title: str, headers: Iterable[str]) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    from guidecheck.reports.pdf_styles import HEADER_FILL

    sheet = book.create_sheet(title)
    sheet.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL.lstrip("#"))
    row = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font, cell.fill = bold, fill
        row.append(cell)
    sheet.append(row)
    return sheet


def _finish(sheet: Any, columns: int, rows: int) -> None:
    from openpyxl.utils import get_column_letter

    sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(rows + 1, 2)}"


def _write(store: Store, summary: DistrictSummary, target: Any, skipped: list[str]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    heat = summary.heatmap
    latest_ids = {row.record.id for row in heat.rows}
    overview = {(r.facility_code, r.tool_id): r for r in summary.overview}

    headers = ["Facility code", "Facility", "District", "Region", "AI tool", "Use category", "Date",
               "Verdict", "Overall score"] + [title for _d, title in heat.domains] + \
              ["Red flags", "Re-assessment due", "Overdue", "Conflict", "Assessment id", "Audit", "Audit reason"]  # fmt: skip
    sheet = _sheet(book, _("Latest assessments"), headers)
    for row in heat.rows:
        r = row.record
        view = overview[(r.facility_code, r.tool_id)]
        sheet.append(cells.row(sheet, [r.facility_code, r.facility_name, r.district, r.region, r.tool_label,
                      use_category_label(r.use_category), _day(r.date), verdict_label(r.verdict), cut_percent(r.overall),
                      *map(cut_percent, row.cells), r.red_flag_count, _day(view.due_date), view.due, r.conflict, r.id,
                      *_audit_cells(summary, r.id)]))  # fmt: skip
    _finish(sheet, len(headers), len(heat.rows))

    if summary.district_level:  # district-level checklists: apart from the clinics' figures
        team_headers = ["Team or office code", "Team or office", "AI tool", "Checklist", "Date",
                        "Verdict", "Overall score", "Red flags", "Assessment id"]  # fmt: skip
        sheet = _sheet(book, _("District-level"), team_headers)
        for r in summary.district_level:
            sheet.append([_text(sheet, r.facility_code), _text(sheet, r.facility_name), _text(sheet, r.tool_label),
                          f"{r.questionnaire_id} {r.questionnaire_version}", _day(r.date),
                          verdict_label(r.verdict or None), cut_percent(r.overall), r.red_flag_count, r.id])  # fmt: skip
        _finish(sheet, len(team_headers), len(summary.district_level))

    sheet = _sheet(book, _("Answers"), ANSWER_HEADERS)
    count = 0
    for values in answer_rows(store, summary.records, latest_ids, skipped):
        sheet.append(cells.row(sheet, values))
        count += 1
    _finish(sheet, len(ANSWER_HEADERS), count)

    gap_headers = ["Item id", "Domain", "Question", "Critical", "Facilities missing", "Facilities asked",
                   "Share of facilities (%)", "Assessments missing", "Not met", "Partly met"]  # fmt: skip
    sheet = _sheet(book, _("Gaps"), gap_headers)
    for gap in summary.gaps:
        sheet.append(cells.row(sheet, [gap.item_id, gap.domain_title, gap.question, gap.critical, gap.facilities_missing,
                      gap.facilities_asked, gap.share, gap.records_missing, gap.not_met, gap.partly]))  # fmt: skip
    _finish(sheet, len(gap_headers), len(summary.gaps))
    sheet = _sheet(book, _("Items"), ITEM_HEADERS)
    count = 0
    for values in item_rows(store, summary.records):
        sheet.append(cells.row(sheet, values))
        count += 1
    _finish(sheet, len(ITEM_HEADERS), count)
    _monitoring_sheets(book, summary)
    _charts(book, summary)
    book.save(target)


def _audit_cells(summary: DistrictSummary, assessment_id: str) -> tuple[str | None, str | None]:
    """The "Audit" column (checked / FLAGGED / not checked) and its reason; empty for records no
    bundle brought."""
    mark = summary.audit.get(assessment_id)
    if mark is None:
        return None, None
    return mark.label(), mark.reason or None


def _monitoring_sheets(book: Any, summary: DistrictSummary) -> None:
    """The clinics' monitoring logs: every event (serious first) and every monthly tally."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from guidecheck.monitoring.model import kind_label, severity_label

    log = summary.monitoring
    if log is None:
        return

    def text(sheet: Any, value: str) -> Any:
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # a note starting with "=" stays a note, never a formula
        return cell

    headers = ["Facility code", "Facility", "AI tool", "Date", "Kind", "Severity", "What happened",
               "What was done", "Recorded by", "Event id"]  # fmt: skip
    sheet = _sheet(book, _("Monitoring events"), headers)
    ordered = list(log.serious_events) + [e for e in log.events if not e.is_serious]
    for e in ordered:
        sheet.append([e.facility_code, text(sheet, log.facility_names.get(e.facility_code, "")),
                      text(sheet, e.tool_name), _day(e.date), kind_label(e.kind), severity_label(e.severity),
                      text(sheet, e.what_happened), text(sheet, e.action_taken), text(sheet, e.recorded_by),
                      e.id])  # fmt: skip
    _finish(sheet, len(headers), len(ordered))
    headers = ["Facility code", "Facility", "AI tool", "Month", "Times used", "Times overruled",
               "Override rate (%)"]  # fmt: skip
    sheet = _sheet(book, _("Monitoring tallies"), headers)
    for t in log.tallies:
        rate = None if t.override_rate is None else round(100 * t.override_rate, 1)
        sheet.append([t.facility_code, text(sheet, log.facility_names.get(t.facility_code, "")),
                      text(sheet, t.tool_name), t.month, t.times_used, t.times_overridden, rate])  # fmt: skip
    _finish(sheet, len(headers), len(log.tallies))


def _charts(book: Any, summary: DistrictSummary) -> None:
    """A small sheet holding the charted figures and two bar charts drawn from them."""
    from openpyxl.chart import BarChart, Reference

    sheet = book.create_sheet(_("Charts"))
    counts = summary.verdict_counts()
    sheet.append([_("Verdict"), _("AI tools")])
    for verdict, n in counts.items():
        sheet.append(cells.row(sheet, [verdict_label(verdict), n]))
    sheet.append([])
    first_domain_row = len(counts) + 3
    sheet.append([_("Domain"), _("Average score (%)")])
    averages = summary.heatmap.domain_averages()
    for (_d, title), average in zip(summary.heatmap.domains, averages, strict=True):
        sheet.append(cells.row(sheet, [title, average]))

    verdicts = BarChart()
    verdicts.title = _("Latest verdicts")
    verdicts.y_axis.title = _("AI tools")
    verdicts.add_data(
        Reference(sheet, min_col=2, min_row=1, max_row=1 + len(counts)), titles_from_data=True
    )
    verdicts.set_categories(Reference(sheet, min_col=1, min_row=2, max_row=1 + len(counts)))
    verdicts.legend = None
    sheet.add_chart(verdicts, "D2")

    domains = BarChart()
    domains.type = "bar"
    domains.title = _("Average domain scores")
    domains.x_axis.title = _("Domain")
    domains.y_axis.scaling.min, domains.y_axis.scaling.max = 0, 100
    last = first_domain_row + len(averages)
    domains.add_data(
        Reference(sheet, min_col=2, min_row=first_domain_row, max_row=last), titles_from_data=True
    )
    domains.set_categories(Reference(sheet, min_col=1, min_row=first_domain_row + 1, max_row=last))
    domains.legend = None
    domains.height, domains.width = 10, 18
    sheet.add_chart(domains, "D20")
