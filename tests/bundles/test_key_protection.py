"""Private keys at rest: a copied key file alone neither signs nor decrypts.

Real files, real scrypt and ChaCha20-Poly1305, real `keyring` backends. This machine has no
operating-system key store (no Windows Credential Manager, Keychain or Secret Service), so the
key-store path runs against a small in-memory `KeyringBackend` defined here, installed with
keyring's own `set_keyring`; keyring's real `fail` and `null` backends are installed the same way.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import keyring
import pytest
from bundle_helpers import fill, open_store, profile_for
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from clinic_hub_helpers import dump
from guidecheck.bundles import key_envelope, key_protection, keys
from guidecheck.cli.main import main
from guidecheck.paths import database_path

REPO = Path(__file__).resolve().parents[2]


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


class MemoryKeyring(KeyringBackend):
    """A key store that keeps secrets in a dict: what a real store does, minus the OS."""

    priority = 5  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        self.entries.pop((service, username), None)


class ForgetfulKeyring(MemoryKeyring):
    """Accepts a secret and gives back something else (a broken or tampered store)."""

    def get_password(self, service, username):
        value = super().get_password(service, username)
        return None if value is None else value[::-1]


class PlaintextLookalike(MemoryKeyring):
    """Stands for keyrings.alt's file backends: they keep secrets in a file beside the data."""


PlaintextLookalike.__module__ = "keyrings.alt.file"


@pytest.fixture
def key_store():
    """Install a keyring backend for one test; the suite's own (`fail`) comes back after."""
    previous = keyring.get_keyring()

    def use(backend):
        keyring.set_keyring(backend)
        return backend

    yield use
    keyring.set_keyring(previous)
    key_protection.forget_session()


@pytest.fixture
def no_passphrase(monkeypatch):
    """Neither a file nor a terminal: what a copied key folder meets on another computer."""
    monkeypatch.delenv(key_protection.PASSPHRASE_FILE_VARIABLE, raising=False)


def world(tmp_path, capsys):
    """A hub and a clinic made through the CLI, and one bundle on the stick, encrypted to the hub."""
    from guidecheck.checklist.loading import load_questionnaire

    clinic, hub, stick = tmp_path / "clinic", tmp_path / "hub", tmp_path / "stick"
    stick.mkdir()
    gckey = tmp_path / "d.gckey"
    assert run(capsys, "--home", hub, "keys", "district-init", "--out", gckey)[0] == 0
    assert run(capsys, "--home", clinic, "keys", "install-district", gckey)[0] == 0
    questionnaire = load_questionnaire(REPO / "tests" / "core" / "data" / "mini.yaml")
    with open_store(clinic) as store:
        fill(store, questionnaire, profile_for("KE-0101"), final=True)
    assert run(capsys, "--home", clinic, "bundle", "export", "--out", stick)[0] == 0
    return clinic, hub, stick


def test_a_copied_keys_folder_neither_signs_nor_decrypts_without_the_passphrase(
    tmp_path, capsys, monkeypatch
):
    clinic, hub, stick = world(tmp_path, capsys)
    bundle = next(stick.glob("*.gcbundle"))
    thief_clinic, thief_hub = tmp_path / "thief-clinic", tmp_path / "thief-hub"
    for source, target in ((clinic, thief_clinic), (hub, thief_hub)):
        assert run(capsys, "--home", target, "keys", "show")[0] == 0  # a database of its own
        shutil.rmtree(target / "keys")
        shutil.copytree(source / "keys", target / "keys")
    monkeypatch.delenv(key_protection.PASSPHRASE_FILE_VARIABLE)
    key_protection.forget_session()  # what a new process on the thief's laptop starts with
    before = {
        home: (dump(database_path(home)), files_of(home / "keys"))
        for home in (thief_clinic, thief_hub)
    }
    out_dir = tmp_path / "thief-stick"
    out_dir.mkdir()

    code, _out, err = run(capsys, "--home", thief_clinic, "bundle", "export", "--out", out_dir)
    assert code == 2 and "needs the passphrase" in err and "--passphrase-file" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    code, _out, err = run(capsys, "--home", thief_hub, "bundle", "import", bundle)
    assert code == 2 and "needs the passphrase" in err and "GUIDECHECK_PASSPHRASE_FILE" in err

    wrong = tmp_path / "guess.txt"
    wrong.write_text("password123\n")
    code, _out, err = run(
        capsys, "--passphrase-file", wrong, "--home", thief_hub, "bundle", "import", bundle
    )
    assert code == 2 and "does not unlock the district key" in err and "nothing was changed" in err
    code, _out, err = run(
        capsys,
        "--passphrase-file",
        wrong,
        "--home",
        thief_clinic,
        "bundle",
        "export",
        "--out",
        out_dir,
    )
    assert code == 2 and "does not unlock this computer's signing key" in err

    assert list(out_dir.iterdir()) == []
    for home, (database, key_files) in before.items():
        assert dump(database_path(home)) == database, "a refused unlock changed the database"
        assert files_of(home / "keys") == key_files
    # What does not need the secret still works without the passphrase: the public half is readable.
    code, out, _err = run(capsys, "--home", thief_clinic, "keys", "show")
    assert code == 0 and "Keys protected by:  a passphrase" in out
    # The owner, with the passphrase, still imports the same file.
    monkeypatch.setenv(
        key_protection.PASSPHRASE_FILE_VARIABLE, str(REPO / "tests" / "test-passphrase.txt")
    )
    code, out, _err = run(capsys, "--home", hub, "bundle", "import", bundle)
    assert code == 0, out


