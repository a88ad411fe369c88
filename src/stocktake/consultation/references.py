"""Framework references: SDG goals, targets and indicators, and human-rights instruments."""

from __future__ import annotations

import re

HUMAN_RIGHTS_INSTRUMENTS = {
    "UDHR": "Universal Declaration of Human Rights",
    "ICCPR": "International Covenant on Civil and Political Rights",
    "ICESCR": "International Covenant on Economic, Social and Cultural Rights",
    "ICERD": "International Convention on the Elimination of All Forms of Racial Discrimination",
    "CEDAW": "Convention on the Elimination of All Forms of Discrimination against Women",
    "CAT": "Convention against Torture",
    "CRC": "Convention on the Rights of the Child",
    "ICRMW": "International Convention on the Protection of the Rights of All Migrant Workers and Members of Their Families",
    "CRPD": "Convention on the Rights of Persons with Disabilities",
    "CPED": "International Convention for the Protection of All Persons from Enforced Disappearance",
    "UNTOC": "United Nations Convention against Transnational Organized Crime and its Protocols",
    "ILO-C097": "ILO Migration for Employment Convention (No. 97)",
    "ILO-C143": "ILO Migrant Workers (Supplementary Provisions) Convention (No. 143)",
    "ILO-C189": "ILO Domestic Workers Convention (No. 189)",
    "REFUGEE-1951": "Convention relating to the Status of Refugees",
}

_SDG = re.compile(r"^(?:sdg\s*)?(\d{1,2})(?:\.([0-9]{1,2}|[a-z]))?(?:\.(\d{1,2}))?$", re.IGNORECASE)


def parse_reference(text: str) -> tuple[str, str] | None:
    """('sdg', '10.7.2') for 'SDG 10.7.2', ('hr', 'ICRMW') for 'ICRMW'; None when not recognised."""
    value = text.strip()
    match = _SDG.match(value)
    if match:
        goal = int(match.group(1))
        if not 1 <= goal <= 17:
            return None
        parts = [str(goal)] + [p.lower() for p in match.groups()[1:] if p]
        return ("sdg", ".".join(parts))
    code = value.upper().removeprefix("HR:").strip()
    if code in HUMAN_RIGHTS_INSTRUMENTS:
        return ("hr", code)
    return None


def format_reference(scheme: str, code: str) -> str:
    return f"SDG {code}" if scheme == "sdg" else code
