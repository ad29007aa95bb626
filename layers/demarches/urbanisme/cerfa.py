"""Requests as filed on cerfa 13410 (certificat d'urbanisme, CUa and CUb) and 10072 (DIA).

Every field is optional so that a draft can be saved at any stage, but a value that is present
must be well-formed: SIRET checksum, parcel id, postcode, e-mail. When the validation context
carries a ``territory`` (``{"territory": Territory}``), the commune of the land must belong to
it. Completeness is checked separately, at submission, by ``submission.validate_for_submission``.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from stdnum import exceptions as stdnum_exceptions
from stdnum.fr import siret as stdnum_siret

from demarches.territory import Territory
from demarches.urbanisme.errors import ParcelIdInvalidError, RequestInvalidError
from demarches.urbanisme.issues import issues_from_validation_error
from demarches.urbanisme.parcels import (
    INSEE_CODE_PATTERN,
    normalise_parcel_id,
    parse_parcel_id,
)
from demarches.urbanisme.request_type import RequestType

MAX_TEXT_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 4000
MAX_PARCELS = 200


def _check_siret(value: object) -> object:
    if not isinstance(value, str):
        return value  # the str type check that follows reports it
    compact = str(stdnum_siret.compact(value))
    try:
        stdnum_siret.validate(compact)
    except stdnum_exceptions.InvalidLength:
        raise PydanticCustomError(
            "siret_invalid", "Invalid SIRET {value}: it must have 14 digits.", {"value": value}
        ) from None
    except stdnum_exceptions.InvalidFormat:
        raise PydanticCustomError(
            "siret_invalid", "Invalid SIRET {value}: it must contain digits only.", {"value": value}
        ) from None
    except stdnum_exceptions.InvalidChecksum:
        raise PydanticCustomError(
            "siret_invalid",
            "Invalid SIRET {value}: the check digit is wrong. Copy it from the Kbis or the "
            "INSEE notice (avis de situation).",
            {"value": value},
        ) from None
    except stdnum_exceptions.ValidationError as exc:
        raise PydanticCustomError(
            "siret_invalid",
            "Invalid SIRET {value}: {reason}",
            {"value": value, "reason": str(exc)},
        ) from None
    return compact


def _check_parcel_id(value: object) -> object:
    if not isinstance(value, str):
        return value
    try:
        return str(parse_parcel_id(value))
    except ParcelIdInvalidError as exc:
        raise PydanticCustomError(
            "parcel_id_invalid", "{reason}", {"reason": exc.message}
        ) from None


def _normalise_insee_code(value: object) -> object:
    return normalise_parcel_id(value) if isinstance(value, str) else value


Siret = Annotated[str, BeforeValidator(_check_siret)]
"""SIRET of an establishment, spaces removed, checked with its Luhn key (python-stdnum)."""

ParcelIdText = Annotated[str, BeforeValidator(_check_parcel_id)]
"""Cadastral parcel id, normalised to 14 uppercase characters without spaces."""

CodeInsee = Annotated[
    str,
    BeforeValidator(_normalise_insee_code),
    StringConstraints(pattern=rf"^{INSEE_CODE_PATTERN}$"),
]
"""Official INSEE code of a commune (``55545``, ``2A004``), not its postcode."""

# Control, format (bidi overrides), private-use and unassigned characters, and pictographs,
# would be stored but vanish or reorder text in the PDF documents built from these fields.
_REJECTED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "So"})
_MAX_COMBINING_RUN = 3


def _check_printable(value: str, *, multiline: bool) -> str:
    """Normalise to NFKC and reject characters that cannot be printed on a decision."""
    text = unicodedata.normalize("NFKC", value)
    combining_run = 0
    for character in text:
        if multiline and character in "\n\t":
            combining_run = 0
            continue
        category = unicodedata.category(character)
        if category in _REJECTED_CATEGORIES:
            raise ValueError(
                f"character U+{ord(character):04X} cannot appear in a document; remove it"
            )
        combining_run = combining_run + 1 if category.startswith("M") else 0
        if combining_run > _MAX_COMBINING_RUN:
            raise ValueError("too many accents on one letter; retype the text")
    return text


Text = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_TEXT_LENGTH),
    AfterValidator(lambda value: _check_printable(value, multiline=False)),
]
LongText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_DESCRIPTION_LENGTH),
    AfterValidator(lambda value: _check_printable(value, multiline=True)),
]
Phone = Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 .\-]{5,19}$")]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
AreaSquareMetres = Annotated[int, Field(gt=0, le=10_000_000_000)]
AmountCents = Annotated[int, Field(ge=0, le=10**15)]

_FRENCH_POSTCODE = re.compile(r"[0-9]{5}")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PostalAddress(_Model):
    """Postal address; the postcode must have 5 digits when the country is France."""

    # Declared first: the postcode check reads the country.
    country: CountryCode = "FR"
    """ISO 3166-1 alpha-2 code."""
    street: Text | None = None
    """Number and street name (numéro et voie)."""
    locality: Text | None = None
    """Lieu-dit or address complement."""
    postcode: Annotated[str, StringConstraints(max_length=12)] | None = None
    city: Text | None = None

    @field_validator("postcode")
    @classmethod
    def _check_french_postcode(cls, value: str | None, info: ValidationInfo) -> str | None:
        country = info.data.get("country", "FR")
        if value is not None and country == "FR" and not _FRENCH_POSTCODE.fullmatch(value):
            raise PydanticCustomError(
                "postcode_invalid",
                "Invalid French postcode {value}: it must have 5 digits.",
                {"value": value},
            )
        return value


class Civility(StrEnum):
    MADAME = "madame"
    MONSIEUR = "monsieur"


class Representative(_Model):
    """Natural person who acts for a company, with their capacity (gérant, président...)."""

    last_name: Text | None = None
    first_name: Text | None = None
    capacity: Text | None = None


class _Contact(_Model):
    address: PostalAddress | None = None
    email: EmailStr | None = None
    phone: Phone | None = None


class PersonParty(_Contact):
    """Natural person filing or owning (particulier)."""

    kind: Literal["person"]
    civility: Civility | None = None
    last_name: Text | None = None
    first_name: Text | None = None


class CompanyParty(_Contact):
    """Legal person filing or owning (personne morale), identified by its SIRET."""

    kind: Literal["company"]
    company_name: Text | None = None
    """Dénomination or raison sociale."""
    legal_form: Text | None = None
    """Type de société: SCI, SARL, SAS..."""
    siret: Siret | None = None
    representative: Representative | None = None


Party = Annotated[PersonParty | CompanyParty, Field(discriminator="kind")]


class _Site(_Model):
    """Site of the request: the commune, its parcels and the address on the ground.

    The commune is declared before the parcels so that the parcel check can compare them.
    """

    code_insee: CodeInsee | None = None
    address: PostalAddress | None = None
    parcels: Annotated[list[ParcelIdText], Field(max_length=MAX_PARCELS)] = Field(
        default_factory=list
    )
    land_area_m2: AreaSquareMetres | None = None
    """Total area of the parcels (superficie du terrain), in square metres."""

    @field_validator("code_insee")
    @classmethod
    def _check_commune_in_territory(cls, value: str | None, info: ValidationInfo) -> str | None:
        territory = _territory_from(info)
        if value is not None and territory is not None and not territory.contains(value):
            raise PydanticCustomError(
                "commune_outside_territory",
                "The commune {code_insee} is not served by {territory}. File the request with "
                "the commune where the land lies.",
                {"code_insee": value, "territory": territory.nom},
            )
        return value

    @field_validator("parcels")
    @classmethod
    def _check_parcels(cls, value: list[str], info: ValidationInfo) -> list[str]:
        duplicates = sorted({parcel for parcel in value if value.count(parcel) > 1})
        if duplicates:
            raise PydanticCustomError(
                "parcel_duplicated",
                "Parcels listed more than once: {parcels}.",
                {"parcels": ", ".join(duplicates)},
            )
        code_insee = info.data.get("code_insee")
        if code_insee is None:
            return value
        foreign = [parcel for parcel in value if parcel[:5] != code_insee]
        if foreign:
            raise PydanticCustomError(
                "parcel_commune_mismatch",
                "Parcels {parcels} do not belong to the commune {code_insee}: the first 5 "
                "characters of a parcel id are its commune's INSEE code.",
                {"parcels": ", ".join(foreign), "code_insee": code_insee},
            )
        return value


def _territory_from(info: ValidationInfo) -> Territory | None:
    context = info.context
    if not isinstance(context, dict):
        return None
    territory = context.get("territory")
    return territory if isinstance(territory, Territory) else None


class Land(_Site):
    """The land a certificat d'urbanisme is requested for (terrain, cerfa 13410)."""


