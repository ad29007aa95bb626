from __future__ import annotations

from datetime import UTC, datetime

import pytest

from demarches.urbanisme.errors import (
    RegistrationNumberInvalidError,
    RegistrationSequenceExhaustedError,
)
from demarches.urbanisme.registration import (
    RegistrationNumber,
    allocate_registration_number,
    parse_registration_number,
)
from demarches.urbanisme.request_type import RequestType

from .fakes import InMemoryRegistrationCounter


def test_number_format() -> None:
    number = RegistrationNumber(RequestType.DIA, "55545", 2026, 123)

    assert str(number) == "DIA-055545-2026-000123"


def test_corsican_commune_keeps_its_letters() -> None:
    assert str(RegistrationNumber(RequestType.CUA, "2A004", 2026, 1)) == "CUa-02A004-2026-000001"


def test_parse_round_trips() -> None:
    number = RegistrationNumber(RequestType.CUB, "55505", 2027, 999_999)

    assert parse_registration_number(str(number)) == number


@pytest.mark.parametrize(
    "text",
    [
        "DIA-55545-2026-000123",
        "DIA-155545-2026-000123",
        "PC-055545-2026-000123",
        "dia-055545-2026-000123",
        "DIA-055545-26-000123",
        "DIA-055545-2026-123",
        "DIA-055545-2026-000000",
        "",
    ],
)
def test_parse_rejects_malformed_numbers(text: str) -> None:
    with pytest.raises(RegistrationNumberInvalidError):
        parse_registration_number(text)


def test_allocation_takes_the_next_sequence() -> None:
    counter = InMemoryRegistrationCounter()
    received = datetime(2026, 6, 1, 10, tzinfo=UTC)

    first = allocate_registration_number(counter, RequestType.DIA, "55545", received)
    second = allocate_registration_number(counter, RequestType.DIA, "55505", received)

    assert str(first) == "DIA-055545-2026-000001"
    assert str(second) == "DIA-055505-2026-000002"


def test_each_type_has_its_own_sequence() -> None:
    counter = InMemoryRegistrationCounter()
    received = datetime(2026, 6, 1, 10, tzinfo=UTC)

    allocate_registration_number(counter, RequestType.DIA, "55545", received)
    number = allocate_registration_number(counter, RequestType.CUA, "55545", received)

    assert number.sequence == 1


def test_year_is_the_paris_year_of_receipt() -> None:
    # 23:30 UTC on 31 December 2026 is already 2027 in Paris.
    counter = InMemoryRegistrationCounter()

    number = allocate_registration_number(
        counter, RequestType.CUB, "55545", datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    )

    assert number.year == 2027


def test_exhausted_sequence_is_rejected() -> None:
    counter = InMemoryRegistrationCounter({(RequestType.DIA, 2026): 999_999})

    with pytest.raises(RegistrationSequenceExhaustedError):
        allocate_registration_number(
            counter, RequestType.DIA, "55545", datetime(2026, 6, 1, tzinfo=UTC)
        )
