"""Open a bundle and check everything before the database is touched.

Order: container shape and sizes, manifest, Ed25519 signature over the manifest, stored payload
hash, the device key pinned for this device id, district addressing, decryption, bounded
decompression, payload shape and counts. The first failure refuses the file with one sentence.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from guidecheck.bundles import container, ledger, seal
from guidecheck.bundles.errors import BundleRefused
from guidecheck.bundles.keys import district_identity, fingerprint
from guidecheck.bundles.manifest import Manifest, parse_manifest
from guidecheck.bundles.payload import Payload, parse_payload
from guidecheck.i18n import _


@dataclass(frozen=True)
class OpenedBundle:
    """A bundle whose signature and hash were checked; `payload` is None when it could not be
    decrypted here (a clinic checking a bundle encrypted for its district)."""

    manifest: Manifest
    payload: Payload | None
    sha256: str  # of the whole file
    data: bytes
    device_fingerprint: str

    @property
    def encrypted(self) -> bool:
        return bool(self.manifest.encrypted_to)


def open_bundle(
    data: bytes, home: Path, conn: sqlite3.Connection | None, require_payload: bool = True
) -> OpenedBundle:
    """Check a bundle's bytes; `conn` (the hub database) enables the device-key pin check."""
    box = container.unpack(data)
    manifest = parse_manifest(box.manifest)
    if manifest.format != box.format:
        raise BundleRefused(_("The bundle's manifest is not valid."))
    try:
        device_public = bytes.fromhex(manifest.device_key)
    except ValueError as exc:  # parse_manifest already checked the hex; kept for safety
        raise BundleRefused(_("The bundle's manifest is not valid.")) from exc
    seal.verify_signature(device_public, box.manifest, box.signature)
    if box.payload_name != manifest.payload_name or len(box.payload) != manifest.payload_size:
        raise BundleRefused(
            _("The bundle's contents do not match its manifest: it was damaged or altered.")
        )
    if seal.sha256_hex(box.payload) != manifest.payload_sha256:
        raise BundleRefused(
            _("The bundle's contents do not match its manifest: it was damaged or altered.")
        )
    if conn is not None:
        pinned = ledger.pinned_key(conn, manifest.device_id)
        if pinned is not None and pinned != manifest.device_key:
            raise BundleRefused(
                _(
                    "The bundle claims to come from device {device}, but it is signed with a different key than that device's earlier bundles."
                ).format(device=manifest.device_id)
            )
    payload_bytes: bytes | None = box.payload
    if box.encrypted:
        payload_bytes = _decrypt(box.payload, manifest, home, require_payload)
    payload = None
    if payload_bytes is not None:
        raw = seal.decompress(payload_bytes, container.MAX_PAYLOAD_JSON)
        payload = parse_payload(raw, manifest.format)
        if payload.counts() != manifest.counts:
            raise BundleRefused(_("The bundle's records do not match the counts in its manifest."))
    return OpenedBundle(
        manifest=manifest,
        payload=payload,
        sha256=seal.sha256_hex(data),
        data=data,
        device_fingerprint=fingerprint(device_public),
    )


def _decrypt(payload: bytes, manifest: Manifest, home: Path, required: bool) -> bytes | None:
    hub = district_identity(home)
    if hub is None:
        if required:
            raise BundleRefused(
                _(
                    "The bundle is encrypted for a district, and this installation holds no district key."
                )
            )
        return None
    identity, public = hub
    if public.fingerprint not in manifest.encrypted_to:
        if required:
            raise BundleRefused(
                _(
                    "The bundle is addressed to another district (key {keys}), not to this one ({mine})."
                ).format(keys=", ".join(manifest.encrypted_to), mine=public.fingerprint)
            )
        return None
    return seal.decrypt(payload, identity)
