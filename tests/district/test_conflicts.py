"""Conflicts made the way they happen (one installation copied to two laptops), resolved by the officer."""

from __future__ import annotations

import shutil

from hub_builder import assess, export_clinic, profile

from guidecheck.bundles.importer import import_file
from guidecheck.checklist.model import SignOff
from guidecheck.district.conflicts import conflict_groups, resolve
from guidecheck.district.records import standing_records
from guidecheck.errors import UserError
from guidecheck.paths import database_path
from guidecheck.storage.store import Store

ANSWERS = {"c1": "yes", "c2": "yes", "c3": "yes", "d1": "yes", "d2": "yes", "d3": "ok"}


def cloned_laptops(tmp_path, questionnaire, final: bool):
    """Laptop a with one assessment, copied whole (keys too) to laptop b."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    with Store(database_path(a)) as store:
        prof = profile("K01", "Clinic K", "West", "ChestScan", "diagnostic_imaging", "2026-05-01")
        answers = dict(ANSWERS) if final else {k: v for k, v in ANSWERS.items() if k != "d3"}
        shared = assess(store, questionnaire, prof, answers, final=final)
    out = tmp_path / "first"
    out.mkdir()
    export_clinic(a, out)  # makes a's device key, so b signs as the same device
    shutil.copytree(a, b)
    return a, b, shared


def import_all(hub_home, paths):
    store = Store(database_path(hub_home))
    for path in paths:
        assert import_file(hub_home, store, path).imported
    return store


def sticks(tmp_path, *homes):
    paths = []
    for n, home in enumerate(homes):
        folder = tmp_path / f"stick{n}"
        folder.mkdir(exist_ok=True)
        paths.append(export_clinic(home, folder))
    return paths


def test_two_finalized_versions_of_one_record_side_by_side_and_resolved(tmp_path, questionnaire):
    a, b, shared = cloned_laptops(tmp_path, questionnaire, final=False)
    for home, d3 in ((a, "seen by a"), (b, "seen by b")):
        with Store(database_path(home)) as store:
            store.save_answer(shared, "c2", "no" if home == a else "yes")
            store.save_answer(shared, "d3", d3)
            store.finalize(shared, SignOff("Officer", "Nurse", "Head", "2026-05-02"))
    hub = tmp_path / "hub"
    store = import_all(hub, sticks(tmp_path, a, b))
    groups = conflict_groups(store)
    assert len(groups) == 1
    group = groups[0]
    assert (group.facility_code, group.tool_name, group.revision) == ("K01", "ChestScan", 1)
    assert len(group.options) == 2 and sum(o.current for o in group.options) == 1
    assert group.differing_items() == ["c2", "d3"]
    by_c2 = {o.answers["c2"][0]: o for o in group.options}
    # a: care (2 + 0 + 1)/4 = 75, data 100, overall 5/6 = 83.3; b: everything yes = 100
    assert (by_c2["no"].overall, by_c2["yes"].overall) == (83.3, 100.0)
    keep = (
        by_c2["no"] if not by_c2["no"].current else by_c2["yes"]
    )  # choose the version not shown now
    resolve(store, group, keep, actor="District officer")
    assert conflict_groups(store) == []
    row = store.get_assessment(shared)
    assert not row.conflict and not row.superseded
    assert store.answers(shared)["d3"].value == keep.answers["d3"][0]
    assert (
        standing_records(store.conn)[0].overall == keep.overall
    )  # the cached score follows the content
    last = store.audit_entries()[-1]
    assert (last.actor, last.entity_id, last.action) == (
        "District officer",
        shared,
        "resolve_conflict",
    )
    assert store.verify_audit().ok
    store.close()


def test_two_revisions_of_one_lineage_resolved_keeps_the_loser_superseded(tmp_path, questionnaire):
    a, b, first = cloned_laptops(tmp_path, questionnaire, final=True)
    revisions = {}
    for home, value in ((a, "partly"), (b, "no")):
        with Store(database_path(home)) as store:
            revised = store.revise(first)
            store.save_answer(revised.id, "d1", value)
            store.finalize(revised.id, SignOff("Officer", "Nurse", "Head", "2026-06-01"))
            revisions[home.name] = revised.id
    hub = tmp_path / "hub"
    paths = sticks(tmp_path, a, b)
    store = import_all(hub, paths)
    [group] = conflict_groups(store)
    assert group.revision == 2 and {o.assessment_id for o in group.options} == set(
        revisions.values()
    )
    keep = next(o for o in group.options if o.assessment_id == revisions["a"])
    message = None
    resolve(store, group, keep, actor="Officer")
    loser = store.get_assessment(revisions["b"])
    assert loser.superseded and not loser.conflict  # kept, never deleted
    assert [r.id for r in standing_records(store.conn)] == [revisions["a"]]
    assert store.audit_entries()[-2].action == "supersede"
    try:
        resolve(store, group, keep)
    except UserError as exc:
        message = exc.message
    assert message == "This conflict was already resolved; reload the list."

    store.close()


def test_cli_lists_and_resolves_a_conflict(tmp_path, capsys):
    from hub_builder import build_hub, import_conflict

    from guidecheck.cli.main import main

    hub = build_hub(tmp_path)
    shared = import_conflict(tmp_path, hub)
    hub.store.close()
    assert main(["--home", str(hub.home), "district", "conflicts"]) == 0
    out = capsys.readouterr().out
    key = out.split()[0]
    assert "Clinic K (K01) · ChestScan · revision 1" in out and "differs in: c2, d3" in out
    assert main(["--home", str(hub.home), "district", "resolve", key, "3"]) == 2
    assert capsys.readouterr().err.strip() == "Choose a version from 1 to 2."
    assert main(["--home", str(hub.home), "district", "resolve", "nope#1", "1"]) == 2
    assert "no open conflict" in capsys.readouterr().err
    assert (
        main(["--home", str(hub.home), "district", "resolve", key, "2", "--actor", "Officer"]) == 0
    )
    assert "Version 2" in capsys.readouterr().out
    assert main(["--home", str(hub.home), "district", "conflicts"]) == 0
    assert capsys.readouterr().out.strip() == "No conflicts."
    with Store(database_path(hub.home)) as store:
        assert not store.get_assessment(shared).conflict
