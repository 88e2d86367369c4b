"""A bare PySide6 window that reports when it is shown, for start-up comparisons."""

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


def process_age():
    try:
        with open("/proc/self/stat") as stat:
            start = int(stat.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as uptime:
            now = float(uptime.read().split()[0])
        return now - start / os.sysconf("SC_CLK_TCK")
    except OSError:
        return time.perf_counter()


def peak_kib():
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    except ImportError:
        return 0


class Probe(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Show:
            QTimer.singleShot(0, self.report)
        return False

    def report(self):
        print(f"shown {process_age():.3f} rss {peak_kib()}", flush=True)
        QApplication.quit()


def show(window: QMainWindow) -> None:
    """Show `window`, report its first show and quit."""
    probe = Probe()
    window.installEventFilter(probe)
    window.show()
    QApplication.instance().exec()


if __name__ == "__main__":  # text_window.py imports the probe
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("bare")
    window.resize(1366, 768)
    show(window)