class Operation(_Model):
    """The planned operation of a CUb (cerfa 13410, box b)."""

    description: LongText | None = None
    """Planned works, in the applicant's words."""
    planned_floor_area_m2: AreaSquareMetres | None = None
    """Planned floor area (surface de plancher), in square metres."""
    existing_buildings: bool | None = None
    """Whether the land already carries buildings."""


class CertificatUrbanismeA(_Model):
    """Request for a certificat d'urbanisme d'information (CUa)."""

    type: Literal["CUa"]
    applicant: Party | None = None
    land: Land | None = None


class CertificatUrbanismeB(_Model):
    """Request for a certificat d'urbanisme opérationnel (CUb): a CUa plus the operation."""

    type: Literal["CUb"]
    applicant: Party | None = None
    land: Land | None = None
    operation: Operation | None = None


class Bien(_Site):
    """The property to be sold (désignation du bien, cerfa 10072)."""

    built: bool | None = None
    """Bâti (True) or non bâti (False)."""
    floor_area_m2: AreaSquareMetres | None = None
    """Surface utile or habitable of the buildings, in square metres; required when built."""
    occupied: bool | None = None
    """Whether the property is occupied (rented or used) at the time of the sale."""

    @model_validator(mode="after")
    def _floor_area_only_when_built(self) -> Bien:
        if self.built is False and self.floor_area_m2 is not None:
            raise PydanticCustomError(
                "floor_area_without_building",
                "A floor area was given for an unbuilt property (built is false). "
                "Remove the floor area or mark the property as built.",
            )
        return self


