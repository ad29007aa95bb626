from __future__ import annotations

from datetime import timedelta

import pytest

from demarches.conservatoire.actors import Actor
from demarches.conservatoire.catalogue import School
from demarches.conservatoire.enrollment import EnrollmentStatus
from demarches.conservatoire.errors import (
    ActionForbiddenError,
    AgeOutOfRangeError,
    CapacityBelowPlacesHeldError,
    CapacityInvalidError,
    CourseNotFoundError,
    EnrollmentAlreadyExistsError,
    EnrollmentClosedError,
    EnrollmentNotFoundError,
    EnrollmentNotOpenError,
    EnrollmentStatusConflictError,
    EvaluationForbiddenError,
    EvaluationNotFoundError,
    HouseholdNotFoundError,
    PersonNotFoundError,
    PupilNotFoundError,
    ReenrollmentReservedError,
    RefusalReasonInvalidError,
    SchoolYearNotFoundError,
)
from demarches.conservatoire.evaluations import EvaluationKey, Term
from demarches.conservatoire.usecases import EnrollmentReceipt, PlannedCourse

from .conftest import (
    AFTER_CLOSE,
    BEFORE_REENROLLMENT,
    REENROLLMENT,
    YEAR,
    World,
)

VIOLIN = "cons-violon-c1"
DRAWING = "art-dessin-enfants"


def enroll(
    world: World, actor: Actor, person_id: str, course_id: str = VIOLIN
) -> EnrollmentReceipt:
    return world.service.enroll(actor, school_year=YEAR, course_id=course_id, person_id=person_id)


def set_capacity(world: World, capacity: int, course_id: str = VIOLIN) -> None:
    agent = world.conservatoire_agent if course_id.startswith("cons-") else world.atelier_agent
    world.service.change_capacity(agent, school_year=YEAR, course_id=course_id, capacity=capacity)


def waiting_families(world: World, count: int, course_id: str = VIOLIN) -> list[EnrollmentReceipt]:
    receipts = []
    for index in range(1, count + 1):
        world.clock.instant += timedelta(minutes=1)
        receipts.append(enroll(world, world.add_family(index), f"p-{index:03d}", course_id))
    return receipts


def rank_of(world: World, actor: Actor) -> int | None:
    (only,) = world.service.list_enrollments(actor, school_year=YEAR)
    return only.rank


# Enroll


def test_enroll_takes_free_place(world: World) -> None:
    receipt = enroll(world, world.martin, "lea")
    assert receipt.enrollment.status is EnrollmentStatus.REQUESTED
    assert receipt.rank is None
    assert world.publisher.kinds() == ["place_reserved"]


def test_enroll_returns_quote_before_confirmation(world: World) -> None:
    quote = enroll(world, world.martin, "lea").quote
    assert quote.bracket == "B"
    assert quote.resident
    assert quote.total_cents == 16000
    assert quote.lines[0].item.label == "Violon (Cycle 1)"


def test_enroll_in_full_course_waits_with_rank(world: World) -> None:
    set_capacity(world, 1)
    enroll(world, world.martin, "lea")
    first, second = waiting_families(world, 2)
    assert first.enrollment.status is EnrollmentStatus.WAITING
    assert first.rank == 1
    assert second.rank == 2
    assert world.publisher.events[-1].rank == 2


def test_waiting_subject_is_priced_in_quote(world: World) -> None:
    set_capacity(world, 0)
    receipt = enroll(world, world.martin, "lea")
    assert receipt.enrollment.status is EnrollmentStatus.WAITING
    assert [line.item.enrollment_id for line in receipt.quote.lines] == [
        receipt.enrollment.enrollment_id
    ]


def test_quote_counts_household_place_holders(world: World) -> None:
    enroll(world, world.martin, "lea")
    receipt = enroll(world, world.martin, "hugo", DRAWING)
    assert len(receipt.quote.lines) == 2
    hugo_line = receipt.quote.lines[1]
    assert [r.code for r in hugo_line.reductions] == ["second_child"]


def test_quote_skips_cancelled_enrollments(world: World) -> None:
    first = enroll(world, world.martin, "lea")
    world.service.cancel(world.martin, enrollment_id=first.enrollment.enrollment_id)
    receipt = enroll(world, world.martin, "hugo", DRAWING)
    assert len(receipt.quote.lines) == 1


