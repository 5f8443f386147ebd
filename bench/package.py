"""The deployable package: zip size, import times, peak memory (the lead's part of
``make bench``; not written yet).

Contract: ``measure() -> dict`` with at least ``zip_bytes: int`` and ``import_ms:
dict[str, float]`` (module name -> milliseconds, with .pyc), plus any further figures.
"""

from __future__ import annotations

from typing import Any


def measure() -> dict[str, Any]:
    raise NotImplementedError("bench.package.measure is not written yet")
