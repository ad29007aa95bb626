"""The three urbanism request types and their French labels."""

from __future__ import annotations

from enum import StrEnum


class RequestType(StrEnum):
    """Urbanism request type, spelled as on the cerfa forms and in registration numbers."""

    CUA = "CUa"
    """Certificat d'urbanisme d'information (cerfa 13410, box a)."""
    CUB = "CUb"
    """Certificat d'urbanisme opérationnel (cerfa 13410, box b)."""
    DIA = "DIA"
    """Déclaration d'intention d'aliéner (cerfa 10072)."""

    @property
    def label_fr(self) -> str:
        return _LABELS_FR[self]

    @property
    def is_certificat_urbanisme(self) -> bool:
        return self in (RequestType.CUA, RequestType.CUB)


_LABELS_FR = {
    RequestType.CUA: "Certificat d'urbanisme d'information (CUa)",
    RequestType.CUB: "Certificat d'urbanisme opérationnel (CUb)",
    RequestType.DIA: "Déclaration d'intention d'aliéner (DIA)",
}
