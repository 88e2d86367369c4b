"""Which questionnaires this installation offers: the shipped files plus versions kept in the database."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from guidecheck.checklist.loading import LoadReport, load_all
from guidecheck.checklist.model import Questionnaire
from guidecheck.errors import NotFound
from guidecheck.i18n import _
from guidecheck.paths import questionnaires_dir
from guidecheck.storage.database import StoreBase


@lru_cache(maxsize=4)
def _shipped(folder: Path) -> LoadReport:
    return load_all(folder)


def shipped_questionnaires(folder: Path | None = None) -> LoadReport:
    """The questionnaire files in the folder (default: the shipped ones), loaded once per process."""
    return _shipped((folder or questionnaires_dir()).resolve())


def find_questionnaire(
    questionnaire_id: str, version: str | None = None, store: StoreBase | None = None
) -> Questionnaire:
    """A questionnaire by id (newest shipped version unless `version` is given; stored copies count)."""
    candidates = [q for q in shipped_questionnaires().questionnaires if q.id == questionnaire_id]
    if version is not None:
        for q in candidates:
            if q.version == version:
                return q
        if store is not None:
            return store.stored_questionnaire(questionnaire_id, version)
        raise NotFound(
            _("Questionnaire {id} version {version} is not available.").format(
                id=questionnaire_id, version=version
            )
        )
    if not candidates:
        raise NotFound(_("There is no questionnaire with id {id}.").format(id=questionnaire_id))
    return max(candidates, key=lambda q: _version_key(q.version))


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple(
        (int(part), "") if part.isdigit() else (-1, part)
        for part in version.replace("-", ".").split(".")
    )
