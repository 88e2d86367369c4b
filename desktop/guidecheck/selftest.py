"""The installation self-test: proves on a clinic laptop (or in CI) that a build can do its whole job.

It walks the path a clinic takes, in throw-away data folders: create a database, load every shipped
checklist, fill and finalize an assessment, write its PDF and workbook, export a sync bundle and
import it into a second (district) database. These core steps are `guidecheck selftest`; the app's
`--self-test` (gui/selftest.py) runs them and then the Qt steps: Qt offscreen, the main window and
a window on the real screen. A frozen app that lost a module, a data file or a Qt plugin fails here
instead of in front of a nurse.

One line per step, "OK <step>" or "FAILED <step>: <one sentence>" ("SKIPPED <step>: <why>" for a
step this session cannot take); exit status 0 only when no step failed.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from guidecheck.errors import UserError
from guidecheck.i18n import _

if TYPE_CHECKING:
    from guidecheck.storage.store import Store

T = TypeVar("T")

SELF_TEST_DATE = "2026-01-15"
DEFAULT_QUESTIONNAIRE = "who-ai-health-2025"


class StepFailed(UserError):
    """A step's check did not hold; the message is the one sentence printed after FAILED."""


class StepSkipped(UserError):
    """A step this session cannot take (no screen); printed as "SKIPPED <step>: <why>"."""


@dataclass
class Workspace:
    """What the steps hand on to each other: folders, the open stores, ids and written files."""

    root: Path
    clinic_home: Path
    hub_home: Path
    clinic: Store | None = None
    hub: Store | None = None
    questionnaires: list[Any] = field(default_factory=list)
    assessment_id: str = ""
    bundle_path: Path | None = None

    def close(self) -> None:
        for store in (self.clinic, self.hub):
            if store is not None:
                store.close()
        self.clinic = self.hub = None


def one_sentence(error: BaseException) -> str:
    """A user-readable single line for any error: a UserError's message, else type and first line."""
    message = getattr(error, "message", None) or str(error) or ""
    message = " ".join(str(message).split())
    if not getattr(error, "message", None):
        message = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return message[:300]


# --- core steps ------------------------------------------------------------------------------


def step_database(ws: Workspace) -> None:
    from guidecheck.paths import database_path
    from guidecheck.storage.store import Store

    ws.clinic = Store(database_path(ws.clinic_home))
    if ws.clinic.integrity_check() != "ok":
        raise StepFailed(_("The new database fails SQLite's integrity check."))
    if not ws.clinic.device_id:
        raise StepFailed(_("The new database has no device id."))


def step_questionnaires(ws: Workspace) -> None:
    from guidecheck.checklist.loading import load_all
    from guidecheck.paths import questionnaires_dir

    folder = questionnaires_dir()
    if not folder.is_dir():
        raise StepFailed(_("The checklist folder {path} is missing.").format(path=folder))
    report = load_all(folder)
    if report.errors:
        raise StepFailed(report.errors[0].message)
    if not report.questionnaires:
        raise StepFailed(_("No checklist was found in {path}.").format(path=folder))
    ws.questionnaires = report.questionnaires


def self_test_value(item: Any) -> Any:
    """A valid answer for any item type (the first scoring choice, the lowest allowed number...)."""
    if item.type == "compliance":
        return "yes"
    if item.type == "single_choice":
        usable = [c for c in item.choices if not c.na] or list(item.choices)
        return usable[0].id
    if item.type == "multiple_choice":
        return [item.choices[0].id]
    if item.type == "number":
        low = item.minimum if item.minimum is not None else 1
        return int(low) if item.integer or float(low).is_integer() else low
    if item.type == "date":
        return SELF_TEST_DATE
    return "Self-test answer."


def self_test_profile() -> Any:
    from guidecheck.checklist.model import Profile

    return Profile(
        facility_name="Self-test clinic", facility_code="SELFTEST-1", district="Self-test district",
        region="Self-test region", tool_name="Self-test tool", tool_vendor="GuideCheck", tool_version="1.0",
        use_category="diagnostic_imaging", phase="routine", assessor_name="Self-test", assessor_role="Nurse",
        date=SELF_TEST_DATE,
    )  # fmt: skip


