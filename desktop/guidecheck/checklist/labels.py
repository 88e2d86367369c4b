"""Plain words for stored codes (verdicts, compliance answers, priorities), through the catalogue."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from guidecheck.i18n import _, format_number

if TYPE_CHECKING:  # the dataclasses are not needed to word a code (the home screen uses this)
    from guidecheck.checklist.model import Item


def cut_percent(value: float | None) -> float | None:
    """A score as a number cut to one decimal (79.96 -> 79.9), for spreadsheets and averages;
    float noise such as 28.999999 counts as 29."""
    if value is None:
        return None
    tenths = math.floor(round(float(value) * 10, 6))
    return tenths // 10 if tenths % 10 == 0 else tenths / 10


def format_percent(value: float | None, missing: str = "–") -> str:
    """The one way a score is written, everywhere: cut (never rounded up) to one decimal, so
    79.96 reads "79.9%" and never "80%"; whole numbers drop the ".0" ("80%")."""
    if value is None:
        return missing
    return _("{n}%").format(n=percent_digits(value))  # "79,9 %" in French


def percent_digits(value: float) -> str:
    """The number of `format_percent` without its sign, in the language's way ("79,9" in French)."""
    tenths = math.floor(round(float(value) * 10, 6))
    return format_number(tenths // 10) if tenths % 10 == 0 else format_number(tenths / 10, 1)


def verdict_label(verdict: str | None) -> str:
    if verdict is None:
        return _("No verdict (survey)")
    return {
        "ready": _("Ready"),
        "ready_with_conditions": _("Ready with conditions"),
        "not_ready": _("Not ready"),
    }.get(verdict, verdict)


def verdict_explanation(verdict: str | None) -> str:
    if verdict is None:
        return _("This checklist is a survey: it has no scoring.")
    return {
        "ready": _("The tool meets the guidance well enough to be used as it is."),
        "ready_with_conditions": _("The tool can be used while the action plan is carried out."),
        "not_ready": _("The tool should not be used until the red flags and main gaps are fixed."),
    }.get(verdict, "")


def compliance_label(value: str) -> str:
    return {
        "yes": _("Yes"),
        "partly": _("Partly"),
        "no": _("No"),
        "dont_know": _("Don't know"),
        "na": _("Not applicable"),
    }.get(value, value)


def priority_label(priority: str) -> str:
    return {"critical": _("Critical"), "high": _("High"), "medium": _("Medium")}.get(
        priority, priority
    )


def status_label(status: str) -> str:
    return {"draft": _("Draft"), "final": _("Final")}.get(status, status)


def use_category_label(category: str) -> str:
    return {
        "diagnostic_imaging": _("Diagnostic imaging"),
        "predictive_analytics": _("Predictive analytics"),
        "patient_triage": _("Patient triage"),
        "health_system_management": _("Health system management"),
        "chatbot_generative": _("Chatbots and generative AI"),
        "other": _("Other"),
    }.get(category, category)


def phase_label(phase: str) -> str:
    return {
        "preparing": _("Preparing (not used on patients yet)"),
        "pilot": _("Pilot (tried on some patients)"),
        "rollout": _("Roll-out (being extended)"),
        "routine": _("Routine use"),
    }.get(phase, phase)


def level_label(level: str) -> str:
    return {"clinic": _("Clinic"), "district": _("District or national team")}.get(level, level)


def answer_text(item: Item, value: Any, lang: str = "en") -> str:
    """An answer as a person reads it: choice labels, plain compliance words, numbers with unit."""
    if value is None or value == "" or value == []:
        return _("(not answered)")
    if item.type == "compliance":
        return compliance_label(str(value))
    if item.type == "single_choice":
        choice = item.choice(str(value))
        return choice.label.get(lang) if choice else str(value)
    if item.type == "multiple_choice":
        names = [(c.label.get(lang) if (c := item.choice(v)) else str(v)) for v in value]
        return ", ".join(names)
    if item.type == "number":
        unit = item.unit.get(lang)
        text = f"{value:g}" if isinstance(value, float) else str(value)
        return f"{text} {unit}".strip()
    return str(value)
