from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import cast

import pypdf
import pytest
from pypdf.generic import DictionaryObject

from demarches.territory import Territory
from demarches.urbanisme.cerfa import parse_request
from demarches.urbanisme.document_content import DocumentContent
from demarches.urbanisme.documents import (
    CertificatOutcome,
    DecisionSection,
    DossierFacts,
    ServiceConfig,
    Signatory,
    build_accuse_enregistrement,
    build_accuse_reception,
    build_certificat_tacite,
    build_certificat_urbanisme,
    build_decision_preemption,
    build_renonciation_preemption,
    dossier_facts,
)
from demarches.urbanisme.pdf_check import check_pdf
from demarches.urbanisme.pdf_layout import render_document
from demarches.urbanisme.request_type import RequestType

from .payloads import cua_payload, cub_payload, dia_payload

# 15:04 UTC on 31 January 2026 is 16:04 in Paris.
RECEIVED_AT = datetime(2026, 1, 31, 15, 4, tzinfo=UTC)
SIGNATORY = Signatory(name="Hélène Marchal", capacity="Vice-présidente déléguée à l'urbanisme")
RULES = DecisionSection(
    title="Dispositions d'urbanisme applicables",
    paragraphs=("Le terrain est situé en zone UB du plan local d'urbanisme intercommunal.",),
)


@pytest.fixture
def cua_facts(territory: Territory) -> DossierFacts:
    request = parse_request(cua_payload())
    return dossier_facts(request, "CUa-055545-2026-000042", RECEIVED_AT, territory)


@pytest.fixture
def cub_facts(territory: Territory) -> DossierFacts:
    request = parse_request(cub_payload())
    return dossier_facts(request, "CUb-055545-2026-000007", RECEIVED_AT, territory)


@pytest.fixture
def dia_facts(territory: Territory) -> DossierFacts:
    request = parse_request(dia_payload())
    return dossier_facts(request, "DIA-055545-2026-000123", RECEIVED_AT, territory)


def _pdf_text(content: DocumentContent) -> str:
    reader = pypdf.PdfReader(io.BytesIO(render_document(content)))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_facts_of_a_dia(dia_facts: DossierFacts) -> None:
    assert dia_facts.applicant_name == "SCI Les Écluses"
    assert dia_facts.commune_name == "Verdun"
    assert dia_facts.parcels == ("55545000AB0123", "555450000A0001")
    assert dia_facts.filed_by == "Maître Hélène Durand, Office notarial de la Citadelle"
    assert dia_facts.site_address == "12 rue Mazel 55100 Verdun"


def test_facts_of_a_draft_have_blanks(territory: Territory) -> None:
    facts = dossier_facts(parse_request({"type": "CUa"}), "CUa-1", RECEIVED_AT, territory)

    assert facts.applicant_name == ""
    assert facts.parcels == ()
    assert facts.commune_name == ""


def test_enregistrement_states_number_time_type_applicant(
    cua_facts: DossierFacts, service: ServiceConfig
) -> None:
    text = build_accuse_enregistrement(cua_facts, service).plain_text()

    assert "Numéro d'enregistrement : CUa-055545-2026-000042" in text
    assert "Reçue le : 31 janvier 2026 à 16 h 04" in text
    assert "Type de demande : Certificat d'urbanisme d'information (CUa)" in text
    assert "Demandeur : Anaïs Lefèvre" in text
    assert "au plus tard le 7 février 2026" in text


def test_reception_of_cua_announces_tacit_certificate(
    cua_facts: DossierFacts, service: ServiceConfig
) -> None:
    text = build_accuse_reception(cua_facts, service, issued_at=RECEIVED_AT).plain_text()

    assert "un mois à compter de sa réception (article R410-9" in text
    assert "au plus tard le 28 février 2026" in text
    assert "certificat d'urbanisme tacite (article R410-12" in text
    assert "attestation de la décision implicite" in text


def test_reception_of_dia_announces_waiver_and_suspension(
    dia_facts: DossierFacts, service: ServiceConfig
) -> None:
    text = build_accuse_reception(dia_facts, service, issued_at=RECEIVED_AT).plain_text()

    assert "deux mois à compter de sa réception (article R213-7" in text
    assert "au plus tard le 31 mars 2026" in text
    assert "renonciation à l'exercice du droit de préemption" in text
    assert "demande de visite du bien" in text
    assert "Déposée par : Maître Hélène Durand" in text


def test_reception_gives_service_contact_and_appeal_routes(
    dia_facts: DossierFacts, service: ServiceConfig
) -> None:
    text = build_accuse_reception(dia_facts, service, issued_at=RECEIVED_AT).plain_text()

    assert "Service : Service urbanisme, Communauté d'agglomération du Grand Verdun" in text
    assert "Adresse postale : 11 rue du Président Poincaré\n55100 Verdun" in text
    assert "Courriel : urbanisme@grandverdun.example" in text
    assert "Téléphone : 03 29 00 00 00" in text
    assert "Recours gracieux" in text
    assert "saisir le Tribunal administratif de Nancy (5 place de la Carrière" in text
    assert "dans un délai de deux mois" in text
    assert "Télérecours citoyens (www.telerecours.fr)" in text


