"""Report and district-export actions, loaded on first use (never at start-up).

Reports: the person picks the file (PDF or workbook, from the core's exporter declarations), the
worker builds and writes it, then the app offers to open it with the system viewer (a local file;
nothing goes over a network). Export: the bundle dialog, written by the bundles engineer.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox

from guidecheck.gui.shell.tasks import TaskContext

if TYPE_CHECKING:
    from guidecheck.gui.shell.host import ShellHost


def documents_dir() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(location) if location else Path.home()


class ReportActions(QObject):
    def __init__(self, window: ShellHost) -> None:
        super().__init__(window)
        self.window = window
        self.last_saved: Path | None = None
        self.last_choice = ""

    def save_report(self, assessment_id: str) -> None:
        window = self.window
        window.set_busy(self.tr("Preparing the report…"))

        def work(context: TaskContext) -> Any:
            from guidecheck.reports import build_report_data

            return build_report_data(context.store, assessment_id)

        def failed(error: BaseException) -> None:
            window.set_busy("")
            window.show_error(error)

        window.runner.task(work).success(self._pick_file).failure(failed).run()

    def _pick_file(self, data: Any) -> None:
        from guidecheck.reports.exporters import EXPORTERS

        window = self.window
        window.set_busy("")
        exporters = [cls() for cls in EXPORTERS]
        filters = [exporter.file_filter for exporter in exporters]
        default = documents_dir() / exporters[0].default_name(data)
        path_text, chosen_filter = QFileDialog.getSaveFileName(
            window, self.tr("Save the report"), str(default), ";;".join(filters)
        )
        if not path_text:
            return
        exporter = exporters[filters.index(chosen_filter)] if chosen_filter in filters else None
        path = Path(path_text)
        if exporter is None or (path.suffix.lower() != exporter.suffix and path.suffix):
            exporter = next((e for e in exporters if e.suffix == path.suffix.lower()), exporters[0])
        if path.suffix.lower() != exporter.suffix:
            path = path.with_name(path.name + exporter.suffix)
        window.set_busy(self.tr("Writing {name}…").format(name=path.name))

        def failed(error: BaseException) -> None:
            window.set_busy("")
            window.show_error(error)

        window.runner.task(lambda _c: exporter.export(data, path)).success(
            self._offer_open
        ).failure(failed).run()

    def _offer_open(self, path: Path) -> None:
        from guidecheck.gui.shell.saved_file import offer_saved_file

        self.window.set_busy("")
        self.last_saved = Path(path)
        self.last_choice = offer_saved_file(
            self.window,
            self.tr("Report saved"),
            self.tr("The report was saved as {path}.").format(path=path),
            Path(path),
        )

    def export_for_district(self, assessment_id: str) -> None:
        try:
            from guidecheck.gui.sync import bundle_dialogs  # type: ignore[attr-defined]
        except ImportError:
            QMessageBox.information(
                self.window,
                self.tr("Export for district"),
                self.tr("Export for district is not available in this version yet."),
            )
            return
        bundle_dialogs.open_export_dialog(
            self.window, self.window.home_dir, self.window.runner, assessment_id=assessment_id
        )
