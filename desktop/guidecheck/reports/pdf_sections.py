"""The flowables of the PDF report, section by section, in reading order.

Every piece of free text goes into a Paragraph (inside tables too) so it wraps instead of running
off the page. Imported only by `reports.pdf`, itself imported only when a PDF is made.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Paragraph as _Paragraph

from guidecheck.checklist.labels import phase_label
from guidecheck.checklist.model import Item
from guidecheck.i18n import _, format_date
from guidecheck.reports import labels, pdf_monitoring
from guidecheck.reports.charts import domain_chart_drawing
from guidecheck.reports.content import ReportData, item_score
from guidecheck.reports.pdf_styles import (
    HEADER_FILL,
    PRIORITY_TINTS,
    RULE,
    VERDICT_COLOURS,
    VERDICT_TINTS,
    styles,
)


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


SPLIT_ROW_CHARS = 1500  # about a third of a page of cell text: below this a row never splits
RED = colors.HexColor(VERDICT_COLOURS["not_ready"])
GREEN = colors.HexColor(VERDICT_COLOURS["ready"])


def text(value: str) -> str:
    """Plain text made safe for a Paragraph (control characters removed), keeping line breaks."""
    from guidecheck.safetext import for_document

    return escape(for_document(value)).replace("\n", "<br/>")


def heading(title: str) -> list[Any]:
    """A section heading that starts a new page rather than sit alone at the bottom of one.

    Not keepWithNext: that would push a long table whole onto the next page instead of splitting it.
    """
    return [CondPageBreak(110), Paragraph(text(title), styles().heading)]


def build_story(data: ReportData, lang: str, width: float) -> list[Any]:
    story: list[Any] = []
    story += cover(data, lang, width)
    story += domain_chart(data, lang, width)
    story += how_decided(data, lang, width)
    story += red_flags(data, lang, width)
    story += pdf_monitoring.for_review(data.monitoring, width)
    story += action_plan(data, lang, width)
    story += answers_by_domain(data, lang, width)
    story += pdf_monitoring.monitoring_page(data.monitoring, width)
    story += sign_off(data, width)
    story += weights_annex(data, lang, width)
    return story


def how_decided(data: ReportData, lang: str, width: float) -> list[Any]:
    """ "How the verdict was decided": this assessment's reasons, then the rules in words."""
    from guidecheck.checklist.reasons import reason_texts, rules_in_words

    s = styles()
    verdict = data.score.verdict
    colour = colors.HexColor(VERDICT_COLOURS.get(verdict or "", "#555555"))
    rows: list[list[Any]] = [[Paragraph(text(_("How the verdict was decided")), s.subheading)]]
    rows += [
        [Paragraph(f"•&nbsp;{text(reason)}", s.body)]
        for reason in reason_texts(data.score, data.questionnaire, lang)
    ]
    rows.append([Paragraph(text(_("The rules")), s.cell_bold)])
    rules = rules_in_words(data.questionnaire)
    if data.questionnaire.scored:
        rules.append(_("Each item's weight is listed in the annex at the end of this report."))
    rows += [[Paragraph(f"–&nbsp;{text(line)}", s.small)] for line in rules]
    box = Table(
        rows,
        colWidths=[width],
        style=TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1, colour),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
            ]
        ),
    )
    return [Spacer(1, 10), KeepTogether([box])]


def weights_annex(data: ReportData, lang: str, width: float) -> list[Any]:
    """Annex: every scored item shown in this assessment with its weight (what each answer counts)."""
    s = styles()
    shown = set(data.score.visible_items)
    items = [i for i in data.questionnaire.items if i.scored and i.id in shown]
    if not items:
        return []
    header = [
        Paragraph(text(label), s.cell_bold)
        for label in (_("Domain"), _("Question"), _("Weight"), _("Critical"))
    ]
    rows: list[list[Any]] = [header]
    for item in items:
        rows.append(
            [
                Paragraph(text(data.domain_title(item.domain_id, lang)), s.small),
                Paragraph(text(_question_line(data, item.id, lang)), s.cell),
                Paragraph(f"{item.weight:g}", s.cell),
                Paragraph(text(_("Yes") if item.critical else ""), s.cell),
            ]
        )
    table = Table(
        rows,
        colWidths=[width * 0.22, width * 0.58, width * 0.1, width * 0.1],
        repeatRows=1,
        style=TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER_FILL)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor(RULE)),
            ]
        ),
    )
    note = _(
        "Yes counts the full weight, Partly half of it, No and Don't know nothing; Not applicable leaves the item out."
    )
    return [*heading(_("Annex: item weights")), Paragraph(text(note), s.small), Spacer(1, 4), table]


