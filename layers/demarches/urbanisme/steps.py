"""Steps of the instruction workflow, each run by one Lambda task of the state machine.

Every step may run again after a failure (the state machine retries), so each one first
looks at what is already stored and does only what is left. A step on a dossier that already
has its outcome raises DossierClosedError, which ends the execution quietly.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar

from aws_lambda_powertools import Logger

from demarches.urbanisme.accounts import SignatoryAccount
from demarches.urbanisme.api import (
    ComplementResumption,
    DraftDecisionChoice,
    InstructionResumption,
    RequestDocumentsChoice,
    SignatureResumption,
)
from demarches.urbanisme.context import UrbanismeContext
from demarches.urbanisme.deadlines import paris_date
from demarches.urbanisme.decision import build_decision, check_decision
from demarches.urbanisme.dia_suspension import (
    SuspensionCause,
    resume,
    suspend,
    visit_answer_last_day,
)
from demarches.urbanisme.documents import Signatory, build_accuse_reception
from demarches.urbanisme.dossier import (
    AwaitedStep,
    ComplementRequest,
    DocumentKind,
    Dossier,
    WorkflowFailure,
)
from demarches.urbanisme.errors import DossierClosedError, SignatoryNotRegisteredError
from demarches.urbanisme.formatting import format_date_fr
from demarches.urbanisme.instruction import COMPLEMENT_ACTIONS, RESUME_CAUSES, agent_actions
from demarches.urbanisme.issuing import DocumentIssuer, signatory_of
from demarches.urbanisme.pieces import missing_pieces, required_pieces
from demarches.urbanisme.ports import NotificationKind
from demarches.urbanisme.workflow import Action, DossierStatus, Role, apply_action

logger = Logger(service="demarches")

_ENDED = frozenset({DossierStatus.TACIT, DossierStatus.CLOSED})
_SIGNED = frozenset({DossierStatus.SIGNED, DossierStatus.NOTIFIED, DossierStatus.CLOSED})
# The draft leaves the signer's name and capacity blank, because they are printed at signing.
_DRAFT_SIGNER = Signatory(name="(nom du signataire)", capacity="(qualité du signataire)")
_T = TypeVar("_T")


def _required(value: _T | None, what: str) -> _T:
    """Return ``value``; a missing one means stored data contradicts the workflow's state."""
    if value is None:
        raise ValueError(f"The dossier has no {what} at this step of the workflow")
    return value


