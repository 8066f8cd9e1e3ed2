"""The one-button pages between an emailed link and what it does, as HTML.

Opening a link changes nothing: mail scanners open links by themselves, so only a
person pressing this page's button (a same-site POST) signs in or confirms a deletion.
The backend serves these pages itself, before any Reflex page could load, so they are
plain HTML with their own small stylesheet.
"""

from __future__ import annotations

import html

from session_app import routes


def for_magic_link(token: str, masked_email: str) -> str:
    """The sign-in link's page: "Continue as j…@example.com?"."""
    return _page(
        token,
        heading=f"Continue as {masked_email}?",
        lead="You are signing in to Session in this browser.",
        button=f"Continue as {masked_email}",
        action=routes.AUTH_MAGIC_LINK,
    )


def for_google_link(token: str, masked_email: str) -> str:
    """The page of the emailed link that links a Google account (SECURITY.md B6)."""
    return _page(
        token,
        heading="Link Google to your account?",
        lead=f"From now on, Continue with Google will sign you in to {masked_email}'s Session account.",
        button="Link Google and continue",
        action=routes.AUTH_LINK_GOOGLE,
    )


def for_deletion(token: str) -> str:
    """The page of the link that confirms deleting an account."""
    return _page(
        token,
        heading="Delete your Session account?",
        lead="Your account will be deleted after the grace period; "
        "you can still cancel it from your dashboard until then.",
        button="Confirm deletion",
        action=routes.AUTH_CONFIRM_DELETION,
    )


def _page(token: str, *, heading: str, lead: str, button: str, action: str) -> str:
    heading, lead, button = html.escape(heading), html.escape(lead), html.escape(button)
    return f"""<!doctype html>
<html lang="en"><head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="same-origin">
<title>Continue to Session</title>
<style>
body{{margin:0;min-height:100vh;display:grid;place-items:center;background:#f6f5fb;
font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1c1b22}}
main{{background:#fff;border-radius:16px;padding:40px;max-width:420px;width:calc(100% - 32px);
box-shadow:0 8px 30px rgba(40,30,90,.08)}}
h1{{font-size:24px;margin:0 0 12px}} p{{color:#55525f;line-height:1.5;margin:0 0 24px}}
button{{width:100%;font:inherit;font-weight:600;font-size:16px;color:#fff;background:#6e56cf;
border:0;border-radius:10px;padding:14px;cursor:pointer}} button:focus-visible{{outline:3px solid #ffdd00;box-shadow:0 0 0 6px #0b0c0c}}
small{{display:block;margin-top:16px;color:#5f5b6b}}
@media (prefers-color-scheme: dark){{body{{background:#17161c;color:#eeedf2}} main{{background:#211f28}} p{{color:#b5b2bf}} small{{color:#a9a6b3}}}}
</style></head>
<body><main>
<div style="font-weight:700;margin-bottom:24px">Session</div>
<h1>{heading}</h1>
<p>{lead}</p>
<form method="post" action="{action}">
<input type="hidden" name="t" value="{html.escape(token, quote=True)}">
<button id="continue" type="submit" autofocus>{button}</button>
</form>
<small>Didn't ask for this? Close this page; nothing happens without the button.</small>
</main></body></html>"""
