"""Everything the urbanism use cases share: ports, configuration and limits."""

from __future__ import annotations

from dataclasses import dataclass

from demarches.clock import Clock
from demarches.territory import Territory
from demarches.urbanisme.documents import ServiceConfig
from demarches.urbanisme.ports import (
    AccountDirectory,
    DocumentStore,
    DossierRepository,
    InstructionWorkflow,
    Notifier,
    RegistrationCounter,
)
from demarches.urbanisme.signature import Signer


@dataclass(frozen=True)
class UploadLimits:
    """Limits of one uploaded PDF, set by configuration."""

    max_bytes: int
    max_pages: int
    expires_in_seconds: int


@dataclass(frozen=True)
class UrbanismeContext:
    repository: DossierRepository
    counter: RegistrationCounter
    documents: DocumentStore
    notifier: Notifier
    signer: Signer
    workflow: InstructionWorkflow
    directory: AccountDirectory
    clock: Clock
    territory: Territory
    service: ServiceConfig
    limits: UploadLimits
