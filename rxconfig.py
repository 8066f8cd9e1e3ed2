"""Reflex configuration. Values come from session_app/settings.py (the environment)."""

import reflex as rx

from session_app.settings import get_settings

settings = get_settings()

config = rx.Config(
    app_name="session_app",
    db_url=settings.database_url,
    # One origin serves pages and the backend (`reflex run --env prod --single-port`
    # locally, a reverse proxy in production), so the session cookie stays same-origin.
    deploy_url=settings.base_url,
    api_url=settings.base_url,
    cors_allowed_origins=[settings.base_url],
    telemetry_enabled=False,
    show_built_with_reflex=False,
    disable_plugins=[rx.plugins.SitemapPlugin],
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(appearance="inherit", accent_color="violet", radius="large"),
        ),
    ],
)
