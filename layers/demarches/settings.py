"""Configuration read once at cold start from environment variables prefixed ``DEMARCHES_``.

Precedence: an explicit constructor argument, then the environment, then the default below.
Adapters receive these values through their constructors; domain code never reads the
environment.
"""

from __future__ import annotations

from functools import cache

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
    documents_bucket: str = "demarches-documents"
    mail_sender: str = Field(
        "ne-pas-repondre@grandverdun.example.fr",
        description="Sender address of every e-mail; verified in SES.",
    )

    aquadrome_timetable: str = Field(
        "aquadrome-grand-verdun",
        description="Bundled timetable name or path to a timetable JSON file.",
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
