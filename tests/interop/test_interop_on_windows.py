"""The interop files written under Windows' file rules (imitated: locked open files, forbidden
names, case-insensitive names), as a district officer's Windows laptop would."""

from __future__ import annotations

import json

from test_dhis2_export import MAPPING
from windows_rules import WindowsRules

from guidecheck.cli.main import main


def test_exports_and_xlsform_round_trip_follow_windows_rules(hub, tmp_path, monkeypatch, capsys):
    mappings = tmp_path / "mappings"
    mappings.mkdir()
    (mappings / "district-test.dhis2.yaml").write_text(MAPPING, encoding="utf-8")
    hub.store.close()
    rules = WindowsRules(tmp_path, monkeypatch).install()
    home = ["--home", str(hub.home)]
    assert main([*home, "export", "fhir", "--all", "--out", str(tmp_path / "FHIR out")]) == 0
    assert main([*home, "export", "dhis2", "--period", "2026", "--out", str(tmp_path / "DHIS2 out"),
                 "--mapping-dir", str(mappings)]) == 0  # fmt: skip
    # exporting again over the same files replaces them (nothing holds them open)
    assert main([*home, "export", "fhir", "--all", "--out", str(tmp_path / "FHIR out")]) == 0
    assert (
        main(["questionnaires", "export-xlsform", "who-ai-health-2025", str(tmp_path / "WHO.xlsx")])
        == 0
    )
    assert (
        main(
            [
                "questionnaires",
                "import-xlsform",
                str(tmp_path / "WHO.xlsx"),
                "--out",
                str(tmp_path / "who.yaml"),
            ]
        )
        == 0
    )
    assert rules.refusals == []
    bundle = json.loads((tmp_path / "FHIR out" / "bundle.json").read_text(encoding="utf-8"))
    assert len(bundle["entry"]) == 3 + 1 + 5 + 5
    assert "Traceback" not in capsys.readouterr().err
