"""Bundles written to and imported from a Windows-like stick; patterns and folders on import."""

from __future__ import annotations

from pathlib import Path

from winkit import cli, clinic_with_assessment

from guidecheck.paths import database_path
from guidecheck.storage.store import Store


def _district(capsys, tmp_path: Path) -> tuple[Path, Path]:
    clinic, hub = tmp_path / "clinic", tmp_path / "hub"
    key = tmp_path / "district.gckey"
    assert cli(capsys, "--home", hub, "keys", "district-init", "--out", key)[0] == 0
    assert cli(capsys, "--home", clinic, "keys", "install-district", key)[0] == 0
    return clinic, hub


def _approve(capsys, hub: Path, clinic: Path, code: str) -> None:
    """The officer approves the clinic's laptop for its facility (its held bundles then apply)."""
    import json

    shown = json.loads(cli(capsys, "--home", clinic, "keys", "show", "--json")[1])
    result = cli(capsys, "--home", hub, "device", "approve", shown["device_id"], "--facility", code)
    assert result[0] == 0, result


def _export(capsys, home: Path, stick: Path) -> Path:
    code, out, err = cli(capsys, "--home", home, "bundle", "export", "--out", stick, "--full")
    assert code == 0, err
    return Path(out.strip())


def test_export_and_import_follow_windows_file_rules(windows_fs, capsys, tmp_path: Path):
    clinic, hub = _district(capsys, tmp_path)
    clinic_with_assessment(clinic, code="CON")  # a facility code that is a device name on Windows
    stick = tmp_path / "E"
    stick.mkdir()
    bundle = _export(capsys, clinic, stick)
    assert bundle.parent == stick and bundle.name.startswith("guidecheck-CON-")
    code, out, err = cli(capsys, "--home", hub, "bundle", "import", bundle)
    assert code == 0 and ": held: " in out, err
    _approve(capsys, hub, clinic, "CON")
    archived = list((hub / "archive").iterdir())
    assert len(archived) == 1 and archived[0].stat().st_size == bundle.stat().st_size
    assert windows_fs.refusals == []
    assert not [p for p in stick.iterdir() if p.name.endswith((".partial", ".part"))]
    with Store(database_path(hub)) as store:
        assert [a.facility_code for a in store.list_assessments()] == ["CON"]


def test_import_expands_patterns_and_folders_itself(capsys, tmp_path: Path):
    clinic, hub = _district(capsys, tmp_path)
    clinic_with_assessment(clinic, code="KE-1")
    stick = tmp_path / "stick"
    stick.mkdir()
    first = _export(capsys, clinic, stick)
    other = tmp_path / "other-clinic"
    assert (
        cli(capsys, "--home", other, "keys", "install-district", tmp_path / "district.gckey")[0]
        == 0
    )
    clinic_with_assessment(other, code="KE-2")
    second = _export(capsys, other, stick)
    (stick / "notes.txt").write_text("not a bundle", encoding="utf-8")

    # what cmd.exe passes on: the pattern itself, quotes and all expansion left to the program
    code, out, err = cli(
        capsys, "--home", hub, "bundle", "import", "--dry-run", str(stick / "*.gcbundle")
    )
    assert code == 0, err
    assert first.name in out and second.name in out and "notes.txt" not in out

    code, out, err = cli(capsys, "--home", hub, "bundle", "import", stick)  # a folder: every bundle
    assert code == 0 and out.count(": held: ") == 2, err
    _approve(capsys, hub, clinic, "KE-1")
    _approve(capsys, hub, other, "KE-2")
    with Store(database_path(hub)) as store:
        assert sorted(a.facility_code for a in store.list_assessments()) == ["KE-1", "KE-2"]

    code, _out, err = cli(
        capsys, "--home", hub, "bundle", "import", str(tmp_path / "nothing-*.gcbundle")
    )
    assert code == 2 and err.strip() == f"No file matches {tmp_path / 'nothing-*.gcbundle'}."
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _out, err = cli(capsys, "--home", hub, "bundle", "import", empty)
    assert code == 2 and err.strip() == f"There is no .gcbundle file in {empty}."
