"""Saving a checklist into the data folder's `checklists/`, where new assessments find it.

Used by `guidecheck questionnaires import FILE` and the app's "Import checklist from Excel…".
The text is checked in full first (the same loader as the shipped files), a shipped id and
version is refused, and a different text under an id and version already added is refused too:
an assessment records only the id and version, so one pair must always mean one text. Saving
the very same text again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from guidecheck.atomic import write_atomic
from guidecheck.checklist.loading import parse_questionnaire_text, source_sha256
from guidecheck.checklist.model import Questionnaire
from guidecheck.errors import UserError
from guidecheck.fileops import safe_file_name
from guidecheck.i18n import _
from guidecheck.paths import user_questionnaires_dir
from guidecheck.storage.catalog import (
    added_questionnaires,
    clash_sentence,
    shipped_clash,
    shipped_questionnaires,
)


@dataclass(frozen=True)
class AddedChecklist:
    questionnaire: Questionnaire
    path: Path
    already_there: bool  # the same text was added before; nothing was written


def add_checklist(home: Path, text: str, shown_name: str = "<checklist>") -> AddedChecklist:
    """Check `text` (a checklist's YAML) and save it as `checklists/<id>-<version>.yaml`; a
    UserError with one sentence (nothing written) when it is broken or would replace another."""
    questionnaire = parse_questionnaire_text(text, shown_name)
    shipped = shipped_questionnaires()
    if shipped_clash(questionnaire, shipped):
        sentence = clash_sentence(questionnaire)
        raise UserError(sentence[:1].upper() + sentence[1:] + ".")
    for present in added_questionnaires(home, shipped).questionnaires:
        if (present.id, present.version) != (questionnaire.id, questionnaire.version):
            continue
        if source_sha256(present.source) == source_sha256(questionnaire.source):
            return AddedChecklist(present, Path(present.path), already_there=True)
        raise UserError(
            _(
                "Your checklists already hold {id} version {version} with other content; "
                "give the new one a new version."
            ).format(id=questionnaire.id, version=questionnaire.version)
        )
    folder = user_questionnaires_dir(home, create=True)
    name = safe_file_name(f"{questionnaire.id}-{questionnaire.version}.yaml", "checklist")
    target = folder / name
    number = 1
    while target.exists():  # a broken or other file under that name is kept, never overwritten
        number += 1
        target = folder / safe_file_name(
            f"{questionnaire.id}-{questionnaire.version}-{number}.yaml", "checklist"
        )
    try:
        write_atomic(target, text.encode("utf-8"), private=True)
    except OSError as exc:
        raise UserError(
            _("The checklist could not be saved in {folder} ({reason}).").format(
                folder=folder, reason=exc.strerror or exc
            )
        ) from None
    saved = parse_questionnaire_text(text, str(target))
    return AddedChecklist(saved, target, already_there=False)
