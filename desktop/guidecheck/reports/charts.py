"""The domain score chart, drawn once with reportlab graphics and reused.

The PDF embeds the Drawing; the app's summary screen shows the same Drawing rendered to SVG, so a
clinic sees on screen exactly what it prints. Every bar carries its score as text, and bars below
the domain minimum say so in words: colour is never the only carrier.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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
TICK_SIZE = 7.0


@dataclass(frozen=True)
class ChartColours:
    """The chart's colours: print colours by default; the app passes a dark set on a dark
    palette (the text colours then keep at least 4.5:1 on that background)."""

    background: str = "#FFFFFF"
    ink: str = INK  # labels, scores and the dashed minimum line
    muted: str = MUTED  # tick labels and "not scored"
    rule: str = RULE  # grid lines
    bands: Mapping[str, str] = field(default_factory=lambda: dict(BAND_COLOURS))


PRINT_COLOURS = ChartColours()


def domain_chart_drawing(
    labels: Sequence[str],
    scores: Sequence[float | None],
    *,
    width: float = 480.0,
    thresholds: Thresholds | None = None,
    font_size: float = FONT_SIZE,
    colours: ChartColours = PRINT_COLOURS,
) -> Drawing:
    """Horizontal bars 0–100%, one per domain, with the score written at each bar's end.

    `font_size` scales the whole layout (rows, bars, room for the scores) with the text, so the
    screen can draw it at the app's text size; the PDF uses the default."""
    from reportlab.graphics.shapes import Drawing, Line, Rect, String
    from reportlab.lib import colors
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if len(labels) != len(scores):
        raise ValueError("labels and scores differ in length")
    regular, bold = register_fonts()
    limits = thresholds or Thresholds()
    k = font_size / FONT_SIZE
    row_height, bar_height, tick_size = ROW_HEIGHT * k, BAR_HEIGHT * k, TICK_SIZE * k
    label_width = round(width * 0.34)
    bar_left = label_width + 8 * k
    # room right of the bars for the widest score text this chart writes
    values = [_value_text(score, limits) for score in scores]
    value_room = max(
        [float(stringWidth(v, bold, font_size)) for v in values] + [VALUE_ROOM * k * 0.3]
    )
    bar_span = max(width - bar_left - value_room - 10 * k, 60.0 * k)
    height = AXIS_SPACE * k + row_height * max(len(labels), 1) + 4 * k
    drawing = Drawing(width, height)
    ink, muted, rule = (colors.HexColor(c) for c in (colours.ink, colours.muted, colours.rule))
    background = colors.HexColor(colours.background)
    # Own background: the picture reads the same whatever the widget behind it is.
    drawing.add(Rect(0, 0, width, height, fillColor=background, strokeColor=None))
    top = height - AXIS_SPACE * k

    def x_at(percent: float) -> float:
        return bar_left + bar_span * max(0.0, min(percent, 100.0)) / 100.0

    # every tick labelled where they fit side by side, else 0, 50 and 100 only
    fits = bar_span / 4 > stringWidth("100%", regular, tick_size) * 1.4
    for tick in (0, 25, 50, 75, 100):
        x = x_at(tick)
        drawing.add(Line(x, 2, x, top, strokeColor=rule, strokeWidth=0.5 * k))
        if not fits and tick in (25, 75):
            continue
        drawing.add(
            String(
                x,
                top + 5 * k,
                f"{tick}%",
                fontName=regular,
                fontSize=tick_size,
                fillColor=muted,
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
            strokeColor=ink,
            strokeWidth=0.8 * k,
            strokeDashArray=[3 * k, 2 * k],
        )
    )

    for index, (label, score) in enumerate(zip(labels, scores, strict=True)):
        row_top = top - index * row_height
        centre = row_top - row_height / 2
        lines = simpleSplit(label, regular, font_size, label_width)
        if len(lines) > 2:
            lines = [lines[0], _ellipsize(" ".join(lines[1:]), regular, label_width, font_size)]
        first_baseline = centre + (len(lines) - 1) * font_size * 0.6 - font_size * 0.35
        for line_no, text in enumerate(lines):
            drawing.add(
                String(
                    label_width,
                    first_baseline - line_no * font_size * 1.2,
                    text,
                    fontName=regular,
                    fontSize=font_size,
                    fillColor=ink,
                    textAnchor="end",
                )
            )
        value_y = centre - font_size * 0.35
        kind = band(score, limits.ready, limits.domain_minimum)
        if score is None or kind is None:
            drawing.add(
                String(
                    bar_left + 4 * k,
                    value_y,
                    percent_text(None),
                    fontName=regular,
                    fontSize=font_size,
                    fillColor=muted,
                )
            )
            continue
        end = x_at(score)
        drawing.add(
            Rect(
                bar_left,
                centre - bar_height / 2,
                max(end - bar_left, 1.5 * k),
                bar_height,
                fillColor=colors.HexColor(colours.bands[kind]),
                strokeColor=None,
            )
        )
        text = _value_text(score, limits)
        # A backing in the background colour keeps the gridlines from striking through the score.
        drawing.add(
            Rect(
                end + 2 * k,
                centre - font_size * 0.7,
                stringWidth(text, bold, font_size) + 4 * k,
                font_size * 1.4,
                fillColor=background,
                strokeColor=None,
            )
        )
        drawing.add(
            String(
                end + 4 * k,
                value_y,
                text,
                fontName=bold,
                fontSize=font_size,
                fillColor=ink,
            )
        )
    return drawing


def domain_chart_svg(
    labels: Sequence[str],
    scores: Sequence[float | None],
    *,
    width: float = 480.0,
    thresholds: Thresholds | None = None,
    font_size: float = FONT_SIZE,
    colours: ChartColours = PRINT_COLOURS,
) -> str:
    """The same chart as SVG text, for the app's summary screen (at its text size and colours)."""
    from reportlab.graphics import renderSVG

    drawing = domain_chart_drawing(
        labels, scores, width=width, thresholds=thresholds, font_size=font_size, colours=colours
    )
    return str(renderSVG.drawToString(drawing))


def report_chart_svg(data: ReportData, lang: str = "en", width: float = 480.0) -> str:
    """The chart of one assessment as SVG, exactly as its PDF shows it (for the summary screen)."""
    chart_labels, scores = data.chart_series(lang)
    return domain_chart_svg(
        chart_labels, scores, width=width, thresholds=data.questionnaire.thresholds
    )


def _value_text(score: float | None, limits: Thresholds) -> str:
    """The score written at a bar's end; below the domain minimum it says so in words."""
    text = percent_text(score)
    if band(score, limits.ready, limits.domain_minimum) == "low":
        return _("{score} – below minimum").format(score=text)
    return text


def _ellipsize(text: str, font: str, width: float, size: float = FONT_SIZE) -> str:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"
