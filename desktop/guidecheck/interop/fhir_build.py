"""FHIR R4 resources from checklists and assessments, as plain JSON-ready dicts.

Mapping (documented in the README): a checklist version is a Questionnaire (a `group` per domain,
one item per question, `linkId` = item id); an assessment is a QuestionnaireResponse whose id is
the assessment's lineage, so a revision replaces the earlier answer set on the server
(`completed`, `amended` for revisions, `in-progress` for drafts). Compliance answers are codings
from GuideCheck's compliance CodeSystem; the verdict, overall and domain scores and the red-flag
count travel in one Observation per assessment, `derivedFrom` the response. Everything goes into
one transaction Bundle of PUTs, so exporting again updates rather than duplicates.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from guidecheck.checklist.labels import cut_percent
from guidecheck.checklist.model import (
    COMPLIANCE_VALUES,
    PHASES,
    USE_CATEGORIES,
    Choice,
    Item,
    Questionnaire,
    Text,
)
from guidecheck.interop.fhir_enable import enable_when
from guidecheck.interop.selection import Exported

DEFAULT_BASE = "http://guidecheck.example.org/fhir"
_NAMESPACE = uuid.UUID("6f1d8f0e-4b0e-4c55-9a55-2b0c3c0f1d16")
_FHIR_ID = re.compile(r"[^A-Za-z0-9\-.]")

COMPLIANCE_DISPLAY = {
    "yes": "Yes",
    "partly": "Partly",
    "no": "No",
    "dont_know": "Don't know",
    "na": "Not applicable",
}
VERDICT_DISPLAY = {
    "ready": "Ready",
    "ready_with_conditions": "Ready with conditions",
    "not_ready": "Not ready",
}
MEASURE_DISPLAY = {
    "readiness": "AI tool readiness against the WHO 2025 guidance",
    "overall-score": "Overall score",
    "red-flag-count": "Red flags (critical items not met)",
}


def fhir_id(text: str) -> str:
    """A FHIR resource id ([A-Za-z0-9-.], at most 64) from any text, stable for the same text."""
    clean = _FHIR_ID.sub("-", text)
    if len(clean) > 64:
        clean = clean[:55] + "-" + uuid.uuid5(_NAMESPACE, text).hex[:8]
    return clean


def full_url(resource_type: str, resource_id: str) -> str:
    """The entry's `urn:uuid:` fullUrl, the same on every export of the same resource."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{resource_type}/{resource_id}')}"


def system_url(base: str, name: str) -> str:
    return f"{base}/CodeSystem/{name}"


def code_systems(base: str) -> list[dict[str, Any]]:
    """GuideCheck's own code systems: compliance answers, verdicts and the measures reported."""
    systems: list[dict[str, Any]] = []
    for name, title, concepts in (
        ("guidecheck-compliance", "GuideCheck compliance answers", COMPLIANCE_DISPLAY),
        ("guidecheck-verdict", "GuideCheck readiness verdicts", VERDICT_DISPLAY),
        ("guidecheck-measure", "GuideCheck measures", MEASURE_DISPLAY),
    ):
        systems.append(
            {
                "resourceType": "CodeSystem",
                "id": name,
                "url": system_url(base, name),
                "name": name.replace("-", "_"),
                "title": title,
                "status": "active",
                "content": "complete",
                "caseSensitive": True,
                "concept": [{"code": code, "display": text} for code, text in concepts.items()],
            }
        )
    for concept in systems[0]["concept"]:
        if concept["code"] != "na":  # the share of the item met, as scoring counts it
            weight = {"yes": 1.0, "partly": 0.5}.get(concept["code"], 0.0)
            concept["extension"] = [
                {
                    "url": "http://hl7.org/fhir/StructureDefinition/ordinalValue",
                    "valueDecimal": weight,
                }
            ]
    return systems


def questionnaire_url(base: str, questionnaire: Questionnaire) -> str:
    return f"{base}/Questionnaire/{fhir_id(questionnaire.id)}"


