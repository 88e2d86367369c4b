"""`guidecheck monitor add --from FILE.json | list [--tool ID] [--json] | tally --from FILE.json`.

The monitoring log between assessments (see guidecheck.monitoring). Bad input exits 2 with one
sentence and writes nothing; a tally file is checked whole before any of it is saved.
"""

from __future__ import annotations

import argparse

from guidecheck.cli.common import CommandContext, print_json, print_table
from guidecheck.i18n import _


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "monitor", help=_("log what the AI tool does between assessments")
    )
    commands = parser.add_subparsers(dest="command", metavar="ACTION")
    commands.required = True
    add = commands.add_parser("add", help=_("log one observation from a JSON file; prints its id"))
    add.add_argument("--from", dest="source", required=True, metavar="FILE.json")
    add.set_defaults(handler=add_observation)
    listing = commands.add_parser("list", help=_("logged observations, newest first"))
    listing.add_argument("--tool", metavar="ID", help=_("only this tool (id or name)"))
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_observations)
    tally = commands.add_parser(
        "tally", help=_("record monthly counts of uses and overrides from a JSON file")
    )
    tally.add_argument("--from", dest="source", required=True, metavar="FILE.json")
    tally.set_defaults(handler=record_tallies)


def add_observation(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.monitoring import store as monitoring
    from guidecheck.storage.assessment_file import read_json_file

    store = context.store()
    observation = monitoring.observation_from_data(store, read_json_file(args.source))
    print(monitoring.add_observation(store, observation))
    return 0


def record_tallies(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.monitoring import store as monitoring
    from guidecheck.storage.assessment_file import read_json_file

    store = context.store()
    tallies = [
        monitoring.check_tally(store, t)
        for t in monitoring.tallies_from_data(read_json_file(args.source, allow_list=True))
    ]
    with store.atomic():
        for tally in tallies:
            monitoring.save_tally(store, tally)
    for tally in tallies:
        rate = tally.override_rate
        print(
            _("{month} {tool}: used {used} times, overruled {over} ({rate})").format(
                month=tally.month,
                tool=tally.tool_id[:8],
                used=tally.times_used,
                over=tally.times_overridden,
                rate="-" if rate is None else f"{rate:.0%}",
            )
        )
    return 0


def list_observations(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck.monitoring import store as monitoring
    from guidecheck.monitoring.model import kind_label, severity_label

    store = context.store()
    if args.tool:
        matches = [
            t for t in store.tools() if args.tool in (t.id, t.name) or t.id.startswith(args.tool)
        ]
        if not matches:
            from guidecheck.errors import UserError

            raise UserError(
                _("No AI tool '{tool}' is registered on this computer.").format(
                    tool=args.tool[:100]
                )
            )
        ids = {t.id for t in matches}
        rows = [o for o in monitoring.observations(store.conn) if o.tool_id in ids]
    else:
        rows = monitoring.observations(store.conn)
    if args.json:
        print_json(
            [
                {
                    "id": o.id,
                    "date": o.date,
                    "facility_code": o.facility_code,
                    "tool_id": o.tool_id,
                    "tool_name": o.tool_name,
                    "kind": o.kind,
                    "severity": o.severity,
                    "what_happened": o.what_happened,
                    "action_taken": o.action_taken,
                    "recorded_by": o.recorded_by,
                }
                for o in rows
            ]
        )
        return 0
    if not rows:
        print(
            _(
                "Nothing logged yet. Log an observation with: guidecheck monitor add --from FILE.json"
            )
        )
        return 0
    print_table(
        [
            [o.id[:8], o.date, _plain(o.facility_code), _plain(o.tool_name), kind_label(o.kind),
             severity_label(o.severity), _plain(o.what_happened)[:60]]
            for o in rows
        ],
        [_("ID"), _("DATE"), _("FACILITY"), _("AI TOOL"), _("KIND"), _("SEVERITY"), _("WHAT HAPPENED")],
    )  # fmt: skip
    return 0


def _plain(text: str) -> str:
    """One line of printable text: a stored note never moves the terminal's cursor or colours."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
