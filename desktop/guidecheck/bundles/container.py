"""The `.gcbundle` container: a tiny length-prefixed file, bound-checked before anything is parsed.

Layout (big-endian, see docs/bundle-format.md):
    b"GCBUNDLE" | u16 format version | u8 member count (3) |
    3 x ( u8 name length | ASCII name | u32 data length | data )
Members, in this order: manifest.json (<= 64 KiB), manifest.sig (64 bytes), then payload.age
(age-encrypted gzip JSON) or payload.json.gz (signed only). Nothing may follow the last member.
Every byte is either checked exactly here or covered by the Ed25519 signature / payload hash, so
a single flipped or missing byte is always refused.
"""

from __future__ import annotations

import os
import stat
import struct
from dataclasses import dataclass
from pathlib import Path

from guidecheck import limits
from guidecheck.bundles.errors import BundleRefused
from guidecheck.i18n import _
from guidecheck.safetext import for_terminal

MAGIC = b"GCBUNDLE"
FORMAT_VERSION = 3  # 2: monitoring records in the payload; 3: the signed audit head (manifest.py)
OLDEST_FORMAT = 1  # older bundles are still read: a newer hub takes what older clinics write
SUFFIX = ".gcbundle"
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
PAYLOAD_ENCRYPTED = "payload.age"
PAYLOAD_PLAIN = "payload.json.gz"
MAX_MANIFEST = limits.BUNDLE_MANIFEST_BYTES
SIGNATURE_SIZE = 64
MAX_PAYLOAD_JSON = limits.BUNDLE_PAYLOAD_JSON_BYTES
# The stored payload is gzip (never larger than its JSON plus a few headers) plus age's overhead.
MAX_PAYLOAD_STORED = MAX_PAYLOAD_JSON + 1024 * 1024
_HEADER = struct.Struct(">8sHB")
_LENGTH = struct.Struct(">I")
MAX_FILE = (
    _HEADER.size + 3 * (1 + 32 + _LENGTH.size) + MAX_MANIFEST + SIGNATURE_SIZE + MAX_PAYLOAD_STORED
)


@dataclass(frozen=True)
class Container:
    """The three members of a bundle, still unverified."""

    manifest: bytes
    signature: bytes
    payload_name: str
    payload: bytes | memoryview
    format: int = FORMAT_VERSION

    @property
    def encrypted(self) -> bool:
        return self.payload_name == PAYLOAD_ENCRYPTED


def pack(container: Container) -> bytes:
    """The bytes of a bundle file."""
    members: list[tuple[str, bytes | memoryview]] = [
        (MANIFEST_NAME, container.manifest),
        (SIGNATURE_NAME, container.signature),
        (container.payload_name, container.payload),
    ]
    parts: list[bytes | memoryview] = [_HEADER.pack(MAGIC, container.format, len(members))]
    for name, data in members:
        raw = name.encode("ascii")
        parts += [bytes([len(raw)]), raw, _LENGTH.pack(len(data)), data]
    return b"".join(parts)


