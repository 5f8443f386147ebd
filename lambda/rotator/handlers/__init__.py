"""Lambda entry points. Each reads like a step of the workflow; the logic they call is
in the pure modules of ``rotator``."""

from __future__ import annotations

import functools
import json
import logging
import os
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from botocore.exceptions import ClientError

from rotator.aws import aws_call, client, error_code
from rotator.errors import InvalidInput, WakeDenied
from rotator.logcontext import bound, get_logger
from rotator.model import CLASSIC, BackupJob, InvalidBackupJob, RestoreState, recovery_point_kind


def log_level(name: str | None) -> int:
    """Python's level for Lambda's application log level (TRACE is DEBUG; unknown or
    unset is INFO), so no value of ``lambda_log_level`` can break an import."""
    name = (name or "INFO").strip().upper()
    return logging.getLevelNamesMapping().get("DEBUG" if name == "TRACE" else name, logging.INFO)


logging.getLogger("rotator").setLevel(log_level(os.environ.get("AWS_LAMBDA_LOG_LEVEL")))
logger = get_logger(__name__)


def backup_job_of(event: Any) -> BackupJob:
    """The ``backup`` object every step receives, validated."""
    data = event.get("backup") if isinstance(event, Mapping) else None
    try:
        return BackupJob.from_dict(data)
    except InvalidBackupJob as err:
        raise InvalidInput(f"step input 'backup': {err}") from None


def restore_state_of(event: Any) -> RestoreState:
    """The ``restore`` object the restore steps pass along, validated."""
    data = event.get("restore") if isinstance(event, Mapping) else None
    try:
        return RestoreState.from_dict(data)
    except ValueError as err:
        raise InvalidInput(f"step input 'restore': {err}") from None


def describe_restore_job(restore_job_id: str) -> dict[str, Any]:
    """AWS Backup DescribeRestoreJob: how an AWS Backup restore stands (WaitForRestore)
    and what it created (Publish)."""
    with aws_call(f"AWS Backup DescribeRestoreJob {restore_job_id}"):
        return dict(client("backup").describe_restore_job(RestoreJobId=restore_job_id))


def table_tags(arn: str) -> dict[str, str]:
    """DynamoDB ListTagsOfResource, every page: the table's tags (Configure, Cleanup).
    AWS errors are raised as botocore gives them; callers say what they mean."""
    tags: dict[str, str] = {}
    request: dict[str, str] = {"ResourceArn": arn}
    while True:
        page = client("dynamodb").list_tags_of_resource(**request)
        tags.update({str(tag["Key"]): str(tag["Value"]) for tag in page.get("Tags", [])})
        if not page.get("NextToken"):
            return tags
        request["NextToken"] = str(page["NextToken"])


def point_in_time_recovery(name: str) -> tuple[bool, int | None]:
    """Whether table ``name`` has point-in-time recovery on, and its period (days)."""
    with aws_call(f"DynamoDB DescribeContinuousBackups {name}"):
        described = client("dynamodb").describe_continuous_backups(TableName=name)
    status = described["ContinuousBackupsDescription"].get("PointInTimeRecoveryDescription", {})
    period = status.get("RecoveryPeriodInDays")
    return status.get("PointInTimeRecoveryStatus") == "ENABLED", (
        int(period) if period is not None else None
    )


def describe_table_if_exists(name: str) -> dict[str, Any] | None:
    """DynamoDB DescribeTable (``None``: there is no such table)."""
    with aws_call(f"DynamoDB DescribeTable {name}"):
        try:
            return dict(client("dynamodb").describe_table(TableName=name)["Table"])
        except ClientError as err:
            if error_code(err) != "ResourceNotFoundException":
                raise
    return None


