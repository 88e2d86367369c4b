"""Open a bundle and check everything before the database is touched.

Order: container shape and sizes, manifest, Ed25519 signature over the manifest, stored payload
hash, the device key pinned for this device id, district addressing, decryption, bounded
decompression, payload shape and counts. The first failure refuses the file with one sentence.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidecheck.bundles import container, seal
from guidecheck.bundles.errors import BundleRefused
from guidecheck.bundles.key_protection import KeyLocked
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
    data: bytes  # the file's bytes (empty when opened by `open_bundle_file`: use `reread`)
    device_fingerprint: str

    @property
    def encrypted(self) -> bool:
        return bool(self.manifest.encrypted_to)


def open_bundle(
    data: bytes,
    home: Path,
    conn: sqlite3.Connection | None,
    require_payload: bool = True,
    for_hub: bool = False,
) -> OpenedBundle:
    """Check a bundle's bytes (kept in the result). `require_payload` decrypts and checks its
    records (or refuses); `for_hub` also refuses a bundle not encrypted to this hub."""
    return _open([data], home, require_payload, keep_data=True, for_hub=for_hub)


def open_bundle_file(path: Path, home: Path, require_payload: bool = True) -> OpenedBundle:
    """Like `open_bundle` for a file being imported at a hub (so it must be encrypted to it), but
    the file's bytes are freed as soon as the payload is out: a large bundle is never in memory
    twice; `reread` gets them back, checked by hash."""
    return _open(
        [container.read_bundle_file(path)], home, require_payload, keep_data=False, for_hub=True
    )


def reread(path: Path, sha256: str) -> bytes:
    """The file's bytes again, refused unless they are exactly the ones verified."""
    data = container.read_bundle_file(path)
    if seal.sha256_hex(data) != sha256:
        raise BundleRefused(_("The file changed while it was being imported; import it again."))
    return data


def _open(
    holder: list[bytes], home: Path, require_payload: bool, keep_data: bool, for_hub: bool
) -> OpenedBundle:
    data = holder.pop()
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
    if for_hub and not box.encrypted:
        raise BundleRefused(
            _(
                "The bundle is not encrypted to this district: the clinic must install the district key and export again."
            )
        )
    file_sha = seal.sha256_hex(data)
    raw: bytearray | bytes | None = None
    if box.encrypted:
        identity = _identity(manifest, home, require_payload)
        if identity is not None:
            raw = seal.decrypt_inflate(box.payload, identity, container.MAX_PAYLOAD_JSON)
    else:
        raw = seal.decompress(box.payload, container.MAX_PAYLOAD_JSON)
    kept = data if keep_data else b""
    del box, data  # free the file's bytes before the records are built
    payload = None
    if raw is not None:
        payload = parse_payload(raw, manifest.counts, consume=True, bundle_format=manifest.format)
        del raw
        if payload.counts() != manifest.counts:
            raise BundleRefused(_("The bundle's records do not match the counts in its manifest."))
        codes = manifest.facility_codes
        if set(codes) != payload.facility_codes() or len(set(codes)) != len(codes):
            raise BundleRefused(
                _(
                    "The bundle's manifest lists other facilities than the records inside it: it was altered."
                )
            )
    return OpenedBundle(
        manifest=manifest,
        payload=payload,
        sha256=file_sha,
        data=kept,
        device_fingerprint=fingerprint(device_public),
    )


def _identity(manifest: Manifest, home: Path, required: bool) -> Any | None:
    """This hub's age identity when the bundle is addressed to it; None (or a refusal) otherwise."""
    try:
        hub = district_identity(home)
    except KeyLocked as exc:  # a refusal, so a batch import goes on to report every file
        raise BundleRefused(exc.message) from None
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
    return identity
