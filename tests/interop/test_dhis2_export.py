"""DHIS2 export of a district hub: payloads of the documented shape, same figures as the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from guidecheck.checklist.labels import cut_percent
from guidecheck.checklist.loading import load_all
from guidecheck.cli.main import main
from guidecheck.interop.dhis2_export import build_payloads, tool_option
from guidecheck.interop.dhis2_mapping import load_mapping
from guidecheck.interop.periods import parse_period, periods_of

HERE = Path(__file__).parent
MAPPING = """\
questionnaire: district-test
data_set: {code: DT_DS, name: "District test readiness", short_name: "DT readiness"}
tool_category: {code: DT_TOOL, name: "AI tool", option_prefix: DT_T_}
figures:
  overall: {code: DT_OVERALL, name: "Overall score"}
  verdict: {code: DT_VERDICT, name: "Verdict"}
  red_flags: {code: DT_RED_FLAGS, name: "Red flags"}
  assessed: {code: DT_ASSESSED, name: "Assessed"}
verdict_values: {not_ready: 0, ready_with_conditions: 1, ready: 2}
domains:
  care: {code: DT_CARE, name: "Clinical care score"}
  data: {code: DT_DATA, name: "Data protection score"}
"""


def _validator(name: str) -> Draft202012Validator:
    schema = json.loads((HERE / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.fixture
def mappings(tmp_path) -> Path:
    folder = tmp_path / "mappings"
    folder.mkdir()
    (folder / "district-test.dhis2.yaml").write_text(MAPPING, encoding="utf-8")
    return folder


def _run(hub, *args):
    hub.store.close()
    return main(["--home", str(hub.home), *args])


def test_payload_and_metadata_validate_and_match_the_district_report(
    hub, tmp_path, mappings, capsys
):
    out = tmp_path / "dhis2"
    assert (
        _run(
            hub,
            "export",
            "dhis2",
            "--period",
            "2026",
            "--out",
            str(out),
            "--mapping-dir",
            str(mappings),
        )
        == 0
    )
    said = capsys.readouterr().out
    assert "Import the metadata file once" in said
    payload = json.loads(
        (out / "dataValueSets-district-test-2026.json").read_text(encoding="utf-8")
    )
    metadata = json.loads((out / "metadata-district-test.json").read_text(encoding="utf-8"))
    assert list(_validator("dhis2_datavalueset.schema.json").iter_errors(payload)) == []
    assert list(_validator("dhis2_metadata.schema.json").iter_errors(metadata)) == []
    # every code the payload uses is defined by the metadata
    elements = {e["code"] for e in metadata["dataElements"]}
    combos = {c["code"] for c in metadata["categoryOptionCombos"]}
    assert {v["dataElement"] for v in payload["dataValues"]} <= elements
    assert {v["attributeOptionCombo"] for v in payload["dataValues"]} <= combos
    assert metadata["dataSets"][0]["periodType"] == "Yearly"

    assert _run(hub, "district", "summary", "--json", "--since", "2026-01-01") == 0
    summary = json.loads(capsys.readouterr().out)
    by_element: dict[str, list[dict]] = {}
    for value in payload["dataValues"]:
        by_element.setdefault(value["dataElement"], []).append(value)
    verdict_names = {0: "not_ready", 1: "ready_with_conditions", 2: "ready"}
    counts = dict.fromkeys(verdict_names.values(), 0)
    for value in by_element["DT_VERDICT"]:
        counts[verdict_names[int(value["value"])]] += 1
    assert counts == summary["verdicts"]
    assessed = [int(v["value"]) for v in by_element["DT_ASSESSED"]]
    assert sum(assessed) == summary["coverage"]["tools_assessed"] == 2
    assert len(assessed) == summary["coverage"]["tools_known"] == 4
    for average in summary["domain_averages"]:
        code = {"care": "DT_CARE", "data": "DT_DATA"}[average["domain"]]
        values = [float(v["value"]) for v in by_element[code]]
        assert cut_percent(sum(values) / len(values)) == average["average"]
    for row in summary["attention"]:
        if row["overall"] is None:
            continue
        option = tool_option(load_mapping("district-test", mappings), row["tool"], "Acme", "1.0")
        mine = {v["dataElement"]: v["value"] for v in payload["dataValues"]
                if v["orgUnit"] == row["facility"] and v["attributeOptionCombo"] == option.code}  # fmt: skip
        assert float(mine["DT_OVERALL"]) == row["overall"]
        assert int(mine["DT_RED_FLAGS"]) == len(row["red_flags"])


def test_periods_filter_the_assessments(hub, mappings):
    june = build_payloads(hub.store, "202606", mappings)[0]
    assert {
        v["orgUnit"] for v in june.data_values["dataValues"] if v["dataElement"] != "DT_ASSESSED"
    } == {"A01"}
    assert all(v["period"] == "202606" for v in june.data_values["dataValues"])
    assert june.metadata["dataSets"][0]["periodType"] == "Monthly"
    first_quarter = build_payloads(hub.store, "2026Q1", mappings)[0]
    assert {v["orgUnit"] for v in first_quarter.data_values["dataValues"] if v["value"] != "0"} == {
        "B01"
    }
    assert (
        parse_period("2026Q4").start == "2026-10-01" and parse_period("2026Q4").end == "2026-12-31"
    )
    assert parse_period("202602").end == "2026-02-28"
    assert periods_of(["2026-06-01", "2026-03-01", "2025-01-10"]) == ["2026Q2", "2026Q1", "2025Q1"]


def test_bad_period_no_data_and_missing_mapping_are_one_sentence(hub, tmp_path, mappings, capsys):
    out = tmp_path / "dhis2"
    assert (
        _run(
            hub,
            "export",
            "dhis2",
            "--period",
            "2026-Q4",
            "--out",
            str(out),
            "--mapping-dir",
            str(mappings),
        )
        == 2
    )
    assert "is not a period" in capsys.readouterr().err
    assert (
        _run(
            hub,
            "export",
            "dhis2",
            "--period",
            "2023Q1",
            "--out",
            str(out),
            "--mapping-dir",
            str(mappings),
        )
        == 2
    )
    assert "No final assessment is dated in 2023Q1" in capsys.readouterr().err
    (mappings / "district-test.dhis2.yaml").write_text(
        MAPPING.replace('  data: {code: DT_DATA, name: "Data protection score"}\n', "")
    )
    assert (
        _run(
            hub,
            "export",
            "dhis2",
            "--period",
            "2026",
            "--out",
            str(out),
            "--mapping-dir",
            str(mappings),
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "no DHIS2 code for the domains data of district-test" in err
    assert "Traceback" not in err and not out.exists()
    assert (
        _run(
            hub,
            "export",
            "dhis2",
            "--period",
            "2026",
            "--out",
            str(out),
            "--mapping-dir",
            str(tmp_path),
        )
        == 2
    )
    assert "There is no DHIS2 mapping for the checklist district-test" in capsys.readouterr().err


def test_shipped_mappings_cover_every_shipped_checklist_version():
    report = load_all()
    assert report.errors == []  # mapping files beside the checklists are not read as checklists
    assert any(q.id == "who-ai-health-2025" for q in report.questionnaires)
    for questionnaire in report.questionnaires:
        mapping = load_mapping(questionnaire.id)
        assert set(mapping.domain_elements(questionnaire)) == {d.id for d in questionnaire.domains}


def _answer_everything(store, questionnaire, profile) -> str:
    """A final assessment of a real checklist: every shown question answered plausibly."""
    from guidecheck.checklist.model import SignOff

    assessment = store.new_assessment(questionnaire, profile)
    for _round in range(5):  # answers can show more questions
        result = store.result(assessment.id)
        if not result.unanswered:
            break
        for item_id in result.unanswered:
            item = questionnaire.item(item_id)
            value = {"compliance": "yes", "date": "2026-01-05", "text": "seen"}.get(item.type)
            if item.type == "number":
                value = 1 if item.minimum is None else item.minimum
            elif item.type == "single_choice":
                value = item.choices[0].id
            elif item.type == "multiple_choice":
                value = [item.choices[0].id]
            store.save_answer(assessment.id, item_id, value, note="Checked on site.")
    store.finalize(assessment.id, SignOff("Amina", "Nurse", "Head", profile.date))
    return assessment.id


def test_the_shipped_checklist_exports_with_its_shipped_mapping(tmp_path):
    from guidecheck.checklist.model import Profile
    from guidecheck.paths import database_path
    from guidecheck.storage.catalog import find_questionnaire
    from guidecheck.storage.store import Store

    questionnaire = find_questionnaire("who-ai-health-2025")
    profile = Profile(facility_name="Kisumu East HC", facility_code="KE-0042", tool_name="ChestScan",
                      tool_vendor="Acme", tool_version="2.1", use_category="diagnostic_imaging",
                      assessor_name="Amina", date="2026-11-14", phase="pilot")  # fmt: skip
    with Store(database_path(tmp_path)) as store:
        result = store.result(_answer_everything(store, questionnaire, profile))
        payload = build_payloads(store, "2026Q4")[0]
    assert list(_validator("dhis2_datavalueset.schema.json").iter_errors(payload.data_values)) == []
    assert list(_validator("dhis2_metadata.schema.json").iter_errors(payload.metadata)) == []
    values = {v["dataElement"]: v["value"] for v in payload.data_values["dataValues"]}
    assert float(values["GC_WHOAI_OVERALL"]) == cut_percent(result.overall)
    assert float(values["GC_WHOAI_D_ETHICS"]) == cut_percent(result.domains["ethics"])
    verdict_codes = {"not_ready": "0", "ready_with_conditions": "1", "ready": "2"}
    assert values["GC_WHOAI_VERDICT"] == verdict_codes[result.verdict]
    assert values["GC_WHOAI_RED_FLAGS"] == "0" and values["GC_WHOAI_ASSESSED"] == "1"
    assert {v["orgUnit"] for v in payload.data_values["dataValues"]} == {"KE-0042"}
