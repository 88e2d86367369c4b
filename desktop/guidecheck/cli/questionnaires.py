"""`guidecheck questionnaires list | validate PATH | show ID --json | import FILE`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from guidecheck.checklist.model import Questionnaire
from guidecheck.cli.common import (
    EXIT_BAD_INPUT,
    CommandContext,
    add_language_option,
    print_json,
    print_table,
    use_language,
)
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
    add_language_option(show)
    show.set_defaults(handler=show_questionnaire)
    add = commands.add_parser(
        "import",
        help=_(
            "add a checklist (XLSForm .xlsx or checklist .yaml) to those offered for new assessments"
        ),
    )
    add.add_argument("file", metavar="FILE")
    add.add_argument(
        "--skip-unsupported",
        action="store_true",
        help=_("leave out rows GuideCheck cannot represent, listing them"),
    )
    add.set_defaults(handler=add_questionnaire)
    register_xlsform(commands)


def list_questionnaires(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.storage.catalog import ADDED, SHIPPED, available_questionnaires

    report = available_questionnaires(context.home)
    for error in report.errors:
        print(_("Skipped: {error}").format(error=error.message), file=sys.stderr)
    sources = {q.path: report.source(q) for q in report.questionnaires}
    keys = ("id", "version", "level", "title", "items", "domains")
    rows = [
        [q.id, q.version, q.level, q.title.local, str(len(q.items)), str(len(q.domains))]
        for q in report.questionnaires
    ]
    if args.json:
        print_json(
            [
                {**dict(zip(keys, r, strict=True)), "source": sources[q.path], "path": q.path}
                for r, q in zip(rows, report.questionnaires, strict=True)
            ]
        )
        return 0
    words = {ADDED: _("added: {path}"), SHIPPED: _("shipped")}
    for row, q in zip(rows, report.questionnaires, strict=True):
        # before the title, so ITEMS and DOMAINS stay the last two columns scripts read
        row.insert(3, words[sources[q.path]].format(path=q.path))
    print_table(
        rows,
        [_("ID"), _("VERSION"), _("LEVEL"), _("SOURCE"), _("TITLE"), _("ITEMS"), _("DOMAINS")],
    )
    return 0


def add_questionnaire(context: CommandContext, args: argparse.Namespace) -> int:
    """`questionnaires import FILE`: an XLSForm (.xlsx) or a checklist (.yaml) joins the
    checklists offered for new assessments."""
    from guidecheck.errors import UserError
    from guidecheck.fileops import decode_text
    from guidecheck.storage.added_checklists import add_checklist

    path = Path(args.file)
    if path.suffix.lower() == ".xlsx":
        from guidecheck.interop.xlsform_import import import_xlsform as run

        result = run(path, args.skip_unsupported)
        for dropped in result.dropped:
            print(_("Left out: {row}").format(row=dropped.sentence()), file=sys.stderr)
        for note in result.notes:
            print(note, file=sys.stderr)
        text = result.yaml_text
    else:
        from guidecheck.checklist.loading import load_questionnaire

        load_questionnaire(path)  # size, encoding and content checked, naming file and line
        try:
            text = decode_text(path.read_bytes())
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(_("{path} cannot be read.").format(path=path)) from exc
    added = add_checklist(context.home, text, str(path))
    q = added.questionnaire
    if added.already_there:
        print(_("Checklist {id} version {version} was already added: {path}").format(
            id=q.id, version=q.version, path=added.path))  # fmt: skip
    else:
        print(_("Added checklist {id} version {version} for new assessments: {path}").format(
            id=q.id, version=q.version, path=added.path))  # fmt: skip
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
    from guidecheck.checklist.translations import coverage

    for share in coverage(questionnaire):
        if share.missing:
            print(
                _("{lang}: {missing} of {total} texts not translated (English is shown)").format(
                    lang=share.lang, missing=share.missing, total=share.total
                )
            )
        else:
            print(
                _("{lang}: all {total} texts translated").format(lang=share.lang, total=share.total)
            )
    return 0


def show_questionnaire(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.storage.catalog import find_questionnaire

    lang = use_language(args.lang)
    questionnaire = find_questionnaire(args.id, args.qversion, home=context.home)
    data = questionnaire_as_json(questionnaire, lang)
    if args.json:
        print_json(data)
        return 0
    print(f"{questionnaire.title.get(lang)} ({questionnaire.id} {questionnaire.version})")
    for domain in data["domains"]:
        print(f"\n{domain['title']} [{domain['id']}]")
        for item in domain["items"]:
            flag = " !" if item["critical"] else ""
            print(
                f"  {item['id']}{flag} ("
                + _("{type}, weight {weight}").format(
                    type=item["type"], weight=f"{item['weight']:g}"
                )
                + f") {item['question']}"
            )
    return 0


def questionnaire_as_json(questionnaire: Questionnaire, lang: str = "en") -> dict[str, Any]:
    """The documented JSON shape of `questionnaires show ID --json`: the whole content (guidance,
    actions, basis, constraints, level and scoring rules), so other tools need not read YAML."""
    rules = questionnaire.scoring

    def text(value: Any) -> str:
        return str(value.get(lang))

    return {
        "id": questionnaire.id,
        "version": questionnaire.version,
        "format": questionnaire.format,
        "level": questionnaire.level,
        "title": text(questionnaire.title),
        "description": text(questionnaire.description),
        "source": questionnaire.guidance_source,
        "languages": list(questionnaire.languages),
        "scored": questionnaire.scored,
        "thresholds": {
            "ready": questionnaire.thresholds.ready,
            "ready_with_conditions": questionnaire.thresholds.ready_with_conditions,
            "domain_minimum": questionnaire.thresholds.domain_minimum,
        },
        "scoring": {
            "rules_version": rules.rules_version,
            "ready": rules.ready,
            "ready_with_conditions": rules.ready_with_conditions,
            "domain_minimum": rules.domain_minimum,
            "domain_floor": rules.domain_floor if rules.rules_version >= 2 else None,
            "na_share_max": rules.na_share_max if rules.rules_version >= 2 else None,
            "critical_partly": rules.critical_partly if rules.rules_version >= 2 else None,
            "na_needs_note": rules.na_needs_note,
        },
        "domains": [
            {
                "id": domain.id,
                "title": text(domain.title),
                "description": text(domain.description),
                "kind": domain.kind,
                "condition": domain.condition,
                "items": [_item_json(item, text) for item in domain.items],
            }
            for domain in questionnaire.domains
        ],
    }


def _item_json(item: Any, text: Any) -> dict[str, Any]:
    return {
        "id": item.id,
        "type": item.type,
        "question": text(item.question),
        "guidance": {
            "why": text(item.guidance.why),
            "evidence": text(item.guidance.evidence),
            "example": text(item.guidance.example),
        },
        "basis": text(item.basis),
        "action": text(item.action),
        "choices": [c.id for c in item.choices],
        "choice_details": [
            {"id": c.id, "label": text(c.label), "score": c.score, "na": c.na} for c in item.choices
        ],
        "weight": item.weight,
        "critical": item.critical,
        "na_allowed": item.na_allowed,
        "note": item.note,
        "condition": item.condition,
        "constraint": item.constraint,
        "constraint_message": text(item.constraint_message) if item.constraint else None,
        "min": item.minimum,
        "max": item.maximum,
        "integer": item.integer,
        "unit": text(item.unit),
    }


def register_xlsform(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`import-xlsform FORM.xlsx [--out FILE.yaml] [--skip-unsupported]` and `export-xlsform ID OUT.xlsx`."""
    imp = commands.add_parser(
        "import-xlsform",
        help=_("turn an XLSForm (Excel, as used by ODK and KoboToolbox) into a checklist"),
    )
    imp.add_argument("form", metavar="FORM.xlsx")
    imp.add_argument(
        "--out", metavar="FILE.yaml", help=_("write the checklist here (default: print it)")
    )
    imp.add_argument(
        "--skip-unsupported",
        action="store_true",
        help=_("leave out rows GuideCheck cannot represent, listing them"),
    )
    imp.set_defaults(handler=import_xlsform)
    exp = commands.add_parser("export-xlsform", help=_("write a checklist as an XLSForm workbook"))
    exp.add_argument("id")
    exp.add_argument("out", metavar="OUT.xlsx")
    exp.add_argument("--version", dest="qversion")
    exp.set_defaults(handler=export_xlsform)


def import_xlsform(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.interop.xlsform_import import import_xlsform as run
    from guidecheck.reports.files import write_atomically

    result = run(args.form, args.skip_unsupported)
    for dropped in result.dropped:
        print(_("Left out: {row}").format(row=dropped.sentence()), file=sys.stderr)
    for note in result.notes:
        print(note, file=sys.stderr)
    if args.out:
        path = write_atomically(args.out, result.yaml_text.encode("utf-8"))
        print(_("Wrote the checklist {id} version {version} to {path}.").format(
            id=result.data["id"], version=result.data["version"], path=path))  # fmt: skip
    else:
        sys.stdout.write(result.yaml_text)
    return 0


def export_xlsform(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.interop.xlsform_export import export_xlsform as run
    from guidecheck.storage.catalog import find_questionnaire

    questionnaire = find_questionnaire(args.id, args.qversion, home=context.home)
    path = run(questionnaire, args.out)
    print(_("Wrote {id} version {version} as an XLSForm: {path}").format(
        id=questionnaire.id, version=questionnaire.version, path=path))  # fmt: skip
    return 0
