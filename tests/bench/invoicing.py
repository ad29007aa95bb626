"""Benchmark: the monthly periscolaire invoice run against one query per household.

    .venv/bin/python -m tests.bench.invoicing [--households 2000] [--pdf-sample 50]

Starts the embedded stack in this process, stores N households with two children each, a
validated registration, a quotient for one household in two, and every session of January
2027 booked for both children (three activities on each school day). Then it times, in this
order: reading each household's month with one Query, the scheduled invoice run, the same
reads again, and a second run, which must issue nothing. DynamoDB requests are counted with a
botocore ``before-call`` hook on the client the handlers share. The PDFs of a sample of
invoices are rendered last, since the run leaves them to their own schedule.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from demarches.adapters.dynamodb_famille_records import registration_to_json, status_key
from demarches.adapters.dynamodb_famille_reservations import partition_key, session_key
from demarches.clock import FixedClock, iso_utc
from demarches.famille.registration import (
    Child,
    Consent,
    ConsentKind,
    Guardian,
    Registration,
    RegistrationStatus,
)
from demarches.famille.school_year import Month, SchoolYear

MONTH = Month(2027, 1)
YEAR = SchoolYear(2026)
SCHOOLS = ("ecole-jacques-prevert", "ecole-du-centre-thierville", "ecole-louise-michel")
ACTIVITIES = ("garderie_matin", "cantine", "garderie_soir")
BATCH = 25


def household_id(index: int) -> str:
    return f"foyer-bench-{index:05d}"


def registration(index: int) -> Registration:
    household = household_id(index)
    school = SCHOOLS[index % len(SCHOOLS)]
    children = tuple(
        Child(f"{household}-e{n}", f"Enfant{n}", "Mesure", date(2017 + n, 1, 1), school, "CE1")
        for n in range(2)
    )
    signed = datetime(2026, 9, 1, tzinfo=UTC)
    return Registration(
        registration_id=f"bench-{index}",
        household_id=household,
        school_year=YEAR,
        guardians=(Guardian(f"{household}-p", "Parent", "Mesure", "bench@example.fr", ""),),
        children=children,
        consents=(Consent(ConsentKind.RULES, True, signed),),
        status=RegistrationStatus.VALIDATED,
    )


def seed_items(households: int, school_days: list[date]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (table setting, item) for every stored record of the benchmark."""
    for index in range(households):
        stored = registration(index)
        household = stored.household_id
        yield (
            "registrations",
            {
                "household_id": {"S": household},
                "school_year": {"S": YEAR.label},
                "registration": {"S": registration_to_json(stored)},
                "version": {"N": "1"},
                "status": {"S": "validated"},
                "status_key": {"S": status_key(YEAR, RegistrationStatus.VALIDATED)},
            },
        )
        if index % 2 == 0:
            yield (
                "quotients",
                {
                    "household_id": {"S": household},
                    "school_year": {"S": YEAR.label},
                    "quotient_familial": {"N": str(300 + index % 900)},
                    "bracket": {"S": "T2"},
                    "source": {"S": "caf"},
                    "obtained_at": {"S": "2026-09-15"},
                },
            )
        for child in stored.children:
            for day in school_days:
                for activity in ACTIVITIES:
                    yield ("reservations", reservation_item(household, child, day, activity))


def reservation_item(household: str, child: Child, day: date, activity: str) -> dict[str, Any]:
    return {
        "pk": {"S": partition_key(household, MONTH)},
        "sk": {"S": f"{day.isoformat()}#{child.child_id}#{activity}"},
        "household_id": {"S": household},
        "child_id": {"S": child.child_id},
        "day": {"S": day.isoformat()},
        "activity": {"S": activity},
        "school_id": {"S": child.school_id},
        "status": {"S": "booked"},
        "booked_at": {"S": iso_utc(datetime(2026, 12, 1, tzinfo=UTC))},
        "session_key": {"S": session_key(child.school_id, day, activity)},
        "first_name": {"S": child.first_name},
        "last_name": {"S": child.last_name},
        "pai": {"BOOL": False},
    }


def seed(client: Any, tables: dict[str, str], households: int, school_days: list[date]) -> int:
    pending: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
    written = 0

    def flush(name: str) -> None:
        request: dict[str, Any] = {
            tables[name]: [{"PutRequest": {"Item": item}} for item in pending[name]]
        }
        while request:
            request = client.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}
        pending[name].clear()

    for name, item in seed_items(households, school_days):
        pending[name].append(item)
        written += 1
        if len(pending[name]) == BATCH:
            flush(name)
    for name, items in pending.items():
        if items:
            flush(name)
    return written


