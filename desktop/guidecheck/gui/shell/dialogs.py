"""About and Settings dialogs (text size, language, the district key a clinic installs)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from guidecheck import GUIDANCE, __version__
from guidecheck.errors import UserError
from guidecheck.gui.shell.fit import keep_fitted, roomy_labels
from guidecheck.gui.shell.settings import TEXT_SCALES, apply_text_scale
from guidecheck.gui.shell.translation import available_languages, switch_language
from guidecheck.i18n import current_language
from guidecheck.paths import asset_path

if TYPE_CHECKING:
    from guidecheck.gui.shell.host import ShellHost


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About GuideCheck"))
        layout = QHBoxLayout(self)
        icon = QLabel(self)
        icon.setPixmap(
            QPixmap(str(asset_path("guidecheck.png"))).scaled(
                96,
                96,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout()
        self.text = QLabel(
            self.tr(
                "<h2>GuideCheck {version}</h2>"
                "<p>An offline checklist that walks a clinic through checking one AI tool it uses.</p>"
                "<p>Based on: <b>{guidance}</b>.</p>"
                "<p>Everything stays on this computer. Nothing is sent over the internet; results reach "
                "the district only in files you export yourself.</p>"
            ).format(version=__version__, guidance=GUIDANCE),
            self,
        )
        self.text.setWordWrap(True)
        self.text.setMinimumWidth(420)
        column.addWidget(self.text)
        home = getattr(parent, "home_dir", None)
        if home is not None:  # portable or not: say where the records really are
            self.data_place = QLabel(
                self.tr("Your data is kept in: {path}").format(path=home), self
            )
            self.data_place.setWordWrap(True)
            self.data_place.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            column.addWidget(self.data_place)
        self.enrolment = QLabel(self._enrolment_text(parent), self)
        self.enrolment.setWordWrap(True)
        self.enrolment.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.enrolment.setAccessibleName(self.tr("Enrolment code of this computer"))
        column.addWidget(self.enrolment)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        column.addWidget(buttons)
        layout.addLayout(column)
        keep_fitted(self)  # at 150% text the paragraphs ran into each other, cut off

    def _enrolment_text(self, parent: QWidget | None) -> str:
        """This computer's enrolment code, read out to the district officer who approves it."""
        home = getattr(parent, "home_dir", None)
        if home is None:
            return ""
        from guidecheck.bundles.enrolment import this_device

        try:
            found = this_device(Path(home))
        except UserError:
            found = None
        if found is None:
            return ""
        device_id, code = found
        return self.tr(
            "<p><b>Enrolment code</b> (read it to the district officer when they approve this "
            "computer):<br><span style='font-size:large'><b>{code}</b></span><br>Device id: {device}</p>"
        ).format(code=code, device=device_id)


