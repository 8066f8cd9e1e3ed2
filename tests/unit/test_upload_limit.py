"""upload_limit.py: a hard cap on upload bodies before Reflex reads them (SECURITY.md E1)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from session_app.upload_limit import MAX_BODY, UploadLimit


def _upload_app() -> TestClient:
    async def accept(_request):
        return PlainTextResponse("stored")

    return TestClient(UploadLimit(Starlette(routes=[Route("/_upload", accept, methods=["POST"])])))


def test_oversized_uploads_are_refused_before_anything_reads_them():
    client = _upload_app()
    refused = client.post("/_upload", content=b"x", headers={"content-length": str(MAX_BODY + 1)})
    assert refused.status_code == 413 and "under 10 MB" in refused.text
    assert client.post("/_upload", content=b"small").status_code == 200


def test_uploads_without_a_length_are_refused():
    client = _upload_app()

    def chunks():
        yield b"part"

    assert client.post("/_upload", content=chunks()).status_code == 411


def test_a_refused_upload_is_told_to_the_tab_that_sent_it():
    told = []

    async def tell(token, handler, message):
        told.append((token, handler, message))

    async def accept(_request):
        return PlainTextResponse("stored")

    client = TestClient(
        UploadLimit(Starlette(routes=[Route("/_upload", accept, methods=["POST"])]), on_refused=tell)
    )
    headers = {
        "content-length": str(MAX_BODY + 1),
        "reflex-client-token": "tab-1",
        "reflex-event-handler": "state.photo.upload_avatar",
    }
    assert client.post("/_upload", content=b"x", headers=headers).status_code == 413
    assert told == [("tab-1", "state.photo.upload_avatar", "Images must be under 10 MB.")]


def test_an_upload_naming_a_handler_that_takes_no_files_is_a_400_not_a_500():
    async def accept(_request):
        return PlainTextResponse("stored")

    backend = Starlette(routes=[Route("/_upload", accept, methods=["POST"])])
    client = TestClient(UploadLimit(backend, handlers=("upload_avatar",)))
    wrong = {"reflex-event-handler": "state.dashboard_state.copy_url"}
    right = {"reflex-event-handler": "state.photo_settings_state.upload_avatar"}
    assert client.post("/_upload", content=b"x", headers=wrong).status_code == 400
    assert client.post("/_upload", content=b"x", headers={}).status_code == 400
    assert client.post("/_upload", content=b"x", headers=right).status_code == 200
