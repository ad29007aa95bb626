"""Due dates of the two acknowledgements owed for an electronic submission (L112-11 CRPA).

The accusé d'enregistrement électronique is sent at once, or failing that within one working
day of receipt. The accusé de réception, when not instantaneous, is sent at the latest 7 days
after receipt, and its content is set by R112-5 CRPA (see ``documents``). Both limits come from
the regulatory articles of the CRPA that implement L112-11.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

from holidays import HolidayBase, country_holidays

from demarches.urbanisme.deadlines import paris_date

ACCUSE_RECEPTION_DAYS = 7
"""Calendar days after receipt within which the accusé de réception is sent."""

_SATURDAY = 5


@cache
def _public_holidays(subdivision: str | None) -> HolidayBase:
    # French names whatever the machine's locale; years are filled in on first lookup.
    # Same calendar as holidays.France(language="fr"), through the typed factory.
    return country_holidays("FR", subdiv=subdivision, language="fr")


def is_working_day(day: date, *, subdivision: str | None = None) -> bool:
    """Tell whether ``day`` is a working day: Monday to Friday and not a French public holiday.

    ``subdivision`` is the département code when it has extra public holidays, for example
    ``"57"`` for Moselle (Alsace-Moselle law); mainland départements need none.
    """
    if day.weekday() >= _SATURDAY:
        return False
    return day not in _public_holidays(subdivision)


def next_working_day(day: date, *, subdivision: str | None = None) -> date:
    """Return the first working day strictly after ``day``."""
    candidate = day + timedelta(days=1)
    while not is_working_day(candidate, subdivision=subdivision):
        candidate += timedelta(days=1)
    return candidate


def accuse_enregistrement_due(received_at: datetime, *, subdivision: str | None = None) -> date:
    """Return the last day to send the accusé d'enregistrement: the next working day after receipt.

    The product sends it at once; this date is the legal limit when sending failed.
    """
    return next_working_day(paris_date(received_at), subdivision=subdivision)


def accuse_reception_due(received_at: datetime) -> date:
    """Return the last day to send the accusé de réception: 7 calendar days after receipt."""
    return paris_date(received_at) + timedelta(days=ACCUSE_RECEPTION_DAYS)
