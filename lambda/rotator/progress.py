"""Judging a restore from DynamoDB's description of the new table. No AWS calls here.

A restore is finished when the table is ``ACTIVE`` and ``RestoreSummary`` no longer says
``RestoreInProgress``. ``CREATING`` and ``UPDATING`` mean "not yet"; any other status
(``DELETING``, ``ARCHIVED``, ``INACCESSIBLE_ENCRYPTION_CREDENTIALS``...) means the copy
will not become usable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

ACTIVE = "ACTIVE"
STILL_RESTORING = frozenset({"CREATING", "UPDATING"})


@dataclass(frozen=True)
class Progress:
    ready: bool
    status: str
    failure: str | None = None


def restore_progress(table: Mapping[str, Any]) -> Progress:
    """Where the restore of ``table`` (DescribeTable's ``Table``) stands."""
    status = str(table.get("TableStatus", "UNKNOWN"))
    summary = table.get("RestoreSummary") or {}
    in_progress = bool(summary.get("RestoreInProgress", False))
    if status == ACTIVE and not in_progress:
        return Progress(ready=True, status=status)
    if status == ACTIVE or status in STILL_RESTORING:
        return Progress(ready=False, status=status)
    return Progress(
        ready=False,
        status=status,
        failure=(
            f"table {table.get('TableName')!r} is {status}; expected CREATING or "
            "UPDATING while restoring, then ACTIVE"
        ),
    )


def deadline(started: datetime, timeout_seconds: int) -> datetime:
    return started + timedelta(seconds=timeout_seconds)


READY, WAITING, FAILED, TIMED_OUT = "ready", "waiting", "failed", "timed out"
# AWS Backup restore job statuses (DescribeRestoreJob)
RESTORE_JOB_COMPLETED = "COMPLETED"
RESTORE_JOB_WAITING = frozenset({"CREATED", "PENDING", "RUNNING"})


@dataclass(frozen=True)
class Verdict:
    """What one check of a restore decides, and why."""

    outcome: str  # READY, WAITING, FAILED or TIMED_OUT
    status: str  # the table's (or AWS Backup restore job's) status as reported
    message: str


def judge(
    table: Mapping[str, Any] | None, now: datetime, started: datetime, until: datetime
) -> Verdict:
    """Decide one check of the copy described by ``table`` (DescribeTable's ``Table``;
    ``None`` when the table does not exist), at ``now``, for a restore started at
    ``started`` that may take until ``until``.

    A ready copy is ready even past the deadline: a restore that finished in time is
    never timed out because the check came late.
    """
    if table is None:
        return Verdict(
            FAILED, "MISSING", "the table no longer exists; it was deleted while being restored"
        )
    progress = restore_progress(table)
    name = table.get("TableName")
    if progress.failure:
        return Verdict(FAILED, progress.status, progress.failure)
    if progress.ready:
        return Verdict(READY, progress.status, f"table {name} is {progress.status} and ready")
    return _unfinished(f"table {name}", progress.status, now, started, until, ", still restoring")


def _unfinished(
    subject: str, status: str, now: datetime, started: datetime, until: datetime, tail: str = ""
) -> Verdict:
    """WAITING, or TIMED_OUT once ``until`` has passed, for a restore not finished."""
    waited = int((now - started).total_seconds())
    if now >= until:
        return Verdict(
            TIMED_OUT,
            status,
            f"{subject} is still {status} after {waited} s, past the restore timeout "
            f"({until:%Y-%m-%dT%H:%M:%SZ}); raise restore_timeout_seconds for tables this large",
        )
    return Verdict(WAITING, status, f"{subject} is {status} after {waited} s{tail}")


def copy_problems(
    table: Mapping[str, Any],
    recovery_point_arn: str,
    restore_job: Mapping[str, Any] | None = None,
) -> list[str]:
    """What is wrong with ``table`` as the copy restored from ``recovery_point_arn``.

    A classic restore is checked by the table's ``RestoreSummary``; an AWS Backup
    restore by its ``restore_job`` (DescribeRestoreJob): completed, of this recovery
    point, into this table. An empty list means the pointer may move to it.
    """
    problems = []
    name = table.get("TableName")
    if table.get("TableStatus") != ACTIVE:
        problems.append(f"table {name!r} is {table.get('TableStatus')}, not ACTIVE")
    summary = table.get("RestoreSummary") or {}
    if summary.get("RestoreInProgress"):
        problems.append(f"table {name!r} is still loading data (RestoreInProgress)")
    if restore_job is None:
        source = summary.get("SourceBackupArn")
        if source != recovery_point_arn:
            problems.append(
                f"table {name!r} was restored from {source!r}, not from {recovery_point_arn!r}"
            )
        return problems
    job = restore_job.get("RestoreJobId")
    if restore_job.get("Status") != RESTORE_JOB_COMPLETED:
        problems.append(f"restore job {job} is {restore_job.get('Status')}, not COMPLETED")
    if restore_job.get("RecoveryPointArn") != recovery_point_arn:
        problems.append(
            f"restore job {job} restored {restore_job.get('RecoveryPointArn')!r}, "
            f"not {recovery_point_arn!r}"
        )
    if restore_job.get("CreatedResourceArn") != table.get("TableArn"):
        problems.append(
            f"restore job {job} created {restore_job.get('CreatedResourceArn')!r}, "
            f"not table {table.get('TableArn')!r}"
        )
    return problems


def judge_restore_job(
    restore_job: Mapping[str, Any], now: datetime, started: datetime, until: datetime
) -> Verdict | None:
    """Decide a check of an AWS Backup restore job (DescribeRestoreJob). ``None``
    when the job completed: then the table itself is judged (``judge``)."""
    status = str(restore_job.get("Status", "UNKNOWN"))
    job = restore_job.get("RestoreJobId")
    if status == RESTORE_JOB_COMPLETED:
        return None
    if status in RESTORE_JOB_WAITING:
        return _unfinished(f"AWS Backup restore job {job}", status, now, started, until)
    message = restore_job.get("StatusMessage") or "no status message"
    return Verdict(FAILED, status, f"AWS Backup restore job {job} is {status}: {message}")


def keeps_waiting(
    restore_job: Mapping[str, Any], now: datetime, started: datetime, until: datetime
) -> bool:
    """Should a rotation go on waiting for this AWS Backup restore job's event
    (``AwaitRestoreJob``)? Only while the job runs and the restore timeout has not
    passed; a finished, failed or late job is judged at once by ``WaitForRestore``."""
    verdict = judge_restore_job(restore_job, now, started, until)
    return verdict is not None and verdict.outcome == WAITING


_LIVE_RESTORE_JOB = frozenset({"CREATED", "PENDING", "RUNNING", "COMPLETED"})


@dataclass(frozen=True)
class Adoption:
    """Which AWS Backup restore jobs may have made an existing target table: ``job_id``
    one that created it from this recovery point, else ``candidates``, this recovery
    point's live jobs whose target only their metadata names."""

    job_id: str | None
    candidates: tuple[str, ...] = ()


def adoption(
    jobs: Sequence[Mapping[str, Any]], recovery_point_arn: str, target_table_arn: str
) -> Adoption:
    """From ListRestoreJobs' entries: is an existing ``target_table_arn`` this
    recovery point's copy (a re-run after the idempotency token's window)?"""
    candidates = []
    for job in jobs:
        if job.get("RecoveryPointArn") != recovery_point_arn:
            continue
        if job.get("Status") not in _LIVE_RESTORE_JOB:
            continue
        if job.get("CreatedResourceArn") == target_table_arn:
            return Adoption(str(job.get("RestoreJobId")))
        if not job.get("CreatedResourceArn") and isinstance(job.get("RestoreJobId"), str):
            candidates.append(job["RestoreJobId"])
    return Adoption(None, tuple(candidates))


def restores_into(metadata: Mapping[str, Any], target: str) -> bool:
    """GetRestoreJobMetadata's ``Metadata``: does the job restore into ``target``?
    (AWS Backup's metadata keys are case-insensitive.)"""
    return any(k.lower() == "targettablename" and v == target for k, v in metadata.items())
