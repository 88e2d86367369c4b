"""The assessment PDF's verdict sections: the cover with the verdict, the scores by domain, how
the verdict was decided, the red flags, and the annex of item weights the rules refer to.

These are what a reader checks first: what was decided and why. Imported only when a PDF is made.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from guidecheck.checklist.labels import phase_label
from guidecheck.i18n import _, format_date
from guidecheck.reports import labels
from guidecheck.reports.charts import domain_chart_drawing
from guidecheck.reports.content import ReportData
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
    RULE,
    VERDICT_COLOURS,
    VERDICT_TINTS,
    styles,
)

RED = colors.HexColor(VERDICT_COLOURS["not_ready"])
GREEN = colors.HexColor(VERDICT_COLOURS["ready"])


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
                Paragraph(text(question_line(data, item.id, lang)), s.cell),
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
        answer = labels.answer_text(item, answer_value(data, item), lang)
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
