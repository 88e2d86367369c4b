"""The district hub's exports: the district PDF and workbook, written by the worker, and the
"Saved …" line with Open and Show in folder beside it.

A mixin of `DistrictHub` (district_view.py), kept apart so each module stays small; `self` is the
hub screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from guidecheck.gui.shell.labels import tr
from guidecheck.gui.shell.tasks import TaskContext


class DistrictExports:
    """Methods DistrictHub gets for its exports; `self` is the DistrictHub."""

    runner: Any
    status: Any
    export_finished: Any

    def _build_saved_row(self, layout: QVBoxLayout) -> None:
        """The "Saved …" row under the actions, hidden until a report is written."""
        self.saved_row = QHBoxLayout()
        self.saved_label = QLabel(self)
        self.saved_label.setWordWrap(True)
        self.open_saved_button = QPushButton(tr("&Open"), self)
        self.show_saved_button = QPushButton(tr("Show in &folder"), self)
        self.saved_row.addWidget(self.saved_label, 1)
        self.saved_row.addWidget(self.open_saved_button)
        self.saved_row.addWidget(self.show_saved_button)
        layout.addLayout(self.saved_row)
        self.saved_path: Path | None = None
        self._show_saved(None)
        self.open_saved_button.clicked.connect(lambda: self.open_saved(folder=False))
        self.show_saved_button.clicked.connect(lambda: self.open_saved(folder=True))

    def export(self, kind: str) -> None:
        suffix = {
            "pdf": ("district-report.pdf", tr("PDF (*.pdf)")),
            "xlsx": ("district-workbook.xlsx", tr("Excel workbook (*.xlsx)")),
        }[kind]
        path, _filter = QFileDialog.getSaveFileName(
            self, tr("Save the district report"), str(Path.home() / suffix[0]), suffix[1]
        )
        if not path:
            return
        summary_line = self.status.text()
        self.status.setText(tr("Writing {name}…").format(name=Path(path).name))

        def work(context: TaskContext) -> str:
            from guidecheck.district.summary import build_summary

            summary = build_summary(context.store)
            if kind == "pdf":
                from guidecheck.district.report_pdf import write_district_pdf

                return str(write_district_pdf(summary, path))
            from guidecheck.district.report_workbook import write_district_workbook

            return str(write_district_workbook(context.store, summary, path))

        def done(written: str) -> None:
            self.status.setText(summary_line)  # the district summary stays; "Saved" goes below
            self._show_saved(Path(written))
            self.export_finished.emit(written)

        self.runner.run(work, done, self.show_failure)

    def _show_saved(self, path: Path | None) -> None:
        """ "Saved district.pdf" with Open and Show in folder beside it (the summary line stays)."""
        self.saved_path = path
        for widget in (self.saved_label, self.open_saved_button, self.show_saved_button):
            widget.setVisible(path is not None)
        if path is not None:
            self.saved_label.setText(tr("Saved {path}").format(path=path))

    def open_saved(self, folder: bool) -> bool:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        if self.saved_path is None:
            return False
        target = self.saved_path.parent if folder else self.saved_path
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
            return True
        self.saved_label.setText(
            tr("Saved {path}. No program to open it is installed here.").format(
                path=self.saved_path
            )
            if not folder
            else tr("Saved {path}. The folder could not be opened here.").format(
                path=self.saved_path
            )
        )
        return False
