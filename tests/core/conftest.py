"""Shared fixtures for core tests: a fresh store per test and the small test checklist."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidecheck.checklist.loading import load_questionnaire
from guidecheck.checklist.model import Profile
from guidecheck.storage.store import Store

DATA = Path(__file__).parent / "data"


@pytest.fixture
def mini():
    return load_questionnaire(DATA / "mini.yaml")


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "guidecheck.db") as opened:
        yield opened


@pytest.fixture
def profile() -> Profile:
    return Profile(
        facility_name="Clínica São João",
        facility_code="MZ-0042",
        district="Maputo",
        region="South",
        tool_name="ChestScan",
        tool_vendor="Acme",
        tool_version="2.1",
        use_category="diagnostic_imaging",
        assessor_name="Amina N.",
        assessor_role="Nurse",
        date="2026-11-20",
    )
