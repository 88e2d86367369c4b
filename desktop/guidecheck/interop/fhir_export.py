"""`guidecheck export fhir`: checklists and assessments as FHIR R4 files and one transaction Bundle."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidecheck.interop.fhir_build import DEFAULT_BASE, build_export, transaction_bundle
from guidecheck.interop.fhir_checks import check_bundle
from guidecheck.interop.outdir import prepare_folder, write_json
from guidecheck.interop.selection import Exported


@dataclass(frozen=True)
class FhirExport:
    folder: Path
    bundle: Path
    files: tuple[Path, ...]
    questionnaires: int
    responses: int
    observations: int


def export_fhir(
    exported: list[Exported], out: str | os.PathLike[str], base: str = DEFAULT_BASE
) -> FhirExport:
    """Build, check (nothing is written when a check fails), then write one file per resource
    and `bundle.json`, the transaction a FHIR server takes in one POST."""
    base = base.rstrip("/")
    resources = build_export(base, exported)
    bundle = transaction_bundle(resources)
    check_bundle(bundle)
    folder = prepare_folder(out)
    files = [write_json(folder, f"{r['resourceType']}-{r['id']}.json", r) for r in resources]
    bundle_path = write_json(folder, "bundle.json", bundle)
    counts: dict[str, int] = {}
    for resource in resources:
        counts[resource["resourceType"]] = counts.get(resource["resourceType"], 0) + 1
    return FhirExport(
        folder,
        bundle_path,
        tuple(files),
        counts.get("Questionnaire", 0),
        counts.get("QuestionnaireResponse", 0),
        counts.get("Observation", 0),
    )


def bundle_of(exported: list[Exported], base: str = DEFAULT_BASE) -> dict[str, Any]:
    """The checked transaction Bundle alone (for tests and callers that send it themselves)."""
    bundle = transaction_bundle(build_export(base.rstrip("/"), exported))
    check_bundle(bundle)
    return bundle
