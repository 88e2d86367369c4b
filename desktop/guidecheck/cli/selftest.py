"""`guidecheck selftest`: run the installation self-test (the same as the frozen app's --self-test)."""

from __future__ import annotations

import argparse
from typing import Any

from guidecheck.i18n import _


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "selftest",
        help=_("check this installation end to end in temporary folders; one line per step"),
    )
    parser.set_defaults(handler=run_selftest)


def run_selftest(context: Any, args: argparse.Namespace) -> int:
    from guidecheck import selftest

    return selftest.run()
