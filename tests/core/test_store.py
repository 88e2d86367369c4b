"""The store: answers committed one by one, read-only finals, revisions, audit chain, migrations."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from guidecheck.checklist.model import SignOff
from guidecheck.errors import AnswerError, FinalizeBlocked, ReadOnlyError, UserError
from guidecheck.storage.store import Store

SIGN = SignOff("Amina N.", "Nurse", "Dr. Kofi", "2026-11-21")


def complete(store: Store, assessment_id: str) -> None:
    store.save_answer(assessment_id, "a_review", "yes")
    store.save_answer(assessment_id, "a_poster", "no")
    store.save_answer(assessment_id, "a_storage", "locked")
    store.save_answer(assessment_id, "a_staff", "4")
    store.save_answer(assessment_id, "b_imaging", "yes")
    store.save_answer(assessment_id, "b_places", ["local"])
    store.save_answer(assessment_id, "b_reviewed_on", "2026-10-01")
    store.save_answer(assessment_id, "b_remarks", "ok", note="seen the logbook")


def test_each_answer_is_committed_when_given(store, mini, profile, tmp_path) -> None:
    a = store.new_assessment(mini, profile)
    store.save_answer(a.id, "a_review", "partly", note="only on weekdays")
    # another connection (another process after a crash) sees it at once
    other = sqlite3.connect(tmp_path / "guidecheck.db")
    row = other.execute(
        "SELECT value_json, note FROM answers WHERE assessment_id = ?", (a.id,)
    ).fetchone()
    assert row == ('"partly"', "only on weekdays")
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_bad_answers_are_refused_and_change_nothing(store, mini, profile) -> None:
    a = store.new_assessment(mini, profile)
    before = store.conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    for item, value, words in [
        ("nope", "yes", "no item 'nope'"),
        ("a_review", "maybe", "takes one of"),
        ("a_storage", "basement", "no choice 'basement'"),
        ("a_staff", "twelve", "takes a number"),
        ("a_staff", "2.5", "whole number"),
        ("a_staff", -1, "at least 0"),
        ("b_reviewed_on", "31/12/2026", "YYYY-MM-DD"),
        ("b_places", ["local", "mars"], "no choice 'mars'"),
    ]:
        with pytest.raises(AnswerError, match=words):
            store.save_answer(a.id, item, value)
    assert store.answers(a.id) == {}
    assert store.conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0] == before


def test_finalize_needs_everything_then_is_read_only(store, mini, profile) -> None:
    a = store.new_assessment(mini, profile)
    store.save_answer(a.id, "a_review", "yes")
    with pytest.raises(FinalizeBlocked) as blocked:
        store.finalize(a.id, SIGN)
    assert "a_poster" in blocked.value.unanswered
    complete(store, a.id)
    final = store.finalize(a.id, SIGN)
    assert final.is_final and final.sign_off == SIGN
    with pytest.raises(ReadOnlyError):
        store.save_answer(a.id, "a_poster", "yes")
    summary = store.list_assessments()[0]
    assert (summary.status, summary.verdict, summary.answered, summary.shown) == (
        "final",
        "ready",
        8,
        8,
    )  # 5 / 6 = 83 %


def test_revise_makes_a_new_draft_pointing_to_the_old(store, mini, profile) -> None:
    a = store.new_assessment(mini, profile)
    complete(store, a.id)
    store.finalize(a.id, SIGN)
    b = store.revise(a.id)
    assert (b.revision, b.replaces, b.lineage_id, b.status) == (2, a.id, a.lineage_id, "draft")
    assert {k: v.value for k, v in store.answers(b.id).items()} == {
        k: v.value for k, v in store.answers(a.id).items()
    }
    store.save_answer(b.id, "a_poster", "yes")
    assert store.answers(a.id)["a_poster"].value == "no"
    listed = store.list_assessments()
    assert [(x.id, x.revision) for x in listed] == [(b.id, 2)]
    with pytest.raises(UserError, match="still a draft"):
        store.revise(b.id)


def test_audit_chain_detects_edits_and_deletions(store, mini, profile, tmp_path) -> None:
    a = store.new_assessment(mini, profile)
    store.save_answer(a.id, "a_review", "no")
    store.save_answer(a.id, "a_review", "yes")
    entries = store.audit_entries()
    assert [(e.action, e.old, e.new) for e in entries[1:]] == [
        ("set", None, "no"),
        ("set", "no", "yes"),
    ]
    assert store.verify_audit().ok
    store.conn.execute("UPDATE audit SET new = 'no' WHERE seq = 3")
    check = store.verify_audit()
    assert not check.ok and check.first_broken == 3
    store.conn.execute("UPDATE audit SET new = 'yes' WHERE seq = 3")
    assert store.verify_audit().ok
    store.conn.execute("DELETE FROM audit WHERE seq = 3")
    check = store.verify_audit()
    assert not check.ok and "removed" in check.problem


def test_reopening_keeps_everything_and_device_id(tmp_path, mini, profile) -> None:
    with Store(tmp_path / "g.db") as first:
        a = first.new_assessment(mini, profile)
        first.save_answer(a.id, "a_review", "yes")
        first.set_current_domain(a.id, "beta")
        device = first.device_id
    with Store(tmp_path / "g.db") as again:
        assert again.device_id == device
        assert again.get_assessment(a.id).current_domain == "beta"
        assert again.answers(a.id)["a_review"].value == "yes"


def test_answer_survives_a_killed_process(tmp_path, mini, profile) -> None:
    path = tmp_path / "g.db"
    with Store(path) as store:
        a = store.new_assessment(mini, profile)
    script = (
        "import os, sys\nfrom guidecheck.storage.store import Store\n"
        f"s = Store({str(path)!r})\ns.save_answer({a.id!r}, 'a_review', 'partly', note='x')\n"
        "print('saved', flush=True)\nos._exit(9)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "saved"
    with Store(path) as store:
        assert store.answers(a.id)["a_review"].value == "partly"
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_file_that_is_not_a_database_is_refused(tmp_path) -> None:
    path = tmp_path / "g.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(UserError, match="not a GuideCheck database|damaged"):
        Store(path)


def test_profile_must_be_usable(store, mini, profile) -> None:
    from dataclasses import replace

    with pytest.raises(UserError, match="facility code"):
        store.new_assessment(mini, replace(profile, facility_code=" "))
    with pytest.raises(UserError, match="use category"):
        store.new_assessment(mini, replace(profile, use_category="astrology"))
    assert store.list_assessments() == []


def test_a_failing_migration_leaves_no_half_schema(tmp_path) -> None:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    from guidecheck.storage.migrations import _run

    broken = Migrations("broken-test")

    @broken()
    def half(db: Database) -> None:
        _run(db, "CREATE TABLE first_half (x); CREATE TABLE oops (")

    db = Database(sqlite3.connect(tmp_path / "m.db", isolation_level=None))
    with pytest.raises(sqlite3.OperationalError):
        broken.apply(db)
    assert "first_half" not in db.table_names()
    assert broken.pending(db)[0].name == "half"
