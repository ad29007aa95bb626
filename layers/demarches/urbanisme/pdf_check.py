"""Checks of an uploaded PDF before it joins a dossier, and a safe name for the stored file.

An upload is rejected, never repaired: a damaged, encrypted or active PDF gets a stable reason
code and a French message that gives the applicant the next step. The checks parse the file with
pikepdf (qpdf) and walk every object, because JavaScript can sit in the document's
``/OpenAction``, in the ``/Names /JavaScript`` tree or in an annotation's action, and only a
walk of all objects finds the three.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

import pikepdf

PDF_MAGIC = b"%PDF-"


class PdfRejection(StrEnum):
    """Stable reason code of a rejected upload."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    NOT_PDF = "not_pdf"
    UNREADABLE = "unreadable"
    DAMAGED = "damaged"
    """qpdf had to repair the file (truncated, bad cross-reference table): it may be incomplete."""
    ENCRYPTED = "encrypted"
    NO_PAGES = "no_pages"
    TOO_MANY_PAGES = "too_many_pages"
    JAVASCRIPT = "javascript"
    ACTIVE_CONTENT = "active_content"
    """Launch, form-submission or data-import actions, XFA forms, rich media."""
    EMBEDDED_FILE = "embedded_file"
    TOO_COMPLEX = "too_complex"
    """The check ran out of memory or time, for example on a file of millions of objects."""


@dataclass(frozen=True)
class PdfCheckResult:
    """Outcome of ``check_pdf``; ``message`` is in French, for the applicant."""

    accepted: bool
    reason: PdfRejection | None
    message: str
    page_count: int | None
    size_bytes: int


def check_pdf(data: bytes, *, max_bytes: int, max_pages: int) -> PdfCheckResult:
    """Check that ``data`` is a sound, unencrypted, passive PDF within the size and page limits.

    The checks run in this order and stop at the first failure: empty, size, ``%PDF-`` magic
    bytes at offset 0, parse, encryption, repairs reported by qpdf, page count, JavaScript and
    other active content, embedded files.
    """
    size = len(data)
    if size == 0:
        return _reject(PdfRejection.EMPTY, size)
    if size > max_bytes:
        return _reject(PdfRejection.TOO_LARGE, size, limit=_format_megabytes(max_bytes))
    if not data.startswith(PDF_MAGIC):
        return _reject(PdfRejection.NOT_PDF, size)

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return _check_parsed(pdf, size, max_pages)
    except pikepdf.PasswordError:
        return _reject(PdfRejection.ENCRYPTED, size)
    except pikepdf.PdfError:
        return _reject(PdfRejection.UNREADABLE, size)


def _check_parsed(pdf: pikepdf.Pdf, size: int, max_pages: int) -> PdfCheckResult:
    # A PDF with an owner password only opens without a password but is still encrypted.
    if pdf.is_encrypted:
        return _reject(PdfRejection.ENCRYPTED, size)
    if pdf.get_warnings():
        return _reject(PdfRejection.DAMAGED, size)

    page_count = len(pdf.pages)
    if page_count == 0:
        return _reject(PdfRejection.NO_PAGES, size, page_count=page_count)
    if page_count > max_pages:
        return _reject(
            PdfRejection.TOO_MANY_PAGES,
            size,
            page_count=page_count,
            count=page_count,
            limit=max_pages,
        )

    finding = _find_active_content(pdf)
    if len(pdf.attachments) > 0:
        finding = finding or PdfRejection.EMBEDDED_FILE
    # Broken objects only show up while the walk resolves them.
    if pdf.get_warnings():
        return _reject(PdfRejection.DAMAGED, size, page_count=page_count)
    if finding is not None:
        return _reject(finding, size, page_count=page_count)

    return PdfCheckResult(
        accepted=True,
        reason=None,
        message=f"Document accepté ({page_count} page{'s' if page_count > 1 else ''}).",
        page_count=page_count,
        size_bytes=size,
    )


