"""`guidecheck keys ...` and the CLI's plain-sentence refusals for bundles."""

from __future__ import annotations

from bundle_helpers import district_pair, fill, open_store, profile_for

from clinic_hub_helpers import dump
from guidecheck.bundles import keys
from guidecheck.cli.main import main
from guidecheck.paths import database_path


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_keys_show_before_and_after_district_setup(capsys, clinic, hub, tmp_path):
    code, out, _err = run(capsys, "--home", clinic, "keys", "show")
    assert code == 0 and "District hub:       no" in out and "signed only" in out
    device = keys.device_key(clinic)
    assert device.fingerprint in out
    with open_store(clinic) as store:
        assert store.device_id in out

    key_file = tmp_path / "district.gckey"
    code, out, _err = run(
        capsys, "--home", hub, "keys", "district-init", "--out", key_file, "--name", "Kisumu"
    )
    assert code == 0 and keys.is_district_hub(hub)
    with open_store(hub) as store:
        assert store.get_meta("district_hub") == "1"
        assert store.verify_audit().ok
    code, out, err = run(
        capsys, "--home", hub, "keys", "district-init", "--out", tmp_path / "again.gckey"
    )
    assert code == 2 and "already has a district key" in err and "Traceback" not in err

    code, out, _err = run(capsys, "--home", clinic, "keys", "install-district", key_file)
    assert code == 0
    code, out, _err = run(capsys, "--home", clinic, "keys", "show")
    fp = keys.read_district_key_file(key_file)[0].fingerprint
    assert f"Bundles encrypted to: {fp} (Kisumu)" in out
    code, out, _err = run(capsys, "--home", hub, "keys", "show")
    assert f"yes, district key {fp}" in out
    code, out, _err = run(
        capsys, "--home", hub, "keys", "district-export", "--out", tmp_path / "copy.gckey"
    )
    assert code == 0 and keys.read_district_key_file(
        tmp_path / "copy.gckey"
    ) == keys.read_district_key_file(key_file)


def test_install_of_a_bad_key_file_is_one_sentence(capsys, clinic, tmp_path):
    bad = tmp_path / "bad.gckey"
    bad.write_text("AGE-SECRET-KEY-1XYZ\n")
    code, _out, err = run(capsys, "--home", clinic, "keys", "install-district", bad)
    assert (
        code == 2
        and err.strip().endswith("is not a GuideCheck district key file.")
        and err.count("\n") == 1
    )
    code, _out, err = run(
        capsys, "--home", clinic, "keys", "install-district", tmp_path / "missing.gckey"
    )
    assert code == 2 and "cannot be read" in err


def test_import_exit_code_and_one_line_per_file(capsys, clinic, hub, stick, tmp_path, mini):
    district_pair(clinic, hub, tmp_path)
    with open_store(clinic) as store:
        fill(store, mini, profile_for("KSM-020"), limit=2)
        device_id = store.device_id
    code, out, _err = run(capsys, "--home", clinic, "bundle", "export", "--out", stick)
    good = out.strip()
    junk = tmp_path / "junk.gcbundle"
    junk.write_bytes(b"not a bundle at all")
    code, out, err = run(capsys, "--home", hub, "bundle", "import", good, junk)
    lines = out.splitlines()
    assert code == 2 and len(lines) == 2
    assert (
        "held: device " in lines[0]
        and lines[1] == "junk.gcbundle: refused: The file is not a GuideCheck bundle."
    )
    assert "1 of 2 files were refused" in err and "1 file waits" in err
    code, out, _err = run(
        capsys, "--home", hub, "device", "approve", device_id, "--facility", "KSM-020"
    )
    assert code == 0 and "1 new" in out.splitlines()[1]
    code, _out, err = run(capsys, "--home", hub, "bundle", "verify", junk)
    assert (
        code == 2
        and err.strip() == "junk.gcbundle is refused: The file is not a GuideCheck bundle."
    )
    before = dump(database_path(hub))
    code, _out, _err = run(capsys, "--home", hub, "bundle", "import", junk)
    assert code == 2 and dump(database_path(hub)) == before


def test_export_to_a_missing_folder_is_one_sentence(capsys, clinic, tmp_path):
    code, _out, err = run(capsys, "--home", clinic, "bundle", "export", "--out", tmp_path / "nope")
    assert code == 2 and "does not exist" in err
