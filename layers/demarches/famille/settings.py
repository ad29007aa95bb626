"""Configuration of the periscolaire démarche, read once at cold start.

Values come from a JSON file (see ``load_famille_settings``). Environment variables
``FAMILLE_<SECTION>__<FIELD>``, e.g. ``FAMILLE_API_PARTICULIER__API_KEY``, take precedence
over the file field by field. Secrets belong in the environment, never in the file.
``example-settings.json`` beside this module shows every section; its prices and capacities are
examples, not the tariffs any council adopted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from demarches.famille.activities import ActivityCatalogue, ActivitySettings
from demarches.famille.api_particulier import ApiParticulierSettings, ImpotParticulierSettings
from demarches.famille.calendar import CalendarSettings
from demarches.famille.invoicing import InvoiceSettings
from demarches.famille.payfip import PayfipSettings
from demarches.famille.quotient import QuotientSettings

EXAMPLE_SETTINGS = Path(__file__).with_name("example-settings.json")


class FamilleSettings(BaseSettings):
    """Every setting of the periscolaire démarche."""

    model_config = SettingsConfigDict(
        env_prefix="FAMILLE_", env_nested_delimiter="__", extra="forbid"
    )

    calendar: CalendarSettings = Field(default_factory=CalendarSettings)
    quotient: QuotientSettings
    activities: list[ActivitySettings] = Field(min_length=1)
    invoice: InvoiceSettings
    api_particulier: ApiParticulierSettings = Field(default_factory=ApiParticulierSettings)
    impot_particulier: ImpotParticulierSettings = Field(default_factory=ImpotParticulierSettings)
    payfip: PayfipSettings = Field(default_factory=PayfipSettings)

    @model_validator(mode="after")
    def _check_prices_cover_activities(self) -> FamilleSettings:
        codes = [activity.code for activity in self.activities]
        if len(set(codes)) != len(codes):
            raise ValueError(f"activity codes must be unique: {codes}")
        priced = set(self.quotient.brackets[0].prices_cents)
        unpriced = sorted(set(codes) - priced)
        if unpriced:
            raise ValueError(f"no bracket price for activities: {', '.join(unpriced)}")
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Environment first, so that a deployment overrides the file without editing it.
        return env_settings, init_settings

    def catalogue(self) -> ActivityCatalogue:
        return ActivityCatalogue(self.activities)


def load_famille_settings(path: Path = EXAMPLE_SETTINGS, **overrides: Any) -> FamilleSettings:
    """Load the settings from a JSON file and ``overrides``; environment variables win."""
    values: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    values.update(overrides)
    return FamilleSettings(**values)
