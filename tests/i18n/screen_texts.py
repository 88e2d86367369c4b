"""What a person can read on a screen: every visible label, button, header, tab, list line,
tooltip, placeholder and window title, and which of those words are English.

A word counts as English when it occurs in the English source strings of our catalogue but in
none of the French or Portuguese translations (so "Score", "Code" or "Date", the same in several
languages, never count), nor in the allow-list of names the test typed itself.
"""

from __future__ import annotations

import re
from functools import cache

from babel.messages.pofile import read_po
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QProgressBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from guidecheck.i18n import LOCALE_DIR

WORD = re.compile(r"[A-Za-zÀ-ÿ]{3,}")
TAG = re.compile(r"<[^>]+>|&[a-z]+;")
# Code inside messages (quoted keys, `commands`, guidecheck sub-commands) is English in every
# language; it must not make its words count as translated.
CODE = re.compile(r"'[a-z_.…]+'|`[^`]*`|guidecheck [a-z -]+|--[a-z]+")


# Everyday English words, so a hard-coded string never marked for translation is caught too.
COMMON_ENGLISH = frozenset(
    """the and for with from your this that these those are was were has have had not yes
    all any new open save back next close cancel done when what which who why how where there
    here will would should could can cannot must may about after before again also only into
    than then them they their our you his her its one two three first last more most some such
    each every other please click choose select file folder name date time year month week day
    help settings quit home report assessment answer question questions answers""".split()
)


@cache
def english_only_words() -> frozenset[str]:
    english: set[str] = set()
    translated: set[str] = set()
    for lang in ("fr", "pt"):
        with open(LOCALE_DIR / lang / "LC_MESSAGES" / "guidecheck.po", "rb") as handle:
            for message in read_po(handle):
                if not message.id:
                    continue
                english.update(_words(str(message.id)))
                translated.update(_words(str(message.string)))
    return frozenset((english | COMMON_ENGLISH) - translated)


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(CODE.sub(" ", TAG.sub(" ", text)))}


def _plain(text: str) -> str:
    return TAG.sub(" ", text.replace("&&", "&").replace("&", ""))


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for everything readable on `root` and its visible children."""
    found: list[tuple[str, str]] = []

    def add(where: QWidget | str, text: str | None) -> None:
        if isinstance(text, str) and text.strip():
            name = where if isinstance(where, str) else type(where).__name__
            found.append((name, _plain(text)))

    if root.windowTitle():
        add("window title", root.windowTitle())
    if isinstance(root, QMainWindow):
        for action in root.menuBar().actions():
            if action.isVisible():
                add("menu", action.text())
                menu = action.menu()
                for inner in menu.actions() if menu is not None else []:
                    if inner.isVisible():
                        add("menu item", inner.text())
    for widget in [root, *root.findChildren(QWidget)]:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        add(widget, widget.toolTip())
        add(widget, widget.accessibleName())
        if isinstance(widget, QLabel | QAbstractButton):
            add(widget, widget.text())
        elif isinstance(widget, QLineEdit):
            add(widget, widget.placeholderText())
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            add(widget, widget.placeholderText())
        elif isinstance(widget, QGroupBox):
            add(widget, widget.title())
        elif isinstance(widget, QProgressBar):
            add(widget, widget.text())
        elif isinstance(widget, QComboBox):
            for row in range(widget.count()):
                add(widget, widget.itemText(row))
        elif isinstance(widget, QTabWidget):
            for tab in range(widget.count()):
                add(widget, widget.tabText(tab))
                add(widget, widget.tabToolTip(tab))
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for column in range(_columns(model, QModelIndex())):
                add(widget, model.headerData(column, Qt.Orientation.Horizontal))
            _model_texts(model, None, add, widget, depth=0)
    return found


def _columns(model, parent: QModelIndex) -> int:  # type: ignore[no-untyped-def]
    try:
        return int(model.columnCount(parent))
    except TypeError:  # list models hide columnCount from Python: one column, no children
        return 0 if parent.isValid() else 1


def _model_texts(model, parent, add, widget, depth: int) -> None:  # type: ignore[no-untyped-def]
    parent = parent or QModelIndex()
    for row in range(min(model.rowCount(parent), 200)):
        for column in range(_columns(model, parent)):
            index = model.index(row, column, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(index, role)
                if isinstance(value, str):
                    add(widget, value)
            if depth < 3 and _columns(model, index) and model.rowCount(index) > 0:
                _model_texts(model, index, add, widget, depth + 1)


def english_left(
    root: QWidget, allowed: frozenset[str] = frozenset(), data: tuple[str, ...] = ()
) -> list[str]:
    """Each visible text that still holds English words, as 'Widget: text [words]'. `data` are
    whole texts people or checklists typed (names, notes), taken out before looking."""
    english = english_only_words() - {w.lower() for w in allowed}
    left = []
    for where, text in visible_texts(root):
        for value in sorted(data, key=len, reverse=True):
            text = text.replace(value, " ")
        words = sorted({w for w in WORD.findall(text) if w.lower() in english})
        if words:
            left.append(f"{where}: {text.strip()!r} {words}")
    return sorted(set(left))
