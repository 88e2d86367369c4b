"""Shared fixtures for core tests: a fresh store per test and the small test checklist."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidecheck.checklist.loading import load_questionnaire
from guidecheck.storage.store import Store

DATA = Path(__file__).parent / "data"


@pytest.fixture
def mini():
    return load_questionnaire(DATA / "mini.yaml")


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "guidecheck.db") as opened:
        yield opened
