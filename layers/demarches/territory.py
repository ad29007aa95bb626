"""The territory served: an intercommunality (EPCI) and its communes, read from configuration."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_BUNDLED = Path(__file__).with_name("territories")


@dataclass(frozen=True)
class Commune:
    code_insee: str
    nom: str
    codes_postaux: tuple[str, ...]
    population: int


@dataclass(frozen=True)
class Territory:
    nom: str
    siren: str
    communes: tuple[Commune, ...]

    def commune(self, code_insee: str) -> Commune | None:
        for commune in self.communes:
            if commune.code_insee == code_insee:
                return commune
        return None

    def contains(self, code_insee: str) -> bool:
        return self.commune(code_insee) is not None


@cache
def load_territory(name_or_path: str) -> Territory:
    """Load a territory file: a bundled name such as ``grand-verdun`` or a path to a JSON file.

    The file has the shape of Etalab's administrative breakdown: ``epci`` (``nom``, ``siren``)
    and ``communes`` (``code_insee``, ``nom``, ``codes_postaux``, ``population``).
    """
    path = Path(name_or_path)
    if not path.suffix:
        path = _BUNDLED / f"{name_or_path}.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    communes = tuple(
        Commune(
            code_insee=c["code_insee"],
            nom=c["nom"],
            codes_postaux=tuple(c["codes_postaux"]),
            population=int(c["population"]),
        )
        for c in raw["communes"]
    )
    return Territory(nom=raw["epci"]["nom"], siren=raw["epci"]["siren"], communes=communes)
