from __future__ import annotations

import pytest

from demarches.territory import Territory, load_territory
from demarches.urbanisme.documents import ServiceConfig


@pytest.fixture(scope="session")
def territory() -> Territory:
    return load_territory("grand-verdun")


@pytest.fixture(scope="session")
def service() -> ServiceConfig:
    return ServiceConfig(
        collectivite="Communauté d'agglomération du Grand Verdun",
        collectivite_in_text="la Communauté d'agglomération du Grand Verdun",
        service_name="Service urbanisme",
        postal_address=("11 rue du Président Poincaré", "55100 Verdun"),
        email="urbanisme@grandverdun.example",
        phone="03 29 00 00 00",
        signing_place="Verdun",
        tribunal_administratif="Tribunal administratif de Nancy",
        tribunal_address=("5 place de la Carrière", "54000 Nancy"),
        online_appeal_service="www.telerecours.fr",
    )
