"""Benchmark: booking throughput through the HTTP API against the emulator's raw rate.

    python -m tests.bench.aquadrome [--bookings 600] [--threads 8]

Starts the product with the README's run command, in a subprocess on free ports. Then books
in alternating rounds through the HTTP API and by sending the same conditional transaction
straight to the emulator with boto3, so both paths meet tables of the same size. Prints confirmed
bookings per second for each path and their ratio, then the cold import time of the Lambda
entry module divided by that of boto3 alone, each in a fresh interpreter.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import requests

ROOT = Path(__file__).resolve().parents[2]
TIMETABLE = Path(__file__).with_name("data") / "timetable-bench.json"
HOUSEHOLD = "foyer-martin"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_product(port: int, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start the product and return it with its emulator's URL once it prints ``Ready.``."""
    env = {**os.environ, "DEMARCHES_AQUADROME_TIMETABLE": str(TIMETABLE)}
    command = [sys.executable, "-m", "infra.local", "run", "--port", str(port), "--no-scheduler"]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        text = log.read_text(errors="replace")
        match = re.search(r"AWS emulator:\s+(\S+)", text)
        if match and "Ready." in text:
            return process, match.group(1)
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the product did not start; see {log}")


def add_persons(dynamodb: Any, table: str, count: int) -> list[str]:
    persons = [f"p-bench-{i:05d}" for i in range(count)]
    for person_id in persons:
        dynamodb.put_item(
            TableName=table,
            Item={
                "household_id": {"S": HOUSEHOLD},
                "sk": {"S": f"PERSON#{person_id}"},
                "person_id": {"S": person_id},
                "first_name": {"S": "Nageur"},
                "last_name": {"S": "Mesure"},
                "birth_date": {"S": "2000-01-01"},
                "role": {"S": "adult"},
            },
        )
    return persons


def run_parallel(jobs: list[Any], work: Any, threads: int) -> tuple[int, float]:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        confirmed = sum(pool.map(work, jobs))
    return confirmed, time.perf_counter() - started


def import_seconds(statement: str, repeats: int = 7) -> float:
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "functions"), str(ROOT / "layers")]),
    }
    samples = [
        float(subprocess.check_output([sys.executable, "-c", code], env=env, cwd=ROOT, text=True))
        for _ in range(repeats)
    ]
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=600, help="bookings per path")
    parser.add_argument("--threads", type=int, default=8, help="concurrent clients")
    parser.add_argument("--rounds", type=int, default=6, help="alternations of the two paths")
    args = parser.parse_args()

    from demarches.adapters.dynamodb_aquadrome import DynamoDBBookingStore
    from demarches.aquadrome.ports import BookingRequest

    port = free_port()
    log = ROOT / "build" / "bench-aquadrome.log"
    log.parent.mkdir(exist_ok=True)
    process, emulator = start_product(port, log)
    api = f"http://127.0.0.1:{port}"
    try:
        dynamodb = boto3.client(
            "dynamodb",
            endpoint_url=emulator,
            region_name="eu-west-3",
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )
        store = DynamoDBBookingStore(
            dynamodb,
            slots_table="demarches-aquadrome-slots",
            bookings_table="demarches-aquadrome-bookings",
            quotas_table="demarches-aquadrome-quotas",
            households_table="demarches-households",
        )
        persons = add_persons(dynamodb, "demarches-households", 2 * args.bookings)
        token = requests.post(f"{api}/local/token", json={"identity": "camille.martin"}, timeout=10)
        session = requests.Session()
        session.headers["Authorization"] = "Bearer " + token.json()["id_token"]

        tomorrow = date.today() + timedelta(days=1)
        slots = session.get(f"{api}/aquadrome/slots", params={"day": tomorrow.isoformat()})
        assert slots.status_code == 200, slots.text
        http_slot, raw_slot = slots.json()["slots"][-2:]

        def http_book(person: str) -> int:
            body = {"slot_id": http_slot["slot_id"], "person_ids": [person]}
            response = session.post(f"{api}/aquadrome/bookings", json=body, timeout=30)
            return int(response.status_code == 201)

        raw_start = datetime.fromisoformat(raw_slot["starts_at"].replace("Z", "+00:00"))

        def raw_book(person: str) -> int:
            request = BookingRequest(
                booking_id=f"raw-{person}",
                household_id=HOUSEHOLD,
                slot_day=tomorrow,
                slot_start=raw_slot["start"],
                person_ids=(person,),
                starts_at=raw_start,
                ends_at=raw_start + timedelta(minutes=30),
                cancel_until=raw_start - timedelta(hours=1),
                request_hash="bench",
                weekly_quota=100000,
                now=datetime.now(UTC),
            )
            _, items = store.booking_transaction(request)
            dynamodb.transact_write_items(TransactItems=items)
            return 1

        per_round = args.bookings // args.rounds
        http_people, raw_people = persons[: args.bookings], persons[args.bookings :]
        totals = {"http": [0, 0.0], "raw": [0, 0.0]}
        for index in range(args.rounds):
            chunk = slice(index * per_round, (index + 1) * per_round)
            for name, work, people in (
                ("raw", raw_book, raw_people),
                ("http", http_book, http_people),
            ):
                confirmed, seconds = run_parallel(people[chunk], work, args.threads)
                totals[name][0] += confirmed
                totals[name][1] += seconds
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            print(f"the product did not stop within 60 s; pid {process.pid} left running")

    raw_rate = totals["raw"][0] / totals["raw"][1]
    http_rate = totals["http"][0] / totals["http"][1]
    entry = import_seconds("import app")
    boto = import_seconds("import boto3")
    print(f"bookings per path: {args.bookings}, threads: {args.threads}, rounds: {args.rounds}")
    print(f"raw conditional transactions (boto3 to emulator): {raw_rate:.1f} confirmed/s")
    print(f"HTTP API bookings:                                {http_rate:.1f} confirmed/s")
    print(f"(a) HTTP / raw throughput ratio:                  {http_rate / raw_rate:.2f}")
    print(f"cold import of the Lambda entry module app:       {entry * 1000:.1f} ms")
    print(f"cold import of boto3 alone:                       {boto * 1000:.1f} ms")
    print(f"(b) entry module / boto3 import ratio:            {entry / boto:.2f}")


if __name__ == "__main__":
    main()
