"""`Store`: every change to assessments, each one committed with its audit entry.

One user-visible change is one transaction: an answer, a finalization, a revision. Finalized
assessments are read-only; `revise` makes a new draft revision that points to the one it replaces.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from guidecheck import limits
from guidecheck.checklist.answers import (
    check_constraint,
    constraint_problem,
    is_text,
    normalize_value,
)
from guidecheck.checklist.model import (
    PHASES,
    PROFILE_FIELDS,
    REQUIRED_PROFILE_FIELDS,
    USE_CATEGORIES,
    Answer,
    Assessment,
    Profile,
    Questionnaire,
    ScoreResult,
    SignOff,
    fit_profile,
)
from guidecheck.checklist.scoring import score
from guidecheck.errors import AnswerError, FinalizeBlocked, NotFound, ReadOnlyError, UserError
from guidecheck.i18n import _
from guidecheck.storage.database import AssessmentSummary, StoreBase, now_iso, tool_id_for

__all__ = ["AssessmentSummary", "Store", "check_profile", "now_iso", "tool_id_for"]

MAX_FIELD = limits.PROFILE_FIELD


def check_profile(profile: Profile, questionnaire: Questionnaire | None = None) -> None:
    """Refuse a profile missing what every report needs, with one sentence naming the field.

    A questionnaire that asks the tool's `phase` (format 2 clinic checklists) needs it; one that
    does not ask the kind of use or the phase (`profile_fields:`, district-level checklists)
    does not need them."""
    if questionnaire is not None:
        profile = fit_profile(questionnaire, profile)
    names = {
        "facility_name": _("facility name"),
        "facility_code": _("facility code"),
        "tool_name": _("AI tool name"),
        "use_category": _("use category"),
        "assessor_name": _("assessor name"),
        "date": _("date"),
    }
    for field in REQUIRED_PROFILE_FIELDS:
        if not getattr(profile, field).strip():
            raise UserError(_("The profile needs a {field}.").format(field=names[field]))
    for field in PROFILE_FIELDS:
        if not is_text(getattr(profile, field)):
            raise UserError(
                _("The profile field {field} holds characters that are not valid text.").format(
                    field=field
                )
            )
        if len(getattr(profile, field)) > MAX_FIELD:
            raise UserError(
                _("The profile field {field} is longer than {n} characters.").format(
                    field=field, n=MAX_FIELD
                )
            )
    if profile.use_category not in USE_CATEGORIES:
        raise UserError(
            _("The use category must be one of {choices}, not '{value}'.").format(
                choices=", ".join(USE_CATEGORIES), value=profile.use_category
            )
        )
    if profile.phase and profile.phase not in PHASES:
        raise UserError(
            _("The phase must be one of {choices}, not '{value}'.").format(
                choices=", ".join(PHASES), value=profile.phase
            )
        )
    if questionnaire is not None and questionnaire.asks("phase") and not profile.phase:
        raise UserError(
            _("The profile needs a phase: {choices}.").format(choices=", ".join(PHASES))
        )
    import datetime as dt

    for field in ("date", "tool_date_deployed"):
        value = getattr(profile, field)
        if value:
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                raise UserError(
                    _("The profile field {field} must be a date written as YYYY-MM-DD.").format(
                        field=field
                    )
                ) from None


class Store(StoreBase):
    """The GuideCheck database with the operations that change assessments."""

    def new_assessment(
        self, questionnaire: Questionnaire, profile: Profile, actor: str = ""
    ) -> Assessment:
        """Create a draft (revision 1) for this questionnaire version and profile (as the
        checklist asks it: `fit_profile`)."""
        profile = fit_profile(questionnaire, profile)
        check_profile(profile, questionnaire)
        assessment_id = str(uuid.uuid4())
        stamp = now_iso()
        actor = actor or profile.assessor_name
        with self.atomic():
            self.remember_questionnaire(questionnaire)
            tool_id = self.upsert_facility_and_tool(profile)
            first_domain = questionnaire.domains[0].id if questionnaire.domains else ""
            self.conn.execute(
                "INSERT INTO assessments (id, lineage_id, revision, replaces, questionnaire_id, questionnaire_version,"
                " status, profile_json, facility_code, tool_id, created_at, updated_at, current_domain, origin_device)"
                " VALUES (?, ?, 1, NULL, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?)",
                (
                    assessment_id,
                    assessment_id,
                    questionnaire.id,
                    questionnaire.version,
                    _profile_json(profile),
                    profile.facility_code,
                    tool_id,
                    stamp,
                    stamp,
                    first_domain,
                    self.device_id,
                ),
            )
            self._refresh_summary(assessment_id, questionnaire, profile)
            # the profile, and what the row holds besides it, so a replay can check the whole row
            logged = profile.as_dict() | {
                "questionnaire_id": questionnaire.id,
                "questionnaire_version": questionnaire.version,
                "created_at": stamp,
            }
            self.record_audit(actor, "assessment", assessment_id, "create", new=logged)
        return self.get_assessment(assessment_id)

    def update_profile(self, assessment_id: str, profile: Profile, actor: str = "") -> Assessment:
        assessment = self._draft(assessment_id)
        profile = fit_profile(self.questionnaire_for(assessment), profile)
        check_profile(profile, self.questionnaire_for(assessment))
        with self.atomic():
            tool_id = self.upsert_facility_and_tool(profile)
            self.conn.execute(
                "UPDATE assessments SET profile_json = ?, facility_code = ?, tool_id = ?, updated_at = ? WHERE id = ?",
                (_profile_json(profile), profile.facility_code, tool_id, now_iso(), assessment_id),
            )
            self._refresh_summary(assessment_id, self.questionnaire_for(assessment), profile)
            self.record_audit(
                actor or profile.assessor_name,
                "assessment",
                assessment_id,
                "update_profile",
                old=assessment.profile.as_dict(),
                new=profile.as_dict(),
            )
        return self.get_assessment(assessment_id)

    def save_answer(
        self,
        assessment_id: str,
        item_id: str,
        value: Any,
        note: str | None = None,
        actor: str = "",
        lang: str = "en",
    ) -> None:
        """Validate and commit one answer (None clears it); `note=None` keeps the current note.

        `lang` picks the language of a refused constraint's message (the questionnaire's text)."""
        assessment = self._draft(assessment_id)
        questionnaire = self.questionnaire_for(assessment)
        item = questionnaire.item(item_id)
        if item is None:
            raise AnswerError(_("The questionnaire has no item '{id}'.").format(id=item_id))
        value = normalize_value(item, value)
        if item.constraint is not None:  # reads the other answers only when it needs them
            check_constraint(
                questionnaire, item, value, assessment.profile, self.answers(assessment_id), lang
            )
        if note is not None and not is_text(note):
            raise AnswerError(
                _("The note for item '{id}' holds characters that are not valid text.").format(
                    id=item_id
                )
            )
        if note is not None and len(note) > 10_000:
            raise AnswerError(
                _("The note for item '{id}' is longer than 10,000 characters.").format(id=item_id)
            )
        actor = actor or assessment.profile.assessor_name
        old = self.conn.execute(
            "SELECT value_json, note FROM answers WHERE assessment_id = ? AND item_id = ?",
            (assessment_id, item_id),
        ).fetchone()
        old_value = json.loads(old[0]) if old else None
        old_note = old[1] if old else ""
        new_note = old_note if note is None else note
        if old_value == value and old_note == new_note:
            return
        stamp = now_iso()
        with self.atomic():
            if value is None and not new_note:
                self.conn.execute(
                    "DELETE FROM answers WHERE assessment_id = ? AND item_id = ?",
                    (assessment_id, item_id),
                )
            else:
                self.conn.execute(
                    "INSERT INTO answers (assessment_id, item_id, value_json, note, answered_at, answered_by)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(assessment_id, item_id) DO UPDATE SET"
                    " value_json = excluded.value_json, note = excluded.note, answered_at = excluded.answered_at,"
                    " answered_by = excluded.answered_by",
                    (
                        assessment_id,
                        item_id,
                        json.dumps(value, ensure_ascii=False),
                        new_note,
                        stamp,
                        actor,
                    ),
                )
            self.conn.execute(
                "UPDATE assessments SET updated_at = ? WHERE id = ?", (stamp, assessment_id)
            )
            self._refresh_summary(assessment_id, questionnaire, assessment.profile)
            if old_value != value:
                self.record_audit(
                    actor, "answer", f"{assessment_id}/{item_id}", "set", "value", old_value, value
                )
            if old_note != new_note:
                self.record_audit(
                    actor, "answer", f"{assessment_id}/{item_id}", "set", "note", old_note, new_note
                )

    def set_current_domain(self, assessment_id: str, domain_id: str) -> None:
        """Remember where the person is, so reopening resumes there (not audited: no data changes)."""
        with self.atomic():
            self.conn.execute(
                "UPDATE assessments SET current_domain = ? WHERE id = ?", (domain_id, assessment_id)
            )

    def result(self, assessment_id: str) -> ScoreResult:
        assessment = self.get_assessment(assessment_id)
        return score(
            self.questionnaire_for(assessment), assessment.profile, self.answers(assessment_id)
        )

    def finalize(self, assessment_id: str, sign_off: SignOff, actor: str = "") -> Assessment:
        """Sign off a complete draft; it becomes read-only."""
        self._draft(assessment_id)
        for value, label in (
            (sign_off.assessor_name, _("assessor name")),
            (sign_off.date, _("date")),
        ):
            if not value.strip():
                raise UserError(_("The sign-off needs the {field}.").format(field=label))
        result = self.result(assessment_id)
        if not result.complete:
            first = (result.unanswered + result.missing_notes)[0]
            raise FinalizeBlocked(
                _(
                    "The assessment cannot be finalized yet: {n} questions are unanswered and {m} notes are missing (first: {item})."
                ).format(n=len(result.unanswered), m=len(result.missing_notes), item=first),
                result.unanswered,
                result.missing_notes,
            )
        self._check_constraints(assessment_id, set(result.visible_items))
        stamp = now_iso()
        sign_off_data = {
            "assessor_name": sign_off.assessor_name,
            "assessor_role": sign_off.assessor_role,
            "facility_head_name": sign_off.facility_head_name,
            "date": sign_off.date,
        }
        with self.atomic():
            self.conn.execute(
                "UPDATE assessments SET status = 'final', sign_off_json = ?, finalized_at = ?, updated_at = ? WHERE id = ?",
                (json.dumps(sign_off_data, ensure_ascii=False), stamp, stamp, assessment_id),
            )
            self.record_audit(
                actor or sign_off.assessor_name,
                "assessment",
                assessment_id,
                "finalize",
                new=sign_off_data | {"finalized_at": stamp},
            )
        return self.get_assessment(assessment_id)

    def _check_constraints(self, assessment_id: str, shown: set[str]) -> None:
        """On finalize, every shown answer's constraint holds (an earlier answer may have changed)."""
        assessment = self.get_assessment(assessment_id)
        questionnaire = self.questionnaire_for(assessment)
        answers = self.answers(assessment_id)
        for item in questionnaire.items:
            answer = answers.get(item.id)
            if item.constraint is None or item.id not in shown or answer is None:
                continue
            problem = constraint_problem(
                questionnaire, item, answer.value, assessment.profile, answers
            )
            if problem is not None:
                raise FinalizeBlocked(
                    _("The assessment cannot be finalized yet: item '{id}': {problem}").format(
                        id=item.id, problem=problem
                    ),
                    (),
                    (),
                )

    def revise(self, assessment_id: str, actor: str = "") -> Assessment:
        """Start a new draft revision of a final assessment, with its answers copied."""
        assessment = self.get_assessment(assessment_id)
        if not assessment.is_final:
            raise UserError(
                _("Only a finalized assessment can be revised; this one is still a draft.")
            )
        latest = max(r.revision for r in self.revisions(assessment.lineage_id))
        if assessment.revision != latest:
            raise UserError(
                _("A newer revision of this assessment exists; revise that one instead.")
            )
        new_id = str(uuid.uuid4())
        stamp = now_iso()
        with self.atomic():
            self.conn.execute(
                "INSERT INTO assessments (id, lineage_id, revision, replaces, questionnaire_id, questionnaire_version, status,"
                " profile_json, facility_code, tool_id, created_at, updated_at, current_domain, origin_device)"
                " SELECT ?, lineage_id, revision + 1, id, questionnaire_id, questionnaire_version, 'draft', profile_json,"
                " facility_code, tool_id, ?, ?, current_domain, ? FROM assessments WHERE id = ?",
                (new_id, stamp, stamp, self.device_id, assessment_id),
            )
            self.conn.execute(
                "INSERT INTO answers (assessment_id, item_id, value_json, note, answered_at, answered_by)"
                " SELECT ?, item_id, value_json, note, answered_at, answered_by FROM answers WHERE assessment_id = ?",
                (new_id, assessment_id),
            )
            self._refresh_summary(new_id, self.questionnaire_for(assessment), assessment.profile)
            self.record_audit(
                actor or assessment.profile.assessor_name,
                "assessment",
                new_id,
                "revise",
                old=assessment_id,
                new={"created_at": stamp},
            )
        return self.get_assessment(new_id)

    def set_superseded(self, assessment_id: str, superseded: bool, actor: str = "") -> None:
        """Mark (or unmark) a hub's row as superseded by an officer's decision, audited."""
        mark = int(superseded)
        with self.atomic():
            was = self.conn.execute(
                "SELECT superseded FROM assessments WHERE id = ?", (assessment_id,)
            ).fetchone()[0]
            if was != mark:
                self.conn.execute(
                    "UPDATE assessments SET superseded = ? WHERE id = ?", (mark, assessment_id)
                )
                self.record_audit(
                    actor, "assessment", assessment_id, "supersede", "superseded", was, mark
                )

    def refresh_summary(self, assessment_id: str) -> None:
        """Recompute the stored score, verdict and counts (after records were written directly)."""
        assessment = self.get_assessment(assessment_id)
        self._refresh_summary(assessment_id, self.questionnaire_for(assessment), assessment.profile)

    def refresh_summary_from(
        self,
        assessment_id: str,
        questionnaire: Questionnaire,
        profile: Profile,
        answers: dict[str, Answer],
    ) -> None:
        """Like `refresh_summary`, from the content the caller has just written and still holds
        (a hub importing a bundle scores the records it checked instead of reading them back)."""
        self._refresh_summary(assessment_id, questionnaire, profile, answers)

    def _draft(self, assessment_id: str) -> Assessment:
        assessment = self.get_assessment(assessment_id)
        if assessment.is_final:
            raise ReadOnlyError(
                _("This assessment is finalized and read-only; make a revision to change it.")
            )
        return assessment


def open_store(home_arg: str | None = None) -> Store:
    """The store in the installation's data folder (see `paths.data_home`)."""
    from guidecheck.paths import data_home, database_path

    return Store(database_path(data_home(home_arg)))


def _profile_json(profile: Profile) -> str:
    return json.dumps(profile.as_dict(), ensure_ascii=False, sort_keys=True)


__all__ += ["NotFound", "open_store"]
