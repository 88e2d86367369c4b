"""An officer's decision survives any re-import of the same bundles; a version they have not seen reopens it.

The conflicts are made the way they happen (one installation copied to two laptops) and travel
through real bundles; the decision is taken with `resolve`, as the app and the CLI do.
"""

from __future__ import annotations

from hub_builder import export_clinic
from test_conflicts import cloned_laptops, import_all, sticks

from guidecheck.bundles.importer import import_file
from guidecheck.checklist.model import SignOff
from guidecheck.district.conflicts import conflict_groups, resolve
from guidecheck.district.records import standing_records
from guidecheck.paths import database_path
from guidecheck.storage.store import Store

SIGN = SignOff("Officer", "Nurse", "Head", "2026-06-01")


def snapshot(store: Store) -> dict[str, list[tuple]]:
    """Everything an import could touch, the hub's own columns (superseded, conflict, scores) included."""
    tables = {"assessments": "id", "answers": "assessment_id, item_id", "bundle_variants": "assessment_id, sha256",
              "district_resolutions": "lineage_id, revision"}  # fmt: skip
    return {
        t: store.conn.execute(f"SELECT * FROM {t} ORDER BY {order}").fetchall()
        for t, order in tables.items()
    }


def reimport(hub, store: Store, paths) -> None:
    for path in paths:
        outcome = import_file(hub, store, path)
        assert outcome.imported and outcome.result.conflicts == 0
        assert outcome.result.updated == outcome.result.new == 0


def two_revisions(tmp_path, questionnaire, finalize_b: bool = True):
    """Both laptops revise the same final assessment: two ids claim revision 2 of one lineage."""
    a, b, first = cloned_laptops(tmp_path, questionnaire, final=True)
    revisions = {}
    for home, value in ((a, "partly"), (b, "no")):
        with Store(database_path(home)) as store:
            revised = store.revise(first)
            store.save_answer(revised.id, "d1", value)
            if home == a or finalize_b:
                store.finalize(revised.id, SIGN)
            revisions[home.name] = revised.id
    return a, b, revisions


def test_a_resolved_revision_stays_resolved_when_every_bundle_comes_again_in_any_order(
    tmp_path, questionnaire
):
    a, b, revisions = two_revisions(tmp_path, questionnaire)
    hub = tmp_path / "hub"
    paths = sticks(tmp_path, a, b)
    store = import_all(hub, paths)
    [group] = conflict_groups(store)
    resolve(
        store,
        group,
        next(o for o in group.options if o.assessment_id == revisions["a"]),
        actor="Officer",
    )
    decided = snapshot(store)
    assert [r.id for r in standing_records(store.conn)] == [revisions["a"]]

    for order in (paths, paths[::-1], [paths[1], paths[0], paths[1]]):
        reimport(hub, store, order)
        assert snapshot(store) == decided  # no new variant, no flag, the loser still superseded
    assert conflict_groups(store) == []
    loser, winner = store.get_assessment(revisions["b"]), store.get_assessment(revisions["a"])
    assert loser.superseded and not loser.conflict and not winner.superseded and not winner.conflict
    assert [r.id for r in standing_records(store.conn)] == [revisions["a"]]
    store.close()


def test_the_first_final_version_stands_whatever_order_the_other_is_offered_in(
    tmp_path, questionnaire
):
    """Two finalizations of one id (a cloned laptop): the one already here stands; the other is
    refused by name on every attempt and changes nothing (it must come as a new revision)."""
    a, b, shared = cloned_laptops(tmp_path, questionnaire, final=False)
    for home, c2 in ((a, "no"), (b, "yes")):
        with Store(database_path(home)) as store:
            store.save_answer(shared, "c2", c2)
            store.save_answer(shared, "d3", f"seen by {home.name}")
            store.finalize(shared, SIGN)
    hub = tmp_path / "hub"
    paths = sticks(tmp_path, a, b)
    store = import_all(hub, paths[:1])
    kept = snapshot(store)
    for path in (paths[1], paths[0], paths[1]):
        outcome = import_file(hub, store, path)
        assert outcome.imported == (path == paths[0]), outcome.summary()
        if path == paths[1]:
            assert shared in outcome.reason and "already final" in outcome.reason
        assert snapshot(store) == kept
    assert store.answers(shared)["d3"].value == "seen by a"
    assert conflict_groups(store) == []
    store.close()


