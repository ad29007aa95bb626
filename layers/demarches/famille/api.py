"""Request and response models of the periscolaire HTTP API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from demarches.famille.activities import ActivitySettings
from demarches.famille.billing_service import InvoiceRunSummary
from demarches.famille.calendar import WEEKDAYS, DeadlineRule, Weekday
from demarches.famille.month_calendar import ActivityDay, CalendarDay, ChildMonth, describe_rule
from demarches.famille.ports import (
    ExpectedChild,
    QuotientRequest,
    StoredInvoice,
    StoredRegistration,
    StoredReservation,
)
from demarches.famille.quotient import BirthIdentity, QuotientRecord
from demarches.famille.reservations import (
    DayRequest,
    RejectedItem,
    ReservationItem,
    ReservationRequest,
    WeeklyPatternRequest,
)

_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$"
_ACTIVITY = r"^[a-z][a-z0-9_]{0,39}$"
_PHONE = r"^\+?[0-9 .-]{6,20}$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Registration


class AuthorizedPersonIn(_Model):
    first_name: str = Field(min_length=1, max_length=80)
    last_name: str = Field(min_length=1, max_length=80)
    phone: str = Field(pattern=_PHONE)
    relationship: str = Field(
        min_length=1, max_length=80, description="Link to the children, e.g. grand-mère."
    )


class ConsentsIn(_Model):
    """The family's responses; an absent response leaves the recorded one as it is."""

    quotient_retrieval: bool | None = Field(
        default=None,
        description="Allow the service to retrieve the quotient familial from the CAF, the "
        "MSA or the DGFiP.",
    )
    photo: bool | None = None
    rules: bool | None = Field(default=None, description="Acceptance of the service rules.")


class RegistrationDraft(_Model):
    """The family's responses; children, school and class come from the stored profile."""

    pai: dict[str, bool] = Field(
        default_factory=dict,
        max_length=20,
        description="Child id to PAI flag (projet d'accueil individualisé), yes or no only.",
    )
    authorized_persons: list[AuthorizedPersonIn] = Field(default_factory=list, max_length=10)
    consents: ConsentsIn = Field(default_factory=ConsentsIn)
    contact_phone: str = Field(
        default="", pattern=r"^(\+?[0-9 .-]{6,20})?$", description="Guardians' phone number."
    )


class ConsentIn(_Model):
    kind: Literal["quotient_retrieval", "photo", "rules"]
    given: bool


class ReturnIn(_Model):
    reason: str = Field(min_length=1, max_length=500, description="Shown to the family.")


class GuardianOut(_Model):
    person_id: str
    first_name: str
    last_name: str
    email: str
    phone: str


class ChildOut(_Model):
    child_id: str
    first_name: str
    last_name: str
    birth_date: date
    school_id: str
    class_name: str
    pai: bool


class ConsentOut(_Model):
    kind: str
    given: bool
    at: datetime


class StatusChangeOut(_Model):
    from_status: str
    to_status: str
    at: datetime
    by: str
    reason: str | None


class QuotientRequestOut(_Model):
    status: str
    updated_at: datetime
    reason: str | None = None
    message: str | None = None

    @classmethod
    def of(cls, request: QuotientRequest | None) -> QuotientRequestOut | None:
        if request is None:
            return None
        return cls(
            status=request.status.value,
            updated_at=request.updated_at,
            reason=request.reason,
            message=request.message,
        )


class RegistrationOut(_Model):
    registration_id: str
    household_id: str
    school_year: str
    status: str
    return_reason: str | None
    guardians: list[GuardianOut]
    children: list[ChildOut]
    authorized_persons: list[AuthorizedPersonIn]
    consents: list[ConsentOut]
    history: list[StatusChangeOut]
    quotient_request: QuotientRequestOut | None

    @classmethod
    def of(cls, stored: StoredRegistration) -> RegistrationOut:
        registration = stored.registration
        return cls(
            registration_id=registration.registration_id,
            household_id=registration.household_id,
            school_year=registration.school_year.label,
            status=registration.status.value,
            return_reason=registration.return_reason,
            guardians=[GuardianOut(**g.__dict__) for g in registration.guardians],
            children=[
                ChildOut(
                    child_id=c.child_id,
                    first_name=c.first_name,
                    last_name=c.last_name,
                    birth_date=c.birth_date,
                    school_id=c.school_id,
                    class_name=c.class_name,
                    pai=c.pai,
                )
                for c in registration.children
            ],
            authorized_persons=[
                AuthorizedPersonIn(**p.__dict__) for p in registration.authorized_persons
            ],
            consents=[
                ConsentOut(kind=c.kind.value, given=c.given, at=c.at) for c in registration.consents
            ],
            history=[
                StatusChangeOut(
                    from_status=h.from_status.value,
                    to_status=h.to_status.value,
                    at=h.at,
                    by=h.by,
                    reason=h.reason,
                )
                for h in registration.history
            ],
            quotient_request=QuotientRequestOut.of(stored.quotient_request),
        )


