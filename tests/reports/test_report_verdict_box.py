"""The PDF's "How the verdict was decided" box and the item weights annex, read back with pypdf,
for a format 2 assessment in each verdict (test checklist `tests/core/data/v2-verdicts.yaml`)."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from guidecheck.checklist.loading import load_questionnaire
from guidecheck.checklist.model import Profile, SignOff
from guidecheck.reports import build_report_data, write_assessment_pdf

V2 = load_questionnaire(Path(__file__).parents[1] / "core" / "data" / "v2-verdicts.yaml")
PROFILE = Profile(
    facility_name="Kibera Health Centre",
    facility_code="KE-KIB-01",
    tool_name="ChestScan",
    use_category="diagnostic_imaging",
    phase="routine",
    assessor_name="Grace Wanjiru",
    date="2026-11-20",
)
CASES = {
    "not_ready": {"saf_confirm": "no", "eqt_groups": "no", "eqt_language": "no"},
    "ready_with_conditions": {"eth_informed": "partly", "eqt_groups": "no"},
    "ready": {},
}


def make_pdf(store, tmp_path: Path, overrides: dict[str, str]) -> tuple[Path, object]:
    assessment = store.new_assessment(V2, PROFILE)
    store.save_answer(assessment.id, "phs_users", 4)
    store.save_answer(assessment.id, "phs_trained", 3)
    for item in V2.items:
        if item.type == "compliance" and item.domain_id != "chatbot":
            store.save_answer(assessment.id, item.id, overrides.get(item.id, "yes"), "seen")
    store.finalize(assessment.id, SignOff("Grace Wanjiru", "Nurse", "Dr. Otieno", "2026-11-21"))
    data = build_report_data(store, assessment.id)
    path = write_assessment_pdf(data, tmp_path / f"{assessment.id}.pdf")
    return path, data


@pytest.mark.parametrize("verdict", list(CASES))
def test_pdf_says_how_the_verdict_was_decided(store, tmp_path: Path, verdict: str) -> None:
    path, data = make_pdf(store, tmp_path, CASES[verdict])
    assert data.score.verdict == verdict
    pages = [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages]
    from guidecheck.checklist.reasons import reason_texts

    reasons = reason_texts(data.score, V2)
    if verdict != "ready":  # the verdict page names the most important reason
        assert reasons[0] in pages[0]
    box = next(p for p in pages[:2] if "How the verdict was decided •" in p)  # after the chart
    for reason in reasons:
        assert reason in box
    assert "A guideline area below 25%: Not ready." in box
    annex = next(p for p in pages if "Annex: item weights" in p)
    assert "Is a positive AI reading confirmed by a test or a trained clinician?" in annex
    assert "Are patients told they talk to a machine?" not in annex  # not shown, not weighed
    assert "saf_confirm" not in annex  # numbers as on screen, never internal ids


def test_ready_with_conditions_lists_the_partly_critical_item(store, tmp_path: Path) -> None:
    path, data = make_pdf(store, tmp_path, CASES["ready_with_conditions"])
    pages = [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(path).pages]
    assert "(and 1 more: see How the verdict was decided)" in pages[0]
    box = next(p for p in pages[:2] if "How the verdict was decided •" in p)
    assert "Condition: a critical item is only partly met" in box
    assert "Equity and inclusion is at 40%, below the 50% minimum for Ready." in box
