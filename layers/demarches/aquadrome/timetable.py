"""Pool timetable: weekly opening hours, closures, capacity and booking rules, as configuration."""

from __future__ import annotations

import datetime as dt
from datetime import date, time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
_BUNDLED = Path(__file__).with_name("timetables")


class Closure(BaseModel):
    model_config = ConfigDict(frozen=True)

    start: date
    end: date = Field(description="Last closed day, inclusive.")
    reason: str

    @model_validator(mode="after")
    def _check_order(self) -> Closure:
        if self.end < self.start:
            raise ValueError(f"closure ends ({self.end}) before it starts ({self.start})")
        return self

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


class BookingOpening(BaseModel):
    """When the slots of a week open: ``weekday`` at ``time``, ``weeks_before`` that week."""

    model_config = ConfigDict(frozen=True)

    weekday: Weekday = "monday"
    time: dt.time = dt.time(8, 0)
    weeks_before: int = Field(1, ge=0, le=8)


class Timetable(BaseModel):
    model_config = ConfigDict(frozen=True)

    facility: str
    capacity: int = Field(gt=0, le=2000, description="Places per session (health and safety).")
    weekly: dict[Weekday, list[tuple[time, time]]]
    closures: list[Closure] = []
    closed_on_public_holidays: bool = True
    booking_opens: BookingOpening = BookingOpening()
    booking_closes_minutes_before: int = Field(0, ge=0)
    cancellation_minutes_before: int = Field(120, ge=0)
    check_in_opens_minutes_before: int = Field(
        30, ge=0, le=240, description="How early before its session a ticket is admitted."
    )
    household_weekly_quota: int = Field(8, gt=0, description="Places per household and week.")
    max_persons_per_booking: int = Field(8, gt=0, le=20)
    horizon_days: int = Field(14, gt=0, le=90)

    @field_validator("weekly")
    @classmethod
    def _check_sessions(
        cls, weekly: dict[Weekday, list[tuple[time, time]]]
    ) -> dict[Weekday, list[tuple[time, time]]]:
        for weekday, sessions in weekly.items():
            for start, end in sessions:
                if end <= start:
                    raise ValueError(f"{weekday} session {start}-{end} ends before it starts")
        return weekly


def load_timetable(name_or_path: str) -> Timetable:
    """Load a bundled timetable by name or a timetable JSON file by path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = _BUNDLED / f"{name_or_path}.json"
    return Timetable.model_validate_json(path.read_text(encoding="utf-8"))
