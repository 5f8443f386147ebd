"""AWS's own records of a job and its recovery point: the calls that read them.

The trust rule: what is restored, of which table, under which name and by which
execution comes from AWS Backup's record of the job (DescribeBackupJob,
DescribeCopyJob, DescribeRecoveryPoint) or DynamoDB's record of a backup
(DescribeBackup), never from a notification, an event or an execution input, which
anyone allowed to publish to the topic, put events on the bus or start an execution
can write. ``rotator.sources.lookups`` compares the claims with the records (no AWS
there); this module makes the calls, for the trigger (``look_up``) and for StartRestore
(``confirm``), which checks an execution input again, however it was started.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from botocore.exceptions import ClientError

from rotator.aws import aws_call, client, error_code
from rotator.errors import UntrustedInput
from rotator.model import CLASSIC, COPY_JOB, ArnLocation, BackupJob, arn_location
from rotator.naming import matches_source
from rotator.sources import lookups
from rotator.sources.claims import Ignored, Pending

# A Describe call for a job or recovery point AWS does not know (a forged or garbled
# event or input) is a rejection; any other failure raises.
_UNKNOWN = frozenset(
    {"ResourceNotFoundException", "InvalidParameterValueException", "BackupNotFoundException"}
)
# ``Ignored.details`` key: AWS Backup does not know the job (StartRestore then goes by
# the recovery point's own record: a rotation started by hand).
UNKNOWN_JOB = "unknown_job"


def look_up(job: Pending, here: ArnLocation) -> BackupJob | Ignored:
    """``job`` as AWS Backup's records have it, one Describe call at a time, or why
    not: a claim the record contradicts, a job it does not know, a recovery point
    outside this account and Region."""
    found: BackupJob | Pending | Ignored = job
    while isinstance(found, Pending):
        problem = lookups.elsewhere(found, here)
        if problem is not None:
            return problem
        pending = found
        found = _look_up_once(pending)
        if isinstance(found, Ignored) and found.details.get(UNKNOWN_JOB):
            found = _copied_from_elsewhere(pending, found)
    if isinstance(found, BackupJob):
        return lookups.elsewhere(found, here) or found
    return found


def _look_up_once(job: Pending) -> BackupJob | Pending | Ignored:
    call = lookups.lookup(job)
    description = f"AWS Backup {call} for {job.job_type} job {job.job_id}"
    with aws_call(description):
        try:
            answer = _describe(call, job)
        except ClientError as err:
            if error_code(err) not in _UNKNOWN:
                raise
            message = err.response.get("Error", {}).get("Message", "")
            return Ignored(
                f"{description} failed: {error_code(err)}: {message}",
                relevant=True,
                details={
                    **job.details,
                    "job_id": job.job_id,
                    UNKNOWN_JOB: call != lookups.DESCRIBE_RECOVERY_POINT,
                },
            )
    return _RESOLVE[call](job, answer)


def _copied_from_elsewhere(job: Pending, unknown: Ignored) -> Pending | Ignored:
    """A copy job this account's AWS Backup does not know: another account made it
    into a vault of this one (a forwarded ``Copy Job State Change``), and the job is
    that account's record. What this account's AWS Backup does record is the copy's
    recovery point (DescribeRecoveryPoint, next): it decides the table and the time,
    and the rotation is keyed by the recovery point, not by the job id the event
    claims, which nothing here can confirm (so a claimed id cannot take a real job's
    execution name). Anything else AWS Backup does not know stays rejected."""
    point, vault = job.recovery_point_arn, job.vault_name
    if job.job_type != COPY_JOB or job.confirmed or point is None or vault is None:
        return unknown
    if job.resource_arn is None:
        return unknown
    return replace(
        job,
        job_id=point.rsplit(":", 1)[-1],
        confirmed=True,
        details={**job.details, "claimed_job_id": job.job_id},
    )


def _describe(call: str, job: Pending) -> dict[str, Any]:
    backup = client("backup")
    if call == lookups.DESCRIBE_BACKUP_JOB:
        return dict(backup.describe_backup_job(BackupJobId=job.job_id))
    if call == lookups.DESCRIBE_COPY_JOB:
        return dict(backup.describe_copy_job(CopyJobId=job.job_id))
    # lookup() asks DescribeRecoveryPoint of a confirmed copy only, which names both
    # (after_copy_job, _copied_from_elsewhere)
    assert job.vault_name is not None and job.recovery_point_arn is not None
    return dict(
        backup.describe_recovery_point(
            BackupVaultName=job.vault_name, RecoveryPointArn=job.recovery_point_arn
        )
    )


_RESOLVE: dict[str, Callable[[Pending, dict[str, Any]], BackupJob | Pending | Ignored]] = {
    lookups.DESCRIBE_BACKUP_JOB: lookups.after_backup_job,
    lookups.DESCRIBE_COPY_JOB: lookups.after_copy_job,
    lookups.DESCRIBE_RECOVERY_POINT: lookups.after_recovery_point,
}


def confirm(
    job: BackupJob, here: ArnLocation, *, restore_copies: bool, pattern: re.Pattern[str]
) -> BackupJob:
    """The execution input's job as AWS's records have it; ``UntrustedInput`` says
    which fact disagreed (or what AWS does not know, or what this rotator may not
    restore). Nothing is restored before this holds.

    A job AWS Backup knows is looked up as the trigger does, and its recovery point is
    read too (DescribeBackup or DescribeRecoveryPoint: it exists, of that table). A job
    it does not know (a rotation started by hand) goes by the recovery point's own
    record, and the time that names the copy is the recovery point's creation time."""
    claim = _claim(job, "execution input", job.vault_name if job.job_type == COPY_JOB else None)
    found = look_up(claim, here)
    if isinstance(found, Ignored) and found.details.get(UNKNOWN_JOB):
        found = _recovery_point_alone(job, here)
    elif isinstance(found, BackupJob) and found.job_type != COPY_JOB:
        _check_recovery_point(found)  # a copy's was read by look_up
    if isinstance(found, Ignored):
        raise UntrustedInput(f"the execution input is not as AWS records it: {found.reason}")
    if _is_copy(found) and not restore_copies:
        raise UntrustedInput(
            f"{found.recovery_point_arn} is a copy (of {found.source_table_arn}), and this "
            "rotator does not restore copies (the module's restore_copies is false)"
        )
    if not matches_source(pattern, found.source_table):
        raise UntrustedInput(
            f"table {found.source_table} does not match SOURCE_PATTERN {pattern.pattern!r}; "
            "this rotator restores only the tables it matches"
        )
    return found


