"""`guidecheck district ...`: the district hub's consolidated figures and reports.

`report [--since DATE] [--pdf OUT.pdf] [--xlsx OUT.xlsx]` writes the district PDF and/or workbook
(or prints the summary lines when neither is asked for); `summary --json` prints the figures;
`conflicts` lists flagged records and `resolve KEY ID` lets one stand; `settings --reassess-months N`.
Heavy work (reportlab, openpyxl) loads inside the command that needs it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from guidecheck.cli.common import (
    CommandContext,
    add_language_option,
    print_json,
    print_table,
    use_language,
)
from guidecheck.errors import UserError
from guidecheck.i18n import _, ngettext


def _date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("write the date as YYYY-MM-DD, not '{value}'").format(value=text)
        ) from None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "district", help=_("district hub: consolidated figures, reports and conflicts")
    )
    commands = parser.add_subparsers(dest="district_command", metavar="ACTION")
    commands.required = True

    report = commands.add_parser("report", help=_("write the district PDF and/or workbook"))
    report.add_argument(
        "--since",
        type=_date,
        metavar="DATE",
        help=_("only assessments dated on or after DATE (YYYY-MM-DD)"),
    )
    report.add_argument("--pdf", metavar="OUT.pdf", help=_("write the district PDF here"))
    report.add_argument("--xlsx", metavar="OUT.xlsx", help=_("write the district workbook here"))
    report.add_argument("--title", default="", help=_("title on the PDF's first page"))
    add_language_option(report)
    report.set_defaults(handler=write_report)

    summary = commands.add_parser("summary", help=_("print the district figures"))
    summary.add_argument(
        "--since",
        type=_date,
        metavar="DATE",
        help=_("only assessments dated on or after DATE (YYYY-MM-DD)"),
    )
    summary.add_argument("--json", action="store_true", help=_("print JSON for other programs"))
    summary.set_defaults(handler=show_summary)

    conflicts = commands.add_parser(
        "conflicts", help=_("list records flagged as conflicts on import")
    )
    conflicts.set_defaults(handler=list_conflicts)

    resolve = commands.add_parser("resolve", help=_("let one version of a conflict stand"))
    resolve.add_argument("key", help=_("the conflict, as listed by `district conflicts`"))
    resolve.add_argument("option", type=int, help=_("number of the version that stands, as listed"))
    resolve.add_argument("--actor", default="", help=_("your name, for the audit log"))
    resolve.set_defaults(handler=resolve_conflict)

    settings = commands.add_parser("settings", help=_("show or change the district settings"))
    settings.add_argument(
        "--reassess-months",
        type=int,
        metavar="N",
        help=_("months after an assessment when a new one is due"),
    )
    settings.set_defaults(handler=change_settings)


def write_report(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.district.summary import build_summary
    from guidecheck.reports.files import check_writable

    if not args.pdf and not args.xlsx:
        raise UserError(
            _("Say where to write the district report with --pdf OUT.pdf, --xlsx OUT.xlsx or both.")
        )
    for path in (args.pdf, args.xlsx):
        if path:
            check_writable(path)  # every target checked before anything is written
    use_language(args.lang)
    store = context.store()
    summary = build_summary(store, since=args.since)
    if args.pdf:
        from guidecheck.district.report_pdf import write_district_pdf

        print(
            _("Wrote the district PDF: {path}").format(
                path=write_district_pdf(summary, args.pdf, args.title)
            )
        )
    if args.xlsx:
        from guidecheck.district.report_workbook import write_district_workbook

        skipped: list[str] = []
        print(
            _("Wrote the district workbook: {path}").format(
                path=write_district_workbook(store, summary, args.xlsx, skipped)
            )
        )
        from guidecheck.safetext import for_terminal

        for line in skipped:
            print(_("Warning: {text}").format(text=for_terminal(line)), file=sys.stderr)
    return 0


def show_summary(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.district.summary import build_summary

    data = build_summary(context.store(), since=args.since).as_json()
    if args.json:
        print_json(data)
        return 0
    cover = data["coverage"]
    print(_("{assessed} of {known} facilities assessed; {due} facilities with a re-assessment due; {n} final assessments.").format(
        assessed=cover["facilities_assessed"], known=cover["facilities_known"], due=cover["facilities_overdue"], n=cover["assessments"]))  # fmt: skip
    print(_("Latest verdicts: {ready} ready, {conditions} ready with conditions, {not_ready} not ready.").format(
        ready=data["verdicts"]["ready"], conditions=data["verdicts"]["ready_with_conditions"], not_ready=data["verdicts"]["not_ready"]))  # fmt: skip
    rows = [
        [g["item"], str(g["facilities_missing"]), str(g["facilities_asked"]), g["question"][:70]]
        for g in data["gaps"][:10]
    ]
    if rows:
        print()
        print_table(rows, [_("Item"), _("Missing"), _("Asked"), _("Question")])
    if data["conflicts"]:
        print()
        print(
            _("{n} conflicts wait for a decision: see `guidecheck district conflicts`.").format(
                n=data["conflicts"]
            )
        )
    _print_audit(data["audit"])
    return 0


def _print_audit(audit: dict[str, Any]) -> None:
    """The assessments whose clinic audit log did not verify on import, one line each."""
    from guidecheck.safetext import for_terminal

    flagged = audit["flagged"]
    if flagged:
        print()
        print(
            ngettext(
                "{n} assessment is flagged by the audit check:",
                "{n} assessments are flagged by the audit check:",
                len(flagged),
            ).format(n=len(flagged))
        )
        for entry in flagged:
            where = for_terminal(f"{entry['facility_name']} ({entry['facility']}), {entry['tool']}")
            print(f"  {entry['assessment'][:8]}  {where}: {for_terminal(entry['reason'])}")
    if audit["not_checked"]:
        print(
            _(
                "{n} assessments were not checked against their clinic's audit log (bundles of an earlier GuideCheck, or entries not received yet)."
            ).format(n=audit["not_checked"])
        )


def list_conflicts(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.checklist.labels import format_percent, verdict_label
    from guidecheck.district.conflicts import conflict_groups

    store = context.store()
    groups = conflict_groups(store)
    if not groups:
        print(_("No conflicts."))
        return 0
    for group in groups:
        print(f"{group.key}  {group.facility_name} ({group.facility_code}) · {group.tool_name} · "
              + _("revision {n}").format(n=group.revision))  # fmt: skip
        for number, option in enumerate(group.options, start=1):
            overall = format_percent(option.overall)
            print(f"  {number}. {option.assessment_id[:8]} {option.status} {option.updated_at} "
                  f"{option.assessor} {verdict_label(option.verdict)} {overall}")  # fmt: skip
        differing = group.differing_items()
        if differing:
            print("     " + _("differs in: {items}").format(items=", ".join(differing[:12])))
    return 0


def resolve_conflict(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.district.conflicts import conflict_groups, resolve

    store = context.store()
    group = next((g for g in conflict_groups(store) if g.key == args.key), None)
    if group is None:
        raise UserError(
            _(
                "There is no open conflict {key}; `guidecheck district conflicts` lists them."
            ).format(key=args.key)
        )
    if not 1 <= args.option <= len(group.options):
        raise UserError(_("Choose a version from 1 to {n}.").format(n=len(group.options)))
    keep = group.options[args.option - 1]
    resolve(store, group, keep, args.actor)
    print(
        _("Version {n} ({id}) stands; the others are kept, marked superseded.").format(
            n=args.option, id=keep.assessment_id[:8]
        )
    )
    return 0


def change_settings(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.district.settings import reassess_months, set_reassess_months

    store = context.store()
    if args.reassess_months is not None:
        set_reassess_months(store, args.reassess_months)
    print(
        _("Re-assessment is due {n} months after an assessment.").format(n=reassess_months(store))
    )
    return 0
