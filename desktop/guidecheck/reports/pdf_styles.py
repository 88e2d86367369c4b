"""Fonts, colours and paragraph styles of the PDF report, and the chart's font.

DejaVu Sans is embedded so French, Portuguese and Swahili names print as typed; the fonts are
registered once per process because parsing the TTF files is the slowest step of a small report.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from guidecheck.errors import UserError
from guidecheck.i18n import _
from guidecheck.paths import asset_path

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle

FONT_REGULAR = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_FILES = {FONT_REGULAR: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}

# Colours as hex so the chart, the PDF and the workbook share them. Each is paired with a word
# wherever it is used: colour is never the only carrier of meaning.
VERDICT_COLOURS = {"ready": "#2E7D32", "ready_with_conditions": "#B26A00", "not_ready": "#C62828"}
VERDICT_TINTS = {"ready": "#E8F5E9", "ready_with_conditions": "#FFF3E0", "not_ready": "#FFEBEE"}
PRIORITY_TINTS = {"critical": "#FFCDD2", "high": "#FFE0B2", "medium": "#FFF9C4"}
BAND_COLOURS = {"good": "#43A047", "fair": "#F9A825", "low": "#E53935"}
INK = "#1A1A1A"
MUTED = "#5F6368"
RULE = "#BDBDBD"
HEADER_FILL = "#ECEFF1"


@cache
def register_fonts() -> tuple[str, str]:
    """Register DejaVu Sans regular and bold with reportlab (once); return their names."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    for name, filename in FONT_FILES.items():
        path = asset_path("fonts", filename)
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        except (OSError, TTFError) as exc:
            raise UserError(
                _("The report font {path} is missing or damaged.").format(path=path)
            ) from exc
    # Lets <b> inside a Paragraph switch to the bold face.
    addMapping(FONT_REGULAR, 0, 0, FONT_REGULAR)
    addMapping(FONT_REGULAR, 1, 0, FONT_BOLD)
    addMapping(FONT_REGULAR, 0, 1, FONT_REGULAR)
    addMapping(FONT_REGULAR, 1, 1, FONT_BOLD)
    return FONT_REGULAR, FONT_BOLD


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    label: ParagraphStyle
    verdict: ParagraphStyle
    verdict_detail: ParagraphStyle


@cache
def styles() -> Styles:
    """Paragraph styles, built once (after the fonts are registered)."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    regular, bold = register_fonts()
    ink = colors.HexColor(INK)
    muted = colors.HexColor(MUTED)
    base = ParagraphStyle("gc-body", fontName=regular, fontSize=9.5, leading=12.5, textColor=ink)
    return Styles(
        title=ParagraphStyle(
            "gc-title", parent=base, fontName=bold, fontSize=20, leading=25, spaceAfter=4
        ),
        subtitle=ParagraphStyle(
            "gc-subtitle", parent=base, fontSize=11, leading=14, textColor=muted, spaceAfter=12
        ),
        heading=ParagraphStyle(
            "gc-heading",
            parent=base,
            fontName=bold,
            fontSize=14,
            leading=18,
            spaceBefore=14,
            spaceAfter=6,
        ),
        subheading=ParagraphStyle(
            "gc-subheading",
            parent=base,
            fontName=bold,
            fontSize=11.5,
            leading=15,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        ),
        body=base,
        small=ParagraphStyle("gc-small", parent=base, fontSize=8, leading=10, textColor=muted),
        cell=ParagraphStyle("gc-cell", parent=base, fontSize=8.5, leading=11),
        cell_bold=ParagraphStyle(
            "gc-cell-bold", parent=base, fontName=bold, fontSize=8.5, leading=11
        ),
        label=ParagraphStyle("gc-label", parent=base, fontSize=8.5, leading=11, textColor=muted),
        verdict=ParagraphStyle("gc-verdict", parent=base, fontName=bold, fontSize=24, leading=30),
        verdict_detail=ParagraphStyle("gc-verdict-detail", parent=base, fontSize=10.5, leading=14),
    )


def band(score: float | None, ready: float, minimum: float) -> str | None:
    """'good' at or above the ready level, 'fair' at or above the domain minimum, else 'low'."""
    if score is None:
        return None
    if score >= ready:
        return "good"
    if score >= minimum:
        return "fair"
    return "low"
