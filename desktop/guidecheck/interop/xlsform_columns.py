"""What the XLSForm import and export agree on: languages, extra columns, the compliance list.

Text columns carry a language suffix `::Name (code)`; GuideCheck keeps the code. The extra
columns (documented in docs/questionnaire-format.md) carry what XLSForm has no column for.
"""

from __future__ import annotations

import re

from guidecheck.checklist.model import COMPLIANCE_VALUES

LANGUAGE_NAMES = {
    "en": "English",
    "fr": "Français",
    "sw": "Kiswahili",
    "pt": "Português",
    "es": "Español",
    "ar": "العربية",
    "am": "Amharic",
    "ha": "Hausa",
    "yo": "Yorùbá",
    "rw": "Kinyarwanda",
}
_LANGUAGE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[A-Za-z]{2,3}(?:-[A-Za-z]{2,4})?)\)\s*$")

COMPLIANCE_LIST = "compliance"
COMPLIANCE_LABELS = {
    "en": {"yes": "Yes", "partly": "Partly", "no": "No", "dont_know": "Don't know", "na": "Not applicable"},
    "fr": {"yes": "Oui", "partly": "En partie", "no": "Non", "dont_know": "Je ne sais pas", "na": "Sans objet"},
}  # fmt: skip
assert all(set(labels) == set(COMPLIANCE_VALUES) for labels in COMPLIANCE_LABELS.values())

# Survey-sheet text columns, each with a language suffix: XLSForm's own, then GuideCheck's.
ITEM_TEXT = {
    "label": "question",
    "hint": "why",
    "guidance_hint": "evidence",
    "example": "example",
    "action": "action",
    "basis": "basis",
    "unit": "unit",
    "constraint_message": "constraint_message",
}
GROUP_TEXT = {"label": "title", "description": "description"}
SETTINGS_TEXT = {"gc_title": "title", "description": "description"}
# Plain extra columns on the survey sheet.
ITEM_PLAIN = (
    "weight",
    "critical",
    "note_rule",
    "na_allowed",
    "min",
    "max",
    "gc_condition",
    "gc_constraint",
)
GROUP_PLAIN = ("kind", "gc_condition")


def language_header(code: str) -> str:
    """`English (en)`: the suffix XLSForm tools expect, with the code GuideCheck keeps."""
    return f"{LANGUAGE_NAMES.get(code, code)} ({code})"


def language_code(header: str) -> str | None:
    """The code in `Name (code)`, lowercased (`sw`, `pt-BR` keeps its region); None without one."""
    match = _LANGUAGE.match(header.strip())
    if not match:
        return None
    code = match.group("code")
    base, _sep, region = code.partition("-")
    return base.lower() + (f"-{region}" if region else "")


def split_header(header: str) -> tuple[str, str | None]:
    """`label::English (en)` -> ("label", "English (en)"); `weight` -> ("weight", None)."""
    column, sep, language = header.partition("::")
    return column.strip().lower(), (language.strip() if sep else None)