_JAVASCRIPT_KEYS = frozenset({"/JS", "/JavaScript"})
_ACTIVE_ACTIONS = frozenset({"/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute"})
_ACTIVE_KEYS = frozenset({"/XFA", "/RichMediaContent"})
_EMBEDDED_FILE_KEYS = frozenset({"/EF", "/EmbeddedFiles"})


def _find_active_content(pdf: pikepdf.Pdf) -> PdfRejection | None:
    """Walk every object and return the most serious finding: JavaScript first."""
    finding: PdfRejection | None = None
    for obj in pdf.objects:
        stack: list[object] = [obj]
        while stack:
            item = stack.pop()
            if isinstance(item, pikepdf.Array):
                children = list(item)
            elif isinstance(item, pikepdf.Dictionary | pikepdf.Stream):
                dictionary_finding = _classify_dictionary(item)
                if dictionary_finding is PdfRejection.JAVASCRIPT:
                    return dictionary_finding
                finding = _more_serious(finding, dictionary_finding)
                children = list(item.values())
            else:
                continue
            # pikepdf returns numbers and booleans as Python values, which hold nothing.
            # Indirect children are objects of their own in pdf.objects: following them here
            # would visit them twice and loop on cycles such as /Parent and /Kids.
            stack.extend(
                child
                for child in children
                if isinstance(child, pikepdf.Object) and not child.is_indirect
            )
    return finding


def _classify_dictionary(dictionary: pikepdf.Object) -> PdfRejection | None:
    keys = set(dictionary.keys())
    if keys & _JAVASCRIPT_KEYS:
        return PdfRejection.JAVASCRIPT
    action_type = dictionary.get("/S")
    if action_type == pikepdf.Name.JavaScript:
        return PdfRejection.JAVASCRIPT
    if isinstance(action_type, pikepdf.Name) and str(action_type) in _ACTIVE_ACTIONS:
        return PdfRejection.ACTIVE_CONTENT
    if keys & _ACTIVE_KEYS:
        return PdfRejection.ACTIVE_CONTENT
    if keys & _EMBEDDED_FILE_KEYS or dictionary.get("/Type") == pikepdf.Name.EmbeddedFile:
        return PdfRejection.EMBEDDED_FILE
    return None


_SEVERITY = (PdfRejection.JAVASCRIPT, PdfRejection.ACTIVE_CONTENT, PdfRejection.EMBEDDED_FILE)


def _more_serious(
    current: PdfRejection | None, candidate: PdfRejection | None
) -> PdfRejection | None:
    if candidate is None:
        return current
    if current is None:
        return candidate
    return min(current, candidate, key=_SEVERITY.index)


# French message templates for the applicant, each ending with the next step to take.
REJECTION_MESSAGES: dict[PdfRejection, str] = {
    PdfRejection.EMPTY: "Le fichier est vide. Déposez de nouveau le document.",
    PdfRejection.TOO_LARGE: (
        "Le fichier dépasse la taille maximale de {limit}. Réduisez-le, par exemple en "
        "baissant la résolution des images, puis déposez-le de nouveau."
    ),
    PdfRejection.NOT_PDF: (
        "Le fichier n'est pas un document PDF. Enregistrez ou exportez le document au format "
        "PDF, puis déposez-le de nouveau."
    ),
    PdfRejection.UNREADABLE: (
        "Le fichier PDF est illisible. Enregistrez-le de nouveau depuis le logiciel qui l'a "
        "créé, puis déposez-le."
    ),
    PdfRejection.DAMAGED: (
        "Le fichier PDF est endommagé ou incomplet, par exemple après un envoi interrompu. "
        "Déposez de nouveau le fichier d'origine."
    ),
    PdfRejection.ENCRYPTED: (
        "Le fichier PDF est protégé par un mot de passe ou chiffré. Déposez une version sans "
        "protection."
    ),
    PdfRejection.NO_PAGES: "Le fichier PDF ne contient aucune page.",
    PdfRejection.TOO_MANY_PAGES: (
        "Le document compte {count} pages, au-delà de la limite de {limit} pages. "
        "Scindez-le en plusieurs fichiers."
    ),
    PdfRejection.JAVASCRIPT: (
        "Le fichier PDF contient du code JavaScript, refusé pour des raisons de sécurité. "
        "Utilisez la fonction « Imprimer en PDF » pour obtenir une version sans script, puis "
        "déposez-la."
    ),
    PdfRejection.ACTIVE_CONTENT: (
        "Le fichier PDF contient une action automatique (lancement de programme, envoi de "
        "formulaire ou contenu multimédia), refusée pour des raisons de sécurité. Utilisez la "
        "fonction « Imprimer en PDF » pour obtenir une version sans action, puis déposez-la."
    ),
    PdfRejection.EMBEDDED_FILE: (
        "Le fichier PDF contient des fichiers joints. Déposez chaque pièce comme un fichier séparé."
    ),
    PdfRejection.TOO_COMPLEX: (
        "Le fichier PDF est trop complexe pour être vérifié. Utilisez la fonction « Imprimer en "
        "PDF » pour en obtenir une version simplifiée, puis déposez-la."
    ),
}


