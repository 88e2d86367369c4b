"""The operating system's key store (Windows Credential Manager, macOS Keychain, Secret Service),
reached through `keyring`, for the small secret of a key file.

A secret there is tied to the user's login on that computer: a copy of the key file alone does
not sign or decrypt. Many computers have no usable store, and `keyring` does not always say so:
its `fail` backend raises, its `null` backend silently forgets, `keyrings.alt` keeps secrets in a
plain or weakly protected file, a chainer may hold nothing usable. All of these count as "no key
store" here (the caller then protects the key with a passphrase), and a secret is trusted only
after it was written and read back unchanged. Secrets are never logged; the backend's name is.
"""

from __future__ import annotations

import logging
from typing import Any

SERVICE = "GuideCheck"
MAX_SECRET_CHARS = 400  # Windows' Credential Manager holds at most 1280 characters

log = logging.getLogger("guidecheck.keys")

_REFUSED_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


def backend_name(backend: Any) -> str:
    kind = type(backend)
    return f"{kind.__module__}.{kind.__qualname__}"


def usable_backend() -> Any | None:
    """The key store to use, or None when this computer has none that protects a secret."""
    try:
        import keyring
        from keyring.backends import chainer

        backend = keyring.get_keyring()
        candidates = (
            list(backend.backends) if isinstance(backend, chainer.ChainerBackend) else [backend]
        )
    except Exception:  # a broken keyring install is "no key store", never a crash
        log.info("keys: no system key store (keyring could not be loaded)", exc_info=True)
        return None
    for candidate in candidates:
        if _acceptable(candidate):
            _keep_on_this_computer(candidate)
            return candidate
    log.info("keys: no usable system key store (keyring offers %s)", backend_name(backend))
    return None


def _acceptable(backend: Any) -> bool:
    name = backend_name(backend)
    if name.startswith(_REFUSED_MODULES):
        return False
    try:
        return float(backend.priority) > 0
    except Exception:  # noqa: BLE001 - a backend that cannot even rate itself is not used
        return False


def _keep_on_this_computer(backend: Any) -> None:
    """Windows: keep the credential on this computer (keyring's default roams with the profile)."""
    if backend_name(backend).startswith("keyring.backends.Windows"):
        try:
            backend.persist = "local machine"
        except Exception:  # noqa: BLE001 - an older keyring: its default still works locally
            log.info("keys: could not ask Windows to keep the key on this computer")


def put(backend: Any, username: str, secret: str) -> bool:
    """Store `secret`, read it back and compare; False (and nothing left behind) when the store
    did not keep it exactly."""
    if len(secret) > MAX_SECRET_CHARS:
        return False
    try:
        backend.set_password(SERVICE, username, secret)
        kept = backend.get_password(SERVICE, username)
    except Exception:  # locked, refused or absent store: the passphrase is used
        log.info(
            "keys: the system key store %s refused the key", backend_name(backend), exc_info=True
        )
        return False
    if kept != secret:
        log.warning(
            "keys: the system key store %s did not give the key back", backend_name(backend)
        )
        forget(backend, username)
        return False
    log.info("keys: a key is kept in the system key store %s", backend_name(backend))
    return True


def get(username: str) -> str | None:
    """The stored secret, or None when there is no store or it does not hold this key."""
    backend = usable_backend()
    if backend is None:
        return None
    try:
        value = backend.get_password(SERVICE, username)
    except Exception:  # a locked or unreachable store
        log.info(
            "keys: the system key store %s could not be read", backend_name(backend), exc_info=True
        )
        return None
    return value if isinstance(value, str) else None


def forget(backend: Any, username: str) -> None:
    try:
        backend.delete_password(SERVICE, username)
    except Exception:  # noqa: BLE001 - nothing to delete, or a store that cannot: harmless
        log.info("keys: could not remove an unused entry from the system key store")
