"""security_headers.py: headers on every response, pages never cached, redirects that
never repeat the request's Host (SECURITY.md G3)."""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib

from starlette.applications import Starlette
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
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


THEME = b"document.documentElement.className = 'dark';"
PAGE = b"<html><head><script>" + THEME + b'</script><script src="/assets/app.js"></script></head></html>'


def _policy(response) -> dict[str, str]:
    policy = response.headers["content-security-policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def _page_client(body: bytes, **headers: str) -> TestClient:
    async def page(_request):
        return Response(body, media_type="text/html", headers=headers)

    return TestClient(SecurityHeaders(Starlette(routes=[Route("/", page)])))


def test_scripts_run_only_from_this_site_or_by_the_pages_own_hash(app_env):
    policy = _policy(_page_client(PAGE).get("/"))
    theme_hash = base64.b64encode(hashlib.sha256(THEME).digest()).decode()
    assert policy["script-src"] == f"'self' 'sha256-{theme_hash}'"
    assert "unsafe" not in policy["script-src"]
    assert policy["object-src"] == "'none'" and policy["base-uri"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == f"'self' {app_env.base_url}"  # and the app's own origins only


def test_a_precompressed_page_is_hashed_as_the_browser_reads_it(app_env):
    plain = _policy(_page_client(PAGE).get("/"))
    packed = _page_client(gzip.compress(PAGE), **{"content-encoding": "gzip"})
    response = packed.get("/", headers={"accept-encoding": "identity"})
    assert _policy(response)["script-src"] == plain["script-src"]


def test_anything_but_a_page_gets_the_policy_without_hashes(app_env):
    assert _policy(_client().get("/app.js"))["script-src"] == "'self'"


def test_a_page_the_server_sends_from_disk_gets_its_policy_too(app_env, tmp_path):
    """Granian sends files itself (ASGI pathsend): the policy is computed from the file."""
    page = tmp_path / "index.html"
    page.write_bytes(PAGE)

    async def app(_scope, _receive, send):
        html = [(b"content-type", b"text/html")]
        await send({"type": "http.response.start", "status": 200, "headers": html})
        await send({"type": "http.response.pathsend", "path": str(page)})

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    asyncio.run(SecurityHeaders(app)({"type": "http", "headers": []}, None, send))
    start, pathsend = sent
    policy = dict(start["headers"])[b"content-security-policy"].decode()
    assert policy.startswith("script-src 'self' 'sha256-")
    assert pathsend == {"type": "http.response.pathsend", "path": str(page)}
