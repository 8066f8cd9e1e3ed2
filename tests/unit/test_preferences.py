"""accounts/preferences.py and the settings handlers: one field each, never the email
or the URL (SECURITY.md F1, D4)."""

from __future__ import annotations

import inspect

import pytest

from session_app.accounts import preferences
from session_app.accounts.names import InvalidName
from session_app.accounts.profiles import load_profile
from tests.support.factories import onboarded_user


def _onboarded() -> int:
    return onboarded_user("jane@example.com", "Jane", "jane", use_case="teaching")


def test_each_setting_is_validated_and_stored(app_env):
    user_id = _onboarded()
    assert preferences.set_display_name(user_id, "  Jane   Doe ") == "Jane Doe"
    preferences.set_use_case(user_id, "personal")
    preferences.set_theme(user_id, "dark")
    preferences.set_time_zone(user_id, "Europe/Lisbon")
    preferences.set_notifications(user_id, True)
    stored = preferences.preferences_of(user_id)
    assert (stored.display_name, stored.use_case, stored.theme, stored.time_zone, stored.notifications) == (
        "Jane Doe",
        "personal",
        "dark",
        "Europe/Lisbon",
        True,
    )


@pytest.mark.parametrize(
    ("setter", "value"),
    [
        (preferences.set_use_case, "crypto"),
        (preferences.set_theme, "neon"),
        (preferences.set_time_zone, "Mars/Olympus_Mons"),
        (preferences.set_time_zone, "../../etc/passwd"),
    ],
)
def test_unknown_values_are_refused(app_env, setter, value):
    user_id = _onboarded()
    with pytest.raises(ValueError):
        setter(user_id, value)


def test_a_refused_name_keeps_the_old_one(app_env):
    user_id = _onboarded()
    with pytest.raises(InvalidName):
        preferences.set_display_name(user_id, "\u202eevil")
    assert load_profile(user_id).display_name == "Jane"


def test_no_setting_reaches_the_email_or_the_url(app_env):
    user_id = _onboarded()
    for name, function in inspect.getmembers(preferences, inspect.isfunction):
        parameters = set(inspect.signature(function).parameters)
        assert not parameters & {"email", "email_key", "url", "slug"}, name
    view = load_profile(user_id)
    assert (view.email, view.url) == ("jane@example.com", "jane")


def test_settings_handlers_take_only_their_own_value():
    from session_app.components.settings.popup import SECTIONS, SettingsState

    allowed = {
        "self",
        "value",
        "key",
        "theme",
        "zone",
        "enabled",
        "permission",
        "progress",
        "files",
        "pixels",
        "is_open",
        # The passkey part: the browser's answer to its dialog, and a passkey by id and name.
        "answer",
        "passkey_id",
        "name",
    }
    for state in (SettingsState, *SECTIONS):
        for name, handler in state.event_handlers.items():
            if name == "setvar":
                continue  # Reflex's own: it only dispatches to this state's set_* handlers
            parameters = set(inspect.signature(handler.fn).parameters)
            assert parameters <= allowed, (state.__name__, name, parameters)
            assert not parameters & {"email", "url", "user_id"}, name
