"""FHIR export of a district hub: the files a FHIR server takes, checked as such."""

from __future__ import annotations

import copy
import json

import pytest

from guidecheck.checklist.labels import cut_percent
from guidecheck.cli.main import main
from guidecheck.interop.fhir_checks import FhirCheckError, bundle_problems, check_bundle
from guidecheck.interop.fhir_export import bundle_of
from guidecheck.interop.selection import select_assessments


def _export(hub, tmp_path, *extra):
    out = tmp_path / "fhir"
    hub.store.close()
    code = main(["--home", str(hub.home), "export", "fhir", *extra, "--out", str(out)])
    return code, out


def test_district_export_validates_and_says_what_it_wrote(hub, tmp_path, capsys):
    code, out = _export(hub, tmp_path, "--all")
    assert code == 0, capsys.readouterr().err
    said = capsys.readouterr().out
    assert "1 questionnaires, 5 questionnaire responses and 5 observations" in said
    bundle = json.loads((out / "bundle.json").read_text(encoding="utf-8"))
    assert bundle_problems(bundle) == []
    from fhir.resources.R4B.bundle import Bundle

    parsed = Bundle.model_validate(bundle)
    assert parsed.type == "transaction"
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("CodeSystem") == 3 and kinds.count("Questionnaire") == 1
    # every resource is also written on its own
    for entry in bundle["entry"]:
        resource = entry["resource"]
        on_disk = json.loads(
            (out / f"{resource['resourceType']}-{resource['id']}.json").read_text()
        )
        assert on_disk == resource


def test_response_status_answers_and_scores(hub):
    exported = select_assessments(hub.store, everything=True)
    bundle = bundle_of(exported)
    resources = [e["resource"] for e in bundle["entry"]]
    responses = {
        r["identifier"]["value"]: r
        for r in resources
        if r["resourceType"] == "QuestionnaireResponse"
    }
    # the revised round of clinic A is amended, clinic B completed, the TriageBot draft in progress
    assert responses[hub.ids["a2"]]["status"] == "amended"
    assert responses[hub.ids["b"]]["status"] == "completed"
    assert responses[hub.ids["a_draft"]]["status"] == "in-progress"
    assert hub.ids["a2r1"] not in responses  # the revision replaced it
    b = responses[hub.ids["b"]]
    assert b["subject"]["identifier"]["value"] == "B01"
    answers = {i["linkId"]: i["answer"] for g in b["item"] for i in g["item"]}
    assert answers["c1"] == [
        {
            "valueCoding": {
                "system": "http://guidecheck.example.org/fhir/CodeSystem/guidecheck-compliance",
                "code": "no",
                "display": "No",
            }
        }
    ]
    assert answers["d3"] == [{"valueString": "-"}]
    observations = [r for r in resources if r["resourceType"] == "Observation"]
    by_response = {o["derivedFrom"][0]["reference"]: o for o in observations}
    url_of = {e["resource"]["id"]: e["fullUrl"] for e in bundle["entry"]}
    obs_b = by_response[url_of[b["id"]]]
    assert obs_b["valueCodeableConcept"]["coding"][0]["code"] == "not_ready"
    stored = hub.store.get_assessment(hub.ids["b"])
    result = hub.store.result(stored.id)
    components = {c["code"]["coding"][0]["code"]: c for c in obs_b["component"]}
    assert components["overall-score"]["valueQuantity"]["value"] == cut_percent(result.overall)
    assert components["care"]["valueQuantity"]["value"] == cut_percent(result.domains["care"])
    assert components["red-flag-count"]["valueInteger"] == len(result.red_flags) == 1


def test_since_and_ids_choose_assessments(hub, tmp_path, capsys):
    code, out = _export(hub, tmp_path, "--since", "2026-01-01")
    assert code == 0
    assert "3 questionnaire responses" in capsys.readouterr().out
    code, _out = _export(hub, tmp_path, hub.ids["b"][:8])
    assert code == 0
    assert "1 questionnaire responses" in capsys.readouterr().out


def test_bad_selection_is_one_sentence(hub, tmp_path, capsys):
    code, out = _export(hub, tmp_path)
    assert code == 2
    assert "--all" in capsys.readouterr().err
    code, out = _export(hub, tmp_path, hub.ids["a2"], hub.ids["a2r1"])
    assert code == 2
    assert "revisions of the same assessment" in capsys.readouterr().err
    assert not out.exists()


