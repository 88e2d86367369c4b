"""Report timings for the largest assessment, beside the raw libraries doing the same amount of work.

Builds, in a temporary store, the assessment that shows the most items of the shipped questionnaire,
answers every shown item with a long evidence note, then times:
  - the GuideCheck PDF next to a plain reportlab SimpleDocTemplate with as many paragraphs;
  - the GuideCheck workbook next to a plain openpyxl workbook with the same rows.
Targets: PDF < 0.3 s, workbook < 0.3 s (median of several warm runs). Prints figures, asserts nothing.

Run: .venv/bin/python bench/bench_reports.py
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from guidecheck.checklist.loading import load_questionnaire
from guidecheck.checklist.model import USE_CATEGORIES, Item, Profile
from guidecheck.checklist.scoring import visible_items
from guidecheck.paths import questionnaires_dir
from guidecheck.reports import ReportData, build_report_data
from guidecheck.storage.store import Store
from peak import peak_mib
from peak import shown as mib_text

RUNS = 7
NOTE = (
    "Checked on site with the nurse in charge: the signed agreement, the staff register, the device "
    "settings and the patient information poster in Portuguese and Makhuwa were all seen; two gaps were "
    "noted (no refresher training this year, the error logbook is kept on loose sheets) and agreed with "
    "the district officer, who will follow up at the next supervision visit in three months. "
) * 2


def answer(item: Item) -> Any:
    """Answers that reveal follow-up questions: 'yes' to compliance, every choice when many allowed."""
    if item.type == "compliance":
        return "yes"
    if item.type == "single_choice":
        return item.choices[0].id
    if item.type == "multiple_choice":
        return [choice.id for choice in item.choices]
    if item.type == "number":
        return int(item.minimum) if item.minimum is not None else 12
    if item.type == "date":
        return "2026-01-15"
    return NOTE


def largest_assessment(store: Store) -> ReportData:
    questionnaire = load_questionnaire(questionnaires_dir() / "who-ai-health-2025.yaml")
    best: ReportData | None = None
    for category in USE_CATEGORIES:
        profile = Profile(
            facility_name="Hôpital régional de Kédougou",
            facility_code="SN-KED-001",
            district="Kédougou",
            region="Kédougou",
            tool_name="TB Screen",
            tool_vendor="Société d'Imagerie",
            tool_version="4.1",
            tool_intended_use="Chest X-ray triage for tuberculosis " * 4,
            tool_date_deployed="2025-03-01",
            use_category=category,
            phase="pilot",
            assessor_name="Aïssatou Ndiaye",
            assessor_role="Infirmière chef",
            date="2026-11-20",
        )
        assessment = store.new_assessment(questionnaire, profile, actor="bench")
        for _round in range(10):
            answers = store.answers(assessment.id)
            pending = [
                i for i in visible_items(questionnaire, profile, answers) if i.id not in answers
            ]
            if not pending:
                break
            for item in pending:
                store.save_answer(assessment.id, item.id, answer(item), NOTE)
        data = build_report_data(store, assessment.id)
        if best is None or len(data.score.visible_items) > len(best.score.visible_items):
            best = data
    assert best is not None
    return best


def timed(fn: Callable[[], Any], runs: int = RUNS) -> tuple[float, float]:
    """(first run, median of the following runs) in seconds."""
    start = time.perf_counter()
    fn()
    first = time.perf_counter() - start
    times = []
    for _run in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return first, statistics.median(times)


def peak_kib(fn: Callable[[], Any]) -> float:
    tracemalloc.start()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024


def story_paragraph_texts(data: ReportData) -> list[str]:
    """The markup of every Paragraph the GuideCheck PDF holds, table cells included."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, Table

    from guidecheck.reports.pdf_sections import build_story

    texts: list[str] = []

    def walk(flowable: Any) -> None:
        if isinstance(flowable, Paragraph):
            texts.append(flowable.text)
        elif isinstance(flowable, Table):
            for row in flowable._cellvalues:
                for cell in row:
                    for part in cell if isinstance(cell, list | tuple) else [cell]:
                        walk(part)
        elif isinstance(flowable, list | tuple):
            for part in flowable:
                walk(part)
        elif hasattr(flowable, "_content"):
            walk(flowable._content)

    walk(build_story(data, "en", A4[0] - 2 * 48))
    return texts


