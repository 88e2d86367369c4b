"""The walk-through: one page per domain, a side list with per-domain progress, Back/Next.

Skip logic runs live: after every answer the shown items, the side list and the progress bar are
recomputed from the in-memory answers with the pure `scoring.score` function.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from guidecheck.checklist import scoring
from guidecheck.checklist.model import Assessment, Domain, Questionnaire, ScoreResult
from guidecheck.gui.assessment.binding import AnswerBinder
from guidecheck.gui.assessment.question_card import QuestionCard
from guidecheck.gui.shell.labels import set_scaled_font
from guidecheck.gui.shell.theme import themed


class DomainPage(QScrollArea):
    """A scrollable column of question cards; wraps text so nothing scrolls sideways.

    The cards are built the first time the page is shown (`build`): a 90-question checklist
    then opens in a few tens of milliseconds instead of freezing the window for a third of a
    second while every page is made."""

    def __init__(self, domain: Domain, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.domain = domain
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.cards: list[QuestionCard] = []
        self.built = False

    def build(self) -> list[QuestionCard]:
        if self.built:
            return []
        self.built = True
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.setContentsMargins(4, 4, 12, 4)
        column.setSpacing(10)
        for number, item in enumerate(self.domain.items, start=1):
            card = QuestionCard(item, number, body)
            self.cards.append(card)
            column.addWidget(card)
        column.addStretch(1)
        self.setWidget(body)
        return self.cards


class WalkthroughScreen(QWidget):
    review_requested = Signal()
    home_requested = Signal()
    domain_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.questionnaire: Questionnaire | None = None
        self.assessment: Assessment | None = None
        self.binder: AnswerBinder | None = None
        self.pages: dict[str, DomainPage] = {}
        self.cards: dict[str, QuestionCard] = {}
        self.result: ScoreResult | None = None
        self.shown_domains: list[str] = []

        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        header = QHBoxLayout()
        self.title = QLabel(self)
        set_scaled_font(self.title, 1.25, bold=True)
        self.title.setWordWrap(True)
        header.addWidget(self.title, 1)
        self.progress = QProgressBar(self)
        self.progress.setMinimumWidth(200)
        self.progress.setTextVisible(True)
        header.addWidget(self.progress)
        outer.addLayout(header)

        body = QHBoxLayout()
        self.domain_list = QListWidget(self)
        self.domain_list.setMinimumWidth(150)  # a quarter of the width: wraps, never scrolls
        self.domain_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.domain_list.setWordWrap(True)
        self.domain_list.setAccessibleName(self.tr("Domains"))
        self.domain_list.currentRowChanged.connect(self._on_row_changed)
        body.addWidget(self.domain_list, 1)

        right = QVBoxLayout()
        self.domain_title = QLabel(self)
        set_scaled_font(self.domain_title, 1.15, bold=True)
        self.domain_title.setWordWrap(True)
        self.domain_info = QLabel(self)
        self.domain_info.setWordWrap(True)
        right.addWidget(self.domain_title)
        right.addWidget(self.domain_info)
        self.read_only_note = QLabel(
            self.tr(
                "🔒 This assessment is final and cannot be changed. "
                "Use “Revise” on the home screen to make a new revision."
            ),
            self,
        )
        self.read_only_note.setWordWrap(True)
        themed(
            self.read_only_note,
            "background:{warning_bg}; color:{warning_fg}; padding:6px; border-radius:4px;",
        )
        right.addWidget(self.read_only_note)
        self.stack = QStackedWidget(self)
        right.addWidget(self.stack, 1)
        self.hint = QLabel(
            self.tr(
                "Keys: 1 Yes · 2 Partly · 3 No · 4 Don't know · 5 Not applicable "
                "(or Alt+Y/P/N/D/A) · Ctrl+→ next page · Ctrl+← previous page"
            ),
            self,
        )
        self.hint.setWordWrap(True)
        right.addWidget(self.hint)
        nav = QHBoxLayout()
        self.home_button = QPushButton(self.tr("H&ome"), self)
        self.back_button = QPushButton(self.tr("← &Back"), self)
        self.next_button = QPushButton(self.tr("Ne&xt →"), self)
        self.review_button = QPushButton(self.tr("&Review answers"), self)
        self.next_button.setDefault(False)
        nav.addWidget(self.home_button)
        nav.addStretch(1)
        nav.addWidget(self.back_button)
        nav.addWidget(self.next_button)
        nav.addWidget(self.review_button)
        right.addLayout(nav)
        body.addLayout(right, 3)
        outer.addLayout(body, 1)

        self.home_button.clicked.connect(self.home_requested)
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.review_button.clicked.connect(self.request_review)
        for keys, slot in (
            (("Ctrl+Right", "Ctrl+PgDown"), self.go_next),
            (("Ctrl+Left", "Ctrl+PgUp"), self.go_back),
        ):
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)

    # -- opening --------------------------------------------------------------------------------
    def open(
        self, questionnaire: Questionnaire, assessment: Assessment, binder: AnswerBinder
    ) -> None:
        self.questionnaire = questionnaire
        self.assessment = assessment
        self.binder = binder
        while self.stack.count():
            page = self.stack.widget(0)
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()
        self.cards.clear()
        self.domain_list.blockSignals(True)
        self.domain_list.clear()
        for domain in questionnaire.domains:
            page = DomainPage(domain, self.stack)
            self.pages[domain.id] = page
            self.stack.addWidget(page)
            row = QListWidgetItem(domain.title.en)
            row.setData(Qt.ItemDataRole.UserRole, domain.id)
            self.domain_list.addItem(row)
        self.domain_list.blockSignals(False)
        binder.answer_changed.connect(self.refresh)
        profile = assessment.profile
        self.title.setText(f"{profile.facility_name} — {profile.tool_name}")
        self.read_only_note.setVisible(assessment.is_final)
        self.refresh()
        start = assessment.current_domain if assessment.current_domain in self.shown_domains else ""
        self.show_domain(start or (self.shown_domains[0] if self.shown_domains else ""))

    def _build_page(self, page: DomainPage) -> None:
        """Make a page's cards, bind them to the answers, and apply skip logic to them."""
        assert self.binder is not None and self.assessment is not None
        new_cards = page.build()
        for card in new_cards:
            self.cards[card.item.id] = card
            self.binder.bind(card)
            card.set_read_only(self.assessment.is_final)
            card.answered_by_key.connect(self._focus_next_question)
            card.answered_by_click.connect(self._focus_note_if_needed)
        if new_cards and self.result is not None:
            visible = set(self.result.visible_items)
            for card in new_cards:
                card.setVisible(card.item.id in visible)
            self._number_cards()

    def _number_cards(self) -> None:
        """Number the shown questions per part (2.3 = part 2, third shown question), so numbers
        never jump over hidden questions; the PDF report numbers them the same way."""
        visible = set(self.result.visible_items) if self.result else set()
        for domain_id, page in self.pages.items():
            if not page.built:
                continue
            part = self.shown_domains.index(domain_id) + 1 if domain_id in self.shown_domains else 0
            shown = [card for card in page.cards if card.item.id in visible]
            for number, card in enumerate(shown, start=1):
                card.set_number(f"{part}.{number}")

    def card_for(self, item_id: str) -> QuestionCard | None:
        """The card of a question, building its page if it was not shown yet."""
        if item_id not in self.cards and self.questionnaire is not None:
            item = self.questionnaire.item(item_id)
            if item is not None and item.domain_id in self.pages:
                self._build_page(self.pages[item.domain_id])
        return self.cards.get(item_id)

    # -- live state -----------------------------------------------------------------------------
    def refresh(self, _item_id: str = "") -> None:
        """Re-run skip logic and progress from the in-memory answers."""
        if self.questionnaire is None or self.assessment is None or self.binder is None:
            return
        result = scoring.score(self.questionnaire, self.assessment.profile, self.binder.answers)
        self.result = result
        visible = set(result.visible_items)
        for item_id, card in self.cards.items():
            card.setVisible(item_id in visible)
        self.shown_domains = []
        for row in range(self.domain_list.count()):
            entry = self.domain_list.item(row)
            domain_id = entry.data(Qt.ItemDataRole.UserRole)
            done, total = result.domain_progress.get(domain_id, (0, 0))
            domain = self.questionnaire.domain(domain_id)
            entry.setHidden(total == 0)
            if total:
                self.shown_domains.append(domain_id)
            mark = "✔ " if total and done == total else ""
            title = domain.title.en if domain else domain_id
            entry.setText(
                self.tr("{mark}{part}. {title}  ({done}/{total})").format(
                    mark=mark, part=len(self.shown_domains), title=title, done=done, total=total
                )
            )
            entry.setToolTip(
                self.tr("{done} of {total} questions answered").format(done=done, total=total)
            )
        answered = len(result.visible_items) - len(result.unanswered)
        total = len(result.visible_items)
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(answered)
        self.progress.setFormat(self.tr("%v of %m questions answered"))
        words = self.tr("{done} of {total} questions answered").format(done=answered, total=total)
        self.progress.setMinimumWidth(self.progress.fontMetrics().horizontalAdvance(words) + 48)
        self._number_cards()
        self._update_header()

    def _update_header(self) -> None:
        domain_id = self.current_domain()
        if not domain_id or self.questionnaire is None or self.result is None:
            return
        domain = self.questionnaire.domain(domain_id)
        if domain is None:
            return
        position = self.shown_domains.index(domain_id) + 1 if domain_id in self.shown_domains else 0
        self.domain_title.setText(
            self.tr("Part {n} of {count}: {title}").format(
                n=position, count=len(self.shown_domains), title=domain.title.en
            )
        )
        done, total = self.result.domain_progress.get(domain_id, (0, 0))
        info = domain.description.en
        progress = self.tr("{done} of {total} answered on this page.").format(
            done=done, total=total
        )
        self.domain_info.setText(f"{info}  {progress}" if info else progress)
        self.back_button.setEnabled(position > 1)
        last = position == len(self.shown_domains)
        self.next_button.setText(self.tr("Ne&xt →") if not last else self.tr("Ne&xt: review →"))

    # -- navigation -----------------------------------------------------------------------------
    def current_domain(self) -> str:
        page = self.stack.currentWidget()
        return page.domain.id if isinstance(page, DomainPage) else ""

    def show_domain(self, domain_id: str) -> None:
        page = self.pages.get(domain_id)
        if page is None:
            return
        if self.binder is not None:
            self.binder.flush()
        self._build_page(page)
        changed = self.current_domain() != domain_id
        self.stack.setCurrentWidget(page)
        for row in range(self.domain_list.count()):
            if self.domain_list.item(row).data(Qt.ItemDataRole.UserRole) == domain_id:
                self.domain_list.blockSignals(True)
                self.domain_list.setCurrentRow(row)
                self.domain_list.blockSignals(False)
        self._update_header()
        page.verticalScrollBar().setValue(0)
        if changed:
            self.domain_changed.emit(domain_id)

    def _on_row_changed(self, row: int) -> None:
        entry = self.domain_list.item(row)
        if entry is not None:
            self.show_domain(entry.data(Qt.ItemDataRole.UserRole))

    def _step(self, delta: int) -> None:
        current = self.current_domain()
        if current not in self.shown_domains:
            return
        index = self.shown_domains.index(current) + delta
        if index >= len(self.shown_domains):
            self.request_review()
        elif index >= 0:
            self.show_domain(self.shown_domains[index])
            self.focus_first_question()

    def go_next(self) -> None:
        self._step(1)

    def go_back(self) -> None:
        self._step(-1)

    def request_review(self) -> None:
        if self.binder is not None:
            self.binder.flush()
        self.review_requested.emit()

    def visible_cards(self, domain_id: str | None = None) -> list[QuestionCard]:
        page = self.pages.get(domain_id or self.current_domain())
        visible = set(self.result.visible_items) if self.result else set()
        return [card for card in page.cards if card.item.id in visible] if page else []

    def focus_first_question(self) -> None:
        """Focus the page's first unanswered question (the first one when all are answered)."""
        cards = self.visible_cards()
        answers = self.binder.answers if self.binder is not None else {}
        waiting = [
            card
            for card in cards
            if answers.get(card.item.id) is None or answers[card.item.id].value is None
        ]
        if waiting or cards:
            (waiting or cards)[0].focus_answer()

    def show_item(self, item_id: str) -> None:
        """Jump to a question (from the review screen) and put the keyboard focus on it: on its
        note when the note is what is missing, else on its answer; scrolled into view."""
        card = self.card_for(item_id)
        if card is None:
            return
        self.show_domain(card.item.domain_id)
        page = self.pages[card.item.domain_id]
        QTimer.singleShot(0, lambda: page.ensureWidgetVisible(card, 0, 40))
        if not (card.note_needed_and_empty() and card.focus_note()):
            card.focus_answer()

    def _focus_note_if_needed(self, item_id: str) -> bool:
        """After an answer that needs a note, by mouse or key, the keyboard goes to the note."""
        answered = self.cards[item_id]
        return answered.note_needed_and_empty() and answered.focus_note()

    def _focus_next_question(self, item_id: str) -> None:
        # An answer that needs a note sends the keyboard to the note; otherwise to the next
        # shown question (skip logic has already shown or hidden cards by now).
        if self._focus_note_if_needed(item_id):
            return
        cards = self.visible_cards(self.cards[item_id].item.domain_id)
        ids = [card.item.id for card in cards]
        if item_id in ids and ids.index(item_id) + 1 < len(ids):
            cards[ids.index(item_id) + 1].focus_answer()
