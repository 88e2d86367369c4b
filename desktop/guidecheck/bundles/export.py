"""Write a bundle for the district: collect, compress, encrypt, sign, write safely, read back, record.

Export never changes the clinic's records; it only adds a row to `bundle_exports` (and one audit
entry) after the file was written, synced, renamed and verified by reading it back.
"""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from guidecheck import __version__
from guidecheck.atomic import write_atomic
from guidecheck.bundles import container, keys, ledger, seal
from guidecheck.bundles.errors import BundleRefused
from guidecheck.bundles.manifest import AuditHead, Manifest
from guidecheck.bundles.payload import collect
from guidecheck.bundles.verify import open_bundle
from guidecheck.fileops import safe_file_name
from guidecheck.i18n import _

if TYPE_CHECKING:
    from guidecheck.storage.store import Store

Progress = Callable[[int, str], None]  # percent, what is happening


@dataclass(frozen=True)
class ExportResult:
    path: Path
    manifest: Manifest
    encrypted: bool
    warning: str = ""  # set when no district key is installed (signed only)


def bundle_file_name(facility: str, created_at: str, bundle_id: str) -> str:
    """guidecheck-<facility code>-<yyyymmdd-hhmm>-<short id>.gcbundle, safe on every file system."""
    code = re.sub(r"[^A-Za-z0-9_-]+", "_", facility).strip("_")[:40] or "none"
    stamp = (
        created_at[0:4]
        + created_at[5:7]
        + created_at[8:10]
        + "-"
        + created_at[11:13]
        + created_at[14:16]
    )
    return safe_file_name(f"guidecheck-{code}-{stamp}-{bundle_id[:8]}{container.SUFFIX}")


def export_bundle(home: Path, store: Store, out_dir: Path, full: bool = False, actor: str = "",
                  progress: Progress | None = None) -> ExportResult:  # fmt: skip
    """Write one bundle into `out_dir` and return where; raises UserError with one sentence on failure."""
    from guidecheck.storage.store import now_iso

    report = progress or (lambda _percent, _text: None)
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise BundleRefused(_("The folder {path} does not exist.").format(path=out_dir))
    report(5, _("Reading records"))
    device = keys.device_key(home)
    districts = keys.installed_district_keys(home)
    conn = store.conn
    previous = None if full else ledger.last_export(conn)
    since, audit_after = (None, 0) if previous is None else previous
    created_at = now_iso()
    with store.atomic():  # one consistent snapshot of the records
        payload = collect(conn, since, audit_after, store.device_id)
        if not payload.facility_codes():
            # Nothing changed: the bundle still names this clinic's facilities (with their
            # records, as the manifest's list must equal the payload's): it is an enrolment request.
            payload = replace(payload, facilities=_all_facilities(conn))
        head = audit_head(conn, audit_after)
        audit_to = head.seq
    report(30, _("Packing and encrypting"))
    stored = seal.compress(payload.to_json())
    if len(stored) > container.MAX_PAYLOAD_JSON:
        raise BundleRefused(
            _(
                "There are too many records for one bundle; export again after the district imported this one."
            )
        )
    if districts:
        stored = seal.encrypt(stored, [d.recipient for d in districts])
    bundle_id = uuid.uuid4().hex
    codes = sorted(payload.facility_codes())
    manifest = Manifest(
        bundle_id=bundle_id, device_id=store.device_id, device_key=device.public_hex, created_at=created_at,
        app_version=__version__, facility_codes=tuple(codes), counts=payload.counts(),
        payload_name=container.PAYLOAD_ENCRYPTED if districts else container.PAYLOAD_PLAIN,
        payload_sha256=seal.sha256_hex(stored), payload_size=len(stored),
        encrypted_to=tuple(d.fingerprint for d in districts), scope="incremental" if since else "full", since=since,
        audit_head=head,
    )  # fmt: skip
    raw_manifest = manifest.to_bytes()
    data = container.pack(
        container.Container(
            raw_manifest, seal.sign(device.private, raw_manifest), manifest.payload_name, stored
        )
    )
    facility = codes[0] if len(codes) == 1 else ("multi" if codes else "none")
    target = out_dir / bundle_file_name(facility, created_at, bundle_id)
    report(60, _("Writing {name}").format(name=target.name))
    try:
        write_atomic(target, data)
    except OSError as exc:
        raise BundleRefused(
            _("The bundle could not be written to {path}: {reason}.").format(
                path=out_dir, reason=exc.strerror or exc
            )
        ) from exc
    report(85, _("Checking the written file"))
    _read_back(target, data, home)
    with store.atomic():
        conn.execute(
            "INSERT INTO bundle_exports (bundle_id, sha256, created_at, path, scope, since, audit_to_seq, counts_json, encrypted_to)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (bundle_id, seal.sha256_hex(data), created_at, str(target), manifest.scope, since, audit_to,
             json.dumps(manifest.counts, sort_keys=True), ",".join(manifest.encrypted_to)),
        )  # fmt: skip
        store.record_audit(
            actor,
            "bundle",
            bundle_id,
            "export",
            new={"path": str(target), "counts": manifest.counts},
        )
    report(100, _("Done"))
    warning = (
        ""
        if districts
        else _(
            "No district key is installed: the bundle is signed but NOT encrypted; anyone with the file can read it."
        )
    )
    return ExportResult(path=target, manifest=manifest, encrypted=bool(districts), warning=warning)


def audit_head(conn: sqlite3.Connection, after: int) -> AuditHead:
    """The log's head now, and the entry the bundle's entries follow (`after`, 0 = the start).

    Read from the audit table itself, not from `meta.audit_head`: what the bundle carries is what
    the head vouches for. A log rewritten since the last export gives a different `after_hash`
    than the hub received then, and the hub flags it.
    """
    from guidecheck.storage.audit import GENESIS

    last = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    count = int(conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0])
    row = conn.execute("SELECT hash FROM audit WHERE seq = ?", (after,)).fetchone()
    after_hash = GENESIS if after == 0 or row is None else str(row[0])
    seq, digest = (int(last[0]), str(last[1])) if last else (0, GENESIS)
    if seq < after:  # the newest entries were deleted since the last export
        seq, digest = after, after_hash
    return AuditHead(after_seq=after, after_hash=_hex64(after_hash), seq=seq, hash=_hex64(digest),
                     count=count)  # fmt: skip


def _hex64(text: str) -> str:
    """A stored hash as the manifest may carry it: a value edited into something else is sent as
    its own SHA-256 (it then fails the hub's check, as it should, instead of stopping the export)."""
    if re.fullmatch(r"[0-9a-f]{64}", text):
        return text
    return seal.sha256_hex(text.encode("utf-8", "surrogateescape"))


def _all_facilities(conn: sqlite3.Connection) -> list[dict[str, object]]:
    from guidecheck.bundles.payload import COLUMNS

    columns = list(COLUMNS["facilities"])
    rows = conn.execute(f"SELECT {', '.join(columns)} FROM facilities ORDER BY code")
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _read_back(target: Path, expected: bytes, home: Path) -> None:
    """Read the file back from the drive and check it, so a bad stick is found now, not at the district."""
    try:
        written = container.read_bundle_file(target)
        if written != expected:
            raise BundleRefused(
                _(
                    "The bundle written to {path} reads back differently; the drive may be faulty."
                ).format(path=target)
            )
        open_bundle(written, home, None, require_payload=False)
    except BundleRefused:
        target.unlink(missing_ok=True)
        raise
