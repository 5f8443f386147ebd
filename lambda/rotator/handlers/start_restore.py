"""Step "StartRestore": check the input against AWS's records, name the copy, claim the
name in the ledger of copies, and start restoring the backup into it.

The execution input is a claim like any message: it is held to AWS's own records
(``rotator.records.confirm``: the recovery point exists, is of the input's table, is
in this account and Region or a copy with ``restore_copies``, the table matches
``source_pattern``, and the time that names the copy is the record's) before anything
is restored; otherwise the step fails with ``UntrustedInput``.

The ledger entry (``rotator.ledger``) is written before AWS is asked to restore, with a
conditional PutItem: a name another rotation (or an earlier backup) claimed is a
``TargetTableConflict``, and so is a table that exists already when this invocation
has just claimed its name (someone else's, whatever backup it came from). Only a retry
of the rotation of this very recovery point may adopt a table, and only the one the
ledger shows it made."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from botocore.exceptions import ClientError

from rotator import clock, records
from rotator import ledger as ledger_rules
from rotator.aws import aws_call, client, error_code
from rotator.environment import environ
from rotator.errors import (
    ConfigurationError,
    InvalidTargetTableName,
    TargetTableConflict,
    UntrustedInput,
)
from rotator.handlers import backup_job_of, workflow_step
from rotator.handlers.ledger_table import Ledger
from rotator.logcontext import get_logger
from rotator.model import CLASSIC, BackupJob, RestoreState, arn_location
from rotator.naming import compile_pattern, restore_idempotency_token, target_table_name
from rotator.progress import adoption, deadline, restores_into
from rotator.restore_options import (
    not_set_by_start_restore_job,
    restore_table_overrides,
    start_restore_job_metadata,
)
from rotator.settings import RestoreSettings

logger = get_logger(__name__)

# The table already exists (TableAlreadyExists) or is being created (TableInUse).
_EXISTS = frozenset({"TableAlreadyExistsException", "TableInUseException"})


@workflow_step
def handler(event: Any, context: Any) -> dict[str, Any]:
    """Lambda's entry point."""
    settings = RestoreSettings.from_env(environ())
    job = _as_recorded(backup_job_of(event), settings)
    target = _name_copy(job, settings)
    ledger = Ledger.from_env(environ())
    claim = _claim(ledger, job, target, event.get("execution"))
    restore_job_id = None
    if job.recovery_point_kind == CLASSIC:
        restored = _restore_classic(client("dynamodb"), job, target, settings, claim)
        table_arn = str(restored["TableArn"])
        _record(claim, table_id=str(restored["TableId"]))
    else:
        # The copy is made where the recovery point is (for a copy job, this account,
        # while the source table may be in another).
        here = arn_location(job.recovery_point_arn)
        assert here is not None  # a recovery point ARN, checked by BackupJob
        table_arn = f"arn:{here.partition}:dynamodb:{here.region}:{here.account_id}:table/{target}"
        restore_job_id = _restore_with_aws_backup(
            client("backup"), client("dynamodb"), job, target, table_arn, settings, claim
        )
        _record(claim, restore_job_id=restore_job_id)
    started = clock.now()
    state = RestoreState(
        kind=job.recovery_point_kind,
        target_table_name=target,
        target_table_arn=table_arn,
        started_at=started,
        deadline=deadline(started, settings.restore_timeout_seconds),
        restore_job_id=restore_job_id,
    )
    logger.info(
        f"restoring {job.recovery_point_arn} into {target}",
        extra={
            "action": "restore_started",
            "job_id": job.job_id,
            "table": target,
            "restore_job_id": restore_job_id,
        },
    )
    return state.to_dict()


def _as_recorded(job: BackupJob, settings: RestoreSettings) -> BackupJob:
    """The input's job as AWS's records have it (``rotator.records.confirm``): however
    the execution was started, nothing is restored, named or pointed to from a claim
    the records do not bear out."""
    try:
        return records.confirm(
            job,
            settings.here,
            restore_copies=settings.restore_copies,
            pattern=compile_pattern(settings.source_pattern, "SOURCE_PATTERN"),
        )
    except UntrustedInput as err:
        logger.error(
            f"rejected: {err}",
            extra={"action": "rejected", "job_id": job.job_id, "reason": str(err)},
        )
        raise


def _name_copy(job: BackupJob, settings: RestoreSettings) -> str:
    try:
        return target_table_name(
            job.source_table,
            settings.source_pattern,
            settings.replacement_pattern,
            job.started_at,
        )
    except ValueError as err:
        raise InvalidTargetTableName(str(err)) from None


