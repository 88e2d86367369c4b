"""District settings kept in the hub database (meta table), so the CLI and the app agree.

Only one for now: how many months after an assessment a re-assessment is due. The seed guidance
asks for ongoing monitoring of AI tools in use; 12 months is the default.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from guidecheck.errors import UserError
from guidecheck.i18n import _

if TYPE_CHECKING:
    from guidecheck.storage.store import Store

REASSESS_KEY = "district.reassess_months"
DEFAULT_REASSESS_MONTHS = 12
MAX_REASSESS_MONTHS = 120


def reassess_months(store: Store) -> int:
    """The re-assessment interval in months (the default when unset or unreadable)."""
    text = store.get_meta(REASSESS_KEY)
    try:
        months = int(text) if text is not None else DEFAULT_REASSESS_MONTHS
    except ValueError:
        return DEFAULT_REASSESS_MONTHS
    return months if 1 <= months <= MAX_REASSESS_MONTHS else DEFAULT_REASSESS_MONTHS


def set_reassess_months(store: Store, months: int, actor: str = "") -> None:
    """Store a new interval (1–120 months), audited like every other change."""
    if not isinstance(months, int) or not 1 <= months <= MAX_REASSESS_MONTHS:
        raise UserError(
            _("The re-assessment interval must be a whole number of months from 1 to {n}.").format(
                n=MAX_REASSESS_MONTHS
            )
        )
    old = reassess_months(store)
    with store.atomic():
        store.set_meta(REASSESS_KEY, str(months))
        store.record_audit(actor, "setting", REASSESS_KEY, "set", "value", old, months)
