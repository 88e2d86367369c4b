"""The main window: one stack of screens, the menus, and the status bar's save indicator.

It moves between screens and hands every database call to the task runner; the screens never
touch the store. Report and export actions live in actions.py, loaded on first use.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QRect, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QIcon, QKeySequence, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QProgressBar, QStackedWidget, QWidget

from guidecheck.gui.assessment.assessment_flow import AssessmentFlow
from guidecheck.gui.assessment.home import HomeScreen
from guidecheck.gui.shell import crash
from guidecheck.gui.shell.fonts import refresh_scaled_fonts
from guidecheck.gui.shell.settings import AppSettings
from guidecheck.gui.shell.tasks import TaskContext, TaskRunner
from guidecheck.paths import asset_path, database_path

if TYPE_CHECKING:  # the other screens and the core load on first use, after the window is up
    from guidecheck.checklist.model import Assessment, Questionnaire
    from guidecheck.gui.assessment.binding import AnswerBinder
    from guidecheck.gui.assessment.finalize import FinalizeScreen
    from guidecheck.gui.assessment.new_assessment import NewAssessmentScreen
    from guidecheck.gui.assessment.review import ReviewScreen
    from guidecheck.gui.assessment.summary import SummaryScreen
    from guidecheck.gui.assessment.walkthrough import WalkthroughScreen
    from guidecheck.gui.shell.actions import ReportActions

WINDOW_SIZE = (1366, 768)  # the largest first size; a smaller screen gets 95% of its free area

# A chosen answer must stand out without relying on colour alone: it is also bold and its text
# gains a check mark (editors.py). Fill and text are set as a pair (theme.py), so the contrast
# holds on light, dark and high-contrast palettes; the card takes the palette's own colours.
STYLE_SHEET = """
QPushButton[answerButton="true"] {{ padding: 6px 10px; }}
QPushButton[answerButton="true"]:checked {{
    background: {chosen_bg}; color: {chosen_fg}; font-weight: bold;
    border: 2px solid palette(window-text); border-radius: 4px;
}}
QPushButton[answerButton="true"]:checked:disabled {{
    background: {chosen_off_bg}; color: {chosen_off_fg};
}}
QPushButton[answerButton="true"]:focus {{ border: 2px solid {focus}; }}
QFrame#questionCard {{
    background: palette(base); color: palette(text); border: 1px solid palette(mid);
    border-radius: 6px;
}}
"""


def export_unavailable_reason() -> str:
    """Empty when the district export dialog can be loaded; else why the action is off."""
    if importlib.util.find_spec("guidecheck.gui.sync.bundle_dialogs") is None:
        return QMainWindow.tr("Export for district is not available in this version yet.")
    return ""


class MainWindow(AssessmentFlow, QMainWindow):
    assessment_opened = Signal(str)  # assessment id, once its screen is shown
    home_loaded = Signal(int)  # number of rows
    screen_changed = Signal(str)
    retranslated = Signal()  # after a language switch, for widgets added from outside (app.py)

    def __init__(
        self, home: Path, questionnaires_folder: Path | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.home_dir = home
        self.questionnaires_folder = questionnaires_folder
        self.settings = AppSettings(home)
        self.runner = TaskRunner(lambda: _open_store(home), unhandled=self.show_error, parent=self)
        self.questionnaire: Questionnaire | None = None
        self.assessment: Assessment | None = None
        self.binder: AnswerBinder | None = None
        self._summary: SummaryScreen | None = None
        self._new_screen: NewAssessmentScreen | None = None
        self._walkthrough: WalkthroughScreen | None = None
        self._review: ReviewScreen | None = None
        self._finalize: FinalizeScreen | None = None
        self._actions: ReportActions | None = None
        self._monitoring: Any = None
        self._district: QWidget | None = None
        self._guide: Any = None
        self._first_show = True
        self.setWindowTitle(self.tr("GuideCheck — WHO guidance on AI in health care"))
        # PNG, not SVG: reading it needs no image plugin, which keeps start-up quick.
        self.setWindowIcon(QIcon(str(asset_path("guidecheck.png"))))
        self.fit_to_screen()

        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        self.home = HomeScreen(self)
        self.stack.addWidget(self.home)
        self._build_menus()
        self._build_status_bar()
        self._connect()
        reason = export_unavailable_reason()
        self.home.set_export_available(not reason, reason)
        self.home.show_loading()

    def fit_to_screen(self) -> None:
        """Open at the last size when it fits this screen, else at most the free screen area.

        `restoreGeometry` refuses a geometry saved on another screen size (it returns False and
        leaves a tiny window), so its result is checked; either way the window is then clamped
        into the screen's available area (taskbar excluded)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else QRect(0, 0, *WINDOW_SIZE)
        saved = self.settings.window_geometry
        restored = bool(saved) and self.restoreGeometry(saved)
        if not restored or self.width() < 400 or self.height() < 300:
            self.resize(
                min(WINDOW_SIZE[0], int(area.width() * 0.95)),
                min(WINDOW_SIZE[1], int(area.height() * 0.95)),
            )
            self.move(
                area.left() + (area.width() - self.width()) // 2,
                area.top() + (area.height() - self.height()) // 2,
            )
        self.clamp_to_screen()

    def clamp_to_screen(self) -> None:
        """Shrink and move the window so all of it lies in the screen's available area."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        frame = self.frameGeometry()
        extra_w = max(0, frame.width() - self.width())
        extra_h = max(0, frame.height() - self.height())
        width = min(self.width(), area.width() - extra_w)
        height = min(self.height(), area.height() - extra_h)
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        frame = self.frameGeometry()
        left = min(max(frame.left(), area.left()), area.right() - frame.width() + 1)
        top = min(max(frame.top(), area.top()), area.bottom() - frame.height() + 1)
        if (left, top) != (frame.left(), frame.top()):
            self.move(left, top)

    def changeEvent(self, event: QEvent) -> None:
        # Dark mode switched on or off while running: palette() in style sheets is resolved when
        # a sheet is set, so set the themed ones again.
        if event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange):
            from guidecheck.gui.shell.theme import restyle  # the first frame sets no colours

            restyle(self)
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        # The list is read after the window is up: opening the database (and importing the store)
        # happens in the worker while the person already sees the window and a "loading" line.
        super().showEvent(event)
        if self._first_show:
            self._first_show = False
            self.clamp_to_screen()
            QTimer.singleShot(0, self.show_home)
            QTimer.singleShot(0, crash.finish_setup)
            QTimer.singleShot(0, self._check_district_hub)

    def _check_district_hub(self) -> None:
        home = self.home_dir

        def work(_context: TaskContext) -> bool:
            # only whether a district key is installed: the hub's screens load when opened
            from guidecheck.bundles.keys import is_district_hub

            return is_district_hub(home)

        self.runner.task(work).success(self._on_district_checked).failure(self.show_error).run()

    def refresh_district_mode(self) -> None:
        """After this computer became the district hub (Settings): show the District menu."""
        self._check_district_hub()

    def _on_district_checked(self, is_hub: bool) -> None:
        """A district hub opens in district mode: the overview first, the home list one click away."""
        self.district_menu.menuAction().setVisible(is_hub)
        if is_hub and self.stack.currentWidget() is self.home:
            self.open_district_overview()

    def open_district_overview(self) -> None:
        """The district hub screen (district_view.py, by the district engineer) in this window."""
        if self._district is None:
            from guidecheck.gui.hub.district_view import open_district_view

            self._district = open_district_view(self, self.home_dir, self.runner)
            self._add_screen(self._district)
        self._leave_assessment()
        self.show_screen(self._district)

    def import_bundles(self) -> Any:
        from guidecheck.gui.sync.bundle_dialogs import open_import_dialog

        dialog = open_import_dialog(self, self.home_dir, self.runner)
        # The hub's figures follow at once: no "Reload" needed after an import.
        dialog.import_finished.connect(self._reload_district)
        return dialog

    def _reload_district(self, *_outcomes: object) -> None:
        if self._district is not None and hasattr(self._district, "reload"):
            self._district.reload()

    def import_xlsform(self) -> None:
        from guidecheck.gui.sync.interop_dialogs import open_xlsform_import_dialog

        open_xlsform_import_dialog(self, self.runner)

    def export_national(self) -> None:
        from guidecheck.gui.sync.interop_dialogs import open_national_export_dialog

        open_national_export_dialog(self, self.runner)

    # -- building ----------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.new_action = QAction(self.tr("&New assessment"), self)
        self.new_action.setShortcut(QKeySequence("Ctrl+N"))  # Qt shows Cmd+N on macOS
        self.new_action.triggered.connect(self.start_new)
        self.home_action = QAction(self.tr("&Home"), self)
        self.home_action.setShortcut(QKeySequence("Ctrl+H"))
        self.home_action.triggered.connect(self.show_home)
        self.settings_action = QAction(self.tr("&Settings…"), self)
        self.settings_action.triggered.connect(self.open_settings)
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        self.log_action = QAction(self.tr("&Log an observation…"), self)
        self.log_action.setShortcut(QKeySequence("Ctrl+L"))
        self.log_action.triggered.connect(self.log_observation)
        self.tally_action = QAction(self.tr("Monthly &counts for a tool…"), self)
        self.tally_action.triggered.connect(self.record_tally)
        self.xlsform_action = QAction(self.tr("Import checklist from &Excel…"), self)
        self.xlsform_action.triggered.connect(self.import_xlsform)
        for action in (
            self.new_action,
            self.home_action,
            self.log_action,
            self.tally_action,
            self.settings_action,
            self.xlsform_action,
        ):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        # Shown only on a district hub (checked in the background after start-up).
        self.district_menu = self.menuBar().addMenu(self.tr("&District"))
        self.district_menu.menuAction().setVisible(False)
        overview_action = QAction(self.tr("District &overview"), self)
        overview_action.triggered.connect(self.open_district_overview)
        import_action = QAction(self.tr("&Import bundles…"), self)
        import_action.triggered.connect(self.import_bundles)
        self.national_action = QAction(self.tr("Export for &national systems…"), self)
        self.national_action.triggered.connect(self.export_national)
        self.district_menu.addAction(overview_action)
        self.district_menu.addAction(import_action)
        self.district_menu.addAction(self.national_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.guide_action = QAction(self.tr("&User guide"), self)
        self.guide_action.setShortcut(QKeySequence("F1"))
        self.guide_action.triggered.connect(lambda: self.open_guide())
        help_menu.addAction(self.guide_action)
        about_action = QAction(self.tr("&About GuideCheck"), self)
        about_action.triggered.connect(self.open_about)
        help_menu.addAction(about_action)

    def _build_status_bar(self) -> None:
        self.save_indicator = QLabel(self)
        self.save_indicator.setAccessibleName(self.tr("Save status"))
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(160)
        self.busy.setVisible(False)
        self.busy_label = QLabel(self)
        # Each screen's help line: a link to its part of the user guide (F1 does the same).
        self.help_link = QLabel(self)
        self.help_link.linkActivated.connect(lambda _link: self.open_guide())
        self.statusBar().addWidget(self.help_link)
        self.statusBar().addWidget(self.busy_label, 1)
        self.statusBar().addPermanentWidget(self.busy)
        self.statusBar().addPermanentWidget(self.save_indicator)

    def _connect(self) -> None:
        self.home.new_requested.connect(self.start_new)
        self.home.continue_requested.connect(self.open_assessment)
        self.home.resume_requested.connect(self.open_assessment)
        self.home.report_requested.connect(self.save_report)
        self.home.export_requested.connect(self.export_for_district)
        self.home.revise_requested.connect(self.revise)
        self.home.log_requested.connect(self.log_observation)

    # -- screens, each built on first use ----------------------------------------------------------
    def _add_screen(self, screen: QWidget) -> None:
        self.stack.addWidget(screen)
        refresh_scaled_fonts(screen)

    @property
    def new_screen(self) -> NewAssessmentScreen:
        if self._new_screen is None:
            from guidecheck.gui.assessment.new_assessment import NewAssessmentScreen

            self._new_screen = screen = NewAssessmentScreen(self)
            self._add_screen(screen)
            screen.cancelled.connect(self.show_home)
            screen.start_requested.connect(self.create_assessment)
        return self._new_screen

    @property
    def walkthrough(self) -> WalkthroughScreen:
        if self._walkthrough is None:
            from guidecheck.gui.assessment.walkthrough import WalkthroughScreen
            from guidecheck.gui.shell.theme import themed

            self._walkthrough = screen = WalkthroughScreen(self)
            themed(screen, STYLE_SHEET)  # only here: a window-wide style sheet slows every widget
            self._add_screen(screen)
            screen.home_requested.connect(self.show_home)
            screen.review_requested.connect(self.show_review)
            screen.domain_changed.connect(self._remember_domain)
        return self._walkthrough

    @property
    def review(self) -> ReviewScreen:
        if self._review is None:
            from guidecheck.gui.assessment.review import ReviewScreen

            self._review = screen = ReviewScreen(self)
            self._add_screen(screen)
            screen.item_requested.connect(self.jump_to_item)
            screen.domain_requested.connect(self.jump_to_domain)
            screen.back_requested.connect(lambda: self.show_screen(self.walkthrough))
            screen.home_requested.connect(self.show_home)
            screen.finalize_requested.connect(self.show_finalize)
        return self._review

    @property
    def finalize_screen(self) -> FinalizeScreen:
        if self._finalize is None:
            from guidecheck.gui.assessment.finalize import FinalizeScreen

            self._finalize = screen = FinalizeScreen(self)
            self._add_screen(screen)
            screen.back_requested.connect(self.show_review)
            screen.sign_requested.connect(self.sign)
        return self._finalize

    # -- helpers -------------------------------------------------------------------------------------
    def show_screen(self, screen: QWidget) -> None:
        self.stack.setCurrentWidget(screen)
        self._update_help_link()
        self.screen_changed.emit(type(screen).__name__)

    def _update_help_link(self) -> None:
        from guidecheck.gui.help.parts import part_title

        title = part_title(type(self.stack.currentWidget()).__name__)
        self.help_link.setText(
            self.tr('Help: <a href="guide">{part}</a> (F1)').format(
                part=title or self.tr("user guide")
            )
        )

    def open_guide(self, screen: str = "") -> Any:
        """Help › User guide (F1): the offline guide, at the part for the current screen."""
        from guidecheck.gui.help.guide import GuideWindow, part_title

        if self._guide is None:
            self._guide = GuideWindow(self)
        self._guide.show()
        self._guide.raise_()
        self._guide.show_part(part_title(screen or type(self.stack.currentWidget()).__name__))
        return self._guide

    def show_error(self, error: BaseException) -> None:
        crash.show_error(self, error)

    def set_busy(self, text: str, block: bool = True) -> None:
        """Show a running step; with `block` the screens take no clicks meanwhile (no double
        sign-off, no second assessment from a double click)."""
        self.busy_label.setText(text)
        self.busy.setVisible(bool(text))
        self.stack.setEnabled(not (text and block))

    def set_saving(self, saving: bool) -> None:
        self.save_indicator.setText(
            self.tr("Saving…") if saving else self.tr("✔ All changes saved")
        )

    @property
    def summary(self) -> SummaryScreen:
        """The result screen, built on first use (it loads QtSvg)."""
        if self._summary is None:
            from guidecheck.gui.assessment.summary import SummaryScreen

            self._summary = SummaryScreen(self)
            self._add_screen(self._summary)
            self._summary.home_requested.connect(self.show_home)
            self._summary.report_requested.connect(self.save_report)
            self._summary.export_requested.connect(self.export_for_district)
            self._summary.revise_requested.connect(self.revise)
            self._summary.answers_requested.connect(lambda _id: self.show_screen(self.walkthrough))
            reason = export_unavailable_reason()
            self._summary.set_export_available(not reason, reason)
        return self._summary

    @property
    def actions_helper(self) -> ReportActions:
        if self._actions is None:
            from guidecheck.gui.shell.actions import ReportActions

            self._actions = ReportActions(self)
        return self._actions

    # -- home ----------------------------------------------------------------------------------------
    def show_home(self, select_id: str | None = None) -> None:
        self._leave_assessment()
        self.show_screen(self.home)
        self.home.show_loading()
        self.set_busy(self.tr("Opening the list of assessments…"), block=False)

        # Coming back from an assessment selects it, so Open report / Revise apply to it at once.
        chosen = (
            select_id
            if isinstance(select_id, str)
            else (self.assessment.id if self.assessment else None)
        )

        def loaded(rows: list[Any]) -> None:
            self.set_busy("")
            self.home.set_rows(rows, chosen)
            self.home_loaded.emit(len(rows))

        self.runner.task(lambda c: c.store.list_assessments()).success(loaded).failure(
            self._failed
        ).run()

    def _failed(self, error: BaseException) -> None:
        self.set_busy("")
        self.show_error(error)

    def _leave_assessment(self) -> None:
        if self.binder is not None:
            self.binder.flush()
        self.save_indicator.clear()

    # -- reports, export, settings, about --------------------------------------------------------------
    def save_report(self, assessment_id: str) -> None:
        self.actions_helper.save_report(assessment_id)

    def export_for_district(self, assessment_id: str) -> None:
        self.actions_helper.export_for_district(assessment_id)

    @property
    def monitoring_actions(self) -> Any:
        if self._monitoring is None:
            from guidecheck.gui.assessment.monitoring_form import MonitoringActions

            self._monitoring = MonitoringActions(self)
        return self._monitoring

    def log_observation(self) -> None:
        self.monitoring_actions.log_observation()

    def record_tally(self) -> None:
        self.monitoring_actions.record_tally()

    def open_settings(self) -> None:
        from guidecheck.gui.shell.dialogs import SettingsDialog

        dialog = SettingsDialog(self)
        dialog.exec()

    def retranslate(self) -> None:
        """Show everything in the language just installed (translation.switch_language): the menus
        and every screen are rebuilt, then the person is put back where they were."""
        where = self.stack.currentWidget()
        in_assessment = where is not None and where is not self.home and where is not self._district
        on_summary = where is not None and where is self._summary
        if self.binder is not None:
            self.binder.flush()
        for name in (
            "_summary",
            "_new_screen",
            "_walkthrough",
            "_review",
            "_finalize",
            "_district",
        ):
            screen = getattr(self, name)
            if screen is not None:
                self.stack.removeWidget(screen)
                screen.deleteLater()
                setattr(self, name, None)
        if self._guide is not None:  # the guide opens again in the new language
            self._guide.close()
            self._guide.deleteLater()
            self._guide = None
        old_home = self.home
        self.home = HomeScreen(self)
        self.stack.insertWidget(0, self.home)
        self.stack.removeWidget(old_home)
        old_home.deleteLater()
        refresh_scaled_fonts(self.home)
        self._connect()
        reason = export_unavailable_reason()
        self.home.set_export_available(not reason, reason)
        hub = self.district_menu.menuAction().isVisible()
        self.menuBar().clear()
        self._build_menus()
        self.district_menu.menuAction().setVisible(hub)
        self.setWindowTitle(self.tr("GuideCheck — WHO guidance on AI in health care"))
        self.save_indicator.setAccessibleName(self.tr("Save status"))
        if in_assessment and self.assessment is not None:
            self.open_assessment(self.assessment.id, "" if on_summary else "walkthrough")
        elif where is not None and where is not old_home and hub:
            self.open_district_overview()
        else:
            self.show_home()
        self.retranslated.emit()

    def open_about(self) -> None:
        from guidecheck.gui.shell.dialogs import AboutDialog

        AboutDialog(self).exec()

    # -- closing ----------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        """Save text still waiting for its typing pause, finish queued writes, close the database."""
        if self.binder is not None:
            self.binder.flush()
        self.settings.window_geometry = self.saveGeometry()
        self.runner.shutdown()
        event.accept()


def _open_store(home: Path) -> Any:
    from guidecheck.storage.store import Store

    return Store(database_path(home))


__all__ = ["MainWindow"]
