"""Portail famille routes and scheduled jobs: registration, quotient familial, reservations,
agents' lists and attendance, invoices and their payment."""

from __future__ import annotations

from datetime import date
from typing import Any

from chalice import Blueprint, Response

from demarches.errors import DemarcheError, InvalidRequestError

from .http import Call, Param, endpoint, error_response, internal_error, logger

famille = Blueprint(__name__)

TAG = "famille"
AGENT_ROLE = "periscolaire_agent"
# Invoice PDFs rendered per run of the rendering schedule: about 0.15 s each on one vCPU, so a
# batch stays well within the function's timeout.
PDF_BATCH = 400

_SCHOOL_YEAR = Param("school_year", "path", "School year, e.g. 2026-2027.", required=True)
_HOUSEHOLD = Param("household_id", "path", "Household id.", required=True)
_INVOICE = Param("invoice_number", "path", "Invoice number, e.g. PERI-202703-ABCDEFGHIJ.", True)
_DAY = Param("day", "query", "Day, YYYY-MM-DD.", required=True)
_MONTH = Param("month", "query", "Month, YYYY-MM.", required=True)


def _registrations() -> Any:
    from demarches.bootstrap import famille_registrations

    return famille_registrations()


def _quotients() -> Any:
    from demarches.bootstrap import famille_quotients

    return famille_quotients()


def _reservations() -> Any:
    from demarches.bootstrap import famille_reservations

    return famille_reservations()


def _billing() -> Any:
    from demarches.bootstrap import famille_billing

    return famille_billing()


def _school_year(call: Call) -> Any:
    from demarches.famille.registration_service import parse_school_year

    return parse_school_year(call.path["school_year"])


def _query_date(call: Call, name: str) -> date:
    text = call.query.get(name, "")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidRequestError(
            f"{name} {text!r} must be a date YYYY-MM-DD", field=name, code="day_invalid"
        ) from exc


def _query_month(call: Call) -> Any:
    from demarches.famille.school_year import Month

    text = call.query.get("month", "")
    try:
        year, month = text.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError(text)
        return Month(int(year), int(month))
    except ValueError as exc:
        raise InvalidRequestError(
            f"month {text!r} must be YYYY-MM", field="month", code="month_invalid"
        ) from exc


def _query_text(call: Call, name: str) -> str:
    text = call.query.get(name, "")
    if not 1 <= len(text) <= 100:
        raise InvalidRequestError(f"{name} is required", field=name, code=f"{name}_invalid")
    return text


# Registration (family)


@endpoint(
    famille,
    "/famille/registrations/{school_year}",
    "GET",
    summary="Read your household's registration for a school year",
    tag=TAG,
    response="demarches.famille.api:RegistrationOut",
    params=(_SCHOOL_YEAR,),
    errors=(401, 403, 404, 422),
)
def get_registration(call: Call) -> Any:
    from demarches.famille.api import RegistrationOut

    household_id = call.identity.require_household()
    return RegistrationOut.of(_registrations().get(household_id, _school_year(call)))


@endpoint(
    famille,
    "/famille/registrations/{school_year}",
    "PUT",
    summary="Create or update your registration draft from your stored household",
    tag=TAG,
    request="demarches.famille.api:RegistrationDraft",
    response="demarches.famille.api:RegistrationOut",
    params=(_SCHOOL_YEAR,),
    errors=(400, 401, 403, 404, 409, 422),
)
def save_registration(call: Call) -> Any:
    from demarches.famille.api import RegistrationOut
    from demarches.famille.registration import AuthorizedPerson, ConsentKind

    household_id = call.identity.require_household()
    body = call.body
    consents = {
        ConsentKind(kind): given
        for kind, given in body.consents.model_dump().items()
        if given is not None
    }
    stored = _registrations().save_draft(
        household_id,
        _school_year(call),
        pai=body.pai,
        authorized_persons=[AuthorizedPerson(**p.model_dump()) for p in body.authorized_persons],
        consents=consents,
        contact_phone=body.contact_phone,
    )
    return RegistrationOut.of(stored)