class RegistrationList(_Model):
    registrations: list[RegistrationOut]


# Quotient familial


class BirthIdentityIn(_Model):
    """Identity pivot of the CAF or MSA allocataire, as on the birth certificate."""

    nom_naissance: str = Field(min_length=1, max_length=80)
    prenoms: list[str] = Field(min_length=1, max_length=5)
    sexe: Literal["F", "M"]
    annee_naissance: int = Field(ge=1900, le=2100)
    code_pays_lieu_naissance: str = Field(pattern=r"^\d{5}$", examples=["99100"])
    mois_naissance: int | None = Field(default=None, ge=1, le=12)
    jour_naissance: int | None = Field(default=None, ge=1, le=31)
    code_insee_lieu_naissance: str | None = Field(default=None, pattern=r"^[0-9][0-9AB][0-9]{3}$")
    nom_usage: str | None = Field(default=None, min_length=1, max_length=80)

    def to_domain(self) -> BirthIdentity:
        return BirthIdentity(**{**self.model_dump(), "prenoms": tuple(self.prenoms)})


class QuotientRetrieval(_Model):
    allocataire: BirthIdentityIn | None = None
    numero_fiscal: str | None = Field(
        default=None, pattern=r"^\d{13}$", description="The 13 digits of the tax notice."
    )


class QuotientRecordOut(_Model):
    quotient_familial: int = Field(description="Euros per month.")
    bracket: str
    source: str
    obtained_at: date

    @classmethod
    def of(cls, record: QuotientRecord) -> QuotientRecordOut:
        return cls(
            quotient_familial=record.value_euros,
            bracket=record.bracket,
            source=record.source,
            obtained_at=record.obtained_on,
        )


class QuotientOut(_Model):
    school_year: str
    request: QuotientRequestOut | None = Field(
        description="State of the démarche: obtained, paper_required (with the reason and "
        "the next step), notice_requested, notice_uploaded or notice_rejected."
    )
    quotient: QuotientRecordOut | None


class TaxNoticeUploadOut(_Model):
    url: str = Field(description="Send the file with the fields as multipart/form-data POST.")
    fields: dict[str, str]
    key: str = Field(description="Confirm the upload with this key once the POST succeeded.")
    max_bytes: int
    expires_at: datetime


class TaxNoticeCheck(_Model):
    key: str = Field(min_length=1, max_length=300)


class PaperQuotientIn(_Model):
    """Either the QF of a CAF or MSA attestation, or the figures of the tax notice."""

    quotient_euros: int | None = Field(default=None, ge=0, le=100_000)
    annual_income_cents: int | None = Field(default=None, ge=0, le=10**12)
    nombre_parts: Decimal | None = Field(default=None, gt=0, le=99)
    monthly_benefits_cents: int = Field(default=0, ge=0, le=10**9)

    @model_validator(mode="after")
    def _check_one_form(self) -> PaperQuotientIn:
        figures = self.annual_income_cents is not None or self.nombre_parts is not None
        if (self.quotient_euros is None) == (not figures):
            raise ValueError("give either quotient_euros or annual_income_cents with nombre_parts")
        if figures and (self.annual_income_cents is None or self.nombre_parts is None):
            raise ValueError("annual_income_cents and nombre_parts go together")
        return self


class LinkOut(_Model):
    url: str
    expires_in_seconds: int


# Reservations


class DayIn(_Model):
    day: date
    activities: list[str] = Field(min_length=1, max_length=10)


class PatternIn(_Model):
    first_day: date
    last_day: date
    weekdays: dict[Weekday, list[str]] = Field(
        min_length=1, description='Activities by weekday, e.g. {"monday": ["cantine"]}.'
    )