class _Claim:
    """The ledger entry of this rotation's copy: ``fresh`` when this invocation has just
    written it, else the entry a retry of the rotation found."""

    def __init__(self, ledger: Ledger, entry: ledger_rules.Entry, fresh: bool) -> None:
        self.ledger = ledger
        self.entry = entry
        self.fresh = fresh

    def conflict(self, message: str) -> TargetTableConflict:
        """The error to raise; the entry of a restore that never started is marked failed
        (Cleanup then removes it, and deletes no table it does not own)."""
        if self.entry.state == ledger_rules.RESTORING:
            failed = self.entry.moved_to(ledger_rules.FAILED, clock.now())
            self.ledger.replace(self.entry, failed)
            self.entry = failed
        return TargetTableConflict(
            f"{message}; delete or rename it, or change replacement_pattern (the ledger of "
            f"copies, {self.ledger.table_name}, records which tables are the rotator's)"
        )


def _claim(ledger: Ledger, job: BackupJob, target: str, execution: Any) -> _Claim:
    """Write this rotation's ledger entry for ``target``, or find that it is a retry of
    this rotation; anything else is a ``TargetTableConflict``."""
    entry = ledger_rules.new_entry(
        copy=target,
        source_table_arn=job.source_table_arn,
        recovery_point_arn=job.recovery_point_arn,
        job_id=job.job_id,
        execution=execution if isinstance(execution, str) and execution else "(not given)",
        now=clock.now(),
    )
    if ledger.claim(entry):
        return _Claim(ledger, entry, fresh=True)
    existing = ledger.get(target)
    verdict = ledger_rules.claim_verdict(existing, job.recovery_point_arn, job.job_id)
    if verdict.verdict != ledger_rules.RETRY or existing is None:
        raise TargetTableConflict(
            f"the copy's name {target} is taken: {verdict.message}; delete or rename the "
            "table, or change replacement_pattern"
        )
    logger.info(
        f"{target}: {verdict.message}",
        extra={"action": "ledger_retry", "job_id": job.job_id, "table": target},
    )
    return _Claim(ledger, existing, fresh=False)


def _record(claim: _Claim, table_id: str | None = None, restore_job_id: str | None = None) -> None:
    """Record the TableId or the restore job id of the copy, unless it is recorded."""
    entry = claim.entry
    updated = replace(
        entry,
        table_id=entry.table_id or table_id,
        restore_job_id=entry.restore_job_id or restore_job_id,
    )
    if updated != entry:
        updated = replace(updated, updated_at=clock.now())
        claim.ledger.replace(entry, updated)
        claim.entry = updated


def _restore_classic(
    dynamodb: Any, job: BackupJob, target: str, settings: RestoreSettings, claim: _Claim
) -> dict[str, Any]:
    """RestoreTableFromBackup with the restore settings as overrides; if the table
    exists already, accept it only on a retry of this rotation, when it was restored
    from this very backup and the ledger shows it is the table this rotation made (a
    retry after a lost response)."""
    backup_arn = job.recovery_point_arn
    described = None
    if settings.restore_options.picks_indexes:
        # the kept indexes' definitions, as of the backup
        with aws_call(f"DynamoDB DescribeBackup {backup_arn}"):
            described = dynamodb.describe_backup(BackupArn=backup_arn)["BackupDescription"]
    overrides = restore_table_overrides(settings.restore_options, described)
    with aws_call(f"DynamoDB RestoreTableFromBackup of {backup_arn} into {target}"):
        try:
            response = dynamodb.restore_table_from_backup(
                TargetTableName=target, BackupArn=backup_arn, **overrides
            )
            return dict(response["TableDescription"])
        except ClientError as err:
            if error_code(err) not in _EXISTS:
                raise
    if claim.fresh:
        raise claim.conflict(
            f"table {target} already exists, made by someone else before this rotation "
            "claimed the name"
        )
    with aws_call(f"DynamoDB DescribeTable {target}"):
        existing = dict(dynamodb.describe_table(TableName=target)["Table"])
    source = (existing.get("RestoreSummary") or {}).get("SourceBackupArn")
    if source != backup_arn:
        raise claim.conflict(
            f"table {target} already exists and was not restored from {backup_arn} "
            f"(its source backup: {source or 'none'})"
        )
    owned = ledger_rules.ownership(claim.entry, existing)
    if not owned.owned:
        raise claim.conflict(
            f"table {target} already exists and is not this rotation's: {owned.message}"
        )
    logger.info(
        f"table {target} is already being restored from this backup; continuing",
        extra={"action": "restore_adopted", "job_id": job.job_id, "table": target},
    )
    return existing


