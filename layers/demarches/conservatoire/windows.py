"""Enrollment windows of a school year: re-enrollment for current pupils, then general enrollment.

Each school opens a re-enrollment window reserved to its current pupils (persons with a
confirmed enrollment in the same school the previous school year), then a general window open
to everyone, current pupils included. Both windows are configuration. An instant inside a
window is ``opens_at <= instant < closes_at``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from demarches.clock import iso_utc, to_paris
from demarches.errors import DemarcheError

from .catalogue import School
from .errors import EnrollmentClosedError, EnrollmentNotOpenError, ReenrollmentReservedError

_MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def format_paris(instant: datetime) -> str:
    """Format an instant as French Paris time, such as ``1er juin 2026 à 9 h 00``."""
    local = to_paris(instant)
    day = "1er" if local.day == 1 else str(local.day)
    return f"{day} {_MONTHS_FR[local.month - 1]} {local.year} à {local.hour} h {local.minute:02d}"


@dataclass(frozen=True)
class Window:
    """Period between two aware instants, the closing one excluded."""

    opens_at: datetime
    closes_at: datetime

    def __post_init__(self) -> None:
        if self.opens_at.tzinfo is None or self.closes_at.tzinfo is None:
            raise ValueError("window instants must be aware datetimes")
        if self.closes_at <= self.opens_at:
            raise ValueError(
                f"window closes at {self.closes_at} before it opens at {self.opens_at}"
            )

    def contains(self, instant: datetime) -> bool:
        return self.opens_at <= instant < self.closes_at


@dataclass(frozen=True)
class EnrollmentWindows:
    """Re-enrollment and general windows of one school for one school year.

    The re-enrollment window opens first and closes no later than the general window. The two
    may overlap, and a gap between them is allowed.
    """

    school: School
    school_year: str
    reenrollment: Window
    general: Window

    def __post_init__(self) -> None:
        if self.reenrollment.opens_at >= self.general.opens_at:
            raise ValueError(
                f"{self.school} {self.school_year}: the re-enrollment window must open before "
                "the general window"
            )
        if self.reenrollment.closes_at > self.general.closes_at:
            raise ValueError(
                f"{self.school} {self.school_year}: the re-enrollment window must close no later "
                "than the general window"
            )


class Audience(StrEnum):
    """Group of people allowed to enroll at an instant."""

    NOBODY = "nobody"
    CURRENT_PUPILS = "current_pupils"
    EVERYONE = "everyone"


@dataclass(frozen=True)
class WindowDecision:
    """Whether a person may enroll now; when not, the error to raise, with its code and message."""

    audience: Audience
    error: DemarcheError | None = None

    @property
    def allowed(self) -> bool:
        return self.error is None

    @property
    def code(self) -> str | None:
        return None if self.error is None else self.error.code

    @property
    def message(self) -> str | None:
        return None if self.error is None else self.error.message


def audience_at(windows: EnrollmentWindows, instant: datetime) -> Audience:
    if windows.general.contains(instant):
        return Audience.EVERYONE
    if windows.reenrollment.contains(instant):
        return Audience.CURRENT_PUPILS
    return Audience.NOBODY


def decide_enrollment(
    windows: EnrollmentWindows, instant: datetime, *, current_pupil: bool
) -> WindowDecision:
    """Decide whether a current pupil, or anyone else, may enroll at ``instant``."""
    audience = audience_at(windows, instant)
    if audience is Audience.EVERYONE:
        return WindowDecision(audience)
    if audience is Audience.CURRENT_PUPILS:
        if current_pupil:
            return WindowDecision(audience)
        return WindowDecision(audience, _reserved_error(windows))
    if instant >= windows.general.closes_at:
        return WindowDecision(audience, _closed_error(windows))
    return WindowDecision(audience, _not_open_error(windows, instant, current_pupil=current_pupil))


def require_enrollment_open(
    windows: EnrollmentWindows, instant: datetime, *, current_pupil: bool
) -> None:
    """Raise the error of ``decide_enrollment`` when the person may not enroll at ``instant``."""
    error = decide_enrollment(windows, instant, current_pupil=current_pupil).error
    if error is not None:
        raise error


def _reserved_error(windows: EnrollmentWindows) -> ReenrollmentReservedError:
    return ReenrollmentReservedError(
        "La période de réinscription est réservée aux élèves de l'année en cours. "
        f"Les inscriptions ouvrent à tous le {format_paris(windows.general.opens_at)}.",
        details={"opens_at": iso_utc(windows.general.opens_at)},
    )


def _closed_error(windows: EnrollmentWindows) -> EnrollmentClosedError:
    return EnrollmentClosedError(
        f"Les inscriptions {windows.school_year} sont closes depuis le "
        f"{format_paris(windows.general.closes_at)}. Contactez le secrétariat de l'école.",
        details={"closed_at": iso_utc(windows.general.closes_at)},
    )


def _not_open_error(
    windows: EnrollmentWindows, instant: datetime, *, current_pupil: bool
) -> EnrollmentNotOpenError:
    # A current pupil who comes before re-enrollment opens gets the earlier date.
    if current_pupil and instant < windows.reenrollment.opens_at:
        opens_at = windows.reenrollment.opens_at
        message = f"La réinscription ouvre le {format_paris(opens_at)}."
    else:
        opens_at = windows.general.opens_at
        message = f"Les inscriptions {windows.school_year} ouvrent le {format_paris(opens_at)}."
    return EnrollmentNotOpenError(message, details={"opens_at": iso_utc(opens_at)})
