"""auth/oidc.py: forged ID tokens are refused (SECURITY.md B4), the way Authlib tests itself."""

from __future__ import annotations

import base64
import json
import time

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from session_app.auth.oidc import GOOGLE_ISSUER, InvalidIdToken, accepted_issuers, validate_id_token

ISSUER = "https://accounts.google.com"
CLIENT = "client-123.apps.googleusercontent.com"
NONCE = "nonce-abc"

KEY = RSAKey.generate_key(2048, parameters={"kid": "key-1", "alg": "RS256", "use": "sig"})
OTHER_KEY_SAME_KID = RSAKey.generate_key(2048, parameters={"kid": "key-1", "alg": "RS256", "use": "sig"})
PUBLIC_KEYS = KeySet.import_key_set({"keys": [KEY.as_dict(private=False)]})


def _claims(**changes) -> dict:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": CLIENT,
        "azp": CLIENT,
        "sub": "1234567890",
        "email": "jane@example.com",
        "email_verified": True,
        "iat": now,
        "exp": now + 3600,
        "nonce": NONCE,
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _token(claims: dict, key=KEY, alg="RS256") -> str:
    return jwt.encode({"alg": alg, "kid": "key-1"}, claims, key)


def _validate(token: str) -> dict:
    return validate_id_token(
        token, PUBLIC_KEYS, issuers=accepted_issuers(ISSUER), client_id=CLIENT, nonce=NONCE
    )


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_a_valid_token_passes():
    claims = _validate(_token(_claims()))
    assert claims["sub"] == "1234567890" and claims["email_verified"] is True


def test_googles_short_issuer_form_is_accepted():
    assert accepted_issuers(GOOGLE_ISSUER) == [GOOGLE_ISSUER, "accounts.google.com"]
    assert _validate(_token(_claims(iss="accounts.google.com")))["iss"] == "accounts.google.com"
    assert accepted_issuers("https://idp.test") == ["https://idp.test"]


@pytest.mark.parametrize(
    "claims",
    [
        _claims(aud="someone-else"),
        _claims(aud=["someone-else", "another"]),
        _claims(iss="https://evil.test"),
        _claims(exp=int(time.time()) - 600),
        _claims(nonce=None),
        _claims(nonce="another-nonce"),
        _claims(iat=int(time.time()) + 3600),
        _claims(azp="another-client"),
        _claims(sub=None),
    ],
    ids=[
        "wrong-aud",
        "wrong-aud-list",
        "wrong-iss",
        "expired",
        "missing-nonce",
        "wrong-nonce",
        "issued-in-the-future",
        "wrong-azp",
        "missing-sub",
    ],
)
def test_bad_claims_are_refused(claims):
    with pytest.raises(InvalidIdToken):
        _validate(_token(claims))


def test_another_key_with_the_same_key_id_is_refused():
    with pytest.raises(InvalidIdToken):
        _validate(_token(_claims(), key=OTHER_KEY_SAME_KID))


def test_alg_none_is_refused():
    unsigned = f"{_b64({'alg': 'none', 'kid': 'key-1'})}.{_b64(_claims())}."
    with pytest.raises(InvalidIdToken):
        _validate(unsigned)


def test_a_tampered_payload_is_refused():
    header, _payload, signature = _token(_claims()).split(".")
    forged = _b64(_claims(sub="someone-else", email="attacker@example.com"))
    with pytest.raises(InvalidIdToken):
        _validate(f"{header}.{forged}.{signature}")


@pytest.mark.parametrize("garbage", ["", "a.b", "a.b.c", "x" * 5000])
def test_garbage_is_refused(garbage):
    with pytest.raises(InvalidIdToken):
        _validate(garbage)


def test_email_verified_false_passes_the_token_check_so_the_app_refuses_it_itself():
    # Like Authlib, the token layer accepts it; google.finish_sign_in refuses it
    # (tests/integration/test_google_sign_in.py::test_an_unverified_email_is_refused).
    assert _validate(_token(_claims(email_verified=False)))["email_verified"] is False
