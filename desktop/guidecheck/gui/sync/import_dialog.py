"""The district hub's "Import bundles" dialog: scan a drive or folder for bundles, list each as
new, already imported or invalid, and import the ones ticked.

It only picks the place and shows the results; checking and importing run in the core
(guidecheck.bundles) through the window's task runner, so the GUI thread never touches the
database or the USB stick.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guidecheck.gui.sync.dialog_parts import PlacePicker, error_text

if TYPE_CHECKING:
    from guidecheck.gui.shell.tasks import TaskRunner

MAX_SCAN = 2000  # files listed from one folder; a stick with more is almost surely not ours


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
        self.places = PlacePicker(self, self.tr("Choose the folder holding the bundles"))
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
        self.message.setText(error_text(self, error))
