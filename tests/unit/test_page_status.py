"""page_status.py: unknown people and rooms answer 404, pages of real ones 200, and
nothing else is looked up (issue 11, WCAG 2.4.2)."""

from __future__ import annotations

import gzip

from starlette.applications import Starlette
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from session_app.page_status import NotFoundStatus, _people_path
from session_app.rooms import rooms
from tests.support.factories import onboarded_user


def _client() -> TestClient:
    async def page(_request):
        return HTMLResponse("<h1>the one page for every URL</h1>")

    async def script(_request):
        return PlainTextResponse("console.log(1)", media_type="text/javascript")

    routes = [Route("/{path:path}.js", script), Route("/{path:path}", page)]
    return TestClient(NotFoundStatus(Starlette(routes=routes)))


def test_only_paths_that_could_name_a_person_or_a_room_are_looked_up():
    assert _people_path("/jane") == ["jane"]
    assert _people_path("/jane/standup") == ["jane", "standup"]
    for path in ("/", "/signup", "/login", "/onboarding", "/dev/mailbox", "/auth/magic", "/media/a/b"):
        assert _people_path(path) is None, path
    assert _people_path("/a/b/c") is None
    assert _people_path("/favicon.ico") is None


def test_a_person_and_their_room_are_200_and_unknown_ones_404(app_env):
    host = onboarded_user(url="jane")
    room = rooms.create_room(host, "Standup")
    client = _client()
    assert client.get("/jane").status_code == 200
    assert client.get(f"/jane/{room.slug}").status_code == 200
    assert client.get("/nobody").status_code == 404
    assert client.get("/jane/no-such-room").status_code == 404
    assert client.get("/nobody/x.js").status_code == 200  # not a page: never looked up


def _shell_client(*, gzipped: bool, with_title_tag: bool) -> TestClient:
    shell = b"<!DOCTYPE html><html><head><meta charSet='utf-8'/>"
    shell += b"<title>Session</title>" if with_title_tag else b""
    shell += b"<script>window.x=1</script></head><body></body></html>"

    async def page(_request):
        body = gzip.compress(shell) if gzipped else shell
        headers = {"content-encoding": "gzip"} if gzipped else {}
        return HTMLResponse(body, headers=headers)

    return TestClient(NotFoundStatus(Starlette(routes=[Route("/{path:path}", page)])))


def test_the_shell_is_titled_and_names_the_host_or_the_room_before_any_script_runs(app_env):
    host = onboarded_user(url="jane", name='Jane <"Ops">')
    room = rooms.create_room(host, "Standup & retro")
    for gzipped, with_title_tag in ((False, True), (True, True), (False, False)):
        client = _shell_client(gzipped=gzipped, with_title_tag=with_title_tag)
        page = client.get("/jane")
        assert '<title>Jane &lt;"Ops"&gt; · Session</title>' in page.text
        assert page.text.count("<title>") == 1
        assert "<script>window.x=1</script>" in page.text  # inline scripts untouched (CSP hashes)
        assert int(page.headers["content-length"]) == len(page.content)
        assert "content-encoding" not in page.headers
        room_page = client.get(f"/jane/{room.slug}").text
        assert "<title>Standup &amp; retro · Session</title>" in room_page
        # The names are painted before any script runs, first in <body>, escaped.
        host_words = '<h1 elementtiming=name>Jane &lt;"Ops"&gt;</h1>'
        assert f"<body><session-prepaint>{host_words}</session-prepaint></body>" in page.text
        assert (
            '<body><session-prepaint><p>Jane &lt;"Ops"&gt;\'s room</p>'
            "<h1 elementtiming=name>Standup &amp; retro</h1></session-prepaint></body>"
        ) in room_page
        for missing, title in (("/nobody", "There's nobody here"), ("/jane/nothing", "Room not found")):
            answer = client.get(missing).text
            assert f"<title>{title} · Session</title>" in answer
            assert "session-prepaint" not in answer  # the page's own "not found" view says it
    head = _shell_client(gzipped=True, with_title_tag=True).head("/nobody")
    assert head.status_code == 404
