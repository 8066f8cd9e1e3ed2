"""accounts/names.py: display-name rules over SECURITY.md §3 (E8)."""

from __future__ import annotations

import pytest

from session_app.accounts.names import InvalidName, avatar_colour, clean_display_name, initials


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Jane Doe", "Jane Doe"),
        ("  Jane    Doe  ", "Jane Doe"),
        ("José Ñúñez", "José Ñúñez"),
        ("Jose\u0301", "José"),  # stored NFC
        ("李小龍", "李小龍"),
        ("👩🏽‍💻 Jane", "👩🏽‍💻 Jane"),
        ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
        ("Robert'); DROP TABLE users;--", "Robert'); DROP TABLE users;--"),
        ("admin", "admin"),
        ("x" * 50, "x" * 50),
    ],
)
def test_names_are_kept_as_typed_in_any_script(typed, expected):
    assert clean_display_name(typed) == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("\u202eevil\u202c", "invisible or control"),
        ("\u2066Jane\u2069", "invisible or control"),
        ("\u200b", "invisible or control"),
        ("Ja\u0000ne", "invisible or control"),
        ("\x1b[31mJane", "invisible or control"),
        ("", "Enter the name"),
        ("   ", "Enter the name"),
        ("x" * 51, "at most 50"),
        ("x" * 10_000_000, "at most 50"),
        ("Z" + "\u0338\u0322\u031b\u0316" * 5, "Too many accents"),
    ],
)
def test_bad_names_are_refused_with_the_reason(typed, reason):
    with pytest.raises(InvalidName) as refused:
        clean_display_name(typed)
    assert reason in str(refused.value)


def test_initials_and_colours():
    assert initials("Jane Doe") == "JD"
    assert initials("jane") == "J"
    assert initials("José María Ñúñez") == "JÑ"
    assert initials("👩🏽‍💻") == "?"
    assert avatar_colour(7) == avatar_colour(7)
    assert len({avatar_colour(n) for n in range(50)}) > 4


@pytest.mark.parametrize("typed", ["<reflex.Var>x</reflex.Var>", "a <reflex.Var>", "Jane </REFLEX.VAR>"])
def test_reflexs_var_marker_is_refused(typed):
    """Reflex 0.10 hangs on this marker inside event payloads (toasts, clipboard)."""
    with pytest.raises(InvalidName, match="reflex.Var"):
        clean_display_name(typed)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("!Ann", "A"),
        ("(Ann) Bee", "AB"),
        ("...Ann Bee", "AB"),
        ("¡Ana Luz!", "AL"),
        ("— 🎉 Zoë", "Z"),
        ("???", "?"),
    ],
)
def test_initials_come_from_the_first_letters_not_the_punctuation(name, expected):
    assert initials(name) == expected


def test_url_suggestions_skip_leading_punctuation():
    from session_app.accounts.urls import candidates_from_name

    assert candidates_from_name("!Ann Bee", limit=3) == ["ann-bee", "annbee", "ann"]
    assert candidates_from_name("(Ann) Bee", limit=1) == ["ann-bee"]


def test_the_var_marker_refusal_never_quotes_the_marker():
    """Reflex breaks building an event (a toast) that carries its Var marker."""
    with pytest.raises(InvalidName) as refused:
        clean_display_name("Room <reflex.Var>x</reflex.Var>")
    assert "<reflex.var" not in str(refused.value).lower()
