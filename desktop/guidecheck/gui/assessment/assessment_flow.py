"""The assessment flow of the main window: new assessment, walk-through, review, sign-off,
result and revision. A mixin of MainWindow, kept apart so each module stays small; every
database call goes through the window's task runner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guidecheck.errors import UserError
from guidecheck.gui.shell.tasks import TaskContext

if TYPE_CHECKING:
    from guidecheck.checklist.model import Assessment, Questionnaire, SignOff


class AssessmentFlow:
    """Methods MainWindow gets for one assessment's life; `self` is the MainWindow."""

    runner: Any
    new_screen: Any
    walkthrough: Any
    review: Any
    finalize_screen: Any
    summary: Any
    binder: Any
    questionnaire: Any
    assessment: Any
    questionnaires_folder: Any
    home_dir: Any
    save_indicator: Any
    assessment_opened: Any

    # -- new assessment ------------------------------------------------------------------------------
    def start_new(self) -> None:
        self._leave_assessment()
        self.new_screen.reset()
        self.show_screen(self.new_screen)

        folder = self.questionnaires_folder
        home = self.home_dir

        def work(context: TaskContext) -> tuple[Any, list[Any], list[Any], list[Any]]:
            from guidecheck.bundles.key_facilities import installed_key_facilities
            from guidecheck.storage.catalog import available_questionnaires

            return (
                available_questionnaires(home, folder),  # shipped, then the person's own
                context.store.facilities(),
                context.store.tools(),
                installed_key_facilities(home),
            )

        def loaded(result: tuple[Any, list[Any], list[Any], list[Any]]) -> None:
            report, facilities, tools, district_facilities = result
            self.new_screen.set_questionnaires(
                report.questionnaires, [str(e) for e in report.errors], report.added
            )
            self.new_screen.set_known(facilities, tools, district_facilities)

        self.runner.task(work).success(loaded).failure(self._failed).run()

    def create_assessment(self, questionnaire: Questionnaire, profile: Any) -> None:
        self.set_busy(self.tr("Creating the assessment…"))

        def failed(error: BaseException) -> None:
            self.set_busy("")
            if isinstance(error, UserError):
                self.new_screen.show_problem(str(error))
            else:
                self.show_error(error)

        self.runner.task(
            lambda c: c.store.new_assessment(questionnaire, profile, profile.assessor_name)
        ).success(lambda assessment: self.open_assessment(assessment.id)).failure(failed).run()

    # -- an assessment -------------------------------------------------------------------------------
    def open_assessment(self, assessment_id: str, screen: str = "") -> None:
        """Load one assessment in the worker, then show the walk-through (draft) or result (final)."""
        self._leave_assessment()
        self.set_busy(self.tr("Opening the assessment…"))

        def work(context: TaskContext) -> tuple[Questionnaire, Assessment, dict[str, Any], Any]:
            from guidecheck.monitoring.since import since_last_assessment

            store = context.store
            assessment = store.get_assessment(assessment_id)
            log = since_last_assessment(store.conn, assessment)
            return (
                store.questionnaire_for(assessment),
                assessment,
                store.answers(assessment_id),
                log,
            )

        def loaded(result: tuple[Questionnaire, Assessment, dict[str, Any], Any]) -> None:
            from guidecheck.monitoring.since import monitoring_domain_id

            self.set_busy("")
            questionnaire, assessment, answers, log = result
            self.questionnaire, self.assessment = questionnaire, assessment
            if self.binder is not None:
                self.binder.deleteLater()
            from guidecheck.gui.assessment.binding import AnswerBinder

            self.binder = AnswerBinder(
                self.runner, assessment.id, answers, assessment.profile.assessor_name, self
            )
            self.binder.read_only = assessment.is_final
            self.binder.saving_changed.connect(self.set_saving)
            self.binder.save_failed.connect(self.show_error)
            self.walkthrough.open(questionnaire, assessment, self.binder)
            self.walkthrough.set_monitoring(log, monitoring_domain_id(questionnaire))
            if assessment.is_final and screen != "walkthrough":
                self.show_summary()
            else:
                self.show_screen(self.walkthrough)
                self.walkthrough.focus_first_question()
                self.save_indicator.setText(
                    self.tr("🔒 Final: read-only")
                    if assessment.is_final
                    else self.tr("✔ All changes saved")
                )
            self.assessment_opened.emit(assessment.id)

        self.runner.task(work).success(loaded).failure(self._failed).run()

    def _remember_domain(self, domain_id: str) -> None:
        assessment = self.assessment
        if assessment is None or assessment.is_final:
            return
        assessment_id = assessment.id
        self.runner.run(
            lambda c: c.store.set_current_domain(assessment_id, domain_id), failure=self.show_error
        )

    def current_result(self) -> Any:
        from guidecheck.checklist import scoring

        assert (
            self.questionnaire is not None
            and self.assessment is not None
            and self.binder is not None
        )
        return scoring.score(self.questionnaire, self.assessment.profile, self.binder.answers)

    def show_review(self) -> None:
        if self.assessment is None or self.questionnaire is None:
            return
        if self.binder is not None:
            self.binder.flush()
        self.review.set_data(self.questionnaire, self.assessment, self.current_result())
        self.show_screen(self.review)
        self.review.tree.setFocus()

    def jump_to_item(self, item_id: str) -> None:
        self.show_screen(self.walkthrough)
        self.walkthrough.show_item(item_id)

    def jump_to_domain(self, domain_id: str) -> None:
        self.show_screen(self.walkthrough)
        self.walkthrough.show_domain(domain_id)
        self.walkthrough.focus_first_question()

    def show_finalize(self) -> None:
        if self.assessment is None:
            return
        self.finalize_screen.set_assessment(self.assessment, self.current_result())
        self.show_screen(self.finalize_screen)
        self.finalize_screen.head_name.setFocus()

    def sign(self, sign_off: SignOff) -> None:
        if self.assessment is None:
            return
        assessment_id = self.assessment.id
        self.set_busy(self.tr("Signing…"))

        def failed(error: BaseException) -> None:
            self.set_busy("")
            if isinstance(error, UserError):
                self.finalize_screen.show_problem(str(error))
            else:
                self.show_error(error)

        # Wait for queued answers: the worker runs tasks in order, so finalize sees them all.
        self.runner.task(
            lambda c: c.store.finalize(assessment_id, sign_off, sign_off.assessor_name)
        ).success(lambda _a: self.open_assessment(assessment_id)).failure(failed).run()

    def show_summary(self) -> None:
        if self.assessment is None or self.questionnaire is None:
            return
        result = self.current_result()
        questionnaire = self.questionnaire
        summary = self.summary
        summary.set_data(questionnaire, self.assessment, result)
        self.show_screen(summary)
        # The sign button that had the keyboard is gone: give it to the next step, saving the
        # report (nothing had focus before, so Tab and Enter did nothing for a keyboard user).
        summary.report_button.setFocus()

        request = summary.chart_request()
        if request is None:
            return

        def work(_context: TaskContext) -> str:
            from guidecheck.gui.assessment.summary import build_chart_svg

            return build_chart_svg(request)

        self.runner.task(work).success(summary.set_chart_svg).failure(self._failed).run()

    def revise(self, assessment_id: str) -> None:
        self._leave_assessment()
        self.set_busy(self.tr("Making a new revision…"))
        self.runner.task(lambda c: c.store.revise(assessment_id, "")).success(
            lambda assessment: self.open_assessment(assessment.id, "walkthrough")
        ).failure(self._failed).run()
