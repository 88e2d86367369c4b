"""The process a power cut stops: a clinic and a district hub doing their real work on one mount.

Usage: python powercut_driver.py MOUNT SEED [OLD_HOME ...]

MOUNT holds `clinic/` and `hub/` (data folders, made on first run), `stick/` (the USB stick:
bundles, reports, the district key file) and any OLD_HOME folders with a database of an older
schema, which this run opens (so the store migrates it). Then it loops forever, at random: saving
answers with notes, finalizing and revising, changing a district setting, exporting a bundle to
the stick, importing the stick's bundles at the hub (with its archive), making the district key
and installing it at the clinic (exports wait for it: a hub takes only bundles encrypted
to it), approving the clinic's laptop at the hub on its first bundle, writing PDF reports and workbooks.
At start it may find key files written plain, as older versions did, and protects them first. The store is called directly
(as the app does); settings, keys and reports go through the real `guidecheck` command's code.

Every step is announced before it starts (`{"doing": ...}`) and reported after it returned
(`{"done": ...}`), one JSON line each, flushed at once: a "done" line is a promise the harness
holds the file system to after the cut.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import random
import sys
from pathlib import Path
from typing import Any

from guidecheck.bundles import keys
from guidecheck.bundles.approval import approve_device
from guidecheck.bundles.export import export_bundle
from guidecheck.bundles.importer import import_file
from guidecheck.checklist.loading import load_questionnaire
from guidecheck.checklist.model import Profile, SignOff
from guidecheck.cli.main import main as cli
from guidecheck.errors import UserError
from guidecheck.storage.store import Store

MINI = Path(__file__).resolve().parents[1] / "core" / "data" / "mini.yaml"
ITEMS = {
    "a_review": ["yes", "partly", "no"],
    "a_poster": ["yes", "no", "partly"],
    "a_storage": ["locked", "shelf", "nowhere"],
    "a_staff": [0, 3, 12, 250],
    "b_places": [["local"], ["local", "cloud"]],
    "b_cloud_safe": ["yes", "no"],
    "b_reviewed_on": ["2026-10-01", "2026-11-02"],
    "b_remarks": ["none", "the tool was offline for a week"],
}
FACILITY = "KE-0101"
FILL = {"a_review": "yes", "b_cloud_safe": "yes"}  # answers that finalize without a note


def say(kind: str, **fields: Any) -> None:
    sys.stdout.write(json.dumps({kind: fields.pop("op"), **fields}, sort_keys=True) + "\n")
    sys.stdout.flush()


def run_cli(*args: str) -> tuple[int, str]:
    """The real command's code, in this process (no second interpreter start per step)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = cli(list(args))
    return code, out.getvalue()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Clinic:
    """The clinic's store and its current draft (made, finalized and revised as the run goes)."""

    def __init__(self, home: Path, rng: random.Random) -> None:
        self.home = home
        self.rng = rng
        self.questionnaire = load_questionnaire(MINI)
        self.store = Store(home / "guidecheck.db")
        latest = self.store.list_assessments()
        self.current = latest[0].id if latest else None

    def draft(self) -> str:
        if self.current is None or self.store.get_assessment(self.current).is_final:
            if self.current is None:
                profile = Profile(
                    facility_name="Kisumu Health Centre",
                    facility_code=FACILITY,
                    district="Kisumu",
                    region="Nyanza",
                    tool_name="TriageAssist",
                    tool_vendor="Acme Health",
                    tool_version="3.2",
                    use_category="patient_triage",
                    assessor_name="Wanjiru K.",
                    assessor_role="Nurse",
                    date="2026-11-20",
                )
                say("doing", op="new")
                self.current = self.store.new_assessment(self.questionnaire, profile).id
                say("done", op="new", assessment=self.current)
            else:
                old = self.current
                say("doing", op="revise", assessment=old)
                self.current = self.store.revise(old, actor="driver").id
                say("done", op="revise", assessment=old, new=self.current)
        return self.current

    def save(self, item: str, value: Any, note: str | None = None) -> None:
        assessment = self.draft()
        if note is None:
            note = f"seen on ward {self.rng.randrange(1000)} " * self.rng.choice([0, 1, 30])
        say("doing", op="save", assessment=assessment, item=item, value=value, note=note)
        self.store.save_answer(assessment, item, value, note=note, actor="driver")
        say("done", op="save", assessment=assessment, item=item, value=value, note=note)

    def finalize(self) -> None:
        """Answer what is left (with the notes asked for), then sign off."""
        assessment = self.draft()
        for _round in range(3):
            result = self.store.result(assessment)
            if result.complete:
                break
            for item in (*result.unanswered, *result.missing_notes):
                self.save(item, FILL.get(item) or self.rng.choice(ITEMS[item]), note="checked")
        say("doing", op="finalize", assessment=assessment)
        self.store.finalize(assessment, SignOff("Wanjiru K.", "Nurse", "Dr Achieng", "2026-11-21"))
        say("done", op="finalize", assessment=assessment)


