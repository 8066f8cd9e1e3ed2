"""states/browser.py: what handlers ask of the browser, and whom its answers reach."""

from __future__ import annotations

from session_app.states.browser import KEPT, Action, BrowserState
from session_app.states.dashboard import DashboardState


def _tab() -> BrowserState:
    return BrowserState(_reflex_internal_init=True)  # a state as Reflex builds one per tab


def test_a_request_names_its_action_and_a_fresh_id():
    tab = _tab()
    tab._ask(Action.LEAVE, url="/auth/signed-out", replace="")
    tab._ask(Action.LEAVE, url="/auth/signed-out", replace="")
    first, second = tab.requests
    assert first["action"] == "leave" and first["url"] == "/auth/signed-out"
    assert first["id"] != second["id"]  # the page carries out each once, even when alike


def test_the_answer_reaches_the_handler_the_request_named():
    tab = _tab()
    tab._ask(Action.TIME_ZONE, DashboardState.detected_time_zone)
    (request,) = tab.requests
    answer = tab.replied(request["id"], "Asia/Tokyo")
    assert answer is not None and answer.handler.fn.__name__ == "detected_time_zone"
    assert "Asia/Tokyo" in str(answer.args)


def test_a_browser_cannot_reach_any_other_handler_through_an_answer():
    tab = _tab()
    tab._ask(Action.TOAST, text="Link copied")  # asks for no answer
    (request,) = tab.requests
    assert tab.replied(request["id"], "x") is None
    assert tab.replied("made-up-id", "x") is None


def test_only_the_newest_requests_are_kept():
    tab = _tab()
    for n in range(KEPT + 5):
        tab._ask(Action.TOAST, text=str(n))
    assert [r["text"] for r in tab.requests] == [str(n) for n in range(5, KEPT + 5)]


def test_a_passkey_answer_arrives_whole_and_others_stay_short():
    from session_app.pages.sign_in.passkey import PasskeySignInState

    tab = _tab()
    tab._ask(Action.PASSKEY_GET, PasskeySignInState.answered, options="{}", mediation="optional")
    tab._ask(Action.TIME_ZONE, DashboardState.detected_time_zone)
    passkey, zone = tab.requests
    credential = '{"id": "' + "a" * 3000 + '"}'
    assert credential in str(tab.replied(passkey["id"], credential).args)
    assert "b" * 101 not in str(tab.replied(zone["id"], "b" * 500).args)


def test_what_the_passkey_dialog_answered_reads_as_a_sentence():
    from session_app.states.passkey_answers import (
        BROWSER_ERRORS,
        browser_error,
        credential_id_of,
        support_of,
    )

    assert browser_error('{"error": "NotAllowedError"}') == "NotAllowedError"
    assert browser_error('{"error": ') == "Error"
    assert browser_error('{"id": "abc", "response": {}}') is None
    assert "closed or timed out" in BROWSER_ERRORS["NotAllowedError"]
    assert credential_id_of('{"id": "abc"}') == "abc" and credential_id_of("[]") == ""
    assert [support_of(a) for a in ("conditional", "modal", "none", "yes", "")] == [
        "conditional",
        "modal",
        "none",
        "none",
        "none",
    ]
