"""Checklists are read by libyaml (C) when the text is plain, and by the Python loader otherwise:
both must give the same data with the same line numbers, and every refusal stays the Python
loader's, with its message."""

from __future__ import annotations

import pytest

from guidecheck.checklist import yaml_reader
from guidecheck.checklist.yaml_reader import LocDict, read_yaml
from guidecheck.errors import QuestionnaireError
from guidecheck.paths import questionnaires_dir


def same(a: object, b: object) -> None:
    assert type(a) is type(b)
    if isinstance(a, LocDict):
        assert isinstance(b, LocDict)
        assert list(a) == list(b) and a.line == b.line and a.key_lines == b.key_lines
        for key in a:
            same(a[key], b[key])
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            same(x, y)
    else:
        assert a == b


@pytest.mark.skipif(yaml_reader._C_LOADER is None, reason="PyYAML without libyaml")
@pytest.mark.parametrize("path", sorted(questionnaires_dir().glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_checklists_read_the_same_by_both_readers(path):
    text = path.read_text(encoding="utf-8")
    done, fast = yaml_reader._read_fast(text)
    assert done
    same(fast, yaml_reader._read_python(text, str(path)))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a: &x [1, 2]\nb: *x\n", "anchors and aliases"),
        ("a: 1\na: 2\n", "appears twice"),
        ("a:\n  - [1\n", "not valid YAML"),
        ("a: \x07\n", "not valid YAML"),
        ("[" * 200 + "]" * 200, "nested too deeply"),
    ],
)
def test_refusals_are_the_python_loaders(text, words):
    assert yaml_reader._read_fast(text) == (False, None)
    with pytest.raises(QuestionnaireError) as refused:
        read_yaml(text, "bad.yaml")
    assert words in str(
        refused.value.message if hasattr(refused.value, "message") else refused.value
    )
