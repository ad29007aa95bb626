"""French formatting of dates, amounts and areas for documents sent to the public."""

from __future__ import annotations

from datetime import date, datetime

from demarches.clock import PARIS

_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
# French typography separates thousands and units with a non-breaking space.
_NBSP = "\u00a0"


def format_date_fr(day: date) -> str:
    """Format a date the French way: ``1er mars 2026``, ``14 juillet 2026``."""
    day_text = "1er" if day.day == 1 else str(day.day)
    return f"{day_text} {_MONTHS[day.month - 1]} {day.year}"


def format_datetime_fr(instant: datetime) -> str:
    """Format an aware instant in Paris time: ``4 décembre 2026 à 16 h 05``."""
    local = instant.astimezone(PARIS)
    return f"{format_date_fr(local.date())} à {local.hour} h {local.minute:02d}"


def _group_thousands(number: int) -> str:
    return f"{number:,}".replace(",", _NBSP)


def format_euros(cents: int) -> str:
    """Format an amount in cents: ``185 000,00 €`` with non-breaking spaces."""
    sign = "-" if cents < 0 else ""
    euros, remainder = divmod(abs(cents), 100)
    return f"{sign}{_group_thousands(euros)},{remainder:02d}{_NBSP}€"


def format_area(square_metres: int) -> str:
    """Format an area: ``1 250 m²``."""
    return f"{_group_thousands(square_metres)}{_NBSP}m²"
