"""AWS Backup's record of a job, against what its event claims (no AWS here).

The rule: what is restored, of which table, under which name (the time), and which
execution runs it (the job id) come from AWS Backup's own record of the job, never
from a message. The trigger asks ``lookup`` which call a pending job needs, makes it,
and hands the answer to ``after_backup_job``, ``after_copy_job`` or
``after_recovery_point``; the record decides, and where the event (or an execution
input) claimed something else the job is rejected, with the field that disagreed
(``details["field"]``). A backup job takes DescribeBackupJob; a copy takes
DescribeCopyJob, then DescribeRecoveryPoint of the copy (its creation date).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from rotator.model import (
    BACKUP_JOB,
    ArnLocation,
    BackupJob,
    InvalidBackupJob,
    arn_location,
    format_time,
)
from rotator.sources.claims import Ignored, Pending
from rotator.sources.eventbridge import vault_name

DESCRIBE_BACKUP_JOB = "DescribeBackupJob"
DESCRIBE_COPY_JOB = "DescribeCopyJob"
DESCRIBE_RECOVERY_POINT = "DescribeRecoveryPoint"

_USABLE_RECOVERY_POINT = frozenset({"COMPLETED", "AVAILABLE"})


def lookup(job: Pending) -> str:
    """The AWS Backup call that supplies or confirms what ``job`` claims: every job is
    looked up, whatever its event said."""
    if job.job_type == BACKUP_JOB:
        return DESCRIBE_BACKUP_JOB
    if not job.confirmed:
        return DESCRIBE_COPY_JOB
    return DESCRIBE_RECOVERY_POINT


def _details(job: Pending) -> dict[str, Any]:
    return {**job.details, "job_id": job.job_id}


_SAYER = {"sns": "notification", "eventbridge": "event"}


def _said_by(job: Pending) -> str:
    return f"the {_SAYER.get(job.origin, job.origin)}'s"


def _rejected(job: Pending, field: str, reason: str) -> Ignored:
    """A rejection whose ``field`` (logged with it) names the fact that was wrong."""
    return Ignored(reason, True, {**_details(job), "field": field})


def _agree(
    job: Pending, field: str, said: str | None, described: Any, recorder: str = "AWS Backup's"
) -> str | Ignored:
    """AWS's value of ``field``, unless the job's source said a different one;
    ``recorder`` names the service whose record it is, for the message."""
    if not isinstance(described, str) or not described:
        return _rejected(job, field, f"{recorder} answer has no {field}")
    if said is not None and said != described:
        return _rejected(
            job, field, f"{_said_by(job)} {field} {said} differs from {recorder} {described}"
        )
    return described


def same_second(a: datetime, b: datetime) -> bool:
    """Whether two aware times name the same copy (``-YYYYMMDD-HH-MM-SS``, UTC): equal
    to the second. AWS gives milliseconds in one place and not in another."""
    return a.astimezone(UTC).replace(microsecond=0) == b.astimezone(UTC).replace(microsecond=0)


def _moment(
    job: Pending, field: str, value: Any, recorder: str = "AWS Backup's"
) -> datetime | Ignored:
    """AWS's ``field`` time, unless the job's source claimed another second."""
    if not (isinstance(value, datetime) and value.tzinfo is not None):
        return _rejected(job, field, f"{recorder} answer has no {field} time")
    if job.started_at is not None and not same_second(job.started_at, value):
        return _rejected(
            job,
            field,
            f"{_said_by(job)} start time {format_time(job.started_at)} differs from "
            f"{recorder} {field} {format_time(value)}",
        )
    return value


def _job(
    job: Pending, recovery_point: str, resource: str, started: datetime
) -> BackupJob | Ignored:
    try:
        return BackupJob(
            job.job_id, recovery_point, resource, started, job.job_type, job.vault_name
        )
    except InvalidBackupJob as err:
        return Ignored(str(err), True, _details(job))


def _same_job(
    job: Pending, what: str, described: Mapping[str, Any], id_field: str
) -> Ignored | None:
    """AWS answered for the job asked about (a record of another job is no answer)."""
    said = described.get(id_field)
    if said is not None and said != job.job_id:
        return _rejected(job, "job id", f"AWS Backup answered for {what} {said}, not {job.job_id}")
    return None


def _completed(job: Pending, what: str, described: Mapping[str, Any]) -> Ignored | None:
    state, kind = described.get("State"), described.get("ResourceType")
    if state != "COMPLETED":
        return _rejected(
            job, "state", f"AWS Backup says {what} {job.job_id} is {state}, not COMPLETED"
        )
    if kind != "DynamoDB":
        return Ignored(f"{what} {job.job_id} backs up {kind}, not DynamoDB", details=_details(job))
    return None


def after_backup_job(job: Pending, described: Mapping[str, Any]) -> BackupJob | Ignored:
    """The backup job as DescribeBackupJob records it: its recovery point, table, vault
    and start (``CreationDate``, the same instant as SNS's ``StartTime`` and the event's
    ``creationDate``). A claim of the event that differs is a rejection."""
    problem = _same_job(job, "backup job", described, "BackupJobId") or _completed(
        job, "backup job", described
    )
    if problem is not None:
        return problem
    resource = _agree(job, "resource ARN", job.resource_arn, described.get("ResourceArn"))
    point = _agree(
        job, "recovery point ARN", job.recovery_point_arn, described.get("RecoveryPointArn")
    )
    started = _moment(job, "CreationDate", described.get("CreationDate"))
    vault = described.get("BackupVaultName") or vault_name(described.get("BackupVaultArn"))
    for value in (resource, point, started):
        if isinstance(value, Ignored):
            return value
    assert isinstance(resource, str) and isinstance(point, str) and isinstance(started, datetime)
    recorded = replace(job, vault_name=vault if isinstance(vault, str) and vault else None)
    return _job(recorded, point, resource, started)


def after_copy_job(job: Pending, described: Mapping[str, Any]) -> Pending | Ignored:
    """What DescribeCopyJob's ``CopyJob`` records: the copy's recovery point and vault,
    and the source table; the job is then ``confirmed``."""
    copy = described.get("CopyJob")
    if not isinstance(copy, Mapping):
        return Ignored("DescribeCopyJob's answer has no CopyJob", True, _details(job))
    problem = _same_job(job, "copy job", copy, "CopyJobId") or _completed(job, "copy job", copy)
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
    vault = vault_name(copy.get("DestinationBackupVaultArn"))
    if vault is None:
        return Ignored("DescribeCopyJob's answer has no destination vault ARN", True, _details(job))
    if job.vault_name is not None and job.vault_name != vault:
        return _rejected(
            job,
            "destination vault",
            f"{_said_by(job)} destination vault {job.vault_name} differs from AWS Backup's {vault}",
        )
    assert isinstance(resource, str) and isinstance(point, str)
    return replace(
        job, resource_arn=resource, recovery_point_arn=point, vault_name=vault, confirmed=True
    )


def after_recovery_point(job: Pending, described: Mapping[str, Any]) -> BackupJob | Ignored:
    """Complete a confirmed copy from DescribeRecoveryPoint of the copy: its
    ``CreationDate`` is the source recovery point's (AWS Backup keeps it on copies), so a
    copy gets the name its source backup would have had."""
    status = described.get("Status")
    if status not in _USABLE_RECOVERY_POINT:
        return _rejected(
            job,
            "recovery point status",
            f"recovery point {job.recovery_point_arn} is {status}, not COMPLETED or AVAILABLE",
        )
    started = _moment(job, "CreationDate", described.get("CreationDate"))
    if isinstance(started, Ignored):
        return started
    # A copy's recovery point names the table its source was taken of: it must be the
    # table the copy job's record names.
    resource = _agree(job, "resource ARN", job.resource_arn, described.get("ResourceArn"))
    if isinstance(resource, Ignored):
        return resource
    assert job.recovery_point_arn is not None
    return _job(job, job.recovery_point_arn, resource, started)


def after_dynamodb_backup(job: Pending, described: Mapping[str, Any]) -> BackupJob | Ignored:
    """A classic DynamoDB backup as DynamoDB's DescribeBackup records it (a rotation
    started by hand names no job AWS Backup knows): the backup's table, and its
    ``BackupCreationDateTime`` as the time that names the copy."""
    description = described.get("BackupDescription")
    details = description.get("BackupDetails") if isinstance(description, Mapping) else None
    table = description.get("SourceTableDetails") if isinstance(description, Mapping) else None
    for part, value in (("BackupDetails", details), ("SourceTableDetails", table)):
        if not isinstance(value, Mapping):
            return Ignored(f"DescribeBackup's answer has no {part}", True, _details(job))
    assert isinstance(details, Mapping) and isinstance(table, Mapping)
    status = details.get("BackupStatus")
    if status != "AVAILABLE":
        return _rejected(
            job, "backup status", f"backup {job.recovery_point_arn} is {status}, not AVAILABLE"
        )
    resource = _agree(job, "resource ARN", job.resource_arn, table.get("TableArn"), "DynamoDB's")
    if isinstance(resource, Ignored):
        return resource
    started = _moment(
        job, "BackupCreationDateTime", details.get("BackupCreationDateTime"), "DynamoDB's"
    )
    if isinstance(started, Ignored):
        return started
    assert job.recovery_point_arn is not None
    return _job(job, job.recovery_point_arn, resource, started)


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
