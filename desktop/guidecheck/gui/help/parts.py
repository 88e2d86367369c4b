"""Which part of the user guide belongs to which screen (no Qt: read at start-up for the status
bar's help link)."""

from __future__ import annotations

# Screen (class name) -> the start of its heading in the guide.
PARTS: dict[str, str] = {
    "HomeScreen": "1. Home",
    "NewAssessmentScreen": "3. Facility and AI tool",
    "WalkthroughScreen": "4. Answer the questions",
    "ReviewScreen": "5. Review",
    "FinalizeScreen": "6. Finalize and sign",
    "SummaryScreen": "7. Result",
    "DistrictHub": "District hub",
    "SettingsDialog": "Settings",
}


def part_title(screen: str) -> str:
    """The guide heading for a screen (empty: the guide's start)."""
    return PARTS.get(screen, "")
