"""The embedded stack: emulator, resources, demo data, API server and clock in one process."""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aws_lambda_powertools import Logger

from .emulator import Emulator
from .idp import LocalIssuer

logger = Logger(service="embedded-stack")

ROOT = Path(__file__).resolve().parents[2]
AUDIENCE = "demarches-local"
PAYFIP_CLIENT_NUMBER = "000001"


@dataclass
class StackOptions:
    api_port: int = 8000
    emulator_port: int = 0
    state_dir: Path = field(default_factory=lambda: ROOT / ".local")
    host: str = "127.0.0.1"
    run_scheduler: bool = True
    seed: bool = True
    web_dir: Path | None = field(default_factory=lambda: ROOT / "web")


def _prepare_environment(endpoint_url: str, issuer: LocalIssuer) -> None:
    # boto3 needs credentials to sign requests; the emulator accepts any.
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    os.environ["AWS_DEFAULT_REGION"] = "eu-west-3"
    os.environ["DEMARCHES_AWS_REGION"] = "eu-west-3"
    os.environ["DEMARCHES_AWS_ENDPOINT_URL"] = endpoint_url
    os.environ["DEMARCHES_JWT_ISSUER"] = issuer.issuer
    os.environ["DEMARCHES_JWT_AUDIENCE"] = issuer.audience
    os.environ["DEMARCHES_JWKS_PATH"] = str(issuer.jwks_path)
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")


def load_app() -> Any:
    """Import the Lambda entry module the way Lambda does: ``functions/`` on the path."""
    functions = str(ROOT / "functions")
    if functions not in sys.path:
        sys.path.insert(0, functions)
    import app as entry

    return entry.app


class EmbeddedStack:
    def __init__(self, options: StackOptions | None = None) -> None:
        self.options = options or StackOptions()
        self.emulator = Emulator(self.options.emulator_port)
        self.issuer: LocalIssuer | None = None
        self.environment: dict[str, str] = {}
        self.app: Any = None
        self._server: Any = None
        self._server_thread: threading.Thread | None = None
        self.scheduler: Any = None
        self.outside_services: list[Any] = []

    @property
    def api_url(self) -> str:
        return f"http://{self.options.host}:{self.api_port}"

    @property
    def api_port(self) -> int:
        return int(self._server.server.server_address[1])

    def start(self) -> EmbeddedStack:
        import boto3

        from demarches import bootstrap
        from demarches.settings import get_settings
        from infra import resources

        from . import demo, local_routes, provision, urbanisme_demo
        from .api_server import create_api_server
        from .scheduler import Scheduler

        self.emulator.start()
        self._local_routes: dict[Any, Any] = {}
        self._server = create_api_server(
            load_app(),
            self.options.host,
            self.options.api_port,
            self._local_routes,
            self.options.web_dir,
        )
        self.issuer = LocalIssuer(
            self.options.state_dir / "idp", f"{self.api_url}/local/idp", AUDIENCE
        )
        _prepare_environment(self.emulator.endpoint_url, self.issuer)
        urbanisme_demo.prepare_environment(self.options.state_dir)
        self.app = load_app()
        session = boto3.session.Session()
        self.environment = provision.provision(
            session,
            self.emulator.endpoint_url,
            self.app,
            resources.STACK_NAME,
            get_settings().mail_sender,
        )
        os.environ.update(self.environment)
        self._start_outside_services()
        get_settings.cache_clear()
        bootstrap.clear_caches()
        urbanisme_demo.start(seed=self.options.seed)

        self.scheduler = Scheduler(
            session.client("events", endpoint_url=self.emulator.endpoint_url),
            session.client("lambda", endpoint_url=self.emulator.endpoint_url),
        )
        if self.options.seed:
            directory = bootstrap.household_directory()
            for household in demo.demo_households():
                directory.save(household)
            result = self.scheduler.fire_by_name("aquadrome_generate_slots")
            if not isinstance(result, dict) or "added" not in result:
                self.stop()
                raise RuntimeError(f"the first slot generation failed: {result}")
        self._local_routes.update(local_routes.build(self))
        self._server_thread = threading.Thread(
            target=self._server.server.serve_forever, name="api", daemon=True
        )
        self._server_thread.start()
        if self.options.run_scheduler:
            self.scheduler.start()
        return self

    def _start_outside_services(self) -> None:
        """Start the stand-ins of API Particulier, API Impôt particulier and PayFiP on free
        loopback ports, and point the periscolaire settings and PayFiP adapter at them."""
        from demarches import bootstrap

        from .fakes import api_particulier, payfip

        particulier = api_particulier.start(0, host="127.0.0.1")
        self.outside_services.append(particulier)
        notification_url = f"{self.api_url}/famille/payments/notifications"
        payments = payfip.start(
            0, host="127.0.0.1", client_number=PAYFIP_CLIENT_NUMBER, callback_url=notification_url
        )
        self.outside_services.append(payments)
        personas = api_particulier.load_personas()
        os.environ.update(
            {
                "FAMILLE_API_PARTICULIER__BASE_URL": particulier.base_url,
                "FAMILLE_API_PARTICULIER__API_KEY": personas["api_key"],
                "FAMILLE_IMPOT_PARTICULIER__BASE_URL": particulier.base_url,
                "FAMILLE_IMPOT_PARTICULIER__ACCESS_TOKEN": personas["dgfip_access_token"],
                "FAMILLE_PAYFIP__BASE_URL": payments.base_url,
                "FAMILLE_PAYFIP__CLIENT_NUMBER": PAYFIP_CLIENT_NUMBER,
                "FAMILLE_PAYFIP__NOTIFICATION_URL": notification_url,
            }
        )
        bootstrap.use_payfip_gateway(
            payfip.LocalPayfipGateway(
                base_url=payments.base_url,
                client_number=PAYFIP_CLIENT_NUMBER,
                notification_url=notification_url,
            )
        )

    def token(self, identity_id: str, lifetime_seconds: int = 8 * 3600) -> str:
        from .demo import demo_identities

        assert self.issuer is not None, "start the stack first"
        identity = demo_identities()[identity_id]
        return self.issuer.issue(
            identity["id"],
            name=identity["name"],
            email=identity["email"],
            household_id=identity.get("household_id"),
            office_id=identity.get("office_id"),
            roles=tuple(identity.get("roles", ())),
            teacher_id=identity.get("teacher_id"),
            lifetime_seconds=lifetime_seconds,
        )

    def stop(self) -> None:
        if self.scheduler is not None:
            self.scheduler.stop()
        if self._server is not None:
            self._server.server.shutdown()
            self._server.server.server_close()
        self.emulator.stop()
        for service in self.outside_services:
            service.stop()
        self.outside_services.clear()
