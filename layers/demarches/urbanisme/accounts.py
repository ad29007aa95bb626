"""Accounts the urbanism démarche knows beyond the identity token: offices and signatories."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NotaryOfficeAccount:
    """A notary's office, whose name, SIRET and address prefill the DIAs it files."""

    office_id: str
    name: str
    siret: str
    email: str
    street: str
    postcode: str
    city: str


@dataclass(frozen=True)
class SignatoryAccount:
    """An elected official or delegate who signs decisions, with the capacity printed on them.

    ``signs_silence_attestations`` marks the signatory whose name the attestations of tacit
    decisions carry, since no one signs those by hand.
    """

    subject: str
    name: str
    capacity: str
    signs_silence_attestations: bool = False
