"""The main window's entry points to the two sync-bundle dialogs: `open_export_dialog(parent,
home, runner)` ("Export for district", `export_dialog.py`) and `open_import_dialog(parent, home,
runner)` ("Import bundles", `import_dialog.py`).

Each opens its dialog non-modal and deletes it on close. The window (gui/shell) imports this
module when the person first asks for a dialog, never at start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from guidecheck.gui.sync.export_dialog import ExportDialog
from guidecheck.gui.sync.import_dialog import ImportDialog


def open_export_dialog(
    parent: QWidget | None, home: Path, runner: Any, assessment_id: str = ""
) -> ExportDialog:
    """Show "Export for district" (non-modal); returns the dialog. `assessment_id` is accepted for the
    caller's convenience: a bundle always holds everything that changed, not one assessment."""
    dialog = ExportDialog(parent, home, runner)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def open_import_dialog(parent: QWidget | None, home: Path, runner: Any) -> ImportDialog:
    """Show "Import bundles" (non-modal) for a district hub; returns the dialog."""
    dialog = ImportDialog(parent, home, runner)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
