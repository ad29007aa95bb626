"""E-mails to the filer: the French text of each notification, with its documents attached."""

from __future__ import annotations

from demarches.notifications import Attachment, Email, Mailer
from demarches.urbanisme.documents import ServiceConfig
from demarches.urbanisme.ports import DocumentStore, Notification, NotificationKind

_SUBJECTS = {
    NotificationKind.ACCUSE_ENREGISTREMENT: "Accusé d'enregistrement de votre demande {number}",
    NotificationKind.ACCUSE_RECEPTION: "Accusé de réception de votre demande {number}",
    NotificationKind.DOCUMENTS_REQUESTED: "Pièces complémentaires demandées ({number})",
    NotificationKind.VISIT_REQUESTED: "Demande de visite du bien ({number})",
    NotificationKind.UPLOAD_REJECTED: "Document refusé ({number})",
    NotificationKind.DECISION_NOTIFIED: "Décision sur votre demande {number}",
    NotificationKind.TACIT_DECISION: "Décision tacite sur votre demande {number}",
}

_BODIES = {
    NotificationKind.ACCUSE_ENREGISTREMENT: (
        "Votre demande a bien été enregistrée sous le numéro {number}. L'accusé "
        "d'enregistrement électronique est joint à ce message. L'accusé de réception suivra "
        "dans les sept jours."
    ),
    NotificationKind.ACCUSE_RECEPTION: (
        "L'accusé de réception de votre demande {number} est joint à ce message. Il indique "
        "le délai d'instruction, la décision que ferait naître le silence de l'administration "
        "et les voies de recours."
    ),
    NotificationKind.DOCUMENTS_REQUESTED: (
        "Pour instruire votre demande {number}, le service vous demande les documents "
        "suivants :\n{documents}\n\n{message}\n\nDéposez-les depuis votre espace en ligne, "
        "puis indiquez que l'envoi est complet."
    ),
    NotificationKind.VISIT_REQUESTED: (
        "Pour instruire la déclaration {number}, le service demande à visiter le bien.\n\n"
        "{message}\n\nLe propriétaire peut accepter la visite jusqu'au {answer_by} inclus ; "
        "son silence vaudrait refus. La visite acceptée a lieu dans les quinze jours."
    ),
    NotificationKind.UPLOAD_REJECTED: (
        "Le document « {file_name} » déposé pour la demande {number} a été refusé.\n\n{message}"
    ),
    NotificationKind.DECISION_NOTIFIED: (
        "La décision sur votre demande {number} est jointe à ce message. Elle est signée "
        "électroniquement ; les voies de recours y figurent."
    ),
    NotificationKind.TACIT_DECISION: (
        "Aucune décision ne vous a été notifiée dans le délai d'instruction de votre demande "
        "{number}. L'attestation de la décision tacite qui en résulte est jointe à ce message."
    ),
}


def compose(notification: Notification, service: ServiceConfig) -> tuple[str, str]:
    """Return the subject and the text of a notification, in French."""
    values = {**notification.parameters, "number": notification.registration_number}
    subject = _SUBJECTS[notification.kind].format_map(_Blank(values))
    body = _BODIES[notification.kind].format_map(_Blank(values))
    signature = "\n".join(
        (service.service_name, service.collectivite, *service.postal_address, service.email)
    )
    return subject, f"Bonjour,\n\n{body}\n\n{signature}\n"


class _Blank(dict[str, str]):
    """Template values where a missing one prints as nothing rather than failing."""

    def __missing__(self, key: str) -> str:
        return ""


class MailNotifier:
    """Notifier adapter that e-mails each notification with its documents attached."""

    def __init__(self, mailer: Mailer, documents: DocumentStore, service: ServiceConfig) -> None:
        self._mailer = mailer
        self._documents = documents
        self._service = service

    def notify(self, notification: Notification) -> None:
        subject, text = compose(notification, self._service)
        attachments = tuple(
            Attachment(
                filename=f"{notification.registration_number}-{key.rsplit('/', 1)[-1]}",
                content=self._documents.get(key),
            )
            for key in notification.document_keys
        )
        self._mailer.send(Email(notification.recipient_email, subject, text, attachments))
