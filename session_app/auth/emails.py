"""Email addresses: validate what a person typed and turn it into one recipient.

Policy (SECURITY.md A11): the address must already be in NFKC form (a full-width
"＠" is refused rather than folded), must pass email-validator without SMTPUTF8
(ASCII local parts, IDNA domains), and names exactly one mailbox. Delivery uses the
ASCII form; the account key is the whole address lower-cased. The local part is
folded too: in practice no provider treats Jane@ and jane@ as two people, and a
person who types their address with a capital must still reach their account.
"""

from __future__ import annotations

import dataclasses
import unicodedata

from email_validator import EmailNotValidError, validate_email

MAX_LENGTH = 254  # RFC 5321 path limit
MAX_LOCAL_LENGTH = 64


class InvalidEmail(ValueError):
    """The address cannot be used; the message says why, for the person."""


@dataclasses.dataclass(frozen=True)
class EmailAddress:
    address: str  # what mail is sent to
    key: str  # what accounts are looked up by

    @property
    def masked(self) -> str:
        """j…@example.com: enough to recognise, not enough to harvest."""
        local, _, domain = self.address.partition("@")
        return f"{local[:1]}…@{domain}"


def normalize_email(raw: str) -> EmailAddress:
    """The one recipient a person meant, or InvalidEmail with a reason to show."""
    if len(raw) > MAX_LENGTH + 20:
        raise InvalidEmail("That email address is too long.")
    typed = raw.strip()
    if not typed:
        raise InvalidEmail("Enter your email address.")
    if unicodedata.normalize("NFKC", typed) != typed:
        raise InvalidEmail("That email address has characters we can't accept. Type it with plain letters.")
    if any(ch in typed for ch in ",;<>\r\n\t ") or typed.count("@") != 1:
        raise InvalidEmail("Enter one email address, like name@example.com.")
    try:
        valid = validate_email(
            typed,
            check_deliverability=False,
            allow_smtputf8=False,
            allow_quoted_local=False,
            allow_domain_literal=False,
            allow_display_name=False,
        )
    except EmailNotValidError as exc:
        raise InvalidEmail(_reason(exc)) from None
    address = valid.ascii_email
    if address is None or len(address) > MAX_LENGTH:
        raise InvalidEmail("That email address is too long.")
    if len(address.partition("@")[0]) > MAX_LOCAL_LENGTH:
        raise InvalidEmail("The part before the @ is too long.")
    return EmailAddress(address=address, key=address.lower())


def _reason(exc: EmailNotValidError) -> str:
    text = str(exc)
    if "internationalized" in text.lower() or "SMTPUTF8" in text:
        return "Use an address with plain letters (a–z) before the @."
    # email-validator's messages are written for people ("The domain name x is not valid.").
    return text if text.endswith(".") else f"{text}."
