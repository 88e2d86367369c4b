"""What the PDF and the workbook both say about one assessment, computed once.

`ReportData` bundles the questionnaire version, the assessment, its answers and the scoring result,
plus a content hash so a printed copy can be matched to the stored record. Both report writers read
only this object, so the two documents can never disagree.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from guidecheck.canonical import canonical_sha256
from guidecheck.checklist.model import (
    Answer,
    Assessment,
    Domain,
    Item,
    Questionnaire,
    ScoreResult,
)

if TYPE_CHECKING:
    from guidecheck.storage.store import Store

HASH_SHOWN = 12  # hex digits printed in footers: enough to tell records apart by eye


def content_hash(assessment: Assessment, answers: dict[str, Answer]) -> str:
    """sha256 (hex) over a canonical JSON of what the assessment says.

    Covers identity, revision, questionnaire version, profile, answer values and notes, status and
    sign-off; not timestamps of individual answers, so re-saving the same answer keeps the hash.
    """
    sign_off = asdict(assessment.sign_off) if assessment.sign_off is not None else None
    canonical = {
        "id": assessment.id,
        "revision": assessment.revision,
        "questionnaire": {
            "id": assessment.questionnaire_id,
            "version": assessment.questionnaire_version,
        },
        "profile": assessment.profile.as_dict(),
        "answers": {
            item_id: {"value": answer.value, "note": answer.note or ""}
            for item_id, answer in sorted(answers.items())
        },
        "status": assessment.status,
        "sign_off": sign_off,
    }
    return canonical_sha256(canonical)


@dataclass(frozen=True)
class ReportData:
    """Everything a report shows, gathered once from the store (or built by hand in tests)."""

    questionnaire: Questionnaire
    assessment: Assessment
    answers: dict[str, Answer]
    score: ScoreResult
    content_hash: str

    @classmethod
    def from_parts(
        cls,
        questionnaire: Questionnaire,
        assessment: Assessment,
        answers: dict[str, Answer],
        score: ScoreResult,
    ) -> ReportData:
        return cls(
            questionnaire, assessment, dict(answers), score, content_hash(assessment, answers)
        )

    @property
    def short_hash(self) -> str:
        return self.content_hash[:HASH_SHOWN]

    @property
    def is_draft(self) -> bool:
        return not self.assessment.is_final

    def shown_items(self, domain: Domain) -> list[Item]:
        """The domain's items that were asked (skip logic applied), in file order."""
        visible = self._visible()
        return [item for item in domain.items if item.id in visible]

    def shown_domains(self) -> list[Domain]:
        """Domains with at least one shown item, in file order."""
        return [domain for domain in self.questionnaire.domains if self.shown_items(domain)]

    def chart_series(self, lang: str = "en") -> tuple[list[str], list[float | None]]:
        """Labels and scores of the shown domains, as the domain chart takes them."""
        domains = self.shown_domains()
        return [d.title.get(lang) for d in domains], [self.score.domains.get(d.id) for d in domains]

    def domain_title(self, domain_id: str, lang: str = "en") -> str:
        domain = self.questionnaire.domain(domain_id)
        return domain.title.get(lang) if domain is not None else domain_id

    def _visible(self) -> frozenset[str]:
        cached = self.__dict__.get("_visible_ids")
        if cached is None:
            cached = frozenset(self.score.visible_items)
            object.__setattr__(self, "_visible_ids", cached)
        return cached


def build_report_data(store: Store, assessment_id: str) -> ReportData:
    """Load one assessment from the store and score it against its exact questionnaire version.

    Raises the store's NotFound (a UserError) when the id is unknown.
    """
    from guidecheck.checklist.scoring import score

    assessment = store.get_assessment(assessment_id)
    questionnaire = store.questionnaire_for(assessment)
    answers = store.answers(assessment.id)
    result = score(questionnaire, assessment.profile, answers)
    return ReportData.from_parts(questionnaire, assessment, answers, result)


def item_score(item: Item, answer: Answer | None) -> float | None:
    """The item's met share 0–1, or None when it is not scored, not answered or not applicable."""
    from guidecheck.checklist.scoring import item_credit

    if answer is None or not item.scored:
        return None
    return item_credit(item, answer.value)


def answer_value_code(answer: Answer | None) -> Any:
    """The stored value in a form a spreadsheet cell takes (lists joined by ';')."""
    if answer is None:
        return None
    if isinstance(answer.value, list | tuple):
        return ";".join(str(v) for v in answer.value)
    return answer.value
