"""The one place that wires adapters to use cases, from the settings read at cold start.

Each service is built on first use and kept for the warm life of the Lambda process, so a
route pays only for the modules it needs. Tests replace the clock with ``use_clock``.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from demarches.clock import Clock, SystemClock
from demarches.settings import Settings, get_settings

if TYPE_CHECKING:
    from demarches.aquadrome.usecases import AquadromeService
    from demarches.households.domain import HouseholdDirectory
    from demarches.identity import TokenVerifier
    from demarches.notifications import Mailer

_clock: list[Clock] = [SystemClock()]


def clock() -> Clock:
    return _clock[0]


def use_clock(new_clock: Clock) -> None:
    """Replace the clock of every service (tests and the embedded stack's time travel)."""
    _clock[0] = new_clock


class _ClockProxy:
    def now(self):  # type: ignore[no-untyped-def]
        return _clock[0].now()


def settings() -> Settings:
    return get_settings()


def clear_caches() -> None:
    """Forget every built service, so the next call reads the settings again."""
    get_settings.cache_clear()
    for name, value in list(globals().items()):
        if callable(value) and hasattr(value, "cache_clear") and name != "get_settings":
            value.cache_clear()


@cache
def token_verifier() -> TokenVerifier:
    from demarches.identity import TokenVerifier

    config = settings()
    return TokenVerifier(
        issuer=config.jwt_issuer,
        audience=config.jwt_audience,
        jwks_url=config.jwks_url,
        jwks_path=config.jwks_path,
    )


@cache
def household_directory() -> HouseholdDirectory:
    from demarches.adapters.aws import client
    from demarches.adapters.dynamodb_households import DynamoDBHouseholdDirectory

    config = settings()
    return DynamoDBHouseholdDirectory(client("dynamodb", config), config.households_table)


@cache
def mailer() -> Mailer:
    from demarches.adapters.aws import client
    from demarches.notifications import SesMailer

    config = settings()
    return SesMailer(client("sesv2", config), config.mail_sender)


@cache
def aquadrome_service() -> AquadromeService:
    import holidays

    from demarches.adapters.aws import client
    from demarches.adapters.dynamodb_aquadrome import DynamoDBBookingStore
    from demarches.aquadrome.timetable import load_timetable
    from demarches.aquadrome.usecases import AquadromeService

    config = settings()
    store = DynamoDBBookingStore(
        client("dynamodb", config),
        slots_table=config.aquadrome_slots_table,
        bookings_table=config.aquadrome_bookings_table,
        quotas_table=config.aquadrome_quotas_table,
        households_table=config.households_table,
    )
    return AquadromeService(
        store,
        load_timetable(config.aquadrome_timetable),
        _ClockProxy(),
        config.ticket_secret.encode(),
        lambda years: holidays.France(years=list(years), language="fr").keys(),
    )
