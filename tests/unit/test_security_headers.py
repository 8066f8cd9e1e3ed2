"""security_headers.py: headers on every response, pages never cached, redirects that
never repeat the request's Host (SECURITY.md G3)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from session_app.security_headers import SecurityHeaders


def _client() -> TestClient:
    async def page(_request):
        return HTMLResponse("<p>private</p>")

    async def script(_request):
        return PlainTextResponse("console.log(1)", media_type="text/javascript")

    async def slash(request):
        # As Starlette's trailing-slash redirect does: absolute, from the Host header.
        return RedirectResponse(str(request.url.replace(path=request.url.path + "/")), status_code=307)

    async def google(_request):
        return RedirectResponse("https://accounts.google.com/o/oauth2/auth?x=1", status_code=303)

    routes = [Route("/page", page), Route("/app.js", script), Route("/login", slash), Route("/go", google)]
    return TestClient(SecurityHeaders(Starlette(routes=routes)), base_url="http://evil.test")


def test_a_redirect_never_names_the_host_a_request_claimed(app_env):
    response = _client().get("/login?x=1", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/login/?x=1"


def test_a_redirect_to_this_site_or_another_is_kept(app_env):
    own = TestClient(_client().app, base_url=app_env.base_url).get("/login", follow_redirects=False)
    assert own.headers["location"] == f"{app_env.base_url}/login/"
    response = _client().get("/go", follow_redirects=False)
    assert response.headers["location"] == "https://accounts.google.com/o/oauth2/auth?x=1"


def test_pages_are_never_stored_but_assets_may_be(app_env):
    client = _client()
    assert client.get("/page").headers["cache-control"] == "no-store"
    assert "cache-control" not in client.get("/app.js").headers
    assert client.get("/page").headers["x-content-type-options"] == "nosniff"
