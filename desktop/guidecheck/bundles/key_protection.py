"""Private keys at rest: the key file format, its protection, and unlocking once per session.

A key file is a small versioned text file. Its public half (public key, fingerprint, district
name) is readable without unlocking, so `keys show`, the About screen, enrolment codes and the
`device` commands need no passphrase. Its secret half is either kept in the system key store
(`key_store`; the file names the entry) or sealed with a passphrase (`key_envelope`). A copy of
the file alone neither signs nor decrypts.

    # GuideCheck device signing key. Its secret half is protected: ...
    guidecheck-key 1
    kind: device-signing
    key-id: 5f0c...            (random; names the key store entry)
    public: 9a1b...            (hex Ed25519 key, or the district's age1... recipient)
    fingerprint: 1a2b-3c4d-5e6f-7a8b
    protection: passphrase     (or: keyring, with keyring-service and keyring-user)
    kdf: scrypt 17 8 1
    salt: / nonce: / sealed:   (base64)

One passphrase protects all the keys of an installation. Where it comes from: a file named by
`--passphrase-file` or `GUIDECHECK_PASSPHRASE_FILE`, else the prompt the front end installed (the
app's dialog, the terminal's getpass), else the command stops with one sentence saying how to give
it. It is asked at most once per process: the passphrase and each unlocked secret are kept in memory.

Key files written by older versions (plain PKCS#8 PEM, plain age identity) are protected on first
use and replaced in one atomic rename, so a power cut leaves either the plain or the protected
file, and the key (so the device id's enrolment code) stays the same.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from guidecheck import limits
from guidecheck.atomic import write_atomic
from guidecheck.bundles import key_envelope, key_store
from guidecheck.errors import UserError
from guidecheck.i18n import _

FORMAT_LINE = "guidecheck-key 1"
PASSPHRASE = "passphrase"
KEYRING = "keyring"
PLAIN = "plain"  # a file from an older version, protected on first use
MIN_PASSPHRASE = 8
MAX_PASSPHRASE_FILE = 4096
PASSPHRASE_FILE_VARIABLE = "GUIDECHECK_PASSPHRASE_FILE"
_FIELDS = (
    "kind", "key-id", "public", "fingerprint", "name", "protection",
    "keyring-service", "keyring-user", "kdf", "salt", "nonce", "sealed",
)  # fmt: skip

log = logging.getLogger("guidecheck.keys")


class KeyLocked(UserError):
    """A private key that cannot be unlocked now (no passphrase, a wrong one, cancelled, or a key
    store that does not hold it). Nothing was changed."""


@dataclass(frozen=True)
class KeyKind:
    """What differs between the device signing key and the district identity."""

    kind: str  # "device-signing" / "district-identity"
    file_name: str
    describe: Callable[[], str]  # plain words for prompts: "this computer's signing key"
    public_of: Callable[[bytes], str]  # the public half of a secret
    fingerprint_of: Callable[[str], str]
    read_plain: Callable[[str], tuple[bytes, str]]  # an older plain file -> (secret, name)


@dataclass(frozen=True)
class KeyFile:
    """A key file as read from disk, before unlocking."""

    path: Path
    kind: str
    key_id: str
    public: str
    name: str
    protection: str
    fields: dict[str, str] = field(default_factory=dict, repr=False)
    plain_secret: bytes | None = field(default=None, repr=False)  # older plain files only

    @property
    def fingerprint(self) -> str:
        return self.fields.get("fingerprint", "")


@dataclass(frozen=True)
class PassphraseRequest:
    """What a prompt shows: which key, whether a new passphrase is chosen, whether the last try
    was wrong."""

    what: str
    creating: bool
    wrong: bool = False
    attempt: int = 0  # wrong passphrases given so far


Prompt = Callable[[PassphraseRequest], "str | None"]  # None: the person cancelled


@dataclass
class _Settings:
    passphrase_file: Path | None = None
    prompt: Prompt | None = None
    system_store: bool = True
    fixed_passphrase: str | None = None  # throw-away keys (self-test, sample data)


_settings = _Settings()
_lock = threading.RLock()
_passphrases: dict[str, str] = {}  # resolved home -> the passphrase that unlocked its keys
_secrets: dict[tuple[str, str], bytes] = {}  # (resolved key file, public) -> unlocked secret


def configure(passphrase_file: Path | None = None, prompt: Prompt | None = None) -> None:
    """Set where passphrases come from (the CLI's `--passphrase-file`, the app's dialog)."""
    _settings.passphrase_file = Path(passphrase_file) if passphrase_file else None
    _settings.prompt = prompt


def prompt_installed() -> bool:
    """True once a front end has said how to ask for a passphrase."""
    return _settings.prompt is not None


@contextlib.contextmanager
def throwaway_keys() -> Iterator[None]:
    """Keys made inside this block live in temporary folders (the self-test, the sample hub): they
    are sealed with a random passphrase held in memory and never touch the system key store.
    Inside an outer block the outer passphrase is kept, so keys made by the inner one (the sample
    hub built for the screenshots) still unlock after it ends."""
    saved = (_settings.system_store, _settings.fixed_passphrase)
    _settings.system_store = False
    _settings.fixed_passphrase = _settings.fixed_passphrase or secrets.token_urlsafe(24)
    try:
        yield
    finally:
        _settings.system_store, _settings.fixed_passphrase = saved


def forget_session() -> None:
    """Drop every passphrase and unlocked secret held in memory (tests; the app's lock action)."""
    with _lock:
        _passphrases.clear()
        _secrets.clear()


# --- reading and writing key files ---------------------------------------------------------


def read_key_file(path: Path, kind: KeyKind) -> KeyFile | None:
    """The key file's public part (None when there is no file); nothing is unlocked."""
    path = Path(path)
    try:
        if path.stat().st_size > limits.KEY_FILE_BYTES:
            raise _damaged(path)
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as exc:
        raise _damaged(path) from exc
    lines = [line.strip() for line in text.splitlines()]
    body = [line for line in lines if line and not line.startswith("#")]
    if not body or body[0] != FORMAT_LINE:
        return _read_plain(path, text, kind)
    fields: dict[str, str] = {}
    for line in body[1:]:
        name, sep, value = line.partition(":")
        name, value = name.strip(), value.strip()
        if not sep or name not in _FIELDS or name in fields:
            raise _damaged(path)
        fields[name] = value
    protection = fields.get("protection", "")
    key_id = fields.get("key-id", "")
    public = fields.get("public", "")
    if (
        fields.get("kind") != kind.kind
        or protection not in (PASSPHRASE, KEYRING)
        or not (key_id.isalnum() and 8 <= len(key_id) <= 64)
        or not public
        or fields.get("fingerprint") != kind.fingerprint_of(public)
    ):
        raise _damaged(path)
    return KeyFile(path, kind.kind, key_id, public, fields.get("name", ""), protection, fields)


def _read_plain(path: Path, text: str, kind: KeyKind) -> KeyFile:
    try:
        secret, name = kind.read_plain(text)
        public = kind.public_of(secret)
    except (ValueError, TypeError) as exc:
        raise _damaged(path) from exc
    fields = {"fingerprint": kind.fingerprint_of(public)}
    return KeyFile(path, kind.kind, "", public, name, PLAIN, fields, plain_secret=secret)


def _render(
    kind: KeyKind, key_id: str, public: str, name: str, protection: dict[str, str]
) -> bytes:
    lines = [
        f"# GuideCheck {kind.kind.replace('-', ' ')} key. Its secret half is protected"
        + (
            " by a passphrase."
            if protection["protection"] == PASSPHRASE
            else " by the system key store."
        )
        + " This file alone neither signs nor decrypts.",
        FORMAT_LINE,
        f"kind: {kind.kind}",
        f"key-id: {key_id}",
        f"public: {public}",
        f"fingerprint: {kind.fingerprint_of(public)}",
    ]
    if name:
        lines.append(f"name: {name}")
    lines += [f"{k}: {v}" for k, v in protection.items()]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _associated(kind: str, key_id: str, public: str) -> bytes:
    """What the sealed secret is bound to: another file's header does not open it."""
    return "\x00".join((FORMAT_LINE, kind, key_id, public)).encode("utf-8")


def _damaged(path: Path) -> UserError:
    from guidecheck.bundles.errors import BundleRefused

    return BundleRefused(
        _("The key file {path} is damaged; restore it from a backup.").format(path=path)
    )


# --- protecting, unlocking ---------------------------------------------------------------


def create(home: Path, kind: KeyKind, secret: bytes, name: str = "") -> KeyFile:
    """Protect a new key's secret and write its file; FileExistsError when one appeared meanwhile."""
    from guidecheck.paths import keys_dir

    with _lock:
        path = keys_dir(Path(home)) / kind.file_name
        written = _protect(home, kind, path, secret, name, overwrite=False)
        _secrets[(_key(path), written.public)] = secret
        return written


def unlock(home: Path, kind: KeyKind) -> tuple[KeyFile, bytes] | None:
    """The key file and its secret (None when there is none); an older plain file is protected
    first. Asks for the passphrase only when this process does not hold it yet."""
    with _lock:
        path = _path(home, kind)
        found = read_key_file(path, kind)
        if found is None:
            return None
        cached = _secrets.get((_key(path), found.public))
        if cached is not None and found.protection != PLAIN:  # a plain file is always protected
            return found, cached
        if found.protection == PLAIN:
            assert found.plain_secret is not None
            secret = found.plain_secret
            found = _protect(home, kind, path, secret, found.name, overwrite=True)
            log.info("keys: the plain %s key file was protected (%s)", kind.kind, found.protection)
        elif found.protection == KEYRING:
            secret = _from_store(found, kind)
        else:
            secret = _from_passphrase(home, found, kind)
        if kind.public_of(secret) != found.public:
            raise _damaged(path)
        _secrets[(_key(path), found.public)] = secret
        return found, secret


def change_passphrase(home: Path, kinds: list[KeyKind], new: str) -> list[KeyFile]:
    """Seal every passphrase-protected key of `home` again under `new`; returns those rewritten."""
    _check_new(new)
    with _lock:
        done = []
        for kind in kinds:
            found = read_key_file(_path(home, kind), kind)
            if found is None or found.protection != PASSPHRASE:
                continue
            unlocked = unlock(home, kind)
            assert unlocked is not None
            sealed = _seal(new, kind.kind, found.key_id, found.public, unlocked[1])
            data = _render(kind, found.key_id, found.public, found.name, sealed)
            write_atomic(found.path, data, private=True, overwrite=True)
            done.append(found)
        if done:
            _passphrases[_key(home)] = new
        return done


def protection_of(home: Path, kind: KeyKind) -> str | None:
    """ "keyring", "passphrase", "plain" or None (no key yet), read without unlocking."""
    found = read_key_file(_path(home, kind), kind)
    return None if found is None else found.protection


def _protect(
    home: Path, kind: KeyKind, path: Path, secret: bytes, name: str, overwrite: bool
) -> KeyFile:
    public = kind.public_of(secret)
    key_id = secrets.token_hex(16)
    backend = key_store.usable_backend() if _settings.system_store else None
    username = f"{kind.kind}-{key_id}"
    stored = backend is not None and key_store.put(
        backend, username, base64.b64encode(secret).decode("ascii")
    )
    if stored:
        protection = {
            "protection": KEYRING,
            "keyring-service": key_store.SERVICE,
            "keyring-user": username,
        }
    else:
        passphrase = _passphrase_for_new_key(home, kind)
        protection = _seal(passphrase, kind.kind, key_id, public, secret)
    try:
        write_atomic(path, _render(kind, key_id, public, name, protection), private=True,
                     overwrite=overwrite)  # fmt: skip
    except BaseException:
        if stored:
            key_store.forget(backend, username)
        raise
    log.info("keys: %s key %s written, protected by %s%s", kind.kind, kind.fingerprint_of(public),
             protection["protection"], f" ({key_store.backend_name(backend)})" if stored else "")  # fmt: skip
    found = read_key_file(path, kind)
    assert found is not None
    return found


def _seal(passphrase: str, kind: str, key_id: str, public: str, secret: bytes) -> dict[str, str]:
    sealed = key_envelope.seal(secret, passphrase, _associated(kind, key_id, public))
    return {"protection": PASSPHRASE, **sealed.fields()}


def _from_store(found: KeyFile, kind: KeyKind) -> bytes:
    value = key_store.get(found.fields.get("keyring-user", "")) if _settings.system_store else None
    try:
        if value is None:
            raise ValueError("not in the store")
        return base64.b64decode(value.encode("ascii"), validate=True)
    except ValueError as exc:
        raise KeyLocked(
            _(
                "{what} is kept in the system key store of the computer and user that made it, and this one does not hold it; nothing was changed."
            ).format(what=_capital(kind.describe()))
        ) from exc


def _from_passphrase(home: Path, found: KeyFile, kind: KeyKind) -> bytes:
    sealed = key_envelope.parse_sealed(found.fields)
    associated = _associated(kind.kind, found.key_id, found.public)
    known = _passphrases.get(_key(home))
    if known is not None:
        with contextlib.suppress(key_envelope.WrongPassphrase):
            return key_envelope.open_sealed(sealed, known, associated)
    attempt = 0
    while True:
        passphrase = _ask(PassphraseRequest(kind.describe(), False, attempt > 0, attempt))
        try:
            secret = key_envelope.open_sealed(sealed, passphrase, associated)
        except key_envelope.WrongPassphrase:
            attempt += 1
            continue
        _passphrases[_key(home)] = passphrase
        return secret


def _passphrase_for_new_key(home: Path, kind: KeyKind) -> str:
    """One passphrase per installation: the one already in use here, else a new one."""
    known = _passphrases.get(_key(home))
    if known is not None:
        return known
    for other in Path(home, "keys").glob("*"):
        if other.name.startswith(".") or not other.is_file():
            continue
        with contextlib.suppress(UserError, OSError):
            text = other.read_text("utf-8")
            if FORMAT_LINE in text.splitlines() and "protection: passphrase" in text:
                _unlock_any(home, other)
                return _passphrases[_key(home)]
    passphrase = _ask(PassphraseRequest(kind.describe(), creating=True))
    _check_new(passphrase)
    _passphrases[_key(home)] = passphrase
    return passphrase


def _unlock_any(home: Path, path: Path) -> None:
    """Learn this installation's passphrase from another of its passphrase-protected key files."""
    fields: dict[str, str] = {}
    for line in path.read_text("utf-8").splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip() in _FIELDS:
            fields[name.strip()] = value.strip()
    sealed = key_envelope.parse_sealed(fields)
    associated = _associated(
        fields.get("kind", ""), fields.get("key-id", ""), fields.get("public", "")
    )
    attempt = 0
    while True:
        what = _("the keys already on this computer")
        passphrase = _ask(PassphraseRequest(what, False, attempt > 0, attempt))
        try:
            key_envelope.open_sealed(sealed, passphrase, associated)
        except key_envelope.WrongPassphrase:
            attempt += 1
            continue
        _passphrases[_key(home)] = passphrase
        return


def _ask(request: PassphraseRequest) -> str:
    """A passphrase from the file, the installed prompt or nowhere (one sentence saying how)."""
    if _settings.fixed_passphrase is not None:
        if request.wrong:
            raise KeyLocked(_("The passphrase does not unlock {what}; nothing was changed.").format(
                what=request.what))  # fmt: skip
        return _settings.fixed_passphrase
    source = _settings.passphrase_file or _env_file()
    if source is not None:
        if request.wrong:
            raise KeyLocked(
                _("The passphrase in {file} does not unlock {what}; nothing was changed.").format(
                    file=source, what=request.what
                )
            )
        return read_passphrase_file(source)
    if _settings.prompt is not None:
        given = _settings.prompt(request)
        if given is None and request.wrong:
            raise KeyLocked(_("The passphrase does not unlock {what}; nothing was changed.").format(
                what=request.what))  # fmt: skip
        if given is None:
            raise KeyLocked(_("Stopped: the passphrase was not given, so nothing was changed."))
        return given
    raise KeyLocked(
        _(
            "GuideCheck needs the passphrase that protects this computer's keys: give it with --passphrase-file FILE or the {variable} environment variable."
        ).format(variable=PASSPHRASE_FILE_VARIABLE)
    )


def _env_file() -> Path | None:
    value = os.environ.get(PASSPHRASE_FILE_VARIABLE, "").strip()
    return Path(value) if value else None


def read_passphrase_file(path: Path) -> str:
    """The first line of a passphrase file (its line ending and a byte-order mark removed)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_PASSPHRASE_FILE + 1)
        if len(data) > MAX_PASSPHRASE_FILE:
            raise KeyLocked(_("The passphrase file {file} is too large.").format(file=path))
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise KeyLocked(
            _("The passphrase file {file} is not UTF-8 text.").format(file=path)
        ) from exc
    except OSError as exc:
        raise KeyLocked(
            _("The passphrase file {file} cannot be read: {reason}.").format(
                file=path, reason=exc.strerror or exc
            )
        ) from exc
    line = text.splitlines()[0] if text.splitlines() else ""
    if not line:
        raise KeyLocked(_("The passphrase file {file} is empty.").format(file=path))
    return line


def check_new_passphrase(passphrase: str) -> str:
    """Why a new passphrase cannot be used ("" when it can)."""
    if len(passphrase) < MIN_PASSPHRASE:
        return _("The passphrase must have at least {n} characters.").format(n=MIN_PASSPHRASE)
    return ""


def _check_new(passphrase: str) -> None:
    problem = check_new_passphrase(passphrase)
    if problem:
        raise KeyLocked(problem)


def _path(home: Path, kind: KeyKind) -> Path:
    return Path(home) / "keys" / kind.file_name


def _key(path: Path) -> str:
    return str(Path(path).resolve())


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
