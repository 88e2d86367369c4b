"""Errors a user may cause. Their message is one plain sentence, shown as is (CLI exit code 2)."""

from __future__ import annotations


class UserError(Exception):
    """Bad input from a person or a file: the message is shown to them; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class QuestionnaireError(UserError):
    """A questionnaire file that cannot be used; the message names the file and line."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        where = f"{path}, line {line}" if line else path
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line
        self.problem = problem


class AnswerError(UserError):
    """An answer that does not fit its item (unknown item, wrong type, not among the choices...).

    `reason` names the problem for a screen that words it its own way ("not_a_number",
    "not_whole", "too_low", "too_high", "not_a_date"; "" for the others)."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason


class NotFound(UserError):
    """A record asked for by id that is not in the database."""


class ReadOnlyError(UserError):
    """A change to a finalized assessment; a revision must be made first."""


class FinalizeBlocked(UserError):
    """Finalizing needs every shown item answered and every required note given."""

    def __init__(
        self, message: str, unanswered: tuple[str, ...], missing_notes: tuple[str, ...]
    ) -> None:
        super().__init__(message)
        self.unanswered = unanswered
        self.missing_notes = missing_notes
