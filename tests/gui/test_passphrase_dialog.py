"""The passphrase dialog, driven like a person: choose one (typed twice), unlock (wrong, then
right), cancel (the action stops with one sentence and nothing changes). Real key files."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from guidecheck.bundles import key_protection, keys
from guidecheck.gui.shell.passphrase import PassphraseDialog, install_dialog_prompt, unlock_for
from guidecheck.gui.shell.tasks import TaskRunner
from guidecheck.gui.sync.export_dialog import ExportDialog
from guidecheck.paths import database_path
from guidecheck.storage.store import Store

CHOSEN = "mango tree by the well"


@pytest.fixture
def dialog_only(monkeypatch):
    """No passphrase file: the dialog is the only way to give it (as in the installed app)."""
    monkeypatch.delenv(key_protection.PASSPHRASE_FILE_VARIABLE, raising=False)
    install_dialog_prompt()
    yield
    key_protection.forget_session()


def fill(first: str, second: str | None = None):
    def act(dialog: PassphraseDialog) -> None:
        dialog.first.setText(first)
        if second is not None:
            dialog.second.setText(second)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    return act


def cancel(dialog: PassphraseDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()


def drive(actions: list) -> list[tuple[str, str]]:
    """Answer each passphrase dialog as it shows, one action per look; returns (title, what the
    dialog said) as each action found it."""
    seen: list[tuple[str, str]] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, PassphraseDialog) and dialog.isVisible():
            said = dialog.problem.text() if not dialog.problem.isHidden() else ""
            seen.append((dialog.windowTitle(), said))
            actions.pop(0)(dialog)
        if actions:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


def test_a_new_passphrase_is_typed_twice_and_long_enough(qtbot, tmp_path, dialog_only):
    home = tmp_path / "clinic"
    seen = drive(
        [fill("short", "short"), fill(CHOSEN, "mango tree by the wall"), fill(CHOSEN, CHOSEN)]
    )
    assert unlock_for(home, device=True, district=False) == ""
    assert [title for title, _said in seen] == ["Protect this computer's keys"] * 3
    assert seen[0][1] == ""
    assert "at least 8 characters" in seen[1][1]
    assert "differ" in seen[2][1]
    assert keys.key_protections(home) == {"device-signing": "passphrase"}
    # The chosen passphrase is the one that opens the file in a later session.
    key_protection.forget_session()
    given = tmp_path / "pw.txt"
    given.write_text(CHOSEN + "\n")
    key_protection.configure(given)
    assert keys.device_key(home).public == keys.device_public_key(home)


def test_a_wrong_passphrase_says_so_and_lets_them_retry(qtbot, tmp_path, dialog_only):
    home = tmp_path / "clinic"
    drive([fill(CHOSEN, CHOSEN)])
    assert unlock_for(home, device=True, district=False) == ""
    public = keys.device_public_key(home)
    key_protection.forget_session()  # the app was closed and started again

    seen = drive([fill("mango tree by the wall"), fill(CHOSEN)])
    assert unlock_for(home, device=True, district=False) == ""
    assert seen[0] == ("Unlock the keys", "")
    assert (
        seen[1][0] == "Unlock the keys"
        and "does not unlock this computer's signing key" in seen[1][1]
    )
    assert keys.device_key(home).public == public  # unlocked for the rest of the session: no dialog


def test_cancel_stops_the_export_with_one_sentence_and_changes_nothing(
    qtbot, tmp_path, mini, dialog_only
):
    home = tmp_path / "clinic"
    with Store(database_path(home)) as store:
        store.new_assessment(mini, _profile())
    stick = tmp_path / "stick"
    stick.mkdir()
    runner = TaskRunner(lambda: Store(database_path(home)))
    dialog = ExportDialog(None, home, runner)
    qtbot.addWidget(dialog)
    dialog.places.set_folder(stick)
    dialog.full.setChecked(True)  # straight to writing: the first need of the device key
    seen = drive([cancel])
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    runner.shutdown()
    assert seen == [("Protect this computer's keys", "")]
    assert dialog.message.text() == "Stopped: the passphrase was not given, so nothing was changed."
    assert list(stick.iterdir()) == []
    assert not (home / "keys" / keys.DEVICE_KEY_FILE).exists()
    assert dialog.export_button.isEnabled()


def _profile():
    from guidecheck.checklist.model import Profile

    return Profile(facility_name="Kisumu East Health Centre", facility_code="KE-0042", district="Kisumu East",
                   tool_name="ChestScan", use_category="diagnostic_imaging", assessor_name="Amina Otieno",
                   date="2025-03-31")  # fmt: skip


def test_the_dialog_fits_a_netbook_screen_and_says_what_is_at_stake(qtbot):
    dialog = PassphraseDialog(
        key_protection.PassphraseRequest("this computer's signing key", creating=True)
    )
    qtbot.addWidget(dialog)
    dialog.show()
    hint = dialog.sizeHint()
    assert hint.width() <= 1024 and hint.height() <= 600
    assert dialog.intro.wordWrap() and "cannot be recovered" in dialog.intro.text()
