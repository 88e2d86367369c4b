"""The domain score chart, drawn once with reportlab graphics and reused.

The PDF embeds the Drawing; the app's summary screen shows the same Drawing rendered to SVG, so a
clinic sees on screen exactly what it prints. Every bar carries its score as text, and bars below
the domain minimum say so in words: colour is never the only carrier.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from guidecheck.checklist.model import Thresholds
from guidecheck.i18n import _
from guidecheck.reports.labels import percent_text
from guidecheck.reports.pdf_styles import BAND_COLOURS, INK, MUTED, RULE, band, register_fonts

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

    from guidecheck.reports.content import ReportData

ROW_HEIGHT = 22.0
BAR_HEIGHT = 13.0
AXIS_SPACE = 16.0
FONT_SIZE = 8.5
VALUE_ROOM = 118.0  # room right of the 100% line for "45% – below minimum"


def domain_chart_drawing(
    labels: Sequence[str],
    scores: Sequence[float | None],
    *,
    width: float = 480.0,
    thresholds: Thresholds | None = None,
) -> Drawing:
    """Horizontal bars 0–100%, one per domain, with the score written at each bar's end."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib import colors
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if len(labels) != len(scores):
        raise ValueError("labels and scores differ in length")
    regular, bold = register_fonts()
    limits = thresholds or Thresholds()
    label_width = round(width * 0.34)
    bar_left = label_width + 8
    bar_span = max(width - bar_left - VALUE_ROOM, 60.0)
    height = AXIS_SPACE + ROW_HEIGHT * max(len(labels), 1) + 4
    drawing = Drawing(width, height)
    # Own white background: the SVG must stay readable on the app's dark theme too.
    drawing.add(Rect(0, 0, width, height, fillColor=colors.white, strokeColor=None))
    top = height - AXIS_SPACE

    def x_at(percent: float) -> float:
        return bar_left + bar_span * max(0.0, min(percent, 100.0)) / 100.0

    for tick in (0, 25, 50, 75, 100):
        x = x_at(tick)
        drawing.add(Line(x, 2, x, top, strokeColor=colors.HexColor(RULE), strokeWidth=0.5))
        drawing.add(
            String(
                x,
                top + 5,
                f"{tick}%",
                fontName=regular,
                fontSize=7,
                fillColor=colors.HexColor(MUTED),
                textAnchor="middle",
            )
        )
    minimum_x = x_at(limits.domain_minimum)
    drawing.add(
        Line(
            minimum_x,
            2,
            minimum_x,
            top,
            strokeColor=colors.HexColor(INK),
            strokeWidth=0.8,
            strokeDashArray=[3, 2],
        )
    )

    for index, (label, score) in enumerate(zip(labels, scores, strict=True)):
        row_top = top - index * ROW_HEIGHT
        centre = row_top - ROW_HEIGHT / 2
        lines = simpleSplit(label, regular, FONT_SIZE, label_width)
        if len(lines) > 2:
            lines = [lines[0], _ellipsize(" ".join(lines[1:]), regular, label_width)]
        first_baseline = centre + (len(lines) - 1) * FONT_SIZE * 0.6 - FONT_SIZE * 0.35
        for line_no, text in enumerate(lines):
            drawing.add(
                String(
                    label_width,
                    first_baseline - line_no * FONT_SIZE * 1.2,
                    text,
                    fontName=regular,
                    fontSize=FONT_SIZE,
                    fillColor=colors.HexColor(INK),
                    textAnchor="end",
                )
            )
        value_y = centre - FONT_SIZE * 0.35
        kind = band(score, limits.ready, limits.domain_minimum)
        if score is None or kind is None:
            drawing.add(
                String(
                    bar_left + 4,
                    value_y,
                    percent_text(None),
                    fontName=regular,
                    fontSize=FONT_SIZE,
                    fillColor=colors.HexColor(MUTED),
                )
            )
            continue
        end = x_at(score)
        drawing.add(
            Rect(
                bar_left,
                centre - BAR_HEIGHT / 2,
                max(end - bar_left, 1.5),
                BAR_HEIGHT,
                fillColor=colors.HexColor(BAND_COLOURS[kind]),
                strokeColor=None,
            )
        )
        text = percent_text(score)
        if kind == "low":
            text = _("{score} – below minimum").format(score=text)
        # A white backing keeps the gridlines from striking through the score.
        drawing.add(
            Rect(
                end + 2,
                centre - FONT_SIZE * 0.7,
                stringWidth(text, bold, FONT_SIZE) + 4,
                FONT_SIZE * 1.4,
                fillColor=colors.white,
                strokeColor=None,
            )
        )
        drawing.add(
            String(
                end + 4,
                value_y,
                text,
                fontName=bold,
                fontSize=FONT_SIZE,
                fillColor=colors.HexColor(INK),
            )
        )
    return drawing


def domain_chart_svg(
    labels: Sequence[str],
    scores: Sequence[float | None],
    *,
    width: float = 480.0,
    thresholds: Thresholds | None = None,
) -> str:
    """The same chart as SVG text, for the app's summary screen."""
    from reportlab.graphics import renderSVG

    drawing = domain_chart_drawing(labels, scores, width=width, thresholds=thresholds)
    return str(renderSVG.drawToString(drawing))


def report_chart_svg(data: ReportData, lang: str = "en", width: float = 480.0) -> str:
    """The chart of one assessment as SVG, exactly as its PDF shows it (for the summary screen)."""
    chart_labels, scores = data.chart_series(lang)
    return domain_chart_svg(
        chart_labels, scores, width=width, thresholds=data.questionnaire.thresholds
    )


def _ellipsize(text: str, font: str, width: float) -> str:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, FONT_SIZE) <= width:
        return text
    while text and stringWidth(text + "…", font, FONT_SIZE) > width:
        text = text[:-1]
    return text.rstrip() + "…"
