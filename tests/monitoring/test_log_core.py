"""The monitoring log's core: what is saved, what is refused (nothing written), what is audited."""

from __future__ import annotations

import datetime as dt

import pytest

from guidecheck.errors import UserError
from guidecheck.monitoring import store as monitoring
from guidecheck.monitoring.identifiers import find_identifier
from guidecheck.monitoring.model import Observation, Tally
from guidecheck.storage.store import Store


def observation(**changes) -> Observation:
    base = {
        "date": "2026-11-21",
        "facility_code": "MZ-0042",
        "tool_id": "ChestScan",
        "kind": "wrong_output",
        "severity": "serious",
        "what_happened": "Marked a clear child X-ray as TB; the nurse disagreed and sent it for reading.",
        "action_taken": "Told the vendor; staff reminded the tool is not for children.",
    }
    return Observation(**{**base, **changes})


def count(store: Store, table: str) -> int:
    return store.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_an_observation_is_saved_with_its_audit_entry_and_survives_reopening(store, tmp_path):
    audit_before = count(store, "audit")
    new_id = monitoring.add_observation(store, observation(), actor="Amina N.")
    store.close()
    with Store(tmp_path / "guidecheck.db") as reopened:
        (saved,) = monitoring.observations(reopened.conn)
        assert saved.id == new_id and saved.tool_name == "ChestScan" and saved.is_serious
        assert saved.origin_device == reopened.device_id
        entry = reopened.audit_entries()[-1]
        assert (entry.entity, entry.entity_id, entry.action) == (
            "monitoring_event",
            new_id,
            "create",
        )
        assert count(reopened, "audit") == audit_before + 1
        assert reopened.verify_audit().ok


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("Mother called back on 0712 345 678 about the result", "phone number"),
        ("Patient on +254712345678 complained", "phone number"),
        ("Wrong reading for MRN 448812, sent for review", "record or ID number"),
        ("Result for file no. A-2231 was swapped", "record or ID number"),
        ("Sent the image to dr.k@example.org for a second opinion", "e-mail address"),
        ("National ID 19876543 was on the request form", "ID number"),
    ],
)
def test_text_with_an_obvious_identifier_is_refused_naming_it_and_nothing_is_written(
    store, text, what
):
    audit_before = count(store, "audit")
    with pytest.raises(UserError) as refused:
        monitoring.add_observation(store, observation(what_happened=text))
    assert what in refused.value.message and "remove it" in refused.value.message
    assert "\n" not in refused.value.message
    assert count(store, "monitoring_events") == 0 and count(store, "audit") == audit_before


@pytest.mark.parametrize(
    "text",
    [
        "On 2026-11-03 the tool was down from 10:00 to 14:30 (power cut).",
        "Tested 3,000 images in 2024; missed 2 of 40 cases in children under 5.",
        "Overruled 12 times this week, mostly for women over 60.",
    ],
)
def test_ordinary_dates_times_and_counts_pass_the_identifier_check(text):
    assert find_identifier(text) is None


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"kind": "bad_day"}, "kind must be one of"),
        ({"severity": "fatal"}, "severity must be one of"),
        ({"date": "21/11/2026"}, "YYYY-MM-DD"),
        ({"date": (dt.date.today() + dt.timedelta(days=5)).isoformat()}, "in the future"),
        ({"tool_id": "XRayBot"}, "No AI tool 'XRayBot'"),
        ({"facility_code": "ZZ-1"}, "No facility"),
        ({"what_happened": "   "}, "Please fill in"),
        ({"what_happened": "x" * 2001}, "longer than 2000"),
        ({"action_taken": "ok\x1b[31m"}, "plain text"),
    ],
)
def test_bad_fields_get_one_sentence_and_nothing_is_written(store, changes, words):
    with pytest.raises(UserError) as refused:
        monitoring.add_observation(store, observation(**changes))
    assert words in refused.value.message
    assert count(store, "monitoring_events") == 0


def test_monthly_tallies_give_an_override_rate_and_a_correction_replaces_the_month(store):
    monitoring.save_tally(store, Tally("ChestScan", "2026-09", 120, 6, facility_code="MZ-0042"))
    monitoring.save_tally(store, Tally("ChestScan", "2026-10", 100, 20, facility_code="MZ-0042"))
    monitoring.save_tally(store, Tally("ChestScan", "2026-10", 100, 25, facility_code="MZ-0042"))
    months = monitoring.tallies(store.conn)
    assert [(t.month, t.times_used, t.times_overridden) for t in months] == [
        ("2026-09", 120, 6),
        ("2026-10", 100, 25),
    ]
    assert months[0].override_rate == pytest.approx(0.05)
    assert months[1].override_rate == pytest.approx(0.25)
    assert [e.entity for e in store.audit_entries()].count("monitoring_tally") == 3


@pytest.mark.parametrize(
    ("tally", "words"),
    [
        (Tally("ChestScan", "2026-13", 1, 0, facility_code="MZ-0042"), "YYYY-MM"),
        (Tally("ChestScan", "2026-10", 5, 6, facility_code="MZ-0042"), "more often"),
        (Tally("ChestScan", "2026-10", -1, 0, facility_code="MZ-0042"), "whole numbers"),
        (Tally("ChestScan", "2999-01", 1, 0, facility_code="MZ-0042"), "future"),
    ],
)
def test_bad_tallies_are_refused(store, tally, words):
    with pytest.raises(UserError) as refused:
        monitoring.save_tally(store, tally)
    assert words in refused.value.message
    assert count(store, "monitoring_tallies") == 0
