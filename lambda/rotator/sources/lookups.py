"""What AWS Backup's Describe calls add to a ``Pending`` job (no AWS here).

The trigger asks ``lookup`` which call a pending job needs, makes it, and hands the
answer to ``resolve``; AWS Backup's answer is authoritative, and where the event said
something else the job is rejected rather than guessed at. A copy takes two calls when
its event names no recovery point (an SNS ``COPY_JOB`` notification): DescribeCopyJob,
then DescribeRecoveryPoint.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from rotator.model import (
    BACKUP_JOB,
    ArnLocation,
    BackupJob,
    InvalidBackupJob,
    arn_location,
)
from rotator.sources import Ignored, Pending
from rotator.sources.eventbridge import vault_name

DESCRIBE_BACKUP_JOB = "DescribeBackupJob"
DESCRIBE_COPY_JOB = "DescribeCopyJob"
DESCRIBE_RECOVERY_POINT = "DescribeRecoveryPoint"

_USABLE_RECOVERY_POINT = frozenset({"COMPLETED", "AVAILABLE"})


def lookup(job: Pending) -> str:
    """The AWS Backup call that supplies what ``job`` lacks."""
    if job.job_type == BACKUP_JOB:
        return DESCRIBE_BACKUP_JOB
    if job.recovery_point_arn is None or job.vault_name is None or job.resource_arn is None:
        return DESCRIBE_COPY_JOB
    return DESCRIBE_RECOVERY_POINT


def _details(job: Pending) -> dict[str, Any]:
    return {**job.details, "job_id": job.job_id}


def _agree(job: Pending, field: str, said: str | None, described: Any) -> str | Ignored:
    """AWS's value of ``field``, unless the event said a different one."""
    if not isinstance(described, str) or not described:
        return Ignored(f"AWS Backup's answer has no {field}", True, _details(job))
    if said is not None and said != described:
        return Ignored(
            f"the event's {field} {said} differs from AWS Backup's {described}",
            True,
            _details(job),
        )
    return described


def _moment(job: Pending, field: str, value: Any) -> datetime | Ignored:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    return Ignored(f"AWS Backup's answer has no {field} time", True, _details(job))


def _job(
    job: Pending, recovery_point: str, resource: str, started: datetime
) -> BackupJob | Ignored:
    try:
        return BackupJob(job.job_id, recovery_point, resource, started, job.job_type)
    except InvalidBackupJob as err:
        return Ignored(str(err), True, _details(job))


def _completed(job: Pending, what: str, described: Mapping[str, Any]) -> Ignored | None:
    state, kind = described.get("State"), described.get("ResourceType")
    if state != "COMPLETED":
        return Ignored(
            f"AWS Backup says {what} {job.job_id} is {state}, not COMPLETED", True, _details(job)
        )
    if kind != "DynamoDB":
        return Ignored(f"{what} {job.job_id} backs up {kind}, not DynamoDB", details=_details(job))
    return None


def after_backup_job(job: Pending, described: Mapping[str, Any]) -> BackupJob | Ignored:
    """Complete a backup job from DescribeBackupJob's answer; ``CreationDate`` is
    its start (the same field as the event's ``creationDate``)."""
    problem = _completed(job, "backup job", described)
    if problem is not None:
        return problem
    resource = _agree(job, "resource ARN", job.resource_arn, described.get("ResourceArn"))
    point = _agree(
        job, "recovery point ARN", job.recovery_point_arn, described.get("RecoveryPointArn")
    )
    started = job.started_at or _moment(job, "CreationDate", described.get("CreationDate"))
    for value in (resource, point, started):
        if isinstance(value, Ignored):
            return value
    assert isinstance(resource, str) and isinstance(point, str) and isinstance(started, datetime)
    return _job(job, point, resource, started)


def after_copy_job(job: Pending, described: Mapping[str, Any]) -> Pending | Ignored:
    """What DescribeCopyJob's ``CopyJob`` adds: the copy's recovery point and vault, and
    the source table."""
    copy = described.get("CopyJob")
    if not isinstance(copy, Mapping):
        return Ignored("DescribeCopyJob's answer has no CopyJob", True, _details(job))
    problem = _completed(job, "copy job", copy)
    if problem is not None:
        return problem
    resource = _agree(job, "resource ARN", job.resource_arn, copy.get("ResourceArn"))
    point = _agree(
        job,
        "destination recovery point ARN",
        job.recovery_point_arn,
        copy.get("DestinationRecoveryPointArn"),
    )
    for value in (resource, point):
        if isinstance(value, Ignored):
            return value
    vault = job.vault_name or vault_name(copy.get("DestinationBackupVaultArn"))
    if vault is None:
        return Ignored("DescribeCopyJob's answer has no destination vault ARN", True, _details(job))
    assert isinstance(resource, str) and isinstance(point, str)
    return replace(job, resource_arn=resource, recovery_point_arn=point, vault_name=vault)


def after_recovery_point(job: Pending, described: Mapping[str, Any]) -> BackupJob | Ignored:
    """Complete a copy from DescribeRecoveryPoint of the copy: its ``CreationDate`` is
    the source recovery point's (AWS Backup keeps it on copies), so a copy gets the
    name its source backup would have had."""
    status = described.get("Status")
    if status not in _USABLE_RECOVERY_POINT:
        return Ignored(
            f"recovery point {job.recovery_point_arn} is {status}, not COMPLETED or AVAILABLE",
            True,
            _details(job),
        )
    started = _moment(job, "CreationDate", described.get("CreationDate"))
    if isinstance(started, Ignored):
        return started
    # A copy's recovery point names the table its source was taken of; where AWS says
    # so, it must be the table the event named (it names the copy).
    resource = described.get("ResourceArn")
    if isinstance(resource, str) and resource and resource != job.resource_arn:
        return Ignored(
            f"the event's resource ARN {job.resource_arn} differs from AWS Backup's {resource}",
            True,
            _details(job),
        )
    assert job.recovery_point_arn is not None and job.resource_arn is not None
    return _job(job, job.recovery_point_arn, job.resource_arn, started)


def elsewhere(job: BackupJob | Pending, here: ArnLocation) -> Ignored | None:
    """A recovery point outside this account and Region cannot be restored here (for
    example a copy this account sends to another account)."""
    point = job.recovery_point_arn
    where = arn_location(point) if point else None
    if where is None or where == here:
        return None
    return Ignored(
        f"recovery point {point} is in account {where.account_id}, Region {where.region}; "
        f"this rotator restores only those in {here.account_id}, {here.region}",
        details={**getattr(job, "details", {}), "job_id": job.job_id},
    )
