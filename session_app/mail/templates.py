"""The emails Session sends, each as a subject, a plain-text part and an HTML part."""

from __future__ import annotations

import dataclasses
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


def sign_in_email(
    *, address: str, link: str, code: str, is_new_account: bool, minutes: int
) -> RenderedEmail:
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


def simple_email(subject: str, text: str, *, link: str | None = None, button: str | None = None) -> RenderedEmail:
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
