"""Writing an imported checklist as YAML that `checklist.loading` reads back unchanged."""

from __future__ import annotations

from typing import Any


def dump_questionnaire(data: dict[str, Any]) -> str:
    """Plain YAML (no tags, no anchors), keys in the order given, text kept as UTF-8."""
    import yaml

    class _NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    body = yaml.dump(
        data,
        Dumper=_NoAliases,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return "# Imported from an XLSForm by `guidecheck questionnaires import-xlsform`.\n" + body
