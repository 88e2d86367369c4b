"""Every shipped checklist goes native -> XLSForm -> native unchanged, and pyxform converts it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pyxform.xls2xform import convert

from guidecheck.checklist.loading import load_all, load_questionnaire, parse_questionnaire_text
from guidecheck.checklist.model import Questionnaire
from guidecheck.interop.xlsform_export import export_xlsform
from guidecheck.interop.xlsform_import import import_xlsform

SHIPPED = load_all().questionnaires
TESTS = Path(__file__).parent.parent
# The test checklists too: format 2 (scoring block, basis, na_allowed, a constraint with `value`),
# every answer type, scored choices with `na`, conditions on choices and on the profile.
FIXTURES = [load_questionnaire(TESTS / p) for p in ("core/data/v2-verdicts.yaml", "core/data/mini.yaml",
                                                      "district/data/district.yaml", "gui/mini-checklist.yaml")]  # fmt: skip


def comparable(questionnaire: Questionnaire) -> dict:
    """The model as data, without where it was read from (file text, path, line numbers)."""

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("source", "path", "line")}
        if isinstance(value, list | tuple):
            return [strip(v) for v in value]
        return value

    return strip(dataclasses.asdict(questionnaire))


@pytest.mark.parametrize("questionnaire", SHIPPED + FIXTURES, ids=lambda q: f"{q.id}-{q.version}")
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
