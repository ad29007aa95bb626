from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from demarches.clock import paris_datetime
from demarches.conservatoire.catalogue import School
from demarches.conservatoire.errors import (
    EnrollmentClosedError,
    EnrollmentNotOpenError,
    ReenrollmentReservedError,
)
from demarches.conservatoire.windows import (
    Audience,
    EnrollmentWindows,
    Window,
    audience_at,
    decide_enrollment,
    format_paris,
    require_enrollment_open,
)

REENROLLMENT_OPENS = paris_datetime(date(2026, 5, 26), time(9, 0))
REENROLLMENT_CLOSES = paris_datetime(date(2026, 6, 13), time(0, 0))
GENERAL_OPENS = paris_datetime(date(2026, 6, 15), time(9, 0))
GENERAL_CLOSES = paris_datetime(date(2026, 9, 19), time(0, 0))
SECOND = timedelta(seconds=1)


@pytest.fixture
def windows() -> EnrollmentWindows:
    return EnrollmentWindows(
        school=School.CONSERVATOIRE,
        school_year="2026-2027",
        reenrollment=Window(REENROLLMENT_OPENS, REENROLLMENT_CLOSES),
        general=Window(GENERAL_OPENS, GENERAL_CLOSES),
    )


@pytest.mark.parametrize(
    ("instant", "audience"),
    [
        (REENROLLMENT_OPENS - SECOND, Audience.NOBODY),
        (REENROLLMENT_OPENS, Audience.CURRENT_PUPILS),
        (REENROLLMENT_CLOSES - SECOND, Audience.CURRENT_PUPILS),
        (REENROLLMENT_CLOSES, Audience.NOBODY),
        (GENERAL_OPENS, Audience.EVERYONE),
        (GENERAL_CLOSES - SECOND, Audience.EVERYONE),
        (GENERAL_CLOSES, Audience.NOBODY),
    ],
)
def test_audience_follows_window_bounds(
    windows: EnrollmentWindows, instant: datetime, audience: Audience
) -> None:
    assert audience_at(windows, instant) is audience


def test_current_pupil_may_enroll_during_reenrollment(windows: EnrollmentWindows) -> None:
    decision = decide_enrollment(windows, REENROLLMENT_OPENS, current_pupil=True)
    assert decision.allowed
    assert decision.code is None
    assert decision.message is None


def test_newcomer_is_turned_away_during_reenrollment(windows: EnrollmentWindows) -> None:
    decision = decide_enrollment(windows, REENROLLMENT_OPENS, current_pupil=False)
    assert not decision.allowed
    assert decision.code == "reenrollment_reserved_for_current_pupils"
    assert isinstance(decision.error, ReenrollmentReservedError)
    assert decision.message is not None
    assert "15 juin 2026 à 9 h 00" in decision.message


@pytest.mark.parametrize("current_pupil", [True, False])
def test_everyone_may_enroll_during_general_window(
    windows: EnrollmentWindows, current_pupil: bool
) -> None:
    assert decide_enrollment(windows, GENERAL_OPENS, current_pupil=current_pupil).allowed


def test_current_pupil_early_is_given_reenrollment_date(windows: EnrollmentWindows) -> None:
    decision = decide_enrollment(windows, REENROLLMENT_OPENS - SECOND, current_pupil=True)
    assert decision.code == "enrollment_not_open"
    assert decision.message == "La réinscription ouvre le 26 mai 2026 à 9 h 00."
    assert decision.error is not None
    assert decision.error.details == {"opens_at": "2026-05-26T07:00:00Z"}


def test_newcomer_early_is_given_general_date(windows: EnrollmentWindows) -> None:
    decision = decide_enrollment(windows, REENROLLMENT_OPENS - SECOND, current_pupil=False)
    assert decision.code == "enrollment_not_open"
    assert decision.message == "Les inscriptions 2026-2027 ouvrent le 15 juin 2026 à 9 h 00."


@pytest.mark.parametrize("current_pupil", [True, False])
def test_gap_between_windows_gives_general_date(
    windows: EnrollmentWindows, current_pupil: bool
) -> None:
    decision = decide_enrollment(windows, REENROLLMENT_CLOSES, current_pupil=current_pupil)
    assert decision.code == "enrollment_not_open"
    assert decision.error is not None
    assert decision.error.details == {"opens_at": "2026-06-15T07:00:00Z"}


@pytest.mark.parametrize("current_pupil", [True, False])
def test_after_general_window_enrollment_is_closed(
    windows: EnrollmentWindows, current_pupil: bool
) -> None:
    decision = decide_enrollment(windows, GENERAL_CLOSES, current_pupil=current_pupil)
    assert isinstance(decision.error, EnrollmentClosedError)
    assert decision.code == "enrollment_closed"
    assert decision.message is not None
    assert "19 septembre 2026 à 0 h 00" in decision.message


def test_require_enrollment_open_raises_the_decision_error(windows: EnrollmentWindows) -> None:
    with pytest.raises(EnrollmentNotOpenError):
        require_enrollment_open(windows, REENROLLMENT_OPENS - SECOND, current_pupil=False)


def test_require_enrollment_open_returns_when_allowed(windows: EnrollmentWindows) -> None:
    require_enrollment_open(windows, GENERAL_OPENS, current_pupil=False)


def test_error_families_match_http_meaning(windows: EnrollmentWindows) -> None:
    reserved = decide_enrollment(windows, REENROLLMENT_OPENS, current_pupil=False).error
    closed = decide_enrollment(windows, GENERAL_CLOSES, current_pupil=False).error
    assert reserved is not None
    assert closed is not None
    assert reserved.to_body()["code"] == "reenrollment_reserved_for_current_pupils"
    assert closed.to_body()["code"] == "enrollment_closed"


def test_format_paris_uses_summer_time() -> None:
    assert format_paris(datetime(2026, 6, 1, 7, 0, tzinfo=UTC)) == "1er juin 2026 à 9 h 00"


def test_format_paris_uses_winter_time() -> None:
    assert format_paris(datetime(2026, 12, 2, 17, 5, tzinfo=UTC)) == "2 décembre 2026 à 18 h 05"


def test_windows_reject_reenrollment_opening_after_general() -> None:
    with pytest.raises(ValueError, match="must open before"):
        EnrollmentWindows(
            School.ATELIER_ART,
            "2026-2027",
            reenrollment=Window(GENERAL_OPENS, GENERAL_CLOSES),
            general=Window(REENROLLMENT_OPENS, GENERAL_CLOSES),
        )


def test_windows_reject_reenrollment_closing_after_general() -> None:
    with pytest.raises(ValueError, match="close no later"):
        EnrollmentWindows(
            School.ATELIER_ART,
            "2026-2027",
            reenrollment=Window(REENROLLMENT_OPENS, GENERAL_CLOSES + SECOND),
            general=Window(GENERAL_OPENS, GENERAL_CLOSES),
        )


def test_window_rejects_inverted_bounds() -> None:
    with pytest.raises(ValueError, match="before it opens"):
        Window(GENERAL_CLOSES, GENERAL_OPENS)


def test_window_rejects_naive_instants() -> None:
    with pytest.raises(ValueError, match="aware"):
        Window(datetime(2026, 6, 1, 9, 0), datetime(2026, 6, 2, 9, 0))
