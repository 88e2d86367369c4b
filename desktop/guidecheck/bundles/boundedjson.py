"""Decode JSON from a bundle within fixed bounds, before any Python object is built.

`json.loads` builds every object of a document before we can look at it: 64 MiB of `{}` became
1.8 GB. So the raw bytes are first scanned (strings skipped by one regular expression, C speed):
the number of containers and separators (an upper bound on the objects the decoder will make)
and the length of every string are checked against limits, and only then is the text decoded.
Nesting is bounded by the decoder's recursion limit; duplicate keys, NaN and Infinity are refused.
"""

from __future__ import annotations

import json
import re
from typing import Any

from guidecheck.bundles.errors import BundleRefused

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_ASTRAL = re.compile(rb"[\xf0-\xf4][\x80-\xbf]{3}")


def count_tokens(raw: bytes | bytearray, max_tokens: int, max_string: int) -> int:
    """Containers, separators and strings in `raw` (an upper bound); raises ValueError past either
    limit. Fast path: counting those characters anywhere (inside strings too) over-counts, so when
    even that count fits and the whole text is shorter than `max_string`, no walk is needed."""
    if len(raw) <= max_string:
        upper = _structure(raw, 0, len(raw)) + raw.count(b'"') // 2 + 1
        if upper <= max_tokens:
            return upper
    tokens = 0
    pos = 0
    for match in _STRING.finditer(raw):
        start, end = match.span()
        if end - start > max_string:
            raise ValueError("string too long")
        tokens += 1 + _structure(raw, pos, start)
        pos = end
        if tokens > max_tokens:
            raise ValueError("too many values")
    tokens += _structure(raw, pos, len(raw))
    if tokens > max_tokens:
        raise ValueError("too many values")
    return tokens


def _structure(raw: bytes | bytearray, start: int, end: int) -> int:
    return raw.count(b",", start, end) + raw.count(b"{", start, end) + raw.count(b"[", start, end)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key")
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def loads_bounded(
    raw: bytes | bytearray,
    encoding: str,
    refusal: BundleRefused,
    max_tokens: int,
    max_string: int,
    consume: bool = False,
    scanned: bool = False,
) -> Any:
    """The decoded value, or `refusal` raised for anything out of bounds or not strict JSON.

    With `consume` (a bytearray), its buffer is released as soon as the text is decoded;
    `scanned` says the caller already ran `count_tokens` with these limits or tighter ones.
    """
    try:
        if not scanned:
            count_tokens(raw, max_tokens, max_string)
        if encoding == "utf-8" and _ASTRAL.search(raw):
            # Characters beyond U+FFFF would make the whole decoded text 4 bytes per character;
            # as JSON escapes (valid only inside strings, where they mean the same) it stays small.
            raw = _ASTRAL.sub(_escape_astral, raw)
        text = bytes(raw).decode(encoding) if isinstance(raw, memoryview) else raw.decode(encoding)
        if consume and isinstance(raw, bytearray):
            raw.clear()
        del raw
        return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise refusal from exc


def _escape_astral(match: re.Match[bytes]) -> bytes:
    code = ord(match.group().decode("utf-8"))
    high, low = 0xD800 + ((code - 0x10000) >> 10), 0xDC00 + ((code - 0x10000) & 0x3FF)
    return f"\\u{high:04x}\\u{low:04x}".encode("ascii")


def loads_small(text: str) -> Any:
    """Strict decoding of a small JSON text held inside a record (no duplicates, no NaN);
    raises ValueError or RecursionError."""
    return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)
