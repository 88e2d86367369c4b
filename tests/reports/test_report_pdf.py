"""The PDF report, read back with pypdf: what a clinic and a district officer must find in it."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from report_helpers import RED_FLAG_ITEMS, default_value, mixed_choice

from guidecheck.errors import UserError
from guidecheck.reports import write_assessment_pdf
from guidecheck.reports.labels import percent_text, verdict_label
from guidecheck.reports.pdf_blocks import item_number


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def flat(text: str) -> str:
    """Whitespace collapsed, so text wrapped over two lines still matches."""
    return " ".join(text.split())


def test_pdf_shows_facility_verdict_every_domain_score_and_every_red_flag(make_report, tmp_path):
    data = make_report(mixed_choice)
    assert data.score.verdict == "not_ready"
    assert set(data.score.red_flags) == set(RED_FLAG_ITEMS)
    out = write_assessment_pdf(data, tmp_path / "report.pdf")
    pages = pdf_pages(out)
    text = flat(" ".join(pages))
    assert "Clínica São João" in text
    assert "ChestScan AI" in text
    assert verdict_label("not_ready") in flat(pages[0])
    assert f"Overall score: {percent_text(data.score.overall)}" in flat(pages[0])
    for domain in data.shown_domains():
        assert domain.title.en in text
        assert f"{domain.title.en} {percent_text(data.score.domains[domain.id])}" in flat(pages[0])
    for item_id in data.score.red_flags:
        question = data.questionnaire.item(item_id).question.en
        assert flat(question) in text
        assert f"item {item_number(data, item_id)}" in text  # the number shown on screen
    # no internal ids where a person reads (the test notes quote ids: "Seen on site for <id>.")
    unquoted = text.replace("Seen on site for ", "\n")
    shown = [i.id for i in data.questionnaire.items if re.search(rf"(?<!\n){i.id}", unquoted)]
    assert shown == []
    for entry in data.score.action_plan:
        assert flat(entry.action.en) in text


def test_every_page_has_footer_with_page_x_of_y_id_revision_and_hash(make_report, tmp_path):
    data = make_report(mixed_choice)
    pages = pdf_pages(write_assessment_pdf(data, tmp_path / "r.pdf"))
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        footer = flat(page)
        assert f"Page {number} of {len(pages)}" in footer
        assert (
            f"Assessment {data.assessment.id} · revision 1 · content {data.content_hash[:12]}"
            in footer
        )
    assert len(re.findall(r"Page \d+ of \d+", flat(" ".join(pages)))) == len(pages)


def test_draft_watermark_only_on_drafts(make_report, tmp_path):
    draft = make_report()
    final = make_report(final=True)
    draft_pages = pdf_pages(write_assessment_pdf(draft, tmp_path / "draft.pdf"))
    final_pages = pdf_pages(write_assessment_pdf(final, tmp_path / "final.pdf"))
    assert all("DRAFT" in page for page in draft_pages)
    assert not any("DRAFT" in page for page in final_pages)
    final_text = flat(" ".join(final_pages))
    assert verdict_label("ready") in final_text
    assert "No red flags" in final_text
    assert "Signed off on 21 Nov 2026." in final_text  # dates are written for the language
    assert "Dr. Aminata Diallo" in final_text
    assert "This is a draft" in flat(" ".join(draft_pages))


def test_ready_with_conditions_verdict_is_written_out(make_report, tmp_path):
    def equity_gaps(item):
        if item.type == "compliance" and not item.critical and item.domain_id == "equity":
            return "no"
        return default_value(item)

    data = make_report(equity_gaps)
    assert data.score.verdict == "ready_with_conditions"
    first = flat(pdf_pages(write_assessment_pdf(data, tmp_path / "r.pdf"))[0])
    assert "Ready with conditions" in first
    assert f"{percent_text(data.score.domains['equity'])} – below minimum" in first


def test_accented_names_survive_and_fonts_are_embedded(make_report, tmp_path):
    data = make_report(
        facility_name="Hôpital de Kédougou",
        district="Kédougou",
        assessor_name="João Gonçalves",
        tool_vendor="Société Générale d'Imagerie",
        tool_intended_use="Lecture des radiographies thoraciques (tuberculose) — usage encadré, ŋ, ñ, ø.",
    )
    out = write_assessment_pdf(data, tmp_path / "fr.pdf")
    text = flat(" ".join(pdf_pages(out)))
    for expected in (
        "Hôpital de Kédougou",
        "João Gonçalves",
        "Société Générale d'Imagerie",
        "ŋ, ñ, ø",
    ):
        assert expected in text
    fonts = set()
    for page in pypdf.PdfReader(out).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/DescendantFonts" in font or "/FontDescriptor" in font:
                fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= fonts


def test_questionnaire_text_in_the_chosen_language(make_report, tmp_path, questionnaire):
    assert "fr" in questionnaire.languages
    data = make_report(mixed_choice)
    text = flat(" ".join(pdf_pages(write_assessment_pdf(data, tmp_path / "fr.pdf", lang="fr"))))
    french_titles = [d.title.values["fr"] for d in data.shown_domains() if "fr" in d.title.values]
    assert french_titles
    for title in french_titles:
        assert flat(title) in text


def test_long_notes_and_unbroken_words_wrap_and_are_kept(make_report, tmp_path):
    url = "https://example.org/" + "very-long-path-segment-" * 20 + "end"
    # The store allows notes of up to 10,000 characters: taller than a page once wrapped.
    long_note = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 165) + "FINAL-WORD"
    assert len(long_note) + len(url) < 10_000
    data = make_report(
        note=lambda item: f"{long_note} {url}" if item.id == "eth_patient_informed" else "ok"
    )
    pages = pdf_pages(write_assessment_pdf(data, tmp_path / "long.pdf"))
    text = " ".join(pages)
    assert "FINAL-WORD" in text
    assert "very-long-path-segment" in text


def test_unwritable_target_is_one_sentence_and_leaves_nothing(make_report, tmp_path):
    data = make_report()
    with pytest.raises(UserError, match=r"does not exist\.$"):
        write_assessment_pdf(data, tmp_path / "missing" / "r.pdf")
    with pytest.raises(UserError, match=r"it is a folder\.$"):
        write_assessment_pdf(data, tmp_path)
    with pytest.raises(UserError, match=r"^Cannot write the report to .*: file name too long\.$"):
        write_assessment_pdf(data, tmp_path / ("x" * 300 + ".pdf"))
    assert not list(tmp_path.rglob("*.pdf*")) and not list(tmp_path.rglob("*.part"))


def test_rewriting_replaces_the_file(make_report, tmp_path):
    data = make_report()
    target = tmp_path / "r.pdf"
    target.write_bytes(b"old contents")
    write_assessment_pdf(data, target)
    assert target.read_bytes().startswith(b"%PDF-")


def test_a_fresh_draft_with_no_answers_still_makes_both_reports(store, questionnaire, tmp_path):
    import openpyxl
    from report_helpers import profile

    from guidecheck.reports import build_report_data, write_assessment_workbook

    assessment = store.new_assessment(questionnaire, profile())
    data = build_report_data(store, assessment.id)
    assert data.score.overall is None and not data.answers
    text = flat(" ".join(pdf_pages(write_assessment_pdf(data, tmp_path / "empty.pdf"))))
    assert "Not ready" in text and "Overall score: no score" in text
    assert "Nothing has been scored yet" in text
    assert text.count("(not answered)") == len(data.score.visible_items)
    book = openpyxl.load_workbook(write_assessment_workbook(data, tmp_path / "empty.xlsx"))
    fields = {
        row[0]: row[1] for row in book["Summary"].iter_rows(min_row=2, max_col=2, values_only=True)
    }
    assert fields["Overall score (%)"] is None
    assert book["Answers"].max_row == len(data.score.visible_items) + 1


def test_free_text_answers_are_printed_under_their_question(make_report, tmp_path):
    data = make_report()
    text = flat(" ".join(pdf_pages(write_assessment_pdf(data, tmp_path / "t.pdf"))))
    text_items = [
        i for i in data.questionnaire.items if i.type == "text" and i.id in data.score.visible_items
    ]
    assert text_items
    assert text.count("Answer: Answered in writing: see the facility file.") == len(text_items)
    assert text.count("Written answer") == len(text_items)
