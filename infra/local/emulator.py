"""The in-process AWS emulator: moto's server on 127.0.0.1, made safe for concurrent clients.

moto 5.2.5 is not thread-safe: ``TransactWriteItems`` deep-copies tables without a lock and
rolls a whole table back when a transaction is cancelled, so two concurrent requests can lose
a committed write or fail with "dictionary changed size during iteration". Every request
therefore runs under one lock, except Lambda invocations: those run the project's handlers,
which call the emulator again and would otherwise wait on the lock they hold.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable
from typing import Any

import requests
from werkzeug.serving import BaseWSGIServer, make_server

from . import emulator_speedups, lambda_bridge

_UNLOCKED_PATH = re.compile(r"^/2015-03-31/functions/[^/]+/invocations")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class SerializedApp:
    """WSGI middleware that runs one emulator request at a time."""

    def __init__(self, app: WSGIApp) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if _UNLOCKED_PATH.match(environ.get("PATH_INFO", "")):
            return self._app(environ, start_response)
        with self._lock:
            # The body is materialized under the lock, since moto may build it lazily.
            return list(self._app(environ, start_response))


class Emulator:
    """moto server on 127.0.0.1 with Step Functions execution and in-process Lambda."""

    def __init__(self, port: int = 0) -> None:
        self._requested_port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self._server is not None, "start the emulator first"
        return int(self._server.server_address[1])

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Emulator:
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )

        class QuietHandler(MotoRequestHandler):
            # Headers and body leave in two writes: without TCP_NODELAY the body waits for
            # the client's delayed ACK.
            disable_nagle_algorithm = True

            def log_request(self, *args: Any) -> None:
                return

        lambda_bridge.install()
        emulator_speedups.install()
        app = SerializedApp(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(
            "127.0.0.1", self._requested_port, app, threaded=True, request_handler=QuietHandler
        )
        # Pooled keep-alive connections would make server_close wait for their threads.
        self._server.block_on_close = False  # type: ignore[attr-defined]
        # moto's Step Functions executor calls back to localhost:MOTO_PORT.
        os.environ["MOTO_PORT"] = str(self.port)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="aws-emulator", daemon=True
        )
        self._thread.start()
        response = requests.post(
            f"{self.endpoint_url}/moto-api/config",
            json={"stepfunctions": {"execute_state_machine": True}},
            timeout=10,
        )
        response.raise_for_status()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        lambda_bridge.shutdown()
