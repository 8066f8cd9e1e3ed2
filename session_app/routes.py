"""Every route of the app as a constant, with small builders for the ones with parts.

PAGE_ROUTES is the route table: session_app.py registers exactly these pages, and the
reserved unique URLs (accounts/urls.py) derive from it and from the backend's routes,
so a new page can never be shadowed by someone's URL.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

HOME = "/"
SIGN_UP = "/signup"
LOG_IN = "/login"
ONBOARDING = "/onboarding"
DEV_MAILBOX = "/dev/mailbox"
# A person's dashboard (for them) or public host page (for everyone else).
DASHBOARD = "/[url]"

PAGE_ROUTES = (HOME, SIGN_UP, LOG_IN, ONBOARDING, DEV_MAILBOX, DASHBOARD)

# Where a person lands right after signing in; it sends them on to their dashboard
# once onboarding is finished.
SIGNED_IN_HOME = ONBOARDING

# Backend HTTP routes (Starlette, see auth/http.py), and Reflex's own.
AUTH_PREFIX = "/auth"
AUTH_TICKET = "/auth/ticket"
AUTH_SIGNED_OUT = "/auth/signed-out"
BACKEND_ROUTES = (AUTH_PREFIX, "/_event", "/_upload", "/_health", "/_all_routes", "/ping", "/auth-codespace")

# Why the sign-in page was opened with a message (`?notice=`).
NOTICE_LINK_DEAD = "link-dead"
NOTICE_CODE_DEAD = "code-dead"


def sign_in_notice(notice: str) -> str:
    return f"{LOG_IN}?{urlencode({'notice': notice})}"


def dashboard(url: str) -> str:
    return f"/{quote(url)}"


def first_segments() -> set[str]:
    """The first path segment of every static route (what a URL must never equal)."""
    segments = set()
    for route in (*PAGE_ROUTES, *BACKEND_ROUTES):
        first = route.strip("/").split("/")[0]
        if first and not first.startswith("["):
            segments.add(first)
    return segments
