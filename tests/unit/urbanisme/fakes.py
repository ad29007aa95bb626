"""In-memory implementations of the urbanism ports, for unit tests."""

from __future__ import annotations

from collections import Counter

from demarches.urbanisme.request_type import RequestType


class InMemoryRegistrationCounter:
    """RegistrationCounter that keeps one sequence per request type and year in a dict."""

    def __init__(self, start_after: dict[tuple[RequestType, int], int] | None = None) -> None:
        self._last: Counter[tuple[RequestType, int]] = Counter(start_after or {})

    def next(self, request_type: RequestType, year: int) -> int:
        self._last[(request_type, year)] += 1
        return self._last[(request_type, year)]
