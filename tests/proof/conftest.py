"""Fixtures for the proof tests: a fresh data folder and store per test, the shipped checklists."""

from __future__ import annotations

from pathlib import Path

import pytest
from proofkit import MINI_PATH, SHIPPED_WHO_PATH, WHO_PATH

from guidecheck.checklist.loading import load_questionnaire
from guidecheck.storage.store import Store


@pytest.fixture(scope="session")
def who():
    return load_questionnaire(WHO_PATH)


@pytest.fixture(scope="session")
def shipped_who():
    """The WHO checklist as shipped now (format 2): what `assessment new --from` finds by id."""
    return load_questionnaire(SHIPPED_WHO_PATH)


@pytest.fixture(scope="session")
def mini():
    return load_questionnaire(MINI_PATH)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def store(home: Path):
    with Store(home / "guidecheck.db") as opened:
        yield opened