def unpack(data: bytes) -> Container:
    """Split a bundle into its members, refusing anything not exactly in the documented shape."""
    if len(data) > MAX_FILE:
        raise BundleRefused(_("The file is too large to be a GuideCheck bundle."))
    if len(data) < _HEADER.size or data[: len(MAGIC)] != MAGIC:
        raise BundleRefused(_("The file is not a GuideCheck bundle."))
    _magic, version, count = _HEADER.unpack_from(data, 0)
    check_format(version)
    if count != 3:
        raise BundleRefused(_("The bundle does not have exactly the three expected parts."))
    offset = _HEADER.size
    view = memoryview(data)
    expected = [
        ((MANIFEST_NAME,), MAX_MANIFEST),
        ((SIGNATURE_NAME,), SIGNATURE_SIZE),
        ((PAYLOAD_ENCRYPTED, PAYLOAD_PLAIN), MAX_PAYLOAD_STORED),
    ]
    members: list[tuple[str, bytes | memoryview]] = []
    for allowed, limit in expected:
        name, offset = _read_name(data, offset)
        if name not in allowed:
            raise BundleRefused(
                _("The bundle holds an unexpected part named {name!r}.").format(name=name)
            )
        if offset + _LENGTH.size > len(data):
            raise BundleRefused(_("The bundle is incomplete: the copy was probably interrupted."))
        (length,) = _LENGTH.unpack_from(data, offset)
        offset += _LENGTH.size
        if length > limit:
            raise BundleRefused(
                _("The part {name!r} of the bundle is larger than allowed.").format(name=name)
            )
        if offset + length > len(data):
            raise BundleRefused(_("The bundle is incomplete: the copy was probably interrupted."))
        # The payload stays a view into the file's bytes: a large bundle is not held twice.
        part: bytes | memoryview = (
            view[offset : offset + length] if len(members) == 2 else data[offset : offset + length]
        )
        members.append((name, part))
        offset += length
    if offset != len(data):
        raise BundleRefused(_("The bundle has unexpected bytes after its last part."))
    (_m, manifest), (_s, signature), (payload_name, payload) = members
    if len(signature) != SIGNATURE_SIZE:
        raise BundleRefused(_("The bundle's signature has the wrong length."))
    return Container(
        manifest=bytes(manifest),
        signature=bytes(signature),
        payload_name=payload_name,
        payload=payload,
        format=version,
    )


def check_format(version: int) -> None:
    """Refuse a format this GuideCheck cannot read, naming it and the formats it can."""
    if not OLDEST_FORMAT <= version <= FORMAT_VERSION:
        raise BundleRefused(
            _(
                "The bundle uses format version {version}, but this version of GuideCheck reads formats {oldest} to {newest}; a newer GuideCheck is needed to import it."
            ).format(version=version, oldest=OLDEST_FORMAT, newest=FORMAT_VERSION)
        )


def _read_name(data: bytes, offset: int) -> tuple[str, int]:
    if offset >= len(data):
        raise BundleRefused(_("The bundle is incomplete: the copy was probably interrupted."))
    size = data[offset]
    raw = data[offset + 1 : offset + 1 + size]
    if len(raw) != size:
        raise BundleRefused(_("The bundle is incomplete: the copy was probably interrupted."))
    # Names are compared with a fixed list, never used as paths; decode only for the message.
    return raw.decode("ascii", errors="replace"), offset + 1 + size


def read_bundle_file(path: Path) -> bytes:
    """Read a bundle file, refusing one too large before reading it into memory.

    Only a regular file is read: a FIFO, device or socket is refused from its type, and the file
    is opened non-blocking and checked again, so a name swapped for a FIFO cannot stall a batch.
    """
    path = Path(path)
    shown = for_terminal(str(path))
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            if path.is_dir():
                raise BundleRefused(_("{path} is a folder, not a bundle file.").format(path=shown))
            raise BundleRefused(_("{path} is not a regular file.").format(path=shown))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise BundleRefused(_("{path} is not a regular file.").format(path=shown))
            if info.st_size > MAX_FILE:
                raise BundleRefused(_("The file is too large to be a GuideCheck bundle."))
            data = handle.read(MAX_FILE + 1)
    except IsADirectoryError as exc:
        raise BundleRefused(_("{path} is a folder, not a bundle file.").format(path=shown)) from exc
    except FileNotFoundError as exc:
        raise BundleRefused(_("{path} does not exist.").format(path=shown)) from exc
    except OSError as exc:
        raise BundleRefused(
            _("{path} cannot be read: {reason}.").format(path=shown, reason=exc.strerror or exc)
        ) from exc
    if len(data) > MAX_FILE:
        raise BundleRefused(_("The file is too large to be a GuideCheck bundle."))
    return data
