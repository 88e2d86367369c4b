"""`guidecheck export dhis2`: a dataValueSets payload and its metadata, for one period.

Figures follow the district reports' rule: only final, standing assessments count, and per
facility × AI tool the latest one dated inside the period. Each gives one value per figure
(overall score, each domain score, verdict as a number, red-flag count, assessed = 1); an AI tool
the hub knows but that has no final assessment in the period gets assessed = 0 only. Values are
keyed by code (`idScheme: CODE`): the org unit is the facility code, the attribute option combo
the AI tool, the data elements come from the checklist's mapping file.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidecheck.checklist.labels import cut_percent
from guidecheck.district.overview import build_overview
from guidecheck.district.records import Record, latest_records, score_records, standing_records
from guidecheck.errors import UserError
from guidecheck.i18n import _
from guidecheck.interop.dhis2_mapping import CODE, Dhis2Mapping, Element, load_mapping
from guidecheck.interop.outdir import prepare_folder, write_json
from guidecheck.interop.periods import Period, parse_period

_UID_FIRST = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_UID_REST = _UID_FIRST + "0123456789"


def uid(code: str) -> str:
    """A DHIS2 UID (11 characters, a letter first) that is the same for the same code every time,
    so importing the metadata again updates instead of duplicating."""
    number = int.from_bytes(hashlib.sha256(f"guidecheck:{code}".encode()).digest(), "big")
    chars = [_UID_FIRST[number % 52]]
    number //= 52
    for _i in range(10):
        chars.append(_UID_REST[number % 62])
        number //= 62
    return "".join(chars)


@dataclass(frozen=True)
class ToolOption:
    code: str
    name: str


def tool_option(mapping: Dhis2Mapping, name: str, vendor: str, version: str) -> ToolOption:
    """The AI tool's category option: the same product gets the same code at every facility."""
    label = " ".join(p for p in (name.strip(), version.strip()) if p)
    if vendor.strip():
        label += f" ({vendor.strip()})"
    key = "\x1f".join(s.strip().casefold() for s in (name, vendor, version))
    digest = hashlib.sha256(key.encode()).hexdigest()[:6].upper()
    slug = re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_")
    room = 50 - len(mapping.tool_option_prefix) - len(digest) - 1
    return ToolOption(f"{mapping.tool_option_prefix}{slug[:room]}_{digest}", label[:230])


def _number(value: float) -> str:
    """A score as DHIS2 text, cut to one decimal like every score GuideCheck shows (79.96 -> 79.9)."""
    cut = cut_percent(value)
    return f"{cut:g}" if cut is not None else ""


@dataclass(frozen=True)
class Dhis2Payload:
    """One checklist's data for one period, and the metadata it needs."""

    mapping: Dhis2Mapping
    period: Period
    data_values: dict[str, Any]
    metadata: dict[str, Any]

    @property
    def value_count(self) -> int:
        return len(self.data_values["dataValues"])


def build_payloads(
    store: Any, period_text: str, mapping_folder: Path | None = None
) -> list[Dhis2Payload]:
    """One payload per checklist with final assessments dated in the period."""
    period = parse_period(period_text)
    records = [r for r in standing_records(store.conn) if period.contains(r.date)]
    if not records:
        raise UserError(
            _("No final assessment is dated in {period} ({start} to {end}); choose another period.").format(
                period=period.id, start=period.start, end=period.end
            )
        )  # fmt: skip
    latest = latest_records(records)
    for record in latest:
        if not CODE.match(record.facility_code):
            raise UserError(
                _("The facility code '{code}' of {name} cannot be a DHIS2 org unit code (1 to 50 letters, digits, '_', '-', '.' or ':').").format(
                    code=record.facility_code, name=record.facility_name
                )
            )  # fmt: skip
    scored = {s.record.id: s for s in score_records(store, latest)}
    by_checklist: dict[str, list[Record]] = {}
    for record in latest:
        by_checklist.setdefault(record.questionnaire_id, []).append(record)
    mappings = {qid: load_mapping(qid, mapping_folder) for qid in sorted(by_checklist)}
    assessed = {(r.facility_code, r.tool_id) for r in latest}
    unassessed = [
        row
        for row in build_overview(store, records)
        if (row.facility_code, row.tool_id) not in assessed
    ]
    tools = {t.id: t for t in store.tools()}
    payloads = []
    for qid, mine in by_checklist.items():
        mapping = mappings[qid]
        values: list[dict[str, str]] = []
        options: dict[str, ToolOption] = {}
        elements: dict[str, Element] = dict(mapping.figures)
        for record in mine:
            questionnaire = store.stored_questionnaire(qid, record.questionnaire_version)
            domain_elements = mapping.domain_elements(questionnaire)
            option = tool_option(mapping, record.tool_name, record.tool_vendor, record.tool_version)
            options[option.code] = option
            result = scored[record.id]

            def add(
                element: Element,
                value: str,
                record: Record = record,
                option: ToolOption = option,
                into: list[dict[str, str]] = values,
            ) -> None:
                into.append({"dataElement": element.code, "period": period.id, "orgUnit": record.facility_code,
                             "attributeOptionCombo": option.code, "value": value})  # fmt: skip

            if record.overall is not None:
                add(mapping.figures["overall"], _number(record.overall))
            for domain_id, element in domain_elements.items():
                elements[domain_id] = element
                score = result.domains.get(domain_id)
                if score is not None:
                    add(element, _number(score))
            if record.verdict in mapping.verdict_values:  # a survey has no verdict
                add(mapping.figures["verdict"], str(mapping.verdict_values[record.verdict]))
            add(mapping.figures["red_flags"], str(len(result.red_flags)))
            add(mapping.figures["assessed"], "1")
        for row in unassessed:
            tool = tools.get(row.tool_id)
            option = tool_option(
                mapping, row.tool_name, tool.vendor if tool else "", row.tool_version
            )
            options[option.code] = option
            values.append({"dataElement": mapping.figures["assessed"].code, "period": period.id,
                           "orgUnit": row.facility_code, "attributeOptionCombo": option.code, "value": "0"})  # fmt: skip
        for domain_id, element in mapping.domains.items():
            elements.setdefault(domain_id, element)
        data_values = {"idScheme": "CODE", "dataSet": mapping.data_set.code, "dataValues": values}
        payloads.append(
            Dhis2Payload(
                mapping, period, data_values, build_metadata(mapping, elements, options, period)
            )
        )
    return payloads


