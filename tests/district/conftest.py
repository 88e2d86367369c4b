"""Fixtures for the district tests: the three-clinic hub of `hub_builder`, built per test."""

from __future__ import annotations

import pytest
from hub_builder import build_hub, load_test_questionnaire

from guidecheck.checklist.model import Questionnaire


@pytest.fixture
def questionnaire() -> Questionnaire:
    return load_test_questionnaire()


@pytest.fixture
def hub(tmp_path):
    built = build_hub(tmp_path)
    yield built
    built.store.close()
