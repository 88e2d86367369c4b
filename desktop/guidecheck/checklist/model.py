"""Domain objects shared by every layer: questionnaires, profiles, answers and scoring results.

Plain frozen dataclasses so the core, the CLI, the reports, the bundles and the Qt layer all speak
the same types; dicts stop at the edges (YAML, JSON, SQLite rows).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from guidecheck.i18n import current_language

COMPLIANCE_VALUES: tuple[str, ...] = ("yes", "partly", "no", "dont_know", "na")
COMPLIANCE_SCORES: dict[str, float | None] = {
    "yes": 1.0,
    "partly": 0.5,
    "no": 0.0,
    "dont_know": 0.0,
    "na": None,
}
ANSWER_TYPES: tuple[str, ...] = (
    "compliance",
    "single_choice",
    "multiple_choice",
    "number",
    "date",
    "text",
)
NOTE_RULES: tuple[str, ...] = ("none", "optional", "required", "on_unmet")
USE_CATEGORIES: tuple[str, ...] = (
    "diagnostic_imaging",
    "predictive_analytics",
    "patient_triage",
    "health_system_management",
    "chatbot_generative",
    "other",
)
PHASES: tuple[str, ...] = ("preparing", "pilot", "rollout", "routine")
LEVELS: tuple[str, ...] = ("clinic", "district")
VERDICTS: tuple[str, ...] = ("ready", "ready_with_conditions", "not_ready")
PROFILE_FIELDS: tuple[str, ...] = (
    "facility_name",
    "facility_code",
    "district",
    "region",
    "tool_name",
    "tool_vendor",
    "tool_version",
    "tool_intended_use",
    "tool_date_deployed",
    "use_category",
    "phase",
    "assessor_name",
    "assessor_role",
    "date",
)
# Profile fields a checklist chooses to ask or not (`profile_fields:` in format 2): the tool's
# kind of use and implementation phase. A clinic checklist asks both (format 1: the kind of use
# only); a district-level review of a programme asks neither unless it says so.
CHOSEN_PROFILE_FIELDS: tuple[str, ...] = ("use_category", "phase")


def default_profile_fields(fmt: int, level: str) -> tuple[str, ...]:
    """What a checklist without `profile_fields:` asks: the behaviour from before the key."""
    if fmt < 2:
        return ("use_category",)
    return () if level == "district" else CHOSEN_PROFILE_FIELDS


REQUIRED_PROFILE_FIELDS: tuple[str, ...] = (
    "facility_name",
    "facility_code",
    "tool_name",
    "use_category",
    "assessor_name",
    "date",
)


@dataclass(frozen=True)
class Text:
    """Translatable text: English is always present; other languages fall back to it."""

    values: dict[str, str]

    @property
    def en(self) -> str:
        return self.values.get("en", "")

    def get(self, lang: str = "en") -> str:
        return self.values.get(lang) or self.en

    @property
    def local(self) -> str:
        """In the language messages are in now (`guidecheck.i18n`), English where it is missing."""
        return self.get(current_language())

    def __str__(self) -> str:
        return self.en


EMPTY_TEXT = Text({"en": ""})


@dataclass(frozen=True)
class Guidance:
    why: Text = EMPTY_TEXT
    evidence: Text = EMPTY_TEXT
    example: Text = EMPTY_TEXT


@dataclass(frozen=True)
class Choice:
    id: str
    label: Text
    score: float | None = None
    na: bool = False


@dataclass(frozen=True)
class Item:
    id: str
    type: str
    question: Text
    domain_id: str
    guidance: Guidance = Guidance()
    weight: float = 0.0
    critical: bool = False
    action: Text = EMPTY_TEXT
    note: str = "none"
    condition: str | None = None
    choices: tuple[Choice, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    unit: Text = EMPTY_TEXT
    line: int = 0
    basis: Text = EMPTY_TEXT
    na_allowed: bool = False
    constraint: str | None = None
    constraint_message: Text = EMPTY_TEXT
    # Set at load from the questionnaire's format and `scoring:` block (format 2), so the single
    # answer check (`answers.normalize_value`) and the note rule need only the item:
    na_refused: bool = False  # a critical item that does not allow `na`
    na_needs_note: bool = False  # `na` (or a choice marked na) needs a note

    @property
    def scored(self) -> bool:
        return self.weight > 0

    def choice(self, choice_id: str) -> Choice | None:
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        return None


@dataclass(frozen=True)
class Domain:
    id: str
    title: Text
    items: tuple[Item, ...]
    description: Text = EMPTY_TEXT
    kind: str = "guideline"
    condition: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Thresholds:
    ready: float = 80.0
    ready_with_conditions: float = 60.0
    domain_minimum: float = 50.0


SCORING_RULES_VERSIONS: tuple[int, ...] = (1, 2)


@dataclass(frozen=True)
class ScoringRules:
    """How answers become a verdict. Format 1 files get rules version 1 (their `thresholds:`);
    format 2 files give a `scoring:` block whose missing keys take these defaults."""

    rules_version: int = 2
    ready: float = 80.0
    ready_with_conditions: float = 60.0
    domain_minimum: float = 50.0
    domain_floor: float = 25.0
    na_share_max: float = 50.0
    critical_partly: str = "ready_with_conditions"
    na_needs_note: bool = True

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(self.ready, self.ready_with_conditions, self.domain_minimum)


@dataclass(frozen=True)
class Questionnaire:
    """One version of a checklist, as loaded from YAML; `source` keeps the exact file text."""

    id: str
    version: str
    title: Text
    domains: tuple[Domain, ...]
    thresholds: Thresholds = Thresholds()
    description: Text = EMPTY_TEXT
    languages: tuple[str, ...] = ("en",)
    guidance_source: str = ""
    source: str = ""
    path: str = ""
    format: int = 1
    level: str = "clinic"
    scoring: ScoringRules = ScoringRules(rules_version=1, domain_floor=0.0, na_needs_note=False)
    profile_fields: tuple[str, ...] = ("use_category",)  # which CHOSEN_PROFILE_FIELDS it asks

    def asks(self, field: str) -> bool:
        """Whether the profile question `field` is asked (and shown in reports) for this checklist."""
        return field not in CHOSEN_PROFILE_FIELDS or field in self.profile_fields

    @property
    def scored(self) -> bool:
        """False for a survey: no item carries weight, so there is no score and no verdict."""
        return any(item.scored for item in self.items)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for domain in self.domains for item in domain.items)

    def item(self, item_id: str) -> Item | None:
        return self._index().get(item_id)

    def domain(self, domain_id: str) -> Domain | None:
        for domain in self.domains:
            if domain.id == domain_id:
                return domain
        return None

    def _index(self) -> dict[str, Item]:
        cached = self.__dict__.get("_item_index")
        if cached is None:
            cached = {item.id: item for item in self.items}
            object.__setattr__(self, "_item_index", cached)
        return cached


@dataclass(frozen=True)
class Profile:
    """The assessment's context: facility, AI tool, assessor and date (ISO text)."""

    facility_name: str = ""
    facility_code: str = ""
    district: str = ""
    region: str = ""
    tool_name: str = ""
    tool_vendor: str = ""
    tool_version: str = ""
    tool_intended_use: str = ""
    tool_date_deployed: str = ""
    use_category: str = "other"
    phase: str = ""
    assessor_name: str = ""
    assessor_role: str = ""
    date: str = ""

    def as_dict(self) -> dict[str, str]:
        """The fields as stored; `phase` (format 2) is left out while empty, so format 1
        assessments keep exactly the stored form, bundles and JSON they always had."""
        return {
            name: getattr(self, name) for name in PROFILE_FIELDS if name != "phase" or self.phase
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Profile:
        return cls(
            **{k: "" if data.get(k) is None else str(data[k]) for k in PROFILE_FIELDS if k in data}
        )


def fit_profile(questionnaire: Questionnaire, profile: Profile) -> Profile:
    """The profile as the checklist asks it: a question the checklist does not ask takes its
    neutral value (kind of use `other`, kept because older hubs and bundles expect one; no
    phase), whatever a form or answers file said, so skip logic and reports never read it."""
    changes: dict[str, str] = {}
    if not questionnaire.asks("use_category"):
        changes["use_category"] = "other"
    if not questionnaire.asks("phase"):
        changes["phase"] = ""
    return replace(profile, **changes) if changes else profile


@dataclass(frozen=True)
class Answer:
    """One stored answer. `value` is a str, float/int, list[str] or ISO date text by item type."""

    item_id: str
    value: Any
    note: str = ""
    answered_at: str = ""
    answered_by: str = ""


@dataclass(frozen=True)
class ActionEntry:
    item_id: str
    domain_id: str
    action: Text
    priority: str  # critical | high | medium
    answer: Any = None


@dataclass(frozen=True)
class Reason:
    """One reason for the verdict, as data; `checklist.reasons.reason_text` words it.

    kind: red_flags | floor | overall_low | critical_partly | domain_minimum | not_assessed |
    below_ready | nothing_scored | survey | ready."""

    kind: str
    items: tuple[str, ...] = ()
    domain: str = ""
    value: float | None = None
    limit: float | None = None
    verdict: str | None = None  # the most this reason allows


@dataclass(frozen=True)
class ScoreResult:
    """What scoring derives from a questionnaire, a profile and answers. Pure data.

    `verdict` is None only for a survey (a questionnaire with nothing scored)."""

    overall: float | None
    domains: dict[str, float | None]
    verdict: str | None
    red_flags: tuple[str, ...]
    action_plan: tuple[ActionEntry, ...]
    visible_items: tuple[str, ...] = ()
    unanswered: tuple[str, ...] = ()
    missing_notes: tuple[str, ...] = ()
    domain_progress: dict[str, tuple[int, int]] = field(default_factory=dict)
    reasons: tuple[Reason, ...] = ()
    rules_version: int = 1
    not_assessed: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.unanswered and not self.missing_notes


@dataclass(frozen=True)
class Facility:
    code: str
    name: str
    district: str = ""
    region: str = ""


@dataclass(frozen=True)
class Tool:
    id: str
    facility_code: str
    name: str
    vendor: str = ""
    version: str = ""
    intended_use: str = ""
    date_deployed: str = ""
    use_category: str = "other"


@dataclass(frozen=True)
class SignOff:
    assessor_name: str
    assessor_role: str
    facility_head_name: str
    date: str


@dataclass(frozen=True)
class Assessment:
    """One revision of an assessment. Revisions of the same assessment share `lineage_id`."""

    id: str
    lineage_id: str
    revision: int
    replaces: str | None
    questionnaire_id: str
    questionnaire_version: str
    status: str  # draft | final
    profile: Profile
    created_at: str
    updated_at: str
    facility_code: str = ""
    tool_id: str = ""
    sign_off: SignOff | None = None
    finalized_at: str | None = None
    current_domain: str = ""
    origin_device: str = ""
    superseded: bool = False
    conflict: bool = False

    @property
    def is_final(self) -> bool:
        return self.status == "final"
