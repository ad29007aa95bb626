"""Threaded loopback HTTP server shared by the local fakes."""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

logger = logging.getLogger(__name__)

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


def check_loopback(host: str) -> None:
    if host not in LOOPBACK_HOSTS:
        raise ValueError(f"fake servers listen on loopback only, not on {host!r}")


class FakeHTTPServer(ThreadingHTTPServer):
    """Server whose handlers can reach shared state, and whose slow handlers stop early."""

    daemon_threads = True
    # The default backlog of 5 drops connections when a test fires many requests at once.
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self.stopping = threading.Event()
        self.lock = threading.Lock()


class JsonHandler(BaseHTTPRequestHandler):
    """Request handler with JSON helpers; access lines go to logging at DEBUG level."""

    server: FakeHTTPServer
    protocol_version = "HTTP/1.1"
    service_name: ClassVar[str] = "fake"

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s: " + format, self.service_name, *args)

    def send_json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (a read timeout on the slow persona), so the response is dropped.
            logger.debug("%s: client closed the connection before the response", self.service_name)

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""


class RunningServer:
    """A fake server running on its own thread; ``stop()`` shuts it down and frees the port."""

    def __init__(self, server: FakeHTTPServer, name: str) -> None:
        self.server = server
        self.name = name
        # A short poll interval lets stop() return within about 50 ms instead of 500 ms.
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=name, daemon=True
        )
        self._thread.start()
        logger.info("fake server started", extra={"fake": name, "port": self.port})

    @property
    def host(self) -> str:
        return str(self.server.server_address[0])

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def stop(self) -> None:
        self.server.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)
        logger.info("fake server stopped", extra={"fake": self.name, "port": self.port})