def questionnaire_ref(base: str, questionnaire: Questionnaire) -> str:
    """The canonical `url|version` a QuestionnaireResponse points to."""
    return f"{questionnaire_url(base, questionnaire)}|{questionnaire.version}"


def questionnaire_resource_id(questionnaire: Questionnaire) -> str:
    return fhir_id(f"{questionnaire.id}-{questionnaire.version}")


def choice_system(base: str, questionnaire: Questionnaire, item: Item) -> str:
    return f"{questionnaire_url(base, questionnaire)}/choices/{item.id}"


def domain_system(base: str, questionnaire: Questionnaire) -> str:
    return f"{questionnaire_url(base, questionnaire)}/domains"


def fhir_item_type(item: Item) -> str:
    """The Questionnaire item type that holds this GuideCheck answer type."""
    if item.type in ("compliance", "single_choice", "multiple_choice"):
        return "choice"
    if item.type == "number":
        return "integer" if item.integer else "decimal"
    if item.type == "date":
        return "date"
    return "string"


def _coding(system: str, code: str, display: str) -> dict[str, str]:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return coding


def _options(base: str, questionnaire: Questionnaire, item: Item) -> list[dict[str, Any]]:
    if item.type == "compliance":
        compliance = system_url(base, "guidecheck-compliance")
        return [
            {"valueCoding": _coding(compliance, code, COMPLIANCE_DISPLAY[code])}
            for code in COMPLIANCE_VALUES
        ]
    system = choice_system(base, questionnaire, item)
    return [{"valueCoding": _coding(system, c.id, c.label.en)} for c in item.choices]


PROFILE_GROUP = "profile"
_PROFILE_TEXT = {
    "facility_name": "Facility name", "facility_code": "Facility code", "district": "District",
    "region": "Region", "tool_name": "AI tool name", "tool_vendor": "AI tool vendor",
    "tool_version": "AI tool version", "tool_intended_use": "Intended use of the AI tool",
    "tool_date_deployed": "Date the AI tool was deployed", "use_category": "Use category",
    "phase": "Implementation phase", "assessor_name": "Assessor name",
    "assessor_role": "Assessor role", "date": "Date of the assessment",
}  # fmt: skip


def profile_items(questionnaire: Questionnaire) -> list[Item]:
    """The profile fields the checklist's conditions use, as items of a `profile` group (linkId
    `profile.<field>`), so `enableWhen` can name them and each response carries their answers."""
    from guidecheck.checklist import expressions

    used: list[str] = []
    conditions = [d.condition for d in questionnaire.domains] + [
        i.condition for i in questionnaire.items
    ]
    for condition in filter(None, conditions):
        for ref in expressions.references(expressions.parse(condition)):
            if ref.scope == "profile" and ref.name not in used:
                used.append(ref.name)
    items = []
    for name in used:
        values = {"use_category": USE_CATEGORIES, "phase": PHASES}.get(name, ())
        kind = (
            "single_choice"
            if values
            else ("date" if name in ("date", "tool_date_deployed") else "text")
        )
        items.append(Item(
            id=f"{PROFILE_GROUP}.{name}", type=kind, question=Text({"en": _PROFILE_TEXT.get(name, name)}),
            domain_id=PROFILE_GROUP,
            choices=tuple(Choice(v, Text({"en": v.replace("_", " ")})) for v in values),
        ))  # fmt: skip
    return items


def _item_entry(base: str, questionnaire: Questionnaire, item: Item) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "linkId": item.id,
        "text": item.question.en,
        "type": fhir_item_type(item),
    }
    if entry["type"] == "choice":
        entry["answerOption"] = _options(base, questionnaire, item)
    if item.type == "multiple_choice":
        entry["repeats"] = True
    return entry


