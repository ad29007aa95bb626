"""Request payloads as a client sends them, complete and valid; tests change one field each."""

from __future__ import annotations

from typing import Any

VERDUN = "55545"
THIERVILLE = "55505"
# Valid SIRET numbers (Luhn key checked by python-stdnum).
COMPANY_SIRET = "55210055400013"
NOTARY_SIRET = "77567227200017"


def person_payload() -> dict[str, Any]:
    return {
        "kind": "person",
        "civility": "madame",
        "last_name": "Lefèvre",
        "first_name": "Anaïs",
        "address": {"street": "3 rue Saint-Paul", "postcode": "55100", "city": "Verdun"},
        "email": "anais.lefevre@example.fr",
        "phone": "06 12 34 56 78",
    }


def company_payload() -> dict[str, Any]:
    return {
        "kind": "company",
        "company_name": "SCI Les Écluses",
        "legal_form": "SCI",
        "siret": "552 100 554 00013",
        "representative": {"last_name": "Husson", "first_name": "Rémi", "capacity": "gérant"},
        "address": {"street": "8 quai de Londres", "postcode": "55100", "city": "Verdun"},
        "email": "contact@sci-ecluses.example",
    }


def land_payload() -> dict[str, Any]:
    return {
        "code_insee": VERDUN,
        "address": {"street": "12 rue Mazel", "postcode": "55100", "city": "Verdun"},
        "parcels": ["55545 000 AB 0123", "555450000a0001"],
        "land_area_m2": 1250,
    }


def cua_payload() -> dict[str, Any]:
    return {"type": "CUa", "applicant": person_payload(), "land": land_payload()}


def cub_payload() -> dict[str, Any]:
    return {
        "type": "CUb",
        "applicant": company_payload(),
        "land": land_payload(),
        "operation": {
            "description": "Construction d'une maison individuelle de plain-pied.",
            "planned_floor_area_m2": 120,
            "existing_buildings": False,
        },
    }


def dia_payload() -> dict[str, Any]:
    bien = land_payload() | {"built": True, "floor_area_m2": 140, "occupied": False}
    return {
        "type": "DIA",
        "owner": company_payload(),
        "bien": bien,
        "sale": {
            "price_cents": 18_500_000,
            "agent_commission_cents": 600_000,
            "payment_mode": "comptant",
        },
        "notary": {
            "office_name": "Office notarial de la Citadelle",
            "notary_name": "Maître Hélène Durand",
            "siret": NOTARY_SIRET,
            "address": {"street": "2 place Chevert", "postcode": "55100", "city": "Verdun"},
            "email": "office@notaires-citadelle.example",
        },
    }
