"""The one cell writer of every workbook GuideCheck makes (clinic report and district workbook).

Text typed by people is stored as a text cell, never a formula: openpyxl turns any string that
starts with "=" into a formula, so such strings get the string type explicitly. A text cell is
never evaluated by Excel or LibreOffice, whatever it starts with (=, +, -, @, tab, CR: the OWASP
list of formula triggers), so no quote prefix is needed and the text reads as typed. Characters
a workbook cannot hold (a vertical tab pasted from Word, other control characters) are removed,
so one odd note never stops a report.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from guidecheck.safetext import for_document


def clean_text(value: str) -> str:
    """`value` without the characters a workbook cannot hold (tabs and line breaks kept)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return str(ILLEGAL_CHARACTERS_RE.sub("", for_document(value)))


def set_cell(cell: Any, value: Any) -> None:
    """Store a typed value in a normal-mode cell; text is always text."""
    if isinstance(value, str):
        cell.value = clean_text(value)
        cell.data_type = "s"
        return
    cell.value = value
    if isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif hasattr(value, "isoformat"):
        cell.number_format = "yyyy-mm-dd"


def row(sheet: Any, values: list[Any] | tuple[Any, ...]) -> list[Any]:
    """A row for a write-only sheet's `append`: text cleaned, and typed as text where openpyxl
    would otherwise read a formula; other values (numbers, dates, booleans) pass unchanged."""
    out: list[Any] = []
    for value in values:
        if isinstance(value, str):
            text = clean_text(value)
            if text.startswith("="):
                from openpyxl.cell import WriteOnlyCell

                cell = WriteOnlyCell(sheet, value=text)
                cell.data_type = "s"
                out.append(cell)
            else:
                out.append(text)
        else:
            out.append(value)
    return out
