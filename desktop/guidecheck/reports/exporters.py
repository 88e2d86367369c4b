"""Report exporters as plain classes that declare what they make and which options they take.

The app's *Save report* action offers one file-type filter per entry of `EXPORTERS` in the system
save dialog and picks the exporter by the chosen filter or suffix (gui/shell/actions.py);
`guidecheck report` uses the same classes, so both run exactly the same code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from guidecheck.fileops import safe_file_name
from guidecheck.i18n import _
from guidecheck.reports.content import ReportData


@dataclass(frozen=True)
class ExportOption:
    """One option an exporter takes; `choices` empty means free text."""

    name: str
    label: str
    default: str
    choices: tuple[str, ...] = ()


class Exporter:
    """Base of the report exporters: `export(data, path)` writes one file and returns its path."""

    key: ClassVar[str] = ""
    suffix: ClassVar[str] = ""

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang

    @property
    def label(self) -> str:
        raise NotImplementedError

    @property
    def file_filter(self) -> str:
        """A file-dialog filter such as 'PDF document (*.pdf)'."""
        return f"{self.label} (*{self.suffix})"

    @classmethod
    def options(cls, languages: tuple[str, ...] = ("en",)) -> tuple[ExportOption, ...]:
        return (ExportOption("lang", _("Language of the questionnaire text"), "en", languages),)

    def default_name(self, data: ReportData) -> str:
        """A file name that says what the file is: facility, tool, date and revision."""
        profile = data.assessment.profile
        parts = [
            profile.facility_code or profile.facility_name,
            profile.tool_name,
            profile.date,
            f"r{data.assessment.revision}",
        ]
        stem = "-".join(_safe(part) for part in parts if part)
        return safe_file_name(f"guidecheck-{stem or data.assessment.id}{self.suffix}")

    def export(self, data: ReportData, path: str | os.PathLike[str]) -> Path:
        raise NotImplementedError


class PdfExporter(Exporter):
    key = "pdf"
    suffix = ".pdf"

    @property
    def label(self) -> str:
        return _("PDF report")

    def export(self, data: ReportData, path: str | os.PathLike[str]) -> Path:
        from guidecheck.reports.pdf import write_assessment_pdf

        return write_assessment_pdf(data, path, self.lang)


class WorkbookExporter(Exporter):
    key = "xlsx"
    suffix = ".xlsx"

    @property
    def label(self) -> str:
        return _("Excel workbook")

    def export(self, data: ReportData, path: str | os.PathLike[str]) -> Path:
        from guidecheck.reports.workbook import write_assessment_workbook

        return write_assessment_workbook(data, path, self.lang)


EXPORTERS: tuple[type[Exporter], ...] = (PdfExporter, WorkbookExporter)


def _safe(text: str) -> str:
    """Letters (accents kept), digits, '-' and '_' only, so the name works on every file system."""
    cleaned = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text.strip())
    while "--" in cleaned:
        cleaned = cleaned.replace("--", "-")
    return cleaned.strip("-")[:40]
