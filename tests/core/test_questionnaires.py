"""Loading checklists: the WHO checklist's shape, and clear errors naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidecheck.checklist.loading import load_all, load_questionnaire
from guidecheck.errors import QuestionnaireError
from guidecheck.paths import questionnaires_dir

WHO = questionnaires_dir() / "who-ai-health-2025.yaml"
GUIDELINE_DOMAINS = [
    "ethics",
    "privacy",
    "safety",
    "equity",
    "training",
    "governance",
    "transparency",
]


def test_who_checklist_covers_every_guideline_area() -> None:
    q = load_questionnaire(WHO)
    assert q.id == "who-ai-health-2025"
    assert len(q.items) >= 60
    ids = [d.id for d in q.domains]
    assert ids[:7] == GUIDELINE_DOMAINS
    assert {"implementation", "risks"} <= set(ids)
    for domain in q.domains:
        if domain.id in GUIDELINE_DOMAINS:
            assert len(domain.items) >= 6, domain.id
    for item in q.items:
        assert item.question.en.strip()
        assert item.question.get("fr") != item.question.en or item.question.values.get("fr"), (
            item.id
        )
        if item.scored:
            assert item.action.en.strip(), item.id
            assert item.guidance.why.en and item.guidance.evidence.en, item.id
    critical = [i.id for i in q.items if i.critical]
    assert len(critical) >= 5
    by_type = {i.type for i in q.items}
    assert by_type == {"compliance", "single_choice", "multiple_choice", "number", "date", "text"}
    conditional_on_use = [i for i in q.items if i.condition and "use_category" in i.condition]
    assert any("diagnostic_imaging" in i.condition for i in conditional_on_use)


def _write(tmp_path: Path, text: str, name: str = "broken.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD_HEAD = """format: 1
id: tiny
version: "1"
title: Tiny
domains:
  - id: one
    title: One
    items:
"""


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        (
            "      - id: q1\n        type: compliance\n        question: A?\n      - id: q1\n        type: text\n        question: B?\n",
            12,
            "used twice",
        ),
        (
            "      - id: q1\n        type: compliance\n        question: A?\n        condition: \"answer.q2 == 'yes'\"\n      - id: q2\n        type: compliance\n        question: B?\n",
            12,
            "not an earlier item",
        ),
        (
            "      - id: q1\n        type: single_choice\n        question: A?\n        choices: [{id: a, label: A}]\n      - id: q2\n        type: text\n        question: B?\n        condition: \"answer.q1 == 'zzz'\"\n",
            16,
            "not a choice",
        ),
        (
            "      - id: q1\n        type: wizardry\n        question: A?\n",
            10,
            "'type' must be one of",
        ),
        (
            "      - id: q1\n        type: compliance\n        question: A?\n        condition: \"__import__('os').system('x')\"\n",
            12,
            "condition error",
        ),
        (
            "      - id: q1\n        type: compliance\n        question: A?\n        critical: true\n",
            12,
            "weight above 0",
        ),
        (
            "      - id: q1\n        type: compliance\n      question: [unclosed\n",
            11,
            "not valid YAML",
        ),
    ],
)
def test_broken_file_names_file_line_and_problem(
    tmp_path: Path, body: str, line: int, words: str
) -> None:
    path = _write(tmp_path, GOOD_HEAD + body)
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(path)
    message = caught.value.message
    assert str(path) in message
    assert f"line {line}" in message, message
    assert words in message


def test_hostile_yaml_is_refused(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n"
    with pytest.raises(QuestionnaireError, match="aliases"):
        load_questionnaire(_write(tmp_path, bomb))
    with pytest.raises(QuestionnaireError, match="nested too deeply"):
        load_questionnaire(_write(tmp_path, "a: " + "[" * 200 + "]" * 200 + "\n"))
    with pytest.raises(QuestionnaireError, match="larger than 2 MB"):
        load_questionnaire(_write(tmp_path, "# " + "x" * (3 * 1024 * 1024)))
    with pytest.raises(QuestionnaireError, match="not valid YAML"):
        load_questionnaire(_write(tmp_path, "!!python/object/apply:os.system ['echo hi']\n"))
    with pytest.raises(QuestionnaireError, match="not UTF-8"):
        path = tmp_path / "binary.yaml"
        path.write_bytes(b"\xff\xfe\x00garbage")
        load_questionnaire(path)


def test_one_broken_file_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(WHO.read_text(encoding="utf-8"), encoding="utf-8")
    _write(tmp_path, "format: 1\nid: [", "bad.yaml")
    report = load_all(tmp_path)
    assert [q.id for q in report.questionnaires] == ["who-ai-health-2025"]
    assert len(report.errors) == 1 and "bad.yaml" in report.errors[0].message
