"""The process the crash harness kills: real GuideCheck code writing answers and importing bundles.

Usage: python crash_driver.py HOME QUESTIONNAIRE.yaml SEED [BUNDLE ...]

It opens (or creates) HOME's database through `guidecheck.storage.store.Store`, then loops forever:
mostly saving one answer at a time, sometimes importing the next one to three bundles in one go
with the real command loop (`import_batch.import_files`, in one group or one group per file).
Every step is announced before it starts ("saving ...", "importing ...") and reported after it
returned ("saved ...", "imported ..."), flushed at once, so the harness knows what was promised.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from guidecheck.checklist.loading import load_questionnaire
from guidecheck.checklist.model import Profile
from guidecheck.storage.store import Store

LOCAL_FACILITY = "HUB-LOCAL"


def say(*parts: str) -> None:
    sys.stdout.write(" ".join(parts) + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> None:
    home, questionnaire_path, seed = Path(argv[0]), Path(argv[1]), int(argv[2])
    bundles = [Path(p) for p in argv[3:]]
    rng = random.Random(seed)
    questionnaire = load_questionnaire(questionnaire_path)
    store = Store(home / "guidecheck.db")
    say("ready")
    existing = [a for a in store.list_assessments() if a.facility_code == LOCAL_FACILITY]
    if existing:
        assessment_id = existing[0].id
    else:
        profile = Profile(
            facility_name="District hub",
            facility_code=LOCAL_FACILITY,
            district="Kisumu",
            region="Nyanza",
            tool_name="TriageAssist",
            tool_vendor="Acme Health",
            tool_version="3.2",
            use_category="patient_triage",
            assessor_name="Otieno",
            assessor_role="Officer",
            date="2026-11-20",
        )
        assessment_id = store.new_assessment(questionnaire, profile).id
    say("assessment", assessment_id)
    items = [
        i
        for i in questionnaire.items
        if not i.condition and i.type in ("compliance", "single_choice")
    ]
    pending = list(bundles)
    step = 0
    while True:
        step += 1
        if pending and rng.random() < 0.35:
            from guidecheck.bundles.import_batch import import_files

            # One to three files in one command, as `guidecheck bundle import` runs them: each
            # is announced as it starts, and reported only when import_files hands it out.
            batch = pending[: rng.randint(1, 3)]
            pending = pending[len(batch) :]
            outcomes = import_files(
                home, store, batch, actor="crash-driver",
                progress=lambda _done, _total, name: say("importing", name),
                group_seconds=rng.choice([0.0, 60.0]),
            )  # fmt: skip
            for outcome in outcomes:
                say(
                    "imported" if outcome.imported else "refused",
                    outcome.path.name,
                    outcome.reason.replace("\n", " "),
                )
            continue
        item = rng.choice(items)
        choices = (
            ["yes", "partly", "no", "dont_know"]
            if item.type == "compliance"
            else [c.id for c in item.choices]
        )
        value = rng.choice(choices)
        encoded = json.dumps(value)
        say("saving", item.id, encoded)
        store.save_answer(assessment_id, item.id, value, note=f"step {step}", actor="crash-driver")
        say("saved", item.id, encoded)


if __name__ == "__main__":
    main(sys.argv[1:])
