"""Chromium's virtual authenticator for the passkey journeys (CDP's WebAuthn domain)."""

from __future__ import annotations

from playwright.sync_api import Page

# Chromium's virtual authenticator answers the email field's autofill request by itself
# (as if the person picked the passkey there at once), so the button's journeys turn
# the autofill off; test_the_email_fields_autofill_signs_in covers it.
_NO_AUTOFILL = """
if (window.PublicKeyCredential) PublicKeyCredential.isConditionalMediationAvailable = async () => false;
"""


def virtual_authenticator(page: Page, *, verified: bool = True, autofill: bool = False):
    """A platform authenticator with resident keys and user verification (fingerprint),
    answering by itself: Chromium's stand-in for Touch ID or Windows Hello."""
    if not autofill:
        page.context.add_init_script(_NO_AUTOFILL)
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    options = {
        "protocol": "ctap2",
        "ctap2Version": "ctap2_1",
        "transport": "internal",
        "hasResidentKey": True,
        "hasUserVerification": True,
        "isUserVerified": verified,
        "automaticPresenceSimulation": True,
    }
    authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})["authenticatorId"]
    return cdp, authenticator
