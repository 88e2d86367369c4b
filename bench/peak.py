"""Peak memory of a bench process where the platform reports it, "n/a" where it does not.

The `resource` module (getrusage) exists on Linux and macOS only; the bench scripts also run on
the Windows laptops the tool ships to, so none of them may import it at the top. Linux reports
`ru_maxrss` in KiB, macOS in bytes: both are turned into MiB here. Child scripts run with
`python -c` cannot import this module, so they embed `CHILD_PEAK_CODE` and print its value
(a number of MiB, or "n/a"), which `parse_mib` reads back.
"""

from __future__ import annotations

import sys

NOT_AVAILABLE = "n/a"

# Code for a `python -c` child script: defines peak(who) -> MiB as text, or "n/a" on Windows.
CHILD_PEAK_CODE = (
    "def peak(who):\n"
    "    try:\n"
    "        import resource\n"
    "    except ImportError:\n"
    "        return 'n/a'\n"
    "    value = resource.getrusage(getattr(resource, who)).ru_maxrss\n"
    "    return str(value / (1024 * 1024 if sys.platform == 'darwin' else 1024))\n"
)


def _maxrss_mib(who: str) -> float | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    value = resource.getrusage(getattr(resource, who)).ru_maxrss
    return value / (1024 * 1024 if sys.platform == "darwin" else 1024)


def peak_mib() -> float | None:
    """This process's peak resident memory in MiB, or None where the platform has no getrusage."""
    return _maxrss_mib("RUSAGE_SELF")


def children_peak_mib() -> float | None:
    """The largest peak resident memory of this process's finished children, in MiB, or None."""
    return _maxrss_mib("RUSAGE_CHILDREN")


def parse_mib(word: str) -> float | None:
    """A peak printed by a child script (`CHILD_PEAK_CODE`): MiB, or None for "n/a"."""
    return None if word == NOT_AVAILABLE else float(word)


def shown(mib: float | None, unit: str = "MB", digits: int = 0) -> str:
    """A peak for a figure line: "123 MB", or "n/a" where the platform reports none."""
    return NOT_AVAILABLE if mib is None else f"{mib:,.{digits}f} {unit}"
