"""Which assessments an export covers, each with its questionnaire version, answers and score."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from guidecheck.checklist.model import Answer, Assessment, Questionnaire, ScoreResult
from guidecheck.checklist.scoring import score
from guidecheck.errors import UserError
from guidecheck.i18n import _


@dataclass(frozen=True)
class Exported:
    """One assessment revision as an export sees it: nothing is recomputed later."""

    assessment: Assessment
    questionnaire: Questionnaire
    answers: dict[str, Answer]
    result: ScoreResult


def select_assessments(
    store: Any,
    ids: Sequence[str] = (),
    everything: bool = False,
    since: str | None = None,
    until: str | None = None,
) -> list[Exported]:
    """The named assessments (id or unique prefix), or the latest revision of every assessment
    (drafts included) when `everything` or `since` (assessment date on or after, ISO) is given;
    `until` keeps dates on or before it."""
    if ids and (everything or since):
        raise UserError(_("Name assessments or use --all / --since, not both."))
    if not ids and not everything and not since:
        raise UserError(_("Say which assessments to export: their ids, --all or --since DATE."))
    if ids:
        chosen = [store.find_assessment(i) for i in ids]
    else:
        chosen = [store.get_assessment(s.id) for s in store.list_assessments()]
        if since:
            chosen = [a for a in chosen if a.profile.date >= since]
        if until:
            chosen = [a for a in chosen if a.profile.date[:10] <= until]
    if not chosen:
        raise UserError(_("There is no assessment to export."))
    lineages: dict[str, str] = {}
    for assessment in chosen:
        if assessment.lineage_id in lineages and lineages[assessment.lineage_id] != assessment.id:
            raise UserError(
                _(
                    "{a} and {b} are revisions of the same assessment; export only one of them."
                ).format(a=lineages[assessment.lineage_id][:8], b=assessment.id[:8])
            )
        lineages[assessment.lineage_id] = assessment.id
    chosen = list({a.id: a for a in chosen}.values())
    chosen.sort(key=lambda a: (a.profile.date, a.created_at, a.id))
    result = []
    for assessment in chosen:
        questionnaire = store.questionnaire_for(assessment)
        answers = store.answers(assessment.id)
        result.append(
            Exported(
                assessment,
                questionnaire,
                answers,
                score(questionnaire, assessment.profile, answers),
            )
        )
    return result
