"""The clinic PDF's monitoring parts: serious events "for review" beside the red flags, and a
page of what was logged since the last assessment (only when something was).

The review list never changes the verdict; it asks the assessors to look at what happened.
Imported by `reports.pdf_sections`, itself imported only when a PDF is made.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

from guidecheck.i18n import _
from guidecheck.monitoring.model import KINDS, SEVERITIES, kind_label, severity_label
from guidecheck.reports.pdf_styles import HEADER_FILL, RULE, VERDICT_COLOURS, styles

ORANGE = colors.HexColor(VERDICT_COLOURS["ready_with_conditions"])


def _text(value: str) -> str:
    return escape(value).replace("\r\n", "\n").replace("\n", "<br/>")


def period_text(log: Any) -> str:
    if log.since is None:
        return _("Everything logged for this tool (no earlier final assessment).")
    return _("Logged since the last final assessment, signed off on {date}.").format(
        date=log.since[:10]
    )


def for_review(log: Any, width: float) -> list[Any]:
    """Serious events and harm from the monitoring log, listed for review (not a verdict input)."""
    if log is None or not log.serious:
        return []
    s = styles()
    rows: list[list[Any]] = [
        [
            Paragraph(
                _text(
                    _(
                        "For review: serious or harmful events in the monitoring log since the last assessment ({n})."
                    ).format(n=len(log.serious))
                ),
                s.cell_bold,
            )
        ]
    ]
    for event in log.serious:
        rows.append([Paragraph(_event_text(event), s.cell)])
    box = Table(
        rows,
        colWidths=[width],
        style=TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, ORANGE),
                ("LINEBELOW", (0, 0), (-1, -2), 0.3, colors.HexColor(RULE)),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ]
        ),
    )
    return [Spacer(1, 8), box]


def _event_text(event: Any) -> str:
    head = f"<b>{_text(event.date)} · {_text(severity_label(event.severity))} · {_text(kind_label(event.kind))}</b>"
    body = _text(event.what_happened)
    if event.action_taken:
        body += "<br/>" + _text(_("What was done: {text}").format(text=event.action_taken))
    return f"{head}<br/>{body}"


def monitoring_page(log: Any, width: float) -> list[Any]:
    """A page on the monitoring log since the last assessment; nothing when nothing was logged."""
    if log is None or log.empty:
        return []
    s = styles()
    story: list[Any] = [
        PageBreak(),
        Paragraph(_text(_("Monitoring since the last assessment")), s.heading),
        Paragraph(_text(period_text(log)), s.body),
        Spacer(1, 6),
    ]
    grid = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_FILL)),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor(RULE)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if log.events:
        by_kind, by_severity = log.by_kind(), log.by_severity()
        rows = [
            [Paragraph(_text(_("Kind")), s.cell_bold), Paragraph(_text(_("Events")), s.cell_bold)]
        ]
        rows += [
            [Paragraph(_text(kind_label(k)), s.cell), str(by_kind[k])] for k in KINDS if by_kind[k]
        ]
        rows += [[Paragraph(_text(_("Severity")), s.cell_bold), ""]]
        rows += [
            [Paragraph(_text(severity_label(v)), s.cell), str(by_severity[v])]
            for v in SEVERITIES
            if by_severity[v]
        ]
        story.append(Table(rows, colWidths=[width * 0.6, width * 0.2], hAlign="LEFT", style=TableStyle(grid)))  # fmt: skip
    if log.tallies:
        story.append(Paragraph(_text(_("Override rate by month")), s.subheading))
        rows = [[Paragraph(_text(h), s.cell_bold) for h in (_("Month"), _("Times used"), _("Times overruled"), _("Override rate"))]]  # fmt: skip
        for month, used, over, rate in log.override_trend():
            rows.append([month, str(used), str(over), "-" if rate is None else f"{rate:.0%}"])
        story.append(Table(rows, colWidths=[width * 0.2] * 4, hAlign="LEFT", style=TableStyle(grid)))  # fmt: skip
    if log.events:
        story.append(Paragraph(_text(_("Events, newest first")), s.subheading))
        rows = [[Paragraph(_event_text(e), s.cell)] for e in log.events]
        story.append(Table(rows, colWidths=[width], repeatRows=0, style=TableStyle(grid[1:])))
    return story
