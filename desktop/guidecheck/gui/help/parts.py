"""Which part of the user guide belongs to which screen (no Qt: read at start-up for the status
bar's help link)."""

from __future__ import annotations

from guidecheck.i18n import current_language

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


# The same headings in the translated guides (docs/user-guide.<lang>.md).
PARTS_BY_LANGUAGE: dict[str, dict[str, str]] = {
    "en": PARTS,
    "fr": {
        "HomeScreen": "1. Accueil",
        "NewAssessmentScreen": "3. Établissement et outil d'IA",
        "WalkthroughScreen": "4. Répondre aux questions",
        "ReviewScreen": "5. Revue",
        "FinalizeScreen": "6. Finaliser et signer",
        "SummaryScreen": "7. Résultat",
        "DistrictHub": "Centre du district",
        "SettingsDialog": "Paramètres",
    },
    "pt": {
        "HomeScreen": "1. Início",
        "NewAssessmentScreen": "3. Unidade sanitária e ferramenta de IA",
        "WalkthroughScreen": "4. Responder às perguntas",
        "ReviewScreen": "5. Revisão",
        "FinalizeScreen": "6. Finalizar e assinar",
        "SummaryScreen": "7. Resultado",
        "DistrictHub": "Central do distrito",
        "SettingsDialog": "Definições",
    },
}


def part_title(screen: str) -> str:
    """The guide heading for a screen in the current language (empty: the guide's start)."""
    return PARTS_BY_LANGUAGE.get(current_language(), PARTS).get(screen, "")