def rejection(reason: PdfRejection, size: int) -> PdfCheckResult:
    """Return the rejection of a file of ``size`` bytes for a reason found outside the checks."""
    return _reject(reason, size)


def _reject(
    reason: PdfRejection, size: int, *, page_count: int | None = None, **values: object
) -> PdfCheckResult:
    return PdfCheckResult(
        accepted=False,
        reason=reason,
        message=REJECTION_MESSAGES[reason].format(**values),
        page_count=page_count,
        size_bytes=size,
    )


def _format_megabytes(size: int) -> str:
    """Format a byte count in megabytes (10^6 bytes), French style: ``20 Mo``, ``1,5 Mo``."""
    text = f"{size / 1_000_000:.1f}".removesuffix(".0").replace(".", ",")
    return f"{text}\u00a0Mo"


# Characters that Windows forbids in file names; browsers save downloads under these names.
_FORBIDDEN_CHARACTERS = frozenset('<>:"|?*')
# Control, format (bidirectional overrides, zero-width), surrogate, private-use, unassigned.
_REMOVED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_MAX_EXTENSION_LENGTH = 10
_WHITESPACE = re.compile(r"\s+")


def safe_file_name(name: str, *, max_bytes: int = 255, default: str = "document.pdf") -> str:
    """Return a file name safe to store and to offer for download, keeping accents.

    The name is normalised to NFC, stripped of any directory part (``/`` or ``\\``), of control
    and format characters, of leading dots (so ``..`` and hidden names disappear) and of
    trailing dots and spaces. Characters Windows forbids become ``_`` and whitespace runs
    become one space. The stem is shortened so that the UTF-8 name fits ``max_bytes`` (255 is
    the usual file-system limit), and the extension is kept. An empty result gives ``default``.
    """
    text = unicodedata.normalize("NFC", name)
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(
        character
        for character in text
        if unicodedata.category(character) not in _REMOVED_CATEGORIES
    )
    text = "".join("_" if character in _FORBIDDEN_CHARACTERS else character for character in text)
    text = _WHITESPACE.sub(" ", text).strip().lstrip(".").rstrip(". ")
    if not text:
        return default
    return _truncate_utf8(text, max_bytes)


def _truncate_utf8(text: str, max_bytes: int) -> str:
    if len(text.encode("utf-8")) <= max_bytes:
        return text
    stem, dot, extension = text.rpartition(".")
    if not dot or not stem or len(extension) > _MAX_EXTENSION_LENGTH:
        stem, extension = text, ""
    suffix = f".{extension}" if extension else ""
    budget = max_bytes - len(suffix.encode("utf-8"))
    encoded = stem.encode("utf-8")[:budget]
    # Cutting the bytes may split a character: drop the partial tail.
    shortened = encoded.decode("utf-8", errors="ignore").rstrip(". ")
    return f"{shortened}{suffix}"
