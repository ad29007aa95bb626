"""Documents of the urbanism démarche, in French: acknowledgements and decisions.

Each ``build_*`` function returns a DocumentContent; ``pdf_layout.render_document`` turns it
into PDF bytes, and decisions are then signed with ``signature.Signer``. Every fact about the
issuing body (name, address, tribunal) comes from ``ServiceConfig``, so the same code serves
any commune or intercommunality. Decisions show the signer's first name, last name and
capacity (L212-3 CRPA).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from demarches.clock import PARIS
from demarches.territory import Territory
from demarches.urbanisme.accuses import accuse_reception_due
from demarches.urbanisme.cerfa import (
    Bien,
    CompanyParty,
    DeclarationIntentionAliener,
    Land,
    PersonParty,
    PostalAddress,
    UrbanismeRequest,
    party_display_name,
    request_type_of,
)
from demarches.urbanisme.deadlines import (
    InstructionDeadline,
    SilenceOutcome,
    certificat_expiry,
    instruction_deadline,
    paris_date,
)
from demarches.urbanisme.document_content import (
    Block,
    DocumentContent,
    FieldRow,
    Heading,
    Paragraph,
    SignatureLine,
)
from demarches.urbanisme.formatting import (
    format_area,
    format_date_fr,
    format_datetime_fr,
    format_euros,
)
from demarches.urbanisme.parcels import parse_parcel_id
from demarches.urbanisme.request_type import RequestType


@dataclass(frozen=True)
class ServiceConfig:
    """The body that instructs the requests, as printed on every document."""

    collectivite: str
    """Name of the commune or intercommunality as a heading, for example "Commune de ..."."""
    collectivite_in_text: str
    """The same name inside a sentence, with its article: "la commune de ..."."""
    service_name: str
    postal_address: tuple[str, ...]
    email: str
    phone: str
    signing_place: str
    """Town printed in "Fait à ..."."""
    tribunal_administratif: str
    """Competent administrative court, for example "Tribunal administratif de ..."."""
    tribunal_address: tuple[str, ...] = ()
    online_appeal_service: str | None = None
    """Address of the online appeal service to print, if any (Télérecours citoyens)."""


@dataclass(frozen=True)
class DossierFacts:
    """Facts about the request that every document repeats."""

    registration_number: str
    request_type: RequestType
    received_at: datetime
    """Aware instant of receipt."""
    applicant_name: str
    """The applicant for a CU, the owner for a DIA."""
    commune_name: str
    site_address: str
    parcels: tuple[str, ...]
    land_area_m2: int | None = None
    filed_by: str | None = None
    """Notary and office that filed a DIA for the owner."""


@dataclass(frozen=True)
class Signatory:
    """Author of a decision: first and last name, and capacity (maire, adjoint délégué...)."""

    name: str
    capacity: str


@dataclass(frozen=True)
class DecisionSection:
    """A titled part of a decision written by the agent, such as the applicable rules."""

    title: str
    paragraphs: tuple[str, ...]


class CertificatOutcome(StrEnum):
    """Outcome of a CUb: whether the land can be used for the planned operation."""

    REALISABLE = "realisable"
    NON_REALISABLE = "non_realisable"


def dossier_facts(
    request: UrbanismeRequest, registration_number: str, received_at: datetime, territory: Territory
) -> DossierFacts:
    """Collect the facts that documents print from a submitted request."""
    party: PersonParty | CompanyParty | None
    site: Land | Bien | None
    filed_by = None
    if isinstance(request, DeclarationIntentionAliener):
        party, site = request.owner, request.bien
        if request.notary is not None:
            names = (request.notary.notary_name, request.notary.office_name)
            filed_by = ", ".join(name for name in names if name) or None
    else:
        party, site = request.applicant, request.land

    commune = territory.commune(site.code_insee) if site and site.code_insee else None
    return DossierFacts(
        registration_number=registration_number,
        request_type=request_type_of(request),
        received_at=received_at,
        applicant_name=party_display_name(party) if party else "",
        commune_name=commune.nom if commune else "",
        site_address=_address_line(site.address if site else None),
        parcels=tuple(site.parcels) if site else (),
        land_area_m2=site.land_area_m2 if site else None,
        filed_by=filed_by,
    )


def build_accuse_enregistrement(facts: DossierFacts, service: ServiceConfig) -> DocumentContent:
    """Build the accusé d'enregistrement électronique, sent at once on receipt (L112-11 CRPA).

    It states the registration number, the date and time of receipt, the type of request and
    the applicant, and announces the accusé de réception.
    """
    due = accuse_reception_due(facts.received_at)
    builder = _Builder()
    builder.paragraph(
        f"{_capitalise(service.collectivite_in_text)} a bien reçu votre envoi électronique."
    )
    builder.dossier_fields(facts)
    builder.paragraph(
        "Le présent accusé d'enregistrement atteste seulement la réception de votre envoi. "
        f"Un accusé de réception vous sera adressé au plus tard le {format_date_fr(due)}. Il "
        "indiquera la date à laquelle, à défaut de décision expresse, une décision implicite "
        "naîtra, ainsi que les voies de recours."
    )
    builder.heading("Contact")
    builder.service_fields(service)
    return builder.build(
        facts,
        service,
        title="Accusé d'enregistrement électronique",
        subtitle="Article L112-11 du code des relations entre le public et l'administration",
        created_at=facts.received_at,
    )


def build_accuse_reception(
    facts: DossierFacts, service: ServiceConfig, *, issued_at: datetime
) -> DocumentContent:
    """Build the accusé de réception with the content R112-5 CRPA requires.

    It gives the date of receipt, the service in charge with its postal address, e-mail and
    phone, the date at which silence produces a decision and what that decision is, and the
    appeal routes. It is due at most 7 days after receipt (``accuses.accuse_reception_due``).
    """
    deadline = instruction_deadline(facts.request_type, facts.received_at)
    builder = _Builder()
    builder.dossier_fields(facts)
    builder.heading("Service chargé du dossier")
    builder.service_fields(service)
    builder.heading("Délai d'instruction et décision implicite")
    for text in _silence_paragraphs(deadline):
        builder.paragraph(text)
    builder.heading("Voies et délais de recours")
    builder.paragraph(
        "La décision, expresse ou implicite, pourra être contestée dans les conditions suivantes."
    )
    builder.appeal_routes(service)
    builder.paragraph(f"Émis le {format_date_fr(paris_date(issued_at))}.")
    return builder.build(
        facts,
        service,
        title="Accusé de réception",
        subtitle="Article R112-5 du code des relations entre le public et l'administration",
        created_at=issued_at,
    )


def _silence_paragraphs(deadline: InstructionDeadline) -> list[str]:
    months = "un mois" if deadline.request_type is RequestType.CUA else "deux mois"
    last_day = format_date_fr(deadline.last_day)
    paragraphs = [
        f"Le délai d'instruction de votre demande est de {months} à compter de sa réception "
        f"(article {deadline.article})."
    ]
    if deadline.outcome is SilenceOutcome.CERTIFICAT_TACITE:
        paragraphs.append(
            f"Si aucune décision ne vous a été notifiée au plus tard le {last_day}, vous "
            "serez titulaire d'un certificat d'urbanisme tacite (article R410-12 du code de "
            "l'urbanisme)."
        )
    else:
        paragraphs.append(
            f"Si aucune décision ne vous a été notifiée au plus tard le {last_day}, le silence "
            "gardé vaudra renonciation à l'exercice du droit de préemption (article R213-7 du "
            "code de l'urbanisme) : la vente pourra être conclue aux prix et conditions "
            "déclarés."
        )
        paragraphs.append(
            "Ce délai est suspendu par une demande unique de communication de documents ou par "
            "une demande de visite du bien. Il reprend à la réception des documents, à la "
            "visite ou au refus de visite, et il reste alors au moins un mois (article L213-2 "
            "du code de l'urbanisme)."
        )
    paragraphs.append(
        "Vous pourrez obtenir, sur simple demande, une attestation de la décision implicite "
        "(article L232-3 du code des relations entre le public et l'administration)."
    )
    return paragraphs


def build_certificat_urbanisme(
    facts: DossierFacts,
    service: ServiceConfig,
    *,
    sections: tuple[DecisionSection, ...],
    signatory: Signatory,
    signed_on: date,
    outcome: CertificatOutcome | None = None,
    operation_description: str | None = None,
) -> DocumentContent:
    """Build an express certificat d'urbanisme, CUa or CUb, valid 18 months (R410-17).

    ``sections`` carry the agent's text: applicable rules, easements, taxes, and for a
    negative CUb the reasons. A CUb needs an ``outcome``; a CUa takes none.
    """
    if facts.request_type is RequestType.DIA:
        raise ValueError("A DIA gets a preemption decision, not a certificat d'urbanisme")
    if facts.request_type is RequestType.CUB and outcome is None:
        raise ValueError("A CUb certificate needs an outcome: realisable or non_realisable")
    if facts.request_type is RequestType.CUA and outcome is not None:
        raise ValueError("A CUa certificate takes no outcome")

    builder = _Builder()
    builder.dossier_fields(facts)
    if operation_description:
        builder.heading("Opération projetée")
        builder.paragraph(operation_description)
    if outcome is CertificatOutcome.REALISABLE:
        builder.paragraph(
            "Le terrain peut être utilisé pour la réalisation de l'opération projetée.",
            bold=True,
        )
    elif outcome is CertificatOutcome.NON_REALISABLE:
        builder.paragraph(
            "Le terrain ne peut pas être utilisé pour la réalisation de l'opération projetée, "
            "pour les motifs indiqués ci-dessous.",
            bold=True,
        )
    for section in sections:
        builder.heading(section.title)
        for text in section.paragraphs:
            builder.paragraph(text)
    builder.validity(certificat_expiry(signed_on))
    builder.heading("Voies et délais de recours")
    builder.appeal_routes(service)

    title = (
        "Certificat d'urbanisme d'information"
        if facts.request_type is RequestType.CUA
        else "Certificat d'urbanisme opérationnel"
    )
    return builder.build(
        facts,
        service,
        title=title,
        subtitle=f"Délivré au nom de {service.collectivite_in_text}",
        created_at=_start_of_paris_day(signed_on),
        signature=_signature_line(service, signatory, signed_on),
    )


def build_certificat_tacite(
    facts: DossierFacts, service: ServiceConfig, *, signatory: Signatory, issued_on: date
) -> DocumentContent:
    """Build the attestation of a tacit certificat d'urbanisme (R410-12, L232-3 CRPA).

    The tacit certificate arises at the end of the last day of instruction; its 18 months of
    validity run from the following day.
    """
    if not facts.request_type.is_certificat_urbanisme:
        raise ValueError("Only a CUa or CUb request can give a tacit certificat d'urbanisme")

    deadline = instruction_deadline(facts.request_type, facts.received_at)
    arose_on = deadline.last_day + timedelta(days=1)
    builder = _Builder()
    builder.dossier_fields(facts)
    builder.paragraph(
        "Aucune décision n'a été notifiée dans le délai d'instruction, qui a expiré le "
        f"{format_date_fr(deadline.last_day)} (article {deadline.article}). Un certificat "
        f"d'urbanisme tacite est donc né le {format_date_fr(arose_on)} (article R410-12 du "
        "code de l'urbanisme).",
        bold=True,
    )
    builder.validity(certificat_expiry(arose_on))
    builder.heading("Voies et délais de recours")
    builder.appeal_routes(service)
    return builder.build(
        facts,
        service,
        title="Attestation de certificat d'urbanisme tacite",
        subtitle="Article L232-3 du code des relations entre le public et l'administration",
        created_at=_start_of_paris_day(issued_on),
        signature=_signature_line(service, signatory, issued_on),
    )


def build_decision_preemption(
    facts: DossierFacts,
    service: ServiceConfig,
    *,
    declared_price_cents: int,
    offered_price_cents: int,
    reasons: tuple[str, ...],
    signatory: Signatory,
    signed_on: date,
) -> DocumentContent:
    """Build the decision to exercise the preemption right on a DIA, with its price.

    At the declared price the sale is agreed. At another price the owner has two months to
    accept it, to keep the declared price and let the expropriation judge set it, or to give
    up the sale, and silence means giving up the sale (R213-10). ``reasons`` state the purpose
    of the preemption, which the decision must give.
    """
    _require_dia(facts)
    if not reasons:
        raise ValueError("A preemption decision must state its reasons")
    if offered_price_cents <= 0:
        raise ValueError(f"The offered price must be positive, got {offered_price_cents} cents")

    holder = _capitalise(service.collectivite_in_text)
    builder = _Builder()
    builder.dossier_fields(facts)
    builder.heading("Motifs")
    for text in reasons:
        builder.paragraph(text)
    builder.heading("Décision")
    builder.field("Prix déclaré", format_euros(declared_price_cents))
    if offered_price_cents == declared_price_cents:
        builder.paragraph(
            f"{holder} exerce son droit de préemption et acquiert le bien aux prix et "
            f"conditions figurant dans la déclaration, soit {format_euros(declared_price_cents)}.",
            bold=True,
        )
    else:
        builder.field("Prix proposé", format_euros(offered_price_cents))
        builder.paragraph(
            f"{holder} exerce son droit de préemption et offre d'acquérir le bien au prix de "
            f"{format_euros(offered_price_cents)}.",
            bold=True,
        )
        builder.paragraph(
            "À compter de la réception de cette offre, le propriétaire dispose de deux mois "
            "pour faire savoir qu'il accepte ce prix, qu'il maintient le prix de sa déclaration "
            "et accepte que le prix soit fixé par le juge de l'expropriation, ou qu'il renonce "
            "à la vente. Son silence pendant ces deux mois vaut renonciation à la vente "
            "(article R213-10 du code de l'urbanisme)."
        )
    builder.heading("Voies et délais de recours")
    builder.appeal_routes(service)
    return builder.build(
        facts,
        service,
        title="Décision d'exercice du droit de préemption",
        subtitle=f"Prise au nom de {service.collectivite_in_text}",
        created_at=_start_of_paris_day(signed_on),
        signature=_signature_line(service, signatory, signed_on),
    )


def build_renonciation_preemption(
    facts: DossierFacts, service: ServiceConfig, *, signatory: Signatory, signed_on: date
) -> DocumentContent:
    """Build the express waiver of the preemption right on a DIA."""
    _require_dia(facts)

    builder = _Builder()
    builder.dossier_fields(facts)
    builder.paragraph(
        f"{_capitalise(service.collectivite_in_text)} renonce à exercer son droit de "
        "préemption sur le bien désigné ci-dessus. La vente peut être conclue aux prix et "
        "conditions figurant dans la déclaration d'intention d'aliéner.",
        bold=True,
    )
    builder.paragraph(
        "Toute modification du prix ou des conditions de la vente impose le dépôt d'une "
        "nouvelle déclaration."
    )
    builder.heading("Voies et délais de recours")
    builder.appeal_routes(service)
    return builder.build(
        facts,
        service,
        title="Décision de renonciation à l'exercice du droit de préemption",
        subtitle=f"Prise au nom de {service.collectivite_in_text}",
        created_at=_start_of_paris_day(signed_on),
        signature=_signature_line(service, signatory, signed_on),
    )


def build_attestation_renonciation_tacite(
    facts: DossierFacts,
    service: ServiceConfig,
    *,
    signatory: Signatory,
    issued_on: date,
    last_day: date,
) -> DocumentContent:
    """Build the attestation that silence on a DIA was a waiver of preemption (L232-3 CRPA).

    Silence until the end of ``last_day`` is a waiver (R213-7). ``last_day`` is the deadline
    after any suspension and resumption (``dia_suspension.deadline``), so it is given rather
    than recomputed from the date of receipt.
    """
    _require_dia(facts)

    builder = _Builder()
    builder.dossier_fields(facts)
    builder.paragraph(
        "Aucune décision n'a été notifiée dans le délai d'instruction de la déclaration, qui a "
        f"expiré le {format_date_fr(last_day)}. Le silence gardé vaut renonciation à "
        "l'exercice du droit de préemption (article R213-7 du code de l'urbanisme) : la vente "
        "peut être conclue aux prix et conditions figurant dans la déclaration.",
        bold=True,
    )
    builder.paragraph(
        "Toute modification du prix ou des conditions de la vente impose le dépôt d'une "
        "nouvelle déclaration."
    )
    builder.heading("Voies et délais de recours")
    builder.appeal_routes(service)
    return builder.build(
        facts,
        service,
        title="Attestation de renonciation tacite à l'exercice du droit de préemption",
        subtitle="Article L232-3 du code des relations entre le public et l'administration",
        created_at=_start_of_paris_day(issued_on),
        signature=_signature_line(service, signatory, issued_on),
    )


@dataclass
class _Builder:
    blocks: list[Block] = field(default_factory=list)

    def heading(self, text: str) -> None:
        self.blocks.append(Heading(text))

    def paragraph(self, text: str, *, bold: bool = False) -> None:
        self.blocks.append(Paragraph(text, bold))

    def field(self, label: str, value: str) -> None:
        self.blocks.append(FieldRow(label, value))

    def dossier_fields(self, facts: DossierFacts) -> None:
        self.field("Numéro d'enregistrement", facts.registration_number)
        self.field("Type de demande", facts.request_type.label_fr)
        self.field("Reçue le", format_datetime_fr(facts.received_at))
        applicant_label = "Propriétaire" if facts.request_type is RequestType.DIA else "Demandeur"
        self.field(applicant_label, facts.applicant_name or "-")
        if facts.filed_by:
            self.field("Déposée par", facts.filed_by)
        if facts.commune_name:
            self.field("Commune", facts.commune_name)
        if facts.site_address:
            self.field("Adresse du terrain", facts.site_address)
        if facts.parcels:
            self.field("Parcelles cadastrales", _parcel_lines(facts.parcels))
        if facts.land_area_m2 is not None:
            self.field("Superficie du terrain", format_area(facts.land_area_m2))

    def service_fields(self, service: ServiceConfig) -> None:
        self.field("Service", f"{service.service_name}, {service.collectivite}")
        self.field("Adresse postale", "\n".join(service.postal_address))
        self.field("Courriel", service.email)
        self.field("Téléphone", service.phone)

    def validity(self, expires_on: date) -> None:
        self.heading("Durée de validité")
        self.paragraph(
            "Le présent certificat est valable dix-huit mois, jusqu'au "
            f"{format_date_fr(expires_on)} inclus. Il peut être prorogé par périodes d'une "
            "année si les prescriptions d'urbanisme, les servitudes et le régime des taxes "
            "n'ont pas changé. La demande de prorogation doit être déposée au moins deux mois "
            "avant l'expiration du délai de validité (article R410-17 du code de l'urbanisme)."
        )

    def appeal_routes(self, service: ServiceConfig) -> None:
        tribunal = service.tribunal_administratif
        if service.tribunal_address:
            tribunal = f"{tribunal} ({', '.join(service.tribunal_address)})"
        self.paragraph(
            "Recours gracieux : vous pouvez demander à l'auteur de la décision de la "
            "reconsidérer, dans un délai de deux mois à compter de sa notification. Ce recours "
            "prolonge le délai de recours contentieux, qui recommence à courir à la réponse. "
            "Le silence gardé pendant deux mois sur ce recours vaut rejet."
        )
        contentieux = (
            f"Recours contentieux : vous pouvez saisir le {tribunal} dans un délai de deux mois "
            "à compter de la notification de la décision."
        )
        if service.online_appeal_service:
            contentieux += (
                " Le tribunal peut aussi être saisi par l'application Télérecours citoyens "
                f"({service.online_appeal_service})."
            )
        self.paragraph(contentieux)

    def build(
        self,
        facts: DossierFacts,
        service: ServiceConfig,
        *,
        title: str,
        subtitle: str | None,
        created_at: datetime,
        signature: SignatureLine | None = None,
    ) -> DocumentContent:
        return DocumentContent(
            title=title,
            subtitle=subtitle,
            issuer_lines=(service.collectivite, service.service_name, *service.postal_address),
            reference=facts.registration_number,
            subject=facts.request_type.label_fr,
            author=service.collectivite,
            created_at=created_at,
            blocks=tuple(self.blocks),
            signature=signature,
        )


def _signature_line(service: ServiceConfig, signatory: Signatory, day: date) -> SignatureLine:
    return SignatureLine(
        place_and_date=f"Fait à {service.signing_place}, le {format_date_fr(day)}",
        capacity=signatory.capacity,
        signer_name=signatory.name,
    )


def _address_line(address: PostalAddress | None) -> str:
    if address is None:
        return ""
    parts = [address.street, address.locality, address.postcode, address.city]
    return " ".join(part for part in parts if part)


def _parcel_lines(parcels: tuple[str, ...]) -> str:
    return "\n".join(f"{parcel} ({parse_parcel_id(parcel).label_fr})" for parcel in parcels)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _start_of_paris_day(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=PARIS)


def _require_dia(facts: DossierFacts) -> None:
    if facts.request_type is not RequestType.DIA:
        raise ValueError(f"A preemption decision needs a DIA, got a {facts.request_type}")
