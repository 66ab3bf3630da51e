"""A signed-in request reads its account with the account's grants and their scopes in one
statement: every request checks roles, most check a scope, and a score save is a few dozen
milliseconds in all."""

from __future__ import annotations

from emulation.accounts.models import Role
from emulation.extensions import db
from tests.statements import statements


def test_the_account_its_grants_and_scopes_come_in_one_statement(app, client, login_as, make):
    province, other = make.province(), make.province()
    user = make.user(roles=[(Role.ADMIN, province), (Role.BOARD_MEMBER, other)])
    login_as(user)
    db.session.expunge_all()  # the request must load the account, not find it in this session
    with statements(app) as seen:
        assert client.get("/auth/account").status_code == 200
    account_reads = [s for s in seen if "from user_account" in s]
    assert len(account_reads) == 1, account_reads
    assert "role_grant" in account_reads[0] and "unit" in account_reads[0]
    assert not [s for s in seen if s.startswith("select") and "from role_grant" in s], seen
