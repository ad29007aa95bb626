"""Completeness and territory checks run when a draft request is submitted.

A draft may lack any field. ``validate_for_submission`` lists, in one pass, every field that
is still missing, every cross-field rule that fails and every value outside the territory, so
that the applicant can fix them all at once.
"""

from __future__ import annotations

from demarches.territory import Territory
from demarches.urbanisme.cerfa import (
    Bien,
    CertificatUrbanismeB,
    CompanyParty,
    DeclarationIntentionAliener,
    Land,
    NotaryOffice,
    PaymentMode,
    PersonParty,
    PostalAddress,
    SaleTerms,
    UrbanismeRequest,
)
from demarches.urbanisme.errors import SubmissionInvalidError
from demarches.urbanisme.issues import FieldIssue

MISSING = "missing"


def _missing(path: str, what: str) -> FieldIssue:
    return FieldIssue(path=path, code=MISSING, message=f"Missing {what}.")


def validate_for_submission(request: UrbanismeRequest, territory: Territory) -> list[FieldIssue]:
    """Return every missing or invalid field of a request; an empty list means it can be filed."""
    issues: list[FieldIssue] = []
    if isinstance(request, DeclarationIntentionAliener):
        issues += _party_issues("owner", request.owner, email_required=False)
        issues += _bien_issues(request.bien)
        issues += _sale_issues(request.sale)
        issues += _notary_issues(request.notary)
    else:
        issues += _party_issues("applicant", request.applicant, email_required=True)
        issues += _land_issues(request.land)
        if isinstance(request, CertificatUrbanismeB):
            issues += _operation_issues(request)
    issues += check_territory(request, territory)
    return issues


def ensure_submittable(request: UrbanismeRequest, territory: Territory) -> None:
    """Raise SubmissionInvalidError listing every issue unless the request can be filed."""
    issues = validate_for_submission(request, territory)
    if issues:
        raise SubmissionInvalidError(
            f"The request cannot be submitted: {len(issues)} field(s) are missing or invalid. "
            "Complete them and submit again.",
            details={"issues": [issue.to_dict() for issue in issues]},
        )


def check_territory(request: UrbanismeRequest, territory: Territory) -> list[FieldIssue]:
    """Check that the land or property lies in a commune of the territory.

    The commune must belong to the territory, every parcel's INSEE code must equal the
    commune's, and a French postcode of the site address must be one of the commune's.
    """
    site_path, site = _site_of(request)
    if site is None or site.code_insee is None:
        return []

    commune = territory.commune(site.code_insee)
    if commune is None:
        return [
            FieldIssue(
                path=f"{site_path}.code_insee",
                code="commune_outside_territory",
                message=(
                    f"The commune {site.code_insee} is not served by {territory.nom}. "
                    "File the request with the commune where the land lies."
                ),
            )
        ]

    issues: list[FieldIssue] = []
    for index, parcel in enumerate(site.parcels):
        if parcel[:5] != commune.code_insee:
            issues.append(
                FieldIssue(
                    path=f"{site_path}.parcels.{index}",
                    code="parcel_commune_mismatch",
                    message=(
                        f"The parcel {parcel} belongs to the commune {parcel[:5]}, "
                        f"not to {commune.nom} ({commune.code_insee})."
                    ),
                )
            )
    address = site.address
    if (
        address is not None
        and address.country == "FR"
        and address.postcode is not None
        and address.postcode not in commune.codes_postaux
    ):
        issues.append(
            FieldIssue(
                path=f"{site_path}.address.postcode",
                code="postcode_commune_mismatch",
                message=(
                    f"The postcode {address.postcode} is not one of {commune.nom}'s "
                    f"({', '.join(commune.codes_postaux)})."
                ),
            )
        )
    return issues


def _site_of(request: UrbanismeRequest) -> tuple[str, Land | Bien | None]:
    if isinstance(request, DeclarationIntentionAliener):
        return "bien", request.bien
    return "land", request.land


