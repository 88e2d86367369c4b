"""Tamper-evident audit log: `guidecheck audit verify` finds edited, deleted and inserted rows.

Each case tampers with the database file directly (as someone with the file and an SQLite tool
would), then runs the real command in its own process and checks the exit code and the entry named.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from proofkit import make_profile, run_cli

from guidecheck.storage import audit
from guidecheck.storage.store import Store

ANSWERS = [
    ("a_review", "yes"),
    ("a_poster", "no"),
    ("a_storage", "shelf"),
    ("a_staff", 4),
    ("a_poster", "partly"),
    ("b_places", ["local"]),
    ("a_review", "partly"),
]


@pytest.fixture
def filled(home: Path, mini) -> tuple[Path, int]:
    """A data folder with one assessment and its answers: (home, number of audit entries)."""
    with Store(home / "guidecheck.db") as store:
        assessment = store.new_assessment(mini, make_profile())
        for item, value in ANSWERS:
            store.save_answer(assessment.id, item, value, note="seen on site")
        count = len(store.audit_entries())
    assert count >= 9
    return home, count


def tamper(home: Path, *statements: tuple[str, tuple]) -> None:
    conn = sqlite3.connect(str(home / "guidecheck.db"), isolation_level=None)
    try:
        conn.execute("BEGIN")
        for sql, params in statements:
            conn.execute(sql, params)
        conn.execute("COMMIT")
    finally:
        conn.close()


def verify(home: Path) -> tuple[int, str]:
    done = run_cli(home, "audit", "verify")
    assert "Traceback" not in done.stderr
    return done.returncode, (done.stdout + done.stderr).strip()


def broken_at(text: str) -> int:
    assert text.startswith("The audit log is broken at entry "), text
    return int(text.split("entry ")[1].split(":")[0])


def test_intact_chain_is_ok_with_its_count(filled: tuple[Path, int]) -> None:
    home, count = filled
    code, text = verify(home)
    assert code == 0
    assert text == f"OK: the audit log is intact ({count} entries)."


def test_fresh_installation_is_ok(home: Path) -> None:
    code, text = verify(home)
    assert (code, text) == (0, "OK: the audit log is intact (0 entries).")


@pytest.mark.parametrize("column", ["new", "old", "actor", "at", "entity_id", "action"])
def test_edited_row_is_named(filled: tuple[Path, int], column: str) -> None:
    home, _count = filled
    tamper(home, (f"UPDATE audit SET {column} = COALESCE({column}, '') || 'x' WHERE seq = 5", ()))
    code, text = verify(home)
    assert code == 2
    assert broken_at(text) == 5 and "changed after it was written" in text


def test_edited_row_with_its_own_hash_recomputed_breaks_the_next_link(
    filled: tuple[Path, int],
) -> None:
    home, _count = filled
    row = _row(home, 4)
    row["new"] = json.dumps("yes")
    tamper(
        home,
        (
            "UPDATE audit SET new = ?, hash = ? WHERE seq = 4",
            (row["new"], audit.entry_hash(row["prev_hash"], row)),
        ),
    )
    code, text = verify(home)
    assert code == 2 and broken_at(text) == 5 and "does not follow" in text


def test_deleted_middle_row_is_named(filled: tuple[Path, int]) -> None:
    home, _count = filled
    tamper(home, ("DELETE FROM audit WHERE seq = 3", ()))
    code, text = verify(home)
    assert code == 2 and broken_at(text) == 3 and "missing" in text


def test_deleted_first_row_is_named(filled: tuple[Path, int]) -> None:
    home, _count = filled
    tamper(home, ("DELETE FROM audit WHERE seq = 1", ()))
    code, text = verify(home)
    assert code == 2 and broken_at(text) == 1


def test_deleted_last_row_is_named(filled: tuple[Path, int]) -> None:
    home, count = filled
    tamper(home, ("DELETE FROM audit WHERE seq = ?", (count,)))
    code, text = verify(home)
    assert code == 2 and broken_at(text) == count and "removed" in text


def test_deleted_last_rows_and_renumbered_middle_are_detected(filled: tuple[Path, int]) -> None:
    """Deleting row 3 and shifting the rest down so the numbers look continuous."""
    home, count = filled
    tamper(
        home,
        ("DELETE FROM audit WHERE seq = 3", ()),
        *[("UPDATE audit SET seq = ? WHERE seq = ?", (s - 1, s)) for s in range(4, count + 1)],
    )
    code, text = verify(home)
    assert code == 2 and broken_at(text) == 3


def test_inserted_row_in_the_middle_is_detected(filled: tuple[Path, int]) -> None:
    """A forged entry slipped in as entry 4 (later entries renumbered), chained to entry 3."""
    home, count = filled
    shifts = [("UPDATE audit SET seq = ? WHERE seq = ?", (s + 1, s)) for s in range(count, 3, -1)]
    prev = _row(home, 3)
    forged = {**prev, "seq": 4, "new": json.dumps("yes"), "old": None}
    digest = audit.entry_hash(prev["hash"], forged)
    insert = (
        "INSERT INTO audit (seq, at, actor, device_id, entity, entity_id, action, field, old, new, prev_hash, hash)"
        " VALUES (:seq, :at, :actor, :device_id, :entity, :entity_id, :action, :field, :old, :new, :prev_hash, :hash)",
        {**forged, "prev_hash": prev["hash"], "hash": digest},
    )
    tamper(home, *shifts, insert)
    code, text = verify(home)
    assert code == 2
    assert (
        broken_at(text) == 5 and "does not follow" in text
    )  # the forged entry 4 is what entry 5 no longer follows


def test_inserted_row_at_the_end_is_named(filled: tuple[Path, int]) -> None:
    """A forged entry appended after the last one, correctly chained, but not counted in the head."""
    home, count = filled
    last = _row(home, count)
    forged = {**last, "seq": count + 1, "action": "set", "new": json.dumps("yes")}
    digest = audit.entry_hash(last["hash"], forged)
    tamper(
        home,
        (
            "INSERT INTO audit (seq, at, actor, device_id, entity, entity_id, action, field, old, new, prev_hash, hash)"
            " VALUES (:seq, :at, :actor, :device_id, :entity, :entity_id, :action, :field, :old, :new, :prev_hash, :hash)",
            {**forged, "prev_hash": last["hash"], "hash": digest},
        ),
    )
    code, text = verify(home)
    assert code == 2
    assert broken_at(text) == count + 1, text


def test_garbage_row_inserted_is_named(filled: tuple[Path, int]) -> None:
    home, count = filled
    tamper(
        home,
        (
            "INSERT INTO audit (seq, at, actor, device_id, entity, entity_id, action, prev_hash, hash)"
            " VALUES (?, 'now', 'x', 'd', 'answer', 'e', 'set', 'p', 'h')",
            (count + 1,),
        ),
    )
    code, text = verify(home)
    assert code == 2 and broken_at(text) == count + 1


def test_a_tampered_chain_changes_nothing_and_later_saves_still_refuse_to_hide_it(
    filled: tuple[Path, int], mini
) -> None:
    """After tampering, new (honest) entries do not repair the chain: the break stays named."""
    home, _count = filled
    tamper(home, ("UPDATE audit SET actor = 'someone else' WHERE seq = 2", ()))
    with Store(home / "guidecheck.db") as store:
        assessment = store.list_assessments()[0]
        store.save_answer(assessment.id, "a_poster", "yes")
    code, text = verify(home)
    assert code == 2 and broken_at(text) == 2


def _row(home: Path, seq: int) -> dict:
    conn = sqlite3.connect(str(home / "guidecheck.db"))
    conn.row_factory = sqlite3.Row
    try:
        return dict(conn.execute("SELECT * FROM audit WHERE seq = ?", (seq,)).fetchone())
    finally:
        conn.close()
