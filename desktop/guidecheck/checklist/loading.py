"""Loading checklists from YAML into `model.Questionnaire`, with errors that name file and line.

YAML is read by `yaml_reader` (a safe loader that records line numbers, refuses aliases and
over-deep nesting, builds only plain data); `schema` then checks every field and the
cross-references between them. Both load on first use, keeping PyYAML out of app start-up.
"""

from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass
from pathlib import Path

from guidecheck import limits
from guidecheck.checklist.model import Questionnaire
from guidecheck.errors import QuestionnaireError
from guidecheck.fileops import decode_text
from guidecheck.i18n import _
from guidecheck.paths import questionnaires_dir

DEFAULT_QUESTIONNAIRE_ID = "who-ai-health-2025"


def parse_questionnaire_text(text: str, path: str = "<questionnaire>") -> Questionnaire:
    """Build and validate a questionnaire from YAML text (a file, or a copy kept in the database)."""
    from guidecheck.checklist.schema import build_questionnaire
    from guidecheck.checklist.yaml_reader import read_yaml

    data = read_yaml(text, path)
    return build_questionnaire(data, text, path)


def load_questionnaire(path: str | Path) -> Questionnaire:
    """Load one questionnaire file; raises QuestionnaireError naming the file, line and problem."""
    path = Path(path)
    shown = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise QuestionnaireError(shown, None, _("is not a regular file"))
        if info.st_size > limits.QUESTIONNAIRE_BYTES:
            raise QuestionnaireError(shown, None, _("the file is larger than 2 MB"))
        with path.open("rb") as handle:
            raw = handle.read(
                limits.QUESTIONNAIRE_BYTES + 1
            )  # a file that grows while read is still capped
        if len(raw) > limits.QUESTIONNAIRE_BYTES:
            raise QuestionnaireError(shown, None, _("the file is larger than 2 MB"))
    except OSError as exc:
        raise QuestionnaireError(
            shown, None, _("cannot be read ({reason})").format(reason=exc.strerror or exc)
        ) from None
    try:
        text = decode_text(raw)  # a byte-order mark (Notepad, PowerShell) is dropped
    except UnicodeDecodeError:
        raise QuestionnaireError(shown, None, _("the file is not UTF-8 text")) from None
    return parse_questionnaire_text(text, shown)


@dataclass(frozen=True)
class LoadReport:
    questionnaires: list[Questionnaire]
    errors: list[QuestionnaireError]


def load_all(folder: Path | None = None) -> LoadReport:
    """Every `*.yaml` in the folder; broken files are reported and the others still load.
    `<id>.dhis2.yaml` files beside a checklist hold its DHIS2 codes, not a checklist: skipped."""
    folder = folder or questionnaires_dir()
    found: list[Questionnaire] = []
    errors: list[QuestionnaireError] = []
    for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
        if path.name.endswith((".dhis2.yaml", ".dhis2.yml")):
            continue
        try:
            found.append(load_questionnaire(path))
        except QuestionnaireError as exc:
            errors.append(exc)
    return LoadReport(found, errors)


def source_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
