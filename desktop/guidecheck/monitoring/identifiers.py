"""A check of free text for obvious patient identifiers before it is saved.

The monitoring log travels to the district; it must say what the tool did, never who the patient
was. This catches what is easy to catch (phone numbers, e-mail addresses, long digit runs and
record or ID numbers written after a label such as "MRN" or "ID"); it does not replace the form's
warning. Dates written as YYYY-MM-DD or DD/MM/YYYY and ordinary counts pass.
"""

from __future__ import annotations

import re

from guidecheck.i18n import _

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_LABELLED = re.compile(
    r"\b(mrn|id|nin|nid|nhif|ipd|opd|uhid|passport|record|file|folder|patient|reg(istration)?)"
    r"\s*(no\.?|number|nr\.?|num\.?|#)?\s*[:#.]?\s*([A-Z]{0,4}[-/]?\d[\w/-]{2,})",
    re.IGNORECASE,
)
_NUMBERISH = re.compile(r"\+?\(?\d[\d \t().\-/]{4,}\d")
_DATE = re.compile(r"(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})")
_LONG_RUN = re.compile(r"(?<![\d])\d{6,}(?![\d])")


def find_identifier(text: str) -> tuple[str, str] | None:
    """(what it looks like, the fragment) for the first likely identifier in `text`, or None."""
    match = _EMAIL.search(text)
    if match:
        return _("an e-mail address"), match.group(0)
    match = _LABELLED.search(text)
    if match and sum(ch.isdigit() for ch in match.group(4)) >= 3:
        return _("a patient record or ID number"), match.group(0).strip()
    for match in _NUMBERISH.finditer(text):
        fragment = match.group(0).strip(" \t().-/")
        if _DATE.fullmatch(fragment):
            continue
        digits = sum(ch.isdigit() for ch in fragment)
        grouped = any(sep in fragment for sep in " -.()")
        if digits >= 9 and (fragment.startswith(("+", "0")) or grouped):
            return _("a phone number"), fragment
    match = _LONG_RUN.search(text)
    if match:
        return _("an ID-like number"), match.group(0)
    return None


def identifier_sentence(field_label: str, text: str) -> str | None:
    """The one sentence refusing `text`, or None when nothing in it looks like an identifier."""
    found = find_identifier(text)
    if found is None:
        return None
    what, fragment = found
    if len(fragment) > 40:
        fragment = fragment[:40] + "…"
    return _(
        "“{field}” seems to hold {what} (“{fragment}”): remove it, since this log must not name patients."
    ).format(field=field_label, what=what, fragment=fragment)
