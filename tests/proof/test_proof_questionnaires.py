"""Hostile questionnaires: every broken or malicious file is refused with a QuestionnaireError that
names the file (and the line, where there is one); nothing else ever escapes the loader.

Hand-made attacks (YAML bombs, Python tags, conditions reaching for Python, cycles, wrong types,
huge and special files) plus hypothesis fuzzing of random text and of mutations of the shipped
WHO checklist. A questionnaire that does load must also be usable: scoring it never raises.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from proofkit import MINI_PATH, TALLY, WHO_PATH, cli_env, make_profile

from guidecheck.checklist.loading import load_questionnaire, parse_questionnaire_text
from guidecheck.checklist.model import Answer, Questionnaire
from guidecheck.checklist.scoring import score, visible_items
from guidecheck.errors import QuestionnaireError

WHO_TEXT = WHO_PATH.read_text(encoding="utf-8")
WHO_DATA = yaml.safe_load(WHO_TEXT)
MINI_TEXT = MINI_PATH.read_text(encoding="utf-8")
FAST = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SOAK = settings(
    max_examples=3000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

HEAD = """format: 1
id: tiny
version: "1"
title: Tiny
domains:
  - id: one
    title: One
    items:
      - id: q1
        type: compliance
        question: A?
      - id: q2
        type: single_choice
        question: B?
        choices: [{id: a, label: A}, {id: b, label: B}]
