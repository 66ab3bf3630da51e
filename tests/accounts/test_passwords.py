"""Password hashing parameters and the password policy."""

from __future__ import annotations

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


def test_policy_length_without_composition_rules(app):
    assert password_problem("short12") is not None
    assert password_problem("onlylowercaseletters") is None
    assert password_problem("x" * 64) is None
    assert password_problem("é" * 100) is None
    assert password_problem("y" * 129) is not None


def test_common_and_username_passwords_refused(app):
    assert len(common_passwords()) > 100
    common = next(p for p in sorted(common_passwords()) if len(p) >= 8)
    assert password_problem(common) is not None
    assert password_problem(common.upper()) is not None
    assert password_problem("nguyen.van.a", "Nguyen.Van.A") is not None
