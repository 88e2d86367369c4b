"""Import bundle files into the hub: verify, apply in one transaction, archive, record.

`import_file` never raises for a bad bundle: it returns an outcome saying "refused" and why, so a
batch of files is reported one line each. The database is unchanged by a refused or dry-run file.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidecheck.bundles import container, ledger
from guidecheck.bundles.apply import ApplyResult, apply_payload
from guidecheck.bundles.archive import archive_bundle
from guidecheck.bundles.errors import BundleRefused
from guidecheck.bundles.manifest import Manifest
from guidecheck.bundles.verify import OpenedBundle, open_bundle
from guidecheck.errors import UserError
from guidecheck.i18n import _

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportOutcome:
    path: Path
    imported: bool
    reason: str = ""  # why it was refused
    manifest: Manifest | None = None
    result: ApplyResult | None = None
    already_imported: bool = False
    archive_path: Path | None = None
    dry_run: bool = False

    def summary(self) -> str:
        """One line for the CLI and the import dialog."""
        if not self.imported:
            return _("{name}: refused: {reason}").format(name=self.path.name, reason=self.reason)
        r = self.result or ApplyResult()
        text = _(
            "{name}: {new} new, {updated} updated, {unchanged} unchanged, {conflicts} conflicts"
        ).format(
            name=self.path.name,
            new=r.new,
            updated=r.updated,
            unchanged=r.unchanged,
            conflicts=r.conflicts,
        )
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
        opened = open_bundle(container.read_bundle_file(path), home, store.conn)
    except BundleRefused as exc:
        return None, exc.message, False
    return opened, "", ledger.imported_at(store.conn, opened.manifest.bundle_id) is not None


def import_file(
    home: Path, store: Any, path: Path, dry_run: bool = False, actor: str = ""
) -> ImportOutcome:
    """Verify and apply one bundle file; the outcome says what happened, in one line."""
    from guidecheck.storage.store import now_iso

    path = Path(path)
    try:
        opened = open_bundle(container.read_bundle_file(path), home, store.conn)
    except BundleRefused as exc:
        return ImportOutcome(path=path, imported=False, reason=exc.message)
    manifest = opened.manifest
    assert opened.payload is not None  # open_bundle(require_payload=True) decrypted it or refused
    already = ledger.imported_at(store.conn, manifest.bundle_id) is not None
    archived: Path | None = None
    try:
        with store.atomic():
            result = apply_payload(store, manifest, opened.payload)
            if dry_run:
                raise _DryRun
            _pin_device(store.conn, opened)
            archived = archive_bundle(home, path.name, opened.data, opened.sha256)
            store.conn.execute(
                "INSERT OR IGNORE INTO bundle_imports (bundle_id, sha256, device_id, created_at, imported_at,"
                " source_name, archive_path, result_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (manifest.bundle_id, opened.sha256, manifest.device_id, manifest.created_at, now_iso(), path.name,
                 str(archived), json.dumps(result.as_dict(), sort_keys=True)),
            )  # fmt: skip
            if result.changed or not already:
                store.record_audit(actor, "bundle", manifest.bundle_id, "import",
                                   new={"device": manifest.device_id, **result.as_dict()})  # fmt: skip
    except _DryRun:
        return ImportOutcome(
            path, True, manifest=manifest, result=result, already_imported=already, dry_run=True
        )
    except UserError as exc:
        return ImportOutcome(path=path, imported=False, reason=exc.message, manifest=manifest)
    except (sqlite3.Error, OSError) as exc:
        reason = _("It could not be stored here: {detail}.").format(detail=exc)
        return ImportOutcome(path=path, imported=False, reason=reason, manifest=manifest)
    except Exception:
        log.exception("unexpected error importing %s", path)
        reason = _(
            "It could not be imported because of an unexpected problem; details were written to the log."
        )
        return ImportOutcome(path=path, imported=False, reason=reason, manifest=manifest)
    return ImportOutcome(
        path,
        True,
        manifest=manifest,
        result=result,
        already_imported=already,
        archive_path=archived,
    )


def _pin_device(conn: sqlite3.Connection, opened: OpenedBundle) -> None:
    """Trust on first use: remember which key this device id signs with."""
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
