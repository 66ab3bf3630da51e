"""Fixtures of the load tests: two server processes on the test database (module-wide)."""

from __future__ import annotations

import pytest

from tests.reliability.live import log_sizes, logged_since, server_processes


@pytest.fixture(scope="module")
def servers(_schema, database_url, evidence_dir, tmp_path_factory):
    """Two server processes (like two gunicorn workers) on the test database: addresses and
    the folder of their logs."""
    log_dir = tmp_path_factory.mktemp("servers")
    with server_processes(database_url, evidence_dir, log_dir) as addresses:
        yield addresses, log_dir


@pytest.fixture
def no_server_errors(servers):
    """Fails the test if a server wrote anything to stderr (a traceback, a logged error)."""
    _addresses, log_dir = servers
    sizes = log_sizes(log_dir)
    yield
    assert logged_since(log_dir, sizes) == ""
