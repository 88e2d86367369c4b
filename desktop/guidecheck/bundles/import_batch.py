"""Import many bundle files in one command: the loop behind `guidecheck bundle import` and the
app's Import dialog.

The durability promise: an outcome that says a file was imported (or held) is handed out only
after the SQLite commit holding it has returned (WAL, `synchronous=FULL`), and that commit comes
only after the archive copies it names were flushed to the disk and put in place. So every line a
command has printed as imported survives a power cut or a kill that comes right after it. A file
not yet reported may be lost that way; importing it again is always safe (it is recognised by its
bundle id and its content).

Why groups: committing and archiving file by file costs three disk flushes per file (the
database commit, the archive copy, its folder), often more time than verifying and applying the
file. Here the files are taken in groups: one transaction per group with one savepoint per file,
so a refused file is rolled back to its savepoint and the other files of the group stay in; the
archive copies of the group wait in one `atomic.WriteGroup`, flushed together just before the
group's single commit. A group closes after `GROUP_SECONDS` of work (or at the last file), so a
long import still reports as it goes and a power cut costs at most that much work.

If the flush or the commit of a group fails (a full disk, a pulled stick), none of its files is
reported imported or held: each says why it could not be stored, and nothing of them stays.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from guidecheck.atomic import WriteGroup
from guidecheck.bundles.importer import ImportOutcome, import_file
from guidecheck.bundles.verify import NO_KEY
from guidecheck.errors import UserError
from guidecheck.i18n import _

log = logging.getLogger(__name__)

GROUP_SECONDS = 1.0  # work per commit: small against a disk flush, short enough to report steadily

Progress = Callable[[int, int, str], None]  # (files done, files in all, name of the next file)


class _TransactionLost(Exception):
    """SQLite ended the whole transaction (it does so on a full disk or an I/O error)."""


def import_files(
    home: Path,
    store: Any,
    paths: Iterable[Path],
    dry_run: bool = False,
    actor: str = "",
    progress: Progress | None = None,
    group_seconds: float = GROUP_SECONDS,
) -> Iterator[ImportOutcome]:
    """Import `paths` in order; yields one outcome per file, each only once it is durable
    (see the module's docstring). Never raises for a bad bundle, like `import_file`."""
    files = [Path(p) for p in paths]
    hub_key = _district_key(home)
    done = 0
    while done < len(files):
        outcomes = _import_group(
            home, store, files, done, dry_run, actor, progress, group_seconds, hub_key
        )
        done += len(outcomes)
        yield from outcomes


def _import_group(
    home: Path,
    store: Any,
    files: list[Path],
    start: int,
    dry_run: bool,
    actor: str,
    progress: Progress | None,
    group_seconds: float,
    hub_key: Any = NO_KEY,
) -> list[ImportOutcome]:
    """Import files from `start` on until `group_seconds` have passed; one commit for them all."""
    group = WriteGroup()
    outcomes: list[ImportOutcome] = []
    placed: list[Path] = []
    began = time.monotonic()
    try:
        with store.atomic():
            for path in files[start:]:
                if progress is not None:
                    progress(start + len(outcomes), len(files), path.name)
                outcome = import_file(home, store, path, dry_run=dry_run, actor=actor, group=group,
                                      hub_key=hub_key)  # fmt: skip
                outcomes.append(outcome)
                if not store.conn.in_transaction:
                    raise _TransactionLost(outcome.reason)
                if time.monotonic() - began >= group_seconds:
                    break
            placed = group.commit()  # on disk before the commit that records them
    except BaseException as exc:
        group.abandon()
        for target in placed:  # the commit failed: no record names these copies
            with contextlib.suppress(OSError):
                target.unlink()
        if not isinstance(exc, (UserError, sqlite3.Error, OSError, _TransactionLost)):
            raise
        reason = _reason(exc)
        return [_not_stored(o, reason) for o in outcomes]
    return outcomes


def _district_key(home: Path) -> Any:
    """The hub's district identity, read once for the whole command; when it cannot be read,
    each file is refused with the reason, as it would be alone."""
    from guidecheck.bundles.keys import district_identity

    try:
        return district_identity(home)
    except UserError:  # damaged or locked: `verify` refuses each file with the reason
        return NO_KEY


def _reason(exc: BaseException) -> str:
    if isinstance(exc, UserError):
        return exc.message
    if isinstance(exc, _TransactionLost):
        return str(exc)
    return _("It could not be stored here: {detail}.").format(detail=exc)


def _not_stored(outcome: ImportOutcome, reason: str) -> ImportOutcome:
    """The outcome of a file whose group was rolled back: refused, unless it changed nothing."""
    if outcome.dry_run or not (outcome.imported or outcome.held):
        return outcome
    log.warning("import of %r rolled back with its group: %s", outcome.name, reason)
    return replace(
        outcome,
        imported=False,
        held=False,
        reason=reason,
        result=None,
        already_imported=False,
        archive_path=None,
    )
