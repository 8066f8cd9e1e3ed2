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
