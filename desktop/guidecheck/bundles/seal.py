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


def sha256_hex(data: bytes | memoryview) -> str:
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


def decompress(data: bytes | memoryview, limit: int) -> bytes:
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


class _BoundedInflater:
    """A writer for age's streaming decryption that un-gzips as it goes, up to a limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.inflater = zlib.decompressobj(wbits=31)
        self.out = bytearray()
        self.problem = ""

    def write(self, chunk: bytes) -> int:
        if self.problem:
            raise ValueError(self.problem)
        try:
            piece = self.inflater.decompress(chunk, self.limit + 1 - len(self.out))
        except zlib.error as exc:
            self.problem = "damaged"
            raise ValueError(self.problem) from exc
        self.out += piece
        if len(self.out) > self.limit or self.inflater.unconsumed_tail:
            self.problem = "too large"
            raise ValueError(self.problem)
        return len(chunk)

    def flush(self) -> None:
        return None


class _ViewReader(io.RawIOBase):
    """Read a memoryview without copying it whole (age reads the ciphertext in chunks)."""

    def __init__(self, view: memoryview) -> None:
        self.view = view
        self.pos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = min(len(buffer), len(self.view) - self.pos)
        buffer[:n] = self.view[self.pos : self.pos + n]
        self.pos += n
        return n


def decrypt_inflate(data: bytes | memoryview, identity: Any, limit: int) -> bytearray:
    """Decrypt an age payload and un-gzip it in one stream: neither the ciphertext copy nor the
    whole gzip text is ever held, and inflation stops at `limit` bytes."""
    import pyrage

    sink = _BoundedInflater(limit)
    try:
        pyrage.decrypt_io(_ViewReader(memoryview(data)), sink, [identity])
    except pyrage.DecryptError as exc:
        raise BundleRefused(
            _(
                "The bundle cannot be decrypted with this district's key: it was written for another district."
            )
        ) from exc
    except Exception as exc:
        if sink.problem == "too large":
            raise BundleRefused(_("The bundle's contents are larger than allowed.")) from exc
        if sink.problem:
            raise BundleRefused(_("The bundle's contents are damaged.")) from exc
        raise BundleRefused(
            _("The bundle cannot be decrypted with this district's key: it is damaged.")
        ) from exc
    if not sink.inflater.eof or sink.inflater.unused_data:
        raise BundleRefused(_("The bundle's contents are damaged."))
    return sink.out


def encrypt(data: bytes, recipients: list[str]) -> bytes:
    import pyrage

    parsed = [pyrage.x25519.Recipient.from_str(r) for r in recipients]
    return bytes(pyrage.encrypt(data, parsed))


def decrypt(data: bytes | memoryview, identity: Any) -> bytes:
    import pyrage

    try:
        return bytes(pyrage.decrypt(bytes(data), [identity]))
    except pyrage.DecryptError as exc:
        raise BundleRefused(
            _(
                "The bundle cannot be decrypted with this district's key: it was written for another district."
            )
        ) from exc
