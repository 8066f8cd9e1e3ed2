"""accounts/profiles.py: saved onboarding steps, the claim race, immutability (D3–D6)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy
from sqlmodel import func, select

from session_app.accounts.names import InvalidName
from session_app.accounts.profiles import (
    DONE,
    STEP_NAME,
    STEP_URL,
    ClaimOutcome,
    OnboardingOrder,
    check_url,
    claim_url,
    free_suggestions,
    go_back_to,
    host_at,
    load_profile,
    save_display_name,
    save_use_case,
)
from session_app.db import get_engine, read_session
from session_app.models import UniqueUrl
from tests.support.factories import make_user, named_user


def _user(n: int = 0) -> int:
    return make_user(f"person{n}@example.com")


def _ready(n: int = 0, name: str = "Jane Doe") -> int:
    return named_user(f"person{n}@example.com", name, use_case="webinars")


def test_steps_are_saved_and_resume(app_env):
    user_id = _user()
    assert load_profile(user_id).step == 1
    assert save_use_case(user_id, "teaching").step == STEP_NAME
    view = save_display_name(user_id, "  Jane   Doe ")
    assert (view.step, view.use_case, view.display_name) == (STEP_URL, "teaching", "Jane Doe")
    go_back_to(user_id, STEP_NAME)
    assert load_profile(user_id).step == STEP_NAME
    assert load_profile(user_id).display_name == "Jane Doe"


def test_steps_cannot_be_skipped(app_env):
    user_id = _user()
    with pytest.raises(OnboardingOrder):
        save_display_name(user_id, "Jane")
    with pytest.raises(OnboardingOrder):
        claim_url(user_id, "jane-doe")
    assert not _claimed()


def test_a_refused_name_changes_nothing(app_env):
    user_id = _user()
    save_use_case(user_id, "teaching")
    with pytest.raises(InvalidName):
        save_display_name(user_id, "\u202eevil")
    assert load_profile(user_id).step == STEP_NAME
    assert load_profile(user_id).display_name == ""


def test_unknown_use_case_is_refused(app_env):
    with pytest.raises(ValueError):
        save_use_case(_user(), "crypto-mining")


def test_claim_finishes_onboarding_in_one_go(app_env):
    user_id = _ready()
    result = claim_url(user_id, "Jane Doe")
    assert result.outcome is ClaimOutcome.CLAIMED and result.url == "jane-doe"
    view = load_profile(user_id)
    assert view.finished and view.step == DONE and view.url == "jane-doe"
    assert host_at("jane-doe").display_name == "Jane Doe"
    assert host_at("JANE-DOE").user_id == user_id
    assert host_at("nobody-here") is None
    with pytest.raises(OnboardingOrder):
        save_use_case(user_id, "personal")


def test_live_check_reports_each_state(app_env):
    claim_url(_ready(), "jane-doe")
    assert check_url("Jane.Doe").status == "taken"
    assert check_url("jane-doe-2").status == "available"
    assert check_url("admin").status == "reserved"
    invalid = check_url("jane--doe")
    assert invalid.status == "invalid" and "single hyphens" in invalid.message


def test_suggestions_are_free(app_env):
    claim_url(_ready(0), "jane-doe")
    claim_url(_ready(1), "janedoe")
    suggestions = free_suggestions("Jane Doe")
    assert len(suggestions) == 3
    assert "jane-doe" not in suggestions and "janedoe" not in suggestions
    assert all(check_url(s).status == "available" for s in suggestions)


def test_a_taken_or_reserved_url_comes_with_free_alternatives_in_the_same_check(app_env):
    claim_url(_ready(0), "jane-doe")
    taken = check_url("jane-doe", "Jane Doe")
    assert taken.status == "taken" and len(taken.suggestions) == 3
    assert "jane-doe" not in taken.suggestions
    assert all(check_url(s).status == "available" for s in taken.suggestions)
    assert check_url("admin", "Jane Doe").suggestions  # reserved: alternatives too
    assert check_url("jane-doe-9", "Jane Doe").suggestions == ()  # free: none needed
    assert check_url("jane--doe", "Jane Doe").suggestions == ()  # a typo: fix it, no alternatives


def test_the_live_check_is_one_indexed_lookup(app_env):
    """Per keystroke (issue 16): one query, and it searches the primary key, never scans.
    On SQLite it is the only statement sent: no BEGIN or ROLLBACK around it."""
    from sqlalchemy import event

    from session_app.db import get_engine

    claim_url(_ready(0), "jane-doe")
    statements: list[str] = []
    engine = get_engine()
    record = lambda _c, _cur, statement, *_rest: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", record)
    try:
        check_url("jane-doe", "Jane Doe")
    finally:
        event.remove(engine, "before_cursor_execute", record)
    (statement,) = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    if engine.dialect.name != "sqlite":
        return  # PostgreSQL's planner scans tables this small whatever the index: no proof
    assert statements == [statement]
    with engine.connect() as db:
        plan = db.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, ("x",) * statement.count("?")).all()
    details = " ".join(str(row[-1]) for row in plan)
    assert "SEARCH" in details and "SCAN" not in details, details


def _claimed() -> list[UniqueUrl]:
    with read_session() as db:
        return list(db.exec(select(UniqueUrl)).all())


def _race(user_ids: list[int], urls: list[str]):
    barrier = threading.Barrier(len(user_ids))
    results, errors = [], []

    def claim(user_id: int, url: str) -> None:
        barrier.wait()
        try:
            results.append(claim_url(user_id, url))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=claim, args=pair) for pair in zip(user_ids, urls, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_fifty_people_racing_for_one_url_get_one_winner(app_env):
    people = [_ready(n) for n in range(50)]
    variants = ["jane-doe", "Jane-Doe", "JANE-DOE", "jane doe", "Jane.Doe"]
    results, errors = _race(people, [variants[n % 5] for n in range(50)])
    assert errors == []
    outcomes = [r.outcome for r in results]
    assert outcomes.count(ClaimOutcome.CLAIMED) == 1
    assert outcomes.count(ClaimOutcome.TAKEN) == 49
    assert all("took that URL" in r.message for r in results if r.outcome is ClaimOutcome.TAKEN)
    (row,) = _claimed()
    assert row.url == "jane-doe"
    finished = [p for p in people if load_profile(p).finished]
    assert finished == [row.user_id]


def test_fifty_people_claiming_different_urls_all_succeed(app_env):
    people = [_ready(n) for n in range(50)]
    results, errors = _race(people, [f"person-{n}" for n in range(50)])
    assert errors == []
    assert all(r.outcome is ClaimOutcome.CLAIMED for r in results)
    assert len(_claimed()) == 50


def test_one_person_finishing_in_two_tabs_gets_one_url(app_env):
    user_id = _ready()
    results, errors = _race([user_id, user_id], ["first-choice", "second-choice"])
    assert errors == []
    assert sorted(r.outcome.value for r in results) == ["already-finished", "claimed"]
    (row,) = _claimed()
    assert all(r.url == row.url for r in results)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE unique_url SET url = 'someone-else'",
        "UPDATE unique_url SET user_id = :other",
        "DELETE FROM unique_url",
    ],
)
def test_the_database_refuses_to_change_a_claimed_url(app_env, statement):
    owner, other = _ready(0), _user(1)
    claim_url(owner, "jane-doe")
    with pytest.raises(sqlalchemy.exc.DatabaseError):
        with get_engine().begin() as conn:
            conn.execute(sqlalchemy.text(statement), {"other": other})
    (row,) = _claimed()
    assert (row.url, row.user_id) == ("jane-doe", owner)


def test_a_deleted_owners_url_stays_retired(app_env):
    owner = _ready(0)
    claim_url(owner, "jane-doe")
    with get_engine().begin() as conn:
        conn.execute(sqlalchemy.text("DELETE FROM user_account WHERE id = :id"), {"id": owner})
    (row,) = _claimed()
    assert (row.url, row.user_id) == ("jane-doe", None)
    assert host_at("jane-doe") is None
    newcomer = _ready(1)
    assert claim_url(newcomer, "jane-doe").outcome is ClaimOutcome.TAKEN
    with read_session() as db:
        assert db.exec(select(func.count()).select_from(UniqueUrl)).one() == 1


def test_a_retired_url_is_described_as_not_available_not_as_someones(app_env):
    owner = _ready(0)
    claim_url(owner, "gone-away")
    claim_url(_ready(1), "still-here")
    with get_engine().begin() as conn:
        conn.execute(sqlalchemy.text("DELETE FROM user_account WHERE id = :id"), {"id": owner})
    retired, taken = check_url("gone-away"), check_url("still-here")
    assert (retired.status, retired.message) == ("taken", "That URL isn't available. Choose another.")
    assert (taken.status, taken.message) == ("taken", "Someone already has that URL.")


def test_a_finished_person_cannot_claim_a_second_url(app_env):
    user_id = _ready()
    claim_url(user_id, "first-url")
    again = claim_url(user_id, "second-url")
    assert again.outcome is ClaimOutcome.ALREADY_FINISHED and again.url == "first-url"
    with pytest.raises(OnboardingOrder):
        save_display_name(user_id, "New Name")
    assert [row.url for row in _claimed()] == ["first-url"]
