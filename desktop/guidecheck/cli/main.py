"""Entry point of the `guidecheck` command: global options, command groups, exit codes.

Exit codes: 0 success, 2 bad input (one plain sentence on stderr), 1 anything else. No traceback
ever reaches the user; unexpected errors are logged to the data folder's log file.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from guidecheck import __version__
from guidecheck.cli.common import CommandContext, run_command, use_passphrase_source
from guidecheck.i18n import _

# Each module in guidecheck.cli named here exposes `register(subparsers)`. Keep module-level
# imports light in those modules: heavy libraries load inside the command that needs them.
COMMAND_GROUPS: tuple[str, ...] = (
    "questionnaires",
    "assessment",
    "report",
    "bundle",
    "keys",
    "device",
    "audit",
    "selftest",
    "district",
    "export",
    "monitor",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="guidecheck",
        description=_(
            "Offline checks of an AI tool against the WHO 2025 guidance on AI in health care."
        ),
    )
    parser.add_argument("--version", action="version", version=f"guidecheck {__version__}")
    parser.add_argument(
        "--home",
        metavar="DIR",
        help=_(
            "data folder (database, keys, logs, archive); default: $GUIDECHECK_HOME or the user data folder"
        ),
    )
    parser.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help=_(
            "file whose first line is the passphrase protecting this computer's keys (default: $GUIDECHECK_PASSPHRASE_FILE, else asked on the terminal)"
        ),
    )
    subparsers = parser.add_subparsers(dest="group", metavar="COMMAND")
    subparsers.required = True
    for name in COMMAND_GROUPS:
        importlib.import_module(f"guidecheck.cli.{name}").register(subparsers)
    return parser


def use_utf8_output() -> None:
    """Write UTF-8 to stdout and stderr whatever the console or the redirect would pick.

    On Windows, output redirected to a file (`guidecheck assessment list > out.txt`) is encoded
    with the ANSI code page (cp1252): a facility named "Ọ̀yọ́" then cannot be printed at all.
    UTF-8 holds every name; `errors="replace"` keeps a strange console from stopping a command.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(encoding="utf-8", errors="replace")
            except (OSError, ValueError):  # a stream that cannot change any more: keep it as it is
                pass


def main(argv: Sequence[str] | None = None) -> int:
    use_utf8_output()
    parser = build_parser()
    args = parser.parse_args(argv)
    context = CommandContext(home_arg=args.home)
    use_passphrase_source(args.passphrase_file)
    return run_command(context, args)


if __name__ == "__main__":
    sys.exit(main())
