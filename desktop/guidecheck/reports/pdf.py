"""The assessment PDF a clinic keeps: cover with verdict, chart, red flags, action plan, answers, sign-off.

Built with reportlab's platypus on A4. A numbered canvas writes "page x of y", the assessment id,
revision and content hash on every page, so a printed copy can be matched to the stored record;
drafts get a translucent diagonal DRAFT over every page. reportlab is imported only when a PDF is made.
"""

from __future__ import annotations

import io
import os
from functools import partial
from pathlib import Path
from typing import Any

from guidecheck import __version__
from guidecheck.i18n import _
from guidecheck.reports import pdf_sections
from guidecheck.reports.content import ReportData
from guidecheck.reports.files import check_writable, write_atomically
from guidecheck.reports.pdf_styles import FONT_BOLD, FONT_REGULAR, MUTED, register_fonts

MARGIN_MM = 17
FOOTER_MM = 12


def write_assessment_pdf(data: ReportData, path: str | os.PathLike[str], lang: str = "en") -> Path:
    """Write the report to `path` (replacing it in one step); a UserError if it cannot be written."""
    target = check_writable(path)
    return write_atomically(target, render_pdf(data, lang))


def render_pdf(data: ReportData, lang: str = "en") -> bytes:
    """The report as PDF bytes."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    register_fonts()
    buffer = io.BytesIO()
    profile = data.assessment.profile
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_MM * mm,
        rightMargin=MARGIN_MM * mm,
        topMargin=MARGIN_MM * mm,
        bottomMargin=(MARGIN_MM + FOOTER_MM) * mm,
        title=_("AI tool readiness assessment: {tool} at {facility}").format(
            tool=profile.tool_name, facility=profile.facility_name
        ),
        author=profile.assessor_name,
        subject=data.questionnaire.title.get(lang),
        creator=f"GuideCheck {__version__}",
        lang=lang,
        initialFontName=FONT_REGULAR,  # so the file refers to no font it does not embed
        initialFontSize=9,
    )
    story = pdf_sections.build_story(data, lang, document.width)
    canvas_maker = partial(_numbered_canvas_class(), footer=_footer_text(data), draft=data.is_draft)
    document.build(story, canvasmaker=canvas_maker)
    return buffer.getvalue()


def _footer_text(data: ReportData) -> str:
    return _("Assessment {id} · revision {revision} · content {hash}").format(
        id=data.assessment.id, revision=data.assessment.revision, hash=data.short_hash
    )


def _numbered_canvas_class() -> type:
    """A Canvas that holds pages back until the end so each footer can say "page x of y"."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints
        def __init__(
            self, *args: Any, footer: str = "", draft: bool = False, **kwargs: Any
        ) -> None:
            super().__init__(*args, **kwargs)
            self._footer = footer
            self._draft = draft
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_pages)
            for number, state in enumerate(self._saved_pages, start=1):
                self.__dict__.update(state)
                self._draw_footer(number, total)
                if self._draft:
                    self._draw_watermark()
                Canvas.showPage(self)
            Canvas.save(self)

        def _draw_footer(self, number: int, total: int) -> None:
            width, _height = self._pagesize
            y = MARGIN_MM * mm
            self.saveState()
            self.setStrokeColor(colors.HexColor("#BDBDBD"))
            self.setLineWidth(0.5)
            self.line(MARGIN_MM * mm, y + 10, width - MARGIN_MM * mm, y + 10)
            self.setFillColor(colors.HexColor(MUTED))
            self.setFont(FONT_REGULAR, 7.5)
            self.drawString(MARGIN_MM * mm, y, self._footer)
            self.drawRightString(
                width - MARGIN_MM * mm,
                y,
                _("Page {page} of {total}").format(page=number, total=total),
            )
            self.restoreState()

        def _draw_watermark(self) -> None:
            """A translucent diagonal DRAFT over the content, so no filled box can hide it."""
            width, height = self._pagesize
            self.saveState()
            self.setFillColor(colors.HexColor("#C62828"))
            self.setFillAlpha(0.12)
            self.setFont(FONT_BOLD, 120)
            self.translate(width / 2, height / 2)
            self.rotate(52)
            self.drawCentredString(0, -40, _("DRAFT"))
            self.restoreState()

    return NumberedCanvas
