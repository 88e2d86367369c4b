"""Signing, encryption and compression for bundles, each a thin call into a well-kept library.

Ed25519 (`cryptography`) signs the manifest bytes, which carry the stored payload's SHA-256;
age X25519 (`pyrage`) encrypts the gzip'd payload to one or more district keys. Nothing here is
home-made cryptography: this module only fixes the inputs and turns failures into refusals.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import zlib
from typing import TYPE_CHECKING, Any

from guidecheck.bundles.errors import BundleRefused
from guidecheck.i18n import _

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

# Domain separation: a GuideCheck manifest signature can never be replayed as another message.
SIGNATURE_CONTEXT = b"guidecheck-bundle-manifest-v1\n"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sign(private_key: Ed25519PrivateKey, manifest: bytes) -> bytes:
    return bytes(private_key.sign(SIGNATURE_CONTEXT + manifest))


def verify_signature(public_key: bytes, manifest: bytes, signature: bytes) -> None:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            signature, SIGNATURE_CONTEXT + manifest
        )
    except (InvalidSignature, ValueError) as exc:
        raise BundleRefused(
            _("The bundle's signature is not valid: it was damaged or altered.")
        ) from exc


def compress(data: bytes) -> bytes:
    """gzip with a fixed timestamp, so the same records always give the same bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, compresslevel=6) as handle:
        handle.write(data)
    return buffer.getvalue()


def decompress(data: bytes, limit: int) -> bytes:
    """Un-gzip at most `limit` bytes: a zip bomb is refused after `limit` bytes, not after memory runs out."""
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise BundleRefused(_("The bundle's contents are damaged.")) from exc
    if len(out) > limit:
        raise BundleRefused(_("The bundle's contents are larger than allowed."))
    if not inflater.eof or inflater.unused_data or inflater.unconsumed_tail:
        raise BundleRefused(_("The bundle's contents are damaged."))
    return out


def encrypt(data: bytes, recipients: list[str]) -> bytes:
    import pyrage

    parsed = [pyrage.x25519.Recipient.from_str(r) for r in recipients]
    return bytes(pyrage.encrypt(data, parsed))


def decrypt(data: bytes, identity: Any) -> bytes:
    import pyrage

    try:
        return bytes(pyrage.decrypt(data, [identity]))
    except pyrage.DecryptError as exc:
        raise BundleRefused(
            _(
                "The bundle cannot be decrypted with this district's key: it was written for another district."
            )
        ) from exc