def test_checks_catch_what_the_models_miss(hub):
    bundle = bundle_of(select_assessments(hub.store, everything=True))
    broken = copy.deepcopy(bundle)
    response = next(
        e["resource"]
        for e in broken["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse" and e["resource"].get("item")
    )
    response["item"][0]["item"][0]["linkId"] = "nowhere"
    response["status"] = "done"
    observation = next(
        e["resource"] for e in broken["entry"] if e["resource"]["resourceType"] == "Observation"
    )
    observation["derivedFrom"][0]["reference"] = "urn:uuid:00000000-0000-0000-0000-000000000000"
    problems = bundle_problems(broken)
    assert any("linkId 'nowhere' is not in the Questionnaire" in p for p in problems)
    assert any("status 'done'" in p for p in problems)
    assert any("is not in the Bundle" in p for p in problems)
    typed = copy.deepcopy(bundle)
    response = next(
        e["resource"]
        for e in typed["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse" and e["resource"].get("item")
    )
    response["item"][0]["item"][0]["answer"] = [{"valueString": "yes"}]
    with pytest.raises(FhirCheckError) as caught:
        check_bundle(typed)
    assert "answered with valueString, not valueCoding" in caught.value.message
    coded = copy.deepcopy(bundle)
    response = next(
        e["resource"]
        for e in coded["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse" and e["resource"].get("item")
    )
    response["item"][0]["item"][0]["answer"][0]["valueCoding"]["code"] = "maybe"
    assert any("'maybe'" in p for p in bundle_problems(coded))


def test_every_answer_type_maps_to_its_fhir_value(tmp_path):
    from pathlib import Path

    from guidecheck.checklist.loading import load_questionnaire
    from guidecheck.checklist.model import Profile
    from guidecheck.paths import database_path
    from guidecheck.storage.store import Store

    mini = load_questionnaire(Path(__file__).parent.parent / "core" / "data" / "mini.yaml")
    profile = Profile(facility_name="Clinic M", facility_code="M01", tool_name="ChestScan",
                      use_category="diagnostic_imaging", assessor_name="Amina", date="2026-02-03")  # fmt: skip
    answers = {"a_review": "partly", "a_storage": "shelf", "a_staff": 12, "b_places": ["local", "cloud"],
               "b_cloud_safe": "yes", "b_reviewed_on": "2026-01-15", "b_remarks": "fine"}  # fmt: skip
    with Store(database_path(tmp_path)) as store:
        assessment = store.new_assessment(mini, profile)
        for item_id, value in answers.items():
            store.save_answer(assessment.id, item_id, value)
        bundle = bundle_of(select_assessments(store, everything=True))
    resources = {e["resource"]["resourceType"]: e["resource"] for e in bundle["entry"]}
    questionnaire = resources["Questionnaire"]
    kinds = {i["linkId"]: i for g in questionnaire["item"] for i in g["item"]}
    assert kinds["a_staff"]["type"] == "integer" and kinds["b_places"]["repeats"] is True
    assert kinds["b_reviewed_on"]["type"] == "date" and kinds["b_remarks"]["type"] == "string"
    response = resources["QuestionnaireResponse"]
    assert response["status"] == "in-progress"
    given = {i["linkId"]: i["answer"] for g in response["item"] for i in g["item"]}
    assert given["a_staff"] == [{"valueInteger": 12}]
    assert [a["valueCoding"]["code"] for a in given["b_places"]] == ["local", "cloud"]
    assert given["a_storage"][0]["valueCoding"]["code"] == "shelf"
    assert given["b_reviewed_on"] == [{"valueDate": "2026-01-15"}]
    assert given["b_remarks"] == [{"valueString": "fine"}]
    assert "a_poster" not in given  # unanswered items are left out
    assert resources["Observation"]["status"] == "preliminary"
    # skip logic travels as enableWhen; the profile fields it uses are a `profile` group
    assert kinds["b_cloud_safe"]["enableWhen"] == [{"question": "b_places", "operator": "=", "answerCoding":
                                                    given["b_places"][1]["valueCoding"]}]  # fmt: skip
    on_profile = kinds["b_imaging"]["enableWhen"][0]
    assert (on_profile["question"], on_profile["answerCoding"]["code"]) == (
        "profile.use_category",
        "diagnostic_imaging",
    )
    profile_group = next(g for g in response["item"] if g["linkId"] == "profile")
    assert profile_group["item"][0]["answer"][0]["valueCoding"]["code"] == "diagnostic_imaging"


def test_an_unscored_survey_exports_answers_without_an_observation(tmp_path):
    from guidecheck.checklist.loading import parse_questionnaire_text
    from guidecheck.checklist.model import Profile
    from guidecheck.paths import database_path
    from guidecheck.storage.store import Store

    survey = parse_questionnaire_text(
        "format: 1\nid: beds-survey\nversion: '1'\ntitle: {en: Beds}\ndomains:\n"
        "  - id: main\n    title: {en: Main}\n    items:\n"
        "      - {id: beds, type: number, question: {en: 'Beds?'}, integer: true}\n",
        "survey",
    )
    profile = Profile(facility_name="Clinic S", facility_code="S01", tool_name="Bot",
                      use_category="other", assessor_name="Amina", date="2026-02-03")  # fmt: skip
    with Store(database_path(tmp_path)) as store:
        assessment = store.new_assessment(survey, profile)
        store.save_answer(assessment.id, "beds", 40)
        bundle = bundle_of(select_assessments(store, everything=True))
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert "Observation" not in kinds and kinds.count("QuestionnaireResponse") == 1


def test_checks_catch_enable_when_that_names_nothing(hub):
    bundle = bundle_of(select_assessments(hub.store, everything=True))
    questionnaire = next(
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Questionnaire"
    )
    enabled = next(i for g in questionnaire["item"] for i in g["item"] if i.get("enableWhen"))
    enabled["enableWhen"][0]["question"] = "gone"
    assert any("is enabled by 'gone', which is not in it" in p for p in bundle_problems(bundle))
