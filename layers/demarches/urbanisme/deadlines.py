"""Legal instruction deadlines of urbanism requests and the validity of a certificat d'urbanisme.

Every deadline counts in whole days of the Europe/Paris calendar from the date of receipt. A
deadline of n months ends on the day of the n-th month that has the same number as the day of
receipt, or on the last day of that month when it is shorter (31 January + 1 month = 28 or 29
February). The silence decision arises at the end of that last day, at midnight in Paris.

NOTE: a last day falling on a Saturday, Sunday or public holiday is not moved to the next
working day. Whether an instruction deadline is extended that way is not settled here.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from demarches.clock import PARIS
from demarches.urbanisme.errors import CertificatExtensionTooLateError
from demarches.urbanisme.request_type import RequestType

INSTRUCTION_MONTHS: dict[RequestType, int] = {
    RequestType.CUA: 1,
    RequestType.CUB: 2,
    RequestType.DIA: 2,
}
"""Instruction deadline in months: CUa 1 (R410-9), CUb 2 (R410-10), DIA 2 (R213-7)."""

INSTRUCTION_ARTICLES: dict[RequestType, str] = {
    RequestType.CUA: "R410-9 du code de l'urbanisme",
    RequestType.CUB: "R410-10 du code de l'urbanisme",
    RequestType.DIA: "R213-7 du code de l'urbanisme",
}

CERTIFICAT_VALIDITY_MONTHS = 18
"""A certificat d'urbanisme, express or tacit, is valid 18 months from its date (R410-17)."""

CERTIFICAT_EXTENSION_MONTHS = 12
"""Each extension of a certificat d'urbanisme adds one year to its validity (R410-17)."""

CERTIFICAT_EXTENSION_NOTICE_MONTHS = 2
"""An extension must be requested at least 2 months before the certificate expires (R410-17)."""


class SilenceOutcome(StrEnum):
    """Decision that the administration's silence produces when the deadline ends."""

    CERTIFICAT_TACITE = "certificat_tacite"
    """Tacit certificat d'urbanisme (R410-12)."""
    RENONCIATION_PREEMPTION = "renonciation_preemption"
    """Waiver of preemption (R213-7): the owner may sell at the declared price and terms."""


SILENCE_OUTCOMES: dict[RequestType, SilenceOutcome] = {
    RequestType.CUA: SilenceOutcome.CERTIFICAT_TACITE,
    RequestType.CUB: SilenceOutcome.CERTIFICAT_TACITE,
    RequestType.DIA: SilenceOutcome.RENONCIATION_PREEMPTION,
}


@dataclass(frozen=True)
class InstructionDeadline:
    """The deadline of one request: its last day and the decision that silence produces after it."""

    request_type: RequestType
    received_on: date
    last_day: date
    outcome: SilenceOutcome

    @property
    def silence_decision_at(self) -> datetime:
        """Instant (UTC) the silence decision arises: midnight in Paris after the last day."""
        return end_of_paris_day(self.last_day)

    @property
    def article(self) -> str:
        return INSTRUCTION_ARTICLES[self.request_type]


def add_months(day: date, months: int) -> date:
    """Add (or subtract, when negative) calendar months, clamping to the end of a shorter month."""
    month_index = day.year * 12 + (day.month - 1) + months
    year, month_zero_based = divmod(month_index, 12)
    month = month_zero_based + 1
    last_day_of_month = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day_of_month))


def paris_date(instant: datetime) -> date:
    """Return the Europe/Paris calendar date of an aware instant."""
    if instant.tzinfo is None:
        raise ValueError(f"Expected an aware datetime, got the naive {instant.isoformat()}")
    return instant.astimezone(PARIS).date()


def end_of_paris_day(day: date) -> datetime:
    """Return midnight in Paris at the end of ``day``, as an aware UTC instant.

    The day may last 23 or 25 hours across a daylight-saving change: the instant is computed
    from the next day's wall clock, never by adding 24 hours.
    """
    next_midnight = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=PARIS)
    return next_midnight.astimezone(UTC)


def instruction_deadline(request_type: RequestType, received_at: datetime) -> InstructionDeadline:
    """Compute the instruction deadline of a request from the instant it was received.

    CUa: 1 month (R410-9); CUb: 2 months (R410-10); silence gives a tacit certificate
    (R410-12). DIA: 2 months (R213-7); silence is a waiver of the preemption right. A DIA
    deadline may be suspended: see ``demarches.urbanisme.dia_suspension``.
    """
    received_on = paris_date(received_at)
    return InstructionDeadline(
        request_type=request_type,
        received_on=received_on,
        last_day=add_months(received_on, INSTRUCTION_MONTHS[request_type]),
        outcome=SILENCE_OUTCOMES[request_type],
    )


def certificat_expiry(issued_on: date) -> date:
    """Return the last day of validity of a certificat d'urbanisme: 18 months (R410-17).

    ``issued_on`` is the date of the express certificate, or for a tacit certificate the day
    after the last day of instruction.
    """
    return add_months(issued_on, CERTIFICAT_VALIDITY_MONTHS)


def certificat_extension_deadline(expires_on: date) -> date:
    """Return the last day on which an extension may be requested: 2 months before expiry."""
    return add_months(expires_on, -CERTIFICAT_EXTENSION_NOTICE_MONTHS)


def extend_certificat(expires_on: date, requested_on: date) -> date:
    """Return the new last day of validity after a one-year extension (R410-17).

    The extension must be requested at least 2 months before the certificate expires. It may
    be granted again for another year by the same rule, from the extended expiry. The
    administration also checks that the rules and easements have not changed; that check is
    the agent's, not this function's.

    Raises CertificatExtensionTooLateError when requested after the notice period started.
    """
    latest_request_day = certificat_extension_deadline(expires_on)
    if requested_on > latest_request_day:
        raise CertificatExtensionTooLateError(
            f"The extension was requested on {requested_on.isoformat()}, after "
            f"{latest_request_day.isoformat()}: it must be requested at least "
            f"{CERTIFICAT_EXTENSION_NOTICE_MONTHS} months before the certificate expires on "
            f"{expires_on.isoformat()} (R410-17). Request a new certificate instead.",
            field="requested_on",
            details={
                "expires_on": expires_on.isoformat(),
                "latest_request_day": latest_request_day.isoformat(),
            },
        )
    return add_months(expires_on, CERTIFICAT_EXTENSION_MONTHS)
