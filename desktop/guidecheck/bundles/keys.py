"""Device identity (Ed25519 signing key) and district keys (age X25519), kept in `home/keys/`.

Each installation signs its bundles with its own device key, made on first use. A district hub
holds the district's age identity (the secret half); clinics install the public half from a small
`.gckey` text file and encrypt their payloads to it. Key files are written 0600 where the OS allows,
and their secret halves are protected at rest (system key store or passphrase: `key_protection`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidecheck import limits
from guidecheck.atomic import write_atomic
from guidecheck.bundles import key_protection
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
    """This installation's signing key, unlocked (made on first use); see `key_protection`."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    found = key_protection.unlock(home, DEVICE)
    if found is None:
        try:
            key_protection.create(home, DEVICE, _new_device_seed())
        except FileExistsError:  # another process made it first: use theirs
            pass
        found = key_protection.unlock(home, DEVICE)
        assert found is not None
    key_file, seed = found
    return DeviceKey(
        private=Ed25519PrivateKey.from_private_bytes(seed), public=bytes.fromhex(key_file.public)
    )


def device_public_key(home: Path) -> bytes:
    """This installation's public signing key, read without unlocking (made on first use)."""
    found = key_protection.read_key_file(Path(home) / "keys" / DEVICE_KEY_FILE, DEVICE)
    if found is None:
        return device_key(home).public
    return bytes.fromhex(found.public)


def is_district_hub(home: Path) -> bool:
    """True when this installation holds a district's secret key (made by `keys district-init`)."""
    return (Path(home) / "keys" / DISTRICT_IDENTITY_FILE).exists()


def create_district_identity(home: Path, name: str = "") -> DistrictKey:
    """Make this installation a district hub: a new age identity, protected like the device key."""
    import pyrage

    if is_district_hub(home):
        raise BundleRefused(_("This installation already has a district key; it was not replaced."))
    identity = pyrage.x25519.Identity.generate()
    clean_name = _clean_name(name)
    try:
        written = key_protection.create(home, DISTRICT, str(identity).encode("ascii"), clean_name)
    except FileExistsError as exc:
        raise BundleRefused(
            _("This installation already has a district key; it was not replaced.")
        ) from exc
    return DistrictKey(recipient=written.public, name=clean_name)


def district_identity(home: Path) -> tuple[Any, DistrictKey] | None:
    """The hub's age identity, unlocked, and its public key; None on a clinic installation."""
    import pyrage

    found = key_protection.unlock(home, DISTRICT)
    if found is None:
        return None
    key_file, secret = found
    identity = pyrage.x25519.Identity.from_str(secret.decode("ascii"))
    return identity, DistrictKey(recipient=key_file.public, name=key_file.name)


def district_public(home: Path) -> DistrictKey | None:
    """The hub's public district key, read without unlocking; None on a clinic installation."""
    found = key_protection.read_key_file(Path(home) / "keys" / DISTRICT_IDENTITY_FILE, DISTRICT)
    return None if found is None else DistrictKey(recipient=found.public, name=found.name)


def key_protections(home: Path) -> dict[str, str]:
    """How each private key of this installation is kept: {"device-signing": "passphrase", ...}."""
    result = {}
    for kind in (DEVICE, DISTRICT):
        found = key_protection.protection_of(home, kind)
        if found is not None:
            result[kind.kind] = found
    return result


def unlock_keys(home: Path, device: bool = True, district: bool = True) -> None:
    """Unlock (or make) the keys a piece of work will need, before it starts: the app calls this
    on its main thread, where a passphrase dialog may be shown, then hands the work to a worker."""
    if device:
        device_key(home)
    if district and is_district_hub(home):
        district_identity(home)


def _new_device_seed() -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def _device_public(seed: bytes) -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if len(seed) != 32:
        raise ValueError("an Ed25519 seed has 32 bytes")
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key()
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def _device_plain(text: str) -> tuple[bytes, str]:
    """The seed of a device key file written by older versions (PKCS#8 PEM, unencrypted)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = serialization.load_pem_private_key(text.encode("ascii"), password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 key")
    seed = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return seed, ""


def _district_public(secret: bytes) -> str:
    import pyrage

    try:
        return str(pyrage.x25519.Identity.from_str(secret.decode("ascii")).to_public())
    except Exception as exc:  # pyrage raises its own IdentityError
        raise ValueError("not an age identity") from exc


def _district_plain(text: str) -> tuple[bytes, str]:
    """The identity and name of a district key file written by older versions (plain age)."""
    name, secret = "", ""
    for line in text.splitlines():
        if line.startswith("# name:"):
            name = _clean_name(line.split(":", 1)[1])
        elif line.strip().startswith("AGE-SECRET-KEY-"):
            secret = line.strip()
    if not secret:
        raise ValueError("no age identity")
    return secret.encode("ascii"), name


DEVICE = key_protection.KeyKind(
    kind="device-signing",
    file_name=DEVICE_KEY_FILE,
    describe=lambda: _("this computer's signing key"),
    public_of=_device_public,
    fingerprint_of=lambda public: fingerprint(bytes.fromhex(public)),
    read_plain=_device_plain,
)
DISTRICT = key_protection.KeyKind(
    kind="district-identity",
    file_name=DISTRICT_IDENTITY_FILE,
    describe=lambda: _("the district key"),
    public_of=_district_public,
    fingerprint_of=fingerprint,
    read_plain=_district_plain,
)


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
