"""The DHIS2 codes of one checklist's results, read from `questionnaires/<id>.dhis2.yaml`.

A ministry edits this file to match its own DHIS2 codes. It names the data set, the attribute
category of AI tools, one data element per figure (overall score, verdict, red flags, assessed)
and one per domain. Domains are read from the questionnaire itself, so a later version with more
domains maps as soon as the file names them; a missing entry is one plain sentence naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidecheck.checklist.model import VERDICTS, Questionnaire
from guidecheck.errors import UserError
from guidecheck.i18n import _
from guidecheck.paths import questionnaires_dir

CODE = re.compile(r"^[\w.:-]{1,50}$")
FIGURES = ("overall", "verdict", "red_flags", "assessed")


@dataclass(frozen=True)
class Element:
    code: str
    name: str


@dataclass(frozen=True)
class Dhis2Mapping:
    questionnaire_id: str
    path: Path
    data_set: Element
    data_set_short_name: str
    tool_category: Element
    tool_option_prefix: str
    figures: dict[str, Element]
    verdict_values: dict[str, int]
    domains: dict[str, Element]

    def domain_elements(self, questionnaire: Questionnaire) -> dict[str, Element]:
        """Every domain of this questionnaire version with its code; refuses missing entries."""
        missing = [d.id for d in questionnaire.domains if d.id not in self.domains]
        if missing:
            raise UserError(
                _("{path} has no DHIS2 code for the domains {names} of {id} version {version}; add them under 'domains:'.").format(
                    path=self.path, names=", ".join(missing), id=questionnaire.id, version=questionnaire.version
                )
            )  # fmt: skip
        return {d.id: self.domains[d.id] for d in questionnaire.domains}


def mapping_path(questionnaire_id: str, folder: Path | None = None) -> Path:
    return (folder or questionnaires_dir()) / f"{questionnaire_id}.dhis2.yaml"


def load_mapping(questionnaire_id: str, folder: Path | None = None) -> Dhis2Mapping:
    """The mapping file next to the checklist; one sentence when missing or malformed."""
    from guidecheck.checklist.yaml_reader import read_yaml

    path = mapping_path(questionnaire_id, folder)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(
            _("There is no DHIS2 mapping for the checklist {id}: write {path} first.").format(
                id=questionnaire_id, path=path
            )
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(
            _("The DHIS2 mapping {path} cannot be read ({reason}).").format(path=path, reason=exc)
        ) from None
    return parse_mapping(read_yaml(text, str(path)), path, questionnaire_id)


def _bad(path: Path, what: str) -> UserError:
    return UserError(
        _("The DHIS2 mapping {path} is not usable: {what}.").format(path=path, what=what)
    )


def _element(node: Any, path: Path, where: str) -> Element:
    if not isinstance(node, dict):
        raise _bad(path, _("'{where}' needs a code and a name").format(where=where))
    code, name = node.get("code"), node.get("name")
    if not isinstance(code, str) or not CODE.match(code):
        raise _bad(path, _("the code of '{where}' must be 1 to 50 letters, digits, '_', '-', '.' or ':'").format(where=where))  # fmt: skip
    if not isinstance(name, str) or not name.strip() or len(name) > 230:
        raise _bad(path, _("'{where}' needs a name of at most 230 characters").format(where=where))
    return Element(code, name.strip())


def parse_mapping(data: Any, path: Path, questionnaire_id: str) -> Dhis2Mapping:
    if not isinstance(data, dict):
        raise _bad(path, _("it must be a mapping of keys to values"))
    if data.get("questionnaire") != questionnaire_id:
        raise _bad(path, _("'questionnaire' must be '{id}'").format(id=questionnaire_id))
    data_set = _element(data.get("data_set"), path, "data_set")
    short = data["data_set"].get("short_name", data_set.name)
    if not isinstance(short, str) or not short.strip() or len(short) > 50:
        raise _bad(path, _("'data_set.short_name' must be text of at most 50 characters"))
    category = _element(data.get("tool_category"), path, "tool_category")
    prefix = data["tool_category"].get("option_prefix", "GC_TOOL_")
    if not isinstance(prefix, str) or not re.match(r"^[\w.:-]{0,20}$", prefix):
        raise _bad(path, _("'tool_category.option_prefix' must be at most 20 code characters"))
    figures_node = data.get("figures")
    if not isinstance(figures_node, dict):
        raise _bad(path, _("'figures' must name {names}").format(names=", ".join(FIGURES)))
    missing = [f for f in FIGURES if f not in figures_node]
    if missing:
        raise _bad(path, _("'figures' has no entry for {names}").format(names=", ".join(missing)))
    figures = {f: _element(figures_node[f], path, f"figures.{f}") for f in FIGURES}
    values = data.get("verdict_values")
    if (
        not isinstance(values, dict)
        or set(values) != set(VERDICTS)
        or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values.values()
        )
    ):
        raise _bad(path, _("'verdict_values' must give a whole number of 0 or more for each of {names}").format(names=", ".join(VERDICTS)))  # fmt: skip
    domains_node = data.get("domains")
    if not isinstance(domains_node, dict):
        raise _bad(path, _("'domains' must map each domain id to a code and a name"))
    domains = {str(k): _element(v, path, f"domains.{k}") for k, v in domains_node.items()}
    codes = [data_set.code, category.code] + [
        e.code for e in (*figures.values(), *domains.values())
    ]
    doubles = sorted({c for c in codes if codes.count(c) > 1})
    if doubles:
        raise _bad(path, _("the codes {codes} are used twice").format(codes=", ".join(doubles)))
    return Dhis2Mapping(questionnaire_id, path, data_set, short.strip(), category, prefix, figures,
                        {str(k): int(v) for k, v in values.items()}, domains)  # fmt: skip
