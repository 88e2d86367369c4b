"""Canonical JSON: the one byte form used wherever bytes are signed or hashed.

Keys sorted, no spaces (`,` and `:`), UTF-8, no NaN or infinity. Bundle manifests are the one
ASCII-only use (`ascii_only=True` escapes every non-ASCII character as `\\uXXXX`), because a
manifest must parse as ASCII. Signatures, variant hashes, report content hashes and the audit chain
depend on these exact bytes (pinned by tests/core/test_canonical_bytes.py): never change them.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

# One encoder per form, made once: `json.dumps` with these options builds a new encoder on every
# call, which was a third of the cost of hashing a short audit entry (a hub hashes ~140 per bundle).
_ENCODERS = {
    ascii_only: json.JSONEncoder(
        sort_keys=True, separators=(",", ":"), ensure_ascii=ascii_only, allow_nan=False
    )
    for ascii_only in (False, True)
}


def canonical_json(value: Any, *, ascii_only: bool = False) -> bytes:
    """The canonical bytes of a JSON-able value."""
    return _ENCODERS[ascii_only].encode(value).encode("utf-8")


def canonical_sha256(value: Any) -> str:
    """sha256 (hex) of the canonical bytes."""
    return hashlib.sha256(canonical_json(value)).hexdigest()
