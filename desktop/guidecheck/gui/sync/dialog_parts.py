"""The parts every sync dialog shares: the place picker (removable drives by name and free space,
plus folders the person chose) and the one sentence shown when a task fails.

Used by the bundle export and import dialogs and by the interop export dialog, so a stick looks
the same wherever a file is written or read.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guidecheck.errors import UserError
from guidecheck.gui.sync.drives import removable_drives


def describe_free_space(free_bytes: int) -> str:
    """Free space for a person: '1.4 GB free' / '820 MB free'."""
    if free_bytes >= 1_000_000_000:
        return f"{free_bytes / 1e9:.1f} GB"
    return f"{max(free_bytes, 0) / 1e6:.0f} MB"


def error_text(widget: QWidget, error: BaseException) -> str:
    if isinstance(error, UserError):
        return error.message
    return widget.tr(
        "Something went wrong that GuideCheck did not expect; details were written to the log."
    )


MAX_PLACE_ROWS = 4  # drives and chosen folders shown at once in the place list


class PlacePicker(QWidget):
    """Detected removable drives (by name and free space) plus "Choose a folder…"."""

    place_changed = Signal()

    def __init__(self, parent: QWidget, title: str) -> None:
        super().__init__(parent)
        self._title = title
        self._chosen: list[Path] = []
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Where"))
        self.choose_button = QPushButton(self.tr("Choose a folder…"), self)
        self.refresh_button = QPushButton(self.tr("Look for drives again"), self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.choose_button.clicked.connect(self.choose_folder)
        self.refresh_button.clicked.connect(self.refresh)
        self.list.currentItemChanged.connect(lambda *_a: self.place_changed.emit())
        self.refresh()

    def refresh(self) -> None:
        chosen = self.folder()
        self.list.clear()
        for drive in removable_drives():
            text = self.tr("{name} — {free} free").format(
                name=drive.name, free=describe_free_space(drive.free_bytes)
            )
            self._add(text, drive.path)
        for folder in self._chosen:  # looking for drives again keeps the folders chosen
            self._add(str(folder), folder)
        if chosen is not None:
            for row in range(self.list.count()):
                if self.list.item(row).data(Qt.ItemDataRole.UserRole) == str(chosen):
                    self.list.setCurrentRow(row)
        if self.list.count() == 0:
            placeholder = QListWidgetItem(
                self.tr("No USB drive found: plug one in, or choose a folder.")
            )
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(placeholder)
        self._fit()
        self.place_changed.emit()

    def _fit(self) -> None:
        """As tall as its rows (at most MAX_PLACE_ROWS, then it scrolls), so the list below it,
        the one people read, keeps the room at large text on a netbook."""
        rows = max(1, min(self.list.count(), MAX_PLACE_ROWS))
        row_height = max(self.list.sizeHintForRow(0), self.list.fontMetrics().lineSpacing() + 4)
        frame = 2 * self.list.frameWidth() + 4
        self.list.setFixedHeight(rows * row_height + frame)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self._title)
        if folder:
            self.set_folder(Path(folder))

    def set_folder(self, folder: Path) -> None:
        """Add `folder` to the list (if new) and select it; the "No USB drive found" line goes,
        since there is now a place (it said to choose a folder, and one was chosen)."""
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == str(folder):
                self.list.setCurrentRow(row)
                return
        for row in reversed(range(self.list.count())):
            if not self.list.item(row).data(Qt.ItemDataRole.UserRole):
                self.list.takeItem(row)
        self._chosen.append(folder)
        self._add(str(folder), folder)
        self._fit()
        self.list.setCurrentRow(self.list.count() - 1)

    def folder(self) -> Path | None:
        item = self.list.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return Path(value) if value else None

    def _add(self, text: str, path: Path) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, str(path))
        item.setToolTip(str(path))
        self.list.addItem(item)
