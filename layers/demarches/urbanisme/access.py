"""Who may read and act on a dossier.

Agents of the urbanism service and signatories read every dossier of the territory. A notary
reads the dossiers of their office, a resident only their own. Any other dossier is reported
as not found, so that ids cannot be probed.
"""

from __future__ import annotations

from demarches.identity import Identity
from demarches.urbanisme.dossier import Dossier
from demarches.urbanisme.errors import DossierNotFoundError, NotaryOfficeRequiredError
from demarches.urbanisme.ports import DossierRepository
from demarches.urbanisme.request_type import RequestType

AGENT_ROLE = "urbanisme_agent"
SIGNATORY_ROLE = "signatory"


def owner_of(identity: Identity) -> str:
    """Return the owner key of what the caller files: their office, else their own account."""
    if identity.office_id:
        return f"office:{identity.office_id}"
    return f"user:{identity.subject}"


def is_staff(identity: Identity) -> bool:
    return AGENT_ROLE in identity.roles or SIGNATORY_ROLE in identity.roles


def require_filer(identity: Identity, request_type: RequestType) -> None:
    """Raise unless the caller may file this type: a DIA needs a notary's office account."""
    if request_type is RequestType.DIA and not identity.office_id:
        raise NotaryOfficeRequiredError(
            "A DIA is filed by the seller's notary: sign in with the account of a notary's office.",
            field="request.type",
        )


def readable_dossier(repository: DossierRepository, identity: Identity, dossier_id: str) -> Dossier:
    """Return the dossier if the caller may read it; raise DossierNotFoundError otherwise."""
    dossier = repository.get(dossier_id)
    if is_staff(identity) or dossier.owner == owner_of(identity):
        return dossier
    raise _not_found(dossier_id)


def owned_dossier(repository: DossierRepository, identity: Identity, dossier_id: str) -> Dossier:
    """Return the dossier if the caller filed it (or their office did); 404 otherwise."""
    dossier = repository.get(dossier_id)
    if dossier.owner != owner_of(identity):
        raise _not_found(dossier_id)
    return dossier


def _not_found(dossier_id: str) -> DossierNotFoundError:
    return DossierNotFoundError(f"No dossier {dossier_id} among yours.", field="dossier_id")
