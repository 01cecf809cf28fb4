"""Fixtures of the UI tests: an unexpected fault fails the test.

The helpers to drive the kiosk (``make_app``, ``login``, ``screen_text``…) are in
:mod:`tests.helpers.ui`; they are imported here too for the tests that still
take them from this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.ui import (  # noqa: F401  (re-exported)
    SIZE,
    login,
    make_app,
    make_empty_app,
    screen_text,
    type_text,
    wait_until,
)


@pytest.fixture
def faults(error_log: Path) -> Path:
    """For a test that provokes faults on purpose: the error log it may then read."""
    return error_log


@pytest.fixture(autouse=True)
def _no_unexpected_faults(request: pytest.FixtureRequest, error_log: Path) -> Iterator[None]:
    """The kiosk shows a fault as a panel and goes on; in a test, an unexpected one fails
    the test with the logged traceback (it would otherwise hide behind the panel)."""
    yield
    if "faults" not in request.fixturenames and error_log.exists():
        pytest.fail(
            "the kiosk logged an unexpected error (a test that provokes faults takes the "
            f"`faults` fixture):\n{error_log.read_text(encoding='utf-8')}"
        )
