"""Import bundle files into the hub: verify, then apply (approved device) or hold (any other).

`import_file` never raises for a bad bundle: it returns an outcome saying "refused" or "held" and
why, so a batch of files is reported one line each. A refused, held or dry-run file leaves every
record table unchanged; a held file is kept under `home/held/` until the officer decides on its
device (`approve_device` then imports it like a fresh file).
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidecheck.atomic import WriteGroup, write_atomic
from guidecheck.bundles import container, enrolment, ledger
from guidecheck.bundles.apply import ApplyResult, apply_payload
from guidecheck.bundles.archive import archive_bundle, held_dir
from guidecheck.bundles.audit_check import UNCHECKED
from guidecheck.bundles.audit_recheck import recheck_waiting
from guidecheck.bundles.errors import BundleRefused
from guidecheck.bundles.manifest import Manifest
from guidecheck.bundles.verify import NO_KEY, OpenedBundle, open_bundle, open_bundle_file, reread
from guidecheck.errors import UserError
from guidecheck.i18n import _
from guidecheck.safetext import for_terminal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportOutcome:
    path: Path
    imported: bool
    reason: str = ""  # why it was refused, or why it is held
    manifest: Manifest | None = None
    result: ApplyResult | None = None
    already_imported: bool = False
    archive_path: Path | None = None
    dry_run: bool = False
    held: bool = False
    source_name: str = ""  # the name to show, when it differs from path (a held copy)

    @property
    def name(self) -> str:
        """The file's name, escaped so it can never forge a line or hide a character."""
        return for_terminal(self.source_name or self.path.name)

    def summary(self) -> str:
        """One line for the CLI and the import dialog."""
        if self.held:
            return _("{name}: held: {reason}").format(name=self.name, reason=self.reason)
        if not self.imported:
            return _("{name}: refused: {reason}").format(name=self.name, reason=self.reason)
        r = self.result or ApplyResult()
        text = _(
            "{name}: {new} new, {updated} updated, {unchanged} unchanged, {conflicts} conflicts"
        ).format(
            name=self.name,
            new=r.new,
            updated=r.updated,
            unchanged=r.unchanged,
            conflicts=r.conflicts,
        )
        if r.monitoring:
            text += ", " + _("{n} monitoring records").format(n=r.monitoring)
        if r.audit_flagged:
            text += ", " + _("{n} flagged by the audit check").format(n=len(r.audit_flagged))
        if self.already_imported:
            text += " " + _("(already imported)")
        if self.dry_run:
            text += " " + _("(dry run: nothing written)")
        return text


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def check_file(home: Path, store: Any, path: Path) -> tuple[OpenedBundle | None, str, bool]:
    """(bundle, reason refused, already imported) for listing files before importing them."""
    try:
        opened = open_bundle(container.read_bundle_file(path), home, store.conn, for_hub=True)
    except BundleRefused as exc:
        return None, exc.message, False
    return opened, "", ledger.imported_at(store.conn, opened.manifest.bundle_id) is not None


def import_file(
    home: Path,
    store: Any,
    path: Path,
    dry_run: bool = False,
    actor: str = "",
    source_name: str = "",
    group: WriteGroup | None = None,
    hub_key: Any = NO_KEY,
) -> ImportOutcome:
    """Verify one bundle file; apply it when its device is approved, hold it otherwise.

    Alone, the file is imported in its own transaction and is on disk when this returns. Called
    inside the caller's transaction with a `group` (`import_batch.import_files`), it is applied in
    a savepoint and its archive copy waits in `group`: the caller commits both; the verified bytes
    are then kept for that copy instead of being read again. `hub_key`: the district identity
    the caller read once (`open_bundle_file`)."""
    path = Path(path)
    name = source_name or path.name
    try:
        opened = open_bundle_file(path, home, hub_key=hub_key, keep_data=group is not None)
    except BundleRefused as exc:
        return ImportOutcome(path=path, imported=False, reason=exc.message, source_name=name)
    manifest = opened.manifest
    device = enrolment.device(store.conn, manifest.device_id, manifest.device_key)
    if device is not None and device.status in (enrolment.REVOKED, enrolment.REFUSED):
        reason = _(
            "device {device} was {status} at this hub; its bundles are not imported."
        ).format(device=manifest.device_id, status=_status_word(device.status))
        return ImportOutcome(path, False, reason=reason, manifest=manifest, source_name=name)
    if device is None or device.status != enrolment.APPROVED:
        return _hold(home, store, path, name, opened, dry_run)
    return _apply(home, store, path, name, opened, device, dry_run, actor, group, hub_key)


def _status_word(status: str) -> str:
    return {enrolment.REVOKED: _("revoked"), enrolment.REFUSED: _("refused")}.get(status, status)


