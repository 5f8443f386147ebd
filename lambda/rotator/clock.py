"""The one place the handlers read the time, so the emulator can simulate it."""

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)
