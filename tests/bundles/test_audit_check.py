"""The hub checks each clinic's audit log per bundle: real clinic files changed with plain SQLite,
real bundles on disk, the real CLI at both ends, and the marks read back from the hub's outputs.

Cases: an answer edited in the clinic's file is flagged at the hub (and only that assessment); an
attacker who also rewrites the whole chain so `audit verify` passes at the clinic is still flagged,
because the new entries do not extend what the hub received before; a bundle of the previous
format is "not checked"; the flag survives a re-import and shows in the district workbook and PDF.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

from bundle_helpers import SIGN, fill, open_store, profile_for
from openpyxl import load_workbook
from pypdf import PdfReader

from guidecheck.bundles import container, keys, seal
from guidecheck.bundles.manifest import parse_manifest
from guidecheck.cli.main import main
from guidecheck.paths import database_path
from guidecheck.storage import audit


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def setup(capsys, clinic: Path, hub: Path, tmp_path: Path) -> None:
    key_file = tmp_path / "district.gckey"
    assert cli(capsys, "--home", hub, "keys", "district-init", "--out", key_file)[0] == 0
    assert cli(capsys, "--home", clinic, "keys", "install-district", key_file)[0] == 0


def export(capsys, clinic: Path, stick: Path) -> Path:
    before = set(stick.iterdir())
    code, _out, err = cli(capsys, "--home", clinic, "bundle", "export", "--out", stick)
    assert code == 0, err
    (made,) = set(stick.iterdir()) - before
    return made


def import_bundle(capsys, hub: Path, clinic: Path, path: Path) -> str:
    """Import at the hub; the clinic's laptop is approved for its facility on first contact."""
    code, out, err = cli(capsys, "--home", hub, "bundle", "import", path)
    assert code == 0, err
    if "held:" in out:
        with open_store(clinic) as store:
            device = store.device_id
        code, out, err = cli(
            capsys, "--home", hub, "device", "approve", device, "--facility", "KSM-7"
        )
        assert code == 0, err
    return out


def audit_of(capsys, hub: Path, assessment_id: str) -> dict:
    code, out, err = cli(capsys, "--home", hub, "assessment", "show", assessment_id, "--json")
    assert code == 0, err
    return json.loads(out)["audit"]


def tamper(home: Path, *statements: tuple[str, tuple]) -> None:
    conn = sqlite3.connect(database_path(home))
    with conn:
        for sql, params in statements:
            conn.execute(sql, params)
    conn.close()


def two_assessments(clinic: Path, mini, final: bool) -> tuple[str, str]:
    with open_store(clinic) as store:
        first = fill(store, mini, profile_for("KSM-7"), final=final)
        second = fill(store, mini, profile_for("KSM-7", tool="TriageBot"), final=final)
    return first, second


def test_an_answer_edited_at_the_clinic_is_flagged_at_the_hub_and_only_it(
    capsys, clinic, hub, stick, tmp_path, mini
):
    setup(capsys, clinic, hub, tmp_path)
    edited, honest = two_assessments(clinic, mini, final=True)
    item = mini.items[0].id
    tamper(clinic, ("UPDATE answers SET value_json = '\"no\"' WHERE assessment_id = ? AND item_id = ?",
                    (edited, item)))  # fmt: skip
    code, _out, err = cli(capsys, "--home", clinic, "audit", "verify")
    assert code == 2 and f"answers row {edited}/{item}: value is 'no'" in err

    out = import_bundle(capsys, hub, clinic, export(capsys, clinic, stick))
    assert "2 new" in out and "1 flagged by the audit check" in out
    mark = audit_of(capsys, hub, edited)
    assert mark["status"] == "flagged"
    assert mark["reason"] == (
        f"differs from the clinic's audit log: answers row {edited}/{item}: value is 'no', but"
        " the audit log says 'yes'"
    )
    assert audit_of(capsys, hub, honest) == {"status": "ok", "reason": ""}

    code, out, _err = cli(capsys, "--home", hub, "district", "summary")
    assert code == 0
    assert "1 assessment is flagged by the audit check" in out
    assert f"differs from the clinic's audit log: answers row {edited}/{item}" in out
    code, out, _err = cli(capsys, "--home", hub, "district", "summary", "--json")
    flagged = json.loads(out)["audit"]["flagged"]
    assert [f["assessment"] for f in flagged] == [edited]