@endpoint(
    famille,
    "/famille/registrations/{school_year}/submit",
    "POST",
    summary="Submit your registration to the periscolaire service",
    tag=TAG,
    response="demarches.famille.api:RegistrationOut",
    params=(_SCHOOL_YEAR,),
    errors=(401, 403, 404, 409, 422),
)
def submit_registration(call: Call) -> Any:
    from demarches.famille.api import RegistrationOut

    household_id = call.identity.require_household()
    stored = _registrations().submit(household_id, _school_year(call), call.identity.subject)
    return RegistrationOut.of(stored)


@endpoint(
    famille,
    "/famille/registrations/{school_year}/consents",
    "POST",
    summary="Give or withdraw a consent; a withdrawal is possible at any time",
    tag=TAG,
    request="demarches.famille.api:ConsentIn",
    response="demarches.famille.api:RegistrationOut",
    params=(_SCHOOL_YEAR,),
    errors=(400, 401, 403, 404, 409, 422),
)
def set_consent(call: Call) -> Any:
    from demarches.famille.api import RegistrationOut
    from demarches.famille.registration import ConsentKind

    household_id = call.identity.require_household()
    stored = _registrations().set_consent(
        household_id, _school_year(call), ConsentKind(call.body.kind), call.body.given
    )
    return RegistrationOut.of(stored)


# Quotient familial (family)


def _quotient_out(school_year: Any, status: Any) -> Any:
    from demarches.famille.api import QuotientOut, QuotientRecordOut, QuotientRequestOut

    return QuotientOut(
        school_year=school_year.label,
        request=QuotientRequestOut.of(status.request),
        quotient=QuotientRecordOut.of(status.record) if status.record else None,
    )


@endpoint(
    famille,
    "/famille/quotient/{school_year}",
    "GET",
    summary="Read your quotient familial and where its démarche stands",
    tag=TAG,
    response="demarches.famille.api:QuotientOut",
    params=(_SCHOOL_YEAR,),
    errors=(401, 403, 404, 422),
)
def get_quotient(call: Call) -> Any:
    household_id = call.identity.require_household()
    school_year = _school_year(call)
    return _quotient_out(school_year, _quotients().status(household_id, school_year))


@endpoint(
    famille,
    "/famille/quotient/{school_year}/retrieval",
    "POST",
    summary="Retrieve your quotient familial from the CAF, the MSA or the DGFiP",
    tag=TAG,
    request="demarches.famille.api:QuotientRetrieval",
    response="demarches.famille.api:QuotientOut",
    params=(_SCHOOL_YEAR,),
    errors=(400, 401, 403, 404, 422),
)
def retrieve_quotient(call: Call) -> Any:
    from demarches.famille.quotient import QuotientLookup

    household_id = call.identity.require_household()
    school_year = _school_year(call)
    body = call.body
    lookup = QuotientLookup(
        allocataire=body.allocataire.to_domain() if body.allocataire else None,
        numero_fiscal=body.numero_fiscal,
    )
    return _quotient_out(school_year, _quotients().retrieve(household_id, school_year, lookup))


@endpoint(
    famille,
    "/famille/quotient/{school_year}/tax-notice",
    "POST",
    summary="Get a presigned upload for your tax notice (paper path)",
    tag=TAG,
    response="demarches.famille.api:TaxNoticeUploadOut",
    status=201,
    params=(_SCHOOL_YEAR,),
    errors=(401, 403, 404, 409, 422),
)
def request_tax_notice_upload(call: Call) -> Any:
    from demarches.famille.api import TaxNoticeUploadOut

    household_id = call.identity.require_household()
    upload = _quotients().request_notice_upload(household_id, _school_year(call))
    return TaxNoticeUploadOut(
        url=upload.url,
        fields=upload.fields,
        key=upload.key,
        max_bytes=upload.max_bytes,
        expires_at=upload.expires_at,
    )