def test_cua_certificate_shows_rules_validity_and_signer(
    cua_facts: DossierFacts, service: ServiceConfig
) -> None:
    content = build_certificat_urbanisme(
        cua_facts, service, sections=(RULES,), signatory=SIGNATORY, signed_on=date(2026, 2, 20)
    )
    text = content.plain_text()

    assert content.title == "Certificat d'urbanisme d'information"
    assert "zone UB" in text
    assert "valable dix-huit mois, jusqu'au 20 août 2027 inclus" in text
    assert "article R410-17" in text
    assert "Fait à Verdun, le 20 février 2026" in text
    assert "Vice-présidente déléguée à l'urbanisme\nHélène Marchal" in text


def test_positive_cub_says_the_operation_is_possible(
    cub_facts: DossierFacts, service: ServiceConfig
) -> None:
    content = build_certificat_urbanisme(
        cub_facts,
        service,
        sections=(RULES,),
        signatory=SIGNATORY,
        signed_on=date(2026, 3, 10),
        outcome=CertificatOutcome.REALISABLE,
        operation_description="Construction d'une maison individuelle.",
    )
    text = content.plain_text()

    assert content.title == "Certificat d'urbanisme opérationnel"
    assert "Construction d'une maison individuelle." in text
    assert "Le terrain peut être utilisé" in text


def test_negative_cub_gives_its_reasons(cub_facts: DossierFacts, service: ServiceConfig) -> None:
    reasons = DecisionSection("Motifs", ("Le terrain n'est pas desservi par les réseaux.",))

    text = build_certificat_urbanisme(
        cub_facts,
        service,
        sections=(reasons,),
        signatory=SIGNATORY,
        signed_on=date(2026, 3, 10),
        outcome=CertificatOutcome.NON_REALISABLE,
    ).plain_text()

    assert "Le terrain ne peut pas être utilisé" in text
    assert "pas desservi par les réseaux" in text


def test_cub_without_outcome_is_refused(cub_facts: DossierFacts, service: ServiceConfig) -> None:
    with pytest.raises(ValueError, match="needs an outcome"):
        build_certificat_urbanisme(
            cub_facts, service, sections=(), signatory=SIGNATORY, signed_on=date(2026, 3, 10)
        )


def test_cua_with_outcome_is_refused(cua_facts: DossierFacts, service: ServiceConfig) -> None:
    with pytest.raises(ValueError, match="takes no outcome"):
        build_certificat_urbanisme(
            cua_facts,
            service,
            sections=(),
            signatory=SIGNATORY,
            signed_on=date(2026, 3, 10),
            outcome=CertificatOutcome.REALISABLE,
        )


def test_tacit_certificate_dates(cua_facts: DossierFacts, service: ServiceConfig) -> None:
    text = build_certificat_tacite(
        cua_facts, service, signatory=SIGNATORY, issued_on=date(2026, 3, 5)
    ).plain_text()

    assert "qui a expiré le 28 février 2026" in text
    assert "tacite est donc né le 1er mars 2026" in text
    assert "jusqu'au 1er septembre 2027 inclus" in text


def test_tacit_certificate_is_not_for_a_dia(
    dia_facts: DossierFacts, service: ServiceConfig
) -> None:
    with pytest.raises(ValueError, match="CUa or CUb"):
        build_certificat_tacite(dia_facts, service, signatory=SIGNATORY, issued_on=date(2026, 4, 1))


def test_preemption_at_declared_price(dia_facts: DossierFacts, service: ServiceConfig) -> None:
    text = build_decision_preemption(
        dia_facts,
        service,
        declared_price_cents=18_500_000,
        offered_price_cents=18_500_000,
        reasons=("Constitution d'une réserve foncière pour l'extension du groupe scolaire.",),
        signatory=SIGNATORY,
        signed_on=date(2026, 3, 20),
    ).plain_text()

    assert "La Communauté d'agglomération du Grand Verdun exerce son droit de préemption" in text
    assert (
        "aux prix et conditions figurant dans la déclaration, soit 185\u00a0000,00\u00a0€" in text
    )
    assert "Prix proposé" not in text
    assert "R213-10" not in text


def test_preemption_at_another_price_gives_owner_options(
    dia_facts: DossierFacts, service: ServiceConfig
) -> None:
    text = build_decision_preemption(
        dia_facts,
        service,
        declared_price_cents=18_500_000,
        offered_price_cents=15_000_000,
        reasons=("Réserve foncière.",),
        signatory=SIGNATORY,
        signed_on=date(2026, 3, 20),
    ).plain_text()

    assert "Prix déclaré : 185\u00a0000,00\u00a0€" in text
    assert "Prix proposé : 150\u00a0000,00\u00a0€" in text
    assert "juge de l'expropriation" in text
    assert "silence pendant ces deux mois vaut renonciation à la vente" in text


