"""The assessment PDF's sections in reading order, each built in the module named for it: the
verdict pages (`pdf_verdict`), monitoring (`pdf_monitoring`), the action plan and answers
(`pdf_answers`), the sign-off (`pdf_sign_off`) and, last, the annex of item weights.

Imported only by `reports.pdf`, itself imported only when a PDF is made.
"""

from __future__ import annotations

from typing import Any

from guidecheck.reports import pdf_monitoring
from guidecheck.reports.content import ReportData
from guidecheck.reports.pdf_answers import action_plan, answers_by_domain
from guidecheck.reports.pdf_sign_off import sign_off
from guidecheck.reports.pdf_verdict import (
    cover,
    domain_chart,
    how_decided,
    red_flags,
    weights_annex,
)


def build_story(data: ReportData, lang: str, width: float) -> list[Any]:
    story: list[Any] = []
    story += cover(data, lang, width)
    story += domain_chart(data, lang, width)
    story += how_decided(data, lang, width)
    story += red_flags(data, lang, width)
    story += pdf_monitoring.for_review(data.monitoring, width)
    story += action_plan(data, lang, width)
    story += answers_by_domain(data, lang, width)
    story += pdf_monitoring.monitoring_page(data.monitoring, width)
    story += sign_off(data, width)
    story += weights_annex(data, lang, width)
    return story
