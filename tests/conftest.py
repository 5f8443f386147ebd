"""Shared fixtures. The emulator harness itself lives in tests/emulator/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.emulator.harness import Emulator, Settings


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """moto with the module's functions and state machine deployed, default settings."""
    with Emulator() as emu:
        yield emu


@pytest.fixture
def make_emulator() -> Iterator[object]:
    """Build an emulator with other settings: ``make_emulator(Settings(...), **kw)``.

    moto is process-wide, so build at most one per test.
    """
    opened: list[Emulator] = []

    def build(settings: Settings | None = None, **options: object) -> Emulator:
        emu = Emulator(settings, **options)  # type: ignore[arg-type]
        opened.append(emu.__enter__())
        return emu

    yield build
    for emu in reversed(opened):
        emu.__exit__(None, None, None)
