"""The core's message catalogue: French labels and report text come through when asked for."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from guidecheck.checklist.labels import compliance_label, verdict_label
from guidecheck.i18n import _, set_language


def test_french_catalogue_translates_labels_and_falls_back_to_english() -> None:
    try:
        set_language("fr")
        assert verdict_label("ready_with_conditions") == "Prêt sous conditions"
        assert compliance_label("dont_know") == "Je ne sais pas"
        assert _("A sentence nobody translated.") == "A sentence nobody translated."
        set_language("sw")  # no catalogue: English
        assert verdict_label("not_ready") == "Not ready"
    finally:
        set_language(None)


def test_french_report_has_french_headings(tmp_path: Path) -> None:
    profile = {
        "facility_name": "Hôpital de Kédougou",
        "facility_code": "SN-01",
        "tool_name": "TriageAssist",
        "use_category": "patient_triage",
        "phase": "routine",
        "assessor_name": "Awa Diallo",
        "date": "2026-11-20",
    }
    source = tmp_path / "a.json"
    source.write_text(
        json.dumps(
            {
                "questionnaire": "who-ai-health-2025",
                "profile": profile,
                "answers": {"eth_patients_told": "no"},
            }
        ),
        encoding="utf-8",
    )
    cli = [sys.executable, "-m", "guidecheck.cli.main", "--home", str(tmp_path / "home")]
    made = subprocess.run(
        [*cli, "assessment", "new", "--from", str(source)],
        capture_output=True,
        text=True,
        check=True,
    )
    pdf = tmp_path / "r.pdf"
    subprocess.run(
        [*cli, "report", made.stdout.strip(), "--pdf", str(pdf), "--lang", "fr"],
        capture_output=True,
        text=True,
        check=True,
    )
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Pas prêt" in text and "Plan d'action" in text and "Hôpital de Kédougou" in text
    assert "BROUILLON" in text or "Brouillon" in text
