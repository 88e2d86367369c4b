"""Which questionnaires this installation offers: the shipped files, the checklists the person
added (`checklists/` in the data folder: imported XLSForms, files from the district) and the
versions kept in the database.

An added checklist never stands in for a shipped one: a file with a shipped id and version is
refused (reported, not offered), so "who-ai-health-2025 2.0.0" means the same text everywhere.
A broken added file is reported by name and line and the others are still offered; nothing here
raises for a bad file, so a stray file can never stop the app or a command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from guidecheck.checklist.loading import LoadReport, load_all
from guidecheck.checklist.model import Questionnaire
from guidecheck.errors import NotFound, QuestionnaireError
from guidecheck.i18n import _
from guidecheck.paths import questionnaires_dir, user_questionnaires_dir
from guidecheck.storage.database import StoreBase

SHIPPED = "shipped"
ADDED = "added"


@lru_cache(maxsize=4)
def _shipped(folder: Path) -> LoadReport:
    return load_all(folder)


def shipped_questionnaires(folder: Path | None = None) -> LoadReport:
    """The questionnaire files in the folder (default: the shipped ones), loaded once per process."""
    return _shipped((folder or questionnaires_dir()).resolve())


@dataclass(frozen=True)
class Catalog:
    """Shipped checklists first, then added ones; `errors` names every file that was skipped."""

    questionnaires: list[Questionnaire]
    errors: list[QuestionnaireError]
    added: frozenset[tuple[str, str]] = field(default_factory=frozenset)

    def source(self, questionnaire: Questionnaire) -> str:
        """ "shipped" or "added" (a checklist in the data folder's `checklists/`)."""
        return ADDED if (questionnaire.id, questionnaire.version) in self.added else SHIPPED


def shipped_clash(questionnaire: Questionnaire, shipped: LoadReport) -> bool:
    return any(
        q.id == questionnaire.id and q.version == questionnaire.version
        for q in shipped.questionnaires
    )


def clash_sentence(questionnaire: Questionnaire) -> str:
    return _(
        "checklist {id} version {version} ships with GuideCheck and an added checklist cannot "
        "replace it; give the added one another id or a new version"
    ).format(id=questionnaire.id, version=questionnaire.version)


def added_questionnaires(home: Path, shipped: LoadReport | None = None) -> LoadReport:
    """The checklists in `home`'s `checklists/` folder, minus those refused (shipped id and
    version, or an id and version given twice), each refusal reported with its file."""
    folder = user_questionnaires_dir(home)
    shipped = shipped or shipped_questionnaires()
    try:
        if not folder.is_dir():
            return LoadReport([], [])
        report = load_all(folder)
    except OSError as exc:  # an unreadable folder: said, never raised
        reason = exc.strerror or str(exc)
        return LoadReport([], [QuestionnaireError(str(folder), None, reason)])
    kept: list[Questionnaire] = []
    errors = list(report.errors)
    seen: set[tuple[str, str]] = set()
    for questionnaire in report.questionnaires:
        key = (questionnaire.id, questionnaire.version)
        if shipped_clash(questionnaire, shipped):
            errors.append(
                QuestionnaireError(questionnaire.path, None, clash_sentence(questionnaire))
            )
        elif key in seen:
            errors.append(
                QuestionnaireError(
                    questionnaire.path,
                    None,
                    _("checklist {id} version {version} is in another file of this folder").format(
                        id=questionnaire.id, version=questionnaire.version
                    ),
                )
            )
        else:
            seen.add(key)
            kept.append(questionnaire)
    return LoadReport(kept, errors)


def available_questionnaires(home: Path | None, folder: Path | None = None) -> Catalog:
    """What a new assessment can use: the shipped checklists, then `home`'s added ones."""
    shipped = shipped_questionnaires(folder)
    if home is None:
        return Catalog(list(shipped.questionnaires), list(shipped.errors))
    added = added_questionnaires(Path(home), shipped)
    return Catalog(
        [*shipped.questionnaires, *added.questionnaires],
        [*shipped.errors, *added.errors],
        frozenset((q.id, q.version) for q in added.questionnaires),
    )


def find_questionnaire(
    questionnaire_id: str,
    version: str | None = None,
    store: StoreBase | None = None,
    home: Path | None = None,
) -> Questionnaire:
    """A questionnaire by id (newest version unless `version` is given), among the shipped ones,
    the added ones of `home` (by default the store's data folder) and, for a given version, the
    copies kept in the store."""
    if home is None and store is not None:
        home = store.path.parent
    catalog = available_questionnaires(home)
    candidates = [q for q in catalog.questionnaires if q.id == questionnaire_id]
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
