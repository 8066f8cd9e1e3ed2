"""Every route of the app as a constant, with small builders for the ones with parts.

PAGE_ROUTES is the route table: session_app.py registers exactly these pages, and the
reserved unique URLs (accounts/urls.py) derive from it and from the backend's routes,
so a new page can never be shadowed by someone's URL.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

HOME = "/"
SIGN_UP = "/signup"
LOG_IN = "/login"
ONBOARDING = "/onboarding"
DEV_MAILBOX = "/dev/mailbox"
# A person's dashboard (for them) or public host page (for everyone else).
DASHBOARD = "/[url]"
# A room or session: /<host url>/<room slug>.
ROOM = "/[url]/[room]"

PAGE_ROUTES = (HOME, SIGN_UP, LOG_IN, ONBOARDING, DEV_MAILBOX, DASHBOARD, ROOM)

# Where a person lands right after signing in; it sends them on to their dashboard
# once onboarding is finished.
SIGNED_IN_HOME = ONBOARDING

# Backend HTTP routes (Starlette, see auth/http.py), and Reflex's own.
AUTH_PREFIX = "/auth"
AUTH_MAGIC_LINK = "/auth/magic"
AUTH_TICKET = "/auth/ticket"
AUTH_SIGNED_OUT = "/auth/signed-out"
AUTH_GOOGLE_START = "/auth/google/start"
AUTH_GOOGLE_CALLBACK = "/auth/google/callback"
AUTH_CONFIRM_DELETION = "/auth/confirm-deletion"
AUTH_LINK_GOOGLE = "/auth/link-google"
MEDIA_PREFIX = "/media"  # uploaded files, one key at a time (media/http.py)
BACKEND_ROUTES = (
    AUTH_PREFIX,
    MEDIA_PREFIX,
    "/_event",
    "/_upload",
    "/_health",
    "/_all_routes",
    "/ping",
    "/auth-codespace",
)

# Why the sign-in page was opened with a message (`?notice=`).
NOTICE_LINK_DEAD = "link-dead"
NOTICE_CODE_DEAD = "code-dead"


def sign_in_notice(notice: str) -> str:
    return f"{LOG_IN}?{urlencode({'notice': notice})}"


def magic_link(token: str) -> str:
    return f"{AUTH_MAGIC_LINK}?t={token}"


def media(key: str) -> str:
    return f"{MEDIA_PREFIX}/{key}"


def google_link_confirmation(token: str) -> str:
    return f"{AUTH_LINK_GOOGLE}?t={token}"


def deletion_confirmation(token: str) -> str:
    return f"{AUTH_CONFIRM_DELETION}?t={token}"


def absolute(base_url: str | None, path: str) -> str:
    """A path on a configured origin (APP_BASE_URL, deploy_url, api_url), never a request's Host."""
    return f"{(base_url or '').rstrip('/')}{path}"


_SAFE_NEXT = re.compile(r"/(?:[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*)?/?", re.ASCII)


def safe_next(path: str | None) -> str:
    """A `next` target only if it is a plain path inside the app, else "".

    Anything with a scheme, a host ("//evil.test"), backslashes, dots, encoded
    characters or a query is refused, so no redirect ever leaves the app.
    """
    if not path or len(path) > 200 or not _SAFE_NEXT.fullmatch(path):
        return ""
    first = path.strip("/").split("/")[0]
    return "" if first in {"auth", "_event", "_upload"} else path


def dashboard(url: str) -> str:
    return f"/{quote(url)}"


def room(host_url: str, slug: str) -> str:
    """A room's or session's fixed link under its host's URL (ROOM)."""
    return f"/{quote(host_url)}/{quote(slug)}"


def first_segments() -> set[str]:
    """The first path segment of every static route (what a URL must never equal)."""
    segments = set()
    for route in (*PAGE_ROUTES, *BACKEND_ROUTES):
        first = route.strip("/").split("/")[0]
        if first and not first.startswith("["):
            segments.add(first)
    return segments
