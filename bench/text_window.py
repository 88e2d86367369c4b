"""The bare window of bare_window.py plus the least any real window does: one line of text,
centred (so one value of PySide6's `Qt` namespace, which builds all of its enums at first use, and
the fonts loaded for the first text measured). A reference for bench_startup.py, not a target."""

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from bare_window import show

app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("text")
window.resize(1366, 768)
label = QLabel("Assessments on this laptop", window)
label.setAlignment(Qt.AlignmentFlag.AlignCenter)
window.setCentralWidget(label)
show(window)
