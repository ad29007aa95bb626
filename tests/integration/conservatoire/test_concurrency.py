"""Concurrent HTTP enrollments for the last places of a course never exceed its capacity."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

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


def test_cancellations_racing_new_requests(agent, new_family, reset_course):
    reset_course(COURSE)
    set_capacity(agent, COURSE, CAPACITY)
    early = [new_family() for _ in range(6)]
    placed = [enroll(family, COURSE).json()["enrollment"] for family in early]
    holders = [(f, e) for f, e in zip(early, placed, strict=True) if e["status"] == "requested"]
    latecomers = [new_family() for _ in range(8)]

    def cancel(job):
        family, enrollment = job
        return family.client.delete(f"/conservatoire/enrollments/{enrollment['enrollment_id']}")

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        cancellations = [pool.submit(cancel, job) for job in holders[:2]]
        requests = [pool.submit(enroll, family, COURSE) for family in latecomers]
        statuses = [f.result().status_code for f in [*cancellations, *requests]]

    assert statuses == [200, 200] + [201] * len(latecomers)
    course = roster(agent, COURSE)
    # Every freed place went to the head of the queue: none is left free while requests wait.
    assert course["places_held"] == CAPACITY
    assert len(course["holders"]) == CAPACITY
    assert len(course["waiting"]) == len(early) - CAPACITY - 2 + len(latecomers) + 2 - 2
    offered = [h for h in course["holders"] if h["enrollment"]["status"] == "offered"]
    assert len(offered) == 2
