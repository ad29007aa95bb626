"""Periscolaire activities: morning garderie, cantine and evening garderie, with their deadlines
and capacities per school and day."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

from demarches.famille.calendar import DeadlineRule, Weekday, weekday_of
from demarches.famille.errors import ActivityUnknownError


class CapacityOverride(BaseModel):
    """Capacity of one school on one date, e.g. a smaller room during works."""

    model_config = ConfigDict(frozen=True)

    school_id: str
    day: date
    capacity: int = Field(ge=0)


class ActivitySettings(BaseModel):
    """One bookable activity and its rules.

    The capacity of a session (school, day) is the most specific value configured: a dated
    override, then the school's weekday value, then the school's value, then
    ``default_capacity``. It is the number of children the staff may supervise, a safety limit.
    """

    model_config = ConfigDict(frozen=True)

    code: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    label: str = Field(min_length=1, description="Name shown to families, e.g. Cantine.")
    booking_deadline: DeadlineRule
    cancellation_deadline: DeadlineRule | None = Field(
        default=None, description="Deadline to cancel; None reuses the booking deadline."
    )
    weekdays: frozenset[Weekday] | None = Field(
        default=None, description="Weekdays the activity runs; None means every school day."
    )
    default_capacity: int = Field(ge=0)
    capacity_by_school: dict[str, int] = Field(default_factory=dict)
    capacity_by_school_weekday: dict[str, dict[Weekday, int]] = Field(default_factory=dict)
    capacity_overrides: tuple[CapacityOverride, ...] = ()

    @model_validator(mode="after")
    def _check_capacities(self) -> ActivitySettings:
        values = list(self.capacity_by_school.values())
        for by_weekday in self.capacity_by_school_weekday.values():
            values.extend(by_weekday.values())
        if any(value < 0 for value in values):
            raise ValueError(f"activity {self.code}: a capacity must not be negative")
        return self

    @property
    def effective_cancellation_deadline(self) -> DeadlineRule:
        return self.cancellation_deadline or self.booking_deadline

    def runs_on(self, day: date) -> bool:
        return self.weekdays is None or weekday_of(day) in self.weekdays

    def capacity(self, school_id: str, day: date) -> int:
        for override in self.capacity_overrides:
            if override.school_id == school_id and override.day == day:
                return override.capacity
        by_weekday = self.capacity_by_school_weekday.get(school_id, {})
        weekday = weekday_of(day)
        if weekday in by_weekday:
            return by_weekday[weekday]
        return self.capacity_by_school.get(school_id, self.default_capacity)


class ActivityCatalogue:
    """The configured activities, in display order."""

    def __init__(self, activities: Iterable[ActivitySettings]) -> None:
        self._activities = {activity.code: activity for activity in activities}
        if not self._activities:
            raise ValueError("the activity catalogue is empty")

    def __contains__(self, code: object) -> bool:
        return code in self._activities

    def __iter__(self) -> Iterator[ActivitySettings]:
        return iter(self._activities.values())

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self._activities)

    def get(self, code: str) -> ActivitySettings:
        try:
            return self._activities[code]
        except KeyError:
            raise ActivityUnknownError(
                f"unknown activity {code!r}: expected one of {', '.join(self._activities)}",
                field="activity",
            ) from None

    def position(self, code: str) -> int:
        """Return the display rank of an activity, used to sort invoice and list lines."""
        return self.codes.index(code)
