"""DynamoDB's limits on RestoreTableFromBackup, which moto 5.2.5 does not enforce:
opt-in (``Emulator(..., restore_limits=RestoreLimits())``); without them every restore
is accepted, as before.

As ``/work/shared/reference/aws-facts.md`` section 4 has them: at most 50 restores in
progress per account and 10 RestoreTableFromBackup calls per second, "beyond that
``LimitExceededException``". Both refusals are that error here (not
``ThrottlingException``): it is the one the reference names for both limits, and the
one the rotator has to get right, since ``rotator.aws`` maps it to
``RestoreLimitExceeded``, which StartRestore retries with its own, longer back-off.
botocore's standard retry mode also retries it inside the function (it counts it as
throttling) before the state machine sees it.

- **In progress**: a table restored through RestoreTableFromBackup while it is still
  restoring on the simulated clock (``restore_seconds`` after its restore started, the
  time DescribeTable shows it ``CREATING``). AWS Backup's StartRestoreJob is not
  limited here.
- **Per second**: the calls accepted within the last simulated second (a sliding
  window; refused calls do not count, so a crowd of refused callers cannot keep each
  other out forever while the clock stands still).

A refused call creates nothing, and is recorded in ``RestoreGate.refusals``.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from moto.dynamodb.exceptions import DynamodbException

_ERROR = "com.amazonaws.dynamodb.v20120810#LimitExceededException"


@dataclass(frozen=True)
class RestoreLimits:
    """``None`` for either leaves that limit out."""

    concurrent: int | None = 50
    per_second: int | None = 10


@dataclass(frozen=True)
class Refusal:
    at: datetime
    table: str
    reason: str  # "concurrent" or "per_second"


class RestoreGate:
    """Admits or refuses RestoreTableFromBackup calls; use as ``with gate: gate.admit(...)``
    around the restore itself so that the check and the restore it admits are one step
    for every thread."""

    def __init__(
        self,
        limits: RestoreLimits,
        now: Callable[[], datetime],
        in_progress: Callable[[], int],
    ) -> None:
        self.limits = limits
        self._now = now
        self._in_progress = in_progress
        self._accepted: deque[datetime] = deque()
        self._lock = threading.RLock()
        self.refusals: list[Refusal] = []

    def __enter__(self) -> RestoreGate:
        self._lock.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.release()

    def admit(self, table: str) -> None:
        """Raise ``LimitExceededException`` if a restore into ``table`` now would
        exceed a limit; otherwise count the call as accepted."""
        now = self._now()
        while self._accepted and now - self._accepted[0] >= timedelta(seconds=1):
            self._accepted.popleft()
        concurrent, per_second = self.limits.concurrent, self.limits.per_second
        if concurrent is not None and (running := self._in_progress()) >= concurrent:
            self._refuse(
                now,
                table,
                "concurrent",
                f"Too many restores in progress: {running} (at most {concurrent} at a time "
                "per account)",
            )
        if per_second is not None and len(self._accepted) >= per_second:
            self._refuse(
                now,
                table,
                "per_second",
                f"Rate of RestoreTableFromBackup exceeded: at most {per_second} calls per second",
            )
        self._accepted.append(now)

    def _refuse(self, now: datetime, table: str, reason: str, message: str) -> None:
        self.refusals.append(Refusal(now, table, reason))
        raise DynamodbException(_ERROR, message)