def _party_issues(
    path: str, party: PersonParty | CompanyParty | None, *, email_required: bool
) -> list[FieldIssue]:
    if party is None:
        return [_missing(path, "identity: a person or a company")]

    issues: list[FieldIssue] = []
    if isinstance(party, CompanyParty):
        if party.company_name is None:
            issues.append(_missing(f"{path}.company_name", "company name"))
        if party.siret is None:
            issues.append(_missing(f"{path}.siret", "SIRET of the company"))
        issues += _representative_issues(f"{path}.representative", party)
    else:
        if party.last_name is None:
            issues.append(_missing(f"{path}.last_name", "last name"))
        if party.first_name is None:
            issues.append(_missing(f"{path}.first_name", "first name"))
    issues += _address_issues(f"{path}.address", party.address)
    if email_required and party.email is None:
        issues.append(_missing(f"{path}.email", "e-mail address, where the decision is sent"))
    return issues


def _representative_issues(path: str, company: CompanyParty) -> list[FieldIssue]:
    representative = company.representative
    if representative is None:
        return [_missing(path, "representative of the company")]
    issues = []
    if representative.last_name is None:
        issues.append(_missing(f"{path}.last_name", "last name of the representative"))
    if representative.first_name is None:
        issues.append(_missing(f"{path}.first_name", "first name of the representative"))
    if representative.capacity is None:
        issues.append(_missing(f"{path}.capacity", "capacity of the representative (gérant...)"))
    return issues


def _address_issues(path: str, address: PostalAddress | None) -> list[FieldIssue]:
    if address is None:
        return [_missing(path, "postal address")]
    issues = []
    if address.street is None and address.locality is None:
        issues.append(_missing(f"{path}.street", "street or lieu-dit"))
    if address.postcode is None:
        issues.append(_missing(f"{path}.postcode", "postcode"))
    if address.city is None:
        issues.append(_missing(f"{path}.city", "city"))
    return issues


def _site_issues(path: str, site: Land | Bien) -> list[FieldIssue]:
    issues: list[FieldIssue] = []
    if site.code_insee is None:
        issues.append(_missing(f"{path}.code_insee", "INSEE code of the commune"))
    if not site.parcels:
        issues.append(_missing(f"{path}.parcels", "cadastral parcel: give at least one"))
    if site.land_area_m2 is None:
        issues.append(_missing(f"{path}.land_area_m2", "land area in square metres"))
    if site.address is None or (site.address.street is None and site.address.locality is None):
        issues.append(_missing(f"{path}.address.street", "street or lieu-dit of the site"))
    return issues


def _land_issues(land: Land | None) -> list[FieldIssue]:
    if land is None:
        return [_missing("land", "land: commune, parcels and area")]
    return _site_issues("land", land)


def _operation_issues(request: CertificatUrbanismeB) -> list[FieldIssue]:
    operation = request.operation
    if operation is None or operation.description is None:
        return [_missing("operation.description", "description of the planned operation")]
    return []


def _bien_issues(bien: Bien | None) -> list[FieldIssue]:
    if bien is None:
        return [_missing("bien", "property: commune, parcels, area and whether it is built")]
    issues = _site_issues("bien", bien)
    if bien.built is None:
        issues.append(_missing("bien.built", "answer: is the property built?"))
    if bien.built and bien.floor_area_m2 is None:
        issues.append(_missing("bien.floor_area_m2", "floor area of the buildings"))
    return issues


def _sale_issues(sale: SaleTerms | None) -> list[FieldIssue]:
    if sale is None:
        return [_missing("sale", "price and terms of the sale")]
    issues = []
    if sale.price_cents is None:
        issues.append(_missing("sale.price_cents", "sale price"))
    if sale.payment_mode is None:
        issues.append(_missing("sale.payment_mode", "payment mode"))
    elif sale.payment_mode is not PaymentMode.COMPTANT and sale.payment_details is None:
        issues.append(
            _missing("sale.payment_details", f"payment details for the mode {sale.payment_mode}")
        )
    return issues


def _notary_issues(notary: NotaryOffice | None) -> list[FieldIssue]:
    if notary is None:
        return [_missing("notary", "notary's office")]
    issues = []
    if notary.office_name is None:
        issues.append(_missing("notary.office_name", "name of the notary's office"))
    if notary.notary_name is None:
        issues.append(_missing("notary.notary_name", "name of the notary"))
    if notary.siret is None:
        issues.append(_missing("notary.siret", "SIRET of the notary's office"))
    if notary.email is None:
        issues.append(_missing("notary.email", "e-mail of the notary's office"))
    issues += _address_issues("notary.address", notary.address)
    return issues
