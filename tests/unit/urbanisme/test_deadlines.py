from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from demarches.urbanisme.deadlines import (
    SilenceOutcome,
    add_months,
    certificat_expiry,
    certificat_extension_deadline,
    end_of_paris_day,
    extend_certificat,
    instruction_deadline,
    paris_date,
)
from demarches.urbanisme.errors import CertificatExtensionTooLateError
from demarches.urbanisme.request_type import RequestType


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 15), 1, date(2026, 2, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2026, 11, 30), 2, date(2027, 1, 30)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2026, 4, 30), -2, date(2026, 2, 28)),
        (date(2026, 1, 10), -1, date(2025, 12, 10)),
    ],
)
def test_add_months_clamps_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_cua_deadline_is_one_month() -> None:
    deadline = instruction_deadline(RequestType.CUA, _utc(2026, 1, 15, 10))

    assert deadline.last_day == date(2026, 2, 15)
    assert deadline.outcome is SilenceOutcome.CERTIFICAT_TACITE
    assert "R410-9" in deadline.article


def test_cub_deadline_is_two_months() -> None:
    deadline = instruction_deadline(RequestType.CUB, _utc(2026, 1, 15, 10))

    assert deadline.last_day == date(2026, 3, 15)
    assert deadline.outcome is SilenceOutcome.CERTIFICAT_TACITE
    assert "R410-10" in deadline.article


def test_dia_deadline_is_two_months_then_waiver() -> None:
    deadline = instruction_deadline(RequestType.DIA, _utc(2026, 3, 31, 9))

    assert deadline.last_day == date(2026, 5, 31)
    assert deadline.outcome is SilenceOutcome.RENONCIATION_PREEMPTION
    assert "R213-7" in deadline.article


def test_cua_month_end_clamps() -> None:
    assert instruction_deadline(RequestType.CUA, _utc(2026, 1, 31, 9)).last_day == date(2026, 2, 28)


def test_cua_leap_year_february() -> None:
    assert instruction_deadline(RequestType.CUA, _utc(2028, 1, 31, 9)).last_day == date(2028, 2, 29)


def test_receipt_date_is_the_paris_date() -> None:
    # 23:30 UTC on 31 January is 00:30 on 1 February in Paris (UTC+1 in winter).
    deadline = instruction_deadline(RequestType.CUA, _utc(2026, 1, 31, 23, 30))

    assert deadline.received_on == date(2026, 2, 1)
    assert deadline.last_day == date(2026, 3, 1)


def test_receipt_date_in_summer_uses_utc_plus_two() -> None:
    # 22:30 UTC on 30 June is 00:30 on 1 July in Paris (UTC+2 in summer).
    assert paris_date(_utc(2026, 6, 30, 22, 30)) == date(2026, 7, 1)
    assert paris_date(_utc(2026, 6, 30, 21, 30)) == date(2026, 6, 30)


def test_receipt_during_spring_forward_night() -> None:
    # Clocks jump from 02:00 to 03:00 on 29 March 2026; 01:30 UTC is 03:30 in Paris.
    deadline = instruction_deadline(RequestType.CUA, _utc(2026, 3, 29, 1, 30))

    assert deadline.received_on == date(2026, 3, 29)
    assert deadline.last_day == date(2026, 4, 29)


@pytest.mark.parametrize(
    ("last_day", "expected_utc"),
    [
        (date(2026, 3, 28), _utc(2026, 3, 28, 23)),  # next midnight still in winter time
        (date(2026, 3, 29), _utc(2026, 3, 29, 22)),  # 23-hour day: summer time from 02:00
        (date(2026, 10, 24), _utc(2026, 10, 24, 22)),  # next midnight still in summer time
        (date(2026, 10, 25), _utc(2026, 10, 25, 23)),  # 25-hour day: winter time from 03:00
    ],
)
def test_silence_instant_across_daylight_saving(last_day: date, expected_utc: datetime) -> None:
    assert end_of_paris_day(last_day) == expected_utc


def test_silence_instant_after_last_day() -> None:
    deadline = instruction_deadline(RequestType.CUB, _utc(2026, 1, 29, 12))

    assert deadline.last_day == date(2026, 3, 29)
    assert deadline.silence_decision_at == _utc(2026, 3, 29, 22)


def test_paris_date_rejects_naive_datetime() -> None:
    with pytest.raises(ValueError, match="aware"):
        paris_date(datetime(2026, 1, 1, 12))


def test_certificat_is_valid_eighteen_months() -> None:
    assert certificat_expiry(date(2026, 3, 15)) == date(2027, 9, 15)


def test_certificat_validity_clamps_to_month_end() -> None:
    assert certificat_expiry(date(2024, 8, 31)) == date(2026, 2, 28)


def test_extension_adds_one_year() -> None:
    new_expiry = extend_certificat(date(2027, 9, 15), requested_on=date(2027, 7, 15))

    assert new_expiry == date(2028, 9, 15)


def test_extension_can_be_repeated_from_the_new_expiry() -> None:
    first = extend_certificat(date(2027, 9, 15), requested_on=date(2027, 6, 1))
    second = extend_certificat(first, requested_on=date(2028, 7, 1))

    assert second == date(2029, 9, 15)


def test_extension_requested_too_late_is_rejected() -> None:
    with pytest.raises(CertificatExtensionTooLateError) as caught:
        extend_certificat(date(2027, 9, 15), requested_on=date(2027, 7, 16))

    assert caught.value.code == "certificat_extension_too_late"
    assert caught.value.details["latest_request_day"] == "2027-07-15"


def test_extension_after_expiry_is_rejected() -> None:
    with pytest.raises(CertificatExtensionTooLateError):
        extend_certificat(date(2027, 9, 15), requested_on=date(2027, 10, 1))


@pytest.mark.parametrize(
    ("expires_on", "latest"),
    [
        (date(2026, 4, 30), date(2026, 2, 28)),
        (date(2028, 4, 30), date(2028, 2, 29)),
        (date(2026, 12, 31), date(2026, 10, 31)),
    ],
)
def test_extension_deadline_is_two_months_before(expires_on: date, latest: date) -> None:
    assert certificat_extension_deadline(expires_on) == latest
