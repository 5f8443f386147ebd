"""Reading AWS Backup's ``Restore Job State Change`` events, which wake a rotation
waiting for its restore job (the ``AwaitRestoreJob`` state) instead of starting one.

The event names the job in ``detail.restoreJobId`` and how it stands in
``detail.status`` (``CREATED`` events use ``state``; AWS Backup devguide,
eventbridge.html). Only a finished job (COMPLETED, ABORTED, FAILED) wakes anything;
whether it succeeded is decided afterwards from DescribeRestoreJob, never from the
event, so an event can only make a rotation look sooner, not decide it.
``read_restore_event`` never raises.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rotator.sources.claims import Ignored

SOURCE = "aws.backup"
RESTORE_JOB_CHANGE = "Restore Job State Change"
FINISHED = frozenset({"COMPLETED", "ABORTED", "FAILED"})
# AWS Backup's restore job ids are UUIDs; anything else cannot be a job this rotator
# started (and must not reach a DynamoDB key or a log line unchecked).
_JOB_ID = re.compile(r"[A-Za-z0-9-]{1,100}")


@dataclass(frozen=True)
class RestoreJobChange:
    """A restore job that finished: ``status`` is one of ``FINISHED``."""

    restore_job_id: str
    status: str


def read_restore_event(event: Any) -> RestoreJobChange | Ignored:
    """The finished restore job ``event`` announces, or why it announces none."""
    if not isinstance(event, Mapping):
        return Ignored("event is not an object", relevant=True)
    if event.get("source") != SOURCE or event.get("detail-type") != RESTORE_JOB_CHANGE:
        return Ignored(
            f"event is {event.get('source')!r} {event.get('detail-type')!r}; "
            f"expected {SOURCE!r} {RESTORE_JOB_CHANGE!r}"
        )
    detail = event.get("detail")
    if not isinstance(detail, Mapping):
        return Ignored("Restore Job State Change without a detail object", relevant=True)
    status = detail.get("status")
    if not isinstance(status, str) or status not in FINISHED:
        return Ignored(
            f"restore job status is {status!r}; only a finished job "
            f"({', '.join(sorted(FINISHED))}) wakes a rotation"
        )
    job_id = detail.get("restoreJobId")
    if not isinstance(job_id, str) or not _JOB_ID.fullmatch(job_id):
        return Ignored(
            f"Restore Job State Change with restoreJobId {job_id!r}; expected an AWS Backup "
            "restore job id (letters, digits and '-')",
            relevant=True,
        )
    return RestoreJobChange(job_id, status)