def test_current_pupil_enrolls_during_reenrollment(world: World) -> None:
    world.make_current_pupil("lea", "foyer-martin", School.CONSERVATOIRE)
    world.at(REENROLLMENT)
    receipt = enroll(world, world.martin, "lea")
    assert receipt.enrollment.current_pupil
    assert receipt.enrollment.status is EnrollmentStatus.REQUESTED


def test_newcomer_rejected_during_reenrollment(world: World) -> None:
    world.at(REENROLLMENT)
    with pytest.raises(ReenrollmentReservedError):
        enroll(world, world.martin, "lea")
    assert world.publisher.events == []


def test_pupil_of_other_school_is_a_newcomer(world: World) -> None:
    world.make_current_pupil("lea", "foyer-martin", School.ATELIER_ART)
    world.at(REENROLLMENT)
    with pytest.raises(ReenrollmentReservedError):
        enroll(world, world.martin, "lea")


def test_enroll_before_any_window_is_not_open(world: World) -> None:
    world.at(BEFORE_REENROLLMENT)
    with pytest.raises(EnrollmentNotOpenError):
        enroll(world, world.martin, "lea")


def test_enroll_after_general_window_is_closed(world: World) -> None:
    world.at(AFTER_CLOSE)
    with pytest.raises(EnrollmentClosedError):
        enroll(world, world.martin, "lea")


def test_reenrolling_pupil_goes_first_in_conservatoire_queue(world: World) -> None:
    set_capacity(world, 1)
    enroll(world, world.martin, "lea")
    (newcomer,) = waiting_families(world, 1)
    world.make_current_pupil("tom", "foyer-durand", School.CONSERVATOIRE)
    world.clock.instant += timedelta(hours=1)

    pupil = enroll(world, world.durand, "tom")
    assert pupil.rank == 1
    assert world.store.waiting_rank(newcomer.enrollment) == 2


def test_atelier_queue_ignores_reenrolling_pupils(world: World) -> None:
    set_capacity(world, 1, DRAWING)
    enroll(world, world.martin, "hugo", DRAWING)
    waiting_families(world, 1, DRAWING)
    world.make_current_pupil("tom", "foyer-durand", School.ATELIER_ART)
    world.clock.instant += timedelta(hours=1)

    assert enroll(world, world.durand, "tom", DRAWING).rank == 2


def test_enroll_person_of_another_household_is_not_found(world: World) -> None:
    with pytest.raises(PersonNotFoundError) as caught:
        enroll(world, world.martin, "tom")
    assert caught.value.field == "person_id"


def test_enroll_guessed_person_id_is_not_found(world: World) -> None:
    with pytest.raises(PersonNotFoundError):
        enroll(world, world.martin, "p-999")


def test_enroll_without_household_profile_is_not_found(world: World) -> None:
    with pytest.raises(HouseholdNotFoundError):
        enroll(world, Actor.parent("user-new", "foyer-new"), "lea")


def test_enroll_twice_in_same_course_conflicts(world: World) -> None:
    enroll(world, world.martin, "lea")
    with pytest.raises(EnrollmentAlreadyExistsError):
        enroll(world, world.martin, "lea")


def test_enroll_again_after_cancellation(world: World) -> None:
    first = enroll(world, world.martin, "lea")
    world.service.cancel(world.martin, enrollment_id=first.enrollment.enrollment_id)
    assert enroll(world, world.martin, "lea").enrollment.status is EnrollmentStatus.REQUESTED


def test_enroll_outside_age_range_is_invalid(world: World) -> None:
    with pytest.raises(AgeOutOfRangeError) as caught:
        enroll(world, world.martin, "lea", "cons-eveil")
    assert "Léa aura alors 11 ans" in caught.value.message
    assert "31/12/2026" in caught.value.message
    assert caught.value.details == {"age": 11, "minimum": 5, "maximum": 5}


def test_agent_cannot_enroll(world: World) -> None:
    with pytest.raises(ActionForbiddenError):
        enroll(world, world.conservatoire_agent, "lea")


def test_enroll_for_unknown_year_is_not_found(world: World) -> None:
    with pytest.raises(SchoolYearNotFoundError):
        world.service.enroll(
            world.martin, school_year="2030-2031", course_id=VIOLIN, person_id="lea"
        )


