"""Fixtures for monitoring-log tests: a real store with one assessed tool at one clinic."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidecheck.checklist.loading import load_questionnaire
from guidecheck.paths import questionnaires_dir
from guidecheck.storage.store import Store

CORE_DATA = Path(__file__).parent.parent / "core" / "data"


@pytest.fixture
def mini():
    return load_questionnaire(CORE_DATA / "mini.yaml")


@pytest.fixture
def who():
    return load_questionnaire(questionnaires_dir() / "who-ai-health-2025.yaml")


@pytest.fixture
def store(tmp_path, mini, profile):
    """A clinic database where ChestScan at MZ-0042 is registered by a draft assessment."""
    with Store(tmp_path / "guidecheck.db") as opened:
        opened.new_assessment(mini, profile)
        yield opened
