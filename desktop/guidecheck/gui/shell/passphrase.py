"""The passphrase dialog: asked at the first moment a private key is needed, once per session.

Where the computer has no system key store, the keys are sealed with a passphrase
(`bundles.key_protection`). The core asks through a prompt; the app installs `dialog_prompt`.
Qt windows may only be shown on the main thread, so work that signs or decrypts first calls
`unlock_for` on the main thread, then hands the work to the task runner: the worker finds the
keys already unlocked and never needs to ask.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from guidecheck.bundles.key_protection import (
    MIN_PASSPHRASE,
    KeyLocked,
    PassphraseRequest,
    check_new_passphrase,
    configure,
)
from guidecheck.errors import UserError

log = logging.getLogger("guidecheck.gui")


class PassphraseDialog(QDialog):
    """Choose a passphrase (typed twice) or type the one in use; wrong or too short says so."""

    def __init__(self, request: PassphraseRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request = request
        creating = request.creating
        self.setWindowTitle(
            self.tr("Protect this computer's keys") if creating else self.tr("Unlock the keys")
        )
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        if creating:
            text = self.tr(
                "Choose a passphrase to protect {what}. Without it, a copy of the key file cannot "
                "sign or open bundles. GuideCheck asks for it once each time it starts.\n\n"
                "Write it down and keep it somewhere safe: it cannot be recovered. If it is lost, "
                "this computer needs a new key that the district officer approves again (a "
                "district hub restores its key from its backup)."
            )
        else:
            text = self.tr("Type the passphrase that protects {what}.")
        self.intro = QLabel(text.format(what=request.what))
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.first = QLineEdit()
        self.first.setEchoMode(QLineEdit.EchoMode.Password)
        self.second = QLineEdit()
        self.second.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(
            self.tr("Passphrase (at least {n} characters):").format(n=MIN_PASSPHRASE)
            if creating
            else self.tr("Passphrase:"),
            self.first,
        )
        if creating:
            form.addRow(self.tr("Type it again:"), self.second)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        font = self.problem.font()
        font.setBold(True)
        self.problem.setFont(font)
        self.problem.setVisible(False)
        layout.addWidget(self.problem)
        if request.wrong:
            self._say(
                self.tr("That passphrase does not unlock {what}. Try again.").format(
                    what=request.what
                )
            )
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.first.setFocus()

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(True)

    def accept(self) -> None:
        given = self.first.text()
        if not given:
            self._say(self.tr("Type the passphrase first."))
            return
        if self.request.creating:
            problem = check_new_passphrase(given)
            if problem:
                self._say(problem)
                return
            if self.second.text() != given:
                self._say(self.tr("The two passphrases differ; type them again."))
                self.second.clear()
                return
        super().accept()

    def passphrase(self) -> str:
        return self.first.text()


def dialog_prompt(request: PassphraseRequest) -> str | None:
    """The app's prompt for the core: a modal dialog on the main thread; None when cancelled."""
    app = QApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        # A worker reached a locked key: the caller should have used `unlock_for` first.
        log.warning("a locked key was needed on a worker thread; nothing was asked")
        raise KeyLocked(
            QApplication.translate(
                "passphrase", "The keys are locked; start the action again to unlock them."
            )
        )
    # No parent: the window active now may close (and take a child dialog with it) while this
    # one waits; application-modal, it still blocks every window until answered.
    dialog = PassphraseDialog(request, None)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    try:
        return dialog.passphrase() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def install_dialog_prompt() -> None:
    """Passphrases come from the dialog (a file named by GUIDECHECK_PASSPHRASE_FILE still wins)."""
    configure(None, dialog_prompt)


def unlock_for(home: Path, device: bool = True, district: bool = True) -> str:
    """Unlock (or make) the keys an action needs, on the main thread, before its work starts.
    Returns "" when they are ready, else the one sentence to show (cancelled, wrong, no store)."""
    from guidecheck.bundles.key_protection import prompt_installed
    from guidecheck.bundles.keys import unlock_keys

    if not prompt_installed():  # installed here, not at start-up: the first window stays light
        install_dialog_prompt()
    try:
        unlock_keys(Path(home), device=device, district=district)
    except UserError as error:
        return error.message
    return ""
