"""tokens.py: entropy, hashing at rest, code parsing and the length guard (SECURITY.md A1, A2)."""

from __future__ import annotations

import ast
import collections
from pathlib import Path

import pytest

from session_app import tokens

APP_DIR = Path(__file__).resolve().parents[2] / "session_app"


def test_link_tokens_are_long_and_never_repeat():
    made = [tokens.new_token() for _ in range(100_000)]
    assert len(set(made)) == len(made)
    assert min(len(t) for t in made) >= 43


def test_codes_are_six_ascii_digits_with_leading_zeros_kept():
    codes = [tokens.new_code() for _ in range(20_000)]
    assert all(len(c) == 6 and c.isascii() and c.isdigit() for c in codes)
    assert any(c.startswith("0") for c in codes)


def test_code_digits_are_roughly_uniform():
    counts = collections.Counter("".join(tokens.new_code() for _ in range(100_000)))
    expected = 600_000 / 10
    chi_square = sum((counts[d] - expected) ** 2 / expected for d in "0123456789")
    # 9 degrees of freedom: 27.9 is the p=0.001 critical value.
    assert chi_square < 27.9


def test_code_hash_is_keyed_and_salted():
    a = tokens.hash_code("123456", "salt-a", "key")
    assert a != tokens.hash_code("123456", "salt-b", "key")
    assert a != tokens.hash_code("123456", "salt-a", "other-key")
    assert "123456" not in a
    assert tokens.code_matches("123456", "salt-a", "key", a)
    assert not tokens.code_matches("123457", "salt-a", "key", a)


def test_token_hash_is_sha256_hex_without_the_token():
    token = tokens.new_token()
    digest = tokens.hash_token(token)
    assert len(digest) == 64 and token not in digest


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("123456", "123456"),
        (" 123 456 ", "123456"),
        ("000000", "000000"),
        ("12345", None),
        ("1234567", None),
        ("１２３４５６", None),  # full-width digits
        ("٣٣٣٣٣٣", None),  # Arabic-Indic digits
        ("12345\n6", None),
        ("-12345", None),
        ("", None),
    ],
)
def test_clean_code_accepts_six_ascii_digits_and_spaces_only(typed, expected):
    assert tokens.clean_code(typed) == expected


def test_empty_and_overlong_tokens_are_not_plausible():
    assert tokens.plausible(tokens.new_token())
    assert tokens.plausible("x" * tokens.MAX_TOKEN_LENGTH)
    assert not tokens.plausible("x" * (tokens.MAX_TOKEN_LENGTH + 1))
    assert not tokens.plausible("")
    assert not tokens.plausible(None)


def test_auth_modules_never_use_the_random_module():
    for path in [APP_DIR / "tokens.py", *(APP_DIR / "auth").glob("*.py")]:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert all(alias.name != "random" for alias in node.names), path
            if isinstance(node, ast.ImportFrom):
                assert node.module != "random", path
