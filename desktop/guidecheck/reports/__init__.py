"""Assessment reports: the PDF a clinic keeps and the workbook a district analyses.

No Qt here: the app, the CLI and the district code call these functions. reportlab and openpyxl
are imported only when a report is actually written, so importing this package stays cheap.
"""

from __future__ import annotations

import os
from pathlib import Path

from guidecheck.reports.content import ReportData, build_report_data, content_hash

__all__ = [
    "ReportData",
    "build_report_data",
    "content_hash",
    "write_assessment_pdf",
    "write_assessment_workbook",
]


def write_assessment_pdf(
    data: ReportData, path: str | os.PathLike[str], lang: str | None = None
) -> Path:
    """Write the assessment PDF to `path`; a UserError (one sentence) if it cannot be written."""
    from guidecheck.reports.pdf import write_assessment_pdf as write

    return write(data, path, lang)


def write_assessment_workbook(
    data: ReportData, path: str | os.PathLike[str], lang: str | None = None
) -> Path:
    """Write the assessment workbook (.xlsx) to `path`; a UserError if it cannot be written."""
    from guidecheck.reports.workbook import write_assessment_workbook as write

    return write(data, path, lang)
