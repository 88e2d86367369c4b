"""The hub's own columns (superseded, conflict, cached scores) are not clinic content: changing them on
the hub never makes a received assessment look like a new version, and an import leaves them alone."""

from __future__ import annotations

from bundle_helpers import district_pair, fill, open_store, profile_for

from clinic_hub_helpers import import_approved
from guidecheck.bundles.export import export_bundle
from guidecheck.bundles.importer import import_file
from guidecheck.bundles.variants import HUB_COLUMNS, ROW_COLUMNS, current_sha256


def test_hub_side_marks_do_not_make_a_variant_and_survive_reimport(
    clinic, hub, stick, mini, tmp_path
):
    district_pair(clinic, hub, tmp_path)
    with open_store(clinic) as store:
        done = fill(store, mini, profile_for("KSM-H"), final=True)
        draft = fill(store, mini, profile_for("KSM-H", tool="TriageBot"), limit=2)
        path = export_bundle(clinic, store, stick).path
    with open_store(hub) as store:
        assert import_approved(hub, store, path).result.new == 2
        contents = {i: current_sha256(store.conn, i) for i in (done, draft)}
        store.conn.execute("UPDATE assessments SET superseded = 1, conflict = 0, overall_score = 1.5, verdict = 'x'"
                           " WHERE id = ?", (done,))  # fmt: skip
        store.conn.commit()
        assert {i: current_sha256(store.conn, i) for i in (done, draft)} == contents
        outcome = import_file(hub, store, path)
        assert (
            outcome.imported
            and outcome.result.as_dict()["unchanged"] == 2
            and not outcome.result.changed
        )
        assert store.conn.execute("SELECT COUNT(*) FROM bundle_variants").fetchone()[0] == 2
        row = store.conn.execute(
            "SELECT superseded, conflict, overall_score FROM assessments WHERE id = ?", (done,)
        )
        assert row.fetchone() == (
            1,
            0,
            1.5,
        )  # the hub's decision stands; scores are refreshed only on change
    assert set(HUB_COLUMNS).isdisjoint(ROW_COLUMNS)


def test_a_received_superseded_mark_is_not_taken_from_the_clinic(
    clinic, hub, stick, mini, tmp_path
):
    """The payload format carries `superseded`; only the hub's officer decides it."""
    district_pair(clinic, hub, tmp_path)
    with open_store(clinic) as store:
        done = fill(store, mini, profile_for("KSM-H"), final=True)
        store.conn.execute("UPDATE assessments SET superseded = 1 WHERE id = ?", (done,))
        store.conn.commit()
        path = export_bundle(clinic, store, stick).path
    with open_store(hub) as store:
        assert import_approved(hub, store, path).imported
        row = store.conn.execute(
            "SELECT superseded, conflict FROM assessments WHERE id = ?", (done,)
        ).fetchone()
        assert row == (0, 0)
