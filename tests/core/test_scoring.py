"""Scoring is a pure function: checked item by item against hand-computed figures."""

from __future__ import annotations

from dataclasses import replace

from guidecheck.checklist.model import Answer
from guidecheck.checklist.scoring import score, visible_items


def answers(**values) -> dict[str, Answer]:
    return {k: Answer(k, v) for k, v in values.items()}


def test_weighted_share_per_domain_and_overall(mini, profile) -> None:
    # alpha: a_review yes (2×1), a_poster partly (1×0.5), a_storage shelf (2×0.5) = 3.5 / 5 = 70 %
    # beta: b_imaging no (1×0), b_cloud_safe hidden (no cloud) -> 0 / 1 = 0 %
    result = score(
        mini,
        profile,
        answers(
            a_review="yes", a_poster="partly", a_storage="shelf", b_imaging="no", b_places=["local"]
        ),
    )
    assert result.domains == {"alpha": 70.0, "beta": 0.0}
    assert result.overall == 58.3  # 3.5 / 6
    assert result.red_flags == ()
    assert result.verdict == "ready_with_conditions"
    assert [e.item_id for e in result.action_plan] == ["a_storage", "a_poster", "b_imaging"]
    assert [e.priority for e in result.action_plan] == ["medium", "medium", "medium"]


def test_not_applicable_and_na_choice_leave_the_item_out(mini, profile) -> None:
    result = score(
        mini, profile, answers(a_review="yes", a_poster="na", a_storage="none_kept", b_imaging="na")
    )
    assert result.domains == {"alpha": 100.0, "beta": None}
    assert result.overall == 100.0


def test_critical_no_or_dont_know_is_a_red_flag_and_forces_not_ready(mini, profile) -> None:
    for value in ("no", "dont_know"):
        result = score(
            mini,
            profile,
            answers(a_review=value, a_poster="yes", a_storage="locked", b_imaging="yes"),
        )
        assert result.red_flags == ("a_review",)
        assert result.verdict == "not_ready"
        assert result.action_plan[0].item_id == "a_review"
        assert result.action_plan[0].priority == "critical"
        assert result.domains["alpha"] == 60.0  # 3 / 5
        assert result.overall == 66.7  # 4 / 6: above the conditional threshold, still not ready


def test_skip_logic_hides_items_and_their_answers(mini, profile) -> None:
    given = answers(a_review="yes", b_places=["local", "cloud"], b_cloud_safe="no")
    shown = [i.id for i in visible_items(mini, profile, given)]
    assert "b_imaging" in shown and "b_cloud_safe" in shown
    assert score(mini, profile, given).red_flags == ("b_cloud_safe",)
    triage = replace(profile, use_category="patient_triage")
    only_local = answers(a_review="yes", b_places=["local"], b_cloud_safe="no")
    shown = [i.id for i in visible_items(mini, triage, only_local)]
    assert "b_imaging" not in shown and "b_cloud_safe" not in shown
    assert score(mini, triage, only_local).red_flags == ()


def test_ready_needs_every_domain_above_the_minimum(mini, profile) -> None:
    everything = answers(
        a_review="yes",
        a_poster="yes",
        a_storage="locked",
        b_imaging="yes",
        b_places=["cloud"],
        b_cloud_safe="yes",
    )
    assert score(mini, profile, everything).verdict == "ready"
    weak_beta = dict(
        everything,
        b_imaging=Answer("b_imaging", "no"),
        b_cloud_safe=Answer("b_cloud_safe", "partly"),
    )
    result = score(mini, profile, weak_beta)
    assert result.domains["beta"] == 37.5  # 1.5 / 4
    assert result.overall == 72.2  # 6.5 / 9
    assert result.verdict == "ready_with_conditions"


def test_unanswered_and_missing_notes_are_listed(mini, profile) -> None:
    given = {
        "a_review": Answer("a_review", "partly", note=""),
        "b_remarks": Answer("b_remarks", "fine"),
    }
    result = score(mini, profile, given)
    assert "a_poster" in result.unanswered and "a_review" not in result.unanswered
    assert result.missing_notes == ("a_review", "b_remarks")
    assert result.domain_progress["alpha"] == (1, 4)
    assert not result.complete


def test_nothing_answered_has_no_score(mini, profile) -> None:
    result = score(mini, profile, {})
    assert result.overall is None and result.verdict == "not_ready"
