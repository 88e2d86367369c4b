"""The officer's last look before a device decision: who, for which facilities, and what follows.

Approving lets a laptop change the district's records; refusing deletes what it sent; revoking
stops it for good. Each opens a box naming the laptop, the facility codes at stake and the
consequence in plain words, with Cancel as the default button, so an Enter pressed by habit
changes nothing. The approve box also shows the enrolment code in six groups of four, large and
fixed-width, to compare once more with the clinic reading it out by phone.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from guidecheck.gui.shell.labels import tr


def _codes(codes: tuple[str, ...] | list[str]) -> str:
    return html.escape(", ".join(codes) or "-")


def _code_block(code: str) -> str:
    """The enrolment code as six spaced groups in a large fixed-width face."""
    groups = "&nbsp;&nbsp;".join(html.escape(g) for g in code.split())
    return f'<p style="font-family: monospace; font-size: x-large; font-weight: bold;">{groups}</p>'


def decision_box(
    parent: QWidget | None, title: str, text: str, action: str, icon: QMessageBox.Icon
) -> QMessageBox:
    """The box, not yet shown: its action button, and Cancel as default and Escape button."""
    box = QMessageBox(icon, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.RichText)
    # wide enough that a device id stays on one line and the text reads in lines, not a column
    box.setStyleSheet("QLabel#qt_msgbox_label { min-width: 30em; }")
    box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setText(tr("Cancel"))
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    return box


def _ask(box: QMessageBox) -> bool:
    box.exec()
    clicked = box.clickedButton()
    return clicked is not None and clicked is not box.escapeButton()


def approve_box(
    parent: QWidget | None, device_id: str, code: str, codes: list[str], bundles: int
) -> QMessageBox:
    text = tr(
        "<p>Approve laptop <b>{device}</b> for facilities <b>{codes}</b>?</p>"
        "<p>Ask the clinic to read its code again, group by group, and compare:</p>{block}"
        "<p>Its waiting bundles ({n}) will be imported and will change the district's records for these facilities.</p>"
    ).format(device=html.escape(device_id), codes=_codes(codes), block=_code_block(code), n=bundles)
    return decision_box(parent, tr("Approve this laptop?"), text, tr("Approve and import"),
                        QMessageBox.Icon.Question)  # fmt: skip


def refuse_box(
    parent: QWidget | None, device_id: str, code: str, codes: tuple[str, ...], bundles: int
) -> QMessageBox:
    text = tr(
        "<p>Refuse laptop <b>{device}</b> (code {code})?</p>"
        "<p>It asked to report for facilities <b>{codes}</b>. Its waiting bundles ({n}) will be deleted "
        "and nothing in them will reach the district's records. Later bundles from this laptop will be refused.</p>"
    ).format(
        device=html.escape(device_id),
        code=html.escape(code).replace(" ", "&nbsp;"),
        codes=_codes(codes),
        n=bundles,
    )
    return decision_box(parent, tr("Refuse this laptop?"), text, tr("Refuse laptop"),
                        QMessageBox.Icon.Warning)  # fmt: skip


def revoke_box(
    parent: QWidget | None, device_id: str, code: str, codes: tuple[str, ...]
) -> QMessageBox:
    text = tr(
        "<p>Revoke laptop <b>{device}</b> (code {code})?</p>"
        "<p>It is approved for facilities <b>{codes}</b>. What it already sent stays in the district's records, "
        "but every later bundle from it will be refused. Do this when a laptop is lost, stolen or replaced.</p>"
    ).format(
        device=html.escape(device_id),
        code=html.escape(code).replace(" ", "&nbsp;"),
        codes=_codes(codes),
    )
    return decision_box(parent, tr("Revoke this laptop?"), text, tr("Revoke laptop"),
                        QMessageBox.Icon.Warning)  # fmt: skip


def confirm_approve(parent: QWidget | None, device_id: str, code: str, codes: list[str],
                    bundles: int) -> bool:  # fmt: skip
    return _ask(approve_box(parent, device_id, code, codes, bundles))


def confirm_refuse(parent: QWidget | None, device_id: str, code: str, codes: tuple[str, ...],
                   bundles: int) -> bool:  # fmt: skip
    return _ask(refuse_box(parent, device_id, code, codes, bundles))


def confirm_revoke(parent: QWidget | None, device_id: str, code: str,
                   codes: tuple[str, ...]) -> bool:  # fmt: skip
    return _ask(revoke_box(parent, device_id, code, codes))