def rewrite_chain(home: Path) -> None:
    """What an attacker with the database does after editing a logged value: recompute every hash
    from the start and the head in `meta`, so the clinic's own check passes again."""
    conn = sqlite3.connect(database_path(home))
    conn.row_factory = sqlite3.Row
    with conn:
        previous = audit.GENESIS
        rows = [dict(r) for r in conn.execute("SELECT * FROM audit ORDER BY seq")]
        for row in rows:
            digest = audit.entry_hash(previous, row)
            conn.execute("UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?",
                         (previous, digest, row["seq"]))  # fmt: skip
            previous = digest
        head = {"hash": previous, "count": len(rows), "seq": rows[-1]["seq"]}
        conn.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", (json.dumps(head),))
    conn.close()


def test_a_rewritten_chain_passes_at_the_clinic_but_is_flagged_at_the_hub(
    capsys, clinic, hub, stick, tmp_path, mini
):
    setup(capsys, clinic, hub, tmp_path)
    edited, honest = two_assessments(clinic, mini, final=False)
    import_bundle(capsys, hub, clinic, export(capsys, clinic, stick))
    assert audit_of(capsys, hub, edited)["status"] == "ok"

    item = mini.items[0].id
    tamper(
        clinic,
        ("UPDATE answers SET value_json = '\"no\"' WHERE assessment_id = ? AND item_id = ?",
         (edited, item)),
        ("UPDATE audit SET new = 'no' WHERE entity_id = ? AND field = 'value'",
         (f"{edited}/{item}",)),
        ("UPDATE assessments SET updated_at = '2099-01-01T00:00:00.000Z' WHERE id = ?", (edited,)),
    )  # fmt: skip
    rewrite_chain(clinic)
    code, out, err = cli(capsys, "--home", clinic, "audit", "verify")
    assert code == 0, err  # the clinic's own check cannot see it

    out = import_bundle(capsys, hub, clinic, export(capsys, clinic, stick))
    assert "1 updated" in out and "1 flagged by the audit check" in out
    mark = audit_of(capsys, hub, edited)
    assert mark["status"] == "flagged"
    assert "the clinic's audit log was rewritten (or the laptop's data copied" in mark["reason"]
    assert "do not extend the log held here" in mark["reason"]
    assert audit_of(capsys, hub, honest)["status"] == "ok"  # not in the second bundle


def as_previous_format(path: Path, clinic: Path) -> Path:
    """The same bundle as the previous GuideCheck wrote it: format 2, no audit head, re-signed by
    the clinic's own device key (as that version signed it)."""
    box = container.unpack(path.read_bytes())
    data = parse_manifest(box.manifest).to_dict()
    del data["audit"]
    data["format"] = 2
    raw = json.dumps(data, sort_keys=True, separators=(",", ":")).encode("ascii")
    device = keys.device_key(clinic)
    old = path.with_name("old-" + path.name)
    old.write_bytes(container.pack(container.Container(
        raw, seal.sign(device.private, raw), box.payload_name, box.payload, format=2)))  # fmt: skip
    return old


def test_a_bundle_of_the_previous_format_is_not_checked(capsys, clinic, hub, stick, tmp_path, mini):
    setup(capsys, clinic, hub, tmp_path)
    first, _second = two_assessments(clinic, mini, final=True)
    old = as_previous_format(export(capsys, clinic, stick), clinic)
    out = import_bundle(capsys, hub, clinic, old)
    assert "flagged" not in out
    mark = audit_of(capsys, hub, first)
    assert mark == {
        "status": "not_checked",
        "reason": "not checked: the bundle was made by an earlier GuideCheck, which does not sign"
        " its audit head",
    }


def with_entry_changed(path: Path, clinic: Path, hub: Path) -> Path:
    """The same bundle with one audit entry's new value changed inside the payload, encrypted to
    the hub and signed again by the clinic's own key: every other check holds."""
    box = container.unpack(path.read_bytes())
    identity, public = keys.district_identity(hub)
    body = json.loads(seal.decompress(seal.decrypt(box.payload, identity), 10**8))
    entry = next(e for e in body["audit"] if e["entity"] == "answer")
    entry["new"] = json.dumps("no")
    stored = seal.encrypt(seal.compress(json.dumps(body).encode()), [public.recipient])
    good = parse_manifest(box.manifest)
    raw = replace(good, payload_sha256=seal.sha256_hex(stored), payload_size=len(stored)).to_bytes()
    device = keys.device_key(clinic)
    changed = path.with_name("changed-" + path.name)
    changed.write_bytes(container.pack(container.Container(
        raw, seal.sign(device.private, raw), box.payload_name, stored)))  # fmt: skip
    return changed


