"""Cadastral parcel ids: 14 characters, INSEE code (5), prefix (3), section (2), number (4).

Example: ``55545000AB0123`` is parcel 123 of section AB, prefix 000, in the commune 55545.
The prefix is ``000`` except for parcels of a former commune merged into another one, which keep
the former commune's number there. One-letter sections are padded with a leading zero (``0A``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from demarches.urbanisme.errors import ParcelIdInvalidError

PARCEL_ID_LENGTH = 14

# Mainland codes are five digits, Corsican ones start with 2A or 2B.
INSEE_CODE_PATTERN = r"(?:[0-9]{5}|2[AB][0-9]{3})"

# ASCII classes on purpose: ``\d`` would also accept other scripts' digits.
_PARCEL_ID = re.compile(
    rf"(?P<code_insee>{INSEE_CODE_PATTERN})"
    r"(?P<prefix>[0-9]{3})(?P<section>[0-9A-Z]{2})(?P<number>[0-9]{4})"
)
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ParcelId:
    """A cadastral parcel id split into its four parts."""

    code_insee: str
    prefix: str
    section: str
    number: str

    def __str__(self) -> str:
        return f"{self.code_insee}{self.prefix}{self.section}{self.number}"

    @property
    def label_fr(self) -> str:
        """Human reading used on documents, for example ``section AB n° 123``."""
        return f"section {self.section.lstrip('0') or '0'} n° {int(self.number)}"


def normalise_parcel_id(text: str) -> str:
    """Remove every whitespace character and uppercase the letters, without checking the shape."""
    return _WHITESPACE.sub("", text).upper()


def parse_parcel_id(text: str) -> ParcelId:
    """Parse a parcel id after normalisation; ParcelIdInvalidError names the faulty part."""
    normalised = normalise_parcel_id(text)
    match = _PARCEL_ID.fullmatch(normalised)
    if match is None:
        raise ParcelIdInvalidError(_describe_fault(text, normalised), details={"value": text})

    parcel = ParcelId(**match.groupdict())
    if parcel.number == "0000":
        raise ParcelIdInvalidError(
            f"Invalid cadastral parcel id {text!r}: parcel number 0000 does not exist, "
            "numbers start at 0001.",
            details={"value": text},
        )
    return parcel


def _describe_fault(original: str, normalised: str) -> str:
    prefix = f"Invalid cadastral parcel id {original!r}"
    if len(normalised) != PARCEL_ID_LENGTH:
        return (
            f"{prefix}: expected {PARCEL_ID_LENGTH} characters (INSEE code 5, prefix 3, "
            f"section 2, number 4, for example 55545000AB0123), got {len(normalised)}."
        )
    if re.fullmatch(INSEE_CODE_PATTERN, normalised[:5]) is None:
        return (
            f"{prefix}: the INSEE code {normalised[:5]!r} must be 5 digits, or 2A/2B and 3 digits."
        )
    if re.fullmatch(r"[0-9]{3}", normalised[5:8]) is None:
        return f"{prefix}: the prefix {normalised[5:8]!r} must be 3 digits, usually 000."
    if re.fullmatch(r"[0-9A-Z]{2}", normalised[8:10]) is None:
        return (
            f"{prefix}: the section {normalised[8:10]!r} must be 2 letters or digits, "
            "with a leading 0 for a one-letter section (0A)."
        )
    return f"{prefix}: the parcel number {normalised[10:]!r} must be 4 digits, for example 0123."
