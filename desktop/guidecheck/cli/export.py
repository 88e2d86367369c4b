"""`guidecheck export fhir|dhis2`: results in the shapes national systems take.

`fhir (ID...|--all|--since DATE) --out DIR` writes FHIR R4 Questionnaires, QuestionnaireResponses,
Observations and one transaction Bundle; `dhis2 --period PERIOD --out DIR` writes a DHIS2
dataValueSets payload and the metadata a ministry imports once. Libraries load inside each command.
"""

from __future__ import annotations

import argparse

from guidecheck.cli.common import CommandContext
from guidecheck.cli.district import _date
from guidecheck.i18n import _


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("export", help=_("results for national systems (FHIR, DHIS2)"))
    commands = parser.add_subparsers(dest="export_command", metavar="FORMAT")
    commands.required = True

    fhir = commands.add_parser(
        "fhir", help=_("FHIR R4 questionnaires, responses, observations and a transaction bundle")
    )
    fhir.add_argument("ids", nargs="*", metavar="ID", help=_("assessment ids (or unique prefixes)"))
    fhir.add_argument("--all", action="store_true", help=_("every assessment, drafts included"))
    fhir.add_argument(
        "--since", type=_date, metavar="DATE", help=_("assessments dated on or after DATE")
    )
    fhir.add_argument("--out", required=True, metavar="DIR", help=_("folder to write into"))
    fhir.add_argument(
        "--base-url",
        default=None,
        metavar="URL",
        help=_("canonical base of GuideCheck's questionnaires and code systems"),
    )
    fhir.set_defaults(handler=export_fhir)

    dhis2 = commands.add_parser(
        "dhis2", help=_("a DHIS2 dataValueSets payload and its metadata for one period")
    )
    dhis2.add_argument(
        "--period", required=True, help=_("a year (2026), a quarter (2026Q4) or a month (202611)")
    )
    dhis2.add_argument("--out", required=True, metavar="DIR", help=_("folder to write into"))
    dhis2.add_argument(
        "--mapping-dir",
        metavar="DIR",
        help=_("folder holding <checklist id>.dhis2.yaml (default: the checklists folder)"),
    )
    dhis2.set_defaults(handler=export_dhis2)


def export_fhir(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.interop.fhir_build import DEFAULT_BASE
    from guidecheck.interop.fhir_export import export_fhir as write
    from guidecheck.interop.selection import select_assessments

    exported = select_assessments(context.store(), args.ids, args.all, args.since)
    result = write(exported, args.out, args.base_url or DEFAULT_BASE)
    print(
        _(
            "Wrote {q} questionnaires, {r} questionnaire responses and {o} observations to {folder}; "
            "send {bundle} to the FHIR server in one POST."
        ).format(
            q=result.questionnaires,
            r=result.responses,
            o=result.observations,
            folder=result.folder,
            bundle=result.bundle.name,
        )
    )
    return 0


def export_dhis2(context: CommandContext, args: argparse.Namespace) -> int:
    from pathlib import Path

    from guidecheck.interop.dhis2_export import export_dhis2 as write

    folder = Path(args.mapping_dir) if args.mapping_dir else None
    result = write(context.store(), args.period, args.out, folder)
    for payload in result.payloads:
        print(
            _("{id}: {n} data values for {period} (data set {code}).").format(
                id=payload.mapping.questionnaire_id,
                n=payload.value_count,
                period=payload.period.id,
                code=payload.mapping.data_set.code,
            )
        )
    print(
        _(
            "Wrote {files} to {folder}. Import the metadata file once, then the data values, "
            "each with a dry run first (see the README)."
        ).format(files=", ".join(p.name for p in result.files), folder=result.folder)
    )
    return 0
