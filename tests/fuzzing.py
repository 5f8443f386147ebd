"""How many examples a property test draws.

The counts the tests name are the thorough ones, drawn by ``make fuzz`` (``FUZZ=thorough``).
``make test`` and ``make test-fast`` draw a quarter of each, at least hypothesis's default
of 100: the property tests were about a fifth of pytest's time, and the suite has ten
minutes. The trigger's fuzz is derandomized (the same examples each run), the others
draw anew each run.
"""

from __future__ import annotations

import os

THOROUGH = os.environ.get("FUZZ", "") == "thorough"


def examples(thorough: int) -> int:
    """``thorough`` under ``make fuzz``, otherwise a quarter of it (at least 100)."""
    return thorough if THOROUGH else max(100, thorough // 4)