def questionnaire_resource(base: str, questionnaire: Questionnaire) -> dict[str, Any]:
    """One checklist version as a Questionnaire: a group per domain, an item per question, and
    `enableWhen` where FHIR can say the condition (fhir_enable)."""

    def coder(item: Item, code: str) -> dict[str, str]:
        if item.type == "compliance":
            return _coding(
                system_url(base, "guidecheck-compliance"), code, COMPLIANCE_DISPLAY.get(code, "")
            )
        choice = item.choice(code)
        return _coding(
            choice_system(base, questionnaire, item), code, choice.label.en if choice else ""
        )

    profile = {item.id: item for item in profile_items(questionnaire)}
    groups = []
    if profile:
        entries = [_item_entry(base, questionnaire, item) for item in profile.values()]
        groups.append(
            {"linkId": PROFILE_GROUP, "text": "Profile", "type": "group", "item": entries}
        )
    for domain in questionnaire.domains:
        items = []
        for item in domain.items:
            entry = _item_entry(base, questionnaire, item)
            entry.update(enable_when(item.condition, questionnaire, coder, profile))
            items.append(entry)
        group = {"linkId": domain.id, "text": domain.title.en, "type": "group", "item": items}
        group.update(enable_when(domain.condition, questionnaire, coder, profile))
        groups.append(group)
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": questionnaire_resource_id(questionnaire),
        "url": questionnaire_url(base, questionnaire),
        "version": questionnaire.version,
        "name": re.sub(r"[^A-Za-z0-9_]", "_", questionnaire.id),
        "title": questionnaire.title.en,
        "status": "active",
        "subjectType": ["Organization"],
        "item": groups,
    }
    if questionnaire.description.en:
        resource["description"] = questionnaire.description.en
    return resource


def response_status(exported: Exported) -> str:
    assessment = exported.assessment
    if not assessment.is_final:
        return "in-progress"
    return "amended" if assessment.revision > 1 else "completed"


def _subject(base: str, exported: Exported) -> dict[str, Any]:
    profile = exported.assessment.profile
    return {
        "identifier": {
            "system": f"{base}/facility-code",
            "value": exported.assessment.facility_code or profile.facility_code,
        },
        "display": profile.facility_name,
    }


def _answers(
    base: str, questionnaire: Questionnaire, item: Item, value: Any
) -> list[dict[str, Any]]:
    if item.type == "compliance":
        compliance = system_url(base, "guidecheck-compliance")
        return [{"valueCoding": _coding(compliance, value, COMPLIANCE_DISPLAY.get(value, ""))}]
    if item.type in ("single_choice", "multiple_choice"):
        system = choice_system(base, questionnaire, item)
        values = value if isinstance(value, list) else [value]
        answers = []
        for code in values:
            choice = item.choice(code)
            answers.append(
                {"valueCoding": _coding(system, code, choice.label.en if choice else "")}
            )
        return answers
    if item.type == "number":
        if item.integer:
            return [{"valueInteger": int(value)}]
        return [{"valueDecimal": float(value)}]
    if item.type == "date":
        return [{"valueDate": str(value)}]
    return [{"valueString": str(value)}]


def response_resource(base: str, exported: Exported) -> dict[str, Any]:
    """One assessment revision as a QuestionnaireResponse holding its shown, answered items."""
    questionnaire = exported.questionnaire
    assessment = exported.assessment
    shown = set(exported.result.visible_items)
    groups = []
    profile_answers = []
    for item in profile_items(questionnaire):
        value = getattr(assessment.profile, item.id.split(".", 1)[1], "")
        if value:
            profile_answers.append({"linkId": item.id, "text": item.question.en,
                                    "answer": _answers(base, questionnaire, item, value)})  # fmt: skip
    if profile_answers:
        groups.append({"linkId": PROFILE_GROUP, "text": "Profile", "item": profile_answers})
    for domain in questionnaire.domains:
        items = []
        for item in domain.items:
            answer = exported.answers.get(item.id)
            if item.id not in shown or answer is None or answer.value in (None, "", []):
                continue
            items.append(
                {
                    "linkId": item.id,
                    "text": item.question.en,
                    "answer": _answers(base, questionnaire, item, answer.value),
                }
            )
        if items:
            groups.append({"linkId": domain.id, "text": domain.title.en, "item": items})
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": fhir_id(assessment.lineage_id),
        "identifier": {"system": f"{base}/assessment", "value": assessment.id},
        "questionnaire": questionnaire_ref(base, questionnaire),
        "status": response_status(exported),
        "subject": _subject(base, exported),
        "authored": assessment.finalized_at or assessment.updated_at,
    }
    if assessment.profile.assessor_name:
        resource["author"] = {"display": assessment.profile.assessor_name}
    if groups:
        resource["item"] = groups
    return resource


