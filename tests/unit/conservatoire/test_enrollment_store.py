from __future__ import annotations

import pytest

from demarches.conservatoire.ports import EnrollmentStore

from .enrollment_store_contract import EnrollmentStoreContract
from .fakes import InMemoryEnrollmentStore


class TestInMemoryEnrollmentStore(EnrollmentStoreContract):
    @pytest.fixture
    def store(self) -> EnrollmentStore:
        return InMemoryEnrollmentStore()
