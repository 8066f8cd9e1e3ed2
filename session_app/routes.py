"""Every route of the app as a constant, with small builders for the ones with parts.

Pages are registered from this table in session_app.py; the backend's own HTTP
routes live under /auth. Reserved unique URLs derive from both (onboarding issue).
"""

from __future__ import annotations

from urllib.parse import urlencode

HOME = "/"
SIGN_UP = "/signup"
LOG_IN = "/login"
ONBOARDING = "/onboarding"
DEV_MAILBOX = "/dev/mailbox"

# Where a person lands right after signing in.
SIGNED_IN_HOME = ONBOARDING

# Backend HTTP routes (Starlette, see auth/http.py).
AUTH_PREFIX = "/auth"
AUTH_TICKET = "/auth/ticket"
AUTH_SIGNED_OUT = "/auth/signed-out"

# Why the sign-in page was opened with a message (`?notice=`).
NOTICE_LINK_DEAD = "link-dead"
NOTICE_CODE_DEAD = "code-dead"
NOTICE_SIGNED_OUT = "signed-out"


def sign_in_notice(notice: str) -> str:
    return f"{LOG_IN}?{urlencode({'notice': notice})}"