def _restore_with_aws_backup(
    backup: Any,
    dynamodb: Any,
    job: BackupJob,
    target: str,
    table_arn: str,
    settings: RestoreSettings,
    claim: _Claim,
) -> str:
    """StartRestoreJob of an AWS Backup recovery point into ``target``.

    The idempotency token is derived from the recovery point and the target, so a
    repeated step (a lost response, a re-run execution) gets the same restore job back
    instead of a second one that would find the table taken. AWS does not say how long
    a token holds: a target that already exists is adopted only if one of this
    recovery point's restore jobs made it, on a retry of this rotation, and the ledger
    has no other restore job or TableId for it; otherwise it is left alone.
    """
    existing = _existing(dynamodb, target)
    if existing is not None:
        if claim.fresh:
            raise claim.conflict(
                f"table {target} already exists, made by someone else before this rotation "
                "claimed the name"
            )
        recorded = claim.entry.table_id
        if recorded is not None and existing.get("TableId") != recorded:
            raise claim.conflict(
                f"table {target} has TableId {existing.get('TableId')}, not the ledger's "
                f"{recorded}: another table under the copy's name"
            )
        found = _adopt(backup, job, target, table_arn)
        if claim.entry.restore_job_id not in (None, found):
            raise claim.conflict(
                f"table {target} was made by restore job {found}, not the ledger's "
                f"{claim.entry.restore_job_id}"
            )
        return found
    if settings.restore_role_arn is None:
        raise ConfigurationError(
            f"{job.recovery_point_arn} is an AWS Backup recovery point, and AWS Backup "
            "restores need a role: RESTORE_ROLE_ARN is not set (the module sets it from "
            "restore_role_arn or the role it creates)"
        )
    token = restore_idempotency_token(job.recovery_point_arn, target)
    options = settings.restore_options
    here = arn_location(table_arn)
    assert here is not None  # built from the recovery point's location
    metadata = start_restore_job_metadata(
        target,
        options,
        source_elsewhere=(job.table.region, job.table.account_id) != (here.region, here.account_id),
    )
    deferred = not_set_by_start_restore_job(options)
    if deferred:
        logger.info(
            f"StartRestoreJob cannot set {', '.join(deferred)}: {target} is restored with "
            "the backup's, which only UpdateTable can change once it is restored",
            extra={"action": "settings_deferred", "job_id": job.job_id, "table": target},
        )
    with aws_call(f"AWS Backup StartRestoreJob of {job.recovery_point_arn} into {target}"):
        response = backup.start_restore_job(
            RecoveryPointArn=job.recovery_point_arn,
            Metadata=metadata,
            IamRoleArn=settings.restore_role_arn,
            IdempotencyToken=token,
            ResourceType="DynamoDB",
            CopySourceTagsToRestoredResource=settings.copy_source_tags,
        )
    return str(response["RestoreJobId"])


def _existing(dynamodb: Any, target: str) -> dict[str, Any] | None:
    with aws_call(f"DynamoDB DescribeTable {target}"):
        try:
            return dict(dynamodb.describe_table(TableName=target)["Table"])
        except ClientError as err:
            if error_code(err) == "ResourceNotFoundException":
                return None
            raise


def _adopt(backup: Any, job: BackupJob, target: str, table_arn: str) -> str:
    """The id of the restore job of ``job``'s recovery point that made ``target``."""
    jobs: list[dict[str, Any]] = []
    with aws_call("AWS Backup ListRestoreJobs"):
        for page in backup.get_paginator("list_restore_jobs").paginate(ByResourceType="DynamoDB"):
            jobs.extend(page.get("RestoreJobs", []))
    found = adoption(jobs, job.recovery_point_arn, table_arn)
    restore_job_id = found.job_id
    for candidate in found.candidates if restore_job_id is None else ():
        with aws_call(f"AWS Backup GetRestoreJobMetadata {candidate}"):
            metadata = backup.get_restore_job_metadata(RestoreJobId=candidate).get("Metadata", {})
        if restores_into(metadata, target):
            restore_job_id = candidate
            break
    if restore_job_id is None:
        raise TargetTableConflict(
            f"table {target} already exists and no AWS Backup restore job of "
            f"{job.recovery_point_arn} made it; delete or rename it, or change "
            "replacement_pattern"
        )
    logger.info(
        f"table {target} was restored from this recovery point by {restore_job_id}; continuing",
        extra={"action": "restore_adopted", "table": target, "restore_job_id": restore_job_id},
    )
    return restore_job_id