@endpoint(
    famille,
    "/famille/quotient/{school_year}/tax-notice/check",
    "POST",
    summary="Check your uploaded tax notice: PDF, size, not encrypted, no active content",
    tag=TAG,
    request="demarches.famille.api:TaxNoticeCheck",
    response="demarches.famille.api:QuotientOut",
    params=(_SCHOOL_YEAR,),
    errors=(400, 401, 403, 404, 422),
)
def check_tax_notice(call: Call) -> Any:
    household_id = call.identity.require_household()
    school_year = _school_year(call)
    status = _quotients().confirm_notice_upload(household_id, school_year, call.body.key)
    return _quotient_out(school_year, status)


# Reservations (family)


@endpoint(
    famille,
    "/famille/reservations",
    "POST",
    summary="Book days or a weekly pattern for a child; the answer lists refused days",
    tag=TAG,
    request="demarches.famille.api:ReservationRequestIn",
    response="demarches.famille.api:BookingResultOut",
    errors=(400, 401, 403, 404, 422),
)
def book_sessions(call: Call) -> Any:
    from demarches.famille.api import BookingResultOut, RejectedOut, ReservationItemOut

    household_id = call.identity.require_household()
    result = _reservations().book(household_id, call.body.to_domain())
    return BookingResultOut(
        booked=[ReservationItemOut.of(item) for item in result.done],
        rejected=[RejectedOut.of(rejected) for rejected in result.rejected],
    )


@endpoint(
    famille,
    "/famille/reservations/cancellations",
    "POST",
    summary="Cancel days or a weekly pattern for a child before the deadlines",
    tag=TAG,
    request="demarches.famille.api:ReservationRequestIn",
    response="demarches.famille.api:CancellationResultOut",
    errors=(400, 401, 403, 404, 422),
)
def cancel_sessions(call: Call) -> Any:
    from demarches.famille.api import CancellationResultOut, RejectedOut, ReservationItemOut

    household_id = call.identity.require_household()
    result = _reservations().cancel(household_id, call.body.to_domain())
    return CancellationResultOut(
        cancelled=[ReservationItemOut.of(item) for item in result.done],
        rejected=[RejectedOut.of(rejected) for rejected in result.rejected],
    )


@endpoint(
    famille,
    "/famille/reservations",
    "GET",
    summary="List your household's reservations of a month",
    tag=TAG,
    response="demarches.famille.api:ReservationMonthOut",
    params=(_MONTH,),
    errors=(401, 403, 422),
)
def list_reservations(call: Call) -> Any:
    from demarches.famille.api import ReservationMonthOut, ReservationOut

    household_id = call.identity.require_household()
    month = _query_month(call)
    rows = _reservations().month(household_id, month)
    return ReservationMonthOut(
        month=str(month), reservations=[ReservationOut.of(row) for row in rows]
    )


# Activities and the school calendar (family)


@endpoint(
    famille,
    "/famille/activities",
    "GET",
    summary="List the periscolaire activities with their booking and cancellation deadlines",
    tag=TAG,
    response="demarches.famille.api:ActivityList",
    errors=(401,),
)
def list_activities(call: Call) -> Any:
    from demarches.famille.api import ActivityList, ActivityOut

    activities = _reservations().calendar().activities()
    return ActivityList(activities=[ActivityOut.of(activity) for activity in activities])


@endpoint(
    famille,
    "/famille/calendar",
    "GET",
    summary="A child's month: school days or why not, deadlines of each activity, reservations",
    tag=TAG,
    response="demarches.famille.api:ChildCalendarOut",
    params=(_MONTH, Param("child_id", "query", "Child id of your household.", required=True)),
    errors=(401, 403, 404, 422),
)
def child_calendar(call: Call) -> Any:
    from demarches.famille.api import ChildCalendarOut

    household_id = call.identity.require_household()
    month = _query_month(call)
    child_id = _query_text(call, "child_id")
    result = _reservations().calendar().child_month(household_id, child_id, month)
    return ChildCalendarOut.of(result)