def test_the_key_file_holds_no_secret_and_its_public_half_reads_without_unlocking(
    tmp_path, no_passphrase
):
    passphrase = tmp_path / "pw.txt"
    passphrase.write_text("a long enough phrase\n")
    key_protection.configure(passphrase)
    device = keys.device_key(tmp_path / "home")
    seed = device.private.private_bytes_raw()
    key_protection.forget_session()
    key_protection.configure(None)
    text = (tmp_path / "home" / "keys" / keys.DEVICE_KEY_FILE).read_text()
    assert seed.hex() not in text and "PRIVATE KEY" not in text
    assert f"fingerprint: {device.fingerprint}" in text and "protection: passphrase" in text
    assert keys.device_public_key(tmp_path / "home") == device.public  # no passphrase needed
    with pytest.raises(key_protection.KeyLocked, match="needs the passphrase"):
        keys.device_key(tmp_path / "home")


def test_a_normal_install_writes_the_production_cost(tmp_path, monkeypatch):
    monkeypatch.delenv(key_envelope.TEST_COST_VARIABLE)
    keys.device_key(tmp_path / "a")
    assert "kdf: scrypt 17 8 1" in (tmp_path / "a" / "keys" / keys.DEVICE_KEY_FILE).read_text()
    for bogus in ("5", "30", "seventeen"):  # out of the test range: ignored, never a cheaper key
        monkeypatch.setenv(key_envelope.TEST_COST_VARIABLE, bogus)
        assert key_envelope.write_cost() == key_envelope.LOG_N


def test_a_forged_cost_is_refused_before_any_work(tmp_path):
    home = tmp_path / "home"
    keys.device_key(home)
    key_protection.forget_session()
    path = home / "keys" / keys.DEVICE_KEY_FILE
    original = path.read_text()
    cost_line = next(line for line in original.splitlines() if line.startswith("kdf:"))
    for forged in (
        "scrypt 40 8 1",
        "scrypt 22 8 1",
        "scrypt 17 1024 1",
        "scrypt 17 8 64",
        "scrypt 9 8 1",
    ):
        path.write_text(original.replace(cost_line, f"kdf: {forged}"))
        began = time.monotonic()
        with pytest.raises(key_envelope.EnvelopeError, match="unreasonable unlocking cost"):
            keys.device_key(home)
        # 2**22 would have taken about 4 GiB and 16 s; 2**40 the laptop.
        assert time.monotonic() - began < 2
    path.write_text(original)
    assert keys.device_key(home).public


def test_the_sealed_secret_is_bound_to_its_own_key(tmp_path):
    keys.device_key(tmp_path / "a")
    keys.device_key(tmp_path / "b")
    key_protection.forget_session()
    a, b = (tmp_path / x / "keys" / keys.DEVICE_KEY_FILE for x in "ab")
    sealed_b = {
        ln.split(":")[0]: ln
        for ln in b.read_text().splitlines()
        if ln.startswith(("salt:", "nonce:", "sealed:", "kdf:"))
    }
    swapped = (
        "\n".join(sealed_b.get(ln.split(":")[0], ln) for ln in a.read_text().splitlines()) + "\n"
    )
    a.write_text(swapped)  # a's public key with b's sealed secret, same passphrase
    with pytest.raises(key_protection.KeyLocked, match="does not unlock"):
        keys.device_key(tmp_path / "a")


def test_the_keyring_fail_and_null_backends_mean_no_key_store(tmp_path, key_store):
    for backend in (fail.Keyring(), null.Keyring(), PlaintextLookalike(), ForgetfulKeyring()):
        store = key_store(backend)
        home = tmp_path / type(backend).__name__
        keys.device_key(home)
        assert keys.key_protections(home) == {"device-signing": "passphrase"}, backend
        if isinstance(store, MemoryKeyring):
            assert store.entries == {}, "a refused store keeps nothing"


