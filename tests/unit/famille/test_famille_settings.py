from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from demarches.famille.settings import EXAMPLE_SETTINGS, load_famille_settings


def test_example_settings_load() -> None:
    settings = load_famille_settings()
    assert settings.calendar.zone == "B"
    assert settings.catalogue().codes == ("garderie_matin", "cantine", "garderie_soir")


def test_environment_overrides_file_field_by_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAMILLE_API_PARTICULIER__API_KEY", "secret-from-env")
    monkeypatch.setenv("FAMILLE_CALENDAR__ZONE", "A")
    settings = load_famille_settings(
        api_particulier={"base_url": "http://127.0.0.1:8601", "api_key": "from-file"}
    )
    assert settings.api_particulier.api_key == "secret-from-env"
    assert settings.api_particulier.base_url == "http://127.0.0.1:8601"
    assert settings.calendar.zone == "A"
    assert settings.calendar.school_weekdays == {"monday", "tuesday", "thursday", "friday"}


def test_api_key_stays_out_of_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAMILLE_API_PARTICULIER__API_KEY", "secret-from-env")
    assert "secret-from-env" not in repr(load_famille_settings())


def test_activity_without_price_is_rejected(tmp_path: Path) -> None:
    values = json.loads(EXAMPLE_SETTINGS.read_text(encoding="utf-8"))
    extra = dict(values["activities"][0], code="etude", label="Étude")
    values["activities"].append(extra)
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(values), encoding="utf-8")
    with pytest.raises(ValidationError, match="no bracket price for activities: etude"):
        load_famille_settings(path)


def test_unknown_section_is_rejected() -> None:
    with pytest.raises(ValidationError):
        load_famille_settings(cantine={"menu": "frites"})
