"""The one place where answer widgets are wired to the store (CONTRIBUTING.md, Patterns).

`AnswerBinder.bind(card)` connects a question card's change signals to `store.save_answer`, run
on the database worker in order, so every answer is saved the moment it is given. The binder keeps
the answers in memory too, so skip logic and progress update at once without a database read.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from guidecheck.checklist.model import Answer
from guidecheck.gui.assessment.question_card import QuestionCard
from guidecheck.gui.shell.tasks import TaskContext, TaskRunner


class AnswerBinder(QObject):
    answer_changed = Signal(str)  # item id; in-memory answers already updated
    saving_changed = Signal(bool)  # True while writes are queued
    saved = Signal(str)  # item id, once its write is committed
    save_failed = Signal(object)  # the error; the in-memory answer is rolled back

    def __init__(
        self,
        runner: TaskRunner,
        assessment_id: str,
        answers: dict[str, Answer],
        actor: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.assessment_id = assessment_id
        self.answers: dict[str, Answer] = dict(answers)
        self.actor = actor
        self.in_flight = 0
        self.read_only = False
        self.cards: dict[str, QuestionCard] = {}
        self.typing: set[str] = set()  # items whose note has typed text not yet handed over

    @property
    def saving(self) -> bool:
        """True while anything the person gave is not yet committed to the database."""
        return bool(self.in_flight or self.typing)

    def bind(self, card: QuestionCard) -> None:
        self.cards[card.item.id] = card
        card.show_answer(self.answers.get(card.item.id))
        card.value_committed.connect(self.save_value)
        card.note_committed.connect(self.save_note)
        card.note_pending.connect(self._note_pending)

    def _note_pending(self, item_id: str, pending: bool) -> None:
        was = self.saving
        if pending:
            self.typing.add(item_id)
        else:
            self.typing.discard(item_id)
        if self.saving != was:
            self.saving_changed.emit(self.saving)

    def save_value(self, item_id: str, value: Any) -> None:
        old = self.answers.get(item_id)
        note = old.note if old else ""
        self._save(item_id, value, note)

    def save_note(self, item_id: str, note: str) -> None:
        old = self.answers.get(item_id)
        if old is None or old.value is None:
            return  # the card only enables the note once there is an answer
        self._save(item_id, old.value, note)

    def _save(self, item_id: str, value: Any, note: str) -> None:
        if self.read_only:
            return
        previous = self.answers.get(item_id)
        self.answers[item_id] = Answer(item_id, value, note, answered_by=self.actor)
        self.answer_changed.emit(item_id)
        was = self.saving
        self.in_flight += 1
        if not was:
            self.saving_changed.emit(True)
        assessment_id, actor = self.assessment_id, self.actor

        def work(context: TaskContext) -> None:
            context.store.save_answer(assessment_id, item_id, value, note, actor)

        def failed(error: BaseException) -> None:
            # Put the screen back to what the database holds, then say why.
            if previous is None:
                self.answers.pop(item_id, None)
            else:
                self.answers[item_id] = previous
            card = self.cards.get(item_id)
            if card is not None:
                card.show_answer(previous)
            self.answer_changed.emit(item_id)
            self.save_failed.emit(error)

        self.runner.task(work).success(lambda _r: self.saved.emit(item_id)).failure(
            failed
        ).finished(self._done).run()

    def _done(self) -> None:
        self.in_flight -= 1
        if not self.saving:
            self.saving_changed.emit(False)

    def flush(self) -> None:
        """Commit any text still waiting for its typing pause."""
        for card in self.cards.values():
            card.flush()
