"""The pure rules and the labels import only the plain domain modules: no ORM, no models."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHECK = """
import sys
import {module}
loaded = [m for m in sys.modules if m == "sqlalchemy" or m.endswith(".models")]
print(",".join(loaded))
"""


@pytest.mark.parametrize(
    "module", ["emulation.scoring.rules", "emulation.leaderboards.ranking", "emulation.labels"]
)
def test_module_imports_no_orm(module):
    result = subprocess.run(
        [sys.executable, "-c", CHECK.format(module=module)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == ""