class ChainOfNothing(chainer.ChainerBackend):
    """keyring's chainer over stores that protect nothing (what a bare Linux box offers)."""

    backends = [fail.Keyring(), null.Keyring(), PlaintextLookalike()]  # type: ignore[assignment]


def test_a_chain_of_key_stores_with_nothing_usable_means_none(tmp_path, key_store):
    key_store(ChainOfNothing())
    keys.device_key(tmp_path / "home")
    assert keys.key_protections(tmp_path / "home") == {"device-signing": "passphrase"}


def test_a_key_store_keeps_the_secret_and_a_copy_elsewhere_does_not_open(
    tmp_path, key_store, no_passphrase
):
    store = key_store(MemoryKeyring())
    home = tmp_path / "home"
    device = keys.device_key(home)
    keys.create_district_identity(home, "Kisumu")
    assert keys.key_protections(home) == {
        "device-signing": "keyring",
        "district-identity": "keyring",
    }
    text = (home / "keys" / keys.DEVICE_KEY_FILE).read_text()
    assert "sealed:" not in text and "keyring-service: GuideCheck" in text
    assert len(store.entries) == 2
    for (service, username), secret in store.entries.items():
        assert (
            service == "GuideCheck"
            and username in text + (home / "keys" / keys.DISTRICT_IDENTITY_FILE).read_text()
        )
        assert len(secret) < 200 and secret not in text
    key_protection.forget_session()
    assert keys.device_key(home).public == device.public  # no passphrase asked
    assert keys.district_identity(home) is not None

    copy = tmp_path / "copy"
    shutil.copytree(home / "keys", copy / "keys")
    key_store(MemoryKeyring())  # another computer: its store does not hold these keys
    key_protection.forget_session()
    with pytest.raises(key_protection.KeyLocked, match="system key store"):
        keys.device_key(copy)
    with pytest.raises(key_protection.KeyLocked, match="system key store"):
        keys.district_identity(copy)


PLAIN_KEYS_COMMIT = "4068bc43fc4b9420264866c0ad275c67afae020d"  # main before keys were protected


