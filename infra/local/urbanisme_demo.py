"""Urbanism accounts and signing keys of the embedded stack.

Notaries' offices and signatories come from ``demo-data.json``: each office's SIRET is checked
with python-stdnum when it is loaded, and each identity with the ``signatory`` role needs its
``capacity``. The local CA that signs decisions lives under the stack's state folder and is
created at the first start.
"""

from __future__ import annotations

import os
from pathlib import Path

from stdnum import exceptions as stdnum_exceptions
from stdnum.fr import siret

from demarches.urbanisme.accounts import NotaryOfficeAccount, SignatoryAccount

from .demo import demo_data

SIGNATORY_ROLE = "signatory"


def demo_offices() -> list[NotaryOfficeAccount]:
    """Return the demo notaries' offices; raise ValueError for an invalid SIRET."""
    offices = []
    for raw in demo_data().get("offices", []):
        try:
            number = siret.validate(raw["siret"])
        except stdnum_exceptions.ValidationError as exc:
            raise ValueError(
                f"demo office {raw['office_id']}: invalid SIRET {raw['siret']!r} ({exc})"
            ) from exc
        offices.append(
            NotaryOfficeAccount(
                office_id=raw["office_id"],
                name=raw["name"],
                siret=str(number),
                email=raw["email"],
                street=raw["street"],
                postcode=raw["postcode"],
                city=raw["city"],
            )
        )
    return offices


def demo_signatories() -> list[SignatoryAccount]:
    """Return the demo identities with the signatory role; raise ValueError without capacity."""
    signatories = []
    for identity in demo_data()["identities"]:
        if SIGNATORY_ROLE not in identity.get("roles", ()):
            continue
        if not identity.get("capacity"):
            raise ValueError(f"demo signatory {identity['id']} has no capacity")
        signatories.append(
            SignatoryAccount(
                subject=identity["id"],
                name=identity["name"],
                capacity=identity["capacity"],
                signs_silence_attestations=bool(identity.get("signs_silence_attestations")),
            )
        )
    return signatories


def prepare_environment(state_dir: Path) -> None:
    """Point the signing settings at the local CA under the stack's state folder."""
    os.environ["DEMARCHES_URBANISME_SIGNING"] = "local_ca"
    os.environ["DEMARCHES_URBANISME_CA_DIR"] = str(state_dir / "ca")


def start(*, seed: bool) -> None:
    """Create the local CA on first start and, with ``seed``, register the demo accounts."""
    from demarches import bootstrap

    bootstrap.urbanisme_local_ca()
    if not seed:
        return
    directory = bootstrap.urbanisme_context().directory
    for office in demo_offices():
        directory.save_office(office)
    for signatory in demo_signatories():
        directory.save_signatory(signatory)
