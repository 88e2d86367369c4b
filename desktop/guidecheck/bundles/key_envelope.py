"""A passphrase envelope for one small secret (a key seed): scrypt, then ChaCha20-Poly1305.

Why our own and not age's passphrase mode or PKCS#8 encryption: PKCS#8's "best available"
encryption derives its key with only 2048 rounds of PBKDF2 (cheap to guess), and age picks its
scrypt cost on the machine that encrypts (about half a gigabyte of memory), too heavy for the 2 and
4 GB laptops of the clinics. Here the cost is fixed (scrypt n=2**17, r=8, p=1: 128 MiB and well under
a second) and written in the file, so a file can be read on the laptop that wrote it.

The cost comes from the file, so a forged file could ask for gigabytes and minutes: costs above
`MAX_LOG_N` (or r, p out of range) are refused before anything is derived. The associated data
binds the key's kind, id and public half, so a sealed secret moved under another key's header
does not open.
"""

from __future__ import annotations

import base64
import os
import secrets
import unicodedata
from dataclasses import dataclass

from guidecheck.errors import UserError
from guidecheck.i18n import _

LOG_N = 17  # scrypt n = 2**17: 128 MiB, ~0.4 s on a desktop CPU
R = 8
P = 1
MAX_LOG_N = 18  # 256 MiB: the most a key file may ask of a 2 GB laptop
MIN_LOG_N = 10  # the floor of the test-only cost below; files are never written cheaper
MAX_R = 8
MAX_P = 2
SALT_BYTES = 16
NONCE_BYTES = 12
MAX_SECRET_BYTES = 512

# Test suites make hundreds of keys; this variable lowers the cost of keys written by this process
# (MIN_LOG_N..LOG_N). It is for tests only: a normal install never sets it and writes LOG_N.
TEST_COST_VARIABLE = "GUIDECHECK_TEST_KDF_LOG_N"


class EnvelopeError(UserError):
    """A sealed secret that cannot be opened: damaged, forged or too costly (not a wrong passphrase)."""


class WrongPassphrase(Exception):
    """The passphrase did not open the envelope (or the file was altered after sealing)."""


@dataclass(frozen=True)
class Sealed:
    """What a key file records for a passphrase-protected secret."""

    log_n: int
    r: int
    p: int
    salt: bytes
    nonce: bytes
    ciphertext: bytes

    def cost_text(self) -> str:
        return f"scrypt {self.log_n} {self.r} {self.p}"

    def fields(self) -> dict[str, str]:
        return {
            "kdf": self.cost_text(),
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "sealed": _b64(self.ciphertext),
        }


def write_cost() -> int:
    """The scrypt cost (log2 n) of envelopes this process writes: LOG_N unless a test lowered it."""
    text = os.environ.get(TEST_COST_VARIABLE, "").strip()
    if text.isdigit() and MIN_LOG_N <= int(text) <= LOG_N:
        return int(text)
    return LOG_N


def seal(secret: bytes, passphrase: str, associated: bytes, log_n: int | None = None) -> Sealed:
    """Encrypt `secret` under a key derived from `passphrase`; `associated` is bound, not stored."""
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    cost = write_cost() if log_n is None else log_n
    check_cost(cost, R, P)
    salt = secrets.token_bytes(SALT_BYTES)
    nonce = secrets.token_bytes(NONCE_BYTES)
    key = _derive(passphrase, salt, cost, R, P)
    return Sealed(cost, R, P, salt, nonce, ChaCha20Poly1305(key).encrypt(nonce, secret, associated))


def open_sealed(sealed: Sealed, passphrase: str, associated: bytes) -> bytes:
    """The secret, or WrongPassphrase; the cost is checked before any work is done."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    check_cost(sealed.log_n, sealed.r, sealed.p)
    key = _derive(passphrase, sealed.salt, sealed.log_n, sealed.r, sealed.p)
    try:
        return ChaCha20Poly1305(key).decrypt(sealed.nonce, sealed.ciphertext, associated)
    except InvalidTag as exc:
        raise WrongPassphrase from exc


def parse_sealed(fields: dict[str, str]) -> Sealed:
    """The envelope from a key file's fields; refuses a missing, malformed or too costly one."""
    parts = fields.get("kdf", "").split()
    if len(parts) != 4 or parts[0] != "scrypt" or not all(p.isdigit() for p in parts[1:]):
        raise EnvelopeError(_("The key file's protection is damaged; restore it from a backup."))
    log_n, r, p = (int(x) for x in parts[1:])
    check_cost(log_n, r, p)
    try:
        salt = _unb64(fields.get("salt", ""))
        nonce = _unb64(fields.get("nonce", ""))
        ciphertext = _unb64(fields.get("sealed", ""))
    except ValueError as exc:
        raise EnvelopeError(
            _("The key file's protection is damaged; restore it from a backup.")
        ) from exc
    if (
        len(salt) != SALT_BYTES
        or len(nonce) != NONCE_BYTES
        or not 16 < len(ciphertext) <= MAX_SECRET_BYTES + 16
    ):
        raise EnvelopeError(_("The key file's protection is damaged; restore it from a backup."))
    return Sealed(log_n, r, p, salt, nonce, ciphertext)


def check_cost(log_n: int, r: int, p: int) -> None:
    """Refuse a cost that could exhaust a laptop's memory or time (a forged file's)."""
    if not (MIN_LOG_N <= log_n <= MAX_LOG_N and 1 <= r <= MAX_R and 1 <= p <= MAX_P):
        raise EnvelopeError(
            _(
                "The key file asks for an unreasonable unlocking cost; it was not made by GuideCheck and was not used."
            )
        )


def _derive(passphrase: str, salt: bytes, log_n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    # NFC: the same word typed on two keyboards (é as one or two code points) gives the same key.
    data = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return Scrypt(salt=salt, length=32, n=2**log_n, r=r, p=p).derive(data)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
