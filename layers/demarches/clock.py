"""Time in Europe/Paris, the legal time of every deadline the démarches compute."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Protocol
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


class Clock(Protocol):
    """Source of the current instant, replaced by a fixed clock in tests."""

    def now(self) -> datetime:
        """Return the current instant as an aware UTC datetime."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """Clock frozen at one instant, moved forward by hand."""

    def __init__(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.instant = instant.astimezone(UTC)

    def now(self) -> datetime:
        return self.instant


def paris_datetime(day: date, at: time) -> datetime:
    """Return the aware instant of a Paris wall-clock time, in UTC.

    Wall-clock times inside the spring-forward gap do not exist; zoneinfo shifts them by the
    gap, which is what a resident reading a timetable would expect.
    """
    return datetime.combine(day, at, tzinfo=PARIS).astimezone(UTC)


def to_paris(instant: datetime) -> datetime:
    return instant.astimezone(PARIS)


def iso_utc(instant: datetime) -> str:
    """Format an instant as ``YYYY-MM-DDTHH:MM:SSZ``, which sorts as text in DynamoDB."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso_utc(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
