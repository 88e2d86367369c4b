"""`guidecheck assessment new --from FILE.json [--finalize] | list [--json] | show ID [--json]`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from guidecheck.cli.common import CommandContext, print_json, print_table
from guidecheck.i18n import _

if TYPE_CHECKING:
    from guidecheck.storage.store import Store


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("assessment", help=_("create, list and show assessments"))
    commands = parser.add_subparsers(dest="command", metavar="ACTION")
    commands.required = True
    new = commands.add_parser(
        "new", help=_("create an assessment from a JSON answers file; prints its id")
    )
    new.add_argument("--from", dest="source", required=True, metavar="FILE.json")
    new.add_argument(
        "--finalize",
        action="store_true",
        help=_("sign it off as final (every shown item must be answered)"),
    )
    new.set_defaults(handler=new_assessment)
    listing = commands.add_parser("list", help=_("the latest revision of every assessment"))
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_assessments)
    show = commands.add_parser(
        "show", help=_("one assessment with scores, verdict and action plan")
    )
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    show.add_argument("--lang", default="en")
    show.set_defaults(handler=show_assessment)
    revise = commands.add_parser(
        "revise", help=_("start a new draft revision of a final assessment; prints its id")
    )
    revise.add_argument("id")
    revise.set_defaults(handler=revise_assessment)


def new_assessment(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.storage.assessment_file import create_from_data, read_answers_file

    data = read_answers_file(args.source)
    assessment = create_from_data(context.store(), data, finalize=args.finalize)
    print(assessment.id)
    return 0


def list_assessments(context: CommandContext, args: argparse.Namespace) -> int:
    rows = context.store().list_assessments()
    if args.json:
        print_json(
            [
                {
                    "id": r.id,
                    "revision": r.revision,
                    "status": r.status,
                    "facility_code": r.facility_code,
                    "facility_name": r.facility_name,
                    "tool_name": r.tool_name,
                    "date": r.date,
                    "overall": r.overall,
                    "verdict": r.verdict,
                    "red_flags": r.red_flag_count,
                    "answered": r.answered,
                    "shown": r.shown,
                    "updated_at": r.updated_at,
                }
                for r in rows
            ]
        )
        return 0
    from guidecheck.checklist.labels import format_percent, status_label, verdict_label

    table = [
        [
            r.id[:8],
            r.facility_name,
            r.tool_name,
            r.date,
            status_label(r.status),
            str(r.revision),
            format_percent(r.overall, "-"),
            verdict_label(r.verdict or None),
        ]
        for r in rows
    ]
    if not table:
        print(_("No assessments yet. Create one with: guidecheck assessment new --from FILE.json"))
        return 0
    print_table(
        table,
        [
            _("ID"),
            _("FACILITY"),
            _("AI TOOL"),
            _("DATE"),
            _("STATUS"),
            _("REV"),
            _("SCORE"),
            _("VERDICT"),
        ],
    )
    return 0


def assessment_as_json(store: Store, assessment_id: str, lang: str = "en") -> dict[str, Any]:
    """The documented JSON shape of `assessment show ID --json`."""
    assessment = store.find_assessment(assessment_id)
    answers = store.answers(assessment.id)
    result = store.result(assessment.id)
    questionnaire = store.questionnaire_for(assessment)
    from guidecheck.checklist.reasons import reason_texts

    return {
        "id": assessment.id,
        "lineage_id": assessment.lineage_id,
        "revision": assessment.revision,
        "replaces": assessment.replaces,
        "status": assessment.status,
        "questionnaire": {
            "id": assessment.questionnaire_id,
            "version": assessment.questionnaire_version,
        },
        "profile": assessment.profile.as_dict(),
        "created_at": assessment.created_at,
        "updated_at": assessment.updated_at,
        "finalized_at": assessment.finalized_at,
        "sign_off": None if assessment.sign_off is None else vars(assessment.sign_off),
        "answers": {
            k: {
                "value": a.value,
                "note": a.note,
                "answered_at": a.answered_at,
                "answered_by": a.answered_by,
            }
            for k, a in answers.items()
        },
        "scores": {"overall": result.overall, "domains": dict(result.domains)},
        "verdict": result.verdict,
        "verdict_reasons": reason_texts(result, questionnaire, lang),
        "scoring_rules_version": result.rules_version,
        "not_assessed": list(result.not_assessed),
        "red_flags": list(result.red_flags),
        "action_plan": [
            {
                "item": e.item_id,
                "domain": e.domain_id,
                "action": e.action.local,
                "priority": e.priority,
            }
            for e in result.action_plan
        ],
        "unanswered": list(result.unanswered),
        "missing_notes": list(result.missing_notes),
        "audit": _audit_mark(store, assessment.id),
    }


def _audit_mark(store: Store, assessment_id: str) -> dict[str, str] | None:
    """At a hub, how the clinic's audit log of this assessment was found; None elsewhere."""
    from guidecheck.bundles.audit_check import mark

    found = mark(store.conn, assessment_id)
    return None if found is None else found.as_json()


def show_assessment(context: CommandContext, args: argparse.Namespace) -> int:
    data = assessment_as_json(context.store(), args.id, args.lang)
    if args.json:
        print_json(data)
        return 0
    from guidecheck.checklist.labels import (
        format_percent,
        priority_label,
        status_label,
        verdict_label,
    )

    profile = data["profile"]
    overall = data["scores"]["overall"]
    print(
        f"{profile['facility_name']} ({profile['facility_code']}) — {profile['tool_name']} {profile['tool_version']}".rstrip()
    )
    print(
        _("Assessment {id}, revision {rev}, {status}").format(
            id=data["id"], rev=data["revision"], status=status_label(data["status"])
        )
    )
    print(
        _("Verdict: {verdict}   Overall score: {score}").format(
            verdict=verdict_label(data["verdict"]),
            score=format_percent(overall, "-"),
        )
    )
    if data["verdict_reasons"]:
        print(_("Why:"))
        for reason in data["verdict_reasons"]:
            print(f"  - {reason}")
    for domain, value in data["scores"]["domains"].items():
        print(f"  {domain:<16} {format_percent(value, '-')}")
    if data["red_flags"]:
        print(_("Red flags: {items}").format(items=", ".join(data["red_flags"])))
    for entry in data["action_plan"]:
        print(f"  [{priority_label(entry['priority'])}] {entry['item']}: {entry['action']}")
    if data["audit"] is not None:
        from guidecheck.bundles.audit_check import AuditMark

        mark = AuditMark(data["audit"]["status"], data["audit"]["reason"])
        text = mark.label() + (f": {mark.reason}" if mark.reason else "")
        print(_("Clinic audit log: {text}").format(text=text))
    return 0


def revise_assessment(context: CommandContext, args: argparse.Namespace) -> int:
    store = context.store()
    assessment = store.revise(store.find_assessment(args.id).id)
    print(assessment.id)
    return 0
