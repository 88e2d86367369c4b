"""A district hub with twenty clinics' results, made through the real core, for the screenshots.

Each clinic gets its own data folder, answers its assessment through the store, installs the
district's public key and exports an encrypted bundle onto a "stick" folder; the hub imports every
bundle just as an officer would. Two clinics have two rounds (so the facility trend has a line), a
few are overdue, one has a draft only, and one assessment was finalized differently on two copies
of one laptop (a conflict). No Qt here: this is sample data, drawn by gui/screenshots.py.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from guidecheck.checklist import scoring
from guidecheck.checklist.model import Profile, Questionnaire, SignOff

DISTRICTS = ("Kisumu East", "Nyando", "Siaya", "Muhoroni")
TOOLS = (
    ("ChestScan", "diagnostic_imaging"),
    ("TriageMate", "patient_triage"),
    ("StockSense", "health_system_management"),
    ("MalariaLens", "diagnostic_imaging"),
    ("MamaCare SMS", "patient_triage"),
)
FACILITIES = (
    "Kisumu East Health Centre", "Lwala Dispensary", "Ahero Sub-County Hospital",
    "Siaya County Referral Hospital", "Rabuor Health Centre", "Nyangande Dispensary",
    "Bondo Sub-County Hospital", "Muhoroni Sub-County Hospital", "Kombewa Health Centre",
    "Ober Kamoth Health Centre", "Katito Health Centre", "Chulaimbo Sub-County Hospital",
    "Masogo Dispensary", "Ukwala Health Centre", "Got Agulu Sub-District Hospital",
    "Nyakach Mission Dispensary", "Sigomre Health Centre", "Koru Dispensary",
    "Yala Sub-County Hospital", "Chemelil Sugar Estate Clinic",
)  # fmt: skip
# answer patterns: a strong, a middling and a weak clinic, so the heat map shows every band
PATTERNS = (
    ("yes", "yes", "yes", "partly", "yes", "yes", "yes", "yes"),
    ("yes", "partly", "no", "yes", "dont_know", "yes", "partly", "yes"),
    ("no", "partly", "no", "dont_know", "no", "yes", "no", "partly"),
)


@dataclass(frozen=True)
class SampleHub:
    home: Path  # the hub's data folder (a district hub: it holds the district key)
    stick: Path  # the folder holding the clinics' bundles, for the import dialog
    conflict_bundles: tuple[Path, ...]


def answer_for(item, index: int, pattern: tuple[str, ...]):  # type: ignore[no-untyped-def]
    if item.type == "compliance":
        return pattern[index % len(pattern)]
    if item.type == "single_choice":
        return item.choices[0].id if item.choices else None
    if item.type == "multiple_choice":
        return [item.choices[0].id] if item.choices else None
    if item.type == "number":
        return int(item.minimum or 0) + 3
    if item.type == "date":
        return "2025-02-14"
    return "Checked with the facility's IT officer."


def _assess(store, q: Questionnaire, profile: Profile, pattern, final: bool = True) -> str:  # type: ignore[no-untyped-def]
    assessment = store.new_assessment(q, profile, profile.assessor_name)
    for _round in range(3):  # answers can show further items: repeat until stable
        answers = store.answers(assessment.id)
        for index, item in enumerate(scoring.visible_items(q, profile, answers)):
            if item.id not in answers:
                note = (
                    "Seen on the vendor's sheet." if item.note in ("required", "on_unmet") else ""
                )
                value = answer_for(item, index, pattern)
                store.save_answer(assessment.id, item.id, value, note, profile.assessor_name)
    if final:
        store.finalize(assessment.id, SignOff(profile.assessor_name, "Nurse in charge",
                                              "Dr. Joseph Mwangi", profile.date))  # fmt: skip
    return assessment.id


def build_sample_hub(root: Path, q: Questionnaire, facilities: int = 20) -> SampleHub:
    """Twenty clinics' bundles imported into a new hub under `root` (an empty folder). Its keys
    are throw-away: sealed with a random passphrase this process holds, never in a key store."""
    from guidecheck.bundles.key_protection import throwaway_keys

    with throwaway_keys():
        return _build_sample_hub(root, q, facilities)


def _build_sample_hub(root: Path, q: Questionnaire, facilities: int) -> SampleHub:
    from guidecheck.bundles.approval import approve_device
    from guidecheck.bundles.export import export_bundle
    from guidecheck.bundles.importer import import_file
    from guidecheck.bundles.keys import (
        create_district_identity,
        device_key,
        install_district_keys,
        write_district_key_file,
    )
    from guidecheck.paths import database_path
    from guidecheck.storage.store import Store

    hub = root / "hub"
    stick = root / "stick"
    new_stick = root / "new-stick"  # what the import dialog shows: two new, the rest known
    for folder in (hub, stick, new_stick):
        folder.mkdir(parents=True)
    key = create_district_identity(hub, "Kisumu County health office")
    key_file = write_district_key_file([key], root / "district.gckey")
    conflict: list[Path] = []
    profiles: list[Profile] = []
    for number, name in enumerate(FACILITIES[:facilities]):
        home = root / f"clinic-{number:02d}"
        home.mkdir()
        install_district_keys(home, key_file)
        tool, category = TOOLS[number % len(TOOLS)]
        month = 1 + (number * 5) % 12
        year = 2024 if number % 6 == 5 else 2025  # a few are overdue for re-assessment
        profile = Profile(
            facility_name=name, facility_code=f"KE-{100 + number * 7:04d}",
            district=DISTRICTS[number % len(DISTRICTS)], region="Western", tool_name=tool,
            tool_vendor="Afya Vision", tool_version="2.1", use_category=category, phase="routine",
            assessor_name="Amina Otieno", assessor_role="Nurse in charge",
            date=f"{year}-{month:02d}-14",
        )  # fmt: skip
        profiles.append(profile)
        pattern = PATTERNS[number % len(PATTERNS)]
        with Store(database_path(home)) as store:
            _assess(store, q, profile, pattern, final=number != 7)  # one clinic: a draft only
            if number in (0, 4):  # a second round, better than the first
                later = replace(profile, date="2026-03-02")
                _assess(store, q, later, PATTERNS[0])
            if number == 3:  # revised on two copies of one laptop: a conflict at the hub
                shared = _assess(store, q, profile, pattern)
        if number == 3:
            device_key(home)  # both copies of the laptop share one device key
            shutil.copytree(home, root / "clinic-03-copy")
            for copy, value in ((home, "no"), (root / "clinic-03-copy", "yes")):
                with Store(database_path(copy)) as store:
                    draft = store.revise(shared).id
                    answers = store.answers(draft)
                    first = next(
                        i.id for i in q.items if i.type == "compliance" and i.id in answers
                    )
                    store.save_answer(draft, first, value, "Checked again.", "Amina Otieno")
                    store.finalize(draft, SignOff("Amina Otieno", "Nurse in charge",
                                                  "Dr. Joseph Mwangi", "2025-06-20"))  # fmt: skip
                    out = root / f"stick-{copy.name}"
                    out.mkdir()
                    conflict.append(export_bundle(copy, store, out).path)
            continue
        with Store(database_path(home)) as store:
            export_bundle(home, store, stick)
    with Store(database_path(hub)) as store:
        for path in [*sorted(stick.glob("*")), *conflict]:
            outcome = import_file(hub, store, path)
            if outcome.held and outcome.manifest is not None:  # the officer approves each laptop
                m = outcome.manifest
                decision = approve_device(hub, store, m.device_id, list(m.facility_codes),
                                          actor="District officer")  # fmt: skip
                outcome = decision.outcomes[-1] if decision.outcomes else outcome
            if not outcome.imported:
                raise RuntimeError(f"sample bundle {path.name} was refused: {outcome.reason}")
    for path in sorted(stick.glob("*"))[:3]:
        shutil.copy2(path, new_stick / path.name)
    for number in (1, 2):  # a new round at two clinics, not yet imported
        home = root / f"clinic-{number:02d}"
        with Store(database_path(home)) as store:
            _assess(store, q, replace(profiles[number], date="2026-04-20"),
                    PATTERNS[1])  # fmt: skip
            export_bundle(home, store, new_stick)
    return SampleHub(hub, new_stick, tuple(conflict))