def backup_record(recovery_point_arn: str, restore: RestoreState) -> tuple[int | None, int | None]:
    """What AWS recorded for the backup the copy was restored from: its size in bytes
    and its table's item count (``None`` where AWS gives none). An AWS Backup restore:
    the restore job's BackupSizeInBytes, no count; a DynamoDB backup: DescribeBackup's
    size and its source table's ItemCount at backup time (DynamoDB refreshes that
    count about every six hours)."""
    if restore.restore_job_id is not None:
        size = describe_restore_job(restore.restore_job_id).get("BackupSizeInBytes")
        return (int(size) if size is not None else None), None
    if recovery_point_kind(recovery_point_arn) != CLASSIC:
        return None, None
    with aws_call(f"DynamoDB DescribeBackup {recovery_point_arn}"):
        described = client("dynamodb").describe_backup(BackupArn=recovery_point_arn)
    details = described["BackupDescription"]
    size = details["BackupDetails"].get("BackupSizeBytes")
    items = details.get("SourceTableDetails", {}).get("ItemCount")
    return (int(size) if size is not None else None), (int(items) if items is not None else None)


def parameter_value(name: str | None) -> str | None:
    """What SSM parameter ``name`` holds now (``None``: no parameter, or it does not
    exist yet)."""
    if name is None:
        return None
    with aws_call(f"SSM GetParameter {name}"):
        try:
            return str(client("ssm").get_parameter(Name=name)["Parameter"]["Value"])
        except ClientError as err:
            if error_code(err) != "ParameterNotFound":
                raise
    return None


# SendTaskSuccess's answers for a token whose task no longer waits: it timed out (the
# AwaitRestoreJob Retry then waits again under a new token), or it was already woken.
_GONE_TOKEN_CODES = frozenset({"TaskTimedOut", "TaskDoesNotExist", "InvalidToken"})
_DENIED_CODES = frozenset({"AccessDeniedException", "AccessDenied"})


def wake(task_token: str, output: Mapping[str, Any]) -> bool:
    """SendTaskSuccess: end the ``AwaitRestoreJob`` wait ``task_token`` stands for.
    False when that wait is over already (see ``_GONE_TOKEN_CODES``), which is no
    error: whoever comes second finds the rotation moving on.

    Denied, it logs an ERROR naming the missing permission and raises ``WakeDenied``:
    iam.tf grants ``states:SendTaskSuccess`` on the state machine, which AWS does not
    document (see the comment there), so a wrong guess must be seen, not waited out."""
    with aws_call("Step Functions SendTaskSuccess"):
        try:
            client("stepfunctions").send_task_success(
                taskToken=task_token, output=json.dumps(dict(output))
            )
        except ClientError as err:
            code = error_code(err)
            if code in _DENIED_CODES:
                message = str(err.response.get("Error", {}).get("Message", err))
                reason = (
                    "Step Functions denied states:SendTaskSuccess to this function's role "
                    f"({code}: {message}); the role needs states:SendTaskSuccess on the "
                    "rotator's state machine (iam.tf, WakeOwnRotation). Without it no "
                    "event wakes a rotation: each waits restore_event_timeout_seconds "
                    "and goes on after its own look at the restore job"
                )
                logger.error(
                    reason,
                    extra={
                        "action": "wake_denied",
                        "missing_permission": "states:SendTaskSuccess",
                        "error_code": code,
                    },
                )
                raise WakeDenied(reason) from err
            if code not in _GONE_TOKEN_CODES:
                raise
            return False
    return True


Result = TypeVar("Result")


def workflow_step(handler: Callable[[Any, Any], Result]) -> Callable[[Any, Any], Result]:
    """A step of the state machine: every line it logs names the backup job
    (``backup.job_id``) and the execution (``execution``, which the definition passes
    as ``$$.Execution.Name``)."""

    @functools.wraps(handler)
    def step(event: Any, context: Any) -> Result:
        given = event if isinstance(event, Mapping) else {}
        backup = given.get("backup")
        job_id = backup.get("job_id") if isinstance(backup, Mapping) else None
        execution = given.get("execution")
        with bound(
            job_id=job_id if isinstance(job_id, str) else None,
            execution_name=execution if isinstance(execution, str) else None,
        ):
            return handler(event, context)

    return step
