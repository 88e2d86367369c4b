"""The two sync-bundle dialogs: "Export for district" (clinic) and "Import bundles" (district hub).

Both only pick places and show results; the work runs in the core (guidecheck.bundles) through
the window's task runner, so the GUI thread never touches the database or the USB stick.
Entry points for the main window: `open_export_dialog(parent, home, runner)` and
`open_import_dialog(parent, home, runner)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guidecheck.errors import UserError
from guidecheck.gui.sync.drives import Drive, removable_drives  # noqa: F401 - Drive: re-exported

if TYPE_CHECKING:
    from guidecheck.gui.shell.tasks import TaskRunner

MAX_SCAN = 2000  # files listed from one folder; a stick with more is almost surely not ours


def describe_free_space(free_bytes: int) -> str:
    """Free space for a person: '1.4 GB free' / '820 MB free'."""
    if free_bytes >= 1_000_000_000:
        return f"{free_bytes / 1e9:.1f} GB"
    return f"{max(free_bytes, 0) / 1e6:.0f} MB"


def _error_text(widget: QWidget, error: BaseException) -> str:
    if isinstance(error, UserError):
        return error.message
    return widget.tr(
        "Something went wrong that GuideCheck did not expect; details were written to the log."
    )


MAX_PLACE_ROWS = 4  # drives and chosen folders shown at once in the place list


class _PlacePicker(QWidget):
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
        self.places = _PlacePicker(self, self.tr("Choose where to write the bundle"))
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
        reason = _error_text(self, error)
        self.message.setText(self.tr("The bundle was not written: {reason}").format(reason=reason))
        self._update_buttons()
        self.export_failed.emit(reason)


@dataclass
class _Listed:
    path: Path
    status: str  # new | imported | invalid
    reason: str = ""
    label: str = ""


class ImportDialog(QDialog):
    """Scan a drive or folder for bundles, list each as new / already imported / invalid, import the chosen."""

    scan_finished = Signal(int)  # number of bundle files listed
    import_finished = Signal(list)  # ImportOutcome objects

    def __init__(self, parent: QWidget | None, home: Path, runner: TaskRunner) -> None:
        super().__init__(parent)
        self.home = Path(home)
        self.runner = runner
        self.listed: list[_Listed] = []
        self.outcomes: list[Any] = []
        self.setWindowTitle(self.tr("Import bundles"))
        # bundle names are long (guidecheck-<facility>-<date>-<id>.gcbundle): room for them
        self.setMinimumWidth(min(760, self.fontMetrics().averageCharWidth() * 100))
        self.places = _PlacePicker(self, self.tr("Choose the folder holding the bundles"))
        self.scan_button = QPushButton(self.tr("Scan"), self)
        self.files = QListWidget(self)
        self.files.setAccessibleName(self.tr("Bundle files"))
        self.files.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(
            self.tr("Import selected"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Look for bundles in:"), self))
        layout.addWidget(self.places)
        layout.addWidget(self.scan_button)
        layout.addWidget(self.files, 1)  # the bundles get the height the drive list does not need
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        # Tall enough for the bundle list to show many bundles: most of the window it opens over
        # (or of the screen), never taller than the screen.
        available = self.screen().availableGeometry().height()
        over = parent.window().height() if parent is not None else available
        self.resize(
            self.sizeHint().width(), max(self.sizeHint().height(), int(min(over, available) * 0.9))
        )
        self.scan_button.clicked.connect(self.scan)
        self.buttons.accepted.connect(self.import_selected)
        self.buttons.rejected.connect(self.reject)
        self.import_button.setEnabled(False)

    def scan(self) -> None:
        folder = self.places.folder()
        if folder is None:
            self.message.setText(self.tr("Choose a drive or folder first."))
            return
        home = self.home
        from guidecheck.gui.shell.passphrase import unlock_for

        locked = unlock_for(home, device=False)  # bundles are opened with the district key
        if locked:
            self.message.setText(locked)
            return
        self.message.setText(self.tr("Checking the bundles in {folder}…").format(folder=folder))
        self.scan_button.setEnabled(False)

        def work(context: Any) -> list[_Listed]:
            from guidecheck.bundles.container import SUFFIX
            from guidecheck.bundles.importer import check_file

            paths = sorted(
                p
                for p in folder.iterdir()
                if p.name.endswith(SUFFIX) and not p.name.startswith(".")
            )
            listed = []
            for n, path in enumerate(paths[:MAX_SCAN]):
                context.progress(n, len(paths), path.name)
                opened, reason, already = check_file(home, context.store, path)
                if opened is None:
                    listed.append(_Listed(path, "invalid", reason))
                    continue
                m = opened.manifest
                label = f"{', '.join(m.facility_codes)} · {m.created_at[:16].replace('T', ' ')} · {m.counts['assessments']}"
                listed.append(_Listed(path, "imported" if already else "new", label=label))
            return listed

        self.runner.task(work).success(self._show_scan).failure(self._on_failed).run()

    def _show_scan(self, listed: list[_Listed]) -> None:
        self.listed = listed
        self.files.clear()
        words = {
            "new": self.tr("new"),
            "imported": self.tr("already imported"),
            "invalid": self.tr("invalid"),
        }
        for entry in listed:
            detail = (
                entry.reason
                if entry.status == "invalid"
                else self.tr("{info} assessments").format(info=entry.label)
            )
            item = QListWidgetItem(f"{entry.path.name} — {words[entry.status]}: {detail}")
            item.setData(Qt.ItemDataRole.UserRole, str(entry.path))
            if entry.status == "invalid":
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            else:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                new = entry.status == "new"
                item.setCheckState(Qt.CheckState.Checked if new else Qt.CheckState.Unchecked)
            self.files.addItem(item)
        counts = {s: sum(1 for e in listed if e.status == s) for s in words}
        self.message.setText(
            self.tr("{n} bundles found: {new} new, {old} already imported, {bad} invalid.").format(
                n=len(listed), new=counts["new"], old=counts["imported"], bad=counts["invalid"]
            )
        )
        self.scan_button.setEnabled(True)
        self.import_button.setEnabled(any(e.status != "invalid" for e in listed))
        self.scan_finished.emit(len(listed))

    def chosen(self) -> list[Path]:
        rows = (self.files.item(i) for i in range(self.files.count()))
        return [
            Path(item.data(Qt.ItemDataRole.UserRole))
            for item in rows
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable
            and item.checkState() == Qt.CheckState.Checked
        ]

    def import_selected(self) -> None:
        paths = self.chosen()
        if not paths:
            self.message.setText(self.tr("Tick the bundles to import first."))
            return
        home = self.home
        from guidecheck.gui.shell.passphrase import unlock_for

        locked = unlock_for(home, device=False)
        if locked:
            self.message.setText(locked)
            return
        self.import_button.setEnabled(False)
        self.progress.setRange(0, len(paths))
        self.progress.setValue(0)
        self.progress.setVisible(True)

        def work(context: Any) -> list[Any]:
            from guidecheck.bundles.import_batch import import_files

            return list(import_files(home, context.store, paths, progress=context.progress))

        self.runner.task(work).progress(self._on_progress).success(self._show_summary).failure(
            self._on_failed
        ).run()

    def _on_progress(self, done: int, total: int, label: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _show_summary(self, outcomes: list[Any]) -> None:
        self.outcomes = outcomes
        self.progress.setVisible(False)
        ok = sum(1 for o in outcomes if o.imported)
        held = sum(1 for o in outcomes if o.held)
        lines = [self.tr("{ok} of {n} bundles imported.").format(ok=ok, n=len(outcomes))]
        if held:
            lines.append(
                self.tr(
                    "{n} wait for their device's approval: compare the enrolment code on the Devices tab."
                ).format(n=held)
            )
        lines += [o.summary() for o in outcomes]
        self.message.setText("\n".join(lines))
        self.import_finished.emit(outcomes)

    def _on_failed(self, error: BaseException) -> None:
        self.progress.setVisible(False)
        self.scan_button.setEnabled(True)
        self.message.setText(_error_text(self, error))


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