def test_entries_that_do_not_lead_to_the_signed_head_are_shown_by_verify_and_flagged(
    capsys, clinic, hub, stick, tmp_path, mini
):
    """The chain is checked with the signature: `bundle verify` names the entry, and the import
    marks every assessment of the bundle with the same sentence (the records still arrive)."""
    setup(capsys, clinic, hub, tmp_path)
    first, second = two_assessments(clinic, mini, final=True)
    changed = with_entry_changed(export(capsys, clinic, stick), clinic, hub)
    code, out, err = cli(capsys, "--home", hub, "bundle", "verify", changed)
    assert code == 0, err
    assert "Audit head:  signed, entries 1 to " in out
    assert "the clinic's audit log is broken at entry " in out
    assert "it was changed after it was written" in out
    out = import_bundle(capsys, hub, clinic, changed)
    assert "2 flagged by the audit check" in out
    for assessment_id in (first, second):
        mark = audit_of(capsys, hub, assessment_id)
        assert mark["status"] == "flagged"
        assert mark["reason"].endswith("it was changed after it was written")


def test_a_device_that_signed_its_head_before_cannot_drop_it_later(
    capsys, clinic, hub, stick, tmp_path, mini
):
    setup(capsys, clinic, hub, tmp_path)
    two_assessments(clinic, mini, final=True)
    import_bundle(capsys, hub, clinic, export(capsys, clinic, stick))
    with open_store(clinic) as store:
        later = fill(store, mini, profile_for("KSM-7", tool="Third"), final=True)
    out = import_bundle(
        capsys, hub, clinic, as_previous_format(export(capsys, clinic, stick), clinic)
    )
    assert "1 flagged by the audit check" in out
    assert "carries no signed audit head" in audit_of(capsys, hub, later)["reason"]


def test_the_flag_survives_reimport_and_shows_in_the_workbook_and_pdf(
    capsys, clinic, hub, stick, tmp_path, mini
):
    setup(capsys, clinic, hub, tmp_path)
    edited, honest = two_assessments(clinic, mini, final=True)
    tamper(clinic, ("UPDATE answers SET value_json = '\"no\"' WHERE assessment_id = ? AND item_id = ?",
                    (edited, mini.items[0].id)))  # fmt: skip
    path = export(capsys, clinic, stick)
    import_bundle(capsys, hub, clinic, path)
    before = audit_of(capsys, hub, edited)
    code, out, _err = cli(capsys, "--home", hub, "bundle", "import", path)
    assert code == 0 and "(already imported)" in out and "1 flagged by the audit check" in out
    assert audit_of(capsys, hub, edited) == before and before["status"] == "flagged"

    xlsx, pdf = tmp_path / "district.xlsx", tmp_path / "district.pdf"
    code, _out, err = cli(capsys, "--home", hub, "district", "report", "--xlsx", xlsx, "--pdf", pdf)
    assert code == 0, err
    sheet = load_workbook(xlsx)["Latest assessments"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    by_id = {r[header.index("Assessment id")]: r for r in rows[1:]}
    assert by_id[edited][header.index("Audit")] == "FLAGGED"
    assert by_id[edited][header.index("Audit reason")].startswith(
        "differs from the clinic's audit log"
    )
    assert by_id[honest][header.index("Audit")] == "checked"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(str(pdf)).pages).split())
    assert "Assessments flagged by the audit check 1" in text
    assert "differs from the clinic's audit log" in text


def test_an_honest_clinic_is_checked_through_increments_revisions_and_a_full_export(
    capsys, clinic, hub, stick, tmp_path, mini
):
    """No false alarm: drafts answered over several bundles, a finalization, a revision, and
    "export everything again" (the whole log from its first entry) all verify."""
    setup(capsys, clinic, hub, tmp_path)
    draft, final = two_assessments(clinic, mini, final=False)
    first = export(capsys, clinic, stick)
    code, out, _err = cli(capsys, "--home", hub, "bundle", "verify", first)
    assert code == 0 and "Audit head:  signed, entries 1 to " in out
    import_bundle(capsys, hub, clinic, first)
    with open_store(clinic) as store:
        store.save_answer(draft, mini.items[0].id, "no", note="changed after a visit")
        store.finalize(final, SIGN)
    import_bundle(capsys, hub, clinic, export(capsys, clinic, stick))
    with open_store(clinic) as store:
        revision = store.revise(final).id
        store.save_answer(revision, mini.items[1].id, "partly", note="seen again")
    out = import_bundle(capsys, hub, clinic, export(capsys, clinic, stick))
    assert "flagged" not in out
    code, out, err = cli(capsys, "--home", clinic, "bundle", "export", "--out", stick, "--full")
    assert code == 0, err
    out = import_bundle(capsys, hub, clinic, Path(out.strip()))
    assert "flagged" not in out
    for assessment_id in (draft, final, revision):
        assert audit_of(capsys, hub, assessment_id) == {"status": "ok", "reason": ""}
    code, out, _err = cli(capsys, "--home", hub, "district", "summary", "--json")
    assert json.loads(out)["audit"] == {"flagged": [], "not_checked": 0}