# Invoices and payment (family)


@endpoint(
    famille,
    "/famille/invoices",
    "GET",
    summary="List your household's invoices, latest first",
    tag=TAG,
    response="demarches.famille.api:InvoiceList",
    errors=(401, 403),
)
def list_invoices(call: Call) -> Any:
    from demarches.famille.api import InvoiceList, InvoiceOut

    invoices = _billing().list_invoices(call.identity.require_household())
    return InvoiceList(invoices=[InvoiceOut.of(stored) for stored in invoices])


@endpoint(
    famille,
    "/famille/invoices/{invoice_number}",
    "GET",
    summary="Read one of your household's invoices",
    tag=TAG,
    response="demarches.famille.api:InvoiceOut",
    params=(_INVOICE,),
    errors=(401, 403, 404),
)
def get_invoice(call: Call) -> Any:
    from demarches.famille.api import InvoiceOut

    household_id = call.identity.require_household()
    return InvoiceOut.of(_billing().get_invoice(household_id, call.path["invoice_number"]))


@endpoint(
    famille,
    "/famille/invoices/{invoice_number}/pdf",
    "GET",
    summary="Get a short-lived link to the invoice PDF",
    tag=TAG,
    response="demarches.famille.api:LinkOut",
    params=(_INVOICE,),
    errors=(401, 403, 404),
)
def invoice_pdf(call: Call) -> Any:
    from demarches.famille.api import LinkOut
    from demarches.famille.billing_service import PDF_DOWNLOAD_EXPIRY_SECONDS

    household_id = call.identity.require_household()
    url = _billing().pdf_url(household_id, call.path["invoice_number"])
    return LinkOut(url=url, expires_in_seconds=PDF_DOWNLOAD_EXPIRY_SECONDS)


@endpoint(
    famille,
    "/famille/invoices/{invoice_number}/payments",
    "POST",
    summary="Start paying an invoice online with PayFiP; redirect the payer to the URL",
    tag=TAG,
    request="demarches.famille.api:PaymentCreate",
    response="demarches.famille.api:PaymentOut",
    status=201,
    params=(_INVOICE,),
    errors=(400, 401, 403, 404, 409, 422, 503),
)
def start_payment(call: Call) -> Any:
    from demarches.famille.api import PaymentOut

    household_id = call.identity.require_household()
    billing = _billing()
    stored = billing.get_invoice(household_id, call.path["invoice_number"])
    email = call.identity.email or _registrations().household(household_id).email
    created = billing.start_payment(
        household_id,
        stored.invoice.number,
        payer_email=email,
        return_url=call.body.return_url,
    )
    return PaymentOut(payment_id=created.payment_id, redirect_url=created.redirect_url)


@famille.route(
    "/famille/payments/notifications",
    methods=["POST"],
    content_types=["application/x-www-form-urlencoded"],
)
def payment_notification() -> Response:
    """PayFiP's notification (form field ``idOp``); the outcome is read back from PayFiP."""
    from urllib.parse import parse_qs

    raw = famille.current_request.raw_body or b""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    form = {name: values[0] for name, values in parse_qs(text).items()}
    try:
        outcome, newly_paid = _billing().handle_notification(form)
    except DemarcheError as exc:
        return error_response(exc)
    except Exception as exc:
        logger.exception("payment notification failed", extra={"demarche": TAG})
        return internal_error(exc)
    body = {"status": outcome.status.value, "newly_paid": newly_paid}
    return Response(body=body, status_code=200, headers={"Content-Type": "application/json"})


# Agents


