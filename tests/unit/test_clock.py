"""The handlers' one clock reads the current time in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from rotator import clock


def test_now_is_the_current_time_in_utc(machine_zone_not_utc: None) -> None:
    before = datetime.now(UTC)
    now = clock.now()
    assert now.tzinfo is UTC
    assert before <= now <= datetime.now(UTC)
