"""The plain HTTP routes of sign-in: the only places that set or clear the cookie.

A websocket event cannot send Set-Cookie, so every way in ends here:
- GET  /auth/magic?t=…  shows "Continue as j…@example.com" and changes nothing:
       mail scanners open links by themselves, only a person presses the button;
- POST /auth/magic      uses the link and sets the session cookie;
- GET  /auth/ticket?t=… swaps the one-time ticket from the code form for the cookie;
- GET  /auth/signed-out ends the session and expires the cookie;
- GET  /auth/google/start and /auth/google/callback: sign in with Google;
- GET and POST /auth/confirm-deletion: the same button, for confirming an account's deletion.
Each refuses requests that another site started (login CSRF, SECURITY.md C7).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from urllib.parse import urlsplit

from reflex.config import get_config
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from session_app import routes, tokens
from session_app.accounts import deletion
from session_app.auth import confirm_page, google, google_link, new_device, sign_in
from session_app.auth.sessions import (
    SignedIn,
    clear_session_cookie,
    end_session,
    resolve_session,
    set_session_cookie,
    token_from_cookie_header,
)
from session_app.environment import get_environment

MAX_FORM_BYTES = 4096
# "same-origin", not "no-referrer": under no-referrer a browser sends `Origin: null`
# with the confirm form's POST; either way the token never leaves the app's origin.
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "same-origin"}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def allowed_origins() -> set[str]:
    """The app's own origins: pages (deploy URL) and backend (API URL)."""
    config = get_config()
    return {_origin(url) for url in (config.deploy_url, config.api_url) if url}


def is_same_site_request(request: Request) -> bool:
    """Whether the app itself, not another site or a pasted link, sent this request."""
    origin = request.headers.get("origin")
    if origin is not None and origin != "null":
        return origin.lower() in allowed_origins()
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        # "same-site" would also admit a sibling subdomain; it is needed only when the
        # pages and the backend are two origins (development), never in production.
        return fetch_site == "same-origin" or (fetch_site == "same-site" and len(allowed_origins()) > 1)
    referer = request.headers.get("referer")
    return referer is not None and _origin(referer) in allowed_origins()


def page_url(path: str) -> str:
    return routes.absolute(get_config().deploy_url, path)


def _see_other(path: str) -> RedirectResponse:
    return RedirectResponse(page_url(path), status_code=303, headers=NO_STORE)


def _start_session(previous: str | None, token: str, known: str | None) -> SignedIn | None:
    # One session per sign-in (SECURITY.md C3): the session this browser held before
    # ends now, so an old cookie copied elsewhere stops working.
    end_session(previous)
    who = resolve_session(token)
    if who is not None:
        new_device.notice_sign_in(who.session_id, known)
    return who


async def _signed_in(request: Request, token: str, next_path: str = "") -> RedirectResponse:
    """The browser is signed in: the cookie set, the new-device email sent when due.
    Every database call of a route runs in a thread, off the event loop that serves
    every tab's websocket."""
    previous = token_from_cookie_header(request.headers.get("cookie"))
    known = request.cookies.get(new_device.COOKIE)
    who = await asyncio.to_thread(_start_session, previous, token, known)
    response = _see_other(routes.safe_next(next_path) or routes.SIGNED_IN_HOME)
    set_session_cookie(response, token)
    if who is not None:
        response.set_cookie(
            new_device.COOKIE,
            new_device.remembered(known, who.user_id),
            max_age=new_device.COOKIE_MAX_AGE,
            path="/",
            secure=get_environment().secure_cookies,
            httponly=True,
            samesite="lax",
        )
    return response


def _forbidden() -> Response:
    return PlainTextResponse("This request did not come from Session.", status_code=403, headers=NO_STORE)


async def _form_value(request: Request, name: str) -> str:
    if int(request.headers.get("content-length") or 0) > MAX_FORM_BYTES:
        return ""
    form = await request.form(max_files=0, max_fields=4)
    value = form.get(name)
    return value if isinstance(value, str) else ""


async def _button_page(
    request: Request, peek: Callable[[str], str | None], page: Callable[[str, str], str]
) -> Response:
    """An emailed link that signs in: a one-button page naming the account (opening
    the link changes nothing), or the dead-link notice."""
    token = request.query_params.get("t", "")
    masked = await asyncio.to_thread(peek, token)
    if masked is None:
        return _see_other(routes.sign_in_notice(routes.NOTICE_LINK_DEAD))
    return HTMLResponse(page(token, masked), headers=NO_STORE)


async def _button_pressed(request: Request, use: Callable[[str, str], str | None]) -> Response:
    """The button of such a page, pressed on this site: the link used once, signed in."""
    if not is_same_site_request(request):
        return _forbidden()
    typed, agent = await _form_value(request, "t"), request.headers.get("user-agent", "")
    session_token = await asyncio.to_thread(use, typed, agent)
    if session_token is None:
        return _see_other(routes.sign_in_notice(routes.NOTICE_LINK_DEAD))
    return await _signed_in(request, session_token)


async def magic_link_page(request: Request) -> Response:
    return await _button_page(request, sign_in.peek_magic_link, confirm_page.for_magic_link)


async def magic_link_confirm(request: Request) -> Response:
    return await _button_pressed(request, sign_in.confirm_magic_link)