def step_assessment(ws: Workspace) -> None:
    from guidecheck.checklist.model import SignOff

    store = _need(ws.clinic, "database")
    chosen = [q for q in ws.questionnaires if q.id == DEFAULT_QUESTIONNAIRE] or ws.questionnaires
    if not chosen:
        raise StepFailed(_("No checklist was loaded (the questionnaires step failed)."))
    questionnaire = chosen[0]
    assessment = store.new_assessment(questionnaire, self_test_profile(), actor="self-test")
    by_id = {item.id: item for item in questionnaire.items}
    for _round in range(len(questionnaire.items) + 1):  # answers may reveal further questions
        result = store.result(assessment.id)
        if result.complete:
            break
        for item_id in dict.fromkeys(result.unanswered + result.missing_notes):
            item = by_id[item_id]
            store.save_answer(
                assessment.id,
                item_id,
                self_test_value(item),
                note="Self-test note.",
                actor="self-test",
            )
    store.finalize(
        assessment.id,
        SignOff("Self-test", "Nurse", "Self-test head", SELF_TEST_DATE),
        actor="self-test",
    )
    if store.get_assessment(assessment.id).status != "final":
        raise StepFailed(_("The assessment did not become final."))
    ws.assessment_id = assessment.id


def step_pdf(ws: Workspace) -> None:
    from guidecheck.reports import build_report_data, write_assessment_pdf

    store = _need(ws.clinic, "database")
    path = write_assessment_pdf(
        build_report_data(store, _need(ws.assessment_id, "assessment")), ws.root / "report.pdf"
    )
    data = Path(path).read_bytes()
    if not data.startswith(b"%PDF") or b"%%EOF" not in data[-1024:]:
        raise StepFailed(_("The PDF report was written but is not a complete PDF file."))


def step_workbook(ws: Workspace) -> None:
    import zipfile

    from guidecheck.reports import build_report_data, write_assessment_workbook

    store = _need(ws.clinic, "database")
    path = write_assessment_workbook(
        build_report_data(store, _need(ws.assessment_id, "assessment")), ws.root / "report.xlsx"
    )
    with zipfile.ZipFile(path) as archive:
        if "xl/workbook.xml" not in archive.namelist() or archive.testzip() is not None:
            raise StepFailed(_("The workbook was written but is not a readable Excel file."))


def step_bundle_export(ws: Workspace) -> None:
    from guidecheck.bundles import keys
    from guidecheck.bundles.export import export_bundle

    store = _need(ws.clinic, "database")
    _need(ws.assessment_id, "assessment")
    district = keys.create_district_identity(ws.hub_home, "Self-test district")
    key_file = keys.write_district_key_file([district], ws.root / "district.gckey")
    keys.install_district_keys(ws.clinic_home, key_file)
    stick = ws.root / "stick"
    stick.mkdir()
    result = export_bundle(ws.clinic_home, store, stick, full=True, actor="self-test")
    if not result.encrypted or not result.path.is_file():
        raise StepFailed(_("The bundle was not written encrypted to the district key."))
    ws.bundle_path = result.path


def step_bundle_import(ws: Workspace) -> None:
    from guidecheck.bundles.importer import import_file
    from guidecheck.paths import database_path
    from guidecheck.storage.store import Store

    bundle = _need(ws.bundle_path, "bundle export")
    ws.hub = Store(database_path(ws.hub_home))
    outcome = import_file(ws.hub_home, ws.hub, bundle, actor="self-test")
    if (
        outcome.held and outcome.manifest is not None
    ):  # a new device waits; approve it, as an officer would
        from guidecheck.bundles.approval import approve_device

        m = outcome.manifest
        decision = approve_device(ws.hub_home, ws.hub, m.device_id, list(m.facility_codes) or ["-"],
                                  actor="self-test")  # fmt: skip
        outcome = decision.outcomes[0] if decision.outcomes else outcome
    if not outcome.imported:
        raise StepFailed(outcome.reason or _("The district database refused the bundle."))
    clinic_result = _need(ws.clinic, "database").result(ws.assessment_id)
    hub_result = ws.hub.result(ws.assessment_id)
    if (
        ws.hub.get_assessment(ws.assessment_id).status != "final"
        or hub_result.overall != clinic_result.overall
    ):
        raise StepFailed(_("The imported assessment differs from the exported one."))


