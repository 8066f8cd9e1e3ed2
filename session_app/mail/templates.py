"""Every email Session sends, by name: each function holds one email's wording.

An email is a subject, a plain-text part and an HTML part. The sign-in email has its
own layout; the others are short notices of one or two paragraphs and at most one
button, all in the same frame.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html


@dataclasses.dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


_HTML_FRAME = """<!doctype html>
<html><body style="margin:0;padding:24px;background:#f6f5fb;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1c1b22">
<table role="presentation" width="100%" cellspacing="0" cellpadding="0"><tr><td align="center">
<table role="presentation" width="480" cellspacing="0" cellpadding="0" style="background:#ffffff;border-radius:12px;padding:32px">
<tr><td>
<p style="font-size:20px;font-weight:700;margin:0 0 24px">Session</p>
{body}
</td></tr></table>
</td></tr></table>
</body></html>"""


def sign_in_email(*, address: str, link: str, code: str, is_new_account: bool, minutes: int) -> RenderedEmail:
    """One message with both ways in: the magic link and the 6-digit code."""
    spaced_code = f"{code[:3]} {code[3:]}"
    if is_new_account:
        subject = f"Finish signing up to Session: your code is {code}"
        lead = "Confirm your email address to create your Session account."
        button = "Create my account"
    else:
        subject = f"Sign in to Session: your code is {code}"
        lead = "Use this link or code to sign in to Session."
        button = "Sign in to Session"
    text = (
        f"{lead}\n\n"
        f"Open this link:\n{link}\n\n"
        f"Or type this code in the window where you asked for it: {spaced_code}\n\n"
        f"The link and the code work once, for the next {minutes} minutes.\n"
        f"This email was sent to {address}. If you didn't ask for it, you can ignore it: "
        "nobody can sign in without this email.\n"
    )
    body = (
        f'<p style="margin:0 0 20px;font-size:16px">{html.escape(lead)}</p>'
        f'<p style="margin:0 0 24px"><a href="{html.escape(link, quote=True)}" '
        'style="display:inline-block;background:#6e56cf;color:#ffffff;text-decoration:none;'
        f'padding:12px 20px;border-radius:8px;font-weight:600">{html.escape(button)}</a></p>'
        '<p style="margin:0 0 8px;color:#55525f">Or type this code in the window where you asked for it:</p>'
        '<p style="margin:0 0 24px;font-size:28px;font-weight:700;letter-spacing:4px;'
        f'font-family:ui-monospace,Menlo,monospace">{html.escape(spaced_code)}</p>'
        f'<p style="margin:0 0 8px;color:#55525f">The link and the code work once, for the next {minutes} minutes.</p>'
        f'<p style="margin:0;color:#8a8795;font-size:13px">This email was sent to {html.escape(address)}. '
        "If you didn't ask for it, you can ignore it: nobody can sign in without this email.</p>"
    )
    return RenderedEmail(subject=subject, text=text, html=_HTML_FRAME.format(body=body))


def deletion_confirmation_email(*, link: str, grace_days: int) -> RenderedEmail:
    """To the person who asked to delete their account: the link that confirms it."""
    return _notice(
        "Confirm deleting your Session account",
        f"You asked to delete your Session account. Open this link and press the button to confirm:\n{link}\n\n"
        f"Your account will be deleted {grace_days} days after you confirm; until then you "
        "can cancel with one click on your dashboard. If you didn't ask for this, ignore this email.",
        link=link,
        button="Confirm deletion",
    )


def link_google_email(*, link: str, minutes: int) -> RenderedEmail:
    """B6: Google vouched for an address it does not host; its owner confirms the link."""
    return _notice(
        "Link Google to your Session account?",
        'Someone, hopefully you, chose "Continue with Google" with a Google account that uses this '
        "address. To link it, so that Google signs you in to Session from now on, open this link "
        f"and press the button:\n{link}\n\nThe link works once, for {minutes} minutes, and signs you "
        "in. If this wasn't you, ignore this email: nothing changes, and your account stays as it is.",
        link=link,
        button="Link Google",
    )


def deletion_scheduled_email(
    *, request_id: int | None, account: int, scheduled_for: dt.datetime
) -> RenderedEmail:
    """To the privacy team: a confirmed deletion and when it will run (no name, no address)."""
    return _notice(
        f"Account deletion scheduled (request {request_id})",
        f"Account {account} confirmed its deletion request {request_id}. "
        f"It is scheduled for {scheduled_for:%Y-%m-%d %H:%M} UTC and will be carried out automatically; "
        "operators can list, cancel or run it with `python -m session_app.operator deletions`.",
    )


def account_deleted_email() -> RenderedEmail:
    """The goodbye, sent to the address of an account that has just been deleted."""
    return _notice(
        "Your Session account has been deleted",
        "Your Session account and everything in it has been deleted, as you asked. "
        "Your address can sign up again at any time as a new account.",
    )


def new_device_email(*, device: str, when: str, link: str) -> RenderedEmail:
    """A sign-in from a browser the account hadn't used before (SECURITY.md A12)."""
    return _notice(
        f"New sign-in to Session from {device}",
        f"Your Session account was signed in to from {device} on {when}. If this was you, "
        "there is nothing to do. If it wasn't, open your settings and choose "
        "\u201cSign out of all other sessions\u201d."
        f"\n\nSign out everywhere: {link}",
        link=link,
        button="Sign out everywhere",
    )


def codes_suspended_email(*, hours: int) -> RenderedEmail:
    """Someone typed too many wrong codes for this address: codes rest, links still work."""
    unit = "hour" if hours == 1 else "hours"
    return _notice(
        "Sign-in codes paused on your Session account",
        f"Someone typed many wrong sign-in codes for this address today, so codes won't work for "
        f"the next {hours} {unit}. Sign-in links in our emails still work. If this wasn't you, "
        "nothing else is needed: your account is safe.",
    )


def email_changed_email(*, to_new_address: bool) -> RenderedEmail:
    """To each of the two addresses when support moves an account from one to the other."""
    notice = "The email address of your Session account was changed by our support team"
    subject = "Your Session email address was changed"
    if to_new_address:
        return _notice(subject, f"{notice} to this address. Sign in with it from now on.")
    return _notice(subject, f"{notice}. This address no longer signs in to it.")


def _notice(subject: str, text: str, *, link: str | None = None, button: str | None = None) -> RenderedEmail:
    """A short notice: one paragraph, and optionally one button."""
    body = "".join(
        f'<p style="margin:0 0 16px;font-size:16px;line-height:1.5">{html.escape(paragraph)}</p>'
        for paragraph in text.split("\n\n")
        if not (link and paragraph.strip().endswith(link))
    )
    if link and button:
        body += (
            f'<p style="margin:0 0 8px"><a href="{html.escape(link, quote=True)}" style="display:inline-block;'
            "background:#6e56cf;color:#ffffff;text-decoration:none;padding:12px 20px;border-radius:8px;"
            f'font-weight:600">{html.escape(button)}</a></p>'
        )
    return RenderedEmail(subject=subject, text=text + "\n", html=_HTML_FRAME.format(body=body))