def plant_plain_keys(mount: Path, rng: random.Random) -> None:
    """Installations from before keys were protected: plain key files, written as older versions
    wrote them (PKCS#8 PEM; a plain age identity). Most first runs start the clinic and the hub
    that way, and any run may find one more such data folder (`legacy-N`) beside them."""
    homes = []
    if not (mount / "clinic" / "keys" / keys.DEVICE_KEY_FILE).exists() and rng.random() < 0.7:
        homes.append((mount / "clinic", False))
    if not (mount / "hub" / "keys").exists() and rng.random() < 0.5:
        homes.append((mount / "hub", True))
    if rng.random() < 0.8:
        homes.append((mount / f"legacy-{rng.randrange(10**6)}", rng.random() < 0.5))
    for home, hub in homes:
        if not (home / "keys" / keys.DEVICE_KEY_FILE).exists() and home.name != "hub":
            _plant(home, keys.DEVICE.kind)
        if hub and not (home / "keys" / keys.DISTRICT_IDENTITY_FILE).exists():
            _plant(home, keys.DISTRICT.kind)


def _plant(home: Path, kind: str) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from guidecheck.atomic import write_atomic
    from guidecheck.paths import keys_dir

    if kind == keys.DEVICE.kind:
        private = Ed25519PrivateKey.generate()
        data = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())  # fmt: skip
        public = private.public_key().public_bytes(serialization.Encoding.Raw,
                                                   serialization.PublicFormat.Raw).hex()  # fmt: skip
        name = keys.DEVICE_KEY_FILE
    else:
        import pyrage

        identity = pyrage.x25519.Identity.generate()
        public = str(identity.to_public())
        data = (f"# GuideCheck district identity. SECRET: never copy this file to a clinic.\n"
                f"# name: Kisumu\n# public key: {public}\n{identity}\n").encode("ascii")  # fmt: skip
        name = keys.DISTRICT_IDENTITY_FILE
    say("doing", op="plant-key", home=home.name, key=kind, public=public)
    write_atomic(keys_dir(home) / name, data, private=True)
    say("done", op="plant-key", home=home.name, key=kind, public=public)


def protect_plain_keys(mount: Path) -> None:
    """First use of a plain key protects it (one atomic replace of the file), under the cuts."""
    homes = [mount / "clinic", mount / "hub", *sorted(mount.glob("legacy-*"))]
    for home in homes:
        for kind in (keys.DEVICE, keys.DISTRICT):
            if keys.key_protections(home).get(kind.kind) != "plain":
                continue
            say("doing", op="protect-key", home=home.name, key=kind.kind)
            if kind is keys.DEVICE:
                public = keys.device_key(home).public_hex
            else:
                public = keys.district_identity(home)[1].recipient
            say("done", op="protect-key", home=home.name, key=kind.kind, public=public)


