"""`guidecheck questionnaires list | validate PATH | show ID --json`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from guidecheck.checklist.model import Questionnaire
from guidecheck.cli.common import EXIT_BAD_INPUT, CommandContext, print_json, print_table
from guidecheck.i18n import _


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("questionnaires", help=_("list, check and show checklists"))
    commands = parser.add_subparsers(dest="command", metavar="ACTION")
    commands.required = True
    listing = commands.add_parser(
        "list", help=_("id, version, title and item count of each checklist")
    )
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_questionnaires)
    validate = commands.add_parser(
        "validate", help=_("check a questionnaire file; exit 0 when it is good")
    )
    validate.add_argument("path")
    validate.set_defaults(handler=validate_questionnaire)
    show = commands.add_parser("show", help=_("domains and items of one checklist"))
    show.add_argument("id")
    show.add_argument("--version", dest="qversion")
    show.add_argument("--json", action="store_true")
    show.add_argument("--lang", default="en")
    show.set_defaults(handler=show_questionnaire)


def list_questionnaires(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.storage.catalog import shipped_questionnaires

    report = shipped_questionnaires()
    for error in report.errors:
        print(_("Skipped: {error}").format(error=error.message), file=sys.stderr)
    rows = [
        [q.id, q.version, q.title.en, str(len(q.items)), str(len(q.domains))]
        for q in report.questionnaires
    ]
    if args.json:
        print_json(
            [
                dict(zip(("id", "version", "title", "items", "domains"), r, strict=True))
                for r in rows
            ]
        )
    else:
        print_table(rows, [_("ID"), _("VERSION"), _("TITLE"), _("ITEMS"), _("DOMAINS")])
    return 0


def validate_questionnaire(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.checklist.loading import load_questionnaire
    from guidecheck.errors import QuestionnaireError

    try:
        questionnaire = load_questionnaire(args.path)
    except QuestionnaireError as exc:
        for error in getattr(exc, "errors", [exc]):
            print(error.message, file=sys.stderr)
        return EXIT_BAD_INPUT
    print(
        _("{path}: OK ({id} version {version}, {domains} domains, {items} items)").format(
            path=args.path,
            id=questionnaire.id,
            version=questionnaire.version,
            domains=len(questionnaire.domains),
            items=len(questionnaire.items),
        )
    )
    return 0


def show_questionnaire(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.storage.catalog import find_questionnaire

    questionnaire = find_questionnaire(args.id, args.qversion)
    data = questionnaire_as_json(questionnaire, args.lang)
    if args.json:
        print_json(data)
        return 0
    print(f"{questionnaire.title.get(args.lang)} ({questionnaire.id} {questionnaire.version})")
    for domain in data["domains"]:
        print(f"\n{domain['title']} [{domain['id']}]")
        for item in domain["items"]:
            flag = " !" if item["critical"] else ""
            print(
                f"  {item['id']}{flag} ({item['type']}, weight {item['weight']:g}) {item['question']}"
            )
    return 0


def questionnaire_as_json(questionnaire: Questionnaire, lang: str = "en") -> dict[str, Any]:
    """The documented JSON shape of `questionnaires show ID --json`."""
    return {
        "id": questionnaire.id,
        "version": questionnaire.version,
        "title": questionnaire.title.get(lang),
        "thresholds": {
            "ready": questionnaire.thresholds.ready,
            "ready_with_conditions": questionnaire.thresholds.ready_with_conditions,
            "domain_minimum": questionnaire.thresholds.domain_minimum,
        },
        "domains": [
            {
                "id": domain.id,
                "title": domain.title.get(lang),
                "kind": domain.kind,
                "condition": domain.condition,
                "items": [
                    {
                        "id": item.id,
                        "type": item.type,
                        "question": item.question.get(lang),
                        "choices": [c.id for c in item.choices],
                        "weight": item.weight,
                        "critical": item.critical,
                        "note": item.note,
                        "condition": item.condition,
                    }
                    for item in domain.items
                ],
            }
            for domain in questionnaire.domains
        ],
    }