"""


def with_item(extra: str, condition: str | None = None) -> str:
    """HEAD plus item q3 (line 16), with `extra` lines and an optional condition on line 19."""
    text = HEAD + "      - id: q3\n        type: compliance\n        question: C?\n"
    if condition is not None:
        text += f"        condition: {yaml.safe_dump(condition, default_style=chr(39), width=10_000).strip()}\n"
    return text + extra


def refused(text: str, tmp_path: Path, name: str = "hostile.yaml") -> QuestionnaireError:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(path)
    error = caught.value
    assert error.message.startswith(f"{path}"), error.message
    assert "\n" not in error.problem.strip() or "not valid YAML" in error.problem
    TALLY["questionnaire cases refused"] += 1
    return error


def usable(questionnaire: Questionnaire) -> None:
    """A loaded questionnaire can be shown and scored without any error."""
    assert questionnaire.title.en.strip(), "a questionnaire loaded without a title"
    for item in questionnaire.items:
        assert isinstance(item.question.en, str) and item.question.en.strip(), item.id
    profile = make_profile()
    score(questionnaire, profile, {})
    answers = {}
    for item in questionnaire.items:
        if item.type == "compliance":
            answers[item.id] = Answer(item.id, "yes", "")
        elif item.type == "single_choice" and item.choices:
            answers[item.id] = Answer(item.id, item.choices[0].id, "")
        elif item.type == "multiple_choice" and item.choices:
            answers[item.id] = Answer(item.id, [item.choices[0].id], "")
    visible_items(questionnaire, profile, answers)
    score(questionnaire, profile, answers)


# --- YAML-level attacks ------------------------------------------------------------------------

YAML_ATTACKS = {
    "billion laughs": "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
    "merge key alias": HEAD + "thresholds: &t {ready: 80}\nextra:\n  <<: *t\n",
    "python object tag": "!!python/object/apply:os.system ['touch /tmp/guidecheck-pwned']\n",
    "python name tag": HEAD.replace("title: Tiny", "title: !!python/name:os.system"),
    "python module tag": HEAD.replace("title: Tiny", "title: !!python/module:os"),
    "custom tag": HEAD.replace("title: Tiny", "title: !include /etc/passwd"),
    "deep flow nesting": "a: " + "[" * 500 + "]" * 500 + "\n",
    "deep mapping nesting": "a: " + "{a: " * 100 + "1" + "}" * 100 + "\n",
    "deep block nesting": "a:\n"
    + "".join("  " * (i + 1) + "a:\n" for i in range(80))
    + "  " * 82
    + "x\n",
    "unclosed quote": HEAD.replace("question: A?", "question: 'A?"),
    "unclosed bracket": HEAD.replace("choices: [{id: a", "choices: [{id: a,"),
    "tab indentation": HEAD.replace("        type: compliance", "\ttype: compliance"),
    "bad indentation": HEAD.replace("        type: compliance", "          type: compliance"),
    "two documents": HEAD + "---\nformat: 1\n",
    "duplicate key": HEAD.replace("title: Tiny", "title: Tiny\ntitle: Again"),
    "NUL byte": HEAD + "\x00\n",
    "control character": HEAD.replace("A?", "A\x07?"),
    "null key": HEAD.replace("title: Tiny", "title: Tiny\n~: x"),
    "list as key": HEAD.replace("title: Tiny", "title: Tiny\n[a, b]: x"),
    "mapping as key": HEAD.replace("title: Tiny", "title: Tiny\n? {a: 1}\n: x"),
    "root is a list": "- format: 1\n- id: tiny\n",
    "root is text": "just some text\n",
    "empty file": "",
    "only a comment": "# nothing here\n",
}


@pytest.mark.parametrize("name", sorted(YAML_ATTACKS))
def test_yaml_attacks_are_refused(name: str, tmp_path: Path) -> None:
    refused(YAML_ATTACKS[name], tmp_path)
    assert not Path("/tmp/guidecheck-pwned").exists()


def test_refusals_name_the_line(tmp_path: Path) -> None:
    assert refused(YAML_ATTACKS["unclosed quote"], tmp_path).line is not None
    assert refused(YAML_ATTACKS["duplicate key"], tmp_path).line == 5
    assert refused(YAML_ATTACKS["python name tag"], tmp_path).line == 4
    assert refused(YAML_ATTACKS["merge key alias"], tmp_path).line == 18


# --- conditions that try to reach Python --------------------------------------------------------

CONDITION_ATTACKS = [
    "__import__('os').system('id')",
    "answer.__class__ == 'x'",
    "answer.q1.__class__.__bases__ == 'x'",
    "profile.__dict__ == 1",
    "profile.facility_name.upper == 'X'",
    "answer.q1.__globals__ == 1",
    "().__class__",
    "open('/etc/passwd') == 'x'",
    "answered(__builtins__)",
    "answer['q1'] == 'yes'",
    "lambda: 1",
    "[x for x in answer.q1]",
    "answer.q1 if true else answer.q2",
    "f'{answer.q1}' == 'yes'",
    "answer.q1 == 'yes'; import os",
    "answer.q1 == 'y\\x65s'",
    "exec('1')",
    "eval('1') == 1",
    "globals()",
    "answer.q1 is 'yes'",
    "answer.q1 == 'yes' and",
    "not",
    "(answer.q1 == 'yes'",
    "answer.q1 == 'yes')",
    "profile.password == 'x'",
    "answer.q1 == " + "9" * 600,
    "(" * 40 + "true" + ")" * 40,
    "not " * 40 + "true",
    "answer.q3 == 'yes'",  # itself: a cycle
    "answer.q4 == 'yes'",  # a later item: a forward reference
    "answer.nothing == 'yes'",
    "answer.q1 == 'maybe'",  # not a compliance answer
    "answer.q2 == 'z'",  # not a choice
    "answer.q1 == 'yes' or answer.q3 == 'no'",
    "   ",
    "",
    "\u202eanswer.q1 == 'yes'",
]


@pytest.mark.parametrize("condition", CONDITION_ATTACKS)
def test_conditions_reaching_for_python_or_loops_are_refused(
    condition: str, tmp_path: Path
) -> None:
    text = with_item("      - id: q4\n        type: compliance\n        question: D?\n", condition)
    error = refused(text, tmp_path)
    assert error.line == 19, error.message


def test_domain_condition_cannot_look_inside_its_own_domain(tmp_path: Path) -> None:
    text = HEAD.replace(
        "    title: One\n", "    title: One\n    condition: \"answer.q1 == 'yes'\"\n"
    )
    assert refused(text, tmp_path).line == 8


@pytest.mark.parametrize("condition", [7, [1, 2], {"a": 1}, True])
def test_condition_of_the_wrong_type_is_refused(condition: object, tmp_path: Path) -> None:
    text = with_item(
        f"        condition: {yaml.safe_dump(condition, default_flow_style=True).strip()}\n"
    )
    assert refused(text, tmp_path).line == 19


# --- wrong types everywhere ------------------------------------------------------------------------

WRONG_VALUES: list[object] = [
    None,
    0,
    -1,
    7.5,
    10**30,
    True,
    "",
    "text",
    "UPPER case id",
    [],
    [1, "a"],
    {},
    {"x": 1},
    {"en": ["list"]},
    "2026-01-01",
]


def _paths(node: object, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _replace(node: object, path: tuple, value: object) -> object:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(node, dict):
        return {k: (_replace(v, rest, value) if k == head else v) for k, v in node.items()}
    assert isinstance(node, list)
    return [(_replace(v, rest, value) if i == head else v) for i, v in enumerate(node)]


def _load_or_refuse(text: str, label: str = "mutated.yaml") -> Questionnaire | None:
    try:
        questionnaire = parse_questionnaire_text(text, label)
    except QuestionnaireError as error:
        assert error.message.startswith(label), error.message
        TALLY["questionnaire cases refused"] += 1
        return None
    usable(questionnaire)
    TALLY["questionnaire cases loaded"] += 1
    return questionnaire


def _wrong_field_cases(per_field: int | None) -> tuple[int, int]:
    """Each field (and each list entry) of the mini checklist replaced by wrong values: every one of
    the 15, or `per_field` of them rotating so that every field and every wrong value is used.
    Returns how many were (refused, loaded); each loaded one was usable."""
    data = yaml.safe_load(MINI_TEXT)
    paths = _paths(data)
    assert len(paths) > 80
    outcomes = {"refused": 0, "loaded": 0}
    for number, path in enumerate(paths):
        if per_field is None:
            values = WRONG_VALUES
        else:
            values = [WRONG_VALUES[(number + k) % len(WRONG_VALUES)] for k in range(per_field)]
        for value in values:
            text = yaml.safe_dump(_replace(data, path, value), allow_unicode=True, sort_keys=False)
            outcomes["loaded" if _load_or_refuse(text) else "refused"] += 1
    return outcomes["refused"], outcomes["loaded"]


def test_every_field_of_the_mini_checklist_with_wrong_types() -> None:
    """A fixed sample (3 of the 15 wrong values per field, rotating): refused or usable."""
    refused_count, loaded = _wrong_field_cases(per_field=3)
    assert refused_count > loaded > 0


@pytest.mark.soak
def test_soak_every_field_of_the_mini_checklist_with_every_wrong_type() -> None:
    """The full product: each field with each of the 15 wrong values (make soak)."""
    refused_count, loaded = _wrong_field_cases(per_field=None)
    assert refused_count > loaded > 0


@pytest.mark.parametrize("key", ["title", "version", "domains", "id", "format"])
def test_missing_or_mistyped_top_level_fields_are_refused(key: str, tmp_path: Path) -> None:
    data = yaml.safe_load(HEAD)
    data.pop(key)
    refused(yaml.safe_dump(data, sort_keys=False), tmp_path)
    data[key] = {"nested": ["wrong"]}
    refused(yaml.safe_dump(data, sort_keys=False), tmp_path)


def test_title_and_description_of_the_wrong_type_are_refused(tmp_path: Path) -> None:
    for title in (
        "title: 5",
        "title: [a, b]",
        "title: {en: [1, 2]}",
        "title: !!binary aGVsbG8=",
        "title: ''",
    ):
        assert refused(HEAD.replace("title: Tiny", title), tmp_path).line == 4
    refused(HEAD.replace("title: Tiny", "title: Tiny\ndescription: [1]"), tmp_path)


# --- huge and special files -------------------------------------------------------------------------


def test_huge_files_are_refused_before_they_are_read(tmp_path: Path) -> None:
    refused("# " + "x" * (2 * 1024 * 1024), tmp_path)
    sparse = tmp_path / "sparse.yaml"
    with open(sparse, "wb") as handle:
        handle.truncate(8 * 1024**3)  # 8 GB that take no space: only the size is looked at
    with pytest.raises(QuestionnaireError, match="larger than 2 MB"):
        load_questionnaire(sparse)
    refused(
        "a: '" + "\u00e9" * (1024 * 1024 + 10) + "'\n", tmp_path
    )  # 1 M characters, over 2 MB as UTF-8


def test_binary_and_wrongly_encoded_files_are_refused(tmp_path: Path) -> None:
    for raw in (
        b"\xff\xfe\x00\x00garbage",
        os.urandom(4096),
        "format: 1\ntitle: é\n".encode("latin-1"),
    ):
        path = tmp_path / "binary.yaml"
        path.write_bytes(raw)
        with pytest.raises(QuestionnaireError) as caught:
            load_questionnaire(path)
        assert caught.value.message.startswith(str(path))


def test_a_folder_or_a_missing_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "folder.yaml").mkdir()
    for path in (tmp_path / "folder.yaml", tmp_path / "missing.yaml"):
        with pytest.raises(QuestionnaireError) as caught:
            load_questionnaire(path)
        assert caught.value.message.startswith(str(path))


SPECIAL_FILE_PROBE = """
import sys
from guidecheck.errors import QuestionnaireError
from guidecheck.checklist.loading import load_questionnaire
try:
    load_questionnaire(sys.argv[1])
