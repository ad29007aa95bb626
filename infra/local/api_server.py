"""The local API Gateway: Chalice's local gateway plus the routes only the embedded stack has.

Local-only routes live here and never in the Chalice app, so the AWS template cannot expose
them: ``/local/...`` (demo identities and tokens, firing a schedule), ``/docs`` (Swagger UI
of ``/openapi.json``) and the web pages under ``/`` when a web folder is given.
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable
from http.server import HTTPServer
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any

from chalice.config import Config
from chalice.local import ChaliceRequestHandler, CustomLocalChalice, LocalChalice, LocalDevServer

LocalRoute = Callable[[str, dict[str, Any]], tuple[int, Any]]

_DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Démarches API</title>
<link rel="stylesheet" href="/docs/static/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/docs/static/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({url: "/openapi.json", dom_id: "#ui"});</script>
</body></html>
"""


ROUTE_NOT_FOUND = json.dumps(
    {"code": "route_not_found", "message": "no API route has this path and method"}
).encode()


class LocalServer(ThreadingMixIn, HTTPServer):
    daemon_threads = True
    # A cold burst of clients (an opening-minute rush) would overflow the default backlog of 5.
    request_queue_size = 128
    allow_reuse_address = True
    # Browsers keep connections open; closing the server must not wait for them.
    block_on_close = False


def make_handler(
    local_routes: dict[tuple[str, str], LocalRoute], web_dir: Path | None
) -> type[ChaliceRequestHandler]:
    from swagger_ui_bundle import swagger_ui_path

    swagger_dir = Path(swagger_ui_path)

    class Handler(ChaliceRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body leave in two writes; with Nagle's algorithm and the client's
        # delayed ACK the body would wait about 40 ms.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _dispatch(self) -> None:
            path = self.path.split("?", 1)[0]
            route = local_routes.get((self.command, path))
            if route is None and path.startswith("/local/"):
                prefix = path.rsplit("/", 1)[0] + "/*"
                route = local_routes.get((self.command, prefix))
            if route is not None:
                self._local(route, path)
            elif path == "/docs" and self.command == "GET":
                self._send(200, _DOCS_PAGE.encode(), "text/html; charset=utf-8")
            elif path.startswith("/docs/static/") and self.command == "GET":
                self._file(swagger_dir, path.removeprefix("/docs/static/"))
            elif web_dir is not None and self.command == "GET" and self._is_page(path):
                self._file(web_dir, path.lstrip("/") or "index.html")
            else:
                self._generic_handle()

        do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = _dispatch  # noqa: N815

        def _unsupported(self) -> None:
            # API Gateway returns a client error for methods it does not route, never a 5xx.
            body = b'{"code": "method_not_allowed", "message": "method not allowed"}'
            self._send(405, body)

        def _send_error_response(self, error: Any) -> None:
            # API Gateway returns 403 "Missing Authentication Token" for an unknown route;
            # the template's gateway response turns it into this 404, and so does this server.
            if error.CODE == 403:
                self._send(404, ROUTE_NOT_FOUND)
                return
            super()._send_error_response(error)

        def __getattr__(self, name: str) -> Any:
            # http.server returns 501 for a method without a do_ handler (TRACE, QUERY...).
            if name.startswith("do_"):
                return self._unsupported
            raise AttributeError(name)

        @staticmethod
        def _is_page(path: str) -> bool:
            if path == "/" or path.startswith("/web/") or path.endswith(".html"):
                return True
            # Scripts, styles and images are served only when the file exists, so an API path
            # that ends like a file name (a document's name) still reaches the API.
            assert web_dir is not None
            try:
                target = (web_dir / path.lstrip("/")).resolve()
                return target.is_relative_to(web_dir.resolve()) and target.is_file()
            except (OSError, ValueError):
                # A name too long for the file system, or with a NUL byte, names no file.
                return False

        def _local(self, route: LocalRoute, path: str) -> None:
            length = int(self.headers.get("content-length", "0"))
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
                body = None
            if not isinstance(body, dict):
                message = b'{"code": "malformed_json", "message": "the body must be a JSON object"}'
                self._send(400, message)
                return
            status, result = route(path, body)
            self._send(status, json.dumps(result).encode())

        def _file(self, folder: Path, relative: str) -> None:
            try:
                target = (folder / relative).resolve()
                found = target.is_relative_to(folder.resolve()) and target.is_file()
            except (OSError, ValueError):
                # A name too long for the file system, or with a NUL byte, names no file.
                found = False
            if not found:
                self._send(404, b'{"code": "not_found", "message": "no such file"}')
                return
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind == "application/javascript":
                kind += "; charset=utf-8"
            self._send(200, target.read_bytes(), kind)

        def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def create_api_server(
    app: Any,
    host: str,
    port: int,
    local_routes: dict[tuple[str, str], LocalRoute],
    web_dir: Path | None = None,
) -> LocalDevServer:
    """Serve the Chalice app like ``chalice local``, with per-thread ``current_request``."""
    if not isinstance(app, LocalChalice):
        CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
        app.__class__ = CustomLocalChalice
    config = Config.create(chalice_stage="local", app_name=app.app_name, lambda_timeout=60)
    return LocalDevServer(
        app,
        config,
        host,
        port,
        handler_cls=make_handler(local_routes, web_dir),
        server_cls=LocalServer,
    )
