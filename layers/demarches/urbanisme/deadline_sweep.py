"""The scheduled job that applies the law when time runs out, safe to run any number of times.

For every open dossier it finds:
- past its last day of instruction without a decision: the silence decision (tacit
  certificate, R410-12, or waiver of preemption, R213-7), its signed attestation, the
  notification and the closure, and the end of the waiting workflow;
- a DIA whose owner left a visit request unanswered for 8 days: the refusal, which resumes
  the deadline (D213-13-1 to D213-13-4);
- submitted some minutes ago but without a workflow: the workflow is started.
Each change is a conditional write, so a second run finds nothing left to do.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from aws_lambda_powertools import Logger

from demarches.errors import ConflictError, UnavailableError
from demarches.urbanisme.api import ComplementResumption
from demarches.urbanisme.context import UrbanismeContext
from demarches.urbanisme.deadlines import paris_date
from demarches.urbanisme.decision import SILENCE_OUTCOMES, build_silence_document
from demarches.urbanisme.dia_suspension import SuspensionCause, visit_tacit_refusal_on
from demarches.urbanisme.dossier import AwaitedStep, DocumentKind, Dossier
from demarches.urbanisme.errors import DossierClosedError, SignatoryNotRegisteredError
from demarches.urbanisme.issuing import DocumentIssuer, signatory_of
from demarches.urbanisme.ports import NotificationKind
from demarches.urbanisme.workflow import Action, DossierStatus, Role, apply_action, find_transition

logger = Logger(service="demarches")

WORKFLOW_START_GRACE = timedelta(minutes=5)
"""A submitted dossier without a workflow after this long gets one started."""

CLOSED_ERROR = DossierClosedError.__name__
"""Error the waiting workflow step fails with; the state machine ends quietly on it."""


@dataclass
class SweepReport:
    expired: int = 0
    closed: int = 0
    visits_refused: int = 0
    workflows_started: int = 0


class DeadlineSweep:
    def __init__(self, context: UrbanismeContext) -> None:
        self._context = context
        self._issuer = DocumentIssuer(context)

    def run(self) -> SweepReport:
        now = self._context.clock.now()
        report = SweepReport()
        for dossier in self._context.repository.list_queue():
            try:
                self._sweep(dossier, now, report)
            except (ConflictError, UnavailableError):
                # Another request changed the dossier, or a service failed: the next run
                # takes it up again from what is stored.
                logger.exception("deadline sweep skipped", extra={"dossier_id": dossier.dossier_id})
        return report

    def _sweep(self, dossier: Dossier, now: datetime, report: SweepReport) -> None:
        due = dossier.silence_decision_at
        if due is not None and due <= now and self._may_expire(dossier):
            dossier = self._expire(dossier)
            report.expired += 1
        if dossier.status is DossierStatus.TACIT:
            self._finish_silence(dossier)
            report.closed += 1
        elif self._visit_refused_by_silence(dossier, now):
            report.visits_refused += 1
        elif self._workflow_missing(dossier, now):
            self._context.workflow.start(dossier.dossier_id)
            report.workflows_started += 1

    @staticmethod
    def _workflow_missing(dossier: Dossier, now: datetime) -> bool:
        """Tell whether a submitted dossier has waited long enough for a workflow to start it.

        Starting one that exists is a no-op, so a false alarm costs one request.
        """
        received = dossier.received_at
        return (
            dossier.status is DossierStatus.SUBMITTED
            and received is not None
            and now - received >= WORKFLOW_START_GRACE
        )

    @staticmethod
    def _may_expire(dossier: Dossier) -> bool:
        transition = find_transition(dossier.status, Action.EXPIRE_DEADLINE, dossier.request_type)
        return transition is not None

    def _expire(self, dossier: Dossier) -> Dossier:
        """Apply the silence decision and end whatever step the workflow waits on."""
        repository = self._context.repository
        step = dossier.awaiting
        token = repository.claim_awaiting(dossier.dossier_id, step) if step else None
        entry = apply_action(
            dossier_id=dossier.dossier_id,
            status=dossier.status,
            action=Action.EXPIRE_DEADLINE,
            request_type=dossier.request_type,
            actor_id="system",
            role=Role.SYSTEM,
            at=self._context.clock.now(),
            note=f"Dernier jour d'instruction : {dossier.last_day}",
        )
        changed = replace(
            dossier, status=entry.to_status, outcome=SILENCE_OUTCOMES[dossier.request_type]
        )
        try:
            expired = repository.save(changed, entry, expected_version=dossier.version)
        except ConflictError:
            if token is not None and step is not None:
                repository.restore_awaiting(dossier.dossier_id, step, token)
            raise
        if token is not None:
            self._context.workflow.cancel(token, error=CLOSED_ERROR, cause="silence decision")
        logger.info("deadline expired", extra={"dossier_id": dossier.dossier_id})
        return expired

    def _finish_silence(self, dossier: Dossier) -> None:
        """Issue the signed attestation of the silence decision, send it, close the dossier."""
        attestation = dossier.document(DocumentKind.ATTESTATION_SILENCE)
        if attestation is None:
            signer = self._context.directory.silence_signatory()
            if signer is None:
                raise SignatoryNotRegisteredError(
                    "No signatory is registered for the attestations of tacit decisions."
                )
            last_day = dossier.last_day
            if last_day is None:
                raise ValueError(f"Dossier {dossier.dossier_id} has no deadline to expire")
            content = build_silence_document(
                self._issuer.facts(dossier),
                self._context.service,
                signatory=signatory_of(signer),
                issued_on=paris_date(self._context.clock.now()),
                last_day=last_day,
            )
            attestation = self._issuer.issue_signed(
                dossier, DocumentKind.ATTESTATION_SILENCE, content, signer
            )
        if not attestation.notified:
            self._issuer.notify(dossier, NotificationKind.TACIT_DECISION, (attestation,))
        entry = apply_action(
            dossier_id=dossier.dossier_id,
            status=dossier.status,
            action=Action.CLOSE,
            request_type=dossier.request_type,
            actor_id="system",
            role=Role.SYSTEM,
            at=self._context.clock.now(),
        )
        closed = replace(dossier, status=entry.to_status)
        self._context.repository.save(closed, entry, expected_version=dossier.version)

    def _visit_refused_by_silence(self, dossier: Dossier, now: datetime) -> bool:
        """Record the owner's silence on a visit request as a refusal, from its 9th day."""
        complement = dossier.complement
        if (
            dossier.status is not DossierStatus.AWAITING_VISIT
            or dossier.awaiting is not AwaitedStep.VISIT
            or complement is None
            or complement.cause is not SuspensionCause.VISIT
        ):
            return False
        refused_on = visit_tacit_refusal_on(paris_date(complement.requested_at))
        if paris_date(now) < refused_on:
            return False
        repository = self._context.repository
        token = repository.claim_awaiting(dossier.dossier_id, AwaitedStep.VISIT)
        output = ComplementResumption(
            outcome="visit_refused", on=refused_on, actor_id="system", role="system"
        )
        try:
            self._context.workflow.resume(token, output.model_dump(mode="json"))
        except UnavailableError:
            repository.restore_awaiting(dossier.dossier_id, AwaitedStep.VISIT, token)
            raise
        return True
