"""Device identity (Ed25519 signing key) and district keys (age X25519), kept in `home/keys/`.

Each installation signs its bundles with its own device key, made on first use. A district hub
holds the district's age identity (the secret half); clinics install the public half from a small
`.gckey` text file and encrypt their payloads to it. Key files are written 0600 where the OS allows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidecheck import limits
from guidecheck.atomic import write_atomic
from guidecheck.bundles.errors import BundleRefused
from guidecheck.fileops import decode_text
from guidecheck.i18n import _
from guidecheck.paths import keys_dir

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

DEVICE_KEY_FILE = "device-signing.pem"
DISTRICT_IDENTITY_FILE = "district-identity.age"
INSTALLED_DISTRICT_FILE = "district.gckey"
KEY_FILE_HEADER = "guidecheck-district-key 1"
MAX_KEY_FILE = limits.KEY_FILE_BYTES
MAX_RECIPIENTS = 8


def fingerprint(data: bytes | str) -> str:
    """A short, readable digest of a public key: 16 hex digits in groups of four."""
    raw = data.encode("ascii") if isinstance(data, str) else data
    digest = hashlib.sha256(raw).hexdigest()[:16]
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


@dataclass(frozen=True)
class DeviceKey:
    """This installation's signing key; `public` is the raw 32-byte Ed25519 public key."""

    private: Ed25519PrivateKey  # cryptography is imported when a key is made or loaded
    public: bytes

    @property
    def public_hex(self) -> str:
        return self.public.hex()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)


@dataclass(frozen=True)
class DistrictKey:
    """A district's public encryption key (an age X25519 recipient) and its display name."""

    recipient: str
    name: str = ""

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.recipient)


def device_key(home: Path) -> DeviceKey:
    """Load this installation's signing key, creating it on first use."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = keys_dir(home) / DEVICE_KEY_FILE
    if path.exists():
        try:
            private = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (ValueError, TypeError) as exc:
            raise BundleRefused(
                _(
                    "The device signing key file {path} is damaged; restore it from a backup."
                ).format(path=path)
            ) from exc
        if not isinstance(private, Ed25519PrivateKey):
            raise BundleRefused(
                _("The device signing key file {path} is not an Ed25519 key.").format(path=path)
            )
    else:
        private = Ed25519PrivateKey.generate()
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            write_atomic(path, pem, private=True)
        except FileExistsError:  # another process made it first: use theirs
            return device_key(home)
    public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return DeviceKey(private=private, public=public)


def is_district_hub(home: Path) -> bool:
    """True when this installation holds a district's secret key (made by `keys district-init`)."""
    return (Path(home) / "keys" / DISTRICT_IDENTITY_FILE).exists()


def create_district_identity(home: Path, name: str = "") -> DistrictKey:
    """Make this installation a district hub: a new age identity, stored 0600 under keys/."""
    import pyrage

    path = keys_dir(home) / DISTRICT_IDENTITY_FILE
    if path.exists():
        raise BundleRefused(_("This installation already has a district key; it was not replaced."))
    identity = pyrage.x25519.Identity.generate()
    recipient = str(identity.to_public())
    clean_name = _clean_name(name)
    text = f"# GuideCheck district identity. SECRET: never copy this file to a clinic.\n# name: {clean_name}\n# public key: {recipient}\n{identity}\n"
    try:
        write_atomic(path, text.encode("ascii", "replace"), private=True)
    except FileExistsError as exc:
        raise BundleRefused(
            _("This installation already has a district key; it was not replaced.")
        ) from exc
    return DistrictKey(recipient=recipient, name=clean_name)


def district_identity(home: Path) -> tuple[Any, DistrictKey] | None:
    """The hub's age identity and its public key, or None on a clinic installation."""
    import pyrage

    path = Path(home) / "keys" / DISTRICT_IDENTITY_FILE
    if not path.exists():
        return None
    name = ""
    secret = None
    for line in path.read_text("ascii", errors="replace").splitlines():
        if line.startswith("# name:"):
            name = line.split(":", 1)[1].strip()
        elif line.startswith("AGE-SECRET-KEY-"):
            secret = line.strip()
    try:
        identity = pyrage.x25519.Identity.from_str(secret or "")
    except Exception as exc:  # pyrage raises its own IdentityError; the message is ours
        raise BundleRefused(
            _("The district key file {path} is damaged; restore it from a backup.").format(
                path=path
            )
        ) from exc
    return identity, DistrictKey(recipient=str(identity.to_public()), name=name)