def test_preemption_needs_reasons(dia_facts: DossierFacts, service: ServiceConfig) -> None:
    with pytest.raises(ValueError, match="reasons"):
        build_decision_preemption(
            dia_facts,
            service,
            declared_price_cents=1,
            offered_price_cents=1,
            reasons=(),
            signatory=SIGNATORY,
            signed_on=date(2026, 3, 20),
        )


def test_preemption_answers_only_a_dia(cua_facts: DossierFacts, service: ServiceConfig) -> None:
    with pytest.raises(ValueError, match="needs a DIA"):
        build_renonciation_preemption(
            cua_facts, service, signatory=SIGNATORY, signed_on=date(2026, 3, 20)
        )


def test_waiver_lets_the_sale_proceed(dia_facts: DossierFacts, service: ServiceConfig) -> None:
    content = build_renonciation_preemption(
        dia_facts, service, signatory=SIGNATORY, signed_on=date(2026, 3, 20)
    )
    text = content.plain_text()

    assert content.title == "Décision de renonciation à l'exercice du droit de préemption"
    assert "renonce à exercer son droit de préemption" in text
    assert "Hélène Marchal" in text


def test_service_details_come_from_configuration(territory: Territory) -> None:
    other = ServiceConfig(
        collectivite="Commune d'Exemple-sur-Loire",
        collectivite_in_text="la commune d'Exemple-sur-Loire",
        service_name="Pôle aménagement",
        postal_address=("Place de la Mairie", "45000 Exemple-sur-Loire"),
        email="urbanisme@exemple.example",
        phone="02 00 00 00 00",
        signing_place="Exemple-sur-Loire",
        tribunal_administratif="Tribunal administratif d'Orléans",
    )
    facts = DossierFacts(
        registration_number="DIA-045999-2026-000001",
        request_type=RequestType.DIA,
        received_at=RECEIVED_AT,
        applicant_name="Jean Martin",
        commune_name="Exemple-sur-Loire",
        site_address="",
        parcels=("45999000AB0001",),
    )

    content = build_renonciation_preemption(
        facts, other, signatory=SIGNATORY, signed_on=date(2026, 3, 20)
    )
    text = content.plain_text() + "\n".join(content.issuer_lines)

    assert "Verdun" not in text
    assert "Nancy" not in text
    assert "Tribunal administratif d'Orléans" in text
    assert "Fait à Exemple-sur-Loire" in text


def test_pdf_contains_accented_text(dia_facts: DossierFacts, service: ServiceConfig) -> None:
    content = build_accuse_reception(dia_facts, service, issued_at=RECEIVED_AT)

    text = _pdf_text(content)

    assert "Accusé de réception" in text
    assert "Déclaration d'intention d'aliéner" in text
    assert "SCI Les Écluses" in text
    assert "Téléphone" in text


def test_pdf_embeds_dejavu_sans(cua_facts: DossierFacts, service: ServiceConfig) -> None:
    data = render_document(build_accuse_enregistrement(cua_facts, service))
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    resources = cast(DictionaryObject, page["/Resources"])
    fonts = cast(DictionaryObject, resources["/Font"])

    base_fonts = {
        str(cast(DictionaryObject, font.get_object())["/BaseFont"]) for font in fonts.values()
    }

    assert all("DejaVuSans" in name for name in base_fonts)


def test_pdf_metadata_and_creation_date(dia_facts: DossierFacts, service: ServiceConfig) -> None:
    data = render_document(build_accuse_enregistrement(dia_facts, service))
    metadata = pypdf.PdfReader(io.BytesIO(data)).metadata

    assert metadata is not None
    assert metadata.title == "Accusé d'enregistrement électronique - DIA-055545-2026-000123"
    assert metadata.author == "Communauté d'agglomération du Grand Verdun"
    assert metadata.creation_date_raw == "D:20260131150400Z"


def test_rendering_twice_gives_the_same_bytes(
    dia_facts: DossierFacts, service: ServiceConfig
) -> None:
    content = build_renonciation_preemption(
        dia_facts, service, signatory=SIGNATORY, signed_on=date(2026, 3, 20)
    )

    assert render_document(content) == render_document(content)


@pytest.mark.parametrize("builder", ["enregistrement", "reception", "certificat", "preemption"])
def test_generated_pdfs_pass_the_upload_check(
    builder: str, cua_facts: DossierFacts, dia_facts: DossierFacts, service: ServiceConfig
) -> None:
    contents = {
        "enregistrement": build_accuse_enregistrement(cua_facts, service),
        "reception": build_accuse_reception(dia_facts, service, issued_at=RECEIVED_AT),
        "certificat": build_certificat_urbanisme(
            cua_facts, service, sections=(RULES,), signatory=SIGNATORY, signed_on=date(2026, 2, 2)
        ),
        "preemption": build_decision_preemption(
            dia_facts,
            service,
            declared_price_cents=18_500_000,
            offered_price_cents=15_000_000,
            reasons=("Réserve foncière.",),
            signatory=SIGNATORY,
            signed_on=date(2026, 3, 20),
        ),
    }

    result = check_pdf(render_document(contents[builder]), max_bytes=5_000_000, max_pages=10)

    assert result.accepted, result.message
