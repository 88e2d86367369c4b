"""Open a bundle and check everything before the database is touched.

Order: container shape and sizes, manifest, Ed25519 signature over the manifest, stored payload
hash, the device key pinned for this device id, district addressing, decryption, bounded
decompression, payload shape and counts. The first failure refuses the file with one sentence.
Last, the clinic's audit entries are held to the audit head signed in the manifest
(`audit_chain`): a broken chain is reported in the result, not refused (the hub marks it).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidecheck.bundles import container, seal
from guidecheck.bundles.audit_chain import chain_problem, in_order
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
    # Where the clinic's audit entries stop leading to the head signed in the manifest (one
    # sentence), or None when they lead there. Only meaningful with a payload and a signed head
    # (`chain_checked`); a broken chain is shown and marked at the hub, never a refusal.
    chain_problem: str | None = None
    chain_checked: bool = False

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


NO_KEY = object()  # `hub_key` not given: `_identity` reads the district key itself


def open_bundle_file(
    path: Path,
    home: Path,
    require_payload: bool = True,
    hub_key: Any = NO_KEY,
    keep_data: bool = False,
) -> OpenedBundle:
    """Like `open_bundle` for a file being imported at a hub (so it must be encrypted to it).

    `hub_key`: `keys.district_identity(home)` read once by a command importing many files (the
    key file is then read and parsed once, not once per bundle). Without `keep_data` the file's
    bytes are freed as soon as the payload is out and `reread` gets them back, checked by hash;
    with it they stay in the result (a batch import writes its archive copy from them: the file
    is read once, and its bytes are at most a few MB beside the records built from them)."""
    return _open(
        [container.read_bundle_file(path)],
        home,
        require_payload,
        keep_data=keep_data,
        for_hub=True,
        hub_key=hub_key,
    )


def reread(path: Path, sha256: str) -> bytes:
    """The file's bytes again, refused unless they are exactly the ones verified."""
    data = container.read_bundle_file(path)
    if seal.sha256_hex(data) != sha256:
        raise BundleRefused(_("The file changed while it was being imported; import it again."))
    return data


def _open(
    holder: list[bytes],
    home: Path,
    require_payload: bool,
    keep_data: bool,
    for_hub: bool,
    hub_key: Any = NO_KEY,
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
        identity = _identity(manifest, home, require_payload, hub_key)
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
    chain_checked = payload is not None and manifest.audit_head is not None
    return OpenedBundle(
        manifest=manifest,
        payload=payload,
        sha256=file_sha,
        data=kept,
        device_fingerprint=fingerprint(device_public),
        chain_problem=_chain_problem(manifest, payload) if chain_checked else None,
        chain_checked=chain_checked,
    )


def _chain_problem(manifest: Manifest, payload: Payload | None) -> str | None:
    """The audit entries against the head the device signed: checked with the signature, once."""
    assert payload is not None and manifest.audit_head is not None
    return chain_problem(in_order(payload.audit), manifest.audit_head)


def _identity(manifest: Manifest, home: Path, required: bool, hub_key: Any = NO_KEY) -> Any | None:
    """This hub's age identity when the bundle is addressed to it; None (or a refusal) otherwise."""
    try:
        hub = district_identity(home) if hub_key is NO_KEY else hub_key
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