@endpoint(
    famille,
    "/famille/agent/registrations",
    "GET",
    summary="List registrations of a school year by status (periscolaire agents)",
    tag=TAG,
    response="demarches.famille.api:RegistrationList",
    params=(
        Param("school_year", "query", "School year, e.g. 2026-2027.", required=True),
        Param("status", "query", "draft, submitted, validated or returned.", required=True),
    ),
    errors=(401, 403, 422),
)
def list_registrations(call: Call) -> Any:
    from demarches.famille.api import RegistrationList, RegistrationOut
    from demarches.famille.registration import RegistrationStatus
    from demarches.famille.registration_service import parse_school_year

    call.identity.require_role(AGENT_ROLE)
    school_year = parse_school_year(call.query.get("school_year", ""))
    text = call.query.get("status", "")
    try:
        status = RegistrationStatus(text)
    except ValueError as exc:
        raise InvalidRequestError(
            f"status {text!r} must be draft, submitted, validated or returned",
            field="status",
            code="status_invalid",
        ) from exc
    stored = _registrations().list_by_status(school_year, status)
    return RegistrationList(registrations=[RegistrationOut.of(s) for s in stored])


@endpoint(
    famille,
    "/famille/agent/registrations/{household_id}/{school_year}/validation",
    "POST",
    summary="Validate a submitted registration (periscolaire agents)",
    tag=TAG,
    response="demarches.famille.api:RegistrationOut",
    params=(_HOUSEHOLD, _SCHOOL_YEAR),
    errors=(401, 403, 404, 409, 422),
)
def validate_registration(call: Call) -> Any:
    from demarches.famille.api import RegistrationOut

    call.identity.require_role(AGENT_ROLE)
    stored = _registrations().validate(
        call.path["household_id"], _school_year(call), call.identity.subject
    )
    return RegistrationOut.of(stored)


@endpoint(
    famille,
    "/famille/agent/registrations/{household_id}/{school_year}/return",
    "POST",
    summary="Return a submitted registration to the family with a reason (agents)",
    tag=TAG,
    request="demarches.famille.api:ReturnIn",
    response="demarches.famille.api:RegistrationOut",
    params=(_HOUSEHOLD, _SCHOOL_YEAR),
    errors=(400, 401, 403, 404, 409, 422),
)
def return_registration(call: Call) -> Any:
    from demarches.famille.api import RegistrationOut

    call.identity.require_role(AGENT_ROLE)
    stored = _registrations().return_to_family(
        call.path["household_id"], _school_year(call), call.identity.subject, call.body.reason
    )
    return RegistrationOut.of(stored)


@endpoint(
    famille,
    "/famille/agent/quotients/{household_id}/{school_year}/tax-notice",
    "GET",
    summary="Get a short-lived link to a household's checked tax notice (agents)",
    tag=TAG,
    response="demarches.famille.api:LinkOut",
    params=(_HOUSEHOLD, _SCHOOL_YEAR),
    errors=(401, 403, 404, 422),
)
def tax_notice_link(call: Call) -> Any:
    from demarches.famille.api import LinkOut
    from demarches.famille.quotient_service import DOWNLOAD_EXPIRY_SECONDS

    call.identity.require_role(AGENT_ROLE)
    url = _quotients().notice_download_url(call.path["household_id"], _school_year(call))
    return LinkOut(url=url, expires_in_seconds=DOWNLOAD_EXPIRY_SECONDS)


@endpoint(
    famille,
    "/famille/agent/quotients/{household_id}/{school_year}",
    "PUT",
    summary="Record a quotient familial read on paper; the tax notice is then deleted",
    tag=TAG,
    request="demarches.famille.api:PaperQuotientIn",
    response="demarches.famille.api:QuotientOut",
    params=(_HOUSEHOLD, _SCHOOL_YEAR),
    errors=(400, 401, 403, 404, 422),
)
def record_paper_quotient(call: Call) -> Any:
    from demarches.famille.quotient import PaperFigures

    call.identity.require_role(AGENT_ROLE)
    body = call.body
    figures = None
    if body.annual_income_cents is not None and body.nombre_parts is not None:
        figures = PaperFigures(
            body.annual_income_cents, body.nombre_parts, body.monthly_benefits_cents
        )
    school_year = _school_year(call)
    status = _quotients().record_paper(
        call.path["household_id"],
        school_year,
        quotient_euros=body.quotient_euros,
        figures=figures,
        agent=call.identity.subject,
    )
    return _quotient_out(school_year, status)


