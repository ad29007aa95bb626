from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from demarches.urbanisme.cerfa import parse_request
from demarches.urbanisme.dia_suspension import (
    ResumeCause,
    SuspensionCause,
    resume,
    start_dia_deadline,
    suspend,
)
from demarches.urbanisme.dossier import Dossier
from demarches.urbanisme.request_type import RequestType
from demarches.urbanisme.workflow import DossierStatus

from .payloads import cua_payload, dia_payload

# 10:00 in Paris on 2 March 2026.
RECEIVED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def dossier(request_type: RequestType, payload: dict) -> Dossier:
    return Dossier(
        dossier_id="urb-0123456789abcdef01234567",
        request_type=request_type,
        status=DossierStatus.UNDER_INSTRUCTION,
        applicant_id="a",
        request=parse_request(payload),
        received_at=RECEIVED,
    )


def test_cua_last_day_is_one_month_after_receipt():
    cua = dossier(RequestType.CUA, cua_payload())

    assert cua.last_day == date(2026, 4, 2)
    assert cua.silence_decision_at == datetime(2026, 4, 2, 22, 0, tzinfo=UTC)


def test_draft_has_no_deadline():
    draft = replace(dossier(RequestType.CUA, cua_payload()), received_at=None)

    assert draft.last_day is None
    assert draft.silence_decision_at is None


def test_suspended_dia_has_no_deadline_until_it_resumes():
    started = start_dia_deadline(RECEIVED)
    suspended = suspend(started, SuspensionCause.VISIT, date(2026, 3, 20))
    dia = replace(dossier(RequestType.DIA, dia_payload()), dia_deadline=suspended)

    assert dia.last_day is None
    resumed = replace(dia, dia_deadline=resume(suspended, ResumeCause.VISIT_HELD, date(2026, 4, 1)))
    # 2 May 2026 less 20 March leaves 43 days, counted again from 1 April.
    assert resumed.last_day == date(2026, 5, 14)


def test_code_insee_of_land_and_property():
    assert dossier(RequestType.CUA, cua_payload()).code_insee == "55545"
    assert dossier(RequestType.DIA, dia_payload()).code_insee == "55545"
