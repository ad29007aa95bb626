"""School years and calendar months, the two periods that registrations and invoices use."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_LABEL = re.compile(r"^(\d{4})-(\d{4})$")


@dataclass(frozen=True, order=True)
class SchoolYear:
    """School year from 1 September of ``start_year`` to 31 August of the next year.

    The national rentrée falls in the last days of August or the first days of September. The
    periscolaire service counts from 1 September, so that a calendar month never belongs to
    two school years.
    """

    start_year: int

    @classmethod
    def containing(cls, day: date) -> SchoolYear:
        return cls(day.year if day.month >= 9 else day.year - 1)

    @classmethod
    def parse(cls, label: str) -> SchoolYear:
        """Parse a label such as ``2026-2027``; raise ValueError on any other text."""
        match = _LABEL.match(label)
        if match is None or int(match[2]) != int(match[1]) + 1:
            raise ValueError(f"invalid school year {label!r}: expected YYYY-YYYY, e.g. 2026-2027")
        return cls(int(match[1]))

    @property
    def label(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"

    @property
    def first_day(self) -> date:
        return date(self.start_year, 9, 1)

    @property
    def last_day(self) -> date:
        return date(self.start_year + 1, 8, 31)

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, order=True)
class Month:
    """Calendar month, the billing period of periscolaire invoices."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"invalid month {self.month}: expected 1 to 12")

    @classmethod
    def containing(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        next_first = date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return next_first - timedelta(days=1)

    def contains(self, day: date) -> bool:
        return day.year == self.year and day.month == self.month

    @property
    def school_year(self) -> SchoolYear:
        return SchoolYear.containing(self.first_day)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
