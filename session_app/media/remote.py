"""Fetch a photo from the identity provider (Google's `picture`), carefully.

Only hosts on the allow-list (env.google_picture_hosts), only https (plain http
only to this machine, for tests), no redirects, a short timeout, and no more than the
avatar size limit is ever read. What arrives goes through the same pipeline as an
upload. Blocking: callers run it in a thread.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx2

from session_app.environment import Environment, is_loopback_url
from session_app.media.avatars import MAX_BYTES, TOO_BIG, AvatarError

UNAVAILABLE = "We couldn't get your Google photo just now. Try again, or upload one."


def picture_allowed(url: str, env: Environment) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" and not (parts.scheme == "http" and is_loopback_url(url)):
        return False
    return any(host == allowed or host.endswith("." + allowed) for allowed in env.google_picture_hosts)


def fetch_picture(url: str, env: Environment) -> bytes:
    if not picture_allowed(url, env):
        raise AvatarError(UNAVAILABLE)
    try:
        with httpx2.Client(timeout=env.google_timeout, follow_redirects=False) as client:
            with client.stream("GET", url) as response:
                if response.status_code != 200:
                    raise AvatarError(UNAVAILABLE)
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > MAX_BYTES:
                        raise AvatarError(TOO_BIG)
                return bytes(body)
    except httpx2.HTTPError:
        raise AvatarError(UNAVAILABLE) from None