class WorkflowSteps:
    def __init__(self, context: UrbanismeContext) -> None:
        self._context = context
        self._issuer = DocumentIssuer(context)

    def issue_accuse_reception(self, dossier_id: str) -> dict[str, Any]:
        """Send the accusé d'enregistrement if submission could not, then the accusé de
        réception with the content R112-5 CRPA requires."""
        dossier = self._open(dossier_id)
        enregistrement = dossier.document(DocumentKind.ACCUSE_ENREGISTREMENT)
        if enregistrement is not None and not enregistrement.notified:
            self._issuer.notify(dossier, NotificationKind.ACCUSE_ENREGISTREMENT, (enregistrement,))

        reception = dossier.document(DocumentKind.ACCUSE_RECEPTION)
        if reception is None:
            content = build_accuse_reception(
                self._issuer.facts(dossier), self._context.service, issued_at=self._now()
            )
            reception = self._issuer.issue(dossier, DocumentKind.ACCUSE_RECEPTION, content)
        if not reception.notified:
            self._issuer.notify(dossier, NotificationKind.ACCUSE_RECEPTION, (reception,))
        return {"document": reception.key}

    def check_completeness(self, dossier_id: str) -> dict[str, Any]:
        """List the required pieces without an accepted upload, and start the instruction."""
        dossier = self._open(dossier_id)
        required = required_pieces(dossier.request, dossier.request_type)
        missing = missing_pieces(required, dossier.pieces)
        if dossier.status is DossierStatus.SUBMITTED:
            note = f"Pièces manquantes : {', '.join(missing)}" if missing else "Dossier complet"
            self._apply(
                dossier,
                Action.START_INSTRUCTION,
                "system",
                Role.SYSTEM,
                note=note,
                missing_pieces=tuple(missing),
            )
        return {"complete": not missing, "missing": missing}

    def await_step(self, dossier_id: str, step: AwaitedStep, task_token: str) -> dict[str, Any]:
        """Store the task token the workflow now waits on."""
        self._context.repository.set_awaiting(dossier_id, step, task_token)
        logger.info("workflow waiting", extra={"dossier_id": dossier_id, "step": step.value})
        return {}

    def request_complement(
        self, dossier_id: str, instruction: InstructionResumption
    ) -> dict[str, Any]:
        """Record the single request for documents or for a visit, and send it.

        On a DIA the deadline is suspended from the day the request is sent (L213-2).
        """
        dossier = self._open(dossier_id)
        if dossier.complement is None:
            dossier = self._record_complement(dossier, instruction)
        complement = _required(dossier.complement, "a recorded request for documents or a visit")
        parameters = {"message": complement.message}
        if complement.cause is SuspensionCause.VISIT:
            kind = NotificationKind.VISIT_REQUESTED
            answer_by = visit_answer_last_day(paris_date(complement.requested_at))
            parameters["answer_by"] = format_date_fr(answer_by)
        else:
            kind = NotificationKind.DOCUMENTS_REQUESTED
            parameters["documents"] = "\n".join(f"- {label}" for label in complement.documents)
        self._issuer.notify(dossier, kind, parameters=parameters)
        return {}

    def _record_complement(self, dossier: Dossier, instruction: InstructionResumption) -> Dossier:
        choice = instruction.choice
        if isinstance(choice, DraftDecisionChoice):
            raise ValueError("Expected a request for documents or for a visit")
        documents = choice.documents if isinstance(choice, RequestDocumentsChoice) else []
        cause = SuspensionCause.DOCUMENTS if documents else SuspensionCause.VISIT
        now = self._now()
        complement = ComplementRequest(
            cause=cause,
            requested_at=now,
            requested_by=instruction.actor_id,
            message=choice.message,
            documents=tuple(documents),
        )
        dia_deadline = dossier.dia_deadline
        if dia_deadline is not None:
            # NOTE: the suspension starts on the day the e-mail is sent, taken as the day the
            # owner receives the request; a proof of receipt would move it later.
            dia_deadline = suspend(dia_deadline, cause, paris_date(now))
        actions = agent_actions(dossier.status, choice.action)
        for action in actions[:-1]:
            dossier = self._apply(dossier, action, instruction.actor_id, Role.AGENT)
        return self._apply(
            dossier,
            actions[-1],
            instruction.actor_id,
            Role.AGENT,
            note=complement.message,
            complement=complement,
            dia_deadline=dia_deadline,
        )

    def resume_instruction(
        self, dossier_id: str, resumption: ComplementResumption | SignatureResumption
    ) -> dict[str, Any]:
        """Apply what ended a wait: the documents or the visit, or a return for revision.

        On a DIA the deadline resumes on that day, with at least one month left (L213-2).
        """
        dossier = self._open(dossier_id)
        if isinstance(resumption, SignatureResumption):
            if dossier.status is DossierStatus.AWAITING_SIGNATURE:
                self._apply(
                    dossier,
                    Action.RETURN_FOR_REVISION,
                    resumption.actor_id,
                    Role.SIGNATORY,
                    note=resumption.note,
                )
            return {}
        complement = dossier.complement
        if complement is None or complement.resumed_on is not None:
            return {}
        cause = RESUME_CAUSES[resumption.outcome]
        dia_deadline = dossier.dia_deadline
        if dia_deadline is not None:
            dia_deadline = resume(dia_deadline, cause, resumption.on)
        self._apply(
            dossier,
            COMPLEMENT_ACTIONS[resumption.outcome],
            resumption.actor_id,
            Role(resumption.role),
            complement=replace(complement, resumed_on=resumption.on, resume_cause=cause),
            dia_deadline=dia_deadline,
        )
        return {}

    def draft_decision(self, dossier_id: str, instruction: InstructionResumption) -> dict[str, Any]:
        """Record the agent's decision, render its unsigned draft and submit it for signature."""
        dossier = self._open(dossier_id)
        choice = instruction.choice
        if not isinstance(choice, DraftDecisionChoice):
            raise ValueError(f"Expected a draft_decision choice, got {choice.action}")
        if dossier.status is not DossierStatus.AWAITING_SIGNATURE:
            draft = choice.decision.to_draft(instruction.actor_id, self._now())
            check_decision(dossier.request_type, draft)
            for action in agent_actions(dossier.status, choice.action):
                changes: dict[str, Any] = {}
                if action is Action.DRAFT_DECISION:
                    changes["decision"] = draft
                dossier = self._apply(dossier, action, instruction.actor_id, Role.AGENT, **changes)

        content = build_decision(
            _required(dossier.decision, "a drafted decision"),
            dossier.request,
            self._issuer.facts(dossier),
            self._context.service,
            signatory=_DRAFT_SIGNER,
            signed_on=paris_date(self._now()),
        )
        document = self._issuer.issue(dossier, DocumentKind.PROJET_DECISION, content, replace=True)
        return {"document": document.key}

    def sign_decision(self, dossier_id: str, signature: SignatureResumption) -> dict[str, Any]:
        """Render the decision with its signer's name and capacity, sign it in PAdES, archive it."""
        dossier = self._open(dossier_id)
        if dossier.status in _SIGNED:
            return {}
        account = self._signatory(signature.actor_id)
        decision = _required(dossier.decision, "a drafted decision")
        content = build_decision(
            decision,
            dossier.request,
            self._issuer.facts(dossier),
            self._context.service,
            signatory=signatory_of(account),
            signed_on=paris_date(self._now()),
        )
        document = self._issuer.issue_signed(dossier, DocumentKind.DECISION, content, account)
        self._apply(
            dossier,
            Action.SIGN,
            account.subject,
            Role.SIGNATORY,
            outcome=decision.outcome,
        )
        return {"document": document.key}

    def notify_decision(self, dossier_id: str) -> dict[str, Any]:
        """Send the signed decision to the applicant and record the notification."""
        dossier = self._open(dossier_id)
        if dossier.status is not DossierStatus.SIGNED:
            return {}
        decision = _required(dossier.document(DocumentKind.DECISION), "a signed decision")
        if not decision.notified:
            self._issuer.notify(dossier, NotificationKind.DECISION_NOTIFIED, (decision,))
        self._apply(dossier, Action.NOTIFY, "system", Role.SYSTEM)
        return {}

    def close(self, dossier_id: str) -> dict[str, Any]:
        dossier = self._context.repository.get(dossier_id)
        if dossier.status is not DossierStatus.CLOSED:
            self._apply(dossier, Action.CLOSE, "system", Role.SYSTEM)
        return {}

    def record_failure(
        self, dossier_id: str, after_step: str, error: str, cause: str
    ) -> dict[str, Any]:
        """Store on the dossier the error that the retries did not clear, for the agents."""
        failure = WorkflowFailure(
            after_step=after_step, error=error, cause=cause[:2000], at=self._now()
        )
        self._context.repository.record_failure(dossier_id, failure)
        logger.error(
            "instruction workflow failed",
            extra={"dossier_id": dossier_id, "after_step": after_step, "error": error},
        )
        return {}

    def _signatory(self, subject: str) -> SignatoryAccount:
        account = self._context.directory.signatory(subject)
        if account is None:
            raise SignatoryNotRegisteredError(f"No signing capacity is registered for {subject}.")
        return account

    def _open(self, dossier_id: str) -> Dossier:
        dossier = self._context.repository.get(dossier_id)
        if dossier.status in _ENDED:
            raise DossierClosedError(
                f"Dossier {dossier_id} is {dossier.status.value}: the step has nothing to do.",
                field="dossier_id",
            )
        return dossier

    def _apply(
        self,
        dossier: Dossier,
        action: Action,
        actor_id: str,
        role: Role,
        note: str | None = None,
        **changes: Any,
    ) -> Dossier:
        entry = apply_action(
            dossier_id=dossier.dossier_id,
            status=dossier.status,
            action=action,
            request_type=dossier.request_type,
            actor_id=actor_id,
            role=role,
            at=self._now(),
            note=note,
        )
        changed = replace(dossier, status=entry.to_status, **changes)
        return self._context.repository.save(changed, entry, expected_version=dossier.version)

    def _now(self) -> datetime:
        return self._context.clock.now()