def test_an_older_unsigned_bundle_imported_late_is_not_checked_not_flagged(
    capsys, clinic, hub, stick, tmp_path, mini
):
    """A stick found in a drawer: a bundle written before the clinic's first signed one."""
    setup(capsys, clinic, hub, tmp_path)
    with open_store(clinic) as store:
        early = fill(store, mini, profile_for("KSM-7"), final=True)
    old = as_previous_format(export(capsys, clinic, stick), clinic)
    with open_store(clinic) as store:
        fill(store, mini, profile_for("KSM-7", tool="TriageBot"), final=True)
    import_bundle(capsys, hub, clinic, export(capsys, clinic, stick))
    out = import_bundle(capsys, hub, clinic, old)
    assert "flagged" not in out
    assert audit_of(capsys, hub, early)["status"] == "not_checked"  # only the old bundle held it


def test_a_bundle_that_arrived_before_the_one_it_follows_is_checked_when_that_one_arrives(
    capsys, clinic, hub, stick, tmp_path, mini
):
    """Two sticks reach the hub in the wrong order: the later bundle's assessment waits, "not
    checked", and is checked (here: found honest) as soon as the earlier bundle is imported."""
    setup(capsys, clinic, hub, tmp_path)
    first, _second = two_assessments(clinic, mini, final=False)
    earlier = export(capsys, clinic, stick)
    with open_store(clinic) as store:
        later_id = fill(store, mini, profile_for("KSM-7", tool="Third"), final=True)
    later = export(capsys, clinic, stick)

    import_bundle(capsys, hub, clinic, later)
    waiting = audit_of(capsys, hub, later_id)
    assert waiting["status"] == "not_checked"
    assert "an earlier bundle of device" in waiting["reason"]

    out = import_bundle(capsys, hub, clinic, earlier)
    assert "flagged" not in out
    assert audit_of(capsys, hub, later_id) == {"status": "ok", "reason": ""}
    assert audit_of(capsys, hub, first) == {"status": "ok", "reason": ""}


def test_a_waiting_bundle_whose_log_was_rewritten_is_flagged_when_the_earlier_one_arrives(
    capsys, clinic, hub, stick, tmp_path, mini
):
    """The later bundle came from a log rewritten after the earlier export: once the earlier
    bundle is in, the later one's entries do not extend it, and its assessment is flagged."""
    setup(capsys, clinic, hub, tmp_path)
    edited, _honest = two_assessments(clinic, mini, final=False)
    earlier = export(capsys, clinic, stick)
    item = mini.items[0].id
    tamper(clinic, ("UPDATE audit SET new = 'no' WHERE entity_id = ? AND field = 'value'",
                    (f"{edited}/{item}",)))  # fmt: skip
    rewrite_chain(clinic)
    with open_store(clinic) as store:
        later_id = fill(store, mini, profile_for("KSM-7", tool="Third"), final=True)
    later = export(capsys, clinic, stick)

    import_bundle(capsys, hub, clinic, later)
    assert audit_of(capsys, hub, later_id)["status"] == "not_checked"
    out = import_bundle(capsys, hub, clinic, earlier)
    assert "1 flagged by the audit check" in out
    mark = audit_of(capsys, hub, later_id)
    assert mark["status"] == "flagged"
    assert "do not extend the log held here" in mark["reason"]


def test_one_command_importing_the_later_bundle_first_checks_both(
    capsys, clinic, hub, stick, tmp_path, mini
):
    """`bundle import LATER EARLIER` in one command: the later bundle's archive copy is not yet in
    its place when the earlier one arrives; it is read from where the command keeps it."""
    setup(capsys, clinic, hub, tmp_path)
    two_assessments(clinic, mini, final=True)
    import_bundle(capsys, hub, clinic, export(capsys, clinic, stick))  # the laptop is approved
    with open_store(clinic) as store:
        middle_id = fill(store, mini, profile_for("KSM-7", tool="Third"), final=True)
    earlier = export(capsys, clinic, stick)
    with open_store(clinic) as store:
        later_id = fill(store, mini, profile_for("KSM-7", tool="Fourth"), final=True)
    later = export(capsys, clinic, stick)

    code, out, err = cli(capsys, "--home", hub, "bundle", "import", later, earlier)
    assert code == 0, err
    assert "flagged" not in out
    assert audit_of(capsys, hub, later_id) == {"status": "ok", "reason": ""}
    assert audit_of(capsys, hub, middle_id) == {"status": "ok", "reason": ""}
