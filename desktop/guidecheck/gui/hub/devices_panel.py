"""The hub's "Devices" tab: laptops whose bundles wait for the officer's approval.

A bundle from a device the hub has not approved is held, never applied. Here the officer sees
each waiting device with its enrolment code and the facility codes its bundles claim, asks the
clinic (by phone or in person) to read the code from its About screen, types the digits the
clinic reads, and approves the device for the facilities it may report for, or refuses it.
Approve stays off until the typed code matches, so a glance at similar digits is not enough.
Below, the approved laptops, each of which the officer can revoke (a lost or stolen laptop).
Every decision first asks in a box that names the laptop, its facilities and what follows, with
Cancel as the default (gui/hub/device_confirm.py).
The work runs on the task runner (guidecheck.bundles.approval); this widget only shows results.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from guidecheck.gui.hub.device_confirm import confirm_approve, confirm_refuse, confirm_revoke
from guidecheck.gui.shell.labels import tr
from guidecheck.gui.shell.tasks import TaskContext, TaskRunner


def load_devices(context: TaskContext) -> tuple[list[Any], list[Any]]:
    """(devices waiting with held bundles, devices approved), for the two lists of the tab."""
    from guidecheck.bundles.enrolment import APPROVED, devices, pending_devices

    conn = context.store.conn
    return pending_devices(conn), [d for d in devices(conn) if d.status == APPROVED]


def _show_two_rows(table: QTableWidget) -> None:
    """Never squeeze a list below its header, two rows and its sideways scroll bar."""
    rows = 2 * max(table.verticalHeader().defaultSectionSize(), table.sizeHintForRow(0))
    # the layout shares the height between the two lists from this minimum, not from a default size
    table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
    # a long title over the narrowed last column is cut at its end, not at both sides
    table.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
    table.setMinimumHeight(table.horizontalHeader().sizeHint().height() + rows
                           + table.horizontalScrollBar().sizeHint().height()
                           + 2 * table.frameWidth())  # fmt: skip


class DevicesPanel(QWidget):
    """Waiting devices, the code check, Approve and Refuse; approved devices and Revoke."""

    changed = Signal(int)  # number of devices still waiting
    decided = Signal(str)  # the summary shown after a decision
    failed = Signal(object)

    def __init__(self, home: Path, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.home = Path(home)
        self.runner = runner
        self.rows: list[Any] = []
        self.approved: list[Any] = []
        # In a scroll area: at 1024×600 with 150% text the two lists keep two readable rows each
        # and the window scrolls this tab instead of growing past the screen.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(scroll)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)
        self.explain = QLabel(
            tr("Bundles from laptops this hub has not approved wait here; nothing in them is used yet. "
               "Ask the clinic to read the enrolment code from its About screen, type it below, and "
               "approve the laptop for the facility codes it reports for."), self)  # fmt: skip
        self.explain.setWordWrap(True)
        layout.addWidget(self.explain)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels(
            [
                tr("Enrolment code"),
                tr("Facilities claimed"),
                tr("Bundles"),
                tr("First seen"),
                tr("Device id"),
            ]  # fmt: skip
        )
        self.table.setAccessibleName(tr("Devices waiting for approval"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        layout.addWidget(self.table, 1)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.code_edit = QLineEdit(self)
        self.code_edit.setFont(self._code_font())
        self.code_edit.setPlaceholderText("0000 0000 0000 0000 0000 0000")
        self.code_edit.setAccessibleName(tr("Enrolment code read by the clinic"))
        self.facilities_edit = QLineEdit(self)
        self.facilities_edit.setAccessibleName(tr("Facility codes this laptop may report for"))
        form.addRow(tr("Code read by the clinic:"), self.code_edit)
        form.addRow(tr("Facility codes (comma between):"), self.facilities_edit)
        layout.addLayout(form)
        self.check = QLabel("", self)
        self.check.setWordWrap(True)
        bold = self.check.font()
        bold.setBold(True)
        self.check.setFont(bold)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check, 1)
        self.approve_button = QPushButton(tr("Approve and import…"), self)
        self.refuse_button = QPushButton(tr("Refuse…"), self)
        self.refuse_button.setAccessibleDescription(
            tr("Refuse this laptop; its waiting bundles are deleted")
        )
        buttons.addWidget(self.refuse_button)
        buttons.addWidget(self.approve_button)
        layout.addLayout(buttons)
        self.result = QLabel("", self)
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.result)
        self.approved_title = QLabel(tr("Approved laptops"), self)
        self.approved_title.setFont(bold)
        self.approved_table = QTableWidget(0, 4, self)
        self.approved_table.setHorizontalHeaderLabels(
            [tr("Enrolment code"), tr("Facilities"), tr("Approved on"), tr("Device id")]
        )
        self.approved_table.setAccessibleName(tr("Approved laptops"))
        self.approved_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.approved_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.approved_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.approved_table.verticalHeader().setVisible(False)
        self.approved_table.horizontalHeader().setStretchLastSection(True)
        revoke_row = QHBoxLayout()
        revoke_row.addWidget(self.approved_title, 1)
        self.revoke_button = QPushButton(tr("Revoke…"), self)
        self.revoke_button.setAccessibleDescription(
            tr("Stop accepting bundles from the selected laptop; what it sent stays")
        )
        revoke_row.addWidget(self.revoke_button)
        layout.addLayout(revoke_row)
        layout.addWidget(self.approved_table, 1)
        self.approved_table.itemSelectionChanged.connect(self._update_buttons)
        self.revoke_button.clicked.connect(self.revoke)
        self.table.itemSelectionChanged.connect(self._selected)
        self.code_edit.textChanged.connect(self._update_buttons)
        self.facilities_edit.textChanged.connect(self._update_buttons)
        self.approve_button.clicked.connect(self.approve)
        self.refuse_button.clicked.connect(self.refuse)
        self._update_buttons()

    def reload(self) -> None:
        self.runner.run(load_devices, self._loaded, self.failed.emit)

    def _loaded(self, found: tuple[list[Any], list[Any]]) -> None:
        self.set_approved(found[1])
        self.set_rows(found[0])

    def set_approved(self, approved: list[Any]) -> None:
        self.approved = approved
        self.approved_table.setRowCount(len(approved))
        for n, device in enumerate(approved):
            values = [device.enrol_code, ", ".join(device.facilities) or "-",
                      (device.decided_at or "")[:10], device.device_id]  # fmt: skip
            for column, value in enumerate(values):
                self.approved_table.setItem(n, column, QTableWidgetItem(value))
            self.approved_table.item(n, 0).setFont(self._code_font())
        self.approved_table.resizeColumnsToContents()
        _show_two_rows(self.approved_table)
        self._update_buttons()

    def current_approved(self) -> Any | None:
        rows = self.approved_table.selectionModel().selectedRows()
        row = rows[0].row() if rows else -1
        return self.approved[row] if 0 <= row < len(self.approved) else None

    def set_rows(self, rows: list[Any]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for n, row in enumerate(rows):
            values = [row.enrol_code, ", ".join(row.facility_codes) or "-", str(row.bundles),
                      row.first_seen[:16].replace("T", " "), row.device_id]  # fmt: skip
            for column, value in enumerate(values):
                self.table.setItem(n, column, QTableWidgetItem(value))
            code_item = self.table.item(n, 0)
            code_item.setFont(self._code_font())
            if row.other_key_approved:
                warning = tr(
                    "This device id is already approved with another key: refuse unless the clinic replaced its laptop."
                )
                for column in range(5):
                    self.table.item(n, column).setToolTip(warning)
        self.table.resizeColumnsToContents()
        _show_two_rows(self.table)
        if not rows:
            self.check.setText(tr("No laptop is waiting for approval."))
        if rows:
            self.table.selectRow(0)
        self._selected()
        self.changed.emit(len(rows))

    def _code_font(self) -> QFont:
        """Digits in a fixed-width face, a little larger: groups line up when read aloud."""
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(self.font().pointSizeF() * 1.15)
        return font

    def current(self) -> Any | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _selected(self) -> None:
        row = self.current()
        self.code_edit.clear()
        self.facilities_edit.setText(", ".join(row.facility_codes) if row else "")
        self._update_buttons()

    def typed_codes(self) -> list[str]:
        return [c.strip() for c in self.facilities_edit.text().split(",") if c.strip()]

    def code_matches(self) -> bool:
        from guidecheck.bundles.enrolment import normalize_code
        from guidecheck.errors import UserError

        row = self.current()
        if row is None or not self.code_edit.text().strip():
            return False
        try:
            return normalize_code(self.code_edit.text()) == row.enrol_code
        except UserError:
            return False

    def _update_buttons(self) -> None:
        row = self.current()
        matches = self.code_matches()
        self.approve_button.setEnabled(matches and bool(self.typed_codes()))
        self.refuse_button.setEnabled(row is not None)
        self.revoke_button.setEnabled(self.current_approved() is not None)
        if row is None:
            return
        text = self.code_edit.text().strip()
        if not text:
            self.check.setText(tr("Type the 24 digits the clinic reads out."))
        elif matches and row.other_key_approved:
            self.check.setText(tr("The code matches, but this device id is already approved with another key: "
                                  "approve only if the clinic replaced or reinstalled its laptop."))  # fmt: skip
        elif matches:
            self.check.setText(tr("The code matches this laptop."))
        else:
            self.check.setText(self._mismatch_text(text))

    def _mismatch_text(self, text: str) -> str:
        from guidecheck.bundles.enrolment import normalize_code
        from guidecheck.errors import UserError

        try:
            normalize_code(text)
        except UserError as exc:
            digits = sum(ch.isdigit() for ch in text)
            return exc.message if digits >= 24 else tr("{n} of 24 digits typed.").format(n=digits)
        return tr(
            "The code does not match this laptop: do not approve it. Ask the clinic to read it again."
        )

    def approve(self) -> None:
        row = self.current()
        if row is None or not self.code_matches():
            return
        home, device_id, code, codes = self.home, row.device_id, row.enrol_code, self.typed_codes()
        if not confirm_approve(self, device_id, code, codes, row.bundles):
            return
        from guidecheck.bundles.key_protection import KeyLocked
        from guidecheck.gui.shell.passphrase import unlock_for

        locked = unlock_for(home, device=False)  # its held bundles are decrypted on approval
        if locked:
            self.failed.emit(KeyLocked(locked))
            return

        def work(context: TaskContext) -> str:
            from guidecheck.bundles.approval import approve_device

            decision = approve_device(home, context.store, device_id, codes, code=code,
                                      actor="district officer")  # fmt: skip
            imported = sum(1 for o in decision.outcomes if o.imported)
            lines = [tr("Approved for {codes}; {ok} of {n} waiting bundles imported.").format(
                codes=", ".join(decision.device.facilities), ok=imported, n=len(decision.outcomes))]  # fmt: skip
            lines += [o.summary() for o in decision.outcomes if not o.imported]
            return "\n".join(lines)

        self.approve_button.setEnabled(False)
        self.runner.run(work, self._done, self.failed.emit)

    def refuse(self) -> None:
        row = self.current()
        if row is None:
            return
        device_id, code = row.device_id, row.enrol_code
        if not confirm_refuse(self, device_id, code, row.facility_codes, row.bundles):
            return

        def work(context: TaskContext) -> str:
            from guidecheck.bundles.approval import refuse_device

            _device, dropped = refuse_device(context.store, device_id, code=code,
                                             actor="district officer")  # fmt: skip
            return tr("Refused; {n} waiting bundles deleted.").format(n=dropped)

        self.runner.run(work, self._done, self.failed.emit)

    def revoke(self) -> None:
        device = self.current_approved()
        if device is None:
            return
        device_id, code = device.device_id, device.enrol_code
        if not confirm_revoke(self, device_id, code, device.facilities):
            return

        def work(context: TaskContext) -> str:
            from guidecheck.bundles.approval import revoke_device

            revoke_device(context.store, device_id, code=code, actor="district officer")
            return tr("Revoked {device}; its later bundles will be refused.").format(
                device=device_id
            )

        self.revoke_button.setEnabled(False)
        self.runner.run(work, self._done, self.failed.emit)

    def _done(self, text: str) -> None:
        self.result.setText(text)
        self.decided.emit(text)
        self.reload()
