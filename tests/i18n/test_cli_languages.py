"""`--lang en|fr|pt` on `report`, `district report` and `questionnaires show`, and
`questionnaires validate` counting what each language still lacks."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from guidecheck.checklist.model import Profile
from guidecheck.cli.main import main
from guidecheck.i18n import set_language
from guidecheck.paths import database_path
from guidecheck.storage.catalog import shipped_questionnaires
from guidecheck.storage.store import Store

HERE = Path(__file__).resolve().parent
sys.path.append(str(HERE.parent / "district"))
from hub_builder import build_hub  # noqa: E402


@pytest.fixture(autouse=True)
def english_after():
    yield
    set_language("en")  # the CLI switches the whole process; later tests expect English


def cli(capsys, *argv: object) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(str(path)).pages).split())


def test_validate_counts_missing_translations_per_language(capsys):
    code, out, _err = cli(capsys, "questionnaires", "validate", HERE / "trilingual-checklist.yaml")
    assert code == 0
    assert "fr: all 18 texts translated" in out and "pt: all 18 texts translated" in out
    mini = HERE.parent / "gui" / "mini-checklist.yaml"
    code, out, _err = cli(capsys, "questionnaires", "validate", mini)
    assert code == 0 and "pt: 32 of 32 texts not translated (English is shown)" in out


@pytest.mark.parametrize("lang", ["fr", "pt"])
def test_questionnaires_show_in_a_language_with_english_fallback(capsys, lang):
    questionnaire = shipped_questionnaires().questionnaires[0]
    code, out, _err = cli(capsys, "questionnaires", "show", questionnaire.id, "--lang", lang)
    assert code == 0
    for domain in questionnaire.domains:  # the language's text, or English where it has none
        assert f"{domain.title.get(lang)} [{domain.id}]" in out
    assert ("poids" if lang == "fr" else "peso") in out


def test_unknown_language_is_refused_in_one_sentence(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["questionnaires", "show", "x", "--lang", "de"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_report_lang_pt_of_an_assessment_answered_in_french(capsys, tmp_path, trilingual):
    home = tmp_path / "home"
    home.mkdir()
    with Store(database_path(home)) as store:
        profile = Profile(facility_name="Lwala", facility_code="KE-0042", tool_name="ChestScan",
                          use_category="patient_triage", assessor_name="Amina Otieno",
                          date="2026-03-31")  # fmt: skip
        assessment = store.new_assessment(trilingual, profile)
        store.save_answer(assessment.id, "prv_encrypted", "no", "Pas de chiffrement.")
    out_pdf = tmp_path / "relatorio.pdf"
    code, out, _err = cli(
        capsys, "--home", home, "report", assessment.id, "--pdf", out_pdf, "--lang", "pt"
    )
    assert code == 0 and "Relatório PDF escrito" in out
    text = _text(out_pdf)
    assert "Não pronta" in text and "Privacidade e segurança dos dados" in text
    assert "31/03/2026" in text


def test_district_report_lang_fr(capsys, tmp_path):
    hub = build_hub(tmp_path)
    hub.store.close()
    out_pdf = tmp_path / "district.pdf"
    code, out, _err = cli(
        capsys, "--home", hub.home, "district", "report", "--pdf", out_pdf, "--lang", "fr"
    )
    assert code == 0 and "PDF du district écrit" in out
    text = _text(out_pdf)
    assert "Rapport du district sur les outils d'IA en santé" in text or "Derniers verdicts" in text
    assert "Latest verdicts" not in text