def cover(data: ReportData, lang: str, width: float) -> list[Any]:
    s = styles()
    profile = data.assessment.profile
    q = data.questionnaire
    verdict = data.score.verdict
    colour = colors.HexColor(VERDICT_COLOURS.get(verdict or "", "#555555"))
    band_width = 9
    verdict_box = Table(
        [
            ["", Paragraph(text(_("Verdict")), s.label)],
            [
                "",
                Paragraph(
                    f'<font color="{VERDICT_COLOURS.get(verdict or "", "#555555")}">'
                    f"{text(labels.verdict_label(verdict))}</font>",
                    s.verdict,
                ),
            ],
            [
                "",
                Paragraph(
                    text(
                        _("Overall score: {score}").format(
                            score=labels.percent_text(data.score.overall)
                        )
                    ),
                    s.subheading,
                ),
            ],
            ["", Paragraph(text(labels.verdict_explanation(data)), s.verdict_detail)],
        ],
        colWidths=[band_width, width - band_width],
        style=TableStyle(
            [
                (
                    "BACKGROUND",
                    (1, 0),
                    (-1, -1),
                    colors.HexColor(VERDICT_TINTS.get(verdict or "", "#F5F5F5")),
                ),
                ("BACKGROUND", (0, 0), (0, -1), colour),
                ("BOX", (0, 0), (-1, -1), 1.2, colour),
                ("LEFTPADDING", (1, 0), (1, -1), 14),
                ("TOPPADDING", (0, 0), (-1, 0), 10),
                ("BOTTOMPADDING", (0, -1), (-1, -1), 10),
            ]
        ),
    )
    facility = profile.facility_name
    if profile.facility_code:
        facility += " " + _("(code {code})").format(code=profile.facility_code)
    place = ", ".join(part for part in (profile.district, profile.region) if part)
    tool = " · ".join(
        part
        for part in (
            profile.tool_name,
            profile.tool_vendor,
            _("version {version}").format(version=profile.tool_version)
            if profile.tool_version
            else "",
        )
        if part
    )
    assessor = ", ".join(part for part in (profile.assessor_name, profile.assessor_role) if part)
    rows = [
        (_("Facility"), facility),
        (_("District and region"), place),
        (_("AI tool"), tool),
        (_("Intended use"), profile.tool_intended_use),
        # only the profile questions the checklist asks (a district review asks neither)
        (
            _("Use category"),
            labels.use_category_label(profile.use_category) if q.asks("use_category") else "",
        ),
        (_("Phase"), phase_label(profile.phase) if profile.phase and q.asks("phase") else ""),
        (_("Deployed since"), format_date(profile.tool_date_deployed)),
        (_("Assessor"), assessor),
        (_("Assessment date"), format_date(profile.date)),
        (
            _("Questionnaire"),
            _("{title}, version {version}").format(title=q.title.get(lang), version=q.version),
        ),
        (_("Status"), labels.status_label(data.assessment.status)),
        (
            _("Assessment"),
            _("{id}, revision {revision}").format(
                id=data.assessment.id, revision=data.assessment.revision
            ),
        ),
    ]
    facts = Table(
        [
            [Paragraph(text(label), s.label), Paragraph(text(value), s.body)]
            for label, value in rows
            if value
        ],
        colWidths=[width * 0.26, width * 0.74],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor(RULE)),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ]
        ),
    )
    return [
        Paragraph(text(_("AI tool readiness assessment")), s.title),
        Paragraph(text(q.title.get(lang)), s.subtitle),
        verdict_box,
        Spacer(1, 12),
        facts,
    ]


def domain_chart(data: ReportData, lang: str, width: float) -> list[Any]:
    s = styles()
    chart_labels, scores = data.chart_series(lang)
    drawing = domain_chart_drawing(
        chart_labels, scores, width=width, thresholds=data.questionnaire.thresholds
    )
    minimum = labels.percent_number(data.questionnaire.thresholds.domain_minimum)
    return [
        KeepTogether(
            [
                Paragraph(text(_("Scores by domain")), s.heading),
                drawing,
                Paragraph(
                    text(
                        _("The dashed line marks the domain minimum of {minimum}%.").format(
                            minimum=minimum
                        )
                    ),
                    s.small,
                ),
            ]
        )
    ]


