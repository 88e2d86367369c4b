"""The assessment PDF's answer sections: the action plan (what to fix, by priority) and every
shown answer by domain, with its note, guidance and red-flag mark.

These are the long sections, so their rows split across pages only when a row could be taller
than a page. Imported only when a PDF is made.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Table, TableStyle

from guidecheck.checklist.model import Item
from guidecheck.i18n import _
from guidecheck.reports import labels
from guidecheck.reports.content import ReportData, item_score
from guidecheck.reports.pdf_blocks import (
    Paragraph,
    answer_value,
    heading,
    item_number,
    question_line,
    text,
)
from guidecheck.reports.pdf_styles import (
    HEADER_FILL,
    PRIORITY_TINTS,
    RULE,
    VERDICT_COLOURS,
    styles,
)

SPLIT_ROW_CHARS = 1500  # about a third of a page of cell text: below this a row never splits


def action_plan(data: ReportData, lang: str, width: float) -> list[Any]:
    s = styles()
    title = heading(_("Action plan"))
    entries = data.score.action_plan
    if not entries:
        return [*title, Paragraph(text(_("No actions: every scored item is fully met.")), s.body)]
    header = [
        Paragraph(text(label), s.cell_bold)
        for label in (_("Priority"), _("Action"), _("Domain"), _("Item"))
    ]
    rows: list[list[Any]] = [header]
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_FILL)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor(RULE)),
    ]
    for row, entry in enumerate(entries, start=1):
        action = entry.action.get(lang)
        if not action:
            item = data.questionnaire.item(entry.item_id)
            action = item.question.get(lang) if item is not None else entry.item_id
        rows.append(
            [
                Paragraph(text(labels.priority_label(entry.priority)), s.cell_bold),
                Paragraph(text(action), s.cell),
                Paragraph(text(data.domain_title(entry.domain_id, lang)), s.cell),
                Paragraph(text(question_line(data, entry.item_id, lang)), s.small),
            ]
        )
        tint = PRIORITY_TINTS.get(entry.priority)
        if tint:
            commands.append(("BACKGROUND", (0, row), (0, row), colors.HexColor(tint)))
    longest = max(len(entry.action.get(lang)) for entry in entries)
    table = Table(
        rows,
        # "Prioridade" and "Priorité" fit on one line at 13 %
        colWidths=[width * 0.13, width * 0.41, width * 0.19, width * 0.27],
        repeatRows=1,
        splitInRow=int(longest > SPLIT_ROW_CHARS),
        style=TableStyle(commands),
    )
    return [*title, table]


def answers_by_domain(data: ReportData, lang: str, width: float) -> list[Any]:
    s = styles()
    story: list[Any] = heading(_("Answers by domain"))
    red = set(data.score.red_flags)
    for domain in data.shown_domains():
        score = labels.percent_text(data.score.domains.get(domain.id))
        story.append(
            Paragraph(
                f"{text(domain.title.get(lang))} <font color='#5F6368'>· {text(score)}</font>",
                s.subheading,
            )
        )
        for item in data.shown_items(domain):
            story.append(_answer_row(data, item, lang, width, item.id in red))
    return story


def _answer_row(data: ReportData, item: Item, lang: str, width: float, is_red_flag: bool) -> Table:
    s = styles()
    answer = data.answers.get(item.id)
    left = [
        Paragraph(
            text(f"{item_number(data, item.id)} {item.question.get(lang)}"),
            s.cell_bold,
        )
    ]
    if answer is not None and answer.note.strip():
        left.append(Paragraph(f"<i>{text(_('Evidence note:'))}</i> {text(answer.note)}", s.cell))
    credit = item_score(item, answer)
    if credit is not None and credit < 1:
        guidance = labels.short_guidance(item, lang)
        if guidance:
            left.append(Paragraph(f"{text(_('Guidance:'))} {text(guidance)}", s.small))
    answer_words = labels.answer_text(item, answer_value(data, item), lang)
    if item.type == "text" and answer is not None and str(answer.value or "").strip():
        # Free text can run to paragraphs: it reads better under the question than in the narrow column.
        left.insert(1, Paragraph(f"<i>{text(_('Answer:'))}</i> {text(answer_words)}", s.cell))
        answer_words = _("Written answer")
    right = [Paragraph(text(answer_words), s.cell_bold)]
    if is_red_flag:
        right.append(
            Paragraph(
                f"<font color='{VERDICT_COLOURS['not_ready']}'><b>{text(_('RED FLAG'))}</b></font>",
                s.cell,
            )
        )
    elif item.critical:
        right.append(Paragraph(text(_("Critical item")), s.small))
    # Short rows move whole to the next page; only a row that may be taller than a page (a note of
    # thousands of characters) is allowed to split.
    size = len(item.question.get(lang)) + (
        len(answer.note) + len(str(answer.value)) if answer else 0
    )
    return Table(
        [[left, right]],
        colWidths=[width * 0.76, width * 0.24],
        splitInRow=int(size > SPLIT_ROW_CHARS),
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor(RULE)),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        ),
    )
