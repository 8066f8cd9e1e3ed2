"""Google's photo as the avatar: fetched carefully, through the same pipeline (issue 5, item 3)."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from starlette.applications import Starlette
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from session_app.accounts.preferences import preferences_of
from session_app.db import write_session
from session_app.environment import reload_environment
from session_app.media import profile_photos
from session_app.media.avatars import MAX_BYTES, AvatarError
from session_app.media.remote import fetch_picture, picture_allowed
from session_app.media.storage import FolderStore
from session_app.models import Profile
from tests.support.factories import onboarded_user
from tests.support.servers import serving


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _pictures() -> Starlette:
    async def photo(_request):
        return Response(_png(), media_type="image/png")

    async def huge(_request):
        return Response(b"\x89PNG" + b"\0" * (MAX_BYTES + 10), media_type="image/png")

    async def elsewhere(_request):
        return RedirectResponse("http://169.254.169.254/latest/meta-data/")

    async def missing(_request):
        return Response(status_code=404)

    return Starlette(
        routes=[
            Route("/photo.png", photo),
            Route("/huge.png", huge),
            Route("/redirect.png", elsewhere),
            Route("/missing.png", missing),
        ]
    )


@pytest.fixture
def pictures(app_env, monkeypatch):
    monkeypatch.setenv("GOOGLE_PICTURE_HOSTS", "localhost,127.0.0.1")
    env = reload_environment()
    with serving(_pictures()) as url:
        yield url, env


def test_a_photo_from_an_allowed_host_is_fetched(pictures):
    url, env = pictures
    assert fetch_picture(f"{url}/photo.png", env) == _png()


@pytest.mark.parametrize("path", ["/huge.png", "/redirect.png", "/missing.png"])
def test_big_redirected_or_missing_photos_are_refused(pictures, path):
    url, env = pictures
    with pytest.raises(AvatarError):
        fetch_picture(f"{url}{path}", env)


@pytest.mark.parametrize(
    "candidate",
    [
        "http://lh3.googleusercontent.com/a/photo",  # plain http to the internet
        "https://googleusercontent.com.evil.test/a",
        "https://evil.test/a",
        "file:///etc/passwd",
        "https://169.254.169.254/latest/meta-data/",
    ],
)
def test_only_allowed_hosts_over_https_are_fetched(app_env, candidate):
    env = reload_environment()
    assert not picture_allowed(candidate, env)
    assert picture_allowed("https://lh3.googleusercontent.com/a/photo=s96-c", env)


def test_the_google_photo_becomes_the_avatar(pictures, tmp_path):
    url, env = pictures
    user_id = onboarded_user("g@example.com", "G", "g-photo", use_case="personal")
    with write_session() as db:
        db.get(Profile, user_id).google_picture = f"{url}/photo.png"
    stem = profile_photos.save_google_picture(FolderStore(tmp_path), user_id, env)
    assert stem and preferences_of(user_id).avatar_stem == stem
    image = Image.open(tmp_path / profile_photos.public_path(user_id, stem, 512))
    assert image.size == (512, 512) and image.format == "WEBP"