def step_data_folder(ws: Workspace) -> None:
    """The real data folder (portable `data/` or the user's) exists and takes a file; nothing else."""
    from guidecheck.paths import data_home

    home = data_home(None)
    probe = home / f".selftest-{os.getpid()}"
    try:
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        raise StepFailed(_("The data folder {path} cannot be written ({reason}).").format(
            path=home, reason=exc.strerror or exc)) from None  # fmt: skip


def step_key_store(ws: Workspace) -> str:
    """Which protection this computer's keys get; a round trip through the system key store when
    there is one. Windows and macOS always have one: missing there, the build lost keyring's
    backends (they are found through package metadata), and the step fails."""
    import secrets

    from guidecheck.bundles import key_store, keys
    from guidecheck.paths import data_home

    backend = key_store.usable_backend()
    if backend is None:
        if sys.platform in ("win32", "darwin"):
            raise StepFailed(
                _("The system key store cannot be reached: this build lacks keyring's backends.")
            )
        how = _("a passphrase (this computer has no usable system key store)")
    else:
        name = key_store.backend_name(backend)
        probe = f"self-test-{secrets.token_hex(8)}"
        if key_store.put(backend, probe, secrets.token_urlsafe(32)):
            key_store.forget(backend, probe)
            how = _("the system key store ({name})").format(name=name)
        else:
            how = _("a passphrase (the system key store {name} did not keep a test secret)").format(
                name=name
            )
    existing = keys.key_protections(data_home(None))
    if existing:
        how += "; " + _("this installation's keys: {kinds}").format(
            kinds=", ".join(f"{k} {v}" for k, v in sorted(existing.items()))
        )
    return how


def _need(value: T | None, step: str) -> T:
    if not value:
        raise StepFailed(_("The step '{step}' before this one did not succeed.").format(step=step))
    return value


STEPS: tuple[tuple[str, Callable[[Workspace], Any]], ...] = (  # the core's steps
    ("database", step_database),
    ("questionnaires", step_questionnaires),
    ("assessment", step_assessment),
    ("pdf report", step_pdf),
    ("workbook", step_workbook),
    ("bundle export", step_bundle_export),
    ("bundle import", step_bundle_import),
    ("data folder", step_data_folder),
    ("key store", step_key_store),
)

Step = tuple[str, Callable[[Workspace], Any]]


def run(out: TextIO | None = None, steps: tuple[Step, ...] = STEPS) -> int:
    """Run every step, print one line each; 0 when all passed, 1 otherwise. Never raises."""
    from guidecheck.bundles.key_protection import throwaway_keys

    out = out or sys.stdout
    failed = 0
    with (
        throwaway_keys(),  # the steps' keys live in temporary folders: no passphrase, no key store
        tempfile.TemporaryDirectory(prefix="guidecheck-selftest-") as folder,
    ):
        root = Path(folder)
        ws = Workspace(root=root, clinic_home=root / "clinic", hub_home=root / "hub")
        ws.clinic_home.mkdir()
        ws.hub_home.mkdir()
        try:
            for name, step in steps:
                try:
                    detail = step(ws)
                except StepSkipped as skipped:
                    print(f"SKIPPED {name}: {skipped.message}", file=out, flush=True)
                except Exception as exc:  # noqa: BLE001 - every failure becomes one line
                    failed += 1
                    print(f"FAILED {name}: {one_sentence(exc)}", file=out, flush=True)
                    if os.environ.get("GUIDECHECK_SELFTEST_TRACE") == "1":
                        traceback.print_exc()
                else:
                    print(f"OK {name}", file=out, flush=True)
                    if isinstance(detail, str) and detail:
                        print(f"   {name}: {detail}", file=out, flush=True)
        finally:
            ws.close()
    return 0 if failed == 0 else 1


def main() -> int:
    return run()


if __name__ == "__main__":
    sys.exit(main())