@endpoint(
    famille,
    "/famille/agent/sessions",
    "GET",
    summary="Children expected at a school on a day for an activity (agents)",
    tag=TAG,
    response="demarches.famille.api:ExpectedList",
    params=(
        Param("school_id", "query", "School id.", required=True),
        _DAY,
        Param("activity", "query", "Activity code, e.g. cantine.", required=True),
    ),
    errors=(401, 403, 422),
)
def expected_children(call: Call) -> Any:
    from demarches.famille.api import ExpectedChildOut, ExpectedList

    call.identity.require_role(AGENT_ROLE)
    school_id = _query_text(call, "school_id")
    day = _query_date(call, "day")
    activity = _query_text(call, "activity")
    children = _reservations().expected(school_id, day, activity)
    return ExpectedList(
        school_id=school_id,
        day=day,
        activity=activity,
        children=[ExpectedChildOut.of(child) for child in children],
    )


@endpoint(
    famille,
    "/famille/agent/meal-counts",
    "GET",
    summary="Meals booked per school on a day, for the kitchen (agents)",
    tag=TAG,
    response="demarches.famille.api:MealCounts",
    params=(_DAY,),
    errors=(401, 403, 422),
)
def meal_counts(call: Call) -> Any:
    from demarches.famille.api import MealCounts, SchoolMeals

    call.identity.require_role(AGENT_ROLE)
    day = _query_date(call, "day")
    counts = [c for c in _reservations().session_counts(day) if c.activity == "cantine"]
    schools = [
        SchoolMeals(school_id=c.school_id, meals=c.booked, capacity=c.capacity) for c in counts
    ]
    return MealCounts(day=day, total=sum(s.meals for s in schools), schools=schools)


@endpoint(
    famille,
    "/famille/agent/attendance",
    "POST",
    summary="Record who attended a session (agents)",
    tag=TAG,
    request="demarches.famille.api:AttendanceIn",
    response="demarches.famille.api:AttendanceOut",
    errors=(400, 401, 403, 422),
)
def record_attendance(call: Call) -> Any:
    from demarches.famille.api import AttendanceOut

    call.identity.require_role(AGENT_ROLE)
    body = call.body
    result = _reservations().record_attendance(
        body.school_id,
        body.day,
        body.activity,
        present=body.present,
        absent=body.absent,
        excused=body.excused,
    )
    return AttendanceOut(recorded=list(result.recorded), not_booked=list(result.not_booked))


# Schedules


@famille.schedule("cron(0 4 1 * ? *)", name="famille_issue_invoices")
def issue_invoices(event: Any) -> dict[str, Any]:
    """Issue last month's invoices (Europe/Paris) of every household; runs again safely."""
    from demarches.famille.api import InvoiceRunOut
    from demarches.famille.billing_service import previous_month

    billing = _billing()
    summary = billing.issue_month(previous_month(billing.today()))
    result: dict[str, Any] = InvoiceRunOut.of(summary).model_dump()
    return result


@famille.schedule("rate(10 minutes)", name="famille_render_invoice_pdfs")
def render_invoice_pdfs(event: Any) -> dict[str, int]:
    """Render and store the PDFs of issued invoices that have none yet."""
    rendered = _billing().render_pending_pdfs(PDF_BATCH)
    if rendered:
        logger.info("invoice PDFs rendered", extra={"rendered": rendered, "demarche": TAG})
    return {"rendered": rendered}