class ReservationRequestIn(_Model):
    """Days with their activities, or a weekly pattern over a period, for one child."""

    child_id: str = Field(pattern=_ID)
    days: list[DayIn] | None = Field(default=None, min_length=1, max_length=62)
    pattern: PatternIn | None = None

    @model_validator(mode="after")
    def _check_one_form(self) -> ReservationRequestIn:
        if (self.days is None) == (self.pattern is None):
            raise ValueError("give either days or pattern")
        return self

    def to_domain(self) -> list[ReservationRequest]:
        if self.pattern is not None:
            return [
                WeeklyPatternRequest(
                    child_id=self.child_id,
                    first_day=self.pattern.first_day,
                    last_day=self.pattern.last_day,
                    pattern={day: tuple(codes) for day, codes in self.pattern.weekdays.items()},
                )
            ]
        assert self.days is not None
        return [DayRequest(self.child_id, day.day, tuple(day.activities)) for day in self.days]


class ReservationItemOut(_Model):
    child_id: str
    day: date
    activity: str

    @classmethod
    def of(cls, item: ReservationItem) -> ReservationItemOut:
        return cls(child_id=item.child_id, day=item.day, activity=item.activity)


class RejectedOut(_Model):
    child_id: str
    day: date
    activity: str
    reason: str = Field(
        description="child_not_registered, activity_unknown, not_school_day, "
        "activity_not_running, school_calendar_unknown, deadline_passed, full, already_booked "
        "or not_booked."
    )
    deadline: datetime | None = None
    non_school_reason: str | None = None

    @classmethod
    def of(cls, rejected: RejectedItem) -> RejectedOut:
        return cls(
            child_id=rejected.item.child_id,
            day=rejected.item.day,
            activity=rejected.item.activity,
            reason=rejected.reason.value,
            deadline=rejected.deadline,
            non_school_reason=rejected.non_school_reason,
        )


class BookingResultOut(_Model):
    booked: list[ReservationItemOut]
    rejected: list[RejectedOut]


class CancellationResultOut(_Model):
    cancelled: list[ReservationItemOut]
    rejected: list[RejectedOut]


class ReservationOut(_Model):
    child_id: str
    day: date
    activity: str
    status: Literal["booked", "cancelled"]
    attended: bool | None

    @classmethod
    def of(cls, row: StoredReservation) -> ReservationOut:
        return cls(
            child_id=row.child_id,
            day=row.day,
            activity=row.activity,
            status="booked" if row.booked else "cancelled",
            attended=row.attended,
        )


class ReservationMonthOut(_Model):
    month: str
    reservations: list[ReservationOut]


# Activities and the school calendar


class DeadlineRuleOut(_Model):
    days_before: int
    day_kind: Literal["working", "calendar"] = Field(
        description="working: Monday to Friday minus public holidays count; calendar: every day."
    )
    at: str = Field(description="Europe/Paris wall-clock time, HH:MM.")
    text: str = Field(description='The rule in French, e.g. "2 jours ouvrés avant, avant 10 h".')

    @classmethod
    def of(cls, rule: DeadlineRule) -> DeadlineRuleOut:
        return cls(
            days_before=rule.days_before,
            day_kind=rule.day_kind,
            at=rule.at.strftime("%H:%M"),
            text=describe_rule(rule),
        )


class ActivityOut(_Model):
    code: str
    label: str = Field(description="French name shown to families.")
    weekdays: list[Weekday] | None = Field(
        description="Weekdays the activity runs; null means every school day."
    )
    booking_deadline: DeadlineRuleOut
    cancellation_deadline: DeadlineRuleOut

    @classmethod
    def of(cls, activity: ActivitySettings) -> ActivityOut:
        weekdays = None
        if activity.weekdays is not None:
            weekdays = [day for day in WEEKDAYS if day in activity.weekdays]
        return cls(
            code=activity.code,
            label=activity.label,
            weekdays=weekdays,
            booking_deadline=DeadlineRuleOut.of(activity.booking_deadline),
            cancellation_deadline=DeadlineRuleOut.of(activity.effective_cancellation_deadline),
        )


class ActivityList(_Model):
    activities: list[ActivityOut] = Field(description="In display order.")


class ActivityDayOut(_Model):
    code: str
    label: str
    booking_deadline: datetime = Field(description="Last instant to book is just before it.")
    cancellation_deadline: datetime = Field(description="Last instant to cancel is just before.")
    can_book: bool = Field(
        description="Before the booking deadline with a validated registration; places left "
        "and an existing booking are checked when booking."
    )
    can_cancel: bool
    status: Literal["booked", "cancelled"] | None = Field(
        description="The child's reservation of this session, null when never booked."
    )
    attended: bool | None

    @classmethod
    def of(cls, activity: ActivityDay) -> ActivityDayOut:
        return cls(**activity.__dict__)


