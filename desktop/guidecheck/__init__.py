"""GuideCheck: offline checks of an AI tool against the WHO 2025 guidance on AI in health care."""

__version__ = "0.1.0"
GUIDANCE = "WHO guidelines on AI in health care (2025)"
