"""Symbols, colours and keys for codes the screens show (answers, verdicts, statuses).

The words for the codes live once, in the core (`guidecheck.checklist.labels`, translated through
the core's catalogue, whose language the app sets at start-up); this module adds only what a
screen needs on top. Colour is never the only carrier of meaning: every verdict has a word and a
symbol too.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from guidecheck.checklist import labels as words
from guidecheck.checklist.labels import compliance_label, status_label
from guidecheck.gui.shell.fonts import refresh_scaled_fonts, scaled_font, set_scaled_font
from guidecheck.gui.shell.theme import render, themed, tone

# The heading-font helpers live in fonts.py; the screens that import them from here still may.
__all__ = [
    "compliance_label",
    "refresh_scaled_fonts",
    "scaled_font",
    "set_scaled_font",
    "status_label",
]


def tr(text: str) -> str:
    return QCoreApplication.translate("labels", text)


# (value, label, single key, Alt+letter) for the compliance scale, in button order.
def compliance_options() -> list[tuple[str, str, str, str]]:
    keys = [("yes", "1", "Y"), ("partly", "2", "P"), ("no", "3", "N"), ("dont_know", "4", "D"),
            ("na", "5", "A")]  # fmt: skip
    return [(code, compliance_label(code), key, alt) for code, key, alt in keys]


def verdict_colours(verdict: str | None, palette: Any = None) -> tuple[str, str]:
    """(background, text) of a verdict badge for the palette in use: light fills with dark text
    on a light palette, deep fills with light text on a dark one (each pair at least 4.5:1)."""
    name = verdict if verdict in VERDICT_SYMBOLS else "none"
    return tone(f"verdict_{name}_bg", palette), tone(f"verdict_{name}_fg", palette)


def badge_template(verdict: str | None) -> str:
    """A badge style sheet with `{tone}` fields, for `theme.themed` (so it follows the palette)."""
    name = verdict if verdict in VERDICT_SYMBOLS else "none"
    return (
        f"background:{{verdict_{name}_bg}}; color:{{verdict_{name}_fg}};"
        f" border:1px solid {{verdict_{name}_fg}}; border-radius:4px; padding:2px 8px;"
    )


def set_badge(label: QLabel, verdict: str | None) -> None:
    """Colour a verdict label as a badge, again whenever the palette changes."""
    themed(label, badge_template(verdict))


def verdict_text(verdict: str | None) -> str:
    if not verdict:
        return tr("– Not scored yet")
    symbol = VERDICT_SYMBOLS.get(verdict)
    return f"{symbol} {words.verdict_label(verdict)}" if symbol else verdict


VERDICT_SYMBOLS = {"ready": "✔", "ready_with_conditions": "▲", "not_ready": "✖"}


def status_text(status: str) -> str:
    return status_label(status)


def use_category_options() -> list[tuple[str, str]]:
    # the model's dataclasses load with the new-assessment form, not with the home screen
    from guidecheck.checklist.model import USE_CATEGORIES

    return [(code, words.use_category_label(code)) for code in USE_CATEGORIES]


def reasons_text(questionnaire: Any, result: Any, limit: int = 3) -> str:
    """ "Why:" and the verdict's reasons (the core's sentences), most important first; at most
    `limit` lines so a netbook screen keeps room for the rest (the report lists them all)."""
    from guidecheck.checklist.reasons import reason_texts

    reasons = reason_texts(result, questionnaire)
    shown = [f"• {reason}" for reason in reasons[:limit]]
    if len(reasons) > limit:
        shown.append(
            tr("… and {n} more (the report lists them all).").format(n=len(reasons) - limit)
        )
    return "\n".join([tr("Why:"), *shown]) if shown else ""


def phase_options() -> list[tuple[str, str]]:
    """The tool's implementation phase (format 2 checklists ask it; questions depend on it)."""
    from guidecheck.checklist.model import PHASES  # see use_category_options

    return [(code, words.phase_label(code)) for code in PHASES]


def score_text(score: float | None) -> str:
    """The core's one percent formatter: cut to one decimal, so 79.96 reads 79.9%, never 80%."""
    from guidecheck.checklist.labels import format_percent

    return format_percent(score)


def badge_style(verdict: str | None) -> str:
    """The badge style sheet for the palette in use now (see `set_badge` to follow changes)."""
    return render(badge_template(verdict))


def verdict_badge(verdict: str | None, parent: QWidget | None = None) -> QLabel:
    label = QLabel(verdict_text(verdict), parent)
    set_badge(label, verdict)
    return label
