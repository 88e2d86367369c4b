"""The domain chart (Drawing and SVG), the content hash and the exporter declarations."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest
from lxml import etree
from report_helpers import mixed_choice

from guidecheck.checklist.model import Answer, Thresholds
from guidecheck.reports import content_hash
from guidecheck.reports.charts import domain_chart_drawing, domain_chart_svg
from guidecheck.reports.exporters import EXPORTERS, PdfExporter, WorkbookExporter
from guidecheck.reports.labels import percent_number, percent_text

SVG = "{http://www.w3.org/2000/svg}"


def svg_strings(svg: str) -> list[str]:
    root = etree.fromstring(svg.encode("utf-8"))
    return [" ".join("".join(node.itertext()).split()) for node in root.iter(f"{SVG}text")]


def test_chart_svg_writes_every_label_and_score_and_says_below_minimum_in_words():
    labels = ["Ethics and rights", "Équité et inclusion", "Privacy", "Nothing scored here"]
    scores = [80.0, 33.3, 100.0, None]
    texts = svg_strings(domain_chart_svg(labels, scores, thresholds=Thresholds(domain_minimum=50)))
    for label in labels:
        assert label in texts
    assert "80%" in texts
    assert "100%" in texts
    assert "33.3% – below minimum" in texts
    assert "no score" in texts
    assert not any("below minimum" in t for t in texts if t.startswith(("80%", "100%")))


def test_chart_bar_lengths_follow_scores():
    from reportlab.graphics.shapes import Rect

    drawing = domain_chart_drawing(["a", "b"], [25.0, 100.0], width=400)
    bars = [
        shape
        for shape in drawing.contents
        if isinstance(shape, Rect)
        and shape.fillColor is not None
        and shape.fillColor.hexval() != "0xffffff"
    ]
    assert len(bars) == 2
    assert bars[1].width == pytest.approx(4 * bars[0].width)
    assert drawing.width == 400


def test_chart_refuses_mismatched_lists():
    with pytest.raises(ValueError):
        domain_chart_drawing(["a", "b"], [10.0])


def test_percentages_never_round_up_across_a_threshold():
    assert percent_number(79.96) == "79.9"
    assert percent_number(80.0) == "80"
    assert percent_text(None) == "no score"
    assert percent_text(72.5) == "72.5%"


def test_content_hash_is_stable_and_follows_what_the_assessment_says(make_report, store):
    data = make_report(mixed_choice)
    digest = content_hash(data.assessment, data.answers)
    assert digest == data.content_hash and len(digest) == 64
    int(digest, 16)
    assert content_hash(data.assessment, dict(reversed(list(data.answers.items())))) == digest
    retimed = {
        k: dataclasses.replace(a, answered_at="2030-01-01T00:00:00")
        for k, a in data.answers.items()
    }
    assert content_hash(data.assessment, retimed) == digest
    changed = dict(data.answers)
    changed["eth_patient_informed"] = Answer("eth_patient_informed", "yes", "fixed")
    assert content_hash(data.assessment, changed) != digest
    renoted = dict(data.answers)
    renoted["eth_patient_informed"] = dataclasses.replace(
        renoted["eth_patient_informed"], note="other note"
    )
    assert content_hash(data.assessment, renoted) != digest
    assert content_hash(dataclasses.replace(data.assessment, revision=2), data.answers) != digest
    assert (
        content_hash(dataclasses.replace(data.assessment, status="final"), data.answers) != digest
    )


def test_exporters_declare_label_suffix_options_and_write(make_report, tmp_path):
    data = make_report()
    assert [cls.key for cls in EXPORTERS] == ["pdf", "xlsx"]
    for cls in EXPORTERS:
        exporter = cls()
        assert exporter.label and exporter.suffix.startswith(".")
        assert exporter.file_filter.endswith(f"(*{exporter.suffix})")
        (option,) = cls.options(("en", "fr"))
        assert option.name == "lang" and option.choices == ("en", "fr")
        name = exporter.default_name(data)
        assert name == f"guidecheck-MZ-NIA-014-ChestScan-AI-2026-11-20-r1{exporter.suffix}"
        written = exporter.export(data, tmp_path / name)
        assert written.stat().st_size > 1000
    assert (tmp_path / PdfExporter().default_name(data)).read_bytes().startswith(b"%PDF-")
    assert (tmp_path / WorkbookExporter().default_name(data)).read_bytes().startswith(b"PK")


def test_importing_the_cli_and_the_reports_package_loads_no_heavy_library():
    code = (
        "import sys, guidecheck.cli.main, guidecheck.cli.report, guidecheck.reports, "
        "guidecheck.reports.exporters; "
        "print(sorted(m for m in ('reportlab', 'openpyxl') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_report_chart_svg_shows_the_assessments_domains_and_scores(make_report):
    from guidecheck.reports.charts import report_chart_svg

    data = make_report(mixed_choice)
    texts = svg_strings(report_chart_svg(data, lang="fr"))
    for domain in data.shown_domains():
        title = domain.title.get("fr")
        assert any(len(t) > 3 and title.startswith(t) for t in texts), title
        score = percent_text(data.score.domains[domain.id])
        assert any(t == score or t.startswith(f"{score} –") for t in texts)
