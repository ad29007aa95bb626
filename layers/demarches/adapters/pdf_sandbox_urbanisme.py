"""Runs ``pdf_check.check_pdf`` in a child process with a memory and a time limit.

A PDF within the size limit can still hold millions of small objects. Checked in one process
on the 2-core development machine (pikepdf 10.18), a 9.9 MB file of one million objects took
1.1 GB and 16 s. In a Lambda function that ends in an out-of-memory kill, and the upload is
never marked. The child gets an address-space limit and a timeout instead, and a file that
exceeds either is rejected as too complex.

    python -m demarches.adapters.pdf_sandbox_urbanisme MAX_BYTES MAX_PAGES MEMORY_BYTES < file.pdf

is the child: it limits its own address space (the parent has threads, so no ``preexec_fn``),
checks the file and prints the result as JSON, with its own peak resident set size.

NOTE: run on the embedded stack only. In Lambda the child uses the runtime's interpreter
(``sys.executable``) and the function's ``sys.path``; that start has not been tried on AWS.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from demarches.urbanisme.pdf_check import PdfCheckResult, PdfRejection, check_pdf, rejection


class SandboxedPdfChecker:
    """``check_pdf`` in a child process limited to ``memory_bytes`` of address space."""

    def __init__(self, *, memory_bytes: int, timeout_seconds: float) -> None:
        self._memory_bytes = memory_bytes
        self._timeout = timeout_seconds

    def __call__(self, data: bytes, *, max_bytes: int, max_pages: int) -> PdfCheckResult:
        if len(data) > max_bytes:
            # Nothing to parse: the size alone decides, without a child process.
            return check_pdf(data, max_bytes=max_bytes, max_pages=max_pages)
        limits = (str(max_bytes), str(max_pages), str(self._memory_bytes))
        command = [sys.executable, "-m", __name__, *limits]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        try:
            completed = subprocess.run(
                command,
                input=data,
                capture_output=True,
                timeout=self._timeout,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return rejection(PdfRejection.TOO_COMPLEX, len(data))
        if completed.returncode != 0:
            return rejection(PdfRejection.TOO_COMPLEX, len(data))
        report = json.loads(completed.stdout)
        reason = report["reason"]
        return PdfCheckResult(
            accepted=report["accepted"],
            reason=PdfRejection(reason) if reason else None,
            message=report["message"],
            page_count=report["page_count"],
            size_bytes=report["size_bytes"],
        )


def peak_rss_kb() -> int | None:
    """Return this process's peak resident set size in KiB, where Linux reports it."""
    status = Path("/proc/self/status")
    if not status.exists():
        return None
    for line in status.read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def _main() -> None:
    max_bytes, max_pages, memory_bytes = (int(value) for value in sys.argv[1:4])
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    result = check_pdf(sys.stdin.buffer.read(), max_bytes=max_bytes, max_pages=max_pages)
    print(json.dumps({**asdict(result), "peak_rss_kb": peak_rss_kb()}))


if __name__ == "__main__":
    _main()