def test_enroll_in_unknown_course_is_not_found(world: World) -> None:
    with pytest.raises(CourseNotFoundError):
        enroll(world, world.martin, "lea", "cons-tuba")


# Cancel, confirm, refuse


def test_cancel_promotes_head_of_queue(world: World) -> None:
    set_capacity(world, 1)
    holder = enroll(world, world.martin, "lea")
    first, second = waiting_families(world, 2)

    cancelled = world.service.cancel(world.martin, enrollment_id=holder.enrollment.enrollment_id)
    assert cancelled.status is EnrollmentStatus.CANCELLED
    assert world.publisher.kinds()[-2:] == ["enrollment_cancelled", "place_offered"]
    promoted = world.store.get(first.enrollment.enrollment_id)
    assert promoted is not None
    assert promoted.status is EnrollmentStatus.OFFERED
    assert world.store.waiting_rank(second.enrollment) == 1


def test_cancel_of_waiting_request_promotes_nobody(world: World) -> None:
    set_capacity(world, 1)
    enroll(world, world.martin, "lea")
    first, second = waiting_families(world, 2)
    parent = Actor.parent("user-001", first.enrollment.household_id)

    world.service.cancel(parent, enrollment_id=first.enrollment.enrollment_id)
    assert world.publisher.kinds()[-1] == "enrollment_cancelled"
    assert world.store.waiting_rank(second.enrollment) == 1


def test_cancel_by_another_household_is_not_found(world: World) -> None:
    receipt = enroll(world, world.martin, "lea")
    with pytest.raises(EnrollmentNotFoundError):
        world.service.cancel(world.durand, enrollment_id=receipt.enrollment.enrollment_id)


def test_cancel_guessed_enrollment_id_is_not_found(world: World) -> None:
    with pytest.raises(EnrollmentNotFoundError):
        world.service.cancel(world.martin, enrollment_id="ins-9999")


def test_cancel_by_teacher_is_not_found(world: World) -> None:
    receipt = enroll(world, world.martin, "lea")
    with pytest.raises(EnrollmentNotFoundError):
        world.service.cancel(world.violin_teacher, enrollment_id=receipt.enrollment.enrollment_id)


def test_cancel_by_school_agent_is_recorded(world: World) -> None:
    receipt = enroll(world, world.martin, "lea")
    cancelled = world.service.cancel(
        world.conservatoire_agent, enrollment_id=receipt.enrollment.enrollment_id
    )
    assert cancelled.status_changed_by == "agent-cons"


def test_agent_confirms_requested_enrollment(world: World) -> None:
    receipt = enroll(world, world.martin, "lea")
    confirmed = world.service.confirm(
        world.conservatoire_agent, enrollment_id=receipt.enrollment.enrollment_id
    )
    assert confirmed.status is EnrollmentStatus.CONFIRMED
    assert world.store.get(confirmed.enrollment_id) == confirmed
    assert world.publisher.kinds()[-1] == "enrollment_confirmed"


def test_agent_confirms_offered_enrollment(world: World) -> None:
    set_capacity(world, 0)
    (first,) = waiting_families(world, 1)
    set_capacity(world, 1)
    confirmed = world.service.confirm(
        world.conservatoire_agent, enrollment_id=first.enrollment.enrollment_id
    )
    assert confirmed.status is EnrollmentStatus.CONFIRMED


def test_parent_cannot_confirm(world: World) -> None:
    receipt = enroll(world, world.martin, "lea")
    with pytest.raises(ActionForbiddenError):
        world.service.confirm(world.martin, enrollment_id=receipt.enrollment.enrollment_id)


def test_agent_of_other_school_cannot_see_enrollment(world: World) -> None:
    receipt = enroll(world, world.martin, "lea")
    with pytest.raises(EnrollmentNotFoundError):
        world.service.confirm(world.atelier_agent, enrollment_id=receipt.enrollment.enrollment_id)


def test_confirm_waiting_enrollment_conflicts(world: World) -> None:
    set_capacity(world, 0)
    receipt = enroll(world, world.martin, "lea")
    with pytest.raises(EnrollmentStatusConflictError):
        world.service.confirm(
            world.conservatoire_agent, enrollment_id=receipt.enrollment.enrollment_id
        )


