"""Text from people and files, made harmless for the place it is shown.

A file name can hold newlines (forging output lines), terminal escapes or bytes that are not UTF-8
(Python keeps them as lone surrogates); a note pasted from Word can hold a vertical tab that a
workbook library refuses. `for_terminal` shows such characters as visible escapes; `for_document`
removes them from text bound for a PDF or a workbook, keeping tabs and line breaks.
"""

from __future__ import annotations

import unicodedata

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}
_HIDDEN = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def for_terminal(text: str) -> str:
    """`text` with control, format and undecodable characters written as visible escapes."""
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if ch in _NAMED:
            out.append(_NAMED[ch])
        elif 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif unicodedata.category(ch) in _HIDDEN:
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)


def for_document(text: str) -> str:
    """`text` without characters a PDF or workbook cannot hold or would misread (tab, newline kept)."""
    if text.isprintable():
        return text
    out: list[str] = []
    for ch in text:
        if ch in "\n\t":
            out.append(ch)
        elif ch == "\r":
            continue
        elif unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp"):
            out.append(" " if ch in "\x0b\x0c\u2028\u2029" else "")
        elif unicodedata.category(ch) == "Cf" and ch not in "\u200c\u200d":
            continue  # bidi overrides and other invisible formatting
        else:
            out.append(ch)
    return "".join(out)
