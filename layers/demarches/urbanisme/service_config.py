"""The instructing service as printed on documents, read from a configuration file."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from demarches.urbanisme.documents import ServiceConfig

_BUNDLED = Path(__file__).with_name("services")


@cache
def load_service_config(name_or_path: str) -> ServiceConfig:
    """Load a bundled service file such as ``grand-verdun``, or a JSON file by its path.

    The file has the fields of ``documents.ServiceConfig``; address lists become tuples.
    """
    path = Path(name_or_path)
    if not path.suffix:
        path = _BUNDLED / f"{name_or_path}.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    return ServiceConfig(
        collectivite=raw["collectivite"],
        collectivite_in_text=raw["collectivite_in_text"],
        service_name=raw["service_name"],
        postal_address=tuple(raw["postal_address"]),
        email=raw["email"],
        phone=raw["phone"],
        signing_place=raw["signing_place"],
        tribunal_administratif=raw["tribunal_administratif"],
        tribunal_address=tuple(raw.get("tribunal_address", ())),
        online_appeal_service=raw.get("online_appeal_service"),
    )