def test_a_version_the_officer_has_not_seen_flags_the_revision_again(tmp_path, questionnaire):
    a, b, revisions = two_revisions(
        tmp_path, questionnaire, finalize_b=False
    )  # b's revision is still a draft
    hub = tmp_path / "hub"
    paths = sticks(tmp_path, a, b)
    store = import_all(hub, paths)
    [group] = conflict_groups(store)
    resolve(
        store,
        group,
        next(o for o in group.options if o.assessment_id == revisions["a"]),
        actor="Officer",
    )
    assert conflict_groups(store) == []

    with Store(database_path(b)) as clinic:  # the laptop that lost goes on editing its draft
        clinic.save_answer(revisions["b"], "d2", "no")
    later = tmp_path / "later"
    later.mkdir()
    outcome = import_file(hub, store, export_clinic(b, later))
    assert (
        outcome.imported and outcome.result.conflicts == 2
    )  # both rows of revision 2 are flagged again

    [group] = conflict_groups(store)
    assert group.revision == 2 and {o.assessment_id for o in group.options} == set(
        revisions.values()
    )
    newest = next(o for o in group.options if o.assessment_id == revisions["b"] and o.current)
    assert (
        newest.answers["d2"][0] == "no" and len(group.options) == 3
    )  # a, b as decided, b's new version
    assert store.get_assessment(
        revisions["b"]
    ).superseded  # the old decision is visible until a new one is taken

    resolve(store, group, newest, actor="Officer")  # this time b's version stands
    assert (
        not store.get_assessment(revisions["b"]).superseded
        and store.get_assessment(revisions["a"]).superseded
    )
    decided = snapshot(store)
    reimport(hub, store, [*paths, later / outcome.path.name][::-1])
    assert snapshot(store) == decided and conflict_groups(store) == []
    store.close()


def test_a_version_arriving_while_the_officer_chooses_is_not_decided_blindly(
    tmp_path, questionnaire
):
    a, b, revisions = two_revisions(tmp_path, questionnaire, finalize_b=False)
    hub = tmp_path / "hub"
    store = import_all(hub, sticks(tmp_path, a, b))
    [shown] = conflict_groups(store)  # the list the officer is looking at
    with Store(database_path(b)) as clinic:
        clinic.save_answer(revisions["b"], "d2", "no")
    later = tmp_path / "later"
    later.mkdir()
    assert import_file(hub, store, export_clinic(b, later)).imported
    before = snapshot(store)
    try:
        resolve(
            store,
            shown,
            next(o for o in shown.options if o.assessment_id == revisions["a"]),
            actor="Officer",
        )
    except Exception as exc:  # noqa: BLE001 - the message is the point
        message = getattr(exc, "message", str(exc))
    else:
        message = ""
    assert message == "Another version of this record arrived meanwhile; reload the list."
    assert snapshot(store) == before  # refused whole: nothing recorded, nothing marked
    store.close()


def test_a_hub_from_before_the_change_is_upgraded_to_the_same_state(tmp_path, questionnaire):
    """Old hubs stored variants with `superseded` inside (and a loser's marked copy as one more)."""
    import json

    from guidecheck.bundles.variants import body_sha256
    from guidecheck.storage.migrations import m004_variants_clinic_content

    a, b, revisions = two_revisions(tmp_path, questionnaire)
    hub = tmp_path / "hub"
    store = import_all(hub, sticks(tmp_path, a, b))
    [group] = conflict_groups(store)
    resolve(
        store,
        group,
        next(o for o in group.options if o.assessment_id == revisions["a"]),
        actor="Officer",
    )
    decided = snapshot(store)
    conn = store.conn
    with store.atomic():  # rewrite the store as the old code left it after a re-import
        renamed = {}
        for assessment_id, sha, text in conn.execute(
            "SELECT assessment_id, sha256, body FROM bundle_variants"
        ).fetchall():
            old = json.loads(text) | {"superseded": 0}
            renamed[sha] = body_sha256(old)
            marked = old | {"superseded": 1}
            conn.execute("UPDATE bundle_variants SET sha256 = ?, body = ? WHERE assessment_id = ? AND sha256 = ?",
                         (renamed[sha], json.dumps(old), assessment_id, sha))  # fmt: skip
            if assessment_id == revisions["b"]:
                conn.execute("INSERT INTO bundle_variants VALUES (?, ?, ?, ?, ?)", (assessment_id, body_sha256(marked),
                             marked["updated_at"], marked["status"], json.dumps(marked)))  # fmt: skip
        for kept, offered in conn.execute(
            "SELECT kept_sha256, options_json FROM district_resolutions"
        ).fetchall():
            conn.execute("UPDATE district_resolutions SET kept_sha256 = ?, options_json = ?",
                         (renamed[kept], json.dumps(sorted(renamed[v] for v in json.loads(offered)))))  # fmt: skip
        conn.execute("UPDATE assessments SET conflict = 1 WHERE revision = 2")
    assert snapshot(store) != decided and len(conflict_groups(store)) == 1
    with store.atomic():
        m004_variants_clinic_content(store.db)  # the frozen step that upgraded such hubs
    assert snapshot(store) == decided and conflict_groups(store) == []
    store.close()
