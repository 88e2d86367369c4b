"""The clinic's "Export for district" dialog: pick a USB drive or folder, check that something
changed since the last export, and write the signed (and, with a district key, encrypted) bundle.

It only picks the place and shows the result; the work runs in the core (guidecheck.bundles)
through the window's task runner, so the GUI thread never touches the database or the USB stick.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guidecheck.errors import UserError
from guidecheck.gui.sync.dialog_parts import PlacePicker, error_text

if TYPE_CHECKING:
    from guidecheck.gui.shell.tasks import TaskRunner


class ExportDialog(QDialog):
    """Write a bundle for the district to a USB drive or folder, with progress and a clear result."""

    export_finished = Signal(str)  # the bundle's path
    export_failed = Signal(str)  # the one-sentence reason

    def __init__(self, parent: QWidget | None, home: Path, runner: TaskRunner) -> None:
        super().__init__(parent)
        self.home = Path(home)
        self.runner = runner
        self.written: Path | None = None
        self.setWindowTitle(self.tr("Export for district"))
        self.key_label = QLabel(self)
        self.key_label.setWordWrap(True)
        self.places = PlacePicker(self, self.tr("Choose where to write the bundle"))
        self.full = QCheckBox(
            self.tr("Include everything, not only what changed since the last export"), self
        )
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(
            self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.again_button = QPushButton(self.tr("Export &everything again"), self)
        self.again_button.setVisible(False)
        self.again_button.clicked.connect(self.export_everything_again)
        layout = QVBoxLayout(self)
        layout.addWidget(self.key_label)
        layout.addWidget(QLabel(self.tr("Write the bundle to:"), self))
        layout.addWidget(self.places)
        layout.addWidget(self.full)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.again_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)
        self.places.place_changed.connect(self._update_buttons)
        self._show_key_status()
        self._update_buttons()

    def _show_key_status(self) -> None:
        from guidecheck.bundles.keys import installed_district_keys

        try:
            keys = installed_district_keys(self.home)
        except UserError as error:
            keys = []
            self.message.setText(error.message)
        if keys:
            names = ", ".join(
                f"{k.name} ({k.fingerprint})" if k.name else k.fingerprint for k in keys
            )
            self.key_label.setText(
                self.tr("The bundle will be encrypted for the district: {names}.").format(
                    names=names
                )
            )
        else:
            self.key_label.setText(
                self.tr(
                    "Warning: no district key is installed. The bundle will be signed but NOT encrypted; anyone "
                    "with the file can read it. Install the district key in Settings first if you can."
                )
            )

    def _update_buttons(self) -> None:
        self.export_button.setEnabled(
            self.places.folder() is not None and not self.progress.isVisible()
        )

    def start_export(self) -> None:
        """Check first whether anything changed since the last export: an empty bundle helps
        nobody, so the person is told before a file is written and offered a full one instead
        (for a stick that was lost)."""
        folder = self.places.folder()
        if folder is None:
            return
        if self.full.isChecked():
            self._write(folder)
            return
        self.export_button.setEnabled(False)

        def work(context: Any) -> tuple[str, int] | None:
            from guidecheck.bundles import ledger
            from guidecheck.bundles.payload import collect

            store = context.store
            previous = ledger.last_export(store.conn)
            if previous is None:
                return None
            payload = collect(store.conn, previous[0], previous[1], store.device_id)
            return previous[0], len(payload.assessments)

        def checked(result: tuple[str, int] | None) -> None:
            if result is not None and result[1] == 0:
                self.nothing_new(result[0])
                self._update_buttons()
                return
            self._write(folder)

        self.runner.task(work).success(checked).failure(self._on_failed).run()

    def nothing_new(self, last: str) -> None:
        self.message.setText(
            self.tr(
                "Nothing changed since the last export ({when}): a new bundle would hold no "
                "assessments, so none was written. If the last stick was lost, export everything "
                "again."
            ).format(when=last[:16].replace("T", " "))
        )
        self.again_button.setVisible(True)

    def export_everything_again(self) -> None:
        self.again_button.setVisible(False)
        self.full.setChecked(True)
        self.start_export()

    def _write(self, folder: Path) -> None:
        from guidecheck.gui.shell.passphrase import unlock_for

        self.again_button.setVisible(False)
        home, full = self.home, self.full.isChecked()
        locked = unlock_for(home, device=True, district=False)  # main thread: may ask, once
        if locked:
            self.message.setText(locked)
            self._update_buttons()
            return
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.message.setText(self.tr("Writing the bundle…"))
        self._update_buttons()

        def work(context: Any) -> Any:
            from guidecheck.bundles.export import export_bundle

            return export_bundle(home, context.store, folder, full=full,
                                 progress=lambda percent, text: context.progress(percent, 100, text))  # fmt: skip

        self.runner.task(work).progress(self._on_progress).success(self._on_done).failure(
            self._on_failed
        ).run()

    def _on_progress(self, done: int, total: int, label: str) -> None:
        self.progress.setValue(int(done * 100 / max(total, 1)))
        if label:
            self.message.setText(label)

    def _on_done(self, result: Any) -> None:
        self.progress.setVisible(False)
        self.written = result.path
        text = self.tr(
            "Bundle written: {name}\nin {folder}. Give it to the district officer."
        ).format(name=result.path.name, folder=result.path.parent)
        if result.manifest.counts.get("assessments", 0) == 0:
            text += "\n" + self.tr(
                "Nothing changed since the last export: the bundle holds no assessments."
            )
        if result.warning:
            text += "\n" + self.tr("Warning: the bundle is signed but not encrypted.")
        self.message.setText(text)
        self._update_buttons()
        self.export_finished.emit(str(result.path))

    def _on_failed(self, error: BaseException) -> None:
        self.progress.setVisible(False)
        reason = error_text(self, error)
        self.message.setText(self.tr("The bundle was not written: {reason}").format(reason=reason))
        self._update_buttons()
        self.export_failed.emit(reason)
