"""auth/emails.py over the bad addresses of SECURITY.md §3 (A11)."""

from __future__ import annotations

import pytest

from session_app.auth.emails import InvalidEmail, normalize_email


def test_address_keeps_its_local_part_and_lowercases_the_domain_for_delivery():
    email = normalize_email("Jane.Doe@Example.COM")
    assert email.address == "Jane.Doe@example.com"
    assert email.key == "jane.doe@example.com"


def test_plus_tags_are_distinct_accounts():
    assert normalize_email("jane+tag@example.com").key != normalize_email("jane@example.com").key


def test_surrounding_spaces_are_trimmed():
    assert normalize_email("  jane@example.com ").address == "jane@example.com"


def test_international_domain_is_delivered_in_ascii():
    assert normalize_email("victim@vіctim.com").address == "victim@xn--vctim-n2e.com"


def test_masked_form_shows_first_letter_and_domain():
    assert normalize_email("jane@example.com").masked == "j…@example.com"


@pytest.mark.parametrize(
    "typed",
    [
        "jane@example.com, bob@example.com",
        "jane@example.com;bob@x.com",
        '"e@attacker.com"@victim.com',
        "victim＠victim.com@attacker.com",
        "attacker@evil.com＠victim.com",
        "victim@victim.com\r\nBcc: attacker@evil.com",
        "victim@victim.com%0d%0aBcc:attacker@evil.com",
        "vic\u200btim@victim.com",
        "jäne@example.com",
        "a@b",
        "jane@localhost",
        "jane@[127.0.0.1]",
        "<script>@x.com",
        "",
        "   ",
        "Jane <jane@example.com>",
        "x" * 65 + "@example.com",
        "a@" + ("b" * 60 + ".") * 5 + "com",  # 310 characters
        "j" * 1_000_000,
    ],
)
def test_bad_addresses_are_refused_with_a_reason(typed):
    with pytest.raises(InvalidEmail) as refused:
        normalize_email(typed)
    assert str(refused.value).strip()
