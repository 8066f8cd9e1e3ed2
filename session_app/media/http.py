"""Uploaded files served by the app, one key at a time, from whichever store holds
them (a folder or a bucket): every worker serves every file, and nobody can list."""

from __future__ import annotations

import asyncio
import re

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from session_app import routes
from session_app.media.avatars import SIZES
from session_app.media.storage import IMMUTABLE, get_store

# The public avatars, and the working copy the crop shows its owner: its name is keyed
# by the server secret (profile_photos.working_name), so only the owner's page has it.
_NAMES = {
    re.compile(r"[\w-]{8,64}-(" + "|".join(str(side) for side in SIZES) + r")\.webp"): "image/webp",
    re.compile(r"[\w-]{24}-work\.jpg"): "image/jpeg",
}


async def avatar(request: Request) -> Response:
    user_id, name = request.path_params["user_id"], request.path_params["name"]
    media_type = next((kind for pattern, kind in _NAMES.items() if pattern.fullmatch(name)), None)
    data = await asyncio.to_thread(get_store().read, f"avatars/{user_id}/{name}") if media_type else None
    if media_type is None or data is None:
        return PlainTextResponse("Not found", status_code=404, headers={"Cache-Control": "no-store"})
    return Response(data, media_type=media_type, headers={"Cache-Control": IMMUTABLE})


def media_routes() -> Starlette:
    return Starlette(
        routes=[Route(routes.MEDIA_PREFIX + "/avatars/{user_id:int}/{name}", avatar, methods=["GET", "HEAD"])]
    )
