"""One `guidecheck bundle import` of several files, one of them refused in the middle while it was
being applied: the files before and after it are in the hub's database file with all their
answers and archived once each; the refused one left nothing, not even a temporary file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from bundle_helpers import district_pair, fill, open_store, profile_for

from guidecheck.bundles import container
from guidecheck.bundles.import_batch import import_files
from guidecheck.bundles.manifest import parse_manifest
from guidecheck.cli.main import main
from guidecheck.paths import database_path


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def export(capsys, home: Path, out: Path) -> Path:
    code, text, err = cli(capsys, "--home", home, "bundle", "export", "--out", out)
    assert code == 0, err
    return Path(text.strip().splitlines()[-1])


@pytest.fixture
def stick_of_four(tmp_path, capsys, mini):
    """A hub with clinic A approved for KSM-100 only, and four bundles from A on a stick: KSM-100,
    KSM-100, one for KSM-200 (verified, then refused while applied: A may not write for it), KSM-100."""
    hub, clinic = tmp_path / "hub", tmp_path / "clinic-a"
    district_pair(clinic, hub, tmp_path)
    paths, ids = [], []
    for n, code in enumerate(["KSM-100", "KSM-100", "KSM-200", "KSM-100"]):
        folder = tmp_path / f"stick{n}"
        folder.mkdir()
        with open_store(clinic) as store:
            ids.append(fill(store, mini, profile_for(code), variant=n, final=True))
            device = store.device_id
        paths.append(export(capsys, clinic, folder))
    cli(capsys, "--home", hub, "bundle", "import", paths[0])  # held: the laptop is new here
    code, out, err = cli(
        capsys, "--home", hub, "device", "approve", device, "--facility", "KSM-100"
    )
    assert code == 0, err
    return {"hub": hub, "paths": paths, "ids": ids}


def hub_rows(hub: Path) -> tuple[dict[str, int], set[str]]:
    """(answers per assessment, bundle ids recorded as imported), read from the file itself."""
    with sqlite3.connect(database_path(hub)) as conn:
        answers = dict(
            conn.execute("SELECT assessment_id, COUNT(*) FROM answers GROUP BY assessment_id")
        )
        imported = {r[0] for r in conn.execute("SELECT bundle_id FROM bundle_imports")}
    return answers, imported


def bundle_id(path: Path) -> str:
    return parse_manifest(container.unpack(path.read_bytes()).manifest).bundle_id


def test_a_bundle_refused_in_the_middle_leaves_the_others_in(capsys, stick_of_four, mini):
    hub, paths, ids = stick_of_four["hub"], stick_of_four["paths"], stick_of_four["ids"]
    # the first was applied when its laptop was approved; the other three go in one command
    code, out, err = cli(capsys, "--home", hub, "bundle", "import", *paths[1:])
    lines = out.strip().splitlines()
    assert code == 2 and len(lines) == 3, out
    assert lines[0].startswith(paths[1].name) and "1 new" in lines[0]
    assert "refused" in lines[1] and "KSM-200" in lines[1]
    assert lines[2].startswith(paths[3].name) and "1 new" in lines[2]
    assert "1 of 3 files were refused" in err

    answers, imported = hub_rows(hub)
    full = len(mini.items)
    assert answers == {ids[0]: full, ids[1]: full, ids[3]: full}  # nothing of KSM-200
    assert imported == {bundle_id(paths[n]) for n in (0, 1, 3)}
    archive = sorted(p.name for p in (hub / "archive").iterdir())
    assert len(archive) == 3 and not any(n.endswith(".partial") for n in archive), archive


@pytest.mark.parametrize("group_seconds", [0.0, 60.0])
def test_groups_of_any_size_give_the_same_hub(stick_of_four, mini, group_seconds):
    """A commit after every file or one for all of them: the same outcomes and the same rows."""
    hub, paths, ids = stick_of_four["hub"], stick_of_four["paths"], stick_of_four["ids"]
    calls: list[tuple[int, int, str]] = []
    with open_store(hub) as store:
        outcomes = list(
            import_files(
                hub,
                store,
                paths + paths[1:2],
                progress=lambda *a: calls.append(a),
                group_seconds=group_seconds,
            )  # fmt: skip
        )
    assert [o.imported for o in outcomes] == [
        True,
        True,
        False,
        True,
        True,
    ]  # rolled back: the KSM-200 one
    assert (
        outcomes[0].already_imported and outcomes[4].already_imported
    )  # the one applied on approval, and one twice
    assert not outcomes[1].already_imported and not outcomes[3].already_imported
    assert [c[0] for c in calls] == [0, 1, 2, 3, 4] and {c[1] for c in calls} == {5}
    answers, imported = hub_rows(hub)
    assert set(answers) == {ids[0], ids[1], ids[3]}
    assert imported == {bundle_id(paths[n]) for n in (0, 1, 3)}
    assert len(list((hub / "archive").iterdir())) == 3


def test_scores_written_by_a_batch_are_those_read_back_from_the_rows(stick_of_four):
    """The batch scores each new assessment from the records it checked (not read back): the
    cached score, verdict and counts must be exactly what the hub computes from its own rows."""
    hub, paths, ids = stick_of_four["hub"], stick_of_four["paths"], stick_of_four["ids"]
    summary = (
        "SELECT overall_score, verdict, red_flag_count, answered_count, shown_count, rules_version"
        " FROM assessments WHERE id = ?"
    )
    with open_store(hub) as store:
        outcomes = list(import_files(hub, store, paths[1:]))
        assert [o.imported for o in outcomes] == [True, False, True]
        cached = {i: store.conn.execute(summary, (i,)).fetchone() for i in (ids[1], ids[3])}
        with store.atomic():
            for assessment_id in cached:
                store.refresh_summary(assessment_id)  # from the rows now in the database
        again = {i: store.conn.execute(summary, (i,)).fetchone() for i in cached}
    assert cached == again
    assert all(row[1] and row[3] > 0 for row in cached.values()), cached  # scored, not left empty


def test_a_damaged_district_key_refuses_every_file_and_changes_nothing(stick_of_four):
    """The key is read once per command; when it cannot be read each file says why, as alone."""
    hub, paths = stick_of_four["hub"], stick_of_four["paths"]
    key_file = next((hub / "keys").glob("district*"))
    key_file.write_text("# name: broken\nAGE-SECRET-KEY-NOT-A-KEY\n", encoding="ascii")
    before = hub_rows(hub)
    with open_store(hub) as store:
        outcomes = list(import_files(hub, store, paths[1:]))
    assert [o.imported or o.held for o in outcomes] == [False, False, False]
    assert all("is damaged" in o.reason for o in outcomes), [o.reason for o in outcomes]
    assert hub_rows(hub) == before
