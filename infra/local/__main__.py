"""Command line of the embedded stack.

python -m infra.local run            serve the API and pages on 127.0.0.1:8000
python -m infra.local token ID       print a demo ID token (the stack must be running)
python -m infra.local fire NAME      fire a schedule now (the stack must be running)
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from typing import Any


def _post(url: str, body: dict[str, Any]) -> Any:
    import requests

    try:
        response = requests.post(url, json=body, timeout=120)
    except requests.ConnectionError:
        sys.exit(f"cannot reach {url}; start the stack first with: python -m infra.local run")
    if response.status_code != 200:
        sys.exit(f"error {response.status_code}: {response.text}")
    return response.json()


def run(args: argparse.Namespace) -> None:
    from .demo import demo_identities
    from .stack import EmbeddedStack, StackOptions

    stack = EmbeddedStack(StackOptions(api_port=args.port, run_scheduler=not args.no_scheduler))
    stack.start()
    print(f"API and pages:   {stack.api_url}/")
    print(f"API reference:   {stack.api_url}/docs  (OpenAPI: {stack.api_url}/openapi.json)")
    print(f"AWS emulator:    {stack.emulator.endpoint_url}")
    print("Demo identities: " + ", ".join(demo_identities()))
    print("Ready. Ctrl-C stops.", flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        # A timed wait lets the main thread run the SIGTERM handler.
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    stack.stop()
    print("Stopped.", flush=True)
    # Freeing the emulator's in-memory state object by object can take minutes after a long
    # run. The data is discarded anyway, so the process exits without that teardown.
    os._exit(0)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m infra.local",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="start the embedded stack")
    run_parser.add_argument("--port", type=int, default=8000, help="API port (default 8000)")
    run_parser.add_argument("--no-scheduler", action="store_true", help="do not fire schedules")
    token_parser = commands.add_parser("token", help="print a demo ID token")
    token_parser.add_argument("identity", help="demo identity id, e.g. camille.martin")
    fire_parser = commands.add_parser("fire", help="fire a schedule now")
    fire_parser.add_argument("schedule", help="schedule name, e.g. aquadrome_generate_slots")
    for sub in (token_parser, fire_parser):
        sub.add_argument("--api", default="http://127.0.0.1:8000", help="running stack's URL")
    args = parser.parse_args()

    if args.command == "run":
        run(args)
    elif args.command == "token":
        print(_post(f"{args.api}/local/token", {"identity": args.identity})["id_token"])
    else:
        print(json.dumps(_post(f"{args.api}/local/schedules/{args.schedule}", {}), indent=2))


if __name__ == "__main__":
    main()
