"""The public timetable: weekly hours, closures with their reasons, horizon and booking rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

from demarches import bootstrap
from demarches.aquadrome.api import TimetableOut
from demarches.aquadrome.timetable import load_timetable
from demarches.clock import FixedClock, SystemClock
from tests.conftest import ApiClient

HOLIDAYS = {date(2026, 12, 25): "Noël", date(2027, 1, 1): "Jour de l'an"}


def test_timetable_public_without_token(api):
    bootstrap.use_clock(FixedClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC)))
    try:
        response = ApiClient(api).get("/aquadrome/timetable")
    finally:
        bootstrap.use_clock(SystemClock())

    assert response.status_code == 200, response.text
    body = response.json()
    # The stack runs on tests/data/timetable-test.json.
    assert body["facility"] == "Bassin d'essai"
    assert body["horizon_days"] == 3
    assert body["cancellation_minutes_before"] == 60
    assert body["closed_on_public_holidays"] is False
    assert body["closures"] == []
    assert body["booking_opens"] == {"weekday": "monday", "time": "08:00", "weeks_before": 1}
    assert [entry["weekday"] for entry in body["weekly"]][:2] == ["monday", "tuesday"]
    assert body["weekly"][6]["sessions"][0] == {"start": "07:00", "end": "07:30"}


def test_timetable_lists_closures_with_reasons():
    timetable = load_timetable("aquadrome-grand-verdun")

    out = TimetableOut.of(timetable, date(2026, 12, 20), HOLIDAYS)

    closures = {(c.start, c.end): c.reason for c in out.closures}
    assert closures[(date(2027, 1, 4), date(2027, 1, 10))] == "Vidange annuelle des bassins"
    assert closures[(date(2026, 12, 25), date(2026, 12, 25))] == "Jour férié : Noël"
    assert closures[(date(2027, 1, 1), date(2027, 1, 1))] == "Jour férié : Jour de l'an"
    assert out.horizon_days == 14
    assert out.weekly[6].sessions[0].start == "09:00"


def test_timetable_holidays_only_within_horizon():
    timetable = load_timetable("aquadrome-grand-verdun")

    out = TimetableOut.of(timetable, date(2026, 12, 1), HOLIDAYS)

    reasons = [c.reason for c in out.closures]
    assert "Jour férié : Noël" not in reasons
    assert "Vidange annuelle des bassins" in reasons