class PaymentMode(StrEnum):
    """Payment mode of the price (modalités de paiement, cerfa 10072)."""

    COMPTANT = "comptant"
    A_TERME = "a_terme"
    RENTE_VIAGERE = "rente_viagere"
    ECHANGE = "echange"
    APPORT_EN_SOCIETE = "apport_en_societe"
    AUTRE = "autre"


class SaleTerms(_Model):
    """Price and terms of the sale (prix et conditions de l'aliénation)."""

    price_cents: Annotated[int, Field(gt=0, le=10**15)] | None = None
    """Sale price in euro cents, furniture and commission excluded."""
    furniture_price_cents: AmountCents | None = None
    agent_commission_cents: AmountCents | None = None
    """Estate agent's commission, in cents, when the buyer pays it."""
    payment_mode: PaymentMode | None = None
    payment_details: LongText | None = None
    """Schedule or terms; required for every mode except comptant."""


class NotaryOffice(_Model):
    """The notary's office that files the DIA for the owner."""

    office_name: Text | None = None
    notary_name: Text | None = None
    siret: Siret | None = None
    address: PostalAddress | None = None
    email: EmailStr | None = None
    phone: Phone | None = None


class DeclarationIntentionAliener(_Model):
    """Déclaration d'intention d'aliéner (cerfa 10072), filed by the seller's notary."""

    type: Literal["DIA"]
    owner: Party | None = None
    bien: Bien | None = None
    sale: SaleTerms | None = None
    notary: NotaryOffice | None = None


UrbanismeRequest = Annotated[
    CertificatUrbanismeA | CertificatUrbanismeB | DeclarationIntentionAliener,
    Field(discriminator="type"),
]

URBANISME_REQUEST_ADAPTER: TypeAdapter[UrbanismeRequest] = TypeAdapter(UrbanismeRequest)


def parse_request(data: Any, *, territory: Territory | None = None) -> UrbanismeRequest:
    """Validate a request payload, draft or complete, of any of the three types.

    With ``territory``, the commune must belong to it. Raises RequestInvalidError with every
    malformed field in ``details["issues"]`` (path, code, message).
    """
    context = {"territory": territory} if territory is not None else None
    try:
        return URBANISME_REQUEST_ADAPTER.validate_python(data, context=context)
    except ValidationError as exc:
        issues = issues_from_validation_error(exc)
        raise RequestInvalidError(
            f"The request has {len(issues)} invalid field(s); see details.issues.",
            details={"issues": [issue.to_dict() for issue in issues]},
        ) from exc


def request_type_of(request: UrbanismeRequest) -> RequestType:
    return RequestType(request.type)


def party_display_name(party: PersonParty | CompanyParty) -> str:
    """Return the name printed on documents: first and last name, or the company name."""
    if isinstance(party, CompanyParty):
        return party.company_name or ""
    names = [name for name in (party.first_name, party.last_name) if name]
    return " ".join(names)
