"""A burst of backup jobs through the emulator (another helper's part of
``make bench``; not written yet).

Contract: ``run_burst() -> dict`` with at least ``burst_restored``,
``burst_duplicated`` and ``burst_ratio_to_ideal``, plus any further details.
"""

from __future__ import annotations

from typing import Any


def run_burst() -> dict[str, Any]:
    raise NotImplementedError("bench.burst.run_burst is not written yet")
