from __future__ import annotations

from demarches.urbanisme.notices import compose
from demarches.urbanisme.ports import Notification, NotificationKind


def test_documents_request_lists_documents_and_signs_with_service(service):
    notification = Notification(
        dossier_id="d",
        kind=NotificationKind.DOCUMENTS_REQUESTED,
        recipient_email="a@example.fr",
        registration_number="CUb-055545-2026-000001",
        parameters={"documents": "- Titre de propriété", "message": "Merci."},
    )

    subject, text = compose(notification, service)

    assert subject == "Pièces complémentaires demandées (CUb-055545-2026-000001)"
    assert "- Titre de propriété" in text
    assert text.rstrip().endswith(service.email)


def test_missing_parameter_prints_nothing(service):
    notification = Notification(
        dossier_id="d",
        kind=NotificationKind.UPLOAD_REJECTED,
        recipient_email="a@example.fr",
        registration_number="CUa-055545-2026-000001",
    )

    subject, text = compose(notification, service)

    assert "{" not in text
    assert subject == "Document refusé (CUa-055545-2026-000001)"
