from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from demarches.famille.errors import RegistrationIncompleteError, RegistrationTransitionError
from demarches.famille.registration import (
    AuthorizedPerson,
    Child,
    ConsentKind,
    Guardian,
    Registration,
    RegistrationStatus,
    record_consent,
    return_to_family,
    submit,
    update_household,
    validate,
)
from demarches.famille.school_year import SchoolYear

AT = datetime(2026, 6, 15, 9, 30, tzinfo=UTC)
GUARDIAN = Guardian("p1", "Camille", "Dupont", "camille.dupont@example.org", "0601020304")
CHILD = Child(
    child_id="c1",
    first_name="Léo",
    last_name="Morel",
    birth_date=date(2017, 5, 21),
    school_id="ecole-jean-jaures",
    class_name="CE2",
    pai=True,
    health_notes="Allergie à l'arachide, trousse d'urgence en classe",
)
GRANDMOTHER = AuthorizedPerson("Josette", "Morel", "0329000000", "grand-mère")


def draft() -> Registration:
    return Registration(registration_id="r1", household_id="h1", school_year=SchoolYear(2026))


def complete_draft() -> Registration:
    registration = update_household(
        draft(), guardians=(GUARDIAN,), children=(CHILD,), authorized_persons=(GRANDMOTHER,)
    )
    return record_consent(registration, ConsentKind.RULES, given=True, at=AT)


def test_new_registration_is_draft() -> None:
    assert draft().status is RegistrationStatus.DRAFT


def test_complete_draft_can_be_submitted() -> None:
    submitted = submit(complete_draft(), by="p1", at=AT)
    assert submitted.status is RegistrationStatus.SUBMITTED
    assert submitted.history[-1].from_status is RegistrationStatus.DRAFT
    assert submitted.history[-1].by == "p1"


def test_submission_requires_rules_consent() -> None:
    registration = update_household(draft(), guardians=(GUARDIAN,), children=(CHILD,))
    with pytest.raises(RegistrationIncompleteError) as caught:
        submit(registration, by="p1", at=AT)
    assert caught.value.field == "consents.rules"


def test_submission_lists_every_missing_value() -> None:
    with pytest.raises(RegistrationIncompleteError) as caught:
        submit(draft(), by="p1", at=AT)
    assert caught.value.details["missing"] == ["guardians", "children", "consents.rules"]


def test_submission_requires_class_of_each_child() -> None:
    no_class = Child("c2", "Julie", "Morel", date(2019, 9, 8), "ecole-jean-jaures", "")
    registration = update_household(complete_draft(), children=(CHILD, no_class))
    with pytest.raises(RegistrationIncompleteError) as caught:
        submit(registration, by="p1", at=AT)
    assert caught.value.field == "children[1].class_name"


def test_agent_validates_submitted_registration() -> None:
    validated = validate(submit(complete_draft(), by="p1", at=AT), agent_id="agent-7", at=AT)
    assert validated.status is RegistrationStatus.VALIDATED
    assert [change.to_status for change in validated.history] == [
        RegistrationStatus.SUBMITTED,
        RegistrationStatus.VALIDATED,
    ]


def test_draft_cannot_be_validated() -> None:
    with pytest.raises(RegistrationTransitionError) as caught:
        validate(complete_draft(), agent_id="agent-7", at=AT)
    assert caught.value.details == {"from": "draft", "to": "validated"}


def test_returned_registration_keeps_reason() -> None:
    submitted = submit(complete_draft(), by="p1", at=AT)
    returned = return_to_family(
        submitted, agent_id="agent-7", reason="  Attestation d'assurance manquante ", at=AT
    )
    assert returned.status is RegistrationStatus.RETURNED
    assert returned.return_reason == "Attestation d'assurance manquante"
    assert returned.history[-1].reason == "Attestation d'assurance manquante"


def test_return_needs_a_reason() -> None:
    submitted = submit(complete_draft(), by="p1", at=AT)
    with pytest.raises(RegistrationIncompleteError):
        return_to_family(submitted, agent_id="agent-7", reason="   ", at=AT)


def test_returned_registration_can_be_edited_and_resubmitted() -> None:
    submitted = submit(complete_draft(), by="p1", at=AT)
    returned = return_to_family(submitted, agent_id="agent-7", reason="Classe erronée", at=AT)
    fixed = update_household(returned, children=(CHILD,))
    resubmitted = submit(fixed, by="p1", at=AT + timedelta(days=1))
    assert resubmitted.status is RegistrationStatus.SUBMITTED
    assert resubmitted.return_reason is None


def test_submitted_registration_cannot_be_edited() -> None:
    submitted = submit(complete_draft(), by="p1", at=AT)
    with pytest.raises(RegistrationTransitionError):
        update_household(submitted, children=())


def test_validated_registration_cannot_be_returned() -> None:
    validated = validate(submit(complete_draft(), by="p1", at=AT), agent_id="agent-7", at=AT)
    with pytest.raises(RegistrationTransitionError):
        return_to_family(validated, agent_id="agent-7", reason="Erreur", at=AT)


def test_family_cannot_validate_through_submit_twice() -> None:
    submitted = submit(complete_draft(), by="p1", at=AT)
    with pytest.raises(RegistrationTransitionError):
        submit(submitted, by="p1", at=AT)


def test_latest_consent_answer_wins() -> None:
    registration = record_consent(
        complete_draft(), ConsentKind.QUOTIENT_RETRIEVAL, given=True, at=AT
    )
    withdrawn = record_consent(
        registration, ConsentKind.QUOTIENT_RETRIEVAL, given=False, at=AT + timedelta(hours=1)
    )
    assert registration.has_consented(ConsentKind.QUOTIENT_RETRIEVAL)
    assert not withdrawn.has_consented(ConsentKind.QUOTIENT_RETRIEVAL)
    assert len(withdrawn.consents) == 3


def test_consent_keeps_its_timestamp() -> None:
    registration = record_consent(complete_draft(), ConsentKind.PHOTO, given=True, at=AT)
    consent = registration.consent(ConsentKind.PHOTO)
    assert consent is not None
    assert consent.at == AT


def test_consent_can_be_withdrawn_after_validation() -> None:
    validated = validate(submit(complete_draft(), by="p1", at=AT), agent_id="agent-7", at=AT)
    withdrawn = record_consent(
        validated, ConsentKind.PHOTO, given=False, at=AT + timedelta(days=30)
    )
    assert not withdrawn.has_consented(ConsentKind.PHOTO)


def test_consent_cannot_be_given_after_submission() -> None:
    submitted = submit(complete_draft(), by="p1", at=AT)
    with pytest.raises(RegistrationTransitionError):
        record_consent(submitted, ConsentKind.PHOTO, given=True, at=AT)


def test_naive_timestamp_is_rejected() -> None:
    with pytest.raises(ValueError, match="time zone"):
        record_consent(draft(), ConsentKind.RULES, given=True, at=datetime(2026, 6, 15, 9, 30))


def test_health_notes_stay_out_of_repr() -> None:
    assert "arachide" not in repr(CHILD)
    assert "arachide" not in repr(complete_draft())
    assert "pai=True" in repr(CHILD)


def test_log_summary_has_only_ids_and_flags() -> None:
    summary = complete_draft().log_summary()
    assert summary == {
        "registration_id": "r1",
        "household_id": "h1",
        "school_year": "2026-2027",
        "status": "draft",
        "children": 1,
        "children_with_pai": 1,
    }


def test_children_schools_feed_reservations() -> None:
    assert complete_draft().children_schools() == {"c1": "ecole-jean-jaures"}
