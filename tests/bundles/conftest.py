"""Fixtures for bundle tests: real clinic and hub data folders (helpers: bundle_helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidecheck.checklist.loading import load_questionnaire
from guidecheck.checklist.model import Questionnaire
from guidecheck.paths import questionnaires_dir

DATA = Path(__file__).parent / "data"


@pytest.fixture
def mini() -> Questionnaire:
    return load_questionnaire(DATA / "mini.yaml")


@pytest.fixture
def who() -> Questionnaire:
    """The WHO checklist 1.0.0 (format 1, archived): bundles carry whichever version was used."""
    return load_questionnaire(questionnaires_dir() / "archive" / "who-ai-health-2025-1.0.0.yaml")


@pytest.fixture
def clinic(tmp_path) -> Path:
    home = tmp_path / "clinic"
    home.mkdir()
    return home


@pytest.fixture
def hub(tmp_path) -> Path:
    home = tmp_path / "hub"
    home.mkdir()
    return home


@pytest.fixture
def stick(tmp_path) -> Path:
    folder = tmp_path / "stick"
    folder.mkdir()
    return folder
