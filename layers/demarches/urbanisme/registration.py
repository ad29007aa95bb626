"""Registration numbers of urbanism requests, such as ``DIA-055545-2026-000123``.

The four parts are the request type, the commune's INSEE code padded to six characters with a
leading zero, the year of receipt in Paris, and a six-digit sequence per type and year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from demarches.urbanisme.deadlines import paris_date
from demarches.urbanisme.errors import (
    RegistrationNumberInvalidError,
    RegistrationSequenceExhaustedError,
)
from demarches.urbanisme.parcels import INSEE_CODE_PATTERN
from demarches.urbanisme.ports import RegistrationCounter
from demarches.urbanisme.request_type import RequestType

MAX_SEQUENCE = 999_999

_REGISTRATION_NUMBER = re.compile(
    rf"(?P<request_type>CUa|CUb|DIA)-0(?P<code_insee>{INSEE_CODE_PATTERN})"
    r"-(?P<year>[0-9]{4})-(?P<sequence>[0-9]{6})"
)


@dataclass(frozen=True)
class RegistrationNumber:
    """Number given to a request at receipt, printed on every acknowledgement and decision."""

    request_type: RequestType
    code_insee: str
    year: int
    sequence: int

    def __str__(self) -> str:
        return f"{self.request_type}-0{self.code_insee}-{self.year:04d}-{self.sequence:06d}"


def parse_registration_number(text: str) -> RegistrationNumber:
    """Parse ``TYPE-0INSEE-YEAR-SEQUENCE``; raise RegistrationNumberInvalidError otherwise."""
    match = _REGISTRATION_NUMBER.fullmatch(text.strip())
    if match is None or int(match["sequence"]) == 0:
        raise RegistrationNumberInvalidError(
            f"Invalid registration number {text!r}: expected TYPE-0INSEE-YEAR-SEQUENCE with "
            "TYPE CUa, CUb or DIA, for example DIA-055545-2026-000123.",
            details={"value": text},
        )
    return RegistrationNumber(
        request_type=RequestType(match["request_type"]),
        code_insee=match["code_insee"],
        year=int(match["year"]),
        sequence=int(match["sequence"]),
    )


def allocate_registration_number(
    counter: RegistrationCounter,
    request_type: RequestType,
    code_insee: str,
    received_at: datetime,
) -> RegistrationNumber:
    """Take the next number of the request type for the Paris year of receipt.

    Raises RegistrationSequenceExhaustedError past 999,999 requests of one type in one year.
    """
    year = paris_date(received_at).year
    sequence = counter.next(request_type, year)
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise RegistrationSequenceExhaustedError(
            f"The counter returned {sequence} for {request_type} {year}, outside 1 to "
            f"{MAX_SEQUENCE}: the registration number has six digits for the sequence.",
            details={"request_type": str(request_type), "year": year, "sequence": sequence},
        )
    return RegistrationNumber(
        request_type=request_type, code_insee=code_insee, year=year, sequence=sequence
    )