def _percent(value: float) -> dict[str, Any]:
    """A score as a UCUM percentage, cut to one decimal like every score GuideCheck shows."""
    return {
        "value": cut_percent(value),
        "unit": "%",
        "system": "http://unitsofmeasure.org",
        "code": "%",
    }


def observation_resource(
    base: str, exported: Exported, response_full_url: str
) -> dict[str, Any] | None:
    """The verdict, overall and domain scores and red-flag count; None for an unscored survey."""
    result = exported.result
    verdict = getattr(result, "verdict", None)
    if not verdict:
        return None
    questionnaire = exported.questionnaire
    assessment = exported.assessment
    measure = system_url(base, "guidecheck-measure")
    components: list[dict[str, Any]] = []
    if result.overall is not None:
        components.append(
            {
                "code": {
                    "coding": [_coding(measure, "overall-score", MEASURE_DISPLAY["overall-score"])]
                },
                "valueQuantity": _percent(result.overall),
            }
        )
    for domain in questionnaire.domains:
        value = result.domains.get(domain.id)
        if value is None:
            continue
        components.append(
            {
                "code": {
                    "coding": [
                        _coding(domain_system(base, questionnaire), domain.id, domain.title.en)
                    ]
                },
                "valueQuantity": _percent(value),
            }
        )
    components.append(
        {
            "code": {
                "coding": [_coding(measure, "red-flag-count", MEASURE_DISPLAY["red-flag-count"])]
            },
            "valueInteger": len(result.red_flags),
        }
    )
    status = {"in-progress": "preliminary", "amended": "amended"}.get(
        response_status(exported), "final"
    )
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": fhir_id(f"{assessment.lineage_id}-readiness"),
        "status": status,
        "code": {"coding": [_coding(measure, "readiness", MEASURE_DISPLAY["readiness"])]},
        "subject": _subject(base, exported),
        "focus": [{"display": assessment.profile.tool_name}]
        if assessment.profile.tool_name
        else [],
        "valueCodeableConcept": {
            "coding": [
                _coding(
                    system_url(base, "guidecheck-verdict"),
                    verdict,
                    VERDICT_DISPLAY.get(verdict, ""),
                )
            ]
        },
        "derivedFrom": [{"reference": response_full_url}],
        "component": components,
    }
    if assessment.profile.date:
        resource["effectiveDateTime"] = assessment.profile.date
    if not resource["focus"]:
        del resource["focus"]
    return resource


def transaction_bundle(resources: list[dict[str, Any]]) -> dict[str, Any]:
    """One transaction of PUTs (idempotent: exporting again updates), referencing by fullUrl."""
    entries = []
    for resource in resources:
        kind, rid = resource["resourceType"], resource["id"]
        entries.append(
            {
                "fullUrl": full_url(kind, rid),
                "resource": resource,
                "request": {"method": "PUT", "url": f"{kind}/{rid}"},
            }
        )
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


def build_export(base: str, exported: list[Exported]) -> list[dict[str, Any]]:
    """Every resource of an export, in the Bundle's order: code systems, questionnaires,
    then per assessment its response and observation."""
    resources = code_systems(base)
    seen: set[tuple[str, str]] = set()
    for entry in exported:
        key = (entry.questionnaire.id, entry.questionnaire.version)
        if key not in seen:
            seen.add(key)
            resources.append(questionnaire_resource(base, entry.questionnaire))
    for entry in exported:
        response = response_resource(base, entry)
        resources.append(response)
        observation = observation_resource(
            base, entry, full_url("QuestionnaireResponse", response["id"])
        )
        if observation is not None:
            resources.append(observation)
    return resources
