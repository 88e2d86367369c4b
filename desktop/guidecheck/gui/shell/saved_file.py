"""After a file is saved (report, district report): offer to open it or show its folder.

Opening goes to the system's own viewer for a local file, never a network. When no program can
open it (no PDF viewer installed, no file manager), the person is told where the file is instead
of nothing happening.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget


def tr(text: str) -> str:
    return QCoreApplication.translate("saved_file", text)


def offer_saved_file(parent: QWidget | None, title: str, message: str, path: Path) -> str:
    """Ask Open / Show in folder / Close; returns "open", "folder", "close" or "no viewer"."""
    box = QMessageBox(QMessageBox.Icon.Information, title, message, parent=parent)
    box.setObjectName("savedFileBox")
    open_button = box.addButton(tr("&Open"), QMessageBox.ButtonRole.AcceptRole)
    folder_button = box.addButton(tr("Show in &folder"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(open_button)
    box.exec()
    clicked = box.clickedButton()
    if clicked is open_button:
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            return "open"
        QMessageBox.information(
            parent,
            title,
            tr(
                "No program to open {kind} files is installed on this computer. The file is "
                "saved in {folder}; copy it to a computer that can open it, or install a viewer."
            ).format(kind=path.suffix.lstrip(".").upper() or tr("these"), folder=path.parent),
        )
        return "no viewer"
    if clicked is folder_button:
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))):
            return "folder"
        QMessageBox.information(
            parent,
            title,
            tr("The folder could not be opened here. The file is saved as {path}.").format(
                path=path
            ),
        )
        return "no viewer"
    return "close"
