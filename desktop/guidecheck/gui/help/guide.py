"""Help › User guide (F1): the offline guide in a plain text browser, opened at a screen's part.

The guide is Markdown shipped in the package (user-guide.md, made from docs/user-guide.md by
build.py); Qt's QTextBrowser renders Markdown and local images itself, so no web engine and no
network are involved. Links never leave the window: external links are not followed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QTextCursor, QTextImageFormat
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from guidecheck.gui.help.parts import PARTS, part_title  # noqa: F401 - re-exported

GUIDE = Path(__file__).resolve().parent / "user-guide.md"


def tr(text: str) -> str:
    return QCoreApplication.translate("guide", text)


class GuideWindow(QDialog):
    """A non-modal window with the guide; `show_part` scrolls a heading to the top."""

    IMAGE_WIDTH = 560

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("GuideCheck user guide"))
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)  # offline: nothing is opened outside this window
        self.browser.setSearchPaths([str(GUIDE.parent)])
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.load()
        screen = self.screen().availableGeometry() if self.screen() else None
        width = min(760, int(screen.width() * 0.9)) if screen else 760
        height = min(680, int(screen.height() * 0.9)) if screen else 600
        self.resize(width, height)

    def load(self) -> None:
        if GUIDE.exists():
            self.browser.setMarkdown(GUIDE.read_text("utf-8"))
            self._fit_images()
        else:
            self.browser.setPlainText(
                tr("The user guide is missing from this installation; the README has the steps.")
            )

    def _fit_images(self) -> None:
        """Screenshots are 1366 px wide: show them at a readable width inside the window."""
        document = self.browser.document()
        block = document.begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                image = fragment.charFormat()
                if fragment.isValid() and image.isImageFormat():
                    picture = QTextImageFormat(image.toImageFormat())
                    picture.setWidth(self.IMAGE_WIDTH)
                    picture.setHeight(self.IMAGE_WIDTH * 768 / 1366)
                    cursor = QTextCursor(document)
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(
                        fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor
                    )
                    cursor.setCharFormat(picture)
                iterator += 1
            block = block.next()

    def heading_titles(self) -> list[str]:
        titles = []
        block = self.browser.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() > 0:
                titles.append(block.text())
            block = block.next()
        return titles

    def show_part(self, title: str) -> bool:
        """Scroll so the heading starting with `title` is at the top; False when not found."""
        block = self.browser.document().begin()
        while block.isValid():
            if title and block.blockFormat().headingLevel() > 0 and block.text().startswith(title):
                cursor = QTextCursor(block)
                self.browser.setTextCursor(cursor)
                layout = self.browser.document().documentLayout()
                top = layout.blockBoundingRect(block).top()
                self.browser.verticalScrollBar().setValue(int(top))
                return True
            block = block.next()
        self.browser.verticalScrollBar().setValue(0)
        return False

    def current_heading(self) -> str:
        """The heading at the top of the view (what a person sees first)."""
        cursor = self.browser.cursorForPosition(self.browser.viewport().rect().topLeft())
        block = cursor.block()
        while block.isValid() and block.blockFormat().headingLevel() == 0:
            block = block.next()
        return block.text() if block.isValid() else ""