def build_metadata(
    mapping: Dhis2Mapping,
    elements: dict[str, Element],
    options: dict[str, ToolOption],
    period: Period,
) -> dict[str, Any]:
    """Data elements, the AI-tool attribute category (option, category, combo, option combos)
    and the data set, with fixed UIDs derived from the codes."""
    category = mapping.tool_category
    sharing = {"public": "rwrw----"}
    option_list = sorted(options.values(), key=lambda o: o.code)
    integer_figures = {"verdict", "red_flags", "assessed"}
    data_elements = []
    for key, element in elements.items():
        integer = key in integer_figures and element is mapping.figures.get(key)
        data_elements.append({
            "id": uid(element.code), "code": element.code, "name": element.name,
            "shortName": element.name[:50], "domainType": "AGGREGATE",
            "valueType": "INTEGER_ZERO_OR_POSITIVE" if integer else "NUMBER",
            "aggregationType": {"verdict": "NONE", "red_flags": "SUM", "assessed": "SUM"}.get(key, "AVERAGE") if integer else "AVERAGE",
            "zeroIsSignificant": True, "categoryCombo": {"id": "bjDvmb4bfuf"},  # DHIS2's default combo
        })  # fmt: skip
    return {
        "categoryOptions": [
            {"id": uid(o.code), "code": o.code, "name": o.name, "shortName": o.name[:50], "sharing": sharing}
            for o in option_list
        ],
        "categories": [{
            "id": uid(category.code), "code": category.code, "name": category.name,
            "shortName": category.name[:50], "dataDimensionType": "ATTRIBUTE",
            "categoryOptions": [{"id": uid(o.code)} for o in option_list],
        }],
        "categoryCombos": [{
            "id": uid(category.code + ":combo"), "code": category.code, "name": category.name,
            "dataDimensionType": "ATTRIBUTE", "categories": [{"id": uid(category.code)}],
        }],
        "categoryOptionCombos": [
            {"id": uid(o.code + ":combo"), "code": o.code, "name": o.name,
             "categoryCombo": {"id": uid(category.code + ":combo")}, "categoryOptions": [{"id": uid(o.code)}]}
            for o in option_list
        ],
        "dataElements": data_elements,
        "dataSets": [{
            "id": uid(mapping.data_set.code), "code": mapping.data_set.code, "name": mapping.data_set.name,
            "shortName": mapping.data_set_short_name, "periodType": period.kind,
            "categoryCombo": {"id": uid(category.code + ":combo")}, "sharing": sharing,
            "dataSetElements": [{"dataElement": {"id": uid(e.code)}} for e in elements.values()],
        }],
    }  # fmt: skip


@dataclass(frozen=True)
class Dhis2Export:
    folder: Path
    files: tuple[Path, ...]
    payloads: tuple[Dhis2Payload, ...]


def export_dhis2(
    store: Any, period_text: str, out: str | os.PathLike[str], mapping_folder: Path | None = None
) -> Dhis2Export:
    """Write `dataValueSets-<checklist>-<period>.json` and `metadata-<checklist>.json` per checklist."""
    payloads = build_payloads(store, period_text, mapping_folder)
    folder = prepare_folder(out)
    files: list[Path] = []
    for payload in payloads:
        qid = payload.mapping.questionnaire_id
        files.append(write_json(folder, f"metadata-{qid}.json", payload.metadata))
        files.append(
            write_json(folder, f"dataValueSets-{qid}-{payload.period.id}.json", payload.data_values)
        )
    return Dhis2Export(folder, tuple(files), tuple(payloads))
