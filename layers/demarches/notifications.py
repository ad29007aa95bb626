"""E-mail to applicants and families: the port and its Amazon SES v2 adapter."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, Protocol

from demarches.errors import UnavailableError


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    content_type: str = "application/pdf"


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    attachments: tuple[Attachment, ...] = field(default=())


class Mailer(Protocol):
    """Sends one e-mail; raises ``UnavailableError`` when the provider refuses or fails."""

    def send(self, email: Email) -> str:
        """Send and return the provider's message id."""
        ...


class SesMailer:
    def __init__(self, client: Any, sender: str) -> None:
        self._ses = client
        self._sender = sender

    def send(self, email: Email) -> str:
        from botocore.exceptions import ClientError

        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = email.to
        message["Subject"] = email.subject
        message.set_content(email.text)
        for attachment in email.attachments:
            maintype, _, subtype = attachment.content_type.partition("/")
            message.add_attachment(
                attachment.content,
                maintype=maintype,
                subtype=subtype,
                filename=attachment.filename,
            )
        try:
            response = self._ses.send_email(
                FromEmailAddress=self._sender,
                Destination={"ToAddresses": [email.to]},
                Content={"Raw": {"Data": message.as_bytes()}},
            )
        except ClientError as exc:
            raise UnavailableError("the e-mail could not be sent") from exc
        return str(response["MessageId"])
