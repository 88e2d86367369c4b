"""The assessment PDF's sign-off: who signed the assessment off and when, or blank lines to sign
on a draft. Imported only when a PDF is made.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import KeepTogether, Table, TableStyle

from guidecheck.i18n import _, format_date
from guidecheck.reports.content import ReportData
from guidecheck.reports.pdf_blocks import Paragraph, text
from guidecheck.reports.pdf_styles import styles


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
