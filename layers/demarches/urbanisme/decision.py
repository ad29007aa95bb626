"""The decision an agent drafts for a dossier, its checks, and the document of each outcome.

A certificat d'urbanisme is delivered expressly or arises from silence (R410-12). On a DIA the
holder of the preemption right waives it expressly or by silence (R213-7), or exercises it
at the declared price or at another price.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from demarches.urbanisme.cerfa import (
    CertificatUrbanismeB,
    DeclarationIntentionAliener,
    UrbanismeRequest,
)
from demarches.urbanisme.document_content import DocumentContent
from demarches.urbanisme.documents import (
    CertificatOutcome,
    DecisionSection,
    DossierFacts,
    ServiceConfig,
    Signatory,
    build_attestation_renonciation_tacite,
    build_certificat_tacite,
    build_certificat_urbanisme,
    build_decision_preemption,
    build_renonciation_preemption,
)
from demarches.urbanisme.errors import DecisionInvalidError
from demarches.urbanisme.request_type import RequestType


class DecisionKind(StrEnum):
    CERTIFICAT = "certificat"
    """Express certificat d'urbanisme, CUa or CUb."""
    RENONCIATION = "renonciation"
    """Express waiver of the preemption right on a DIA."""
    PREEMPTION = "preemption"
    """Exercise of the preemption right on a DIA."""


class DossierOutcome(StrEnum):
    """Outcome of a dossier, as the applicant reads it."""

    CERTIFICAT = "certificat"
    CERTIFICAT_TACITE = "certificat_tacite"
    RENONCIATION = "renonciation"
    RENONCIATION_TACITE = "renonciation_tacite"
    PREEMPTION = "preemption"


_KINDS_BY_TYPE: dict[RequestType, frozenset[DecisionKind]] = {
    RequestType.CUA: frozenset({DecisionKind.CERTIFICAT}),
    RequestType.CUB: frozenset({DecisionKind.CERTIFICAT}),
    RequestType.DIA: frozenset({DecisionKind.RENONCIATION, DecisionKind.PREEMPTION}),
}

_OUTCOMES = {
    DecisionKind.CERTIFICAT: DossierOutcome.CERTIFICAT,
    DecisionKind.RENONCIATION: DossierOutcome.RENONCIATION,
    DecisionKind.PREEMPTION: DossierOutcome.PREEMPTION,
}


@dataclass(frozen=True)
class DecisionDraft:
    """The agent's choice, from which the decision is rendered when it is signed."""

    kind: DecisionKind
    drafted_by: str
    drafted_at: datetime
    sections: tuple[DecisionSection, ...] = ()
    """Applicable rules, easements and taxes of a certificate, or the reasons of a refusal."""
    certificat_outcome: CertificatOutcome | None = None
    """Whether a CUb's operation can be carried out; None for a CUa or a DIA."""
    offered_price_cents: int | None = None
    """Price offered when exercising preemption; the declared price accepts the sale."""
    reasons: tuple[str, ...] = ()
    """Purpose of a preemption, which the decision must state."""

    @property
    def outcome(self) -> DossierOutcome:
        return _OUTCOMES[self.kind]


def check_decision(request_type: RequestType, draft: DecisionDraft) -> None:
    """Raise DecisionInvalidError unless the draft fits the request type.

    A CUb states whether its operation can be carried out, and a negative CUb gives its
    reasons in at least one section. A CUa states no outcome. A preemption states its purpose
    and a positive price.
    """
    allowed = _KINDS_BY_TYPE[request_type]
    if draft.kind not in allowed:
        expected = ", ".join(sorted(kind.value for kind in allowed))
        _invalid(f"A {request_type} request gets a decision of kind {expected}.", "kind")
    if request_type is RequestType.CUB and draft.certificat_outcome is None:
        _invalid("A CUb certificate states its outcome: realisable or non_realisable.", "outcome")
    if request_type is RequestType.CUA and draft.certificat_outcome is not None:
        _invalid("A CUa certificate takes no outcome; remove it.", "outcome")
    if draft.certificat_outcome is CertificatOutcome.NON_REALISABLE and not draft.sections:
        _invalid("A negative CUb states its reasons: add at least one section.", "sections")
    if draft.kind is DecisionKind.PREEMPTION:
        if not draft.reasons:
            _invalid(
                "A preemption decision states its purpose: add at least one reason.", "reasons"
            )
        if draft.offered_price_cents is None or draft.offered_price_cents <= 0:
            _invalid("A preemption decision states a positive price in cents.", "offered_price")


def _invalid(message: str, field: str) -> None:
    raise DecisionInvalidError(message, field=f"decision.{field}")


def build_decision(
    draft: DecisionDraft,
    request: UrbanismeRequest,
    facts: DossierFacts,
    service: ServiceConfig,
    *,
    signatory: Signatory,
    signed_on: date,
) -> DocumentContent:
    """Build the decision document of a draft, with the name and capacity of its signer."""
    if draft.kind is DecisionKind.CERTIFICAT:
        description = None
        if isinstance(request, CertificatUrbanismeB) and request.operation is not None:
            description = request.operation.description
        return build_certificat_urbanisme(
            facts,
            service,
            sections=draft.sections,
            signatory=signatory,
            signed_on=signed_on,
            outcome=draft.certificat_outcome,
            operation_description=description,
        )
    if draft.kind is DecisionKind.RENONCIATION:
        return build_renonciation_preemption(
            facts, service, signatory=signatory, signed_on=signed_on
        )
    return build_decision_preemption(
        facts,
        service,
        declared_price_cents=_declared_price(request),
        offered_price_cents=draft.offered_price_cents or 0,
        reasons=draft.reasons,
        signatory=signatory,
        signed_on=signed_on,
    )


def _declared_price(request: UrbanismeRequest) -> int:
    if not isinstance(request, DeclarationIntentionAliener) or request.sale is None:
        raise ValueError("A preemption decision needs a DIA with its declared price")
    return request.sale.price_cents or 0


SILENCE_OUTCOMES: dict[RequestType, DossierOutcome] = {
    RequestType.CUA: DossierOutcome.CERTIFICAT_TACITE,
    RequestType.CUB: DossierOutcome.CERTIFICAT_TACITE,
    RequestType.DIA: DossierOutcome.RENONCIATION_TACITE,
}


def build_silence_document(
    facts: DossierFacts,
    service: ServiceConfig,
    *,
    signatory: Signatory,
    issued_on: date,
    last_day: date,
) -> DocumentContent:
    """Build the attestation of the decision that silence produced (L232-3 CRPA).

    A certificat d'urbanisme gives a tacit certificate (R410-12); a DIA gives a waiver of
    preemption (R213-7), whose ``last_day`` may have moved with a suspension.
    """
    if facts.request_type.is_certificat_urbanisme:
        return build_certificat_tacite(facts, service, signatory=signatory, issued_on=issued_on)
    return build_attestation_renonciation_tacite(
        facts, service, signatory=signatory, issued_on=issued_on, last_day=last_day
    )
