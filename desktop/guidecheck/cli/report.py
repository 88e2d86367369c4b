"""`guidecheck report ID --pdf OUT.pdf --xlsx OUT.xlsx [--lang fr]`: write an assessment's reports."""

from __future__ import annotations

import argparse

from guidecheck.cli.common import CommandContext
from guidecheck.errors import UserError
from guidecheck.i18n import _


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "report", help=_("write the PDF report and/or the Excel workbook of one assessment")
    )
    parser.add_argument("id", help=_("assessment id (or a unique prefix of at least 6 characters)"))
    parser.add_argument("--pdf", metavar="OUT.pdf", help=_("write the PDF report here"))
    parser.add_argument("--xlsx", metavar="OUT.xlsx", help=_("write the Excel workbook here"))
    parser.add_argument(
        "--lang",
        default="en",
        help=_("language of the report: questionnaire text and headings (default: en)"),
    )
    parser.set_defaults(handler=write_reports)


def write_reports(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.i18n import set_language
    from guidecheck.reports.content import build_report_data
    from guidecheck.reports.exporters import PdfExporter, WorkbookExporter
    from guidecheck.reports.files import check_writable

    set_language(args.lang)
    if not args.pdf and not args.xlsx:
        raise UserError(
            _("Say where to write the report with --pdf OUT.pdf, --xlsx OUT.xlsx or both.")
        )
    # Check every target before writing any, so a bad second path leaves no first file behind.
    jobs = [
        (exporter, check_writable(path))
        for exporter, path in (
            (PdfExporter(args.lang), args.pdf),
            (WorkbookExporter(args.lang), args.xlsx),
        )
        if path
    ]
    store = context.store()
    assessment = store.find_assessment(args.id)
    data = build_report_data(store, assessment.id)
    for exporter, path in jobs:
        written = exporter.export(data, path)
        print(_("Wrote {what}: {path}").format(what=exporter.label, path=written))
    return 0
