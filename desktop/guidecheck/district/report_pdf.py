"""The district PDF: coverage, verdicts, domain averages, most common gaps, facilities needing attention.

reportlab platypus on A4 with the report engineer's DejaVu fonts, styles and domain bar chart, so
district and clinic reports look alike. Every colour is paired with a word. Imported only when a
district PDF is written.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from guidecheck import __version__
from guidecheck.checklist.labels import verdict_label
from guidecheck.checklist.model import Thresholds
from guidecheck.district.summary import Attention, DistrictSummary
from guidecheck.i18n import _, language

GAP_ROWS = 20
MARGIN_MM = 17

REASONS = {
    "red_flags": lambda: _("red flags"),
    "not_ready": lambda: _("not ready"),
    "conflict": lambda: _("conflict to resolve"),
    "audit": lambda: _("audit log flagged"),
    "overdue": lambda: _("re-assessment due"),
    "never_assessed": lambda: _("never assessed"),
    "not_assessed_since": lambda: _("not assessed in this period"),
}


def write_district_pdf(
    summary: DistrictSummary, path: str | os.PathLike[str], title: str = "", lang: str | None = None
) -> Path:
    """Write the district PDF to `path` in one step; a UserError if it cannot be written."""
    from guidecheck.reports.files import check_writable, write_atomically

    target = check_writable(path)
    return write_atomically(target, render_district_pdf(summary, title, lang))


MAX_CELL_CHARS = 1000  # a longer text (a facility name is at most 500) is cut, so a row fits a page


def _p(value: str, style: Any) -> Any:
    """A table cell from any text: control characters removed, over-long text cut with "…"."""
    from reportlab.platypus import Paragraph

    from guidecheck.safetext import for_document

    text = for_document(str(value))
    if len(text) > MAX_CELL_CHARS:
        text = text[:MAX_CELL_CHARS] + "…"
    return Paragraph(escape(text), style)


def _percent(value: float | None) -> str:
    from guidecheck.reports.labels import percent_text

    return percent_text(value)


def _table(
    rows: list[list[Any]], widths: list[float], tints: list[tuple[int, str]] | None = None
) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    from guidecheck.reports.pdf_styles import FONT_REGULAR, HEADER_FILL, RULE

    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT_REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_FILL)),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor(RULE)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for row, tint in tints or []:
        commands.append(("BACKGROUND", (0, row), (-1, row), colors.HexColor(tint)))
    table.setStyle(TableStyle(commands))
    return table


def render_district_pdf(
    summary: DistrictSummary, title: str = "", lang: str | None = None
) -> bytes:
    """The district PDF as bytes, headings in `lang` (default: the current language)."""
    with language(lang):
        return _render_district_pdf(summary, title)


def _render_district_pdf(summary: DistrictSummary, title: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    from guidecheck.reports.pdf_styles import FONT_REGULAR, register_fonts

    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_MM * mm, rightMargin=MARGIN_MM * mm, topMargin=MARGIN_MM * mm,
        bottomMargin=MARGIN_MM * mm, title=title or _("District report on AI tools in health care"),
        creator=f"GuideCheck {__version__}", initialFontName=FONT_REGULAR, initialFontSize=9,
    )  # fmt: skip
    story = _story(summary, document.width, title)
    document.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


def _footer(canvas: Any, document: Any) -> None:
    from reportlab.lib.units import mm

    from guidecheck.reports.pdf_styles import FONT_REGULAR

    canvas.saveState()
    canvas.setFont(FONT_REGULAR, 7.5)
    canvas.drawRightString(
        document.pagesize[0] - MARGIN_MM * mm, 9 * mm, _("Page {page}").format(page=document.page)
    )
    canvas.restoreState()


def _story(summary: DistrictSummary, width: float, title: str) -> list[Any]:
    from reportlab.platypus import CondPageBreak, Spacer

    from guidecheck.reports.charts import domain_chart_drawing
    from guidecheck.reports.pdf_styles import styles

    s = styles()
    scope = _("Generated on {day}.").format(day=summary.generated_on)
    if summary.since:
        scope += " " + _("Assessments dated from {day}.").format(day=summary.since)
    scope += " " + _("Re-assessment is due {n} months after an assessment.").format(
        n=summary.reassess_months
    )
    story: list[Any] = [
        _p(title or _("District report on AI tools in health care"), s.title), _p(scope, s.subtitle),
        _p(_("Coverage"), s.heading), _coverage(summary, width, s),
        _p(_("Verdicts"), s.heading), _verdicts(summary, width, s),
        CondPageBreak(160), _p(_("Average domain scores"), s.heading),
        _p(_("Mean of each domain over the latest assessment of every facility and AI tool."), s.small), Spacer(1, 4),
    ]  # fmt: skip
    heat = summary.heatmap
    if heat.domains:
        limits = Thresholds(ready=heat.ready, domain_minimum=heat.minimum)
        chart = domain_chart_drawing(
            [t for _d, t in heat.domains], heat.domain_averages(), width=width, thresholds=limits
        )
        chart.initialFontName = (
            styles().body.fontName
        )  # else reportlab refers to Helvetica, not embedded
        story.append(chart)
    story += [CondPageBreak(140), _p(_("Most common gaps"), s.heading),
              _p(_("Items answered short of fully met, counted by facilities (any AI tool) out of the facilities where the item applied."), s.small),
              Spacer(1, 4), _gaps(summary, width, s),
              CondPageBreak(140), _p(_("Facilities needing attention"), s.heading), _attention(summary.attention, width, s)]  # fmt: skip
    story += _audit(summary, width, s)
    if summary.district_level:
        story += [CondPageBreak(140), _p(_("District and national team assessments"), s.heading),
                  _p(_("Made with a district-level checklist; not counted in the clinic figures above."), s.small),
                  Spacer(1, 4), _district_level(summary, width, s)]  # fmt: skip
    story += [Spacer(1, 10),
              _p(_("Only finalized assessments count; drafts are left out. For each facility and AI tool the latest "
                   "assessment is the newest final, not superseded revision of the most recent assessment."), s.small)]  # fmt: skip
    story += _monitoring(summary, width, s)
    return story


def _audit(summary: DistrictSummary, width: float, s: Any) -> list[Any]:
    """The assessments whose clinic audit log did not verify on import, with the reason."""
    from reportlab.platypus import CondPageBreak, Spacer

    flagged = summary.audit_flagged()
    if not flagged:
        return []
    rows = [[_p(h, s.cell_bold) for h in (_("Facility"), _("AI tool"), _("ID"), _("Audit"))]]
    for record, mark in flagged:
        rows.append([_p(f"{record.facility_name} ({record.facility_code})", s.cell),
                     _p(record.tool_label, s.cell), _p(record.id[:8], s.cell),
                     _p(f"{mark.label()}: {mark.reason}", s.cell)])  # fmt: skip
    note = _("The clinic's records differ from its own audit log, or its log was rewritten after an "
             "earlier bundle: ask the clinic to run `guidecheck audit verify` before trusting these figures.")  # fmt: skip
    return [CondPageBreak(140), _p(_("Audit check"), s.heading), _p(note, s.small), Spacer(1, 4),
            _table(rows, [width * f for f in (0.22, 0.16, 0.12, 0.5)])]  # fmt: skip


def _monitoring(summary: DistrictSummary, width: float, s: Any) -> list[Any]:
    """Monitoring between assessments: serious events first, then events and override rates per tool."""
    from reportlab.platypus import CondPageBreak, Spacer

    from guidecheck.monitoring.model import kind_label, severity_label

    log = summary.monitoring
    if log is None or log.empty:
        return []
    story: list[Any] = [CondPageBreak(140), _p(_("Monitoring between assessments"), s.heading),
                        _p(_("What clinics logged about their AI tools: serious events and harm first."), s.small),
                        Spacer(1, 4)]  # fmt: skip
    if log.serious_events:
        rows = [[_p(h, s.cell_bold) for h in (_("Date"), _("Facility · AI tool"), _("Severity · kind"), _("What happened"))]]  # fmt: skip
        for e in log.serious_events:
            where = f"{log.facility_names.get(e.facility_code, e.facility_code)} · {e.tool_name}"
            rows.append([e.date, _p(where, s.cell), _p(f"{severity_label(e.severity)} · {kind_label(e.kind)}", s.cell),
                         _p(e.what_happened, s.cell)])  # fmt: skip
        story += [_table(rows, [width * 0.13, width * 0.25, width * 0.2, width * 0.42],
                         [(n, "#FFEBEE") for n in range(1, len(rows))]), Spacer(1, 6)]  # fmt: skip
    rows = [[_p(h, s.cell_bold) for h in (_("Facility · AI tool"), _("Events"), _("Serious"), _("Harm"), _("Override rate"))]]  # fmt: skip
    for r in log.rows:
        rows.append([_p(f"{r.facility_name} · {r.tool_name}", s.cell), str(r.events), str(r.serious), str(r.harm),
                     "–" if r.override_rate is None else f"{r.override_rate:.0%}"])  # fmt: skip
    story.append(
        _table(rows, [width * 0.46, width * 0.12, width * 0.12, width * 0.12, width * 0.18])
    )
    return story


def _coverage(summary: DistrictSummary, width: float, s: Any) -> Any:
    data = summary.as_json()["coverage"]
    rows = [
        [_p(_("Figure"), s.cell_bold), _p(_("Count"), s.cell_bold)],
        [_p(_("Facilities known"), s.cell), data["facilities_known"]],
        [_p(_("Facilities assessed (final)"), s.cell), data["facilities_assessed"]],
        [_p(_("Facilities with a re-assessment due"), s.cell), data["facilities_overdue"]],
        [_p(_("AI tools in use"), s.cell), data["tools_known"]],
        [_p(_("AI tools assessed"), s.cell), data["tools_assessed"]],
        [_p(_("AI tools due for re-assessment"), s.cell), data["tools_overdue"]],
        [_p(_("Final assessments counted"), s.cell), data["assessments"]],
        [_p(_("Conflicts waiting for a decision"), s.cell), summary.conflicts],
        [_p(_("Assessments flagged by the audit check"), s.cell), len(summary.audit_flagged())],
    ]
    return _table(rows, [width * 0.6, width * 0.2])


def _verdicts(summary: DistrictSummary, width: float, s: Any) -> Any:
    from guidecheck.reports.pdf_styles import VERDICT_TINTS

    counts = summary.verdict_counts()
    total = sum(counts.values())
    rows = [
        [
            _p(_("Latest verdict"), s.cell_bold),
            _p(_("AI tools"), s.cell_bold),
            _p(_("Share"), s.cell_bold),
        ]
    ]
    tints = []
    for verdict, n in counts.items():
        rows.append(
            [_p(verdict_label(verdict), s.cell), n, _percent(100.0 * n / total if total else None)]
        )
        tints.append((len(rows) - 1, VERDICT_TINTS[verdict]))
    return _table(rows, [width * 0.5, width * 0.15, width * 0.15], tints)


def _gaps(summary: DistrictSummary, width: float, s: Any) -> Any:
    if not summary.gaps:
        return _p(_("No gaps: every applicable item is fully met."), s.body)
    rows = [
        [_p(h, s.cell_bold) for h in (_("Item"), _("Domain"), _("Facilities missing"), _("Share"))]
    ]
    for gap in summary.gaps[:GAP_ROWS]:
        label = gap.question + (" " + _("(critical)") if gap.critical else "")
        rows.append([_p(label, s.cell), _p(gap.domain_title, s.cell),
                     f"{gap.facilities_missing} / {gap.facilities_asked}", _percent(gap.share)])  # fmt: skip
    return _table(rows, [width * 0.52, width * 0.22, width * 0.14, width * 0.12])


def _district_level(summary: DistrictSummary, width: float, s: Any) -> Any:
    """The latest district-level assessment of each team and tool, apart from the clinics."""
    from guidecheck.reports.pdf_styles import VERDICT_TINTS

    headers = (
        _("Team or office"),
        _("AI tool"),
        _("Date"),
        _("Verdict"),
        _("Score"),
        _("Red flags"),
    )
    rows = [[_p(h, s.cell_bold) for h in headers]]
    tints = []
    for r in summary.district_level:
        rows.append([
            _p(f"{r.facility_name} ({r.facility_code})", s.cell), _p(r.tool_label, s.cell), r.date or "–",
            _p(verdict_label(r.verdict) if r.verdict else "–", s.cell), _percent(r.overall), r.red_flag_count,
        ])  # fmt: skip
        if r.verdict in VERDICT_TINTS:
            tints.append((len(rows) - 1, VERDICT_TINTS[r.verdict]))
    fractions = (0.32, 0.2, 0.13, 0.15, 0.1, 0.1)
    return _table(rows, [width * f for f in fractions], tints)


def _attention(items: tuple[Attention, ...], width: float, s: Any) -> Any:
    from guidecheck.reports.pdf_styles import VERDICT_TINTS

    if not items:
        return _p(
            _("None: every AI tool is assessed, ready or ready with conditions, and not due."),
            s.body,
        )
    headers = (
        _("Facility"),
        _("AI tool"),
        _("Date"),
        _("Verdict"),
        _("Score"),
        _("Why"),
        _("Red flags"),
    )
    rows = [[_p(h, s.cell_bold) for h in headers]]
    tints = []
    for entry in items:
        row = entry.row
        flags = "; ".join(q for _i, q in entry.red_flags) or "–"
        rows.append([
            _p(f"{row.facility_name} ({row.facility_code})", s.cell), _p(row.tool_name, s.cell), row.date or "–",
            _p(verdict_label(row.verdict) if row.verdict else "–", s.cell), _percent(row.overall) if row.assessed else "–",
            _p(", ".join(REASONS[r]() for r in entry.reasons), s.cell), _p(flags, s.cell),
        ])  # fmt: skip
        if row.verdict:
            tints.append((len(rows) - 1, VERDICT_TINTS[row.verdict]))
    fractions = (0.18, 0.14, 0.11, 0.11, 0.08, 0.15, 0.23)
    return _table(rows, [width * f for f in fractions], tints)
