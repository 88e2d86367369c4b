"""Content rules for every shipped checklist: plain words, a basis, both languages, honest actions.

These read the files as data (the loader's own YAML reader), so a rule broken in a checklist is
named with its item id, whatever the loader accepts. Readability is measured with a small
Flesch-Kincaid grade (syllables counted by vowel groups), kept here so it needs no download.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from guidecheck.checklist.yaml_reader import read_yaml
from guidecheck.paths import questionnaires_dir

FOLDER = questionnaires_dir()
# Checklists only: the folder also holds other data beside them (e.g. `*.dhis2.yaml` code maps).
SHIPPED = sorted(p for p in FOLDER.glob("*.yaml") if p.name.count(".") == 1)
ARCHIVED = sorted((FOLDER / "archive").glob("*.yaml"))
CHANGELOG = FOLDER / "CHANGELOG.md"

MAX_GRADE = 9.0
MAX_WORDS = 25
# Who acts, named in every action (clinic checklists name the first four).
ACTORS = (
    "facility head",
    "in-charge",
    "district office",
    "supplier",
    "district health team",
    "ministry",
    "regulator",
)
SUSPEND = {"en": "Suspend use of", "fr": "Suspendre l'utilisation de"}
TEXT_KEYS = {
    "title",
    "description",
    "question",
    "why",
    "evidence",
    "example",
    "basis",
    "action",
    "label",
    "unit",
    "constraint_message",
}


def _data(path: Path) -> dict[str, Any]:
    data = read_yaml(path.read_text(encoding="utf-8"), str(path))
    assert isinstance(data, dict)
    return data


def _items(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for domain in data["domains"] for item in domain["items"]]


def _format2() -> list[Path]:
    return [p for p in SHIPPED if _data(p).get("format") == 2]


# --- readability ----------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_VOWELS = re.compile(r"[aeiouy]+")
_SILENT_ENDINGS = ("ted", "ded", "ses", "zes", "ches", "shes", "ges", "ces", "xes")


def syllables(word: str) -> int:
    """Syllables by vowel groups; a silent final -e or -ed/-es drops one; acronyms per letter."""
    if word.isupper() and len(word) <= 4:
        return len(word)
    w = word.lower().replace("’", "'").split("'")[0]
    parts = [p for p in w.split("-") if p]
    if len(parts) > 1:
        return sum(syllables(p) for p in parts)
    if len(w) <= 3:
        return 1
    count = len(_VOWELS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    elif w.endswith(("ed", "es")) and not w.endswith(_SILENT_ENDINGS) and count > 1:
        count -= 1
    return max(1, count)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def grade(text: str) -> float:
    """Flesch-Kincaid grade level: 0.39 words/sentence + 11.8 syllables/word - 15.59."""
    found = words(text)
    sentences = max(1, len(re.findall(r"[.!?]+(?:\s|$)", text.strip())))
    total = sum(syllables(w) for w in found)
    return 0.39 * len(found) / sentences + 11.8 * total / len(found) - 15.59


def test_the_grade_formula_ranks_plain_and_hard_questions() -> None:
    assert [syllables(w) for w in ("tool", "patient", "diagnosis", "used", "AI")] == [1, 2, 3, 1, 2]
    assert grade("Is the poster on the wall?") < 3
    hard = "Is the institutional accountability framework operationalised through comprehensive documentation?"
    assert grade(hard) > 20


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_question_is_plain_words(path: Path) -> None:
    """At most 25 words and grade 9, in English, for every question of every shipped checklist."""
    for item in _items(_data(path)):
        question = item["question"]
        text = question["en"] if isinstance(question, dict) else question
        assert len(words(text)) <= MAX_WORDS, (item["id"], len(words(text)), text)
        assert grade(text) <= MAX_GRADE, (item["id"], round(grade(text), 1), text)


# --- format 2 content rules -----------------------------------------------------------------


def _texts(node: Any, owner: str = "") -> list[tuple[str, Any]]:
    """Every translatable text in the file (question, guidance, basis, action, labels…)."""
    found: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        owner = str(node.get("id", owner))
        for key, value in node.items():
            if key in TEXT_KEYS:
                found.append((f"{owner}.{key}", value))
            else:
                found.extend(_texts(value, owner))
    elif isinstance(node, list):
        for value in node:
            found.extend(_texts(value, owner))
    return found


@pytest.mark.parametrize("path", _format2(), ids=lambda p: p.name)
def test_every_text_is_in_every_language_of_the_file(path: Path) -> None:
    data = _data(path)
    languages = data["languages"]
    assert {"en", "fr"} <= set(languages)
    texts = _texts(data)
    assert len(texts) > 6 * len(_items(data))
    for where, text in texts:
        assert isinstance(text, dict), f"{where} is not translated"
        for lang in languages:
            assert str(text.get(lang, "")).strip(), f"{where} has no {lang}"


@pytest.mark.parametrize("path", _format2(), ids=lambda p: p.name)
def test_every_item_has_a_basis_and_every_action_names_who_acts(path: Path) -> None:
    for item in _items(_data(path)):
        basis = item.get("basis", {}).get("en", "")
        assert basis.startswith(("WHO 2025 guidance", "Good practice: WHO")), item["id"]
        if item.get("weight", 0) > 0:
            action = item["action"]["en"]
            assert any(actor in action for actor in ACTORS), (item["id"], action)


@pytest.mark.parametrize("path", _format2(), ids=lambda p: p.name)
def test_a_red_flag_action_starts_by_suspending_use(path: Path) -> None:
    critical = [i for i in _items(_data(path)) if i.get("critical")]
    assert len(critical) >= 3
    for item in critical:
        for lang, start in SUSPEND.items():
            assert item["action"][lang].startswith(start), (item["id"], lang)
        assert item["weight"] >= 4, item["id"]


@pytest.mark.parametrize("path", _format2(), ids=lambda p: p.name)
def test_risk_measures_are_always_asked_and_yes_is_good(path: Path) -> None:
    """No risk question hides behind a condition, and none asks whether a risk applies."""
    for domain in _data(path)["domains"]:
        if domain["kind"] != "risk":
            continue
        assert "condition" not in domain
        for item in domain["items"]:
            assert "condition" not in item, item["id"]
            assert not item["id"].endswith("_applies"), item["id"]
            assert item["type"] in ("compliance", "text"), item["id"]


@pytest.mark.parametrize("path", _format2(), ids=lambda p: p.name)
def test_monitoring_questions_live_in_a_guideline_area(path: Path) -> None:
    """No "monitoring" kind: `mon_` items sit in the guideline area they belong to."""
    kinds = {d["kind"] for d in _data(path)["domains"]}
    assert kinds <= {"guideline", "phase", "risk", "benefit"}
    monitoring = [
        (domain["kind"], item["id"])
        for domain in _data(path)["domains"]
        for item in domain["items"]
        if item["id"].startswith("mon_")
    ]
    assert len(monitoring) >= 6
    assert all(kind == "guideline" for kind, _id in monitoring), monitoring


def test_the_clinic_checklist_covers_the_issues_topics() -> None:
    data = _data(FOLDER / "who-ai-health-2025.yaml")
    assert (data["format"], data["version"], data["level"]) == (2, "2.0.0", "clinic")
    domains = {d["id"]: d for d in data["domains"]}
    assert domains["benefit"]["kind"] == "benefit"
    items = {i["id"]: i for i in _items(data)}
    critical = {i for i, item in items.items() if item.get("critical")}
    assert {"prv_authorised_only", "saf_positive_confirmed", "trn_trained_before_use"} <= critical
    assert {"eth_intended_use_only", "mon_error_report_way"} <= critical
    assert "prv_access_password" not in critical and items["prv_access_password"]["weight"] > 0
    # A clinic still preparing is not asked for an error logbook; a pilot is asked to track.
    assert "preparing" in items["mon_error_report_way"]["condition"]
    assert "pilot" in items["imp_performance_tracked"]["condition"]
    assert "pilot" in items["mon_feedback_way"]["condition"]
    chatbot = [i for i, item in items.items() if "chatbot_generative" in item.get("condition", "")]
    assert len(chatbot) >= 4
    assert "answer.trn_staff_using_count" in items["trn_staff_trained_count"]["constraint"]
    assert "first" not in items["eth_dignity_privacy"]["guidance"]["why"]["en"]


def test_the_district_checklist_is_for_district_teams() -> None:
    data = _data(FOLDER / "who-ai-health-2025-district.yaml")
    assert (data["format"], data["level"]) == (2, "district")
    items = _items(data)
    assert len(items) >= 25
    ids = {d["id"] for d in data["domains"]}
    assert {"policy", "regulation", "training", "monitoring"} <= ids


# --- ids never come back --------------------------------------------------------------------


def _retired_ids() -> set[str]:
    """Ids named at the head of each bullet (before ':' or '->') of the "Retired" sections."""
    bullets: list[str] = []
    section = ""
    for line in CHANGELOG.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            section = line.strip("# ").lower()
        elif section == "retired" and line.startswith("- "):
            bullets.append(line)
        elif section == "retired" and line.startswith("  ") and bullets:
            bullets[-1] += line
    retired: set[str] = set()
    for bullet in bullets:
        retired.update(re.findall(r"`([a-z0-9_]+)`", bullet.split("->")[0].split(":")[0]))
    return retired


def test_retired_ids_are_listed_and_never_reused() -> None:
    retired = _retired_ids()
    assert {"imp_phase", "rsk_bias_applies", "saf_imaging_confirmed"} <= retired
    shipped = {p.name: {i["id"] for i in _items(_data(p))} for p in SHIPPED}
    for name, ids in shipped.items():
        assert not ids & retired, (name, sorted(ids & retired))
    # Every id an archived version had and its successor dropped is listed as retired.
    for old in ARCHIVED:
        data = _data(old)
        current = FOLDER / f"{data['id']}.yaml"
        dropped = {i["id"] for i in _items(data)} - shipped[current.name]
        assert dropped <= retired, sorted(dropped - retired)