def red_flags(data: ReportData, lang: str, width: float) -> list[Any]:
    s = styles()
    title = heading(_("Red flags"))
    flags = data.score.red_flags
    if not flags:
        box = Table(
            [
                [
                    Paragraph(
                        text(_("No red flags: no critical item is answered No or Don't know.")),
                        s.body,
                    )
                ]
            ],
            colWidths=[width],
            style=TableStyle(
                [("BOX", (0, 0), (-1, -1), 1, GREEN), ("LEFTPADDING", (0, 0), (-1, -1), 10)]
            ),
        )
        return [*title, box]
    rows: list[list[Any]] = [
        [
            "",
            Paragraph(
                text(
                    _(
                        "A critical item answered No or Don't know: the tool should not be used until each is fixed."
                    )
                ),
                s.cell_bold,
            ),
        ]
    ]
    for item_id in flags:
        item = data.questionnaire.item(item_id)
        if item is None:
            continue
        answer = labels.answer_text(item, _value(data, item), lang)
        number = item_number(data, item.id)
        detail = _("{domain} · item {item} · answer: {answer}").format(
            domain=data.domain_title(item.domain_id, lang), item=number, answer=answer
        )
        question = f"{number} {item.question.get(lang)}"
        rows.append(["", Paragraph(f"<b>{text(question)}</b><br/>{text(detail)}", s.cell)])
    box = Table(
        rows,
        colWidths=[6, width - 6],
        style=TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.5, RED),
                ("BACKGROUND", (0, 0), (0, -1), RED),
                ("BACKGROUND", (1, 0), (-1, -1), colors.HexColor(VERDICT_TINTS["not_ready"])),
                ("LINEBELOW", (1, 0), (-1, -2), 0.3, colors.HexColor(RULE)),
                ("LEFTPADDING", (1, 0), (-1, -1), 10),
            ]
        ),
    )
    return [*title, box]


def item_number(data: ReportData, item_id: str) -> str:
    """A question's number as the person saw it: part.question, counting shown ones only."""
    for part, domain in enumerate(data.shown_domains(), start=1):
        for number, item in enumerate(data.shown_items(domain), start=1):
            if item.id == item_id:
                return f"{part}.{number}"
    return ""


def _question_line(data: ReportData, item_id: str, lang: str) -> str:
    item = data.questionnaire.item(item_id)
    if item is None:
        return item_id
    return f"{item_number(data, item_id)} {item.question.get(lang)}"


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
                Paragraph(text(_question_line(data, entry.item_id, lang)), s.small),
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
    answer_words = labels.answer_text(item, _value(data, item), lang)
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


def sign_off(data: ReportData, width: float) -> list[Any]:
    s = styles()
    signed = data.assessment.sign_off
    blank = "_" * 28
    if signed is None:
        intro = _("This is a draft: it has not been signed off.")
        rows = [
            (_("Assessor"), blank, _("Signature"), blank),
            (_("Head of facility"), blank, _("Signature"), blank),
            (_("Date"), blank, "", ""),
        ]
    else:
        intro = _("Signed off on {date}.").format(date=format_date(signed.date))
        assessor = ", ".join(part for part in (signed.assessor_name, signed.assessor_role) if part)
        rows = [
            (_("Assessor"), assessor, _("Signature"), blank),
            (_("Head of facility"), signed.facility_head_name, _("Signature"), blank),
            (_("Date"), format_date(signed.date), "", ""),
        ]
    table = Table(
        [
            [
                Paragraph(text(a), s.label),
                Paragraph(text(b), s.body),
                Paragraph(text(c), s.label),
                Paragraph(text(d), s.body),
            ]
            for a, b, c, d in rows
        ],
        colWidths=[width * 0.18, width * 0.37, width * 0.13, width * 0.32],
        style=TableStyle(
            [("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("TOPPADDING", (0, 0), (-1, -1), 12)]
        ),
    )
    return [
        KeepTogether(
            [Paragraph(text(_("Sign-off")), s.heading), Paragraph(text(intro), s.body), table]
        )
    ]


def _value(data: ReportData, item: Item) -> Any:
    answer = data.answers.get(item.id)
    return answer.value if answer is not None else None
