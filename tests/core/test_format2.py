"""Format 2 checklists: what the loader accepts and refuses, and that format 1 is unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidecheck.checklist.loading import load_questionnaire
from guidecheck.errors import QuestionnaireError
from guidecheck.paths import questionnaires_dir

DATA = Path(__file__).parent / "data"
V2 = DATA / "v2-verdicts.yaml"

HEAD = """format: 2
id: tiny
version: "2"
title: Tiny
"""
ITEM = """domains:
  - id: one
    title: One
    items:
      - id: q1
        type: compliance
        question: A?
        basis: Good practice
"""


def _load(tmp_path: Path, text: str):
    path = tmp_path / "tiny.yaml"
    path.write_text(text, encoding="utf-8")
    return load_questionnaire(path)


def test_format2_fixture_loads_with_its_rules_and_new_fields() -> None:
    q = load_questionnaire(V2)
    assert (q.format, q.level, q.scoring.rules_version) == (2, "clinic", 2)
    assert q.scoring.domain_floor == 25 and q.scoring.na_share_max == 50
    assert q.thresholds.ready == 80  # charts and screens keep reading `thresholds`
    assert q.item("eth_informed").basis.en.startswith("WHO 2025")
    assert q.item("eth_informed").na_refused and not q.item("gov_agreement").na_refused
    assert q.item("eqt_groups").na_needs_note
    assert q.item("phs_trained").constraint == "value <= answer.phs_users"
    assert "fr" in q.item("phs_trained").constraint_message.values
    assert {d.kind for d in q.domains} == {"guideline", "phase", "risk", "benefit"}


def test_scoring_block_defaults_when_left_out(tmp_path: Path) -> None:
    q = _load(tmp_path, HEAD + "level: district\n" + ITEM)
    assert q.level == "district"
    assert (q.scoring.ready, q.scoring.domain_floor, q.scoring.critical_partly) == (
        80,
        25,
        "ready_with_conditions",
    )
    assert q.scoring.na_needs_note is True
    assert not q.scored  # no weight anywhere: a survey


def test_shipped_format1_checklist_keeps_rules_version_1() -> None:
    q = load_questionnaire(questionnaires_dir() / "archive" / "who-ai-health-2025-1.0.0.yaml")
    assert (q.format, q.version) == (1, "1.0.0")
    assert q.scoring.rules_version == 1
    assert not any(item.na_refused or item.na_needs_note for item in q.items)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (HEAD + ITEM.replace("        basis: Good practice\n", ""), "'basis' is missing"),
        (HEAD + "thresholds: {ready: 80}\n" + ITEM, "not 'thresholds:'"),
        (HEAD.replace("format: 2", "format: 1") + "level: clinic\n" + ITEM, "needs 'format: 2'"),
        (HEAD + "level: national\n" + ITEM, "'level' must be one of"),
        (HEAD + "scoring: {rules_version: 1}\n" + ITEM, "'rules_version' must be 2"),
        (HEAD + "scoring: {critical_partly: ready}\n" + ITEM, "'critical_partly' must be"),
        (HEAD + "scoring: {domain_floor: 60}\n" + ITEM, "'domain_floor' must not be above"),
        (HEAD + "scoring: {na_share_max: 150}\n" + ITEM, "'na_share_max' must be a number"),
        (HEAD + ITEM + "        na_allowed: true\n", "only for critical items"),
        (HEAD + ITEM + "        constraint: \"value == 'yes'\"\n", "only number, date"),
        (
            HEAD + ITEM.replace("compliance", "number") + "        constraint: 'value > 1'\n",
            "'constraint_message' is missing",
        ),
        (
            HEAD
            + ITEM.replace("compliance", "number")
            + "        constraint: 'value > answer.q9'\n        constraint_message: Bad\n",
            "not an earlier item",
        ),
        (HEAD + ITEM + "        condition: 'value > 1'\n", "only 'profile.…' and 'answer.…'"),
        (HEAD + ITEM.replace("kind", "x") + "    kind: monitoring\n", "'kind' must be one of"),
    ],
)
def test_bad_format2_fields_are_named(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(QuestionnaireError) as caught:
        _load(tmp_path, text)
    messages = " | ".join(e.message for e in caught.value.errors)
    assert words in messages, messages


def test_phase_and_chatbot_category_are_known_to_conditions(tmp_path: Path) -> None:
    text = (
        HEAD
        + ITEM
        + (
            "        condition: \"profile.phase == 'pilot' and profile.use_category =="
            " 'chatbot_generative'\"\n"
        )
    )
    assert _load(tmp_path, text).item("q1").condition
