"""Fixtures of the unit tests."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest


@pytest.fixture
def machine_zone_not_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local time zone is UTC+05:30 for the test (a POSIX TZ rule, so no
    time zone database is needed): code that converts to "local" instead of UTC shows."""
    monkeypatch.setenv("TZ", "XST-05:30")
    time.tzset()
    try:
        assert datetime.now().astimezone().utcoffset() == timedelta(hours=5, minutes=30)
        yield
    finally:
        monkeypatch.undo()
        time.tzset()
