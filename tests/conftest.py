"""Shared fixtures, and the module inputs a test run renders. The emulator harness
itself lives in tests/emulator/."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest

from tests.emulator import terraform
from tests.emulator.harness import Emulator, Settings


def pytest_collection_finish(session: pytest.Session) -> None:
    """Every set of module inputs the collected tests can deploy, planned together in
    one Terraform run the first time a test needs one (``terraform.expect_renderings``):
    the default ``Settings()``, each ``Settings`` a collected test module binds at module
    level (its own or imported) or that a module of tests/ it imports binds (``bursts``,
    ``demo``), and each one a collected test is parametrized with. An emulator with any
    other ``Settings`` fails, saying so."""
    found = {terraform.inputs_key(Settings().inputs()): Settings()}
    modules = {id(item.module): item.module for item in session.items if hasattr(item, "module")}
    for module in list(modules.values()):
        for value in vars(module).values():
            if isinstance(value, ModuleType) and value.__name__.startswith("tests."):
                modules.setdefault(id(value), value)
    candidates = [value for module in modules.values() for value in vars(module).values()]
    for item in session.items:
        callspec = getattr(item, "callspec", None)
        candidates += list(callspec.params.values()) if callspec is not None else []
    for value in candidates:
        if isinstance(value, Settings):
            found.setdefault(terraform.inputs_key(value.inputs()), value)
    terraform.expect_renderings([settings.inputs() for settings in found.values()])


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