async def ticket(request: Request) -> Response:
    if not is_same_site_request(request):
        return _forbidden()
    session_token = await asyncio.to_thread(
        sign_in.redeem_ticket, request.query_params.get("t", ""), request.headers.get("user-agent", "")
    )
    if session_token is None:
        return _see_other(routes.sign_in_notice(routes.NOTICE_CODE_DEAD))
    return await _signed_in(request, session_token)


async def signed_out(request: Request) -> Response:
    if not is_same_site_request(request):
        return _forbidden()
    await asyncio.to_thread(end_session, token_from_cookie_header(request.headers.get("cookie")))
    response = _see_other(routes.HOME + "?signed_out=1")
    clear_session_cookie(response)
    return response


GOOGLE_COOKIE = "google_attempt"


def _google_redirect_uri() -> str:
    return routes.absolute(get_config().api_url, routes.AUTH_GOOGLE_CALLBACK)


def _single(request: Request, name: str) -> str | None:
    """A query parameter given exactly once (duplicates are refused, not guessed at)."""
    values = request.query_params.getlist(name)
    return values[0] if len(values) == 1 else None


async def google_start(request: Request) -> Response:
    env = get_environment()
    if not env.google_enabled:
        return _see_other(routes.LOG_IN)
    next_path = routes.safe_next(request.query_params.get("next"))
    try:
        started = await google.start_sign_in(env, _google_redirect_uri(), next_path)
    except google.ProviderUnavailable:
        return _see_other(routes.sign_in_notice(google.Failure.UNAVAILABLE.value))
    response = RedirectResponse(started.authorization_url, status_code=303, headers=NO_STORE)
    # Binds the attempt to this browser. Lax, because the provider's redirect back is
    # a cross-site top-level navigation.
    response.set_cookie(
        GOOGLE_COOKIE,
        started.browser_secret,
        max_age=int(tokens.GOOGLE_ATTEMPT_TTL.total_seconds()),
        path="/auth/google",
        secure=env.secure_cookies,
        httponly=True,
        samesite="lax",
    )
    return response


async def google_callback(request: Request) -> Response:
    env = get_environment()
    browser_secret = request.cookies.get(GOOGLE_COOKIE, "")
    state, code, error = _single(request, "state"), _single(request, "code"), _single(request, "error")
    if error is not None or request.query_params.get("error"):
        await asyncio.to_thread(google.cancel_attempt, state or "", browser_secret)
        failure = google.Failure.CANCELLED if error == "access_denied" else google.Failure.FAILED
        return _google_done(routes.sign_in_notice(failure.value))
    if not env.google_enabled or state is None or code is None:
        return _google_done(routes.sign_in_notice(google.Failure.FAILED.value))
    finished = await google.finish_sign_in(
        env,
        _google_redirect_uri(),
        state=state,
        code=code,
        browser_secret=browser_secret,
        user_agent=request.headers.get("user-agent", ""),
        link_base_url=get_config().api_url or env.base_url,
    )
    if finished.session_token is None:
        assert finished.failure is not None
        return _google_done(routes.sign_in_notice(finished.failure.value))
    return _without_google_cookie(await _signed_in(request, finished.session_token, finished.next_path))


def _google_done(path: str) -> Response:
    return _without_google_cookie(_see_other(path))


def _without_google_cookie(response: Response) -> Response:
    secure = get_environment().secure_cookies
    response.delete_cookie(GOOGLE_COOKIE, path="/auth/google", secure=secure, httponly=True, samesite="lax")
    return response


async def google_link_page(request: Request) -> Response:
    return await _button_page(request, google_link.peek, confirm_page.for_google_link)


async def google_link_confirm(request: Request) -> Response:
    return await _button_pressed(request, google_link.confirm)


async def deletion_page(request: Request) -> Response:
    token = request.query_params.get("t", "")
    if not tokens.plausible(token):
        return _see_other(routes.HOME)
    return HTMLResponse(confirm_page.for_deletion(token), headers=NO_STORE)


async def deletion_confirm(request: Request) -> Response:
    if not is_same_site_request(request):
        return _forbidden()
    scheduled = await asyncio.to_thread(deletion.confirm_deletion, await _form_value(request, "t"))
    return _see_other(routes.HOME if scheduled is None else routes.SIGNED_IN_HOME)


def auth_routes() -> Starlette:
    """The Starlette app that Reflex mounts in front of its own (api_transformer)."""
    return Starlette(
        routes=[
            Route(routes.AUTH_MAGIC_LINK, magic_link_page, methods=["GET", "HEAD"]),
            Route(routes.AUTH_MAGIC_LINK, magic_link_confirm, methods=["POST"]),
            Route(routes.AUTH_TICKET, ticket, methods=["GET"]),
            Route(routes.AUTH_SIGNED_OUT, signed_out, methods=["GET"]),
            Route(routes.AUTH_CONFIRM_DELETION, deletion_page, methods=["GET", "HEAD"]),
            Route(routes.AUTH_CONFIRM_DELETION, deletion_confirm, methods=["POST"]),
            Route(routes.AUTH_GOOGLE_START, google_start, methods=["GET"]),
            Route(routes.AUTH_GOOGLE_CALLBACK, google_callback, methods=["GET"]),
            Route(routes.AUTH_LINK_GOOGLE, google_link_page, methods=["GET", "HEAD"]),
            Route(routes.AUTH_LINK_GOOGLE, google_link_confirm, methods=["POST"]),
        ]
    )
