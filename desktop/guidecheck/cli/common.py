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


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))


def print_table(rows: list[list[str]], headers: list[str]) -> None:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=False)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=False))
    print(line.rstrip())
    for row in rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=False)).rstrip())