def _claim(job: BackupJob, origin: str, vault_name: str | None, confirmed: bool = False) -> Pending:
    """``job``'s facts as claims to check against a record (``origin`` says whose)."""
    return Pending(
        job.job_type,
        job.job_id,
        origin,
        job.source_table_arn,
        job.recovery_point_arn,
        vault_name,
        job.started_at,
        confirmed=confirmed,
    )


def _is_copy(job: BackupJob) -> bool:
    point, table = arn_location(job.recovery_point_arn), arn_location(job.source_table_arn)
    return job.job_type == COPY_JOB or point != table


def _recovery_point_alone(job: BackupJob, here: ArnLocation) -> BackupJob | Ignored:
    """A job AWS Backup does not know: the recovery point's own record decides."""
    claim = _claim(job, "execution input", job.vault_name, confirmed=True)
    problem = lookups.elsewhere(claim, here)
    if problem is not None:
        return problem
    if job.recovery_point_kind == CLASSIC:
        return _read_recovery_point(claim, lookups.after_dynamodb_backup)
    if job.vault_name is None:
        return Ignored(
            f"AWS Backup knows no {job.job_type} job {job.job_id}, and the input names no "
            f"vault_name to find {job.recovery_point_arn} in; expected the id of the job "
            "that made it, or the vault that holds it",
            True,
            {"field": "vault_name"},
        )
    return _read_recovery_point(claim, lookups.after_recovery_point)


def _check_recovery_point(job: BackupJob) -> None:
    """The recovery point a job's record names exists, is usable and is of its table."""
    claim = _claim(job, "AWS Backup's job record", job.vault_name, confirmed=True)
    if job.recovery_point_kind == CLASSIC:
        found = _read_recovery_point(claim, lookups.after_dynamodb_backup, same_time=False)
    elif job.vault_name is None:
        found = Ignored(f"AWS Backup's record of job {job.job_id} names no vault", True)
    else:
        found = _read_recovery_point(claim, lookups.after_recovery_point, same_time=False)
    if isinstance(found, Ignored):
        raise UntrustedInput(f"the execution input is not as AWS records it: {found.reason}")


def _read_recovery_point(
    claim: Pending,
    resolve: Callable[[Pending, dict[str, Any]], BackupJob | Ignored],
    same_time: bool = True,
) -> BackupJob | Ignored:
    """DescribeBackup (classic) or DescribeRecoveryPoint of ``claim``'s recovery point,
    read by ``resolve``. ``same_time=False``: the job's record names the copy, so the
    recovery point's own creation time is not compared."""
    classic = resolve is lookups.after_dynamodb_backup
    call = "DynamoDB DescribeBackup" if classic else "AWS Backup DescribeRecoveryPoint"
    point, vault = claim.recovery_point_arn, claim.vault_name
    assert point is not None  # a claim made of a BackupJob (_claim) names its recovery point
    with aws_call(f"{call} {point}"):
        try:
            if classic:
                answer = dict(client("dynamodb").describe_backup(BackupArn=point))
            else:
                assert vault is not None  # the callers check it for every AWS Backup point
                answer = dict(
                    client("backup").describe_recovery_point(
                        BackupVaultName=vault, RecoveryPointArn=point
                    )
                )
        except ClientError as err:
            if error_code(err) not in _UNKNOWN:
                raise
            return Ignored(f"{call} {claim.recovery_point_arn} failed: {error_code(err)}", True, {})
    if not same_time:
        claim = replace(claim, started_at=None)
    return resolve(claim, answer)