def _main_keys_module(tmp_path: Path):
    """bundles/keys.py as main had it before keys were protected: it writes the plain files."""
    source = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{PLAIN_KEYS_COMMIT}:desktop/guidecheck/bundles/keys.py"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if source.returncode != 0:
        pytest.skip("the git history with the plain key files is not available")
    path = tmp_path / "plain_keys.py"
    path.write_text(source.stdout)
    spec = importlib.util.spec_from_file_location("plain_keys", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_plain_key_files_of_older_versions_are_protected_on_first_use(tmp_path, capsys):
    old = _main_keys_module(tmp_path)
    home = tmp_path / "hub"
    old_device = old.device_key(home)
    old_district = old.create_district_identity(home, "Kisumu")
    plain_device = (home / "keys" / keys.DEVICE_KEY_FILE).read_bytes()
    assert b"BEGIN PRIVATE KEY" in plain_device
    assert keys.key_protections(home) == {"device-signing": "plain", "district-identity": "plain"}
    # Encrypted to the district before the migration, read after it.
    from guidecheck.bundles import seal

    sealed = seal.encrypt(b"before", [old_district.recipient])

    assert keys.device_public_key(home) == old_device.public  # readable, not yet migrated
    assert keys.device_key(home).public == old_device.public
    identity, public = keys.district_identity(home)
    assert (public.recipient, public.name) == (old_district.recipient, old_district.name)
    assert seal.decrypt(sealed, identity) == b"before"
    assert keys.key_protections(home) == {
        "device-signing": "passphrase",
        "district-identity": "passphrase",
    }
    for name in (keys.DEVICE_KEY_FILE, keys.DISTRICT_IDENTITY_FILE):
        text = (home / "keys" / name).read_text()
        assert "PRIVATE KEY" not in text and "AGE-SECRET-KEY" not in text
        if os.name == "posix":
            assert (home / "keys" / name).stat().st_mode & 0o077 == 0
    assert not [p for p in (home / "keys").iterdir() if p.name.startswith(".")], (
        "a temporary file stayed"
    )
    key_protection.forget_session()
    assert keys.device_key(home).public == old_device.public


def test_a_migration_without_a_passphrase_leaves_the_plain_file(tmp_path, no_passphrase):
    old = _main_keys_module(tmp_path)
    home = tmp_path / "clinic"
    old.device_key(home)
    before = files_of(home / "keys")
    with pytest.raises(key_protection.KeyLocked):
        keys.device_key(home)
    assert files_of(home / "keys") == before


def test_keys_passphrase_changes_it_for_every_key(tmp_path, capsys, no_passphrase):
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text("first passphrase\n")
    second.write_text("second passphrase\n")
    home = tmp_path / "hub"
    assert run(capsys, "--passphrase-file", first, "--home", home, "keys", "district-init",
               "--out", tmp_path / "d.gckey")[0] == 0  # fmt: skip
    assert run(capsys, "--passphrase-file", first, "--home", home, "keys", "show")[0] == 0
    short = tmp_path / "short.txt"
    short.write_text("abc\n")
    code, _out, err = run(capsys, "--passphrase-file", first, "--home", home, "keys", "passphrase",
                          "--new-passphrase-file", short)  # fmt: skip
    assert code == 2 and "at least 8 characters" in err
    code, out, err = run(capsys, "--passphrase-file", first, "--home", home, "keys", "passphrase",
                         "--new-passphrase-file", second)  # fmt: skip
    assert code == 0 and "2 key(s)" in out, err
    key_protection.forget_session()
    code, _out, err = run(capsys, "--passphrase-file", first, "--home", home, "keys", "district-export",
                          "--out", tmp_path / "x.gckey")  # fmt: skip
    assert code == 0  # public only: no passphrase involved
    key_protection.configure(first)
    with pytest.raises(key_protection.KeyLocked, match="does not unlock"):
        keys.district_identity(home)
    key_protection.configure(second)
    assert keys.district_identity(home) is not None and keys.device_key(home)


def test_a_cli_process_without_passphrase_or_terminal_stops_with_one_sentence(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != key_protection.PASSPHRASE_FILE_VARIABLE}
    done = subprocess.run(
        [sys.executable, "-m", "guidecheck.cli.main", "--home", str(tmp_path / "h"), "keys", "district-init",
         "--out", str(tmp_path / "d.gckey")],
        capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().count("\n") == 0 and "--passphrase-file FILE" in done.stderr
    assert not (tmp_path / "d.gckey").exists() and not keys.is_district_hub(tmp_path / "h")


@pytest.mark.skipif(os.name != "posix", reason="a pseudo-terminal is POSIX")
def test_on_a_terminal_the_passphrase_is_asked_twice_then_once(tmp_path):
    """No file and no variable, but a terminal: getpass asks (twice for a new passphrase)."""
    import pty

    env = {k: v for k, v in os.environ.items() if k != key_protection.PASSPHRASE_FILE_VARIABLE}
    home = tmp_path / "h"

    def session(*answers: str) -> tuple[int, str]:
        leader, follower = pty.openpty()
        process = subprocess.Popen(
            [sys.executable, "-m", "guidecheck.cli.main", "--home", str(home), "keys", "show"],
            stdin=follower, stdout=follower, stderr=follower, env=env, start_new_session=True,
        )  # fmt: skip
        os.close(follower)
        seen = b""
        for answer in answers:
            asked = b""
            while not asked.endswith(b": "):  # getpass's prompt, e.g. "New passphrase: "
                asked += os.read(leader, 1024)
            seen += asked
            os.write(leader, answer.encode() + b"\n")
        code = process.wait(timeout=120)
        try:
            while chunk := os.read(leader, 4096):
                seen += chunk
        except OSError:  # the terminal closed with the process
            pass
        os.close(leader)
        return code, seen.decode(errors="replace")

    code, text = session(CHOSEN_ON_TERMINAL, CHOSEN_ON_TERMINAL)
    assert code == 0, text
    assert (
        "Choose a passphrase" in text
        and "cannot be recovered" in text
        and CHOSEN_ON_TERMINAL not in text
    )
    assert keys.key_protections(home) == {"device-signing": "passphrase"}
    key_protection.forget_session()
    given = tmp_path / "pw.txt"
    given.write_text(CHOSEN_ON_TERMINAL + "\n")
    key_protection.configure(given)
    assert keys.device_key(home).public == keys.device_public_key(home)


CHOSEN_ON_TERMINAL = "acacia by the river"


def test_keys_of_a_nested_throwaway_block_still_unlock_after_it(tmp_path, no_passphrase):
    """The screenshots build a sample hub (its own throw-away block) inside theirs, then open its
    import dialog: the hub's key must unlock without asking anybody for a passphrase."""
    hub = tmp_path / "hub"
    with key_protection.throwaway_keys():
        with key_protection.throwaway_keys():
            made = keys.create_district_identity(hub, "Sample district")
        key_protection.forget_session()  # nothing unlocked is kept in memory
        copy = tmp_path / "copy"  # the screenshots render from copies of the sample hub
        shutil.copytree(hub, copy)
        found = keys.district_identity(copy)
    assert found is not None and found[1].fingerprint == made.fingerprint