except QuestionnaireError as error:
    print("refused:", error.message)
"""


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="Windows has no /dev/zero, no FIFO in a folder and no RLIMIT_AS for the memory cap",
)
@pytest.mark.parametrize("kind", ["endless device", "named pipe"])
def test_a_device_or_pipe_named_like_a_questionnaire_is_refused(kind: str, tmp_path: Path) -> None:
    """A `.yaml` that is really /dev/zero or a FIFO must not eat memory or hang the app.

    Run in a child process with a memory cap and a time limit so a failure cannot hurt the machine.
    """
    path = tmp_path / "odd.yaml"
    if kind == "endless device":
        path.symlink_to("/dev/zero")
    else:
        os.mkfifo(path)
    limit = (
        "import resource; resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", limit + SPECIAL_FILE_PROBE, str(path)],
            capture_output=True,
            text=True,
            timeout=8,
            env=cli_env(),
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"loading a {kind} hung")
    assert done.stdout.startswith(f"refused: {path}"), (done.stdout, done.stderr[-500:])


# --- fuzzing -------------------------------------------------------------------------------------------


def _mutate(text: str, ops: list[tuple[int, int, int, str]]) -> str:
    """Apply (kind, position, length, filler) edits: delete, insert, duplicate, replace, swap lines, cut."""
    for kind, pos, length, filler in ops:
        if not text:
            break
        pos %= len(text)
        end = min(len(text), pos + length)
        if kind == 0:
            text = text[:pos] + text[end:]
        elif kind == 1:
            text = text[:pos] + filler + text[pos:]
        elif kind == 2:
            text = text[:end] + text[pos:end] + text[end:]
        elif kind == 3:
            text = text[:pos] + filler + text[end:]
        elif kind == 4:
            lines = text.split("\n")
            a, b = pos % len(lines), (pos + length) % len(lines)
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
        else:
            text = text[:pos]
    return text


YAML_BITS = st.sampled_from(
    [
        ":",
        "-",
        " ",
        "\n",
        "  ",
        "'",
        '"',
        "[",
        "]",
        "{",
        "}",
        "&a",
        "*a",
        "!!python/object:os.system",
        "<<: *a",
        "\t",
        "#",
        "|",
        ">",
        "~",
        "null",
        "true",
        "1e999",
        ".nan",
        "condition: \"answer.__class__ == 'x'\"",
        "condition: \"answer.imp_phase == 'routine'\"",
        "id: ethics",
        "type: number",
        "weight: 99",
        "- id: dup",
        "\x00",
        "\ufeff",
        "\u202e",
        "é",
        "%YAML 1.1\n---\n",
    ]
)
EDITS = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.integers(0, 10**6),
        st.integers(0, 400),
        st.one_of(YAML_BITS, st.text(max_size=30)),
    ),
    min_size=1,
    max_size=6,
)


def _load_file_or_refuse(folder: Path, text: str) -> None:
    """Through the real file loader: written as UTF-8 (lone surrogates as they would be on disk)."""
    path = folder / "fuzzed.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        questionnaire = load_questionnaire(path)
    except QuestionnaireError as error:
        assert error.message.startswith(str(path)), error.message
        TALLY["questionnaire cases refused"] += 1
        return
    usable(questionnaire)
    TALLY["questionnaire cases loaded"] += 1


def check_mutation(folder: Path, base: str, ops: list[tuple[int, int, int, str]]) -> None:
    _load_file_or_refuse(folder, _mutate(base, ops))


def check_random_text(folder: Path, text: str) -> None:
    _load_file_or_refuse(folder, text)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzzed-questionnaires")


VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["yes", "compliance", "single_choice", "ethics", "answer.x == 'y'", "en"]),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def check_structural(choice: int, value: object) -> None:
    paths = _paths(WHO_DATA)
    _load_or_refuse(
        yaml.safe_dump(
            _replace(WHO_DATA, paths[choice % len(paths)], value),
            allow_unicode=True,
            sort_keys=False,
        )
    )


@FAST
@given(ops=EDITS)
def test_fuzz_mutations_of_the_mini_checklist(scratch: Path, ops) -> None:
    check_mutation(scratch, MINI_TEXT, ops)


@settings(FAST, max_examples=25)
@given(ops=EDITS)
def test_fuzz_mutations_of_the_who_checklist(scratch: Path, ops) -> None:
    check_mutation(scratch, WHO_TEXT, ops)


@FAST
@given(
    text=st.text(max_size=400) | st.binary(max_size=400).map(lambda b: b.decode("utf-8", "replace"))
)
def test_fuzz_random_text(scratch: Path, text: str) -> None:
    check_random_text(scratch, text)


@settings(FAST, max_examples=10)
@given(choice=st.integers(0, 10**6), value=VALUES)
def test_fuzz_wrong_values_in_the_who_checklist(choice: int, value: object) -> None:
    check_structural(choice, value)


@pytest.mark.soak
@settings(SOAK, max_examples=1500)
@given(ops=EDITS)
def test_soak_fuzz_mutations_of_the_who_checklist(scratch: Path, ops) -> None:
    check_mutation(scratch, WHO_TEXT, ops)


@pytest.mark.soak
@SOAK
@given(ops=EDITS)
def test_soak_fuzz_mutations_of_the_mini_checklist(scratch: Path, ops) -> None:
    check_mutation(scratch, MINI_TEXT, ops)


@pytest.mark.soak
@SOAK
@given(text=st.text(max_size=2000))
def test_soak_fuzz_random_text(scratch: Path, text: str) -> None:
    check_random_text(scratch, text)


@pytest.mark.soak
@settings(SOAK, max_examples=500)
@given(choice=st.integers(0, 10**6), value=VALUES)
def test_soak_fuzz_wrong_values_in_the_who_checklist(choice: int, value: object) -> None:
    check_structural(choice, value)


# --- the condition language on its own ----------------------------------------------------------------

CONDITION_TOKENS = st.sampled_from(
    [
        "answer.q1",
        "answer.q2",
        "profile.use_category",
        "profile.date",
        "answered(",
        "(",
        ")",
        "[",
        "]",
        ",",
        "==",
        "!=",
        "<",
        "<=",
        ">",
        ">=",
        " in ",
        " not in ",
        " and ",
        " or ",
        "not ",
        "'yes'",
        '"no"',
        "1",
        "-2.5",
        "true",
        "false",
        "null",
        "__import__",
        ".",
        "__class__",
        "'",
        "lambda",
        "\\",
        "os",
        "eval(",
        ";",
        "\n",
        " ",
    ]
)
CONDITIONS = st.lists(CONDITION_TOKENS, max_size=25).map("".join) | st.text(max_size=60)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=4), c, max_size=3),
    max_leaves=6,
)


def check_condition(text: str, profile: dict, answers: dict) -> None:
    """A condition either parses or raises ExpressionError; a parsed one evaluates to a bool on any data."""
    from guidecheck.checklist import expressions

    try:
        node = expressions.parse(text)
    except expressions.ExpressionError as error:
        assert "condition error at column" in error.message
        TALLY["conditions refused"] += 1
        return
    assert isinstance(expressions.evaluate(node, profile, answers), bool)
    TALLY["conditions parsed and evaluated"] += 1


@settings(FAST, max_examples=300)
@given(
    text=CONDITIONS,
    profile=st.dictionaries(st.sampled_from(["use_category", "date"]), JSON_VALUES),
    answers=st.dictionaries(st.sampled_from(["q1", "q2"]), JSON_VALUES),
)
def test_fuzz_conditions_parse_or_refuse_and_always_evaluate(
    text: str, profile: dict, answers: dict
) -> None:
    check_condition(text, profile, answers)


@pytest.mark.soak
@settings(SOAK, max_examples=20_000)
@given(
    text=CONDITIONS,
    profile=st.dictionaries(st.sampled_from(["use_category", "date"]), JSON_VALUES),
    answers=st.dictionaries(st.sampled_from(["q1", "q2"]), JSON_VALUES),
)
def test_soak_fuzz_conditions(text: str, profile: dict, answers: dict) -> None:
    check_condition(text, profile, answers)
