"""What every CLI command shares: the data folder, the store, output helpers and exit codes."""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidecheck.errors import UserError
from guidecheck.fileops import storage_unavailable
from guidecheck.i18n import _

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_BAD_INPUT = 2

if TYPE_CHECKING:
    from guidecheck.storage.store import Store

log = logging.getLogger("guidecheck.cli")


@dataclass
class CommandContext:
    """The global options, with the data folder and store opened on first use."""

    home_arg: str | None = None
    _home: Path | None = field(default=None, repr=False)
    _store: Store | None = field(default=None, repr=False)

    @property
    def home(self) -> Path:
        if self._home is None:
            from guidecheck.logs import setup_logging
            from guidecheck.paths import data_home

            self._home = data_home(self.home_arg)
            setup_logging(self._home)
        return self._home

    def store(self) -> Store:
        """The installation's `Store`, opened on first use."""
        if self._store is None:
            from guidecheck.paths import database_path
            from guidecheck.storage.store import Store

            self._store = Store(database_path(self.home))
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def run_command(context: CommandContext, args: argparse.Namespace) -> int:
    """Run the chosen handler; turn errors into one plain sentence and an exit code."""
    try:
        return int(args.handler(context, args) or 0)
    except UserError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_BAD_INPUT
    except (sqlite3.OperationalError, OSError) as exc:
        plain = storage_unavailable(exc)  # the stick was pulled or turned read-only mid-command
        if plain is None:
            return _unexpected(context, args)
        log.warning("data folder unavailable: %s", exc)
        print(plain.message, file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(_("Stopped."), file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_ERROR
    except Exception:  # noqa: BLE001 - the last line of defence: log it, never show a traceback
        return _unexpected(context, args)
    finally:
        try:
            context.close()
        except sqlite3.Error:  # closing a database whose stick is gone: nothing left to save
            log.warning("closing the database failed", exc_info=True)


def _unexpected(context: CommandContext, args: argparse.Namespace) -> int:
    """Log the error being handled; say so in one sentence, naming the log only if it was set up."""
    from guidecheck.logs import current_log_path

    log.exception("unexpected error in %s", getattr(args, "group", "?"))
    where = current_log_path() if context._home else None
    message = _("Something went wrong that GuideCheck did not expect.")
    if where:
        message += " " + _("Details were written to {path}.").format(path=where)
    print(message, file=sys.stderr)
    return EXIT_ERROR


def use_passphrase_source(passphrase_file: str | None) -> None:
    """Where this command gets the keys' passphrase: `--passphrase-file`, else the environment
    variable, else (on a terminal) a prompt; otherwise a command that needs it stops with exit 2."""
    from guidecheck.bundles import key_protection

    interactive = sys.stdin is not None and sys.stdin.isatty()
    key_protection.configure(
        Path(passphrase_file) if passphrase_file else None,
        prompt=terminal_prompt if interactive else None,
    )


def terminal_prompt(request: Any) -> str | None:
    """Ask on the terminal (never echoed); a new passphrase is typed twice. None (the command
    stops) after three wrong or empty answers."""
    import getpass

    from guidecheck.bundles.key_protection import check_new_passphrase

    if request.wrong:
        print(
            _("That passphrase does not unlock {what}.").format(what=request.what), file=sys.stderr
        )
        if request.attempt >= 3:
            return None
    if not request.creating:
        given = getpass.getpass(_("Passphrase for {what}: ").format(what=request.what))
        return given or None
    print(
        _(
            "Choose a passphrase to protect {what}. It is asked once each time GuideCheck starts, and it cannot be recovered if forgotten."
        ).format(what=request.what),
        file=sys.stderr,
    )
    for _attempt in range(3):
        first = getpass.getpass(_("New passphrase: "))
        problem = check_new_passphrase(first)
        if problem:
            print(problem, file=sys.stderr)
        elif getpass.getpass(_("Type it again: ")) != first:
            print(_("The two passphrases differ; try again."), file=sys.stderr)
        else:
            return first
    return None


def add_language_option(parser: argparse.ArgumentParser) -> None:
    """`--lang en|fr|pt`: the language of the output (default: $GUIDECHECK_LANG, else English)."""
    from guidecheck.i18n import SHIPPED_LANGUAGES

    parser.add_argument(
        "--lang",
        choices=SHIPPED_LANGUAGES,
        default=None,
        help=_("language of the output: checklist text, headings, dates (default: en)"),
    )


def use_language(lang: str | None) -> str:
    """Switch the whole command to `lang` (None keeps the current one); returns the language used."""
    from guidecheck.i18n import current_language, set_language

    if lang:
        set_language(lang)
    return current_language()


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))


def print_table(rows: list[list[str]], headers: list[str]) -> None:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=False)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=False))
    print(line.rstrip())
    for row in rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=False)).rstrip())
