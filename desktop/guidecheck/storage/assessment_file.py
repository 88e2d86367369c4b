"""Creating an assessment from a JSON answers file (`guidecheck assessment new --from FILE.json`).

Everything in the file is checked first (questionnaire, profile, every answer, skip logic); only a
file with no problem is written, in one transaction. One bad answer refuses the whole file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from guidecheck import limits
from guidecheck.checklist.answers import check_constraint, normalize_value
from guidecheck.checklist.model import (
    PROFILE_FIELDS,
    Answer,
    Assessment,
    Profile,
    SignOff,
    fit_profile,
)
from guidecheck.checklist.scoring import visible_items
from guidecheck.errors import AnswerError, UserError
from guidecheck.i18n import _
from guidecheck.storage.catalog import find_questionnaire
from guidecheck.storage.store import Store, check_profile

MAX_FILE_BYTES = limits.ANSWERS_FILE_BYTES
TOP_LEVEL = {"questionnaire", "questionnaire_version", "profile", "answers", "sign_off"}


def read_answers_file(path: str | Path) -> dict[str, Any]:
    data: dict[str, Any] = read_json_file(path)
    return data


def read_json_file(path: str | Path, allow_list: bool = False) -> Any:
    """A small UTF-8 JSON file holding an object (or, with `allow_list`, a list), or one sentence."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise UserError(_("{path} is larger than 5 MB.").format(path=path))
        text = path.read_text(encoding="utf-8-sig")  # Notepad and PowerShell may add a BOM
    except OSError as exc:
        raise UserError(
            _("{path} cannot be read ({reason}).").format(path=path, reason=exc.strerror or exc)
        ) from None
    except UnicodeDecodeError:
        raise UserError(_("{path} is not UTF-8 text.").format(path=path)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(
            _("{path}, line {line}: not valid JSON ({problem}).").format(
                path=path, line=exc.lineno, problem=exc.msg
            )
        ) from None
    except RecursionError:
        raise UserError(_("{path} is nested too deeply.").format(path=path)) from None
    if not isinstance(data, dict) and not (allow_list and isinstance(data, list)):
        raise UserError(_("{path} must hold a JSON object.").format(path=path))
    return data


def create_from_data(store: Store, data: dict[str, Any], finalize: bool = False) -> Assessment:
    """Validate the whole file's content, then write it in one transaction."""
    unknown = sorted(set(data) - TOP_LEVEL)
    if unknown:
        raise UserError(_("Unknown field '{field}' in the answers file.").format(field=unknown[0]))
    questionnaire_id = data.get("questionnaire")
    if not isinstance(questionnaire_id, str):
        raise UserError(
            _("The answers file must name its questionnaire ('questionnaire').").format()
        )
    version = data.get("questionnaire_version")
    questionnaire = find_questionnaire(
        questionnaire_id, str(version) if version is not None else None, store
    )
    profile = fit_profile(questionnaire, _profile(data.get("profile")))
    check_profile(profile, questionnaire)
    answers = _answers(questionnaire, data.get("answers", {}))
    shown = {item.id for item in visible_items(questionnaire, profile, answers)}
    for item_id in answers:
        if item_id not in shown:
            raise AnswerError(
                _(
                    "Item '{id}' is hidden by skip logic for these answers, so it cannot be answered."
                ).format(id=item_id)
            )
    for item in questionnaire.items:
        if item.id in answers:
            check_constraint(questionnaire, item, answers[item.id].value, profile, answers)
    sign_off = _sign_off(data.get("sign_off"), profile) if finalize else None
    actor = profile.assessor_name
    with store.atomic():
        assessment = store.new_assessment(questionnaire, profile, actor)
        for item in questionnaire.items:  # file order: a constraint reads earlier answers
            if (answer := answers.get(item.id)) is not None:
                store.save_answer(assessment.id, item.id, answer.value, answer.note, actor)
        if sign_off is not None:
            assessment = store.finalize(assessment.id, sign_off, actor)
    return store.get_assessment(assessment.id)


def _profile(raw: Any) -> Profile:
    if not isinstance(raw, dict):
        raise UserError(_("The answers file needs a 'profile' object."))
    for key, value in raw.items():
        if key not in PROFILE_FIELDS:
            raise UserError(_("Unknown profile field '{field}'.").format(field=key))
        if value is not None and not isinstance(value, str):
            raise UserError(_("The profile field '{field}' must be text.").format(field=key))
    return Profile.from_dict(raw)


def _answers(questionnaire: Any, raw: Any) -> dict[str, Answer]:
    if not isinstance(raw, dict):
        raise UserError(_("'answers' must be an object of item id to answer."))
    answers: dict[str, Answer] = {}
    for item_id, entry in raw.items():
        item = questionnaire.item(item_id)
        if item is None:
            raise AnswerError(_("The questionnaire has no item '{id}'.").format(id=item_id))
        note = ""
        value = entry
        if isinstance(entry, dict):
            extra = set(entry) - {"value", "note"}
            if extra or "value" not in entry:
                raise AnswerError(
                    _(
                        'The answer to \'{id}\' must be a value or {{"value": …, "note": …}}.'
                    ).format(id=item_id)
                )
            value = entry["value"]
            note = entry.get("note") or ""
            if not isinstance(note, str):
                raise AnswerError(_("The note for '{id}' must be text.").format(id=item_id))
        if value is None:
            raise AnswerError(_("The answer to '{id}' is empty.").format(id=item_id))
        answers[item_id] = Answer(item_id, normalize_value(item, value), note)
    return answers


def _sign_off(raw: Any, profile: Profile) -> SignOff:
    raw = raw or {}
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise UserError(_("'sign_off' must be an object of text fields."))
    return SignOff(
        assessor_name=raw.get("assessor_name", profile.assessor_name),
        assessor_role=raw.get("assessor_role", profile.assessor_role),
        facility_head_name=raw.get("facility_head_name", ""),
        date=raw.get("date", profile.date),
    )
