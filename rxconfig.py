"""Reflex configuration. Values come from session_app/environment.py (the environment)."""

import os
from urllib.parse import urlsplit

import reflex as rx

from session_app.environment import ConfigError, get_environment, is_loopback_url

try:
    env = get_environment()
except ConfigError as problem:
    raise SystemExit(f"Session cannot start: {problem}") from None

# Granian reads its worker count from here (Reflex would start 2 x cores + 1 with Redis).
os.environ.setdefault("GRANIAN_WORKERS", str(env.workers))


def _origins(base_url: str) -> list[str]:
    """The app's origin; on this machine also its localhost/127.0.0.1 twin."""
    origins = [base_url]
    if is_loopback_url(base_url):
        parts = urlsplit(base_url)
        for host in ("localhost", "127.0.0.1"):
            twin = f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")
            if twin not in origins:
                origins.append(twin)
    return origins


config = rx.Config(
    app_name="session_app",
    db_url=env.database_url,
    # One origin serves pages and the backend (`reflex run --env prod --single-port`
    # locally, a reverse proxy in production), so the session cookie stays same-origin.
    deploy_url=env.base_url,
    api_url=env.base_url,
    cors_allowed_origins=_origins(env.base_url),
    # Behind reverse proxies, the client's address is this many hops from the right
    # of X-Forwarded-For (0 ignores the header, which a client could forge).
    trusted_proxy_hops=env.trusted_proxy_hops,
    # One process keeps its tabs' state in memory, each dropped an hour after its tab
    # last spoke; Reflex's default for one process, a file per state on disk, stats
    # every file every 2 s and slowed the server down with every tab of the last hour
    # (issue 16). Several workers share the state through Redis, which Reflex picks
    # by itself when REFLEX_REDIS_URL is set.
    **({} if os.environ.get("REFLEX_REDIS_URL") else {"state_manager_mode": "memory"}),
    telemetry_enabled=False,
    show_built_with_reflex=False,
    disable_plugins=[rx.plugins.SitemapPlugin],
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(appearance="inherit", accent_color="violet", radius="large"),
        ),
    ],
)
