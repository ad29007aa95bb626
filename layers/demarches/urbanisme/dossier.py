"""The urbanism dossier: one request with its status, numbers and deadline state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from demarches.urbanisme.cerfa import UrbanismeRequest
from demarches.urbanisme.dia_suspension import DiaDeadlineState
from demarches.urbanisme.registration import RegistrationNumber
from demarches.urbanisme.request_type import RequestType
from demarches.urbanisme.workflow import DossierStatus


@dataclass(frozen=True)
class Dossier:
    """One request with its current status. ``version`` grows by one at each stored change."""

    dossier_id: str
    request_type: RequestType
    status: DossierStatus
    applicant_id: str
    """Account id of the filer: the resident or company for a CU, the notary for a DIA."""
    request: UrbanismeRequest
    version: int = 0
    registration_number: RegistrationNumber | None = None
    received_at: datetime | None = None
    """Aware UTC instant of receipt, set at submission; every deadline counts from it."""
    dia_deadline: DiaDeadlineState | None = None
