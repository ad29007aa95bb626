"""Issuing documents: render, sign when the law asks for a signature, store, archive, notify."""

from __future__ import annotations

from demarches.errors import ConflictError
from demarches.urbanisme.accounts import SignatoryAccount
from demarches.urbanisme.context import UrbanismeContext
from demarches.urbanisme.document_content import DocumentContent
from demarches.urbanisme.documents import DossierFacts, Signatory, dossier_facts
from demarches.urbanisme.dossier import DocumentKind, Dossier, IssuedDocument
from demarches.urbanisme.pdf_layout import render_document
from demarches.urbanisme.ports import Notification, NotificationKind

PDF = "application/pdf"

_FILE_STEMS = {
    DocumentKind.ACCUSE_ENREGISTREMENT: "accuse-enregistrement",
    DocumentKind.ACCUSE_RECEPTION: "accuse-reception",
    DocumentKind.PROJET_DECISION: "projet-decision",
    DocumentKind.DECISION: "decision",
    DocumentKind.ATTESTATION_SILENCE: "attestation-decision-tacite",
}


def document_key(dossier_id: str, kind: DocumentKind) -> str:
    return f"dossiers/{dossier_id}/{_FILE_STEMS[kind]}.pdf"


def archive_key(dossier: Dossier, kind: DocumentKind) -> str:
    return f"decisions/{dossier.registration_number}/{_FILE_STEMS[kind]}.pdf"


def download_name(dossier: Dossier, kind: DocumentKind) -> str:
    return f"{_FILE_STEMS[kind]}-{dossier.registration_number}.pdf"


def signatory_of(account: SignatoryAccount) -> Signatory:
    return Signatory(name=account.name, capacity=account.capacity)


class DocumentIssuer:
    def __init__(self, context: UrbanismeContext) -> None:
        self._context = context

    def facts(self, dossier: Dossier) -> DossierFacts:
        if dossier.received_at is None or dossier.registration_number is None:
            raise ValueError(f"Dossier {dossier.dossier_id} was not submitted: no document")
        return dossier_facts(
            dossier.request,
            str(dossier.registration_number),
            dossier.received_at,
            self._context.territory,
        )

    def issue(
        self,
        dossier: Dossier,
        kind: DocumentKind,
        content: DocumentContent,
        *,
        replace: bool = False,
    ) -> IssuedDocument:
        """Render and store an unsigned document, and record it on the dossier.

        Without ``replace``, a document of this kind issued before stays the dossier's one.
        """
        key = document_key(dossier.dossier_id, kind)
        self._context.documents.put(key, render_document(content), content_type=PDF)
        return self._record(dossier, kind, key, replace=replace)

    def issue_signed(
        self,
        dossier: Dossier,
        kind: DocumentKind,
        content: DocumentContent,
        signatory: SignatoryAccount,
    ) -> IssuedDocument:
        """Render, sign in PAdES, archive once and store a decision or an attestation.

        A retried step finds the archive already written: it keeps the archived bytes, so the
        stored copy and the archive stay identical.
        """
        signed = self._context.signer.sign(
            render_document(content),
            signatory.name,
            signatory.capacity,
            f"Décision sur la demande {dossier.registration_number}",
        )
        archived = archive_key(dossier, kind)
        try:
            self._context.documents.archive(archived, signed, content_type=PDF)
        except ConflictError:
            signed = self._context.documents.read_archive(archived)
        key = document_key(dossier.dossier_id, kind)
        self._context.documents.put(key, signed, content_type=PDF)
        return self._record(dossier, kind, key)

    def _record(
        self, dossier: Dossier, kind: DocumentKind, key: str, *, replace: bool = False
    ) -> IssuedDocument:
        document = IssuedDocument(kind=kind, key=key, issued_at=self._context.clock.now())
        return self._context.repository.record_document(
            dossier.dossier_id, document, replace=replace
        )

    def notify(
        self,
        dossier: Dossier,
        kind: NotificationKind,
        documents: tuple[IssuedDocument, ...] = (),
        parameters: dict[str, str] | None = None,
    ) -> bool:
        """Send a notification with its documents attached; return whether it was sent now.

        A notification carrying documents is sent once: it is skipped when its first document
        is already marked as sent, and unmarked again when sending fails. One without documents
        is sent each time. Raises UnavailableError when the e-mail service fails.
        """
        if dossier.contact_email is None:
            raise ValueError(f"Dossier {dossier.dossier_id} has no contact e-mail")
        repository = self._context.repository
        claimed = documents[0].kind if documents else None
        if claimed is not None and not repository.claim_notification(dossier.dossier_id, claimed):
            return False
        try:
            self._context.notifier.notify(
                Notification(
                    dossier_id=dossier.dossier_id,
                    kind=kind,
                    recipient_email=dossier.contact_email,
                    registration_number=str(dossier.registration_number),
                    document_keys=tuple(document.key for document in documents),
                    parameters=parameters or {},
                )
            )
        except Exception:
            if claimed is not None:
                repository.release_notification(dossier.dossier_id, claimed)
            raise
        return True
