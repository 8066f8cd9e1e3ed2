"""pages/onboarding/state.py: what the live URL check sends back to the tab."""

from __future__ import annotations

import asyncio

from session_app.accounts.profiles import claim_url
from session_app.pages.onboarding.state import OnboardingState
from tests.support.factories import named_user


def _fields_sent(tab: OnboardingState) -> set[str]:
    delta = tab.get_delta().get(OnboardingState.get_full_name(), {})
    tab._clean()
    return {key.removesuffix("_rx_state_") for key in delta}


def test_typing_on_through_free_urls_sends_only_the_url(app_env):
    """Each keystroke's answer carries what changed, not the whole check (issue 16)."""
    claim_url(named_user("jane@example.com", "Jane Doe", use_case="webinars"), "jane-doe")
    tab = OnboardingState(_reflex_internal_init=True)  # a state as Reflex builds one per tab
    tab.display_name = "Jane Doe"
    asyncio.run(tab._check("jane-d"))
    assert tab.url_status == "available"
    _fields_sent(tab)
    asyncio.run(tab._check("jane-do"))
    assert _fields_sent(tab) == {"url_typed", "url", "full_url"}
    asyncio.run(tab._check("jane-doe"))  # taken: the status, the message, the alternatives
    assert tab.url_status == "taken" and len(tab.suggestions) == 3
    assert _fields_sent(tab) >= {"url_typed", "url", "url_status", "url_message", "suggestions"}
    asyncio.run(tab._check("jane-doe-x"))
    assert (tab.url_status, tab.url_message, tab.suggestions) == ("available", "Available", [])
    assert _fields_sent(tab) >= {"url_status", "url_message", "suggestions"}
