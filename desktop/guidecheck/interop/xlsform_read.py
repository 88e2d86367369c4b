"""Reading an XLSForm with pyxform and screening out what GuideCheck cannot represent.

pyxform's reader keeps blank rows, so row numbers are the spreadsheet's. Rows with repeats,
calculate, geopoints, media, choice_filter, or_other, *_from_file or other question types are
refused in one sentence naming sheet, row and feature, or (asked to skip) left out and listed;
a row whose expression names a left-out row goes too. pyxform's converter then checks names,
choice lists and `${}` references of what is left.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidecheck.errors import UserError
from guidecheck.i18n import _
from guidecheck.interop.xlsform_columns import language_code, split_header

PROFILE_GROUP = "profile"
_SUPPORTED = {"select_one", "select_multiple", "integer", "decimal", "date", "text", "note"}
_GEO = {"geopoint", "geotrace", "geoshape"}
_MEDIA = {"image", "audio", "video", "file", "background-audio", "background-video", "photo"}
MEDIA_COLUMNS = {
    "image",
    "audio",
    "video",
    "big-image",
    "media::image",
    "media::audio",
    "media::video",
}


@dataclass
class Dropped:
    sheet: str
    row: int
    feature: str

    def sentence(self) -> str:
        return _("sheet '{sheet}', row {row}: {feature}").format(
            sheet=self.sheet, row=self.row, feature=self.feature
        )


def norm_type(raw: str) -> tuple[str, str, bool]:
    """(type word, list name, or_other) from `select_one list or_other`, `begin group`, …"""
    words = raw.strip().split()
    if not words:
        return "", "", False
    head = words[0].lower()
    if head in ("begin", "end") and len(words) > 1:
        return f"{head}_{words[1].lower()}", "", False
    if head in ("select", "select_one", "select_multiple") or head.startswith("select_"):
        if head == "select" and len(words) > 1:
            head = "select_one" if words[1].lower() == "one" else f"select_{words[1].lower()}"
            words = words[1:]
        rest = words[1:]
        or_other = bool(rest) and rest[-1].lower() == "or_other"
        return head, (rest[0] if rest else ""), or_other
    return head, "", False


def columns_of(row: dict[str, str]) -> dict[tuple[str, str | None], str]:
    return {split_header(k): v for k, v in row.items() if isinstance(k, str)}


def texts_of(
    cols: dict[tuple[str, str | None], str], column: str, default_code: str
) -> dict[str, str]:
    values: dict[str, str] = {}
    for (name, language), text in cols.items():
        if name != column or not str(text).strip():
            continue
        code = default_code if language is None else language_code(language)
        if code is None:
            raise UserError(
                _("The column '{column}::{language}' needs a language code, as in '{column}::{language} (xx)'.").format(
                    column=column, language=language
                )
            )  # fmt: skip
        values[code] = str(text)
    return values


class Reader:
    def __init__(self, path: Path, skip: bool) -> None:
        self.path = path
        self.skip = skip
        self.dropped: list[Dropped] = []
        self.notes: list[str] = []
        self.languages: list[str] = []
        self.default_code = "en"

    # -- step 1: read the sheets with pyxform's reader ------------------------------------
    def read(self) -> Any:
        from pyxform.errors import PyXFormError
        from pyxform.xls2json_backends import get_xlsform

        try:
            return get_xlsform(str(self.path))
        except PyXFormError as exc:
            raise UserError(
                _("{path} cannot be read as an XLSForm: {reason}").format(
                    path=self.path.name, reason=exc
                )
            ) from None
        except Exception as exc:  # noqa: BLE001 - any reader failure is one sentence, never a traceback
            raise UserError(
                _("{path} cannot be read as an XLSForm ({reason}).").format(
                    path=self.path.name, reason=type(exc).__name__
                )
            ) from None

    def unsupported(self, sheet: str, row: int, feature: str) -> None:
        found = Dropped(sheet, row, feature)
        if not self.skip:
            raise UserError(
                _("{path}: sheet '{sheet}', row {row} uses {feature}, which GuideCheck cannot represent; fix that row or import with --skip-unsupported to leave it out.").format(
                    path=self.path.name, sheet=sheet, row=row, feature=feature
                )
            )  # fmt: skip
        self.dropped.append(found)

    # -- step 2: find and drop what cannot be represented ---------------------------------
    def screen(self, survey: list[dict[str, str]]) -> list[dict[str, str]]:
        kept: list[dict[str, str]] = []
        repeat_depth = 0
        names: dict[str, str] = {}
        for index, row in enumerate(survey):
            number = index + 2
            cols = columns_of(row)
            kind, list_name, or_other = norm_type(cols.get(("type", None), ""))
            if repeat_depth:
                if kind == "begin_repeat":
                    repeat_depth += 1
                elif kind == "end_repeat":
                    repeat_depth -= 1
                kept.append({})
                continue
            feature = self.feature_of(kind, list_name, or_other, cols)
            if feature:
                self.unsupported("survey", number, feature)
                if kind == "begin_repeat":
                    repeat_depth = 1
                kept.append({})
                continue
            name = cols.get(("name", None), "")
            if name:
                names[name] = kind
            kept.append(row)
        # rows whose expressions use something dropped or untranslatable go too
        dropped_names = {
            (columns_of(r).get(("name", None)) or "")
            for r, k in zip(survey, kept, strict=True)
            if r and not k
        }
        dropped_names.discard("")
        for index, row in enumerate(kept):
            if not row:
                continue
            cols = columns_of(row)
            for column in ("relevant", "constraint"):
                expression = cols.get((column, None), "")
                if not expression:
                    continue
                refs = set(re.findall(r"\$\{\s*([^}\s]+)\s*\}", expression))
                gone = sorted(refs & dropped_names)
                if gone:
                    self.unsupported(
                        "survey",
                        index + 2,
                        _("'{column}' on the left-out row '{name}'").format(
                            column=column, name=gone[0]
                        ),
                    )
                    kept[index] = {}
                    break
        return kept

    def feature_of(
        self, kind: str, list_name: str, or_other: bool, cols: dict[tuple[str, str | None], str]
    ) -> str:
        if kind in ("begin_repeat", "end_repeat", "repeat"):
            return _("a repeat (begin_repeat)")
        if kind == "calculate" or cols.get(("calculation", None)):
            return _("calculate")
        if kind in _GEO:
            return _("a geopoint ({kind})").format(kind=kind)
        if kind in _MEDIA:
            return _("a media question ({kind})").format(kind=kind)
        if kind.endswith("_from_file"):
            return _("{kind}").format(kind=kind)
        if or_other:
            return _("or_other")
        if cols.get(("choice_filter", None)):
            return _("choice_filter")
        for (name, language), value in cols.items():
            key = name if language is None else f"{name}::{language.lower()}"
            if value and (name in MEDIA_COLUMNS or key.startswith("media::")):
                return _("media ({column})").format(column=name)
        if kind and kind not in _SUPPORTED and kind not in ("begin_group", "end_group"):
            return _("the question type '{kind}'").format(kind=kind)
        return ""

    # -- step 3: convert with pyxform (names, lists, references) ---------------------------
    def convert(self, data: Any, survey: list[dict[str, str]]) -> dict[str, Any]:
        from pyxform.errors import PyXFormError
        from pyxform.xls2xform import convert

        fields = {f.name: getattr(data, f.name) for f in dataclasses.fields(data)}
        fields["survey"] = survey
        warnings: list[str] = []
        try:
            tree: dict[str, Any] = convert(fields, warnings=warnings)._pyxform
            return tree
        except PyXFormError as exc:
            raise UserError(f"{self.path.name}: {exc}") from None
        except Exception as exc:  # noqa: BLE001 - pyxform failing on odd input is one sentence
            raise UserError(
                _("{path} cannot be converted as an XLSForm ({reason}).").format(
                    path=self.path.name, reason=type(exc).__name__
                )
            ) from None
