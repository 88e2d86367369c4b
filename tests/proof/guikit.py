"""Driving the real main window as a person does, for the proofs that involve the app."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def open_main_window(qtbot: Any, home: Path) -> Any:
    """The app's main window on this data folder, shown and with its home list loaded."""
    from guidecheck.gui.shell.main_window import MainWindow

    window = MainWindow(home)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.home_loaded, timeout=15_000):
        window.show()
    return window


def export_from_window(
    qtbot: Any,
    window: Any,
    assessment_id: str,
    folder: Path,
    expect_failure: bool = False,
    full: bool = False,
) -> Any:
    """Export for district as a person does: the dialog, the folder, the Export button."""
    from guidecheck.gui.sync.export_dialog import ExportDialog

    window.export_for_district(assessment_id)
    qtbot.waitUntil(lambda: window.findChild(ExportDialog) is not None, timeout=5_000)
    dialog = window.findChild(ExportDialog)
    dialog.places.set_folder(folder)
    dialog.full.setChecked(full)
    assert dialog.export_button.isEnabled()
    signal = dialog.export_failed if expect_failure else dialog.export_finished
    with qtbot.waitSignal(signal, timeout=30_000):
        dialog.export_button.click()
    return dialog
