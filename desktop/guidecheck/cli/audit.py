"""`guidecheck audit verify`: check the tamper-evident audit chain of this installation.

A reviewer (or a district officer) runs it to see that no audit entry was edited, inserted or
deleted since it was written. Exit 0 when the chain holds, 2 naming the first broken entry.
"""

from __future__ import annotations

import argparse
import sys

from guidecheck.cli.common import EXIT_BAD_INPUT, EXIT_OK, CommandContext
from guidecheck.i18n import _


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("audit", help=_("check the tamper-evident audit log"))
    commands = parser.add_subparsers(dest="command", metavar="ACTION")
    commands.required = True
    verify = commands.add_parser(
        "verify",
        help=_("check that no audit entry was edited, inserted or deleted; exit 0 when intact"),
    )
    verify.set_defaults(handler=verify_audit)


def verify_audit(context: CommandContext, args: argparse.Namespace) -> int:
    """Print OK with the entry count, or name the first broken entry (exit 2)."""
    from guidecheck.storage.audit import replay_answers

    store = context.store()
    check = store.verify_audit()
    if check.ok:
        differing = replay_answers(store.conn, store.device_id)
        if differing:
            for line in differing[:50]:
                print(_("Changed outside GuideCheck: {what}.").format(what=line), file=sys.stderr)
            print(
                _("The audit log is intact, but {n} answers differ from it.").format(
                    n=len(differing)
                ),
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        print(_("OK: the audit log is intact ({n} entries).").format(n=check.entries))
        return EXIT_OK
    print(
        _(
            "The audit log is broken at entry {seq}: {problem} ({n} entries before it are intact)."
        ).format(seq=check.first_broken, problem=check.problem, n=check.entries),
        file=sys.stderr,
    )
    return EXIT_BAD_INPUT
