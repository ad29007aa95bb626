"""Concurrent HTTP enrollments for the last places of a course never exceed its capacity."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from tests.integration.conservatoire.conftest import YEAR, enroll, roster, set_capacity

COURSE = "cons-guitare-c2"
CAPACITY = 3
FAMILIES = 24
THREADS = 16


def test_last_places_under_concurrency(agent, new_family, reset_course):
    reset_course(COURSE)
    set_capacity(agent, COURSE, CAPACITY)
    assert enroll(new_family(), COURSE).status_code == 201
    families = [new_family() for _ in range(FAMILIES)]

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        responses = list(pool.map(lambda family: enroll(family, COURSE), families))

    assert Counter(r.status_code for r in responses) == {201: FAMILIES}
    statuses = Counter(r.json()["enrollment"]["status"] for r in responses)
    assert statuses == {"requested": CAPACITY - 1, "waiting": FAMILIES - CAPACITY + 1}

    course = roster(agent, COURSE)
    assert course["places_held"] == CAPACITY
    assert len(course["holders"]) == CAPACITY
    for holder in course["holders"]:
        enrollment_id = holder["enrollment"]["enrollment_id"]
        confirmed = agent.post(f"/conservatoire/enrollments/{enrollment_id}/confirm")
        assert confirmed.status_code == 200, confirmed.text
    confirmed_count = sum(
        1 for h in roster(agent, COURSE)["holders"] if h["enrollment"]["status"] == "confirmed"
    )
    assert confirmed_count == CAPACITY
    waiting = course["waiting"]
    assert [entry["enrollment"]["rank"] for entry in waiting] == list(range(1, len(waiting) + 1))
    assert len(waiting) == FAMILIES - CAPACITY + 1

    # Ranks returned at placement depend on thread order; each family reads its final rank.
    final_ranks = []
    for family, response in zip(families, responses, strict=True):
        enrollment_id = response.json()["enrollment"]["enrollment_id"]
        current = family.client.get(f"/conservatoire/enrollments/{enrollment_id}").json()
        if current["status"] == "waiting":
            final_ranks.append(current["rank"])
    assert sorted(final_ranks) == list(range(1, FAMILIES - CAPACITY + 2))
    catalogue = agent.get(f"/conservatoire/{YEAR}/catalogue").json()
    guitar = next(c for c in catalogue["schools"][0]["courses"] if c["course_id"] == COURSE)
    assert guitar["places_left"] == 0
    assert guitar["waiting_list_length"] == FAMILIES - CAPACITY + 1


def test_cancellations_racing_new_requests(agent, new_family, reset_course, clock):
    reset_course(COURSE)
    set_capacity(agent, COURSE, CAPACITY)
    early = [new_family() for _ in range(CAPACITY + 3)]
    placed = [enroll(family, COURSE).json()["enrollment"] for family in early]
    holders = [(f, e) for f, e in zip(early, placed, strict=True) if e["status"] == "requested"]
    queued_ids = {e["enrollment_id"] for e in placed if e["status"] == "waiting"}
    latecomers = [new_family() for _ in range(8)]
    clock.instant += timedelta(minutes=1)

    def cancel(job):
        family, enrollment = job
        return family.client.delete(f"/conservatoire/enrollments/{enrollment['enrollment_id']}")

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        cancellations = [pool.submit(cancel, job) for job in holders[:2]]
        requests = [pool.submit(enroll, family, COURSE) for family in latecomers]
        cancelled = [future.result() for future in cancellations]
        requested = [future.result() for future in requests]

    assert [r.status_code for r in cancelled] == [200, 200]
    assert [r.status_code for r in requested] == [201] * len(latecomers)
    # Each cancellation offers its place to the queue's head in the same transaction, so the
    # course never has a free place for a latecomer to take.
    assert {r.json()["enrollment"]["status"] for r in requested} == {"waiting"}
    course = roster(agent, COURSE)
    assert course["places_held"] == CAPACITY
    assert len(course["holders"]) == CAPACITY
    assert len(course["waiting"]) == len(queued_ids) - 2 + len(latecomers)
    offered = [h["enrollment"] for h in course["holders"] if h["enrollment"]["status"] == "offered"]
    assert len(offered) == 2
    assert {e["enrollment_id"] for e in offered} <= queued_ids
