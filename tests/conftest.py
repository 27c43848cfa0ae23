"""Shared fixtures: a fresh kernel for every test."""
import pytest

import nest


@pytest.fixture(autouse=True)
def fresh_kernel():
    nest.ResetKernel()
    yield