def district_key_file_text(keys: list[DistrictKey]) -> str:
    """The `.gckey` text handed to clinics: public keys only, safe to print or e-mail."""
    lines = [
        "# GuideCheck district key: the PUBLIC part. Give this file to the clinics of the district.",
        KEY_FILE_HEADER,
    ]
    for key in keys:
        if key.name:
            lines.append(f"name: {key.name}")
        lines.append(f"recipient: {key.recipient}")
        lines.append(f"fingerprint: {key.fingerprint}")
    return "\n".join(lines) + "\n"


def write_district_key_file(keys: list[DistrictKey], out: Path, overwrite: bool = False) -> Path:
    try:
        return write_atomic(
            Path(out), district_key_file_text(keys).encode("utf-8"), overwrite=overwrite
        )
    except FileExistsError as exc:
        raise BundleRefused(
            _("{path} already exists; choose another name.").format(path=out)
        ) from exc


def parse_district_key_text(text: str, source: str) -> list[DistrictKey]:
    """Read a `.gckey` text: one or more `recipient:` lines, each optionally named and fingerprinted."""
    import pyrage

    lines = [line.strip() for line in text.splitlines()]
    body = [line for line in lines if line and not line.startswith("#")]
    if not body or body[0] != KEY_FILE_HEADER:
        raise BundleRefused(
            _("{source} is not a GuideCheck district key file.").format(source=source)
        )
    keys: list[DistrictKey] = []
    name = ""
    fingerprinted = False
    for line in body[1:]:
        field, _sep, value = line.partition(":")
        field, value = field.strip(), value.strip()
        if field == "name":
            name = _clean_name(value)
        elif field == "recipient":
            try:
                pyrage.x25519.Recipient.from_str(value)
            except Exception as exc:  # pyrage.RecipientError
                raise BundleRefused(
                    _("{source} holds a district key that is not valid.").format(source=source)
                ) from exc
            keys.append(DistrictKey(recipient=value, name=name))
            name = ""
        elif field == "fingerprint":
            fingerprinted = True
            if not keys or keys[-1].fingerprint != value:
                raise BundleRefused(
                    _("{source} is damaged: a key does not match its fingerprint.").format(
                        source=source
                    )
                )
        else:
            raise BundleRefused(
                _("{source} is not a GuideCheck district key file.").format(source=source)
            )
    if not keys:
        raise BundleRefused(_("{source} holds no district key.").format(source=source))
    if len(keys) > 1:
        # Every recipient can read every bundle: a second one slipped into a key file would let
        # its holder read all of them. A district key file names exactly one district.
        raise BundleRefused(
            _(
                "{source} holds more than one district key; a district key file names exactly one district, so it was not installed."
            ).format(source=source)
        )
    if not fingerprinted:
        raise BundleRefused(
            _("{source} has no fingerprint line; ask the district for a new key file.").format(
                source=source
            )
        )
    return keys


def read_district_key_file(path: Path) -> list[DistrictKey]:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_KEY_FILE:
            raise BundleRefused(
                _("{path} is too large to be a district key file.").format(path=path)
            )
        text = decode_text(path.read_bytes())  # Notepad may add a byte-order mark
    except UnicodeDecodeError as exc:
        raise BundleRefused(
            _("{path} is not a GuideCheck district key file.").format(path=path)
        ) from exc
    except OSError as exc:
        raise BundleRefused(
            _("{path} cannot be read: {reason}.").format(path=path, reason=exc.strerror or exc)
        ) from exc
    return parse_district_key_text(text, str(path))


def install_district_keys(home: Path, path: Path) -> list[DistrictKey]:
    """Install the district key(s) from a `.gckey` file; later exports are encrypted to them."""
    keys = read_district_key_file(path)
    write_district_key_file(keys, keys_dir(home) / INSTALLED_DISTRICT_FILE, overwrite=True)
    return keys


def installed_district_keys(home: Path) -> list[DistrictKey]:
    """The district keys bundles are encrypted to; empty when none is installed."""
    path = Path(home) / "keys" / INSTALLED_DISTRICT_FILE
    if not path.exists():
        return []
    return read_district_key_file(path)


def _clean_name(name: str) -> str:
    return " ".join("".join(ch for ch in name if ch.isprintable()).split())[:80]
