"""Checks a FHIR transaction Bundle before it is written: the R4B models, then what they miss.

`fhir.resources` (R4B models; for these resource types the JSON is the same as R4) checks each
element's shape and types. It does not check codes against their value sets, nor anything across
resources, so this module adds: status codes; unique linkIds; every QuestionnaireResponse linkId
exists in its Questionnaire at the same place; answer types match item types (and choice codes are
among the options); references and canonical links resolve inside the Bundle; fullUrls are unique
`urn:uuid:`s and each request URL names its resource.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from guidecheck.errors import UserError
from guidecheck.i18n import _

_STATUSES = {
    "Questionnaire": {"draft", "active", "retired", "unknown"},
    "QuestionnaireResponse": {"in-progress", "completed", "amended", "entered-in-error", "stopped"},
    "Observation": {
        "registered",
        "preliminary",
        "final",
        "amended",
        "corrected",
        "cancelled",
        "entered-in-error",
        "unknown",
    },  # fmt: skip
    "CodeSystem": {"draft", "active", "retired", "unknown"},
}
_VALUE_FOR_TYPE = {
    "choice": "valueCoding",
    "open-choice": "valueCoding",
    "integer": "valueInteger",
    "decimal": "valueDecimal",
    "date": "valueDate",
    "dateTime": "valueDateTime",
    "string": "valueString",
    "text": "valueString",
    "boolean": "valueBoolean",
}
_URN_UUID = re.compile(r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class FhirCheckError(UserError):
    """The export broke a FHIR rule; `problems` lists every one found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            _("The FHIR export did not pass its checks ({n} problems; first: {first}).").format(
                n=len(problems), first=problems[0]
            )
        )
        self.problems = problems


def _model(resource_type: str) -> Any:
    """The R4B model class; imported by name here (not looked up at run time) so the packaged app
    carries exactly these modules."""
    if resource_type == "Bundle":
        from fhir.resources.R4B.bundle import Bundle

        return Bundle
    if resource_type == "CodeSystem":
        from fhir.resources.R4B.codesystem import CodeSystem

        return CodeSystem
    if resource_type == "Questionnaire":
        from fhir.resources.R4B.questionnaire import Questionnaire

        return Questionnaire
    if resource_type == "QuestionnaireResponse":
        from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

        return QuestionnaireResponse
    if resource_type == "Observation":
        from fhir.resources.R4B.observation import Observation

        return Observation
    raise KeyError(resource_type)


def model_problems(resource: dict[str, Any]) -> list[str]:
    """What the R4B model of this resource type refuses, one line per error."""
    from pydantic import ValidationError

    kind = resource.get("resourceType", "?")
    try:
        model = _model(kind)
    except KeyError:
        return [f"{kind}: not a FHIR resource type"]
    try:
        model.model_validate(resource)
    except ValidationError as exc:
        return [
            f"{kind}/{resource.get('id', '?')}: {'.'.join(map(str, e['loc']))}: {e['msg']}"
            for e in exc.errors()
        ]
    return []


def _walk_items(
    items: list[dict[str, Any]], path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    for item in items or []:
        here = (*path, str(item.get("linkId")))
        yield here, item
        yield from _walk_items(item.get("item", []), here)


def _references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference" and isinstance(value, str):
                yield value
            else:
                yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)


def questionnaire_problems(questionnaire: dict[str, Any]) -> list[str]:
    """Unique linkIds, known item types, and every enableWhen naming an item with an answer of
    that item's type (a coding among its options)."""
    problems = []
    seen: set[str] = set()
    by_link = {
        item.get("linkId"): item for _path, item in _walk_items(questionnaire.get("item", []))
    }
    where = f"Questionnaire/{questionnaire.get('id')}"
    for _path, item in _walk_items(questionnaire.get("item", [])):
        for rule in item.get("enableWhen", []):
            target = by_link.get(rule.get("question"))
            given = [key for key in rule if key.startswith("answer")]
            if target is None:
                problems.append(
                    f"{where}: item '{item.get('linkId')}' is enabled by '{rule.get('question')}', which is not in it"
                )
                continue
            expected = (
                "answerBoolean"
                if rule.get("operator") == "exists"
                else _VALUE_FOR_TYPE.get(str(target.get("type")), "").replace("value", "answer")
            )
            if given != [expected]:
                problems.append(
                    f"{where}: item '{item.get('linkId')}' is enabled by {', '.join(given)}, not {expected}"
                )
            elif expected == "answerCoding":
                coding = rule["answerCoding"]
                options = [
                    (o["valueCoding"].get("system"), o["valueCoding"].get("code"))
                    for o in target.get("answerOption", [])
                    if "valueCoding" in o
                ]
                if (coding.get("system"), coding.get("code")) not in options:
                    problems.append(
                        f"{where}: item '{item.get('linkId')}' is enabled by '{coding.get('code')}', not an option of '{target.get('linkId')}'"
                    )
        if len(item.get("enableWhen", [])) > 1 and item.get("enableBehavior") not in ("all", "any"):
            problems.append(
                f"{where}: item '{item.get('linkId')}' has several enableWhen but no enableBehavior"
            )
        link = str(item.get("linkId"))
        if link in seen:
            problems.append(
                f"Questionnaire/{questionnaire.get('id')}: linkId '{link}' is used twice"
            )
        seen.add(link)
        if item.get("type") not in _VALUE_FOR_TYPE and item.get("type") not in ("group", "display"):
            problems.append(
                f"Questionnaire/{questionnaire.get('id')}: item '{link}' has an unknown type"
            )
    return problems


