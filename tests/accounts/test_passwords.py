"""Password hashing parameters and the password policy."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from emulation.accounts.passwords import (
    HASHER,
    common_passwords,
    hash_password,
    password_problem,
    verify_password,
)


def test_argon2id_with_owasp_parameters(app):
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert HASHER.time_cost == 2 and HASHER.memory_cost == 19456 and HASHER.parallelism == 1
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "correct horse batterY")
    assert not verify_password("not a hash", "x")


def test_policy_length(app):
    assert password_problem("Sh0rt!x") is not None
    assert password_problem("y" * 129) is not None


@pytest.mark.parametrize(
    "weak",
    [
        "aaaaaaaa",  # one kind, one character
        "abcdefgh",  # one kind
        "qlmnz7284",  # two kinds
        "Aa1aaaaa",  # three kinds, but two distinct letters and a digit
        "x" * 64,  # long but a single character
        "é" * 100,
        "ab" * 10,  # long but only two characters
    ],
)
def test_weak_passwords_refused_with_a_clear_vietnamese_message(app, weak):
    assert password_problem(weak) is not None
    with force_locale("vi"):
        assert password_problem(weak).startswith("Mật khẩu quá yếu")


@pytest.mark.parametrize(
    "strong",
    [
        "thidua-2026",  # lower-case, symbol, digits
        "Hanoi2026x",  # upper, lower, digits
        "correct horse battery",  # a phrase of 15+ characters
        "onlylowercaseletters",
        "Công an xã Tân Lập",
    ],
)
def test_mixed_or_long_passwords_accepted(app, strong):
    assert password_problem(strong) is None


def test_generated_initial_passwords_always_pass_the_policy(app):
    from emulation.accounts.user_admin import generate_password

    assert all(password_problem(generate_password()) is None for _ in range(200))


def test_common_and_username_passwords_refused(app):
    assert len(common_passwords()) > 100
    common = next(p for p in sorted(common_passwords()) if len(p) >= 8)
    assert password_problem(common) is not None
    assert password_problem(common.upper()) is not None
    assert password_problem("nguyen.van.a", "Nguyen.Van.A") is not None
