"""`guidecheck audit verify`: check the tamper-evident audit chain of this installation.

A reviewer (or a district officer) runs it to see that no audit entry was edited, inserted or
deleted since it was written, and that the records still hold what the log says: the log is
replayed against the assessments, answers, facilities and tools tables and every row that differs
is named in one sentence. Exit 0 when the chain holds and every row matches, 2 otherwise.
"""

from __future__ import annotations

import argparse
import sys

from guidecheck.cli.common import EXIT_BAD_INPUT, EXIT_OK, CommandContext
from guidecheck.i18n import _, ngettext

MAX_LINES = 200  # a whole table rewritten would otherwise flood the terminal


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("audit", help=_("check the tamper-evident audit log"))
    commands = parser.add_subparsers(dest="command", metavar="ACTION")
    commands.required = True
    verify = commands.add_parser(
        "verify",
        help=_(
            "check that no audit entry was edited, inserted or deleted and that every record matches the log; exit 0 when intact"
        ),
    )
    verify.set_defaults(handler=verify_audit)


def verify_audit(context: CommandContext, args: argparse.Namespace) -> int:
    """Print OK with the entry count, or name the first broken entry / every differing row (exit 2)."""
    from guidecheck.storage.audit_replay import check_database

    store = context.store()
    check = store.verify_audit()
    if not check.ok:
        print(
            _(
                "The audit log is broken at entry {seq}: {problem} ({n} entries before it are intact)."
            ).format(seq=check.first_broken, problem=check.problem, n=check.entries),
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    # A hub's facility and tool rows come from bundles (checked when imported), not from its log.
    hub = store.conn.execute("SELECT 1 FROM bundle_imports LIMIT 1").fetchone() is not None
    differing = check_database(store.conn, store.device_id, facilities=not hub)
    if differing:
        for difference in differing[:MAX_LINES]:
            print(
                _("Changed outside GuideCheck: {what}.").format(what=difference.sentence()),
                file=sys.stderr,
            )
        if len(differing) > MAX_LINES:
            print(_("… and {n} more.").format(n=len(differing) - MAX_LINES), file=sys.stderr)
        print(
            ngettext(
                "The audit log is intact, but {n} record differs from it.",
                "The audit log is intact, but {n} records differ from it.",
                len(differing),
            ).format(n=len(differing)),
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    print(_("OK: the audit log is intact ({n} entries).").format(n=check.entries))
    return EXIT_OK
