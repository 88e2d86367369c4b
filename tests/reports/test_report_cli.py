"""`guidecheck report ID --pdf --xlsx`: exit codes and one-sentence errors, on a real data folder."""

from __future__ import annotations

import openpyxl
import pypdf
import pytest
from report_helpers import answer_all, default_value, profile

from guidecheck.cli.main import main
from guidecheck.paths import database_path
from guidecheck.storage.store import Store


@pytest.fixture
def home_with_assessment(tmp_path, questionnaire):
    home = tmp_path / "home"
    home.mkdir()
    store = Store(database_path(home))
    try:
        assessment = store.new_assessment(
            questionnaire, profile(facility_name="Hôpital de Kédougou")
        )
        answer_all(store, assessment.id, default_value, lambda item: "seen")
    finally:
        store.close()
    return home, assessment.id


def test_writes_both_files(home_with_assessment, tmp_path, capsys):
    home, assessment_id = home_with_assessment
    pdf, xlsx = tmp_path / "out.pdf", tmp_path / "out.xlsx"
    code = main(
        ["--home", str(home), "report", assessment_id, "--pdf", str(pdf), "--xlsx", str(xlsx)]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert str(pdf) in out and str(xlsx) in out
    assert "Hôpital de Kédougou" in pypdf.PdfReader(pdf).pages[0].extract_text()
    assert openpyxl.load_workbook(xlsx)["Summary"]["B2"].value == "Hôpital de Kédougou"


def test_either_file_alone_and_a_short_id_prefix(home_with_assessment, tmp_path):
    home, assessment_id = home_with_assessment
    assert (
        main(["--home", str(home), "report", assessment_id[:8], "--xlsx", str(tmp_path / "a.xlsx")])
        == 0
    )
    assert (
        main(["--home", str(home), "report", assessment_id, "--pdf", str(tmp_path / "a.pdf")]) == 0
    )
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["a.pdf", "a.xlsx"]


def one_sentence(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].endswith(".")
    return lines[0]


def test_unknown_id_exits_2_with_one_sentence(home_with_assessment, tmp_path, capsys):
    home, _ = home_with_assessment
    code = main(
        ["--home", str(home), "report", "no-such-assessment", "--pdf", str(tmp_path / "x.pdf")]
    )
    assert code == 2
    assert "no-such-assessment" in one_sentence(capsys.readouterr().err)
    assert not (tmp_path / "x.pdf").exists()


def test_unwritable_path_exits_2_and_writes_nothing(home_with_assessment, tmp_path, capsys):
    home, assessment_id = home_with_assessment
    good = tmp_path / "good.pdf"
    code = main(
        [
            "--home",
            str(home),
            "report",
            assessment_id,
            "--pdf",
            str(good),
            "--xlsx",
            str(tmp_path / "missing" / "out.xlsx"),
        ]
    )
    assert code == 2
    assert "does not exist" in one_sentence(capsys.readouterr().err)
    assert not good.exists()
    code = main(["--home", str(home), "report", assessment_id, "--pdf", str(tmp_path)])
    assert code == 2
    assert "folder" in one_sentence(capsys.readouterr().err)


def test_no_output_asked_exits_2(home_with_assessment, capsys):
    home, assessment_id = home_with_assessment
    assert main(["--home", str(home), "report", assessment_id]) == 2
    assert "--pdf" in one_sentence(capsys.readouterr().err)
