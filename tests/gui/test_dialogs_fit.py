"""Dialogs at 150% text on a 1024×600 netbook, dark palette, in French (the longest words): no
wrapped paragraph is cut off, no form label loses a letter, the home screen is no wider than the
screen, and the bundle import dialog stops saying "No USB drive found" once a folder is chosen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from gui_helpers import close_window, open_window
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QWidget

from guidecheck.gui.screenshots import settle
from guidecheck.gui.shell.dialogs import AboutDialog, SettingsDialog
from guidecheck.gui.shell.settings import apply_text_scale
from guidecheck.gui.shell.theme import PALETTES
from guidecheck.gui.shell.translation import install_language
from guidecheck.gui.sync.import_dialog import ImportDialog
from guidecheck.gui.sync.interop_dialogs import XlsformImportDialog


@pytest.fixture(params=["en", "fr"])
def netbook(request, qapp) -> Iterator[str]:
    original = qapp.palette()
    install_language(qapp, request.param)
    qapp.setPalette(PALETTES["dark"]())
    apply_text_scale(qapp, 150)
    yield request.param
    apply_text_scale(qapp, 100)
    qapp.setPalette(original)
    install_language(qapp, "en")


def cut_text(root: QWidget) -> list[str]:
    """Wrapped labels shorter than their text needs at their width, and form labels narrower
    than the ink of their text."""
    found = []
    for label in root.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        if label.wordWrap() and label.height() < label.heightForWidth(label.width()):
            found.append(
                f"{label.text()[:40]!r}: {label.height()} < {label.heightForWidth(label.width())} px"
            )
    for form in root.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if isinstance(label, QLabel) and label.isVisible() and label.text():
                ink = (
                    QFontMetricsF(label.font()).boundingRect(label.text().replace("&", "")).width()
                )
                if label.contentsRect().width() < ink:
                    found.append(f"{label.text()!r}: {label.contentsRect().width()} < {ink:.0f} px")
    return found  # fmt: skip


def show(qtbot, dialog: QDialog, window) -> QDialog:
    """Show it and let the background reads (key status) fill in their text."""
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: window.runner.pending == 0, timeout=10_000)
    settle()
    return dialog


def test_settings_and_about_show_every_word_at_150_percent(qtbot, home, netbook):
    window = open_window(qtbot, home)
    window.resize(1024, 600)
    settle()
    assert window.width() <= 1024, f"the home screen needs {window.width()} px in {netbook}"
    for dialog in (SettingsDialog(window), AboutDialog(window)):
        show(qtbot, dialog, window)
        assert cut_text(dialog) == [], type(dialog).__name__
        assert dialog.height() <= 600
        dialog.close()
    dialog = show(qtbot, XlsformImportDialog(window, window.runner), window)
    assert cut_text(dialog) == []
    dialog.close()
    close_window(qtbot, window)


def test_import_dialog_forgets_no_usb_drive_once_a_folder_is_chosen(qtbot, home, tmp_path):
    window = open_window(qtbot, home)
    dialog = ImportDialog(window, home, window.runner)
    qtbot.addWidget(dialog)
    dialog.show()
    places = dialog.places
    texts = [places.list.item(i).text() for i in range(places.list.count())]
    drives_found = any(places.list.item(i).data(256) for i in range(places.list.count()))
    assert drives_found or texts == ["No USB drive found: plug one in, or choose a folder."]
    places.set_folder(tmp_path)
    texts = [places.list.item(i).text() for i in range(places.list.count())]
    assert not any("No USB drive found" in t for t in texts)
    assert texts[-1] == str(tmp_path) and places.folder() == tmp_path
    places.refresh()  # "Look for drives again" keeps the chosen folder, and says nothing else
    texts = [places.list.item(i).text() for i in range(places.list.count())]
    assert str(tmp_path) in texts and not any("No USB drive found" in t for t in texts)
    assert places.folder() == tmp_path
    dialog.close()
    close_window(qtbot, window)
