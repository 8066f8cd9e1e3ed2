"""What a browser answers to a passkey request (states/browser.py): whether it can
use passkeys, and the names of the DOMExceptions its dialog ends with, as sentences."""

from __future__ import annotations

import json

NONE, MODAL, CONDITIONAL = "none", "modal", "conditional"
# What the browser said when its dialog ended without a passkey (DOMException names).
BROWSER_ERRORS = {
    "NotAllowedError": "The passkey dialog was closed or timed out. Try again, or continue with email.",
    "AbortError": "The passkey dialog was closed. Try again, or continue with email.",
    "SecurityError": "Passkeys can't be used at this address of Session. Continue with email instead.",
    "InvalidStateError": "This device already has a passkey for your account.",
}
BROWSER_FAILED = "Your browser couldn't use a passkey just now. Try again, or continue with email."


def browser_error(answer: str) -> str | None:
    """The DOMException name when the browser's answer is a failure, else None."""
    if not answer.startswith('{"error"'):
        return None
    try:
        return str(json.loads(answer).get("error", "Error"))
    except ValueError:
        return "Error"


def support_of(answer: str) -> str:
    return answer if answer in {NONE, MODAL, CONDITIONAL} else NONE


def credential_id_of(answer: str) -> str:
    try:
        found = json.loads(answer).get("id", "")
    except (ValueError, AttributeError):
        return ""
    return found if isinstance(found, str) else ""
