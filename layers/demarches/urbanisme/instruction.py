"""Actions of agents, signatories and applicants that resume the instruction workflow.

The workflow waits on a task token stored on the dossier. Each action is checked against the
domain rules at once, so that a refusal answers the caller, then claims the token (once, so a
double click resumes nothing twice) and resumes the workflow, whose next step applies it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from demarches.errors import InvalidRequestError, UnavailableError
from demarches.identity import Identity
from demarches.urbanisme.access import (
    AGENT_ROLE,
    SIGNATORY_ROLE,
    is_staff,
    owner_of,
    readable_dossier,
)
from demarches.urbanisme.api import (
    ComplementOutcomeIn,
    ComplementResumption,
    DraftDecisionChoice,
    InstructionChoice,
    InstructionResumption,
    RequestDocumentsChoice,
    SignatureIn,
    SignatureResumption,
)
from demarches.urbanisme.context import UrbanismeContext
from demarches.urbanisme.deadlines import paris_date
from demarches.urbanisme.decision import check_decision
from demarches.urbanisme.dia_suspension import ResumeCause, SuspensionCause, resume, suspend
from demarches.urbanisme.dossier import AwaitedStep, Dossier
from demarches.urbanisme.errors import (
    ComplementAlreadyRequestedError,
    ComplementIncompleteError,
    DossierNotAwaitingError,
    EventDateInvalidError,
    SignatoryNotRegisteredError,
    TransitionForbiddenError,
)
from demarches.urbanisme.pieces import PieceStatus, complement_code
from demarches.urbanisme.workflow import Action, DossierStatus, Role, apply_action

_CHOICE_ACTIONS = {
    "request_documents": Action.REQUEST_DOCUMENTS,
    "request_visit": Action.REQUEST_VISIT,
    "draft_decision": Action.DRAFT_DECISION,
}

COMPLEMENT_ACTIONS = {
    "documents_received": Action.RECEIVE_DOCUMENTS,
    "visit_held": Action.RECORD_VISIT,
    "visit_refused": Action.RECORD_VISIT_REFUSAL,
}

RESUME_CAUSES = {
    "documents_received": ResumeCause.DOCUMENTS_RECEIVED,
    "visit_held": ResumeCause.VISIT_HELD,
    "visit_refused": ResumeCause.VISIT_REFUSED,
}


def agent_actions(status: DossierStatus, choice: str) -> list[Action]:
    """Return the actions an agent's choice performs from ``status``, in order.

    A decision returned for revision leaves the dossier drafted: the agent's next choice
    reopens the instruction first. Drafting a decision also submits it for signature.
    """
    actions = [_CHOICE_ACTIONS[choice]]
    if choice == "draft_decision":
        actions.append(Action.SUBMIT_FOR_SIGNATURE)
    if status is DossierStatus.DECISION_DRAFTED:
        actions.insert(0, Action.REOPEN_INSTRUCTION)
    return actions


def check_actions(
    dossier: Dossier, actions: list[Action], actor_id: str, role: Role, at: datetime
) -> None:
    """Raise the domain error of the first action the workflow would refuse."""
    status = dossier.status
    for action in actions:
        status = apply_action(
            dossier_id=dossier.dossier_id,
            status=status,
            action=action,
            request_type=dossier.request_type,
            actor_id=actor_id,
            role=role,
            at=at,
        ).to_status


class InstructionService:
    def __init__(self, context: UrbanismeContext) -> None:
        self._context = context

    def queue(self, identity: Identity) -> list[Dossier]:
        """Return the open dossiers of the territory, earliest deadline first.

        A signatory without the agent role sees the decisions awaiting signature only.
        """
        if AGENT_ROLE not in identity.roles and SIGNATORY_ROLE not in identity.roles:
            identity.require_role(AGENT_ROLE)
        dossiers = self._context.repository.list_queue()
        if AGENT_ROLE in identity.roles:
            return dossiers
        return [d for d in dossiers if d.status is DossierStatus.AWAITING_SIGNATURE]

    def instruct(self, identity: Identity, dossier_id: str, choice: InstructionChoice) -> Dossier:
        """Check the agent's choice and hand it to the waiting instruction step."""
        identity.require_role(AGENT_ROLE)
        dossier = self._context.repository.get(dossier_id)
        self._check_choice(dossier, choice, identity.subject)
        output = InstructionResumption(choice=choice, actor_id=identity.subject)
        return self._resume(dossier, AwaitedStep.INSTRUCTION, output.model_dump(mode="json"))

    def report_complement(
        self, identity: Identity, dossier_id: str, report: ComplementOutcomeIn
    ) -> Dossier:
        """Report that the requested documents arrived, or that the visit took place or not.

        The applicant reports the documents, on the day they do so, once every requested
        document has an accepted upload. An agent reports any outcome, on a past day.
        """
        dossier = readable_dossier(self._context.repository, identity, dossier_id)
        now = self._context.clock.now()
        today = paris_date(now)
        role = self._complement_role(identity, dossier, report)
        on = report.on or today
        if on > today:
            raise EventDateInvalidError(
                f"The day {on.isoformat()} is in the future; report what already happened.",
                field="on",
            )
        check_actions(dossier, [COMPLEMENT_ACTIONS[report.outcome]], identity.subject, role, now)
        if dossier.dia_deadline is not None:
            resume(dossier.dia_deadline, RESUME_CAUSES[report.outcome], on)

        step = (
            AwaitedStep.DOCUMENTS if report.outcome == "documents_received" else AwaitedStep.VISIT
        )
        output = ComplementResumption(
            outcome=report.outcome, on=on, actor_id=identity.subject, role=role.value
        )
        return self._resume(dossier, step, output.model_dump(mode="json"))

    def sign(self, identity: Identity, dossier_id: str, signature: SignatureIn) -> Dossier:
        """Sign the drafted decision, or return it to the agent with a note."""
        identity.require_role(SIGNATORY_ROLE)
        if self._context.directory.signatory(identity.subject) is None:
            raise SignatoryNotRegisteredError(
                "No signing capacity is registered for this account: ask the service to "
                "register your delegation before signing.",
            )
        dossier = self._context.repository.get(dossier_id)
        if signature.action == "return_for_revision" and not signature.note:
            raise InvalidRequestError(
                "Say what to revise: a note is required to return a draft.",
                field="note",
                code="note_required",
            )
        action = Action.SIGN if signature.action == "sign" else Action.RETURN_FOR_REVISION
        check_actions(
            dossier, [action], identity.subject, Role.SIGNATORY, self._context.clock.now()
        )
        output = SignatureResumption(
            action=signature.action, actor_id=identity.subject, note=signature.note
        )
        return self._resume(dossier, AwaitedStep.SIGNATURE, output.model_dump(mode="json"))

    def _check_choice(self, dossier: Dossier, choice: InstructionChoice, agent_id: str) -> None:
        now = self._context.clock.now()
        actions = agent_actions(dossier.status, choice.action)
        check_actions(dossier, actions, agent_id, Role.AGENT, now)
        if isinstance(choice, DraftDecisionChoice):
            check_decision(dossier.request_type, choice.decision.to_draft(agent_id, now))
            return
        if dossier.complement is not None:
            raise ComplementAlreadyRequestedError(
                "Missing documents or a visit were already requested on "
                f"{paris_date(dossier.complement.requested_at).isoformat()}: the law allows "
                "one single request.",
                field="action",
            )
        if dossier.dia_deadline is not None:
            cause = (
                SuspensionCause.DOCUMENTS
                if isinstance(choice, RequestDocumentsChoice)
                else SuspensionCause.VISIT
            )
            suspend(dossier.dia_deadline, cause, paris_date(now))

    def _complement_role(
        self, identity: Identity, dossier: Dossier, report: ComplementOutcomeIn
    ) -> Role:
        if AGENT_ROLE in identity.roles:
            return Role.AGENT
        if is_staff(identity) or dossier.owner != owner_of(identity):
            raise TransitionForbiddenError(
                "Only an agent of the urbanism service or the applicant reports this.",
                field="outcome",
            )
        today = paris_date(self._context.clock.now())
        if report.outcome != "documents_received" or report.on not in (None, today):
            raise TransitionForbiddenError(
                "An applicant reports the requested documents, today; the service records visits.",
                field="outcome",
            )
        requested = dossier.complement.documents if dossier.complement else ()
        missing = [
            complement_code(index)
            for index in range(1, len(requested) + 1)
            if (piece := dossier.piece(complement_code(index))) is None
            or piece.status is not PieceStatus.ACCEPTED
        ]
        if missing:
            raise ComplementIncompleteError(
                f"Upload every requested document first; missing: {', '.join(missing)}.",
                field="outcome",
                details={"missing": missing},
            )
        return Role.APPLICANT

    def _resume(self, dossier: Dossier, step: AwaitedStep, output: dict[str, Any]) -> Dossier:
        if dossier.awaiting is not step:
            raise DossierNotAwaitingError(
                f"Dossier {dossier.dossier_id} does not wait for the {step.value} step now "
                f"(status {dossier.status.value}); reload it.",
                field="dossier_id",
                details={"awaiting": dossier.awaiting.value if dossier.awaiting else None},
            )
        repository = self._context.repository
        token = repository.claim_awaiting(dossier.dossier_id, step)
        try:
            self._context.workflow.resume(token, output)
        except UnavailableError:
            repository.restore_awaiting(dossier.dossier_id, step, token)
            raise
        return repository.get(dossier.dossier_id)
