"""A software authenticator for the server's WebAuthn checks: makes the answers a
browser would send, right or deliberately wrong (tests/unit/test_passkeys.py). The
browser journeys use Chromium's own virtual authenticator instead."""

from __future__ import annotations

import hashlib
import json
import os
import struct

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import bytes_to_base64url

UP, UV, BE, BS, AT = 0x01, 0x04, 0x08, 0x10, 0x40


def _b64(data: bytes) -> str:
    return bytes_to_base64url(data)


class SoftAuthenticator:
    """One discoverable ES256 credential, made by `create` and used by `get`."""

    def __init__(self, origin: str, rp_id: str) -> None:
        self.origin, self.rp_id = origin, rp_id
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.sign_count = 0
        self.user_handle = ""

    def _client_data(self, kind: str, options: str, origin: str | None) -> bytes:
        challenge = json.loads(options)["challenge"]
        data = {"type": kind, "challenge": challenge, "origin": origin or self.origin, "crossOrigin": False}
        return json.dumps(data).encode()

    def _auth_data(self, rp_id: str | None, flags: int, extra: bytes = b"") -> bytes:
        rp_hash = hashlib.sha256((rp_id or self.rp_id).encode()).digest()
        return rp_hash + bytes([flags]) + struct.pack(">I", self.sign_count) + extra

    def create(
        self, options: str, *, origin: str | None = None, rp_id: str | None = None, uv: bool = True
    ) -> str:
        """The answer to navigator.credentials.create() with these options."""
        self.user_handle = json.loads(options).get("user", {}).get("id", self.user_handle)
        numbers = self.key.public_key().public_numbers()
        cose = {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}
        attested = (
            bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id + cbor2.dumps(cose)
        )
        flags = UP | AT | BE | BS | (UV if uv else 0)
        attestation = {"fmt": "none", "attStmt": {}, "authData": self._auth_data(rp_id, flags, attested)}
        client_data = self._client_data("webauthn.create", options, origin)
        return json.dumps(
            {
                "id": _b64(self.credential_id),
                "rawId": _b64(self.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": _b64(client_data),
                    "attestationObject": _b64(cbor2.dumps(attestation)),
                    "transports": ["internal", "hybrid"],
                },
                "clientExtensionResults": {},
            }
        )

    def get(
        self,
        options: str,
        *,
        origin: str | None = None,
        rp_id: str | None = None,
        uv: bool = True,
        count: int | None = None,
        user_handle: str | None = None,
    ) -> str:
        """The answer to navigator.credentials.get(); each use counts one up unless `count`."""
        self.sign_count = self.sign_count + 1 if count is None else count
        auth_data = self._auth_data(rp_id, UP | BE | BS | (UV if uv else 0))
        client_data = self._client_data("webauthn.get", options, origin)
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return json.dumps(
            {
                "id": _b64(self.credential_id),
                "rawId": _b64(self.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": _b64(client_data),
                    "authenticatorData": _b64(auth_data),
                    "signature": _b64(signature),
                    "userHandle": self.user_handle if user_handle is None else user_handle,
                },
                "clientExtensionResults": {},
            }
        )