class CalendarDayOut(_Model):
    day: date
    school_day: bool
    non_school_reason: str | None = Field(
        description="no_school_that_weekday, public_holiday, school_holiday, ascension_bridge "
        "or closure; null on a school day and where calendar_known is false."
    )
    weekend: bool
    holiday_name: str | None = Field(
        description="French name of the public holiday or of the school holidays."
    )
    calendar_known: bool = Field(
        description="False past the installed school holiday data: no activity is listed."
    )
    activities: list[ActivityDayOut]

    @classmethod
    def of(cls, day: CalendarDay) -> CalendarDayOut:
        return cls(
            day=day.day,
            school_day=day.calendar_known and day.non_school_reason is None,
            non_school_reason=day.non_school_reason.value if day.non_school_reason else None,
            weekend=day.weekend,
            holiday_name=day.holiday_name,
            calendar_known=day.calendar_known,
            activities=[ActivityDayOut.of(activity) for activity in day.activities],
        )


class ChildCalendarOut(_Model):
    """A child's month: every day, and each activity's deadlines and reservation."""

    child_id: str
    month: str
    now: datetime = Field(description="Instant at which can_book and can_cancel were judged.")
    registered: bool = Field(
        description="The child has a validated registration for the month's school year."
    )
    school_id: str | None
    days: list[CalendarDayOut]

    @classmethod
    def of(cls, month: ChildMonth) -> ChildCalendarOut:
        return cls(
            child_id=month.child_id,
            month=str(month.month),
            now=month.now,
            registered=month.registered,
            school_id=month.school_id,
            days=[CalendarDayOut.of(day) for day in month.days],
        )


# Agents' lists and attendance


class ExpectedChildOut(_Model):
    household_id: str
    child_id: str
    first_name: str
    last_name: str
    pai: bool = Field(description="Projet d'accueil individualisé: ask the school for the plan.")
    attended: bool | None
    excused: bool

    @classmethod
    def of(cls, child: ExpectedChild) -> ExpectedChildOut:
        return cls(**child.__dict__)


class ExpectedList(_Model):
    school_id: str
    day: date
    activity: str
    children: list[ExpectedChildOut]


class SchoolMeals(_Model):
    school_id: str
    meals: int
    capacity: int


class MealCounts(_Model):
    day: date
    total: int
    schools: list[SchoolMeals]


class AttendanceIn(_Model):
    school_id: str = Field(pattern=_ID)
    day: date
    activity: str = Field(pattern=_ACTIVITY)
    present: list[str] = Field(default_factory=list, max_length=500)
    absent: list[str] = Field(default_factory=list, max_length=500)
    excused: list[str] = Field(
        default_factory=list, max_length=500, description="Absent with a valid excuse: not due."
    )


class AttendanceOut(_Model):
    recorded: list[str]
    not_booked: list[str]


# Invoices and payment


class InvoiceLineOut(_Model):
    child_id: str
    child_name: str
    day: date
    activity: str
    activity_label: str
    bracket: str
    amount_cents: int


class InvoiceOut(_Model):
    invoice_number: str
    month: str
    issued_on: date
    due_on: date
    total_cents: int
    status: Literal["issued", "paid"]
    pdf_ready: bool
    paid_at: datetime | None
    lines: list[InvoiceLineOut]

    @classmethod
    def of(cls, stored: StoredInvoice) -> InvoiceOut:
        invoice = stored.invoice
        return cls(
            invoice_number=invoice.number,
            month=str(invoice.month),
            issued_on=invoice.issued_on,
            due_on=invoice.due_on,
            total_cents=invoice.total_cents,
            status=stored.status.value,
            pdf_ready=stored.pdf_key is not None,
            paid_at=stored.paid_at,
            lines=[InvoiceLineOut(**line.__dict__) for line in invoice.lines],
        )


class InvoiceList(_Model):
    invoices: list[InvoiceOut]


class PaymentCreate(_Model):
    return_url: str = Field(
        pattern=r"^https?://[^\s/]+(/\S*)?$",
        max_length=500,
        description="Page the payer comes back to after PayFiP.",
    )


class PaymentOut(_Model):
    payment_id: str
    redirect_url: str


class InvoiceRunOut(_Model):
    month: str
    households: int
    issued: int
    already_issued: int
    nothing_due: int
    failed: int

    @classmethod
    def of(cls, summary: InvoiceRunSummary) -> InvoiceRunOut:
        return cls(**{**summary.__dict__, "month": str(summary.month)})