def test_refuse_sends_reason_and_promotes_head(world: World) -> None:
    set_capacity(world, 1)
    holder = enroll(world, world.martin, "lea")
    (first,) = waiting_families(world, 1)

    refused = world.service.refuse(
        world.conservatoire_agent,
        enrollment_id=holder.enrollment.enrollment_id,
        reason="Niveau de cycle 2 attesté : inscrivez Léa en cycle 2.",
    )
    assert refused.status is EnrollmentStatus.REFUSED
    refusal, offer = world.publisher.events[-2:]
    assert refusal.reason == "Niveau de cycle 2 attesté : inscrivez Léa en cycle 2."
    assert offer.enrollment_id == first.enrollment.enrollment_id


def test_refuse_without_reason_is_invalid(world: World) -> None:
    receipt = enroll(world, world.martin, "lea")
    with pytest.raises(RefusalReasonInvalidError):
        world.service.refuse(
            world.conservatoire_agent, enrollment_id=receipt.enrollment.enrollment_id, reason=" "
        )


def test_parent_cannot_refuse(world: World) -> None:
    receipt = enroll(world, world.martin, "lea")
    with pytest.raises(ActionForbiddenError):
        world.service.refuse(
            world.martin, enrollment_id=receipt.enrollment.enrollment_id, reason="Non"
        )


# Capacity


def test_capacity_increase_promotes_several_at_once(world: World) -> None:
    set_capacity(world, 1)
    enroll(world, world.martin, "lea")
    receipts = waiting_families(world, 3)

    change = world.service.change_capacity(
        world.conservatoire_agent, school_year=YEAR, course_id=VIOLIN, capacity=3
    )
    assert [e.enrollment_id for e in change.promoted] == [
        r.enrollment.enrollment_id for r in receipts[:2]
    ]
    assert change.seats.places_held == 3
    assert world.publisher.kinds()[-2:] == ["place_offered", "place_offered"]
    assert world.store.waiting_rank(receipts[2].enrollment) == 1


def test_capacity_below_places_held_conflicts(world: World) -> None:
    enroll(world, world.martin, "lea")
    enroll(world, world.martin, "hugo")
    with pytest.raises(CapacityBelowPlacesHeldError):
        set_capacity(world, 1)


def test_capacity_out_of_range_is_invalid(world: World) -> None:
    with pytest.raises(CapacityInvalidError):
        set_capacity(world, -1)


@pytest.mark.parametrize("who", ["martin", "atelier_agent", "violin_teacher"])
def test_only_school_agent_changes_capacity(world: World, who: str) -> None:
    actor: Actor = getattr(world, who)
    with pytest.raises(ActionForbiddenError):
        world.service.change_capacity(actor, school_year=YEAR, course_id=VIOLIN, capacity=9)


# Listings and quotes


def test_list_enrollments_shows_own_household_with_ranks(world: World) -> None:
    set_capacity(world, 1)
    enroll(world, world.martin, "lea")
    first, _ = waiting_families(world, 2)
    enroll(world, world.durand, "tom")

    assert rank_of(world, Actor.parent("user-001", first.enrollment.household_id)) == 1
    assert rank_of(world, world.durand) == 3
    assert rank_of(world, world.martin) is None


def test_course_roster_lists_holders_and_queue(world: World) -> None:
    set_capacity(world, 1)
    enroll(world, world.martin, "lea")
    receipts = waiting_families(world, 2)
    roster = world.service.course_roster(
        world.conservatoire_agent, school_year=YEAR, course_id=VIOLIN
    )
    assert [e.person_id for e in roster.holders] == ["lea"]
    assert [e.enrollment_id for e in roster.waiting] == [
        r.enrollment.enrollment_id for r in receipts
    ]
    assert roster.seats.capacity == 1


def test_course_roster_names_enrolled_persons(world: World) -> None:
    enroll(world, world.martin, "lea")
    roster = world.service.course_roster(
        world.conservatoire_agent, school_year=YEAR, course_id=VIOLIN
    )
    assert sorted(roster.persons) == ["lea"]
    assert roster.persons["lea"].first_name == "Léa"


