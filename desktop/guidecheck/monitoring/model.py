"""Domain objects of the monitoring log: one observation, one monthly tally, and their choices.

An observation is what a health worker saw the tool do (a wrong output, an overruled one, an
outage, a complaint, a possible bias, a near miss) and how bad it was. A tally is the optional
monthly count of uses and overrides, from which the override rate follows.
"""

from __future__ import annotations

from dataclasses import dataclass

from guidecheck.i18n import _

KINDS: tuple[str, ...] = (
    "wrong_output",
    "overridden",
    "unavailable",
    "complaint",
    "possible_bias",
    "near_miss",
)
SEVERITIES: tuple[str, ...] = ("none", "minor", "serious", "harm")
SERIOUS: frozenset[str] = frozenset({"serious", "harm"})


def kind_label(kind: str) -> str:
    """The kind in words, as the form, the reports and the district show it."""
    labels = {
        "wrong_output": _("Wrong or doubtful output"),
        "overridden": _("Output overruled by the clinician"),
        "unavailable": _("Tool unavailable or slow"),
        "complaint": _("Patient complaint or consent concern"),
        "possible_bias": _("Possible bias (worse for a group)"),
        "near_miss": _("Near miss"),
    }
    return labels.get(kind, kind)


def severity_label(severity: str) -> str:
    labels = {
        "none": _("No effect"),
        "minor": _("Minor"),
        "serious": _("Serious"),
        "harm": _("Harm reached a patient"),
    }
    return labels.get(severity, severity)


@dataclass(frozen=True)
class Observation:
    """One logged event about one AI tool at one facility (free text holds no patient identifier)."""

    date: str  # YYYY-MM-DD, the day it happened
    facility_code: str
    tool_id: str
    kind: str
    severity: str
    what_happened: str
    action_taken: str = ""
    id: str = ""
    tool_name: str = ""  # filled in when read back, for display
    recorded_by: str = ""
    created_at: str = ""
    updated_at: str = ""
    origin_device: str = ""

    @property
    def is_serious(self) -> bool:
        return self.severity in SERIOUS


@dataclass(frozen=True)
class Tally:
    """How often one tool was used in one month, and how often the clinician disagreed with it."""

    tool_id: str
    month: str  # YYYY-MM
    times_used: int
    times_overridden: int
    facility_code: str = ""
    tool_name: str = ""
    updated_at: str = ""
    origin_device: str = ""

    @property
    def override_rate(self) -> float | None:
        """Share of uses overruled (0–1), or None for a month with no use."""
        return self.times_overridden / self.times_used if self.times_used else None
