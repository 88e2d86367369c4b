"""The bound check run on a payload's raw bytes before decoding refuses exactly the inputs the
string-by-string scan refuses, and never counts fewer values than it, on real and hostile JSON."""

from __future__ import annotations

import json
import random
import re

import pytest

from guidecheck.bundles.boundedjson import count_tokens

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')


def scan_string_by_string(raw: bytes, max_tokens: int, max_string: int) -> int:
    """The first scan: each string found and measured in Python, the structure between counted."""
    tokens, pos = 0, 0
    for match in _STRING.finditer(raw):
        start, end = match.span()
        if end - start > max_string:
            raise ValueError("string too long")
        tokens += 1 + sum(raw.count(c, pos, start) for c in (b",", b"{", b"["))
        pos = end
        if tokens > max_tokens:
            raise ValueError("too many values")
    tokens += sum(raw.count(c, pos, len(raw)) for c in (b",", b"{", b"["))
    if tokens > max_tokens:
        raise ValueError("too many values")
    return tokens


def outcome(scan, raw: bytes, max_tokens: int, max_string: int) -> int | str:
    try:
        return scan(raw, max_tokens, max_string)
    except ValueError:
        return "refused"


def agrees(raw: bytes | bytearray, max_tokens: int, max_string: int) -> bool:
    expected = outcome(scan_string_by_string, bytes(raw), max_tokens, max_string)
    got = outcome(count_tokens, raw, max_tokens, max_string)
    if expected == "refused" or got == "refused":
        return got == expected
    return isinstance(got, int) and isinstance(expected, int) and got >= expected


PIECES = [b'"', b"\\", b'\\"', b",", b"{", b"}", b"[", b"]", b":", b"a", b"\xc3\xa9", b" ", b'""']


@pytest.mark.parametrize("seed", range(20))
def test_random_bytes_are_counted_and_refused_alike(seed):
    rng = random.Random(seed)
    for _ in range(300):
        raw = b"".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 60)))
        for max_tokens, max_string in ((10**6, 10**6), (8, 10**6), (10**6, 4), (5, 3)):
            assert agrees(raw, max_tokens, max_string), raw
            assert agrees(bytearray(raw), max_tokens, max_string), raw


def test_a_real_payload_with_escapes_commas_in_text_and_one_long_string():
    records = [{"id": f"a{n}", "note": 'commas, {braces} and [brackets] "quoted" \\ é ✓',
                "values": [1, 2.5, None, True]} for n in range(200)]  # fmt: skip
    records.append({"id": "long", "note": "x" * 5000})
    raw = json.dumps({"records": records}, ensure_ascii=False).encode("utf-8")
    counted = scan_string_by_string(raw, 10**9, 10**9)
    assert count_tokens(raw, 10**9, 10**9) >= counted
    assert outcome(count_tokens, raw, counted - 1, 10**9) == "refused"
    assert outcome(count_tokens, raw, counted, 5002) == counted  # exact: 5000 x and 2 quotes fit
    assert outcome(count_tokens, raw, counted, 5001) == "refused"
