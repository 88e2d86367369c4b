"""The log feeds the next assessment: what was logged since the last final one, serious events for
review in the clinic PDF (read back with pypdf), and the verdict left to the answers alone."""

from __future__ import annotations

import io

from monitoring_helpers import assess, log
from pypdf import PdfReader

from guidecheck.monitoring import store as monitoring
from guidecheck.monitoring.model import Tally
from guidecheck.monitoring.since import monitoring_domain_id, since_last_assessment
from guidecheck.reports.content import build_report_data
from guidecheck.reports.pdf import render_pdf


def pdf_text(data) -> str:
    reader = PdfReader(io.BytesIO(render_pdf(data)))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_next_assessment_sees_only_what_was_logged_since_the_last_final_one(store, mini, profile):
    log(store, "minor", "Before the first assessment: slow start-up.", kind="unavailable")
    first = assess(store, mini, profile, final=True)
    log(store, "harm", "Missed a clear pneumonia; treatment started two days late.")
    log(store, "minor", "Overruled a doubtful reading.", kind="overridden")
    log(store, "serious", "Flagged TB on a healthy child.", code="MZ-0042")
    monitoring.save_tally(store, Tally("ChestScan", "2026-11", 40, 10, facility_code="MZ-0042"))
    second = store.new_assessment(mini, profile)

    since = since_last_assessment(store.conn, store.get_assessment(second.id))
    assert since.since == store.get_assessment(first).finalized_at
    assert len(since.events) == 3
    assert since.by_kind()["wrong_output"] == 2 and since.by_kind()["overridden"] == 1
    assert since.by_severity() == {"none": 0, "minor": 1, "serious": 1, "harm": 1}
    assert [e.severity for e in since.serious] == ["harm", "serious"]
    assert since.override_trend() == [("2026-11", 40, 10, 0.25)]

    before = since_last_assessment(store.conn, store.get_assessment(first))
    assert [e.what_happened for e in before.events] == [
        "Before the first assessment: slow start-up."
    ]


def test_clinic_pdf_lists_serious_events_for_review_and_has_a_monitoring_page(store, mini, profile):
    first = assess(store, mini, profile, final=True)
    log(store, "harm", "Missed a clear pneumonia; treatment started two days late.")
    second = assess(store, mini, profile, final=False)
    data = build_report_data(store, second)
    text = pdf_text(data)
    assert "For review: serious or harmful events in the monitoring log" in text
    assert "Monitoring since the last assessment" in text
    assert "Missed a clear pneumonia" in text
    # review items, not verdict inputs: the same answers give the same verdict as before the event
    assert data.score.verdict == build_report_data(store, first).score.verdict


def test_no_monitoring_page_when_nothing_was_logged_since(store, mini, profile):
    log(store, "harm", "An old event, reviewed at the first assessment.")
    assess(store, mini, profile, final=True)
    second = assess(store, mini, profile, final=False)
    text = pdf_text(build_report_data(store, second))
    assert "Monitoring since the last assessment" not in text and "For review" not in text


def test_the_shipped_checklist_has_a_monitoring_domain(who):
    domain = who.domain(monitoring_domain_id(who))
    assert domain is not None and "monitoring" in domain.title.en.lower()
