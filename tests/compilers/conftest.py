"""Fixtures of the compile tests: sources written into a temporary dir."""

import pytest

from tests.support import Sources


@pytest.fixture
def sources(tmp_path):
    return Sources(str(tmp_path))
