"""The one place that wires adapters to use cases, from the settings read at cold start.

Each service is built on first use and kept for the warm life of the Lambda process, so a
route pays only for the modules it needs. Tests replace the clock with ``use_clock``.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from demarches.clock import Clock, SystemClock
from demarches.settings import Settings, get_settings

if TYPE_CHECKING:
    from demarches.aquadrome.usecases import AquadromeService
    from demarches.conservatoire.usecases import ConservatoireService
    from demarches.famille.billing_service import BillingService
    from demarches.famille.payfip import PayfipGateway
    from demarches.famille.quotient_service import QuotientService
    from demarches.famille.registration_service import RegistrationService
    from demarches.famille.reservation_service import ReservationService
    from demarches.famille.settings import FamilleSettings
    from demarches.households.domain import HouseholdDirectory
    from demarches.identity import TokenVerifier
    from demarches.notifications import Mailer
    from demarches.urbanisme.context import UrbanismeContext
    from demarches.urbanisme.deadline_sweep import DeadlineSweep
    from demarches.urbanisme.filing import FilingService
    from demarches.urbanisme.instruction import InstructionService
    from demarches.urbanisme.local_ca import LocalCertificateAuthority
    from demarches.urbanisme.signature import Signer
    from demarches.urbanisme.steps import WorkflowSteps
    from demarches.urbanisme.upload_check import UploadCheckService

_clock: list[Clock] = [SystemClock()]


def clock() -> Clock:
    return _clock[0]


def use_clock(new_clock: Clock) -> None:
    """Replace the clock of every service (tests and the embedded stack's time travel)."""
    _clock[0] = new_clock


class _ClockProxy:
    """Clock given to services, so that ``use_clock`` reaches services already built."""

    def now(self) -> datetime:
        return _clock[0].now()


def settings() -> Settings:
    return get_settings()


def clear_caches() -> None:
    """Forget every built service, so the next call reads the settings again."""
    get_settings.cache_clear()
    for name, value in list(globals().items()):
        if callable(value) and hasattr(value, "cache_clear") and name != "get_settings":
            value.cache_clear()


@cache
def token_verifier() -> TokenVerifier:
    from demarches.identity import TokenVerifier

    config = settings()
    return TokenVerifier(
        issuer=config.jwt_issuer,
        audience=config.jwt_audience,
        jwks_url=config.jwks_url,
        jwks_path=config.jwks_path,
    )


@cache
def household_directory() -> HouseholdDirectory:
    from demarches.adapters.aws import client
    from demarches.adapters.dynamodb_households import DynamoDBHouseholdDirectory

    config = settings()
    return DynamoDBHouseholdDirectory(client("dynamodb", config), config.households_table)


@cache
def mailer() -> Mailer:
    from demarches.adapters.aws import client
    from demarches.notifications import SesMailer

    config = settings()
    return SesMailer(client("sesv2", config), config.mail_sender)


@cache
def aquadrome_service() -> AquadromeService:
    import holidays

    from demarches.adapters.aws import client
    from demarches.adapters.dynamodb_aquadrome import DynamoDBBookingStore
    from demarches.aquadrome.timetable import load_timetable
    from demarches.aquadrome.usecases import AquadromeService

    config = settings()
    store = DynamoDBBookingStore(
        client("dynamodb", config),
        slots_table=config.aquadrome_slots_table,
        bookings_table=config.aquadrome_bookings_table,
        quotas_table=config.aquadrome_quotas_table,
        households_table=config.households_table,
    )
    return AquadromeService(
        store,
        load_timetable(config.aquadrome_timetable),
        _ClockProxy(),
        config.ticket_secret.encode(),
        lambda years: holidays.country_holidays("FR", years=list(years), language="fr").keys(),
    )


class _RandomIds:
    def new_id(self) -> str:
        import secrets

        return secrets.token_urlsafe(16)  # 128 random bits as 22 URL-safe characters


@cache
def conservatoire_service() -> ConservatoireService:
    from demarches.adapters.aws import client
    from demarches.adapters.dynamodb_conservatoire import DynamoDBEnrollmentStore
    from demarches.adapters.dynamodb_evaluations import DynamoDBEvaluationStore
    from demarches.adapters.dynamodb_quotients import DynamoDBQuotientReader
    from demarches.conservatoire.config import load_year_config
    from demarches.conservatoire.mail import EmailEventPublisher
    from demarches.conservatoire.usecases import ConservatoireService
    from demarches.territory import load_territory

    config = settings()
    dynamodb = client("dynamodb", config)
    years = {year.school_year: year for year in map(load_year_config, config.conservatoire_years)}
    foreign = sorted(y.school_year for y in years.values() if y.territory != config.territory)
    if foreign:
        raise ValueError(
            f"conservatoire years {foreign} are configured for another territory than "
            f"{config.territory!r}: make DEMARCHES_CONSERVATOIRE_YEARS and DEMARCHES_TERRITORY "
            "name the same territory"
        )
    households = household_directory()
    return ConservatoireService(
        years=years,
        territory=load_territory(config.territory),
        households=households,
        quotients=DynamoDBQuotientReader(dynamodb, config.quotients_table),
        enrollments=DynamoDBEnrollmentStore(
            dynamodb,
            enrollments_table=config.conservatoire_enrollments_table,
            courses_table=config.conservatoire_courses_table,
        ),
        evaluations=DynamoDBEvaluationStore(dynamodb, config.conservatoire_evaluations_table),
        events=EmailEventPublisher(households=households, mailer=mailer(), years=years),
        clock=_ClockProxy(),
        ids=_RandomIds(),
    )


# Portail famille (periscolaire)

_payfip: list[PayfipGateway] = []


def use_payfip_gateway(gateway: PayfipGateway | None) -> None:
    """Set the PayFiP adapter of every service; the embedded stack sets the local one."""
    _payfip.clear()
    if gateway is not None:
        _payfip.append(gateway)


def payfip_gateway() -> PayfipGateway:
    from demarches.famille.errors import PaymentServiceUnavailableError

    if not _payfip:
        # TODO: build the production adapter (PayFiP's SOAP web service) from
        # famille_settings().payfip here; until it exists only the embedded stack can pay.
        raise PaymentServiceUnavailableError(
            "online payment is not configured on this deployment; pay at the service's desk"
        )
    return _payfip[0]


@cache
def famille_settings() -> FamilleSettings:
    from pathlib import Path

    from demarches.famille.settings import EXAMPLE_SETTINGS, load_famille_settings

    path = settings().famille_settings
    return load_famille_settings(Path(path) if path else EXAMPLE_SETTINGS)


def _famille_dynamodb() -> Any:
    from demarches.adapters.aws import client

    return client("dynamodb", settings())


@cache
def famille_registrations() -> RegistrationService:
    from demarches.adapters.dynamodb_famille_records import DynamoDBRegistrationRepository
    from demarches.famille.registration_service import RegistrationService

    repository = DynamoDBRegistrationRepository(
        _famille_dynamodb(), settings().famille_registrations_table
    )
    return RegistrationService(repository, household_directory(), _ClockProxy())


def _famille_documents() -> Any:
    from demarches.adapters.aws import client
    from demarches.adapters.s3_documents import S3DocumentStore

    config = settings()
    return S3DocumentStore(client("s3", config), config.documents_bucket, _ClockProxy())


class _AutomaticRetrievalOff:
    """Quotient provider of a deployment without the outside service's URL and credentials."""

    def __init__(self, service: str) -> None:
        self.service = service

    def _raise(self) -> Any:
        from demarches.famille.errors import QuotientAutomaticRetrievalUnsupportedError

        raise QuotientAutomaticRetrievalUnsupportedError(
            f"{self.service} is not configured on this deployment: use the paper path"
        )

    def fetch_quotient(self, person: Any) -> Any:
        return self._raise()

    def fetch_tax_figures(self, numero_fiscal: str, income_year: int) -> Any:
        return self._raise()


@cache
def famille_quotients() -> QuotientService:
    from demarches.adapters.dynamodb_famille_records import DynamoDBQuotientRepository
    from demarches.famille.api_particulier import (
        ApiParticulierClient,
        ImpotParticulierClient,
        RetryPolicy,
    )
    from demarches.famille.quotient_service import QuotientService

    famille = famille_settings()
    # Two attempts of at most connect + read timeout each (3.05 + 10 s by default), and 1 s
    # between them, keep a retrieval within API Gateway's 29 s limit.
    retry = RetryPolicy(max_attempts=2, base_delay_seconds=0.25, max_delay_seconds=1.0)
    caf: Any = _AutomaticRetrievalOff("API Particulier")
    if famille.api_particulier.base_url and famille.api_particulier.api_key:
        caf = ApiParticulierClient.from_settings(famille.api_particulier, retry=retry)
    dgfip: Any = _AutomaticRetrievalOff("API Impôt particulier")
    if famille.impot_particulier.base_url and famille.impot_particulier.access_token:
        dgfip = ImpotParticulierClient.from_settings(famille.impot_particulier, retry=retry)
    return QuotientService(
        registrations=famille_registrations(),
        repository=DynamoDBQuotientRepository(_famille_dynamodb(), settings().quotients_table),
        documents=_famille_documents(),
        settings=famille.quotient,
        quotient_provider=caf,
        tax_provider=dgfip,
        clock=_ClockProxy(),
    )


def _famille_ledger() -> Any:
    from demarches.adapters.dynamodb_famille_reservations import DynamoDBReservationLedger

    config = settings()
    return DynamoDBReservationLedger(
        _famille_dynamodb(),
        reservations_table=config.famille_reservations_table,
        sessions_table=config.famille_sessions_table,
    )


@cache
def famille_reservations() -> ReservationService:
    from demarches.famille.calendar import SchoolCalendar
    from demarches.famille.reservation_service import ReservationService

    famille = famille_settings()
    return ReservationService(
        registrations=famille_registrations(),
        ledger=_famille_ledger(),
        calendar=SchoolCalendar(famille.calendar),
        catalogue=famille.catalogue(),
        clock=_ClockProxy(),
    )


@cache
def famille_billing() -> BillingService:
    from demarches.adapters.dynamodb_famille_records import (
        DynamoDBInvoiceRepository,
        DynamoDBQuotientRepository,
        DynamoDBRegistrationRepository,
    )
    from demarches.famille.billing_service import BillingService

    config = settings()
    famille = famille_settings()
    dynamodb = _famille_dynamodb()
    return BillingService(
        registrations=DynamoDBRegistrationRepository(dynamodb, config.famille_registrations_table),
        ledger=_famille_ledger(),
        quotients=DynamoDBQuotientRepository(dynamodb, config.quotients_table),
        invoices=DynamoDBInvoiceRepository(dynamodb, config.famille_invoices_table),
        documents=_famille_documents(),
        payfip=payfip_gateway,
        quotient_settings=famille.quotient,
        catalogue=famille.catalogue(),
        invoice_settings=famille.invoice,
        clock=_ClockProxy(),
    )


@cache
def urbanisme_context() -> UrbanismeContext:
    from demarches.adapters.aws import client
    from demarches.adapters.dynamodb_accounts_urbanisme import (
        DynamoDBAccountDirectory,
        DynamoDBRegistrationCounter,
    )
    from demarches.adapters.dynamodb_urbanisme import DynamoDBDossierRepository
    from demarches.adapters.s3_urbanisme import S3UrbanismeDocumentStore
    from demarches.adapters.stepfunctions_urbanisme import StepFunctionsWorkflow
    from demarches.territory import load_territory
    from demarches.urbanisme.context import UploadLimits, UrbanismeContext
    from demarches.urbanisme.notices import MailNotifier
    from demarches.urbanisme.service_config import load_service_config

    config = settings()
    dynamodb = client("dynamodb", config)
    territory = load_territory(config.territory)
    service = load_service_config(config.urbanisme_service)
    documents = S3UrbanismeDocumentStore(
        client("s3", config),
        bucket=config.documents_bucket,
        archive_bucket=config.urbanisme_archive_bucket,
    )
    return UrbanismeContext(
        repository=DynamoDBDossierRepository(
            dynamodb,
            dossiers_table=config.urbanisme_dossiers_table,
            audit_table=config.urbanisme_audit_table,
            queue=territory.siren,
            clock=_ClockProxy(),
        ),
        counter=DynamoDBRegistrationCounter(dynamodb, config.urbanisme_counters_table),
        documents=documents,
        notifier=MailNotifier(mailer(), documents, service),
        signer=_UrbanismeSignerProxy(),
        workflow=StepFunctionsWorkflow(
            client("stepfunctions", config), config.urbanisme_state_machine_arn
        ),
        directory=DynamoDBAccountDirectory(dynamodb, config.urbanisme_directory_table),
        clock=_ClockProxy(),
        territory=territory,
        service=service,
        limits=UploadLimits(
            max_bytes=config.urbanisme_max_upload_bytes,
            max_pages=config.urbanisme_max_pages,
            expires_in_seconds=config.urbanisme_upload_expires_seconds,
        ),
    )


class _UrbanismeSignerProxy:
    """Builds the signer on the first signature, so that routes never import pyHanko."""

    def sign(self, pdf_bytes: bytes, signer_name: str, capacity: str, reason: str) -> bytes:
        return urbanisme_signer().sign(pdf_bytes, signer_name, capacity, reason)


@cache
def urbanisme_signer() -> Signer:
    from demarches.urbanisme.service_config import load_service_config
    from demarches.urbanisme.signature import CredentialSource, PadesSigner

    config = settings()
    credentials: CredentialSource
    if config.urbanisme_signing == "pkcs12_secret":
        from demarches.adapters.aws import client
        from demarches.adapters.signing_urbanisme import SecretsManagerPkcs12Credentials

        if not config.urbanisme_signing_secret_id:
            raise ValueError("urbanisme_signing is pkcs12_secret: set urbanisme_signing_secret_id")
        credentials = SecretsManagerPkcs12Credentials(
            client("secretsmanager", config), config.urbanisme_signing_secret_id
        )
    else:
        credentials = urbanisme_local_ca()
    service = load_service_config(config.urbanisme_service)
    return PadesSigner(credentials, location=service.signing_place)


@cache
def urbanisme_local_ca() -> LocalCertificateAuthority:
    """Return the local CA of decision signatures, created in ``urbanisme_ca_dir`` at first use.

    Certificates follow the machine's clock, not ``use_clock``: a signature made while tests
    move time must still verify against the real date.
    """
    from pathlib import Path

    from demarches.urbanisme.local_ca import LocalCertificateAuthority
    from demarches.urbanisme.service_config import load_service_config

    config = settings()
    service = load_service_config(config.urbanisme_service)
    return LocalCertificateAuthority(
        Path(config.urbanisme_ca_dir), organisation=service.collectivite
    )


@cache
def urbanisme_filing() -> FilingService:
    from demarches.urbanisme.filing import FilingService

    return FilingService(urbanisme_context())


@cache
def urbanisme_instruction() -> InstructionService:
    from demarches.urbanisme.instruction import InstructionService

    return InstructionService(urbanisme_context())


@cache
def urbanisme_steps() -> WorkflowSteps:
    from demarches.urbanisme.steps import WorkflowSteps

    return WorkflowSteps(urbanisme_context())


@cache
def urbanisme_upload_check() -> UploadCheckService:
    from demarches.adapters.pdf_sandbox_urbanisme import SandboxedPdfChecker
    from demarches.urbanisme.upload_check import UploadCheckService

    config = settings()
    checker = SandboxedPdfChecker(
        memory_bytes=config.urbanisme_pdf_check_memory_mb * 2**20,
        timeout_seconds=config.urbanisme_pdf_check_timeout_seconds,
    )
    return UploadCheckService(urbanisme_context(), bucket=config.documents_bucket, checker=checker)


@cache
def urbanisme_deadline_sweep() -> DeadlineSweep:
    from demarches.urbanisme.deadline_sweep import DeadlineSweep

    return DeadlineSweep(urbanisme_context())
