"""`guidecheck selftest`: the installation self-test's core steps (the app's --self-test adds Qt's)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from guidecheck.i18n import _

if TYPE_CHECKING:
    from guidecheck.cli.common import CommandContext


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "selftest",
        help=_("check this installation end to end in temporary folders; one line per step"),
        description=_(
            "The app's --self-test runs the same steps, then draws its window offscreen."
        ),
    )
    parser.set_defaults(handler=run_selftest)


def run_selftest(context: CommandContext, args: argparse.Namespace) -> int:
    from guidecheck import selftest

    return selftest.run()
