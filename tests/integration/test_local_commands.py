"""The embedded stack's commands: a demo token and firing a schedule by hand."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT, ApiClient


def run_command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "infra.local", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_token_command_prints_a_working_token(api):
    result = run_command("token", "camille.martin", "--api", api)

    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert ApiClient(api, token).get("/me").status_code == 200


def test_token_command_rejects_unknown_identity(api):
    result = run_command("token", "nobody", "--api", api)

    assert result.returncode != 0
    assert "identity must be one of" in result.stderr


def test_fire_command_runs_the_schedule(api):
    result = run_command("fire", "aquadrome_generate_slots", "--api", api)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["result"] == {"added": 0}


def test_commands_explain_a_stopped_stack():
    result = run_command("token", "camille.martin", "--api", "http://127.0.0.1:9")

    assert result.returncode != 0
    assert "start the stack first" in result.stderr