def test_catalogue_reports_places_and_queue(world: World) -> None:
    set_capacity(world, 1)
    enroll(world, world.martin, "lea")
    waiting_families(world, 2)

    view = world.service.catalogue(school_year=YEAR)

    violin = view.availability[VIOLIN]
    assert (violin.seats.capacity, violin.seats.free_places, violin.waiting) == (1, 0, 2)
    assert view.availability[DRAWING].seats.free_places == 12
    assert len(view.availability) == 23
    assert view.read_at == world.clock.instant


def test_get_enrollment_of_other_household_is_not_found(world: World) -> None:
    receipt = enroll(world, world.martin, "lea")
    enrollment_id = receipt.enrollment.enrollment_id

    assert world.service.get_enrollment(world.martin, enrollment_id=enrollment_id).rank is None
    agent_view = world.service.get_enrollment(
        world.conservatoire_agent, enrollment_id=enrollment_id
    )
    assert agent_view.enrollment == receipt.enrollment
    with pytest.raises(EnrollmentNotFoundError):
        world.service.get_enrollment(world.durand, enrollment_id=enrollment_id)
    with pytest.raises(EnrollmentNotFoundError):
        world.service.get_enrollment(world.atelier_agent, enrollment_id=enrollment_id)


def test_parent_cannot_read_course_roster(world: World) -> None:
    with pytest.raises(ActionForbiddenError):
        world.service.course_roster(world.martin, school_year=YEAR, course_id=VIOLIN)


def test_quote_prices_planned_courses(world: World) -> None:
    planned = [PlannedCourse("lea", "cons-piano-c1"), PlannedCourse("hugo", DRAWING)]
    quote = world.service.quote(world.martin, school_year=YEAR, planned=planned)
    assert [line.base_cents for line in quote.lines] == [16000, 6500]
    assert quote.total_cents == 16000 + 6500 - 1300


def test_quote_for_non_resident_without_quotient(world: World) -> None:
    planned = [PlannedCourse("tom", VIOLIN)]
    quote = world.service.quote(world.durand, school_year=YEAR, planned=planned)
    assert not quote.resident
    assert quote.quotient_familial is None
    assert quote.total_cents == 42000


def test_quote_for_guessed_person_is_not_found(world: World) -> None:
    with pytest.raises(PersonNotFoundError):
        world.service.quote(world.durand, school_year=YEAR, planned=[PlannedCourse("lea", VIOLIN)])


# Evaluations


def confirmed_violin_pupils(world: World) -> None:
    for actor, person_id in ((world.martin, "lea"), (world.durand, "tom")):
        receipt = enroll(world, actor, person_id)
        world.service.confirm(
            world.conservatoire_agent, enrollment_id=receipt.enrollment.enrollment_id
        )


def violin_key(person_id: str, term: Term = Term.TRIMESTRE_1) -> EvaluationKey:
    return EvaluationKey(YEAR, VIOLIN, person_id, term)


def post(world: World, actor: Actor, key: EvaluationKey, text: str = "Bon trimestre.") -> None:
    world.service.post_evaluation(actor, key=key, appreciation=text, level_reached="Cycle 1")


def test_teacher_posts_evaluation_for_own_pupil(world: World) -> None:
    confirmed_violin_pupils(world)
    post(world, world.violin_teacher, violin_key("lea"))
    saved = world.evaluations.get(violin_key("lea"))
    assert saved is not None
    assert saved.household_id == "foyer-martin"
    assert saved.posted_by == "user-rousseau"


def test_teacher_amends_evaluation(world: World) -> None:
    confirmed_violin_pupils(world)
    post(world, world.violin_teacher, violin_key("lea"), "Premier texte.")
    world.clock.instant += timedelta(days=1)
    post(world, world.violin_teacher, violin_key("lea"), "Texte corrigé.")
    saved = world.evaluations.get(violin_key("lea"))
    assert saved is not None
    assert saved.appreciation == "Texte corrigé."
    assert saved.amended_at == world.clock.instant


def test_teacher_of_another_class_cannot_post(world: World) -> None:
    confirmed_violin_pupils(world)
    with pytest.raises(EvaluationForbiddenError):
        post(world, world.piano_teacher, violin_key("lea"))
    assert world.evaluations.saved == {}


def test_teacher_cannot_post_for_guessed_pupil(world: World) -> None:
    confirmed_violin_pupils(world)
    with pytest.raises(PupilNotFoundError):
        post(world, world.violin_teacher, violin_key("p-404"))


