"""Entry point of the desktop app (`guidecheck-app`, `make run`): `--home DIR` like the CLI.

Start-up is benchmarked (bench/bench_startup.py): this module and what it imports load only
QtCore/QtGui/QtWidgets and the light core. reportlab, openpyxl, cryptography and pyrage load
inside the actions that need them. With GUIDECHECK_STARTUP_PROBE=1 the app prints
"shown <seconds> rss <KiB>" once the main window has been shown, then "listed <seconds> rows <n>
rss <KiB>" once the home list is filled, and quits. GUIDECHECK_STARTUP_PROBE=modules also prints
"modules <name> <name> ..." after the shown line: every module loaded to show the first window
(tests/gui/test_crash_and_start.py keeps the heavy ones out of it), then "qt-classes <name> ...":
the Qt classes whose Python types PySide6 had built by then.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

_STARTED = time.perf_counter()


def process_age() -> float:
    """Seconds since this process started (Linux: from /proc; elsewhere: since import)."""
    try:  # utf-8: its codec is loaded already, "ascii" would import one inside the measurement
        with open("/proc/self/stat", encoding="utf-8") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])
        with open("/proc/uptime", encoding="utf-8") as uptime:
            now = float(uptime.read().split()[0])
        return max(0.0, now - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _STARTED


def peak_rss_kib() -> int:
    try:
        import resource

        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    except ImportError:  # Windows
        return 0


class StartupProbe(QObject):
    """Benchmark mode: reports the first show of the main window, then the moment the home list
    is filled (read from the database after the show), then quits."""

    def __init__(self, app: QApplication, list_modules: bool = False) -> None:
        super().__init__(app)
        self.app = app
        self.shown = False
        self.list_modules = list_modules
        QTimer.singleShot(60_000, app.quit)  # never hang a benchmark

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and not self.shown:
            self.shown = True
            QTimer.singleShot(0, self.report_shown)
        return False

    def report_shown(self) -> None:
        print(f"shown {process_age():.3f} rss {peak_rss_kib()}", flush=True)
        if self.list_modules:
            print("modules", *sorted(sys.modules), flush=True)
            # PySide6 builds a Qt class's Python type (and its enums) on first use: QStyle alone
            # costs ~4 ms, so the classes the first window touched are listed too.
            classes = {
                name
                for module in ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets")
                for name in vars(sys.modules[module])
                if name.startswith("Q")
            }
            print("qt-classes", *sorted(classes), flush=True)

    def report_listed(self, rows: int) -> None:
        print(f"listed {process_age():.3f} rows {rows} rss {peak_rss_kib()}", flush=True)
        self.app.quit()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """`--home DIR` and `--self-test`; Qt's own options (-style, ...) pass through to Qt."""
    parser = argparse.ArgumentParser(prog="guidecheck-app", description="GuideCheck desktop app")
    parser.add_argument(
        "--home",
        metavar="DIR",
        help="data folder (default: $GUIDECHECK_HOME or the user data folder)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation end to end (core and Qt offscreen), one line per step",
    )
    known, _unknown = parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    return known


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.self_test:
        from guidecheck.gui import selftest

        return selftest.run()
    from guidecheck.gui.shell import crash
    from guidecheck.gui.shell.settings import AppSettings, apply_text_scale
    from guidecheck.paths import asset_path, data_home

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("GuideCheck")
    app.setOrganizationName("GuideCheck")
    app.setWindowIcon(QIcon(str(asset_path("guidecheck.png"))))
    from guidecheck.errors import UserError

    try:
        home = data_home(args.home)
    except UserError as error:  # read-only or missing: say so on screen, not only on a console
        tell(error.message)
        return 2
    from guidecheck.gui.shell.single_instance import SingleInstance, bring_forward

    instance = SingleInstance(home, app)
    if not instance.acquire():
        if not instance.ask_first_to_show():
            tell(
                app.translate(
                    "app",
                    "GuideCheck is already open with this data folder ({path}). "
                    "Switch to its window; close it before starting GuideCheck again.",
                ).format(path=home)
            )
        return 0
    handler = crash.install(home)
    settings = AppSettings(home)
    apply_text_scale(app, settings.text_scale)
    from guidecheck.gui.shell.translation import install_language, system_language

    install_language(app, settings.language or system_language())

    from guidecheck.gui.shell.main_window import MainWindow

    window = MainWindow(home)
    handler.parent = window
    show_data_place(window, home, args.home)
    instance.listen(lambda: bring_forward(window))
    probe_mode = os.environ.get("GUIDECHECK_STARTUP_PROBE")
    if probe_mode in ("1", "modules"):
        probe = StartupProbe(app, list_modules=probe_mode == "modules")
        window.installEventFilter(probe)
        window.home_loaded.connect(probe.report_listed)
    window.show()
    code = app.exec()
    window.runner.shutdown()  # queued answers reach the disk even when quit another way
    instance.release()
    return int(code)


def tell(message: str) -> None:
    """A start-up problem, shown in a message box (the windowed app has no console) and on stderr."""
    if sys.stderr is not None:
        print(f"guidecheck-app: {message}", file=sys.stderr)
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, "GuideCheck", message)
    box.setObjectName("startup_message")
    box.exec()


def data_place_text(home: os.PathLike[str] | str, source: str) -> str:
    """Where the records are kept, for the status bar and the About box."""
    translate = QApplication.translate
    if source == "portable":
        return translate("app", "Data: {path} (portable: on this drive)").format(path=home)
    if source == "user":
        return translate("app", "Data: {path} (this computer)").format(path=home)
    return translate("app", "Data: {path}").format(path=home)


def show_data_place(window: QObject, home: os.PathLike[str] | str, home_arg: str | None) -> None:
    """A permanent status-bar label naming the data folder, so a nurse on a borrowed laptop sees
    whether the records go onto the stick or stay on the laptop."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from guidecheck.paths import data_home_source

    label = QLabel(window)

    def fill() -> None:
        # a deep path must not push the save status off a 1024-pixel screen: shorten its middle
        shown = label.fontMetrics().elidedText(str(home), Qt.TextElideMode.ElideMiddle, 320)
        label.setText(data_place_text(shown, data_home_source(home_arg)))
        label.setToolTip(data_place_text(home, data_home_source(home_arg)))

    fill()
    label.setObjectName("data_place")
    window.statusBar().addPermanentWidget(label)  # type: ignore[attr-defined]
    retranslated = getattr(window, "retranslated", None)
    if retranslated is not None:  # a language switch in Settings: the same words, newly chosen
        retranslated.connect(fill)


if __name__ == "__main__":
    sys.exit(main())