class SettingsDialog(QDialog):
    def __init__(self, window: ShellHost) -> None:
        super().__init__(window)
        self.window_ = window
        self.settings = window.settings
        self.hub_made = False
        self.setWindowTitle(self.tr("Settings"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.text_size = QComboBox(self)
        for scale in TEXT_SCALES:
            self.text_size.addItem(self.tr("{n}%").format(n=scale), scale)
        self.text_size.setCurrentIndex(self.text_size.findData(self.settings.text_scale))
        form.addRow(self.tr("&Text size"), self.text_size)
        self.language = QComboBox(self)
        for code, name in available_languages():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(current_language())))
        self.language.setToolTip(
            self.tr("The language of the screens and, by default, of the reports.")
        )
        form.addRow(self.tr("&Language"), self.language)
        roomy_labels(form)
        layout.addLayout(form)
        key_title = QLabel(
            self.tr(
                "<b>District key</b> — the district office gives you this file so that "
                "the results you export can only be opened by them."
            ),
            self,
        )
        key_title.setWordWrap(True)
        self.key_status = QLabel(self)
        self.key_status.setWordWrap(True)
        self.install_button = QPushButton(self.tr("&Install district key…"), self)
        self.install_button.clicked.connect(self.install_key)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_status, 1)
        key_row.addWidget(self.install_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(key_title)
        layout.addLayout(key_row)
        hub_title = QLabel(
            self.tr(
                "<b>District hub</b> — for the district health office only: this computer makes "
                "the district key, gives the key file to the clinics and imports their results."
            ),
            self,
        )
        hub_title.setWordWrap(True)
        self.hub_status = QLabel(self)
        self.hub_status.setWordWrap(True)
        self.hub_name = QLineEdit(self)
        self.hub_name.setPlaceholderText(self.tr("district name, e.g. Kisumu East"))
        self.hub_name.setAccessibleName(self.tr("District name"))
        self.hub_button = QPushButton(self.tr("&Make this computer the district hub…"), self)
        self.hub_button.clicked.connect(self.make_hub)
        # The name above its button: side by side at 150% text the field shrank until its
        # example ("district name, e.g. Kisumu East") was cut to "district name, e.…".
        hub_row = QVBoxLayout()
        hub_row.addWidget(self.hub_name)
        hub_row.addWidget(self.hub_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(hub_title)
        layout.addWidget(self.hub_status)
        layout.addLayout(hub_row)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        keep_fitted(self)  # wrapped paragraphs were cut off at 150% text
        self._load_key_status()

    def _load_key_status(self) -> None:
        home = self.window_.home_dir

        def work(_context: Any) -> list[Any]:
            from guidecheck.bundles.keys import installed_district_keys

            return installed_district_keys(home)

        def hub(_context: Any) -> str:
            from guidecheck.bundles.keys import district_public

            found = district_public(home)
            return found.fingerprint if found else ""

        self.window_.runner.task(hub).success(self._show_hub).failure(
            lambda _e: self.hub_status.setText(self.tr("The district key cannot be read."))
        ).run()
        self.key_status.setText(self.tr("Checking…"))
        self.window_.runner.task(work).success(self._show_keys).failure(
            lambda _e: self.key_status.setText(
                self.tr("District keys cannot be read on this computer.")
            )
        ).run()

    def _show_hub(self, fingerprint: str) -> None:
        is_hub = bool(fingerprint)
        self.hub_name.setVisible(not is_hub)
        self.hub_button.setVisible(not is_hub)
        self.hub_status.setText(
            self.tr("This computer is the district hub (district key {fp}).").format(fp=fingerprint)
            if is_hub
            else self.tr("This computer is not a district hub.")
        )

    def make_hub(self) -> None:
        """The same steps as `guidecheck keys district-init --out FILE --name NAME`."""
        path_text, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the district key file for the clinics"),
            str(Path.home() / "district.gckey"),
            self.tr("District key (*.gckey);;All files (*)"),
        )
        if not path_text:
            return
        out = Path(path_text)
        if not out.suffix:
            out = out.with_suffix(".gckey")
        home, name = self.window_.home_dir, self.hub_name.text().strip()
        from guidecheck.gui.shell.passphrase import unlock_for

        locked = unlock_for(
            home, device=True, district=False
        )  # the district key reuses its passphrase
        if locked:
            self.message.setText(locked)
            return

        def work(context: Any) -> str:
            from guidecheck.bundles.hub_setup import make_district_hub

            return make_district_hub(home, context.store, name, out).fingerprint

        def failed(error: BaseException) -> None:
            if isinstance(error, UserError):
                self.message.setText(str(error))
            else:
                self.message.setText(self.tr("This computer could not be made the district hub."))
                self.window_.show_error(error)

        def done(fingerprint: str) -> None:
            self._show_hub(fingerprint)
            self.message.setText(
                self.tr(
                    "This computer is now the district hub. Give {path} to each clinic: they "
                    "install it in Settings. The District menu imports their bundles."
                ).format(path=out)
            )
            self.hub_made = True
            self.window_.refresh_district_mode()

        self.window_.runner.task(work).success(done).failure(failed).run()

    def _show_keys(self, keys: list[Any]) -> None:
        if not keys:
            self.key_status.setText(
                self.tr("No district key installed: exports cannot be sealed yet.")
            )
        else:
            names = ", ".join(
                f"{getattr(k, 'name', '') or ''} ({k.fingerprint})".strip() for k in keys
            )
            self.key_status.setText(self.tr("Installed: {names}").format(names=names))

    def install_key(self) -> None:
        path_text, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose the district key file"),
            "",
            self.tr("District key (*.gckey);;All files (*)"),
        )
        if not path_text:
            return
        home = self.window_.home_dir

        def work(_context: Any) -> tuple[list[Any], int]:
            from guidecheck.bundles.key_facilities import (
                facilities_from_key_file,
                save_key_facilities,
            )
            from guidecheck.bundles.keys import install_district_keys

            keys = install_district_keys(home, Path(path_text))
            facilities = facilities_from_key_file(Path(path_text))
            if facilities:  # a key file without a list keeps the list installed before
                save_key_facilities(home, facilities)
            return keys, len(facilities)

        def failed(error: BaseException) -> None:
            if isinstance(error, UserError):
                self.message.setText(str(error))
            else:
                self.message.setText(self.tr("The key file could not be installed."))
                self.window_.show_error(error)

        def done(result: tuple[list[Any], int]) -> None:
            _keys, facilities = result
            if facilities:
                self.message.setText(
                    self.tr(
                        "District key installed, with the district's list of {n} facilities."
                    ).format(n=facilities)
                )
            else:
                self.message.setText(self.tr("District key installed."))
            self._load_key_status()

        self.window_.runner.task(work).success(done).failure(failed).run()

    def accept(self) -> None:
        scale = int(self.text_size.currentData())
        self.settings.text_scale = scale
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_text_scale(app, scale)
        chosen = str(self.language.currentData())
        changed = chosen != current_language()
        self.settings.language = chosen
        super().accept()
        if changed:  # at once, no restart: the open screens are rebuilt in the new language
            switch_language(self.window_, chosen)
