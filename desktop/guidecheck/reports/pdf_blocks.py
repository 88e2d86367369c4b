"""The building blocks every section of the assessment PDF uses: a Paragraph that keeps its
layout, free text made safe for it, section headings, and a question's number and answer.

Every piece of free text goes into a Paragraph (inside tables too) so it wraps instead of running
off the page. Imported by the section modules (`pdf_verdict`, `pdf_answers`, `pdf_sign_off`),
which are imported only when a PDF is made.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.platypus import CondPageBreak
from reportlab.platypus import Paragraph as _Paragraph

from guidecheck.checklist.model import Item
from guidecheck.reports.content import ReportData
from guidecheck.reports.pdf_styles import styles


class Paragraph(_Paragraph):  # type: ignore[misc]  # reportlab ships no type hints
    """A Paragraph that remembers its last layout.

    Tables wrap each cell once to measure it and again to draw it; line breaking is most of the
    report's cost, so the second wrap at the same width reuses the first one's lines.
    """

    _wrapped_for: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # reportlab deletes blPara when a split gives up; then the layout must be redone.
        if self._wrapped_for == availWidth and "blPara" in self.__dict__:
            return self.width, self.height
        result: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._wrapped_for = availWidth
        return result


def text(value: str) -> str:
    """Plain text made safe for a Paragraph (control characters removed), keeping line breaks."""
    from guidecheck.safetext import for_document

    return escape(for_document(value)).replace("\n", "<br/>")


def heading(title: str) -> list[Any]:
    """A section heading that starts a new page rather than sit alone at the bottom of one.

    Not keepWithNext: that would push a long table whole onto the next page instead of splitting it.
    """
    return [CondPageBreak(110), Paragraph(text(title), styles().heading)]


def item_number(data: ReportData, item_id: str) -> str:
    """A question's number as the person saw it: part.question, counting shown ones only."""
    for part, domain in enumerate(data.shown_domains(), start=1):
        for number, item in enumerate(data.shown_items(domain), start=1):
            if item.id == item_id:
                return f"{part}.{number}"
    return ""


def question_line(data: ReportData, item_id: str, lang: str) -> str:
    item = data.questionnaire.item(item_id)
    if item is None:
        return item_id
    return f"{item_number(data, item_id)} {item.question.get(lang)}"


def answer_value(data: ReportData, item: Item) -> Any:
    answer = data.answers.get(item.id)
    return answer.value if answer is not None else None