def test_teacher_cannot_post_for_guessed_course(world: World) -> None:
    with pytest.raises(PupilNotFoundError):
        post(world, world.violin_teacher, EvaluationKey(YEAR, "cons-x", "lea", Term.TRIMESTRE_1))


def test_teacher_cannot_post_for_unconfirmed_pupil(world: World) -> None:
    enroll(world, world.martin, "lea")
    with pytest.raises(PupilNotFoundError):
        post(world, world.violin_teacher, violin_key("lea"))


def test_parent_cannot_post_evaluation(world: World) -> None:
    confirmed_violin_pupils(world)
    with pytest.raises(EvaluationForbiddenError):
        post(world, world.martin, violin_key("lea"))


def test_parent_lists_only_own_household_evaluations(world: World) -> None:
    confirmed_violin_pupils(world)
    post(world, world.violin_teacher, violin_key("lea"))
    post(world, world.violin_teacher, violin_key("tom"))

    martin = world.service.list_my_evaluations(world.martin, school_year=YEAR)
    durand = world.service.list_my_evaluations(world.durand, school_year=YEAR)
    assert [e.key.person_id for e in martin] == ["lea"]
    assert [e.key.person_id for e in durand] == ["tom"]


def test_parent_filters_evaluations_by_person(world: World) -> None:
    confirmed_violin_pupils(world)
    post(world, world.violin_teacher, violin_key("lea", Term.TRIMESTRE_2))
    post(world, world.violin_teacher, violin_key("lea", Term.TRIMESTRE_1))
    listed = world.service.list_my_evaluations(world.martin, school_year=YEAR, person_id="lea")
    assert [e.key.term for e in listed] == [Term.TRIMESTRE_1, Term.TRIMESTRE_2]
    hugo = world.service.list_my_evaluations(world.martin, school_year=YEAR, person_id="hugo")
    assert hugo == []


def test_other_family_child_is_not_found(world: World) -> None:
    confirmed_violin_pupils(world)
    post(world, world.violin_teacher, violin_key("tom"))
    with pytest.raises(PersonNotFoundError):
        world.service.list_my_evaluations(world.martin, school_year=YEAR, person_id="tom")


def test_teacher_cannot_use_parent_listing(world: World) -> None:
    with pytest.raises(ActionForbiddenError):
        world.service.list_my_evaluations(world.violin_teacher, school_year=YEAR)


def test_class_list_shows_confirmed_pupils_to_teacher(world: World) -> None:
    confirmed_violin_pupils(world)
    enroll(world, world.add_family(1), "p-001")

    found = world.service.class_list(world.violin_teacher, school_year=YEAR, course_id=VIOLIN)

    assert [pupil.enrollment.person_id for pupil in found.pupils] == ["lea", "tom"]
    assert [pupil.person.first_name for pupil in found.pupils if pupil.person] == ["Léa", "Tom"]


def test_class_list_of_another_teacher_is_forbidden(world: World) -> None:
    with pytest.raises(ActionForbiddenError):
        world.service.class_list(world.piano_teacher, school_year=YEAR, course_id=VIOLIN)
    with pytest.raises(ActionForbiddenError):
        world.service.class_list(world.martin, school_year=YEAR, course_id=VIOLIN)


def test_read_evaluation_by_family_and_teacher(world: World) -> None:
    confirmed_violin_pupils(world)
    post(world, world.violin_teacher, violin_key("lea"))

    by_parent = world.service.read_evaluation(world.martin, key=violin_key("lea"))
    by_teacher = world.service.read_evaluation(world.violin_teacher, key=violin_key("lea"))

    assert by_parent == by_teacher
    assert by_parent.appreciation == "Bon trimestre."


@pytest.mark.parametrize("reader", ["durand", "piano_teacher"])
def test_read_evaluation_by_others_is_not_found(world: World, reader: str) -> None:
    confirmed_violin_pupils(world)
    post(world, world.violin_teacher, violin_key("lea"))

    with pytest.raises(EvaluationNotFoundError):
        world.service.read_evaluation(getattr(world, reader), key=violin_key("lea"))


def test_read_missing_evaluation_is_not_found(world: World) -> None:
    with pytest.raises(EvaluationNotFoundError):
        world.service.read_evaluation(world.martin, key=violin_key("lea", Term.TRIMESTRE_3))
