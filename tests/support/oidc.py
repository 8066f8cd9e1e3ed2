"""A real OpenID provider on loopback (oidc-provider-mock) standing in for Google.

It is an Authlib authorization server: discovery, JWKS, an authorization form a
person (or a test) approves or denies, and a token endpoint issuing signed ID tokens.
Clients are registered with their exact redirect URI. It does not enforce PKCE;
tests/unit/test_google.py checks our S256 challenge and verifier instead.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import oidc_provider_mock


@dataclass
class Provider:
    base_url: str
    client_id: str = ""
    client_secret: str = ""

    @property
    def discovery_url(self) -> str:
        return f"{self.base_url}/.well-known/openid-configuration"

    def register_client(self, redirect_uri: str) -> None:
        response = httpx.post(
            f"{self.base_url}/oauth2/clients",
            json={"redirect_uris": [redirect_uri], "token_endpoint_auth_method": "client_secret_basic"},
        )
        response.raise_for_status()
        self.client_id = response.json()["client_id"]
        self.client_secret = response.json()["client_secret"]

    def set_user(self, sub: str, **claims: object) -> None:
        httpx.put(f"{self.base_url}/users/{sub}", json=claims).raise_for_status()


@contextlib.contextmanager
def running_provider() -> Iterator[Provider]:
    with oidc_provider_mock.run_server_in_thread(
        port=0, require_client_registration=True, require_nonce=True
    ) as server:
        yield Provider(base_url=f"http://localhost:{server.server_port}")


def approve(authorization_url: str, sub: str) -> str:
    """Press "Authorize" on the provider's form; returns where it sends the browser."""
    response = httpx.post(authorization_url, data={"sub": sub})
    assert response.status_code in (302, 303), response.text[:500]
    return response.headers["location"]


def deny(authorization_url: str) -> str:
    response = httpx.post(authorization_url, data={"action": "deny"})
    assert response.status_code in (302, 303), response.text[:500]
    return response.headers["location"]
