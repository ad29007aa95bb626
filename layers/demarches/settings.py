"""Configuration read once at cold start from environment variables prefixed ``DEMARCHES_``.

Precedence: an explicit constructor argument, then the environment, then the default below.
Adapters receive these values through their constructors; domain code never reads the
environment.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DEMARCHES_", extra="ignore")

    stage: str = Field("local", description="Deployment stage: local, dev or prod.")
    territory: str = Field(
        "grand-verdun", description="Bundled territory name or path to a territory JSON file."
    )
    aws_region: str = Field("eu-west-3", description="AWS region of every resource.")
    aws_endpoint_url: str | None = Field(
        None, description="Endpoint of an AWS emulator; unset on AWS itself."
    )

    households_table: str = "demarches-households"
    aquadrome_slots_table: str = "demarches-aquadrome-slots"
    aquadrome_bookings_table: str = "demarches-aquadrome-bookings"
    aquadrome_quotas_table: str = "demarches-aquadrome-quotas"
    conservatoire_enrollments_table: str = "demarches-conservatoire-enrollments"
    conservatoire_courses_table: str = "demarches-conservatoire-courses"
    conservatoire_evaluations_table: str = "demarches-conservatoire-evaluations"
    quotients_table: str = Field(
        "demarches-quotients",
        description="quotient_familial per household and school year, written by the portail "
        "famille and read for conservatoire fees.",
    )
    famille_registrations_table: str = "demarches-famille-registrations"
    famille_reservations_table: str = "demarches-famille-reservations"
    famille_sessions_table: str = "demarches-famille-sessions"
    famille_invoices_table: str = "demarches-famille-invoices"
    documents_bucket: str = "demarches-documents"
    urbanisme_dossiers_table: str = "demarches-urbanisme-dossiers"
    urbanisme_audit_table: str = "demarches-urbanisme-audit"
    urbanisme_counters_table: str = "demarches-urbanisme-counters"
    urbanisme_directory_table: str = "demarches-urbanisme-directory"
    urbanisme_archive_bucket: str = Field(
        "demarches-urbanisme-archive",
        description="Bucket with S3 Object Lock that keeps signed decisions unchanged.",
    )
    urbanisme_state_machine_arn: str = Field(
        "arn:aws:states:eu-west-3:123456789012:stateMachine:demarches-urbanisme-instruction",
        description="ARN of the urbanism instruction state machine.",
    )
    urbanisme_service: str = Field(
        "grand-verdun",
        description="Bundled name or path of the JSON file describing the urbanism service "
        "as printed on documents (name, address, competent administrative court).",
    )
    urbanisme_signing: Literal["local_ca", "pkcs12_secret"] = Field(
        "local_ca",
        description="Key store of decision signatures: a local CA created on first use, or a "
        "PKCS#12 file kept in Secrets Manager.",
    )
    urbanisme_ca_dir: str = Field(
        ".local/ca", description="Folder of the local CA's keys (urbanisme_signing=local_ca)."
    )
    urbanisme_signing_secret_id: str | None = Field(
        None, description="Secret holding the PKCS#12 file (urbanisme_signing=pkcs12_secret)."
    )
    urbanisme_max_upload_bytes: int = Field(
        20_000_000, gt=0, description="Largest accepted uploaded PDF, in bytes."
    )
    urbanisme_max_pages: int = Field(500, gt=0, description="Most pages of an uploaded PDF.")
    urbanisme_pdf_check_memory_mb: int = Field(
        400,
        gt=0,
        description="Address space of the process that checks one uploaded PDF, in MiB; a file "
        "that needs more is rejected as too complex.",
    )
    urbanisme_pdf_check_timeout_seconds: float = Field(
        20, gt=0, description="Time to check one uploaded PDF before rejecting it as too complex."
    )
    urbanisme_upload_expires_seconds: int = Field(
        900, gt=0, le=3600, description="Lifetime of an upload target, in seconds."
    )
    mail_sender: str = Field(
        "ne-pas-repondre@grandverdun.example.fr",
        description="Sender address of every e-mail; verified in SES.",
    )

    aquadrome_timetable: str = Field(
        "aquadrome-grand-verdun",
        description="Bundled timetable name or path to a timetable JSON file.",
    )
    conservatoire_years: list[str] = Field(
        default_factory=lambda: ["grand-verdun-2026-2027"],
        description="School-year configurations of the conservatoire and the atelier d'art: "
        "bundled names or paths to JSON files, as a JSON list.",
    )

    famille_settings: str | None = Field(
        None,
        description="Path to the periscolaire settings JSON file; unset uses the example file "
        "shipped with demarches.famille, whose prices are examples.",
    )

    jwt_issuer: str = Field(
        "http://127.0.0.1:8000/local-idp", description="Expected `iss` claim of identity tokens."
    )
    jwt_audience: str = Field("demarches-local", description="Expected `aud` claim (client id).")
    jwks_url: str | None = Field(
        None, description="JWKS address of the identity provider; unset locally."
    )
    jwks_path: str | None = Field(
        None, description="Local JWKS file, used instead of jwks_url by the embedded stack."
    )
    ticket_secret: str = Field(
        "local-ticket-secret-change-me",
        min_length=16,
        description="HMAC key that signs ticket references; from a secret store on AWS.",
    )
    debug: bool = Field(False, description="Include tracebacks in error bodies.")


@cache
def get_settings() -> Settings:
    return Settings()