def _hold(
    home: Path, store: Any, path: Path, name: str, opened: OpenedBundle, dry_run: bool
) -> ImportOutcome:
    """Keep a verified bundle from a device not approved here; it changes no record and pins nothing."""
    from guidecheck.storage.store import now_iso

    m = opened.manifest
    code = enrolment.enrol_code(m.device_id, bytes.fromhex(m.device_key))
    reason = _(
        "device {device} (enrolment code {code}) is not approved at this hub; its bundle waits for the officer's approval."
    ).format(device=m.device_id, code=code)
    if dry_run:
        return ImportOutcome(path, False, reason=reason, manifest=m, held=True, dry_run=True,
                             source_name=name)  # fmt: skip
    target = held_dir(home) / f"{opened.sha256}{container.SUFFIX}"
    try:
        with store.atomic():
            enrolment.record_pending(store.conn, m.device_id, m.device_key, now_iso())
            if not target.exists():
                write_atomic(target, opened.data or reread(path, opened.sha256), private=True,
                             overwrite=True)  # fmt: skip
            store.conn.execute(
                "INSERT OR IGNORE INTO held_bundles (sha256, bundle_id, device_id, public_key,"
                " facility_codes_json, created_at, received_at, source_name, held_path, counts_json)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (opened.sha256, m.bundle_id, m.device_id, m.device_key, json.dumps(list(m.facility_codes)),
                 m.created_at, now_iso(), for_terminal(name)[:200], str(target),
                 json.dumps(m.counts, sort_keys=True)),
            )  # fmt: skip
    except UserError as exc:
        return ImportOutcome(path, False, reason=exc.message, manifest=m, source_name=name)
    except (sqlite3.Error, OSError) as exc:
        reason = _("It could not be stored here: {detail}.").format(detail=exc)
        return ImportOutcome(path, False, reason=reason, manifest=m, source_name=name)
    return ImportOutcome(path, False, reason=reason, manifest=m, held=True, source_name=name)


def _apply(
    home: Path,
    store: Any,
    path: Path,
    name: str,
    opened: OpenedBundle,
    device: enrolment.Device,
    dry_run: bool,
    actor: str,
    group: WriteGroup | None = None,
    hub_key: Any = NO_KEY,
) -> ImportOutcome:
    from guidecheck.storage.store import now_iso

    manifest = opened.manifest
    assert opened.payload is not None  # open_bundle(require_payload=True) decrypted it or refused
    already = ledger.imported_at(store.conn, manifest.bundle_id) is not None
    archived: Path | None = None
    created = False
    try:
        with store.atomic():
            result = apply_payload(
                store,
                manifest,
                opened.payload,
                facilities=device.facilities,
                now=now_iso(),
                chain=opened.chain_problem if opened.chain_checked else UNCHECKED,
            )
            if dry_run:
                raise _DryRun
            # the bundles of this device that waited on these entries are checked now
            rechecked = recheck_waiting(home, store.conn, manifest.device_id, hub_key, group)
            result.audit_flagged = sorted(set(result.audit_flagged) | set(rechecked))
            _pin_device(store.conn, opened)
            # the verified bytes: kept from the check, or read again and checked by their hash
            data = opened.data or reread(path, opened.sha256)
            archived, created = archive_bundle(
                home, store.conn, manifest, data, opened.sha256, group
            )
            del data
            store.conn.execute(
                "INSERT OR IGNORE INTO bundle_imports (bundle_id, sha256, device_id, created_at, imported_at,"
                " source_name, archive_path, result_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (manifest.bundle_id, opened.sha256, manifest.device_id, manifest.created_at, now_iso(),
                 for_terminal(name)[:200], str(archived), json.dumps(result.as_dict(), sort_keys=True)),
            )  # fmt: skip
            if result.changed or not already:
                store.record_audit(actor, "bundle", manifest.bundle_id, "import",
                                   new={"device": manifest.device_id, **result.as_dict()})  # fmt: skip
    except _DryRun:
        return ImportOutcome(path, True, manifest=manifest, result=result, already_imported=already,
                             dry_run=True, source_name=name)  # fmt: skip
    except Exception as exc:
        if created and archived is not None and group is not None:
            group.discard(archived)  # rolled back to its savepoint: its copy is never put in place
        elif created and archived is not None:
            with contextlib.suppress(OSError):
                archived.unlink()  # the transaction was rolled back: no copy of a refused file stays
        if isinstance(exc, UserError):
            reason = exc.message
        elif isinstance(exc, (sqlite3.Error, OSError)):
            reason = _("It could not be stored here: {detail}.").format(detail=exc)
        else:
            log.exception("unexpected error importing %r", name)
            reason = _(
                "It could not be imported because of an unexpected problem; details were written to the log."
            )
        return ImportOutcome(path, False, reason=reason, manifest=manifest, source_name=name)
    return ImportOutcome(path, True, manifest=manifest, result=result, already_imported=already,
                         archive_path=archived, source_name=name)  # fmt: skip


def _pin_device(conn: sqlite3.Connection, opened: OpenedBundle) -> None:
    """Record the approved key's first imported bundle (kept for `bundle verify` and history)."""
    manifest = opened.manifest
    conn.execute(
        "INSERT OR IGNORE INTO bundle_devices (device_id, public_key, fingerprint, first_bundle, first_created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (
            manifest.device_id,
            manifest.device_key,
            opened.device_fingerprint,
            manifest.bundle_id,
            manifest.created_at,
        ),
    )
