from __future__ import annotations

from datetime import UTC, datetime, timedelta

from demarches.urbanisme.timeline import DossierEvent, EventKind, build_timeline
from demarches.urbanisme.workflow import Action, AuditEntry, DossierStatus, Role

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def entry(minutes: int, action: Action, to_status: DossierStatus, role: Role, note=None):
    return AuditEntry(
        dossier_id="d",
        actor_id=f"{role.value}-1",
        role=role,
        at=START + timedelta(minutes=minutes),
        action=action,
        from_status=DossierStatus.DRAFT,
        to_status=to_status,
        note=note,
    )


AUDIT = [
    entry(0, Action.SUBMIT, DossierStatus.SUBMITTED, Role.APPLICANT),
    entry(2, Action.DRAFT_DECISION, DossierStatus.DECISION_DRAFTED, Role.AGENT),
    entry(3, Action.RETURN_FOR_REVISION, DossierStatus.DECISION_DRAFTED, Role.SIGNATORY, "Taxes"),
    entry(5, Action.SIGN, DossierStatus.SIGNED, Role.SIGNATORY),
]
EVENTS = [
    DossierEvent(
        "d",
        START + timedelta(minutes=1),
        EventKind.PIECE_REJECTED,
        "system",
        Role.SYSTEM,
        {"label": "Plan de situation", "message": "Le fichier est vide."},
    ),
    DossierEvent(
        "d",
        START + timedelta(minutes=4),
        EventKind.WORKFLOW_FAILED,
        "system",
        Role.SYSTEM,
        {"after_step": "DraftDecision", "error": "UnavailableError"},
    ),
    DossierEvent(
        "d",
        START + timedelta(minutes=6),
        EventKind.DOCUMENT_ISSUED,
        "system",
        Role.SYSTEM,
        {"document": "projet_decision"},
    ),
]


def test_staff_timeline_keeps_everything_in_time_order():
    timeline = build_timeline(AUDIT, EVENTS, for_staff=True)

    assert [e.at for e in timeline] == sorted(e.at for e in timeline)
    assert len(timeline) == 7
    returned = next(e for e in timeline if e.label == "Décision renvoyée pour modification")
    assert returned.actor_id == "signatory-1"
    assert returned.detail == "Taxes"


def test_applicant_timeline_hides_deliberation_and_actors():
    timeline = build_timeline(AUDIT, EVENTS, for_staff=False)

    labels = [e.label for e in timeline]
    assert "Décision renvoyée pour modification" not in labels
    assert "Projet de décision rédigé" not in labels
    assert "Document émis" not in labels
    assert all(e.actor_id is None for e in timeline)
    failure = next(e for e in timeline if e.label.startswith("Incident"))
    assert failure.detail is None


def test_rejected_piece_shows_its_reason():
    timeline = build_timeline([], EVENTS[:1], for_staff=False)

    assert timeline[0].detail == "Plan de situation : Le fichier est vide."
