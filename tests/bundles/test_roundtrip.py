"""Clinic -> district through real files and the real CLI, in two data folders."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from bundle_helpers import SIGN, district_pair, fill, open_store, profile_for

from clinic_hub_helpers import dump, import_approved
from guidecheck.bundles.importer import import_file
from guidecheck.cli.main import main
from guidecheck.paths import database_path

ASSESSMENT_COLUMNS = (
    "id, lineage_id, revision, replaces, questionnaire_id, questionnaire_version, status, profile_json, facility_code,"
    " tool_id, sign_off_json, created_at, updated_at, finalized_at, current_domain, origin_device, superseded,"
    " overall_score, verdict, red_flag_count, answered_count, shown_count"
)
# Tables whose content is a function of the set of bundles imported (the hub's own audit log,
# import log and first-seen device pins record *when* things happened, so they are left out).
DOMAIN_TABLES = (
    "facilities",
    "tools",
    "questionnaire_versions",
    "assessments",
    "answers",
    "bundle_variants",
    "bundle_audit",
)


def cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def setup_district(capsys, clinic, hub, tmp_path) -> None:
    key_file = tmp_path / "district.gckey"
    code, out, _err = cli(
        capsys, "--home", hub, "keys", "district-init", "--out", key_file, "--name", "Kisumu"
    )
    assert code == 0 and "district hub" in out
    code, out, _err = cli(capsys, "--home", clinic, "keys", "install-district", key_file)
    assert code == 0 and "Installed district key" in out


def export(capsys, home, stick, *extra) -> str:
    code, out, err = cli(capsys, "--home", home, "bundle", "export", "--out", stick, *extra)
    assert code == 0, err
    return out.strip()


def domain(path) -> dict:
    data = dump(path)
    return {t: data.get(t, []) for t in DOMAIN_TABLES}


def test_round_trip_gives_identical_assessments_answers_and_scores(
    capsys, clinic, hub, stick, tmp_path, who
):
    setup_district(capsys, clinic, hub, tmp_path)
    with open_store(clinic) as store:
        done = fill(store, who, profile_for("KSM-001"), final=True)
        store.revise(done)
        draft = fill(store, who, profile_for("KSM-001", tool="TriageBot"), limit=40, variant=1)
        ids = [done, draft]
        clinic_rows = store.conn.execute(
            f"SELECT {ASSESSMENT_COLUMNS} FROM assessments ORDER BY id"
        ).fetchall()
        clinic_answers = store.conn.execute(
            "SELECT * FROM answers ORDER BY assessment_id, item_id"
        ).fetchall()
        clinic_scores = {i: store.result(i) for i in ids}
        clinic_facilities = store.conn.execute("SELECT * FROM facilities").fetchall()
    path = export(capsys, clinic, stick)
    assert path.startswith(str(stick / "guidecheck-KSM-001-")) and path.endswith(".gcbundle")
    assert not [p for p in stick.iterdir() if p.name.endswith(".partial")]

    code, out, _err = cli(capsys, "--home", clinic, "bundle", "verify", path)
    assert (
        code == 0
        and "Signature:   valid" in out
        and "not readable here" in out
        and "3 assessments" in out
    )
    code, out, _err = cli(capsys, "--home", hub, "bundle", "verify", path)
    assert code == 0 and "decrypted and checked" in out and "hash chain intact" in out

    source_before = (stick / Path(path).name).read_bytes()
    code, out, err = cli(capsys, "--home", hub, "bundle", "import", path)
    assert code == 0 and "held: device" in out and "device pending" in err
    with open_store(clinic) as store:
        device_id = store.device_id
    code, out, err = cli(
        capsys, "--home", hub, "device", "approve", device_id, "--facility", "KSM-001"
    )
    assert code == 0, err
    assert "3 new, 0 updated, 0 unchanged, 0 conflicts" in out
    assert (stick / Path(path).name).read_bytes() == source_before
    assert [p.name for p in stick.iterdir()] == [Path(path).name]
    archived = list((hub / "archive").iterdir())
    assert [p.read_bytes() for p in archived] == [source_before]

    with open_store(hub) as store:
        assert (
            store.conn.execute(
                f"SELECT {ASSESSMENT_COLUMNS} FROM assessments ORDER BY id"
            ).fetchall()
            == clinic_rows
        )
        assert (
            store.conn.execute("SELECT * FROM answers ORDER BY assessment_id, item_id").fetchall()
            == clinic_answers
        )
        assert {i: store.result(i) for i in ids} == clinic_scores
        assert store.conn.execute("SELECT * FROM facilities").fetchall() == clinic_facilities
        assert store.conn.execute("SELECT COUNT(*) FROM bundle_audit").fetchone()[0] > 0
        assert store.verify_audit().ok
        actions = [e.action for e in store.audit_entries()]
        assert actions.count("import") == 1 and actions.count("approve") == 1

    # re-import: nothing changes, not even the hub's audit log
    before = dump(database_path(hub))
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", path)
    assert code == 0 and "0 new, 0 updated, 3 unchanged, 0 conflicts (already imported)" in out
    assert dump(database_path(hub)) == before


def test_incremental_exports_and_any_import_order_give_the_same_database(
    capsys, clinic, tmp_path, who, mini
):
    stick = tmp_path / "stick"
    stick.mkdir()
    hubs = [tmp_path / f"hub{n}" for n in range(3)]
    district_pair(clinic, hubs[0], tmp_path)
    for home in hubs[1:]:
        shutil.copytree(hubs[0] / "keys", home / "keys")
    with open_store(clinic) as store:
        first = fill(store, mini, profile_for("KSM-002"), limit=3)
        device_id = store.device_id
    bundles = [export(capsys, clinic, stick)]
    with open_store(clinic) as store:
        store.save_answer(first, "a_staff", 9, note="grew")
        second = fill(store, who, profile_for("KSM-002", tool="Other"), limit=10)
    bundles.append(export(capsys, clinic, stick))
    with open_store(clinic) as store:
        store.save_answer(first, "b_imaging", "yes")
        store.save_answer(first, "b_places", ["local"])
        store.save_answer(first, "b_reviewed_on", "2026-10-01")
        store.save_answer(first, "b_remarks", "ok", note="seen")
        store.finalize(first, SIGN)
        third = store.revise(first).id
        store.save_answer(third, "a_poster", "yes")
    bundles.append(export(capsys, clinic, stick))
    bundles.append(export(capsys, clinic, stick, "--full"))

    code, out, _err = cli(capsys, "--home", clinic, "bundle", "verify", bundles[1])
    assert (
        "changes since" in out and "2 assessments" in out
    )  # the edited draft and the new one, not all
    orders = [
        list(bundles),
        list(reversed(bundles)),
        random.Random(5).sample(bundles, len(bundles)),
    ]
    results = []
    for home, order in zip(hubs, orders, strict=True):
        code, out, err = cli(capsys, "--home", home, "bundle", "import", order[0])
        assert code == 0 and "held" in out, err
        code, out, err = cli(
            capsys, "--home", home, "device", "approve", device_id, "--facility", "KSM-002"
        )
        code, out, err = cli(capsys, "--home", home, "bundle", "import", *order[1:])
        assert code == 0, err
        results.append(domain(database_path(home)))
    assert results[0] == results[1] == results[2]
    with open_store(hubs[1]) as store:
        statuses = dict(store.conn.execute("SELECT id, status FROM assessments").fetchall())
        assert statuses == {first: "final", second: "draft", third: "draft"}
        assert store.answers(third)["a_poster"].value == "yes"
    with open_store(clinic) as store:
        clinic_answers = store.conn.execute("SELECT * FROM answers ORDER BY 1, 2").fetchall()
    assert sorted(results[0]["answers"]) == sorted(clinic_answers)

    # a stale replay of the oldest bundle after the newest changes nothing
    with open_store(hubs[0]) as store:
        outcome = import_file(hubs[0], store, bundles[0])
    assert outcome.imported and not outcome.result.changed
    assert domain(database_path(hubs[0])) == results[0]


def test_cloned_laptop_finalizing_differently_is_refused_by_name(capsys, tmp_path, mini):
    """Final means final: the second laptop's other final body for the same id is refused."""
    a, b, hub = tmp_path / "a", tmp_path / "b", tmp_path / "hub"
    a.mkdir()
    district_pair(a, hub, tmp_path)
    with open_store(a) as store:
        shared = fill(store, mini, profile_for("KSM-003"))
        device_id = store.device_id
    export(capsys, a, tmp_path)  # makes a's device key
    shutil.copytree(a, b)  # the same installation copied to a second laptop, keys included
    for n, home in enumerate((a, b)):
        with open_store(home) as store:
            store.save_answer(shared, "a_poster", ("yes", "no")[n])
            store.finalize(shared, SIGN)
    paths = []
    for home, folder in zip((a, b), (tmp_path / "sa", tmp_path / "sb"), strict=True):
        folder.mkdir()
        paths.append(export(capsys, home, folder))
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", paths[0])
    code, out, _err = cli(
        capsys, "--home", hub, "device", "approve", device_id, "--facility", "KSM-003"
    )
    assert code == 0 and "1 new" in out
    before = dump(database_path(hub))
    code, out, err = cli(capsys, "--home", hub, "bundle", "import", paths[1])
    assert code == 2 and f"assessment {shared}, which is already final here" in out
    assert dump(database_path(hub)) == before
    code, out, _err = cli(capsys, "--home", hub, "bundle", "conflicts")
    assert out.strip() == "No conflicts."
    code, out, _err = cli(capsys, "--home", hub, "bundle", "history")
    assert code == 0 and "Imported here:" in out and out.count(".gcbundle") == 1
    code, out, _err = cli(capsys, "--home", a, "bundle", "history")
    assert "Written here:" in out and "Imported here:" not in out


def test_dry_run_reports_and_writes_nothing(capsys, clinic, hub, stick, mini, tmp_path):
    plain = tmp_path / "plain"
    with open_store(plain) as store:
        fill(store, mini, profile_for("KSM-005"), limit=1)
    code, err_out, err = cli(capsys, "--home", plain, "bundle", "export", "--out", stick)
    assert "NOT encrypted" in err
    code, out, _err = cli(capsys, "--home", clinic, "bundle", "import", err_out.strip())
    assert code == 2 and "not encrypted to this district" in out
    district_pair(clinic, hub, tmp_path)
    with open_store(clinic) as store:
        fill(store, mini, profile_for("KSM-004"), limit=2)
    path = export(capsys, clinic, stick)
    with open_store(hub) as store:
        assert import_approved(hub, store, path).imported  # the device approved first
    with open_store(clinic) as store:
        fill(store, mini, profile_for("KSM-004", tool="Other"), limit=2)
    path = export(capsys, clinic, stick)
    before = dump(database_path(hub)), sorted((hub / "archive").iterdir())
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", "--dry-run", path)
    assert code == 0 and "1 new" in out and "dry run" in out
    assert (dump(database_path(hub)), sorted((hub / "archive").iterdir())) == before
