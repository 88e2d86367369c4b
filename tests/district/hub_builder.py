"""Builds a district hub from bundles of three clinics, exported and imported through the real code.

Figures the tests check were worked out by hand from the answers below (see each test).
Clinic A (A01, North): ChestScan, round 1 (2025-01-10, final) and round 2 (2026-06-01, finalized,
then revised to revision 2 and finalized again); TriageBot only as a draft.
Clinic B (B01, South): ReadMyXray (2026-03-01, final, one red flag).
Clinic C (C01, North): TriageBot (2024-09-01, final, overdue, one red flag).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from clinic_hub_helpers import enter_assessment, import_approved
from guidecheck.bundles.export import export_bundle
from guidecheck.checklist.loading import load_questionnaire
from guidecheck.checklist.model import Profile, Questionnaire, SignOff
from guidecheck.paths import database_path
from guidecheck.storage.store import Store

DATA = Path(__file__).parent / "data"
TODAY = dt.date(2026, 11, 25)


def profile(code: str, name: str, district: str, tool: str, category: str, date: str) -> Profile:
    return Profile(
        facility_name=name, facility_code=code, district=district, region="Lake", tool_name=tool,
        tool_vendor="Acme", tool_version="1.0", use_category=category, assessor_name="Officer",
        date=date,
    )  # fmt: skip


def assess(
    store: Store, q: Questionnaire, prof: Profile, answers: dict[str, str], final: bool = True
) -> str:
    sign_off = SignOff("Officer", "Nurse", "Head", prof.date) if final else None
    entered = ((item_id, value, None) for item_id, value in answers.items())
    return enter_assessment(store, q, prof, entered, sign_off)


@dataclass
class Hub:
    home: Path
    store: Store
    ids: dict[str, str]
    bundles: list[Path]


def export_clinic(home: Path, out: Path) -> Path:
    """Export a clinic's bundle, encrypted to the test district (its key installed on first use)."""
    from guidecheck.bundles import keys

    if not keys.installed_district_keys(home):
        keys.install_district_keys(home, DISTRICT_KEY)
    with Store(database_path(home)) as store:
        return export_bundle(home, store, out).path


# One district key for every test hub of a session: its public half is installed at each clinic.
DISTRICT_KEY = Path(__file__).parent / "data" / "test-district.gckey"
DISTRICT_IDENTITY = Path(__file__).parent / "data" / "test-district-identity.age"


def make_district(hub_home: Path) -> None:
    """Give a test hub the shared test district identity (the secret half, as `district-init` would)."""
    from guidecheck.bundles.keys import DISTRICT_IDENTITY_FILE
    from guidecheck.paths import keys_dir

    (keys_dir(hub_home) / DISTRICT_IDENTITY_FILE).write_bytes(DISTRICT_IDENTITY.read_bytes())


def load_test_questionnaire() -> Questionnaire:
    return load_questionnaire(DATA / "district.yaml")


def build_hub(tmp_path: Path) -> Hub:
    """Three clinics' data folders filled through the real store, exported, imported into a hub."""
    q = load_test_questionnaire()
    stick = tmp_path / "stick"
    stick.mkdir()
    ids: dict[str, str] = {}
    homes = {name: tmp_path / name for name in ("clinic-a", "clinic-b", "clinic-c")}
    for home in homes.values():
        home.mkdir()
    with Store(database_path(homes["clinic-a"])) as store:
        chest = profile("A01", "Clinic A", "North", "ChestScan", "diagnostic_imaging", "2025-01-10")
        ids["a1"] = assess(
            store,
            q,
            chest,
            {"c1": "yes", "c2": "no", "c3": "partly", "d1": "yes", "d2": "yes", "d3": "ok"},
        )
        chest2 = profile(
            "A01", "Clinic A", "North", "ChestScan", "diagnostic_imaging", "2026-06-01"
        )
        ids["a2r1"] = assess(
            store,
            q,
            chest2,
            {"c1": "yes", "c2": "no", "c3": "partly", "d1": "yes", "d2": "yes", "d3": "ok"},
        )
        revised = store.revise(ids["a2r1"])
        store.save_answer(revised.id, "c2", "yes")
        store.finalize(revised.id, SignOff("Officer", "Nurse", "Head", "2026-06-02"))
        ids["a2"] = revised.id
        triage = profile("A01", "Clinic A", "North", "TriageBot", "patient_triage", "2026-10-01")
        ids["a_draft"] = assess(store, q, triage, {"c1": "no"}, final=False)
    with Store(database_path(homes["clinic-b"])) as store:
        xray = profile("B01", "Clinic B", "South", "ReadMyXray", "diagnostic_imaging", "2026-03-01")
        ids["b"] = assess(
            store,
            q,
            xray,
            {"c1": "no", "c2": "no", "c3": "no", "d1": "partly", "d2": "yes", "d3": "-"},
        )
    with Store(database_path(homes["clinic-c"])) as store:
        bot = profile("C01", "Clinic C", "North", "TriageBot", "patient_triage", "2024-09-01")
        ids["c"] = assess(
            store, q, bot, {"c1": "yes", "c2": "partly", "d1": "no", "d2": "dont_know", "d3": "x"}
        )
    hub_home = tmp_path / "hub"
    hub_home.mkdir()
    make_district(hub_home)
    bundles = [export_clinic(home, stick) for home in homes.values()]
    store = Store(database_path(hub_home))
    for path in bundles:
        outcome = import_approved(hub_home, store, path)
        assert outcome.imported, outcome.reason
    return Hub(hub_home, store, ids, bundles)


def import_conflict(tmp_path: Path, hub: Hub) -> str:
    """One final assessment revised differently on two copies of one laptop, both imported: two
    ids claim revision 2 of one lineage, a conflict. Returns the id of laptop a's revision."""
    import shutil

    q = load_test_questionnaire()
    a, b = tmp_path / "laptop-a", tmp_path / "laptop-b"
    a.mkdir()
    with Store(database_path(a)) as store:
        prof = profile("K01", "Clinic K", "West", "ChestScan", "diagnostic_imaging", "2026-05-01")
        first = assess(store, q, prof, {"c1": "yes", "c2": "yes", "c3": "yes", "d1": "yes",
                                        "d2": "yes", "d3": "ok"})  # fmt: skip
    out = tmp_path / "first-stick"
    out.mkdir()
    assert import_approved(hub.home, hub.store, export_clinic(a, out)).imported
    shutil.copytree(a, b)
    paths, ids = [], {}
    for home, value in ((a, "no"), (b, "yes")):
        with Store(database_path(home)) as store:
            revised = store.revise(first)
            store.save_answer(revised.id, "c2", value)
            store.save_answer(revised.id, "d3", f"seen on {home.name}")
            store.finalize(revised.id, SignOff("Officer", "Nurse", "Head", "2026-05-02"))
            ids[home.name] = revised.id
        out = tmp_path / f"stick-{home.name}"
        out.mkdir()
        paths.append(export_clinic(home, out))
    for path in paths:
        assert import_approved(hub.home, hub.store, path).imported
    return ids["laptop-a"]