def main(argv: list[str]) -> None:
    mount, seed = Path(argv[0]), int(argv[1])
    rng = random.Random(seed)
    clinic_home, hub_home, stick = mount / "clinic", mount / "hub", mount / "stick"
    stick.mkdir(exist_ok=True)
    say("doing", op="start")
    clinic = Clinic(clinic_home, rng)
    hub = Store(hub_home / "guidecheck.db")
    say("done", op="start")
    plant_plain_keys(mount, rng)
    protect_plain_keys(mount)
    for old in argv[2:]:
        say("doing", op="migrate", home=old)
        Store(Path(old) / "guidecheck.db").close()
        say("done", op="migrate", home=old)
    step = 0
    while True:
        step += 1
        choice = rng.random()
        if choice < 0.55:
            item = rng.choice([i for i in ITEMS if i != "b_cloud_safe"])
            clinic.save(item, rng.choice(ITEMS[item]))
        elif choice < 0.62:
            clinic.finalize()
        elif choice < 0.67:
            months = rng.randrange(1, 60)
            say("doing", op="setting", months=months)
            code, _out = run_cli("--home", str(hub_home), "district", "settings",
                                 "--reassess-months", str(months))  # fmt: skip
            assert code == 0
            say("done", op="setting", months=months)
        elif choice < 0.77 and keys.installed_district_keys(clinic_home):
            # a hub takes only bundles encrypted to it: the clinic exports once its key is in
            say("doing", op="export")
            try:
                result = export_bundle(clinic_home, clinic.store, stick, actor="driver")
            except UserError as exc:  # nothing new since the last export
                say("done", op="export-none", reason=str(exc))
                continue
            say("done", op="export", path=str(result.path), bundle=result.manifest.bundle_id,
                sha256=sha(result.path))  # fmt: skip
        elif choice < 0.87:
            done = {row[0] for row in hub.conn.execute("SELECT source_name FROM bundle_imports")}
            for path in sorted(stick.glob("*.gcbundle")):
                if path.name in done:
                    continue
                say("doing", op="import", path=str(path))
                outcome = import_file(hub_home, hub, path, actor="driver")
                if outcome.held and outcome.manifest is not None:  # a laptop new to this hub
                    bundle_id = outcome.manifest.bundle_id
                    say("doing", op="approve", device=outcome.manifest.device_id)
                    decision = approve_device(hub_home, hub, outcome.manifest.device_id,
                                              [FACILITY], actor="driver")  # fmt: skip
                    say("done", op="approve", device=outcome.manifest.device_id)
                    outcome = next(o for o in decision.outcomes
                                   if o.manifest and o.manifest.bundle_id == bundle_id)  # fmt: skip
                if not outcome.imported:
                    say("done", op="import-refused", path=str(path), reason=outcome.reason)
                    continue
                say("done", op="import", path=str(path), bundle=outcome.manifest.bundle_id)
        elif choice < 0.92:
            gckey = stick / "district.gckey"
            if not keys.is_district_hub(hub_home):
                say("doing", op="district-init")
                gckey.unlink(missing_ok=True)
                code, out = run_cli("--home", str(hub_home), "keys", "district-init",
                                    "--out", str(gckey), "--name", "Kisumu")  # fmt: skip
                assert code == 0, out
                recipient = keys.district_identity(hub_home)[1].recipient
                say("done", op="district-init", recipient=recipient, gckey=sha(gckey))
            elif not gckey.exists():
                say("doing", op="district-export")
                code, out = run_cli("--home", str(hub_home), "keys", "district-export",
                                    "--out", str(gckey))  # fmt: skip
                assert code == 0, out
                say("done", op="district-export", gckey=sha(gckey))
            else:
                say("doing", op="install")
                code, out = run_cli("--home", str(clinic_home), "keys", "install-district",
                                    str(gckey))  # fmt: skip
                assert code == 0, out
                installed = [k.recipient for k in keys.installed_district_keys(clinic_home)]
                say("done", op="install", recipients=installed)
        else:
            assessment = clinic.draft()
            name = f"report-{seed % 1000}-{step}"
            pdf, xlsx = stick / f"{name}.pdf", stick / f"{name}.xlsx"
            say("doing", op="report", files=[str(pdf), str(xlsx)])
            code, out = run_cli("--home", str(clinic_home), "report", assessment,
                                "--pdf", str(pdf), "--xlsx", str(xlsx))  # fmt: skip
            assert code == 0, out
            say("done", op="report", files={str(p): sha(p) for p in (pdf, xlsx)})
            if hub.list_assessments() and rng.random() < 0.5:
                pdf, xlsx = stick / f"district-{name}.pdf", stick / f"district-{name}.xlsx"
                say("doing", op="report", files=[str(pdf), str(xlsx)])
                code, out = run_cli("--home", str(hub_home), "district", "report",
                                    "--pdf", str(pdf), "--xlsx", str(xlsx))  # fmt: skip
                assert code == 0, out
                say("done", op="report", files={str(p): sha(p) for p in (pdf, xlsx)})


if __name__ == "__main__":
    main(sys.argv[1:])
