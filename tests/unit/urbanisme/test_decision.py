from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from demarches.urbanisme.cerfa import parse_request
from demarches.urbanisme.decision import (
    DecisionDraft,
    DecisionKind,
    DossierOutcome,
    build_decision,
    build_silence_document,
    check_decision,
)
from demarches.urbanisme.documents import (
    CertificatOutcome,
    DecisionSection,
    Signatory,
    dossier_facts,
)
from demarches.urbanisme.errors import DecisionInvalidError
from demarches.urbanisme.request_type import RequestType

from .payloads import cub_payload, dia_payload

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
SIGNATORY = Signatory(name="Hélène Marchal", capacity="Vice-présidente")
RULES = (DecisionSection("Règles", ("Zone UB du plan local d'urbanisme.",)),)


def draft(kind: DecisionKind, **fields) -> DecisionDraft:
    return DecisionDraft(kind=kind, drafted_by="agent", drafted_at=NOW, **fields)


@pytest.mark.parametrize(
    ("request_type", "decision", "field"),
    [
        (RequestType.CUA, draft(DecisionKind.RENONCIATION), "decision.kind"),
        (RequestType.DIA, draft(DecisionKind.CERTIFICAT), "decision.kind"),
        (RequestType.CUB, draft(DecisionKind.CERTIFICAT), "decision.outcome"),
        (
            RequestType.CUA,
            draft(DecisionKind.CERTIFICAT, certificat_outcome=CertificatOutcome.REALISABLE),
            "decision.outcome",
        ),
        (
            RequestType.CUB,
            draft(DecisionKind.CERTIFICAT, certificat_outcome=CertificatOutcome.NON_REALISABLE),
            "decision.sections",
        ),
        (
            RequestType.DIA,
            draft(DecisionKind.PREEMPTION, offered_price_cents=1),
            "decision.reasons",
        ),
        (
            RequestType.DIA,
            draft(DecisionKind.PREEMPTION, reasons=("Réserve foncière",)),
            "decision.offered_price",
        ),
    ],
)
def test_decision_that_does_not_fit_is_rejected(request_type, decision, field):
    with pytest.raises(DecisionInvalidError) as error:
        check_decision(request_type, decision)

    assert error.value.field == field


def test_preemption_at_another_price_states_both_prices(territory, service):
    request = parse_request(dia_payload())
    facts = dossier_facts(request, "DIA-055545-2026-000001", NOW, territory)
    decision = draft(
        DecisionKind.PREEMPTION, offered_price_cents=15_000_000, reasons=("Réserve foncière",)
    )

    content = build_decision(
        decision, request, facts, service, signatory=SIGNATORY, signed_on=date(2026, 4, 1)
    )

    text = content.plain_text()
    assert "185\u00a0000,00\u00a0€" in text
    assert "150\u00a0000,00\u00a0€" in text
    assert "Hélène Marchal" in text
    assert decision.outcome is DossierOutcome.PREEMPTION


def test_cub_certificate_prints_the_operation(territory, service):
    request = parse_request(cub_payload())
    facts = dossier_facts(request, "CUb-055545-2026-000001", NOW, territory)
    decision = draft(
        DecisionKind.CERTIFICAT, certificat_outcome=CertificatOutcome.REALISABLE, sections=RULES
    )

    content = build_decision(
        decision, request, facts, service, signatory=SIGNATORY, signed_on=date(2026, 4, 1)
    )

    text = content.plain_text()
    assert "Construction d'une maison individuelle" in text
    assert "Zone UB" in text


def test_dia_silence_attestation_uses_moved_deadline(territory, service):
    request = parse_request(dia_payload())
    facts = dossier_facts(request, "DIA-055545-2026-000001", NOW, territory)

    content = build_silence_document(
        facts, service, signatory=SIGNATORY, issued_on=date(2026, 5, 20), last_day=date(2026, 5, 19)
    )

    text = content.plain_text()
    assert content.title.startswith("Attestation de renonciation tacite")
    assert "19 mai 2026" in text
    assert "R213-7" in text


def test_silence_on_certificate_gives_tacit_certificate(territory, service):
    request = parse_request(cub_payload())
    facts = dossier_facts(request, "CUb-055545-2026-000001", NOW, territory)

    content = build_silence_document(
        facts, service, signatory=SIGNATORY, issued_on=date(2026, 5, 4), last_day=date(2026, 5, 2)
    )

    assert content.title == "Attestation de certificat d'urbanisme tacite"
