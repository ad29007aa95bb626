"""Benchmark: memory of the upload check, and the AWS requests and cost of one DIA.

    .venv/bin/python -m tests.bench.urbanisme

Starts the embedded stack in this process on free ports, then:

1. Memory. Builds a PDF of exactly the accepted size limit, a 200-page PDF and a PDF of
   500,000 small objects, and uploads each for a dossier. The real upload-check handler runs
   on the upload's S3 event in a fresh Python process (``--check-upload``), which reports
   its peak resident set size before and after. The handler parses the file in a child
   process of its own (``demarches.adapters.pdf_sandbox_urbanisme``), whose peak is measured
   by running that child on the same file. The sum is compared with the memory size the AWS
   template gives the function.
2. One DIA from filing to signed decision through the HTTP API: a draft, one uploaded piece,
   the submission, a visit request and the visit, the decision and its signature. The
   execution history gives the Step Functions state transitions, retries included. Lambda
   invocations are the API requests, state machine tasks and S3 event deliveries. DynamoDB
   and S3 requests are counted by botocore ``before-call`` hooks on the product's clients,
   plus the browser's upload and download. The AWS cost per 1,000 dossiers is modelled from
   these counts.

Durations come from this machine, not from Lambda, so the compute part of the cost is an
estimate. Request counts do not depend on the machine.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]
CHECK_UPLOAD = "urbanisme_check_upload"
DEFAULT_MEMORY_MB = 512
"""lambda_memory_size of chalice.json, for functions without their own setting."""

# Unit prices in eu-west-3 (Europe, Paris), in US dollars, used on 2026-12-04.
STEP_FUNCTIONS_PER_TRANSITION = 0.0297 / 1_000
"""Standard workflows, per state transition: read from the AWS Step Functions pricing page."""
# NOTE: the prices below were not read from the eu-west-3 price list on this machine, which
# has no network access: they are estimates to check before quoting a cost.
LAMBDA_PER_REQUEST = 0.20 / 1_000_000
LAMBDA_PER_GB_SECOND = 0.0000166667
"""x86, first pricing tier."""
DYNAMODB_PER_WRITE_UNIT = 0.7063 / 1_000_000
DYNAMODB_PER_READ_UNIT = 0.1413 / 1_000_000
"""On-demand request units of the Standard table class."""
S3_PER_WRITE_REQUEST = 0.0053 / 1_000
"""PUT, COPY, POST and LIST requests, S3 Standard."""
S3_PER_READ_REQUEST = 0.00042 / 1_000
"""GET and all other requests, S3 Standard."""

_DYNAMODB_READS = frozenset({"GetItem", "Query", "Scan", "BatchGetItem"})
_S3_WRITES = frozenset({"PutObject", "CopyObject", "ListObjectVersions", "ListObjectsV2"})


# Part 1: memory of the upload check


def limit_pdf(size: int) -> bytes:
    """A sound one-page PDF of exactly ``size`` bytes, grown by a stream of random bytes."""
    import pikepdf

    filler = 0
    for _ in range(4):
        with pikepdf.open(io.BytesIO(pages_pdf(1))) as pdf:
            pdf.Root.PieceInfo = pdf.make_stream(os.urandom(max(filler, 0)))
            output = io.BytesIO()
            pdf.save(output, compress_streams=False)
        data = output.getvalue()
        if len(data) == size:
            return data
        filler += size - len(data)
    raise RuntimeError(f"no PDF of exactly {size} bytes could be built")


def pages_pdf(pages: int) -> bytes:
    from fpdf import FPDF

    document = FPDF()
    document.set_font("helvetica", size=11)
    for number in range(1, pages + 1):
        document.add_page()
        for line in range(40):
            document.cell(text=f"Page {number}, ligne {line}: plan et notice du terrain.")
            document.ln(6)
    return bytes(document.output())


def captured_upload_event(stack: Any, client: Any, data: bytes, name: str) -> dict[str, Any]:
    """Upload ``data`` as a CUa's plan and return its S3 event, without checking it here."""
    from infra.local import lambda_bridge
    from infra.local.provision import function_name
    from infra.resources import STACK_NAME

    target_name = function_name(STACK_NAME, CHECK_UPLOAD)
    handler = lambda_bridge.registered()[target_name]
    events: list[dict[str, Any]] = []
    lambda_bridge.register(target_name, lambda event, context: events.append(event))
    try:
        dossier_id = create_dossier(client, cua_request())
        target = client.post(
            f"/urbanisme/dossiers/{dossier_id}/pieces/plan_situation/upload",
            json={"file_name": name},
        ).json()
        files = {"file": (name, data, "application/pdf")}
        posted = requests.post(target["url"], data=target["fields"], files=files, timeout=120)
        posted.raise_for_status()
        lambda_bridge.wait_idle(timeout=120)
    finally:
        lambda_bridge.register(target_name, handler)
    return events[-1]


