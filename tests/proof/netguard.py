"""A network tripwire for the offline proof: every way Python code could reach the network raises.

Two layers, so neither a monkeypatch-restoring library nor a direct `_socket` user slips past:
the `socket` module's entry points are replaced (they raise and record), and a process-wide audit
hook records the interpreter's own socket events (`socket.connect`, `socket.getaddrinfo`, ...).
Local AF_UNIX sockets are not network connections, but they are recorded too, so the proof shows
that nothing at all was opened.
"""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_EVENTS = {
    "socket.connect",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "socket.getnameinfo",
    "socket.sendto",
    "socket.sendmsg",
    "socket.__new__",
    "socket.bind",
    "urllib.Request",
    "http.client.connect",
    "ftplib.connect",
    "smtplib.connect",
    "webbrowser.open",
}
_lock = threading.Lock()
_armed: list[list[str]] = []  # the attempt lists of the guards now active
_hooked = False


class NetworkAttempt(OSError):
    """Raised in place of any network operation while the guard is on."""


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event not in _EVENTS or not _armed:
        return
    if event == "socket.__new__":
        family = args[1] if len(args) > 1 else None
        if family == getattr(socket, "AF_UNIX", None):
            return  # creating a local socket object is not a connection; connecting it is still recorded
    with _lock:
        for attempts in _armed:
            attempts.append(f"{event} {args!r}"[:300])


def _blocked(name: str, attempts: list[str]):  # type: ignore[no-untyped-def]
    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(
            f"{name} {args[1:] if args and isinstance(args[0], socket.socket) else args!r}"[:300]
        )
        raise NetworkAttempt(f"network use during the offline proof: {name}")

    return refuse


@contextmanager
def no_network(monkeypatch: Any) -> Iterator[list[str]]:
    """Within the block, any network use raises NetworkAttempt; yields the list of attempts."""
    global _hooked
    attempts: list[str] = []
    if not _hooked:
        sys.addaudithook(_audit)  # cannot be removed; it only records while a guard is armed
        _hooked = True
    for name in ("connect", "connect_ex", "sendto", "sendmsg"):
        monkeypatch.setattr(socket.socket, name, _blocked(f"socket.{name}", attempts))
    for name in (
        "create_connection",
        "getaddrinfo",
        "gethostbyname",
        "gethostbyname_ex",
        "gethostbyaddr",
        "getnameinfo",
    ):
        monkeypatch.setattr(socket, name, _blocked(name, attempts))
    _armed.append(attempts)
    try:
        yield attempts
    finally:
        _armed.remove(attempts)
