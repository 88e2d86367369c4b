"""Every shipped checklist goes native -> XLSForm -> native unchanged, and pyxform converts it."""

from __future__ import annotations

import dataclasses

import pytest
from pyxform.xls2xform import convert

from guidecheck.checklist.loading import load_all, parse_questionnaire_text
from guidecheck.checklist.model import Questionnaire
from guidecheck.interop.xlsform_export import export_xlsform
from guidecheck.interop.xlsform_import import import_xlsform

SHIPPED = load_all().questionnaires


def comparable(questionnaire: Questionnaire) -> dict:
    """The model as data, without where it was read from (file text, path, line numbers)."""

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("source", "path", "line")}
        if isinstance(value, list | tuple):
            return [strip(v) for v in value]
        return value

    return strip(dataclasses.asdict(questionnaire))


@pytest.mark.parametrize("questionnaire", SHIPPED, ids=lambda q: f"{q.id}-{q.version}")
def test_round_trip_is_identical_and_pyxform_converts(questionnaire, tmp_path):
    out = export_xlsform(questionnaire, tmp_path / "form.xlsx")
    warnings: list[str] = []
    result = convert(str(out), warnings=warnings)  # ODK's converter: raises on any error
    assert "<h:html" in result.xform
    imported = import_xlsform(out)
    assert imported.dropped == []
    again = parse_questionnaire_text(imported.yaml_text, "round trip")
    assert comparable(again) == comparable(questionnaire)


def test_shipped_checklists_are_all_covered():
    assert {q.id for q in SHIPPED} >= {"who-ai-health-2025"}
