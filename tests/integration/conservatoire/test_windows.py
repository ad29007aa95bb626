"""Re-enrollment window for current pupils, then general enrollment, at their exact bounds.

The conservatoire's 2026-2027 windows, Europe/Paris: re-enrollment from 26 May 2026 09:00 to
13 June 00:00, general enrollment from 15 June 09:00 to 19 September 00:00, each bound being
the first instant inside (opening) or after (closing) its window.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.conftest import ApiClient
from tests.integration.conservatoire.conftest import YEAR, enroll

COURSE = "cons-guitare-c1"
SECOND = timedelta(seconds=1)


@pytest.fixture(scope="module")
def windows(api):
    catalogue = ApiClient(api).get(f"/conservatoire/{YEAR}/catalogue").json()
    raw = catalogue["schools"][0]["enrollment"]
    return {
        name: {
            bound: datetime.fromisoformat(raw[name][bound]) for bound in ("opens_at", "closes_at")
        }
        for name in ("reenrollment", "general")
    }


def test_windows_are_configured_paris_times(windows):
    assert windows["reenrollment"]["opens_at"].isoformat() == "2026-05-26T07:00:00+00:00"
    assert windows["reenrollment"]["closes_at"].isoformat() == "2026-06-12T22:00:00+00:00"
    assert windows["general"]["opens_at"].isoformat() == "2026-06-15T07:00:00+00:00"
    assert windows["general"]["closes_at"].isoformat() == "2026-09-18T22:00:00+00:00"


def test_window_bounds_are_enforced(windows, new_family, make_current_pupil, reset_course, clock):
    reset_course(COURSE)
    reenrollment, general = windows["reenrollment"], windows["general"]
    cases = [
        # (instant, current pupil, expected status, expected code)
        (reenrollment["opens_at"] - SECOND, True, 409, "enrollment_not_open"),
        (reenrollment["opens_at"], True, 201, None),
        (reenrollment["opens_at"], False, 403, "reenrollment_reserved_for_current_pupils"),
        (reenrollment["closes_at"] - SECOND, True, 201, None),
        (
            reenrollment["closes_at"] - SECOND,
            False,
            403,
            "reenrollment_reserved_for_current_pupils",
        ),
        (reenrollment["closes_at"], True, 409, "enrollment_not_open"),
        (general["opens_at"] - SECOND, False, 409, "enrollment_not_open"),
        (general["opens_at"], False, 201, None),
        (general["closes_at"] - SECOND, False, 201, None),
        (general["closes_at"], False, 410, "enrollment_closed"),
        (general["closes_at"], True, 410, "enrollment_closed"),
    ]

    for instant, current_pupil, status, code in cases:
        family = new_family()
        if current_pupil:
            make_current_pupil(family, family.children[0])
        clock.instant = instant

        response = enroll(family, COURSE)

        label = f"{instant.isoformat()} current_pupil={current_pupil}"
        assert response.status_code == status, f"{label}: {response.text}"
        if code is not None:
            assert response.json()["code"] == code, label


def test_not_open_error_gives_the_next_opening(windows, new_family, make_current_pupil, clock):
    pupil, newcomer = new_family(), new_family()
    make_current_pupil(pupil, pupil.children[0])
    clock.instant = windows["reenrollment"]["opens_at"] - timedelta(days=3)

    early_pupil = enroll(pupil, COURSE).json()
    early_newcomer = enroll(newcomer, COURSE).json()

    assert early_pupil["details"]["opens_at"] == "2026-05-26T07:00:00Z"
    assert early_pupil["message"] == "La réinscription ouvre le 26 mai 2026 à 9 h 00."
    assert early_newcomer["details"]["opens_at"] == "2026-06-15T07:00:00Z"
