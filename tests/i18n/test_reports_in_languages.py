"""An assessment answered once (answers are codes) is reported in French, in Portuguese and in
English: the PDF and the workbook are written, read back, and carry the verdict, its reason, the
part titles, the choice labels and the dates in the language picked at save time."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from guidecheck.checklist.model import Profile
from guidecheck.i18n import current_language, language
from guidecheck.reports import build_report_data, write_assessment_pdf, write_assessment_workbook
from guidecheck.reports.exporters import PdfExporter
from guidecheck.storage.store import Store

EXPECTED = {
    "fr": {
        "verdict": "Pas prêt",
        "reason": "1 signal d'alarme : l'outil ne doit pas être utilisé avant sa correction.",
        "parts": ("Confidentialité et sécurité des données", "Sécurité clinique et suivi"),
        "choice": "N'importe qui au centre de santé",
        "date": "31 mars 2026",
        "heading": "Plan d'action",
        "sheet": "Réponses",
    },
    "pt": {
        "verdict": "Não pronta",
        "reason": "1 sinal de alarme: a ferramenta não deve ser usada até ser corrigido.",
        "parts": ("Privacidade e segurança dos dados", "Segurança clínica e acompanhamento"),
        "choice": "Qualquer pessoa na unidade sanitária",
        "date": "31/03/2026",
        "heading": "Plano de acção",
        "sheet": "Respostas",
    },
    "en": {
        "verdict": "Not ready",
        "reason": "1 red flag: the tool should not be used until it is fixed.",
        "parts": ("Privacy and data security", "Clinical safety and monitoring"),
        "choice": "Anyone at the clinic",
        "date": "31 Mar 2026",
        "heading": "Action plan",
        "sheet": "Answers",
    },
}


@pytest.fixture
def report_data(tmp_path: Path, trilingual):  # type: ignore[no-untyped-def]
    store = Store(tmp_path / "guidecheck.db")
    profile = Profile(
        facility_name="Lwala",
        facility_code="KE-0042",
        tool_name="ChestScan",
        use_category="patient_triage",
        assessor_name="Amina Otieno",
        date="2026-03-31",
    )
    with language("fr"):  # answered in French: only codes are stored
        assessment = store.new_assessment(trilingual, profile)
        store.save_answer(assessment.id, "prv_encrypted", "no", "Pas de chiffrement.")
        store.save_answer(assessment.id, "prv_access", "anyone")
        store.save_answer(assessment.id, "saf_validated", "partly")
        store.save_answer(assessment.id, "saf_errors", 2)
    data = build_report_data(store, assessment.id)
    store.close()
    return data


def _pdf_text(path: Path) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)
    return " ".join(text.split())


@pytest.mark.parametrize("lang", ["fr", "pt", "en"])
def test_pdf_in_the_language_picked_at_save_time(tmp_path, report_data, lang):
    expected = EXPECTED[lang]
    text = _pdf_text(write_assessment_pdf(report_data, tmp_path / f"report-{lang}.pdf", lang))
    assert current_language() == "en"  # the rest of the process keeps its language
    for words in (expected["verdict"], expected["reason"], *expected["parts"]):
        assert " ".join(words.split()) in text, words
    assert expected["choice"] in text
    assert expected["date"] in text
    assert expected["heading"] in text
    others = [EXPECTED[o]["heading"] for o in EXPECTED if o != lang]
    assert not [heading for heading in others if heading in text]


@pytest.mark.parametrize("lang", ["fr", "pt"])
def test_workbook_in_the_language_picked_at_save_time(tmp_path, report_data, lang):
    expected = EXPECTED[lang]
    path = write_assessment_workbook(report_data, tmp_path / f"report-{lang}.xlsx", lang)
    book = load_workbook(path)
    assert expected["sheet"] in book.sheetnames
    cells = {
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }
    assert expected["verdict"] in cells
    assert set(expected["parts"]) <= cells
    assert expected["choice"] in cells
    assert EXPECTED["en"]["verdict"] not in cells


def test_the_app_language_is_the_default_and_the_save_dialog_offers_each(report_data, tmp_path):
    with language("pt"):
        exporter = PdfExporter()
        path = exporter.export(report_data, tmp_path / "default.pdf")
    assert exporter.lang == "pt"
    assert EXPECTED["pt"]["verdict"] in _pdf_text(path)
