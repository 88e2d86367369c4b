"""Renders the main screens at 1366×768 to PNG: `python -m guidecheck.gui.screenshots OUTDIR`.

The district hub's screens (`hub-*.png`) come from a hub of twenty clinics whose bundles were
exported and imported through the real core (gui/hub/sample_hub.py).

Used by `make screenshots` for the README (docs/screenshots/) and by the screen test (which keeps
its pictures in test-output/screens/). Sample data is made through the real store in a temporary
data folder, so the pictures show exactly what a clinic would see.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from guidecheck.checklist.model import Profile, Questionnaire

SIZE = (1366, 768)


def wait_until(predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not get ready in time")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.005)


def settle(rounds: int = 5) -> None:
    for _ in range(rounds):
        QCoreApplication.processEvents()


def sample_answer(item, index: int):  # type: ignore[no-untyped-def]
    """A believable answer: mostly yes, some partly/no, so the chart and plan have content."""
    if item.type == "compliance":
        return ["yes", "yes", "partly", "yes", "no", "yes", "dont_know", "yes"][index % 8]
    if item.type == "single_choice":
        return item.choices[0].id if item.choices else None
    if item.type == "multiple_choice":
        return [item.choices[0].id] if item.choices else None
    if item.type == "number":
        return int(item.minimum or 0) + 3
    if item.type == "date":
        return "2025-02-14"
    return "Checked with the facility's IT officer."


def fill_sample_data(
    home: Path, questionnaire: Questionnaire, drafts_only: bool = False
) -> list[str]:
    """Four assessments: one final, one draft half done, one just started, one complete but not
    yet signed. Returns their ids in that order."""
    from guidecheck.checklist import scoring
    from guidecheck.checklist.model import SignOff
    from guidecheck.storage.store import Store

    store = Store(home / "guidecheck.db")
    profiles = [
        Profile(
            facility_name="Kisumu East Health Centre",
            facility_code="KE-0042",
            district="Kisumu East",
            region="Western",
            tool_name="ChestScan",
            tool_vendor="Acme Imaging",
            tool_version="2.1",
            use_category="diagnostic_imaging",
            phase="routine",
            assessor_name="Amina Otieno",
            assessor_role="Nurse in charge",
            date="2025-03-31",
        ),
        Profile(
            facility_name="Lwala Dispensary",
            facility_code="KE-0107",
            district="Kisumu East",
            tool_name="TriageMate",
            tool_vendor="Health AI Ltd",
            use_category="patient_triage",
            phase="pilot",
            assessor_name="Peter Ouma",
            assessor_role="Clinical officer",
            date="2025-04-02",
        ),
        Profile(
            facility_name="Ahero Sub-County Hospital",
            facility_code="KE-0011",
            district="Nyando",
            tool_name="StockSense",
            use_category="health_system_management",
            phase="rollout",
            assessor_name="Grace Achieng",
            date="2025-04-03",
        ),
        Profile(
            facility_name="Siaya County Referral Hospital",
            facility_code="KE-0203",
            district="Siaya",
            tool_name="MalariaLens",
            tool_vendor="Afya Vision",
            use_category="diagnostic_imaging",
            phase="routine",
            assessor_name="John Okoth",
            assessor_role="Laboratory in-charge",
            date="2025-04-05",
        ),
    ]
    ids: list[str] = []
    try:
        for number, profile in enumerate(profiles):
            assessment = store.new_assessment(questionnaire, profile, profile.assessor_name)
            ids.append(assessment.id)
            limit = [10_000, 30, 3, 10_000][number]
            for _round in range(3):  # answers can show further items: repeat until stable
                answers = store.answers(assessment.id)
                shown = scoring.visible_items(questionnaire, profile, answers)
                for index, item in enumerate(shown[:limit]):
                    if item.id in answers:
                        continue
                    value = sample_answer(item, index)
                    note = (
                        "Seen on the vendor's sheet."
                        if item.note in ("required", "on_unmet")
                        else ""
                    )
                    store.save_answer(assessment.id, item.id, value, note, profile.assessor_name)
            if number == 0 and not drafts_only:
                store.finalize(
                    assessment.id,
                    SignOff(
                        profile.assessor_name,
                        profile.assessor_role,
                        "Dr. Joseph Mwangi",
                        "2025-03-31",
                    ),
                )
    finally:
        store.close()
    return ids


Inspector = Callable[[str, QWidget], None]


def render_screens(
    outdir: Path,
    questionnaires_folder: Path | None = None,
    inspect: Inspector | None = None,
    size: tuple[int, int] = SIZE,
) -> list[Path]:
    """Build sample data, drive the real window through every screen and save PNGs.

    `inspect(name, widget)` is called for each picture while the screen is still up (tests use
    it to check what a picture cannot show, such as a sideways scroll bar)."""

    def grab(widget: QWidget, path: Path) -> Path:
        settle()
        path.parent.mkdir(parents=True, exist_ok=True)
        if not widget.grab().save(str(path)):
            raise OSError(f"cannot write {path}")
        if inspect is not None:
            inspect(path.name, widget)
        return path

    from guidecheck.checklist.loading import DEFAULT_QUESTIONNAIRE_ID
    from guidecheck.gui.shell.dialogs import AboutDialog, SettingsDialog
    from guidecheck.gui.shell.main_window import MainWindow
    from guidecheck.storage.catalog import shipped_questionnaires

    outdir.mkdir(parents=True, exist_ok=True)
    shipped = shipped_questionnaires(questionnaires_folder).questionnaires
    # The clinic checklist when it is there (the district one sorts before it by file name).
    questionnaire = next((q for q in shipped if q.id == DEFAULT_QUESTIONNAIRE_ID), shipped[0])
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as empty_home, tempfile.TemporaryDirectory() as full_home:
        window = MainWindow(Path(empty_home), questionnaires_folder)
        window.show()
        window.resize(*size)  # after show: showing first clamps the window to the test screen
        wait_until(lambda: window.home.pages.currentWidget() is window.home.empty)
        saved.append(grab(window, outdir / "home-empty.png"))
        window.close()

        final_id, draft_id, _started, complete_id = fill_sample_data(Path(full_home), questionnaire)
        window = MainWindow(Path(full_home), questionnaires_folder)
        window.show()
        window.resize(*size)  # after show: showing first clamps the window to the test screen
        wait_until(lambda: window.home.model.rowCount() == 4)
        window.home.select(draft_id)
        saved.append(grab(window, outdir / "home.png"))

        window.start_new()
        wait_until(lambda: window.new_screen.questionnaire_list.count() > 0)
        saved.append(grab(window, outdir / "new-assessment-checklist.png"))
        window.new_screen.show_step(1)
        screen = window.new_screen
        screen.facility_name.setEditText("Kisumu East Health Centre")
        screen.facility_code.setText("KE-0042")
        screen.district.setText("Kisumu East")
        screen.tool_name.setEditText("ChestScan")
        screen.tool_vendor.setText("Acme Imaging")
        screen.use_category.setCurrentIndex(screen.use_category.findData("diagnostic_imaging"))
        screen.assessor_name.setText("Amina Otieno")
        screen.assessor_role.setText("Nurse in charge")
        saved.append(grab(window, outdir / "new-assessment-profile.png"))

        window.open_assessment(draft_id)
        wait_until(lambda: window.stack.currentWidget() is window.walkthrough)
        cards = window.walkthrough.visible_cards()
        if cards:
            cards[0].guidance_toggle.setChecked(True)
        saved.append(grab(window, outdir / "walkthrough.png"))
        window.walkthrough.go_next()
        window.walkthrough.go_next()
        saved.append(grab(window, outdir / "walkthrough-page3.png"))
        window.show_review()
        saved.append(grab(window, outdir / "review.png"))

        window.open_assessment(complete_id)
        wait_until(
            lambda: (
                window.assessment is not None
                and window.assessment.id == complete_id
                and window.stack.currentWidget() is window.walkthrough
            )
        )
        window.show_review()
        saved.append(grab(window, outdir / "review-complete.png"))
        window.show_finalize()
        window.finalize_screen.head_name.setText("Dr. Achieng Odhiambo")
        saved.append(grab(window, outdir / "finalize.png"))

        window.open_assessment(final_id)
        wait_until(
            lambda: (
                window._summary is not None
                and window.stack.currentWidget() is window._summary
                and window._summary.chart.isVisible()
            )
        )
        saved.append(grab(window, outdir / "summary.png"))

        dialogs: list[tuple[str, QDialog]] = [
            ("about.png", AboutDialog(window)),
            ("settings.png", SettingsDialog(window)),
        ]
        for name, dialog in dialogs:
            dialog.show()
            wait_until(lambda: window.runner.pending == 0)
            saved.append(grab(dialog, outdir / name))
            dialog.close()
        window.close()
    return saved


def build_hub_template(root: Path, questionnaires_folder: Path | None = None) -> Path:
    """Twenty clinics' bundles imported into a hub under `root` (gui/hub/sample_hub.py); render
    calls copy it, so one build serves every size, palette and text size."""
    from guidecheck.gui.hub.sample_hub import build_sample_hub
    from guidecheck.storage.catalog import shipped_questionnaires

    shipped = shipped_questionnaires(questionnaires_folder).questionnaires
    # the clinic checklist: the district-level one (which sorts first by file name) is counted
    # apart from the clinics and would leave the hub's overview empty
    clinic = [q for q in shipped if q.level == "clinic"] or list(shipped)
    questionnaire = max(clinic, key=lambda q: q.id == "who-ai-health-2025")
    build_sample_hub(root, questionnaire)
    return root


def render_hub_screens(
    outdir: Path,
    questionnaires_folder: Path | None = None,
    inspect: Inspector | None = None,
    size: tuple[int, int] = SIZE,
    template: Path | None = None,
) -> list[Path]:
    """The district hub in the real window: overview, heat map, gaps, facility detail, conflicts,
    and the import dialog before and after importing a stick (`hub-*.png`)."""
    import shutil

    from guidecheck.gui.hub.district_view import DistrictHub
    from guidecheck.gui.shell.main_window import MainWindow

    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "sample"
        if template is None:
            build_hub_template(root, questionnaires_folder)
        else:
            shutil.copytree(template, root)
        window = MainWindow(root / "hub", questionnaires_folder)
        window.show()
        window.resize(*size)
        wait_until(lambda: isinstance(window.stack.currentWidget(), DistrictHub))
        hub = window.stack.currentWidget()
        assert isinstance(hub, DistrictHub)
        wait_until(lambda: hub.data is not None and window.runner.pending == 0)
        names = ("hub-overview", "hub-heat-map", "hub-gaps", "hub-facility", "hub-conflicts")
        for index, name in enumerate(names):
            hub.tabs.setCurrentIndex(index)
            if name == "hub-facility":
                hub.open_facility(hub.facility.facility_box.itemData(
                    hub.facility.facility_box.findText("Kisumu East", Qt.MatchFlag.MatchStartsWith)))  # fmt: skip
            wait_until(lambda: window.runner.pending == 0)
            saved.append(_grab(window, outdir / f"{name}.png", inspect))

        dialog = window.import_bundles()
        dialog.show()
        dialog.places.set_folder(root / "new-stick")
        dialog.scan()
        wait_until(lambda: window.runner.pending == 0 and dialog.files.count() > 0)
        saved.append(_grab(dialog, outdir / "hub-import.png", inspect))
        dialog.import_selected()
        wait_until(lambda: window.runner.pending == 0 and getattr(dialog, "outcomes", None))
        saved.append(_grab(dialog, outdir / "hub-import-done.png", inspect))
        dialog.close()
        window.close()
    return saved


def _grab(widget: QWidget, path: Path, inspect: Inspector | None) -> Path:
    settle()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(path)):
        raise OSError(f"cannot write {path}")
    if inspect is not None:
        inspect(path.name, widget)
    return path


SIZES: tuple[tuple[int, int], ...] = ((1024, 600), (1366, 768))
THEMES: tuple[str, ...] = ("light", "dark")
SCALES: tuple[int, ...] = (100, 150)


def render_languages(outdir: Path, questionnaires_folder: Path | None = None) -> list[Path]:
    """The README set in each translated language, into `outdir/<lang>/` (the translated user
    guides show these pictures)."""
    from guidecheck.gui.shell.translation import install_language
    from guidecheck.i18n import SHIPPED_LANGUAGES

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    saved: list[Path] = []
    try:
        for lang in SHIPPED_LANGUAGES:
            if lang != "en":
                install_language(app, lang)
                saved += render_screens(outdir / lang, questionnaires_folder)
    finally:
        install_language(app, "en")
    return saved


def render_matrix(outdir: Path, questionnaires_folder: Path | None = None) -> list[Path]:
    """Every screen in each language at each size, palette and text size, into
    `outdir/<lang>-<w>x<h>-<theme>-<scale>/`: the pictures to look at for anything cut off,
    overlapping or unreadable (French and Portuguese words run longer than English ones)."""
    from guidecheck.gui.shell.settings import apply_text_scale
    from guidecheck.gui.shell.theme import PALETTES
    from guidecheck.gui.shell.translation import install_language
    from guidecheck.i18n import SHIPPED_LANGUAGES

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    original = app.palette()
    saved: list[Path] = []
    scratch = tempfile.TemporaryDirectory()
    hub = build_hub_template(Path(scratch.name) / "hub-sample", questionnaires_folder)
    try:
        for lang in SHIPPED_LANGUAGES:
            install_language(app, lang)
            for width, height in SIZES:
                for theme in THEMES:
                    for scale in SCALES:
                        app.setPalette(PALETTES[theme]())
                        apply_text_scale(app, scale)
                        folder = outdir / f"{lang}-{width}x{height}-{theme}-{scale}"
                        saved += render_screens(folder, questionnaires_folder, size=(width, height))
                        saved += render_hub_screens(
                            folder, questionnaires_folder, size=(width, height), template=hub
                        )
    finally:
        scratch.cleanup()
        app.setPalette(original)
        apply_text_scale(app, 100)
        install_language(app, "en")
    return saved


def main(argv: list[str] | None = None) -> int:
    """`screenshots README_DIR [MATRIX_DIR]`: the README set (1366×768, light, 100%) in English,
    then in each translated language (README_DIR/<lang>/), then, with a second folder, every
    language × size × palette × text size."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (1, 2):
        print("usage: python -m guidecheck.gui.screenshots OUTDIR [MATRIX_OUTDIR]", file=sys.stderr)
        return 2
    from guidecheck.bundles.key_protection import throwaway_keys

    app = QApplication.instance() or QApplication(["guidecheck-screenshots"])
    app.setStyle("Fusion")  # the same look everywhere, and Fusion follows dark palettes
    # The sample clinics and hub live in temporary folders: their keys are sealed with a random
    # passphrase held in memory, so no passphrase box waits for an answer nobody gives.
    with throwaway_keys():
        for path in render_screens(Path(args[0])):
            print(path)
        for path in render_languages(Path(args[0])):
            print(path)
        if len(args) == 2:
            print(f"{len(render_matrix(Path(args[1])))} pictures in {args[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
