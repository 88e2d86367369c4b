"""Fixtures for report tests: a real store in tmp_path, the real questionnaire, real assessments."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from report_helpers import Chooser, answer_all, default_value, profile

from guidecheck.checklist.loading import load_questionnaire
from guidecheck.checklist.model import Item, Questionnaire, SignOff
from guidecheck.paths import questionnaires_dir
from guidecheck.reports import ReportData, build_report_data
from guidecheck.storage.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store(tmp_path / "g.db")
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def questionnaire() -> Questionnaire:
    """The WHO checklist 1.0.0 (archived): reports of assessments made with it must stay right."""
    return load_questionnaire(questionnaires_dir() / "archive" / "who-ai-health-2025-1.0.0.yaml")


@pytest.fixture
def make_report(store: Store, questionnaire: Questionnaire) -> Callable[..., ReportData]:
    """Create, answer (and optionally finalize) an assessment through the store; return its report data."""

    def make(
        choose: Chooser = default_value,
        final: bool = False,
        note: Callable[[Item], str] | None = None,
        **profile_changes: str,
    ) -> ReportData:
        assessment = store.new_assessment(questionnaire, profile(**profile_changes), actor="tester")
        answer_all(
            store, assessment.id, choose, note or (lambda item: f"Seen on site for {item.id}.")
        )
        if final:
            store.finalize(
                assessment.id,
                SignOff("Maria Mondlane", "Nurse in charge", "Dr. Aminata Diallo", "2026-11-21"),
            )
        return build_report_data(store, assessment.id)

    return make
