"""OpenID Connect provider plumbing: discovery, signing keys, and ID-token checks.

Metadata and keys are cached per process (an hour); a token signed with a key id we
do not know refetches the keys once, at most once a minute, which covers key
rotation without fetching keys on every sign-in.
"""

from __future__ import annotations

import time

import httpx2
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from session_app.environment import Environment

ALGORITHMS = ["RS256", "ES256"]  # never "none", never HMAC with a public key
LEEWAY_SECONDS = 120
CACHE_SECONDS = 3600
REFETCH_KEYS_AFTER_SECONDS = 60
GOOGLE_ISSUER = "https://accounts.google.com"


class ProviderUnavailable(Exception):
    """Discovery, keys or the token endpoint did not answer in time, or not sensibly."""


# --- Provider metadata and keys, cached per process ---------------------------------

_metadata: dict[str, tuple[float, dict]] = {}
_keys: dict[str, tuple[float, KeySet]] = {}


def clear_caches() -> None:
    _metadata.clear()
    _keys.clear()


async def _get_json(url: str, timeout: float) -> dict:
    try:
        async with httpx2.AsyncClient(timeout=timeout) as client:
            response = await client.get(url)
            response.raise_for_status()
            return response.json()
    except (httpx2.HTTPError, ValueError) as exc:
        raise ProviderUnavailable(f"{type(exc).__name__} from {url}") from exc


async def provider_metadata(env: Environment) -> dict:
    url = env.google_discovery_url
    cached = _metadata.get(url)
    if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    metadata = await _get_json(url, env.google_timeout)
    for field in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(metadata.get(field), str):
            raise ProviderUnavailable(f"discovery document lacks {field}")
    _metadata[url] = (time.monotonic(), metadata)
    return metadata


async def provider_keys(jwks_uri: str, env: Environment, *, refresh: bool = False) -> KeySet:
    cached = _keys.get(jwks_uri)
    age = time.monotonic() - cached[0] if cached else None
    if (
        cached
        and age is not None
        and (age < CACHE_SECONDS and not (refresh and age > REFETCH_KEYS_AFTER_SECONDS))
    ):
        return cached[1]
    try:
        document = await _get_json(jwks_uri, env.google_timeout)  # a JWKS: {"keys": [...]}
        keys = KeySet.import_key_set(document)  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise ProviderUnavailable("unreadable key set") from exc
    _keys[jwks_uri] = (time.monotonic(), keys)
    return keys


def accepted_issuers(metadata_issuer: str) -> list[str]:
    # Google documents both forms of its issuer; any other provider has exactly one.
    if metadata_issuer == GOOGLE_ISSUER:
        return [GOOGLE_ISSUER, "accounts.google.com"]
    return [metadata_issuer]


# --- The ID token --------------------------------------------------------------------


class InvalidIdToken(Exception):
    """The ID token failed a check; the message says which (for logs, not people)."""


def validate_id_token(id_token: str, keys: KeySet, *, issuers: list[str], client_id: str, nonce: str) -> dict:
    """The token's claims after every check, or InvalidIdToken."""
    try:
        token = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
    except (JoseError, ValueError, TypeError) as exc:
        raise InvalidIdToken(f"signature or format: {type(exc).__name__}") from exc
    claims = token.claims
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY_SECONDS,
        iss={"essential": True, "values": issuers},
        aud={"essential": True, "value": client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except JoseError as exc:
        raise InvalidIdToken(f"claims: {exc}") from exc
    if claims["iat"] > time.time() + LEEWAY_SECONDS:
        raise InvalidIdToken("claims: issued in the future")
    if "azp" in claims and claims["azp"] != client_id:
        raise InvalidIdToken("claims: azp is another client")
    audience = claims["aud"]
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != client_id:
        raise InvalidIdToken("claims: several audiences without azp")
    return claims


async def verified_claims(id_token: str, metadata: dict, env: Environment, nonce: str) -> dict:
    """Validate with cached keys; an unknown key id refetches them once (key rotation)."""
    keys = await provider_keys(metadata["jwks_uri"], env)
    issuers = list(accepted_issuers(metadata["issuer"]))
    client_id = env.google_client_id
    try:
        return validate_id_token(id_token, keys, issuers=issuers, client_id=client_id, nonce=nonce)
    except InvalidIdToken:
        fresh = await provider_keys(metadata["jwks_uri"], env, refresh=True)
        if fresh is keys:
            raise
        return validate_id_token(id_token, fresh, issuers=issuers, client_id=client_id, nonce=nonce)
