"""Delivery backends: hand one outbox message to the world, or say why not.

`outbox` (the default for local runs) prints the message to the terminal; the
development mailbox page reads the outbox table itself. `smtp` talks to a real
server. Both are blocking and run in a worker thread, never on the event loop.
"""

from __future__ import annotations

import smtplib
import ssl
import sys
from email.message import EmailMessage
from email.utils import make_msgid

from session_app.environment import Environment
from session_app.models import OutboxMessage


class TemporaryFailure(Exception):
    """Worth trying again later: the server is down, busy, or said 4xx."""


class PermanentFailure(Exception):
    """Trying again will not help: the server refused the recipient for good."""


def build_message(message: OutboxMessage, env: Environment) -> EmailMessage:
    email = EmailMessage()
    email["From"] = env.mail_from
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain=env.mail_from.rpartition("@")[2].rstrip(">") or None)
    email.set_content(message.text_body)
    email.add_alternative(message.html_body, subtype="html")
    return email


def deliver(message: OutboxMessage, env: Environment) -> None:
    if env.email_backend == "smtp":
        _deliver_smtp(message, env)
    else:
        _deliver_to_terminal(message)


def _deliver_to_terminal(message: OutboxMessage) -> None:
    rule = "-" * 72
    print(  # noqa: T201 - this backend's whole job is to show the message locally
        f"\n{rule}\nEmail to {message.recipient}\nSubject: {message.subject}\n\n{message.text_body}{rule}",
        file=sys.stderr,
        flush=True,
    )


def _deliver_smtp(message: OutboxMessage, env: Environment) -> None:
    email = build_message(message, env)
    try:
        with smtplib.SMTP(env.smtp_host, env.smtp_port, timeout=env.smtp_timeout) as smtp:
            if env.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if env.smtp_user:
                smtp.login(env.smtp_user, env.smtp_password)
            # Exactly one envelope recipient, whatever the headers say.
            smtp.send_message(email, to_addrs=[message.recipient])
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if codes and all(500 <= code < 600 for code in codes):
            raise PermanentFailure("recipient refused") from exc
        raise TemporaryFailure("recipient deferred") from exc
    except smtplib.SMTPResponseException as exc:
        if 500 <= exc.smtp_code < 600:
            raise PermanentFailure(f"SMTP {exc.smtp_code}") from exc
        raise TemporaryFailure(f"SMTP {exc.smtp_code}") from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise TemporaryFailure(type(exc).__name__) from exc
