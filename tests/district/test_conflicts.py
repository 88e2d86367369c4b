"""Conflicts made the way they happen (one installation copied to two laptops), resolved by the officer."""

from __future__ import annotations

import shutil

from hub_builder import assess, export_clinic, make_district, profile

from clinic_hub_helpers import dump, import_approved
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
    hub_home.mkdir(exist_ok=True)
    make_district(hub_home)
    store = Store(database_path(hub_home))
    for path in paths:
        assert import_approved(hub_home, store, path).imported
    return store


def sticks(tmp_path, *homes):
    paths = []
    for n, home in enumerate(homes):
        folder = tmp_path / f"stick{n}"
        folder.mkdir(exist_ok=True)
        paths.append(export_clinic(home, folder))
    return paths


def test_a_second_final_body_for_one_final_assessment_is_refused_and_named(tmp_path, questionnaire):
    """Final means final: the cloned laptop's other finalization must come as a new revision."""
    a, b, shared = cloned_laptops(tmp_path, questionnaire, final=False)
    for home, d3 in ((a, "seen by a"), (b, "seen by b")):
        with Store(database_path(home)) as store:
            store.save_answer(shared, "c2", "no" if home == a else "yes")
            store.save_answer(shared, "d3", d3)
            store.finalize(shared, SignOff("Officer", "Nurse", "Head", "2026-05-02"))
    hub = tmp_path / "hub"
    first, second = sticks(tmp_path, a, b)
    store = import_all(hub, [first])
    before = dump(database_path(hub))
    outcome = import_file(hub, store, second)
    assert not outcome.imported and shared in outcome.reason
    assert "already final" in outcome.reason and outcome.reason.endswith(".")
    assert dump(database_path(hub)) == before
    assert store.answers(shared)["d3"].value == "seen by a" and conflict_groups(store) == []
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
    assert "Clinic K (K01) · ChestScan · revision 2" in out and "differs in: c2, d3" in out
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