def response_problems(response: dict[str, Any], questionnaire: dict[str, Any]) -> list[str]:
    """Every linkId exists in the Questionnaire at the same place; answers fit their item."""
    where = f"QuestionnaireResponse/{response.get('id')}"
    defined = dict(_walk_items(questionnaire.get("item", [])))
    problems = []
    for path, item in _walk_items(response.get("item", [])):
        definition = defined.get(path)
        if definition is None:
            problems.append(f"{where}: linkId '{path[-1]}' is not in the Questionnaire there")
            continue
        answers = item.get("answer", [])
        kind = definition.get("type")
        if kind == "group":
            if answers:
                problems.append(f"{where}: group '{path[-1]}' holds answers")
            continue
        if len(answers) > 1 and not definition.get("repeats"):
            problems.append(
                f"{where}: item '{path[-1]}' has {len(answers)} answers but does not repeat"
            )
        expected = _VALUE_FOR_TYPE.get(str(kind))
        options = [
            (o["valueCoding"].get("system"), o["valueCoding"].get("code"))
            for o in definition.get("answerOption", [])
            if "valueCoding" in o
        ]
        for answer in answers:
            given = [key for key in answer if key.startswith("value")]
            if given != [expected]:
                problems.append(
                    f"{where}: item '{path[-1]}' ({kind}) is answered with {', '.join(given) or 'nothing'}, not {expected}"
                )
            elif expected == "valueCoding" and options:
                coding = answer["valueCoding"]
                if (coding.get("system"), coding.get("code")) not in options:
                    problems.append(
                        f"{where}: item '{path[-1]}' is answered '{coding.get('code')}', which is not one of its options"
                    )
    return problems


def bundle_problems(bundle: dict[str, Any]) -> list[str]:
    """Everything wrong with a transaction Bundle: models, codes, linkIds, references."""
    problems = model_problems(bundle)
    entries = bundle.get("entry", [])
    if bundle.get("type") != "transaction":
        problems.append("Bundle: type must be 'transaction'")
    full_urls: set[str] = set()
    targets: set[str] = set()
    canonicals: dict[str, dict[str, Any]] = {}
    concepts: dict[str, set[str]] = {}
    for entry in entries:
        resource = entry.get("resource", {})
        kind, rid = resource.get("resourceType"), resource.get("id")
        problems.extend(model_problems(resource))
        url = entry.get("fullUrl", "")
        if not _URN_UUID.match(url):
            problems.append(f"{kind}/{rid}: fullUrl '{url}' is not a urn:uuid")
        if url in full_urls:
            problems.append(f"{kind}/{rid}: fullUrl '{url}' is used twice")
        full_urls.add(url)
        request = entry.get("request", {})
        if request.get("method") == "PUT" and request.get("url") != f"{kind}/{rid}":
            problems.append(f"{kind}/{rid}: request URL '{request.get('url')}' does not name it")
        targets.add(f"{kind}/{rid}")
        status = resource.get("status")
        if kind in _STATUSES and status not in _STATUSES[kind]:
            problems.append(f"{kind}/{rid}: status '{status}' is not a {kind} status")
        if kind == "Questionnaire":
            canonicals[f"{resource.get('url')}|{resource.get('version')}"] = resource
            problems.extend(questionnaire_problems(resource))
        if kind == "CodeSystem":
            concepts[resource.get("url", "")] = {c.get("code") for c in resource.get("concept", [])}
    for entry in entries:
        resource = entry.get("resource", {})
        kind, rid = resource.get("resourceType"), resource.get("id")
        for reference in _references(resource):
            if reference not in full_urls and reference not in targets:
                problems.append(f"{kind}/{rid}: reference '{reference}' is not in the Bundle")
        for system, code in _codings(resource):
            if system in concepts and code not in concepts[system]:
                problems.append(f"{kind}/{rid}: code '{code}' is not in {system}")
        if kind == "QuestionnaireResponse":
            questionnaire = canonicals.get(resource.get("questionnaire", ""))
            if questionnaire is None:
                problems.append(
                    f"{kind}/{rid}: its Questionnaire '{resource.get('questionnaire')}' is not in the Bundle"
                )
            else:
                problems.extend(response_problems(resource, questionnaire))
    return problems


def _codings(node: Any) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        if "system" in node and "code" in node and isinstance(node["code"], str):
            yield node["system"], node["code"]
        for value in node.values():
            yield from _codings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _codings(value)


def check_bundle(bundle: dict[str, Any]) -> None:
    """Raise FhirCheckError listing every problem; return quietly when the Bundle is sound."""
    problems = bundle_problems(bundle)
    if problems:
        raise FhirCheckError(problems)