def many_objects_pdf(count: int) -> bytes:
    """A small PDF whose parsing takes much memory: ``count`` indirect objects."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pages_pdf(1))) as pdf:
        objects = [pdf.make_indirect(pikepdf.Dictionary(N=i)) for i in range(count)]
        pdf.Root.Filler = pdf.make_indirect(pikepdf.Array(objects))
        output = io.BytesIO()
        pdf.save(output, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return output.getvalue()


def sandbox_peak(data: bytes) -> tuple[int | None, float]:
    """Run the handler's checking child on ``data``; return its peak RSS in KiB and seconds.

    The peak is None when the child ran out of its address space, as the handler's would.
    """
    from demarches import bootstrap

    config = bootstrap.settings()
    limits = [
        str(config.urbanisme_max_upload_bytes),
        str(config.urbanisme_max_pages),
        str(config.urbanisme_pdf_check_memory_mb * 2**20),
    ]
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "demarches.adapters.pdf_sandbox_urbanisme", *limits],
        input=data,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "layers")},
        check=False,
    )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        return None, seconds
    return int(json.loads(completed.stdout)["peak_rss_kb"]), seconds


def check_in_fresh_process(event: dict[str, Any]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(event, file)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "functions"), str(ROOT / "layers"), str(ROOT)]),
    }
    output = subprocess.run(
        [sys.executable, "-m", "tests.bench.urbanisme", "--check-upload", file.name],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    Path(file.name).unlink()
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def run_check_upload(event_path: str) -> None:
    """Child mode: run the real upload-check handler once and print its memory as JSON."""
    from demarches import bootstrap
    from infra.local.lambda_bridge import LambdaContext
    from infra.local.stack import load_app

    app = load_app()
    handler = app.handler_map[CHECK_UPLOAD]
    bootstrap.urbanisme_upload_check()
    import pikepdf  # noqa: F401  (imported by the check; loaded before the baseline)

    event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    baseline = peak_rss_kb()
    started = time.perf_counter()
    result = handler(event, LambdaContext(function_name=CHECK_UPLOAD))
    seconds = time.perf_counter() - started
    peak = peak_rss_kb()
    report = {"baseline_kb": baseline, "peak_kb": peak, "seconds": seconds, "result": result}
    print(json.dumps(report))


def peak_rss_kb() -> int:
    """Return the peak resident set size of this process image, in KiB (Linux).

    ``getrusage`` is not used: its ``ru_maxrss`` survives ``exec``, so a child started from a
    large parent would report the parent's peak.
    """
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM line in /proc/self/status: this measure needs Linux")


def template_memory_mb() -> int:
    from infra.template import FUNCTION_SETTINGS

    settings = FUNCTION_SETTINGS.get("UrbanismeCheckUpload", {})
    return int(settings.get("MemorySize", DEFAULT_MEMORY_MB))


# Part 2: requests of one DIA


@dataclass
class Counts:
    dynamodb: Counter[str] = field(default_factory=Counter)
    s3: Counter[str] = field(default_factory=Counter)
    lambda_seconds: dict[str, list[float]] = field(default_factory=dict)
    api_seconds: list[float] = field(default_factory=list)
    item_writes: Counter[str] = field(default_factory=Counter)
    """Items written per table, a transactional item counting twice as DynamoDB bills it."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record_call(self, service: str, operation: str, params: dict[str, Any]) -> None:
        with self.lock:
            if service == "s3":
                self.s3[operation] += 1
                return
            self.dynamodb[operation] += 1
            if operation == "TransactWriteItems":
                for item in params["TransactItems"]:
                    (request,) = item.values()
                    self.item_writes[request["TableName"]] += 2
            elif operation not in _DYNAMODB_READS:
                self.item_writes[params["TableName"]] += 1

    def record_lambda(self, function: str, seconds: float) -> None:
        with self.lock:
            self.lambda_seconds.setdefault(function, []).append(seconds)