@contextmanager
def counting(client: Any) -> Iterator[Counter[str]]:
    """Count the DynamoDB requests sent through ``client`` while the block runs."""
    counts: Counter[str] = Counter()

    def count(model: Any, **kwargs: Any) -> None:
        counts[model.name] += 1

    client.meta.events.register("before-call.dynamodb", count)
    try:
        yield counts
    finally:
        client.meta.events.unregister("before-call.dynamodb", count)


def timed(work: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def read_months(client: Any, table: str, households: int) -> int:
    """Read every household's month with one paginated Query each; return the item count."""
    items = 0
    for index in range(households):
        paginator = client.get_paginator("query")
        for page in paginator.paginate(
            TableName=table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": partition_key(household_id(index), MONTH)}},
            ConsistentRead=True,
        ):
            items += len(page["Items"])
    return items


def fire_invoice_run() -> Any:
    """Run the scheduled handler in this process, as the Lambda bridge does for the emulator.

    The emulator's Invoke API is not used here: its client gives up after 60 s, which a run
    over thousands of households exceeds on the emulator.
    """
    from infra import resources
    from infra.local import lambda_bridge, provision

    name = provision.function_name(resources.STACK_NAME, "famille_issue_invoices")
    event = {
        "version": "0",
        "id": "bench",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": provision.ACCOUNT_ID,
        "time": "2027-02-01T05:00:00Z",
        "region": provision.REGION,
        "resources": [],
        "detail": {},
    }
    return lambda_bridge.invoke(name, event)


def per_household(counts: Counter[str], households: int) -> str:
    total = sum(counts.values())
    detail = ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
    return f"{total / households:.2f} ({detail})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=2000, help="households to invoice")
    parser.add_argument(
        "--pdf-sample", type=int, default=50, help="invoice PDFs rendered after the runs"
    )
    args = parser.parse_args()

    from demarches import bootstrap
    from demarches.adapters.aws import client as aws_client
    from demarches.famille.calendar import SchoolCalendar
    from infra.local.stack import EmbeddedStack, StackOptions

    stack = EmbeddedStack(
        StackOptions(
            api_port=0,
            state_dir=Path(tempfile.mkdtemp(prefix="bench-invoicing-")),
            run_scheduler=False,
            seed=False,
            web_dir=None,
        )
    ).start()
    try:
        config = bootstrap.settings()
        dynamodb = aws_client("dynamodb", config)
        tables = {
            "registrations": config.famille_registrations_table,
            "quotients": config.quotients_table,
            "reservations": config.famille_reservations_table,
        }
        calendar = SchoolCalendar(bootstrap.famille_settings().calendar)
        school_days = calendar.school_days(MONTH.first_day, MONTH.last_day)
        written, seconds = timed(lambda: seed(dynamodb, tables, args.households, school_days))
        per_month = 2 * len(school_days) * len(ACTIVITIES)
        print(f"households: {args.households}, reservations per household: {per_month}")
        print(f"seeded {written} items in {seconds:.1f} s")

        bootstrap.use_clock(FixedClock(datetime(2027, 2, 1, 6, 0, tzinfo=UTC)))
        reservations = tables["reservations"]
        with counting(dynamodb) as read_counts:
            items, read_before = timed(lambda: read_months(dynamodb, reservations, args.households))
        assert items == args.households * per_month, items

        with counting(dynamodb) as run_counts:
            summary, run_seconds = timed(fire_invoice_run)
        _, read_after = timed(lambda: read_months(dynamodb, reservations, args.households))
        with counting(dynamodb) as rerun_counts:
            again, rerun_seconds = timed(fire_invoice_run)
        assert summary["issued"] == args.households, summary
        assert again["issued"] == 0, again

        # The emulator's query time varies by about 20 % from pass to pass: the ratio uses the
        # mean of a pass before and a pass after the run.
        read_seconds = (read_before + read_after) / 2
        print(
            f"one query per household: {read_before:.1f} s before the run, {read_after:.1f} s after"
        )
        print(f"  requests per household: {per_household(read_counts, args.households)}")
        print(f"invoice run: {run_seconds:.1f} s, {summary}")
        print(f"  requests per household: {per_household(run_counts, args.households)}")
        print(f"  run time / query time: {run_seconds / read_seconds:.2f}")
        print(f"second run: {rerun_seconds:.1f} s, {again}")
        print(f"  requests per household: {per_household(rerun_counts, args.households)}")

        billing = bootstrap.famille_billing()
        with counting(dynamodb) as pdf_counts:
            rendered, pdf_seconds = timed(lambda: billing.render_pending_pdfs(args.pdf_sample))
        print(
            f"invoice PDFs: {rendered} rendered and stored in {pdf_seconds:.1f} s, "
            f"{pdf_seconds / max(rendered, 1):.3f} s each; requests per invoice: "
            f"{per_household(pdf_counts, max(rendered, 1))}"
        )
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
