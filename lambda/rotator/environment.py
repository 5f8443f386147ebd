"""The environment a function's settings are read from.

In Lambda that is the process environment. The emulator (tests/emulator/harness.py)
runs every function in one process, from several threads at once, so it gives each
invocation its function's own environment with ``given``, which holds only in the
thread (the context) that runs that invocation; ``os.environ`` is never changed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

_given: ContextVar[Mapping[str, str] | None] = ContextVar("rotator_environment", default=None)


def environ() -> Mapping[str, str]:
    """The environment of the function now running: the one ``given`` in this context,
    else the process's."""
    given = _given.get()
    return os.environ if given is None else given


@contextmanager
def given(variables: Mapping[str, str]) -> Iterator[None]:
    """``environ()`` is ``variables`` in this context until the block ends."""
    token = _given.set(variables)
    try:
        yield
    finally:
        _given.reset(token)