def install_counters(counts: Counts) -> None:
    """Count every DynamoDB and S3 request of the product and time each Lambda invocation."""
    from demarches import bootstrap
    from demarches.adapters import aws
    from infra.local import lambda_bridge

    def before_call(model: Any, params: dict[str, Any], **_: Any) -> None:
        # Fired for each request sent, and not for presigned addresses, which send none.
        service = model.service_model.service_name
        body = params.get("body") or b"{}"
        arguments = json.loads(body) if service == "dynamodb" else {}
        counts.record_call(service, model.name, arguments)

    aws._cached_client.cache_clear()
    bootstrap.clear_caches()
    config = bootstrap.settings()
    for service in ("dynamodb", "s3"):
        events = aws.client(service, config).meta.events
        events.register(f"before-call.{service}", before_call)

    original = lambda_bridge.invoke

    def timed_invoke(function_name: str, event: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(function_name, event)
        finally:
            counts.record_lambda(function_name, time.perf_counter() - started)

    lambda_bridge.invoke = timed_invoke  # type: ignore[assignment]


class TimedClient:
    """HTTP client of the bench: each request is one API Gateway and APIHandler invocation."""

    def __init__(self, base_url: str, token: str, counts: Counts) -> None:
        self._base = base_url
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"Bearer {token}"
        self._counts = counts

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        started = time.perf_counter()
        response = self._session.request(method, self._base + path, timeout=60, **kwargs)
        self._counts.api_seconds.append(time.perf_counter() - started)
        return response

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)


def cua_request() -> dict[str, Any]:
    from tests.unit.urbanisme.payloads import cua_payload

    return cua_payload()


def create_dossier(client: Any, request: dict[str, Any]) -> str:
    response = client.post("/urbanisme/dossiers", json={"request": request})
    if response.status_code != 201:
        raise RuntimeError(f"draft not created: {response.text}")
    return str(response.json()["dossier_id"])


def wait_until(stack: Any, dossier_id: str, check: Callable[[dict[str, Any]], bool]) -> None:
    """Poll the stored dossier with a client of its own, whose requests are not counted."""
    import boto3

    from demarches import bootstrap
    from demarches.adapters.dynamodb_items_urbanisme import plain

    raw = boto3.client("dynamodb", endpoint_url=stack.emulator.endpoint_url)
    table = bootstrap.settings().urbanisme_dossiers_table
    deadline = time.monotonic() + 60
    values: dict[str, Any] = {}
    while time.monotonic() < deadline:
        item = raw.get_item(TableName=table, Key={"dossier_id": {"S": dossier_id}})["Item"]
        values = plain(item)
        if check(values):
            return
        time.sleep(0.1)
    raise RuntimeError(f"dossier {dossier_id} did not reach the expected state: {values}")


@dataclass(frozen=True)
class BrowserRequests:
    """S3 requests the browser sends straight to storage, which no botocore hook counts."""

    writes: int
    reads: int


def file_one_dia(stack: Any, counts: Counts) -> tuple[str, BrowserRequests]:
    """File a DIA and take it to its signed decision; return its id and the browser's S3 calls.

    The bench waits for each step by reading the table directly, so that waiting adds no
    request to the counts: a person would act once the page shows the new state.
    """
    from tests.unit.urbanisme.payloads import dia_payload

    notary = TimedClient(stack.api_url, stack.token("notaire.durand"), counts)
    agent = TimedClient(stack.api_url, stack.token("agent.urbanisme"), counts)
    signatory = TimedClient(stack.api_url, stack.token("elu.signataire"), counts)

    dossier_id = create_dossier(notary, dia_payload())
    target = notary.post(
        f"/urbanisme/dossiers/{dossier_id}/pieces/plan_cadastral/upload",
        json={"file_name": "Plan cadastral.pdf"},
    ).json()
    files = {"file": ("plan.pdf", pages_pdf(2), "application/pdf")}
    requests.post(target["url"], data=target["fields"], files=files, timeout=60).raise_for_status()
    wait_until(stack, dossier_id, lambda d: d["pieces"]["plan_cadastral"]["status"] != "awaited")

    notary.post(f"/urbanisme/dossiers/{dossier_id}/submit").raise_for_status()
    wait_until(stack, dossier_id, lambda d: d.get("awaiting") == "instruction")
    agent.post(
        f"/urbanisme/dossiers/{dossier_id}/instruction",
        json={"action": "request_visit", "message": "Visite du bien."},
    ).raise_for_status()
    wait_until(stack, dossier_id, lambda d: d.get("awaiting") == "visit")
    agent.post(
        f"/urbanisme/dossiers/{dossier_id}/complement", json={"outcome": "visit_held"}
    ).raise_for_status()
    wait_until(stack, dossier_id, lambda d: d.get("awaiting") == "instruction")
    agent.post(
        f"/urbanisme/dossiers/{dossier_id}/instruction",
        json={"action": "draft_decision", "decision": {"kind": "renonciation"}},
    ).raise_for_status()
    wait_until(stack, dossier_id, lambda d: d.get("awaiting") == "signature")
    signatory.post(
        f"/urbanisme/dossiers/{dossier_id}/signature", json={"action": "sign"}
    ).raise_for_status()
    wait_until(stack, dossier_id, lambda d: d["status"] == "closed")

    documents = notary.get(f"/urbanisme/dossiers/{dossier_id}/documents").json()["documents"]
    decision = next(d for d in documents if d["kind"] == "decision")
    requests.get(decision["url"], timeout=60).raise_for_status()
    # The browser posted the plan and downloaded the decision.
    return dossier_id, BrowserRequests(writes=1, reads=1)