def plain_reportlab(paragraph_texts: list[str], font: str | None = None) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    buffer = io.BytesIO()
    style = getSampleStyleSheet()["BodyText"]
    if font:
        style = ParagraphStyle("plain-ttf", parent=style, fontName=font)
    SimpleDocTemplate(buffer, pagesize=A4).build(
        [Paragraph(text, style) for text in paragraph_texts]
    )
    return buffer.getvalue()


def plain_openpyxl(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    from guidecheck.reports.pdf import render_pdf
    from guidecheck.reports.pdf_styles import FONT_REGULAR
    from guidecheck.reports.workbook import render_workbook

    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.db")
        try:
            data = largest_assessment(store)
        finally:
            store.close()
    shown = len(data.score.visible_items)
    rows = [
        [
            item_id,
            data.questionnaire.item(item_id).question.en,
            "Yes",
            "yes",
            data.answers[item_id].note,
            3,
            False,
            True,
            1.0,
            False,
        ]
        for item_id in data.score.visible_items
    ]

    # Cold: the first report of a process pays for importing the library and parsing the fonts.
    start = time.perf_counter()
    pdf_bytes = render_pdf(data)
    cold_pdf = time.perf_counter() - start
    start = time.perf_counter()
    book_bytes = render_workbook(data)
    cold_book = time.perf_counter() - start
    texts = story_paragraph_texts(data)
    import pypdf

    pages = len(pypdf.PdfReader(io.BytesIO(pdf_bytes)).pages)
    print(f"largest assessment: {shown} items shown and answered, notes of {len(NOTE)} characters")
    print(
        f"PDF: {pages} pages, {len(texts)} paragraphs, {len(pdf_bytes) / 1024:.0f} KiB; "
        f"workbook: {len(book_bytes) / 1024:.0f} KiB"
    )
    print(
        f"cold (first in process, imports and font parsing included): PDF {cold_pdf:.3f} s, "
        f"workbook {cold_book:.3f} s"
    )
    print(f"warm: first run, then median of {RUNS}")

    first, median = timed(lambda: render_pdf(data))
    print(
        f"  GuideCheck PDF                         first {first:.3f} s   median {median:.3f} s   (target < 0.3 s)"
    )
    base_first, base_median = timed(lambda: plain_reportlab(texts))
    print(
        f"  plain reportlab, same {len(texts)} paragraphs  first {base_first:.3f} s   median {base_median:.3f} s"
        "   (Helvetica)"
    )
    base_first, base_median = timed(lambda: plain_reportlab(texts, FONT_REGULAR))
    print(
        f"  plain reportlab, same paragraphs       first {base_first:.3f} s   median {base_median:.3f} s"
        "   (DejaVu Sans embedded)"
    )

    first, median = timed(lambda: render_workbook(data))
    print(
        f"  GuideCheck workbook                    first {first:.3f} s   median {median:.3f} s   (target < 0.3 s)"
    )
    base_first, base_median = timed(lambda: plain_openpyxl(rows))
    print(
        f"  plain openpyxl, {len(rows)} rows               first {base_first:.3f} s   median {base_median:.3f} s"
    )

    print(
        f"peak Python allocations: PDF {peak_kib(lambda: render_pdf(data)):.0f} KiB, "
        f"workbook {peak_kib(lambda: render_workbook(data)):.0f} KiB; "
        f"process max RSS {mib_text(peak_mib(), 'MiB')}"
    )


if __name__ == "__main__":
    main()