def write_units(stack: Any, dossier_id: str, counts: Counts) -> tuple[int, int]:
    """Model the write units of the counted writes, and return them with the dossier's size.

    A write costs one unit per KB of item, rounded up.

    Dossier items carry the whole request, so their size is read from the table at the end.
    The other tables' items (audit entries, counters, directory) stay under 1 KB.
    """
    import boto3

    from demarches import bootstrap

    raw = boto3.client("dynamodb", endpoint_url=stack.emulator.endpoint_url)
    table = bootstrap.settings().urbanisme_dossiers_table
    item = raw.get_item(TableName=table, Key={"dossier_id": {"S": dossier_id}})["Item"]
    size = item_size(item)
    dossier_units = -(-size // 1024)
    units = sum(
        writes * (dossier_units if name == table else 1)
        for name, writes in counts.item_writes.items()
    )
    return units, size


def item_size(value: Any) -> int:
    """Approximate a DynamoDB item's size: the UTF-8 length of its names and values."""
    if isinstance(value, dict):
        return sum(len(str(key).encode()) + item_size(inner) for key, inner in value.items())
    if isinstance(value, list):
        return sum(item_size(inner) for inner in value)
    return len(str(value).encode())


def state_transitions(stack: Any, dossier_id: str) -> tuple[int, int]:
    """Return the state transitions of the dossier's execution, retries included, and the
    Lambda tasks it scheduled."""
    import boto3

    from demarches import bootstrap

    client = boto3.client("stepfunctions", endpoint_url=stack.emulator.endpoint_url)
    arn = bootstrap.settings().urbanisme_state_machine_arn
    execution_arn = arn.replace(":stateMachine:", ":execution:") + f":{dossier_id}"
    events = client.get_execution_history(executionArn=execution_arn, maxResults=1000)["events"]
    types = Counter(event["type"] for event in events)
    entered = sum(count for kind, count in types.items() if kind.endswith("StateEntered"))
    task_attempts = types["TaskScheduled"]
    retries = task_attempts - types["TaskStateEntered"]
    return entered + retries, task_attempts


# Report


def memory_figures(stack: Any) -> list[tuple[str, dict[str, Any]]]:
    from demarches import bootstrap

    client = TimedClient(stack.api_url, stack.token("camille.martin"), Counts())
    limit = bootstrap.settings().urbanisme_max_upload_bytes
    cases = [
        (f"PDF at the size limit ({limit:,} bytes, 1 page)", limit_pdf(limit)),
        ("PDF of 200 pages", pages_pdf(200)),
        ("PDF of 500,000 objects", many_objects_pdf(500_000)),
    ]
    figures = []
    for label, data in cases:
        event = captured_upload_event(stack, client, data, "plan.pdf")
        report = check_in_fresh_process(event)
        report["size"] = len(data)
        report["sandbox_kb"], report["sandbox_seconds"] = sandbox_peak(data)
        figures.append((f"{label}, {len(data):,} bytes", report))
    return figures


def print_report(
    memory: list[tuple[str, dict[str, Any]]],
    counts: Counts,
    transitions: int,
    tasks: int,
    browser: BrowserRequests,
    units: int,
    dossier_size: int,
) -> None:
    from infra.local.provision import function_name
    from infra.resources import STACK_NAME

    memory_mb = template_memory_mb()
    print(
        "Upload check (urbanisme_check_upload), peak resident set size in MiB; template "
        f"MemorySize {memory_mb} MiB:"
    )
    for label, report in memory:
        peak = report["peak_kb"] / 1024
        baseline = report["baseline_kb"] / 1024
        sandbox = report["sandbox_kb"]
        child = "out of its address space" if sandbox is None else f"{sandbox / 1024:.0f}"
        print(
            f"  {label}: handler {peak:.0f} (before the check {baseline:.0f}), checking child "
            f"{child}, {report['seconds']:.2f} s in all, piece {report['result']['status']}"
        )

    check_name = function_name(STACK_NAME, CHECK_UPLOAD)
    event_invocations = len(counts.lambda_seconds.get(check_name, []))
    task_seconds = [
        seconds
        for name, samples in counts.lambda_seconds.items()
        if name != check_name
        for seconds in samples
    ]
    api_requests = len(counts.api_seconds)
    invocations = api_requests + tasks + event_invocations
    dynamodb_reads = sum(n for op, n in counts.dynamodb.items() if op in _DYNAMODB_READS)
    dynamodb_writes = sum(n for op, n in counts.dynamodb.items() if op not in _DYNAMODB_READS)
    s3_writes = sum(n for op, n in counts.s3.items() if op in _S3_WRITES) + browser.writes
    s3_reads = sum(n for op, n in counts.s3.items() if op not in _S3_WRITES) + browser.reads

    gb_seconds = (
        sum(counts.api_seconds) * DEFAULT_MEMORY_MB / 1024
        + sum(task_seconds) * DEFAULT_MEMORY_MB / 1024
        + sum(counts.lambda_seconds.get(check_name, [])) * memory_mb / 1024
    )
    costs = {
        "Step Functions": transitions * STEP_FUNCTIONS_PER_TRANSITION,
        "Lambda requests": invocations * LAMBDA_PER_REQUEST,
        "Lambda duration (estimate)": gb_seconds * LAMBDA_PER_GB_SECOND,
        "DynamoDB": units * DYNAMODB_PER_WRITE_UNIT + dynamodb_reads * DYNAMODB_PER_READ_UNIT,
        "S3 requests": s3_writes * S3_PER_WRITE_REQUEST + s3_reads * S3_PER_READ_REQUEST,
    }

    print("\nOne DIA from draft to signed decision (upload, visit, decision, signature):")
    print(f"  Step Functions state transitions: {transitions}")
    print(
        f"  Lambda invocations: {invocations} ({api_requests} API requests, {tasks} state "
        f"machine tasks, {event_invocations} S3 event)"
    )
    print(
        f"  DynamoDB requests: {dynamodb_reads + dynamodb_writes} ({dynamodb_reads} reads, "
        f"{dynamodb_writes} writes of {sum(counts.item_writes.values())} item units, about "
        f"{units} write request units with a dossier item of {dossier_size:,} bytes): "
        f"{dict(sorted(counts.dynamodb.items()))}"
    )
    print(
        f"  S3 requests: {s3_reads + s3_writes} ({s3_writes} PUT/POST, {s3_reads} GET and "
        f"other, the browser's upload and download included): {dict(sorted(counts.s3.items()))}"
    )
    print(f"  Lambda compute: {gb_seconds:.3f} GB-s on this machine")
    print("\nModelled AWS cost per 1,000 dossiers (eu-west-3 unit prices in the module):")
    for label, cost in costs.items():
        print(f"  {label}: ${cost * 1000:.4f}")
    print(f"  Total: ${sum(costs.values()) * 1000:.4f}")
    print(f"  API handler median latency here: {statistics.median(counts.api_seconds):.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check-upload", metavar="EVENT_JSON", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.check_upload:
        run_check_upload(args.check_upload)
        return

    from infra.local.stack import EmbeddedStack, StackOptions

    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "ERROR")
    with tempfile.TemporaryDirectory() as state_dir:
        options = StackOptions(
            api_port=0, emulator_port=0, state_dir=Path(state_dir), run_scheduler=False
        )
        stack = EmbeddedStack(options).start()
        try:
            memory = memory_figures(stack)
            counts = Counts()
            install_counters(counts)
            dossier_id, browser = file_one_dia(stack, counts)
            transitions, tasks = state_transitions(stack, dossier_id)
            units, dossier_size = write_units(stack, dossier_id, counts)
            print_report(memory, counts, transitions, tasks, browser, units, dossier_size)
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
