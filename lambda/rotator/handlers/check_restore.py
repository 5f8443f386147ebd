"""Step "WaitForRestore": is the copy ready, still restoring, failed, or out of time?

An AWS Backup restore is followed through its restore job (DescribeRestoreJob) until
it completes, then judged by the table like a classic one. Still restoring raises
``RestoreNotReady``, which the state machine retries with a growing interval, so each
check costs one state transition and one invocation.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from rotator import clock
from rotator.aws import aws_call, client, error_code
from rotator.errors import RestoreFailed, RestoreNotReady, RestoreTimedOut
from rotator.handlers import backup_job_of, describe_restore_job, restore_state_of, workflow_step
from rotator.logcontext import get_logger
from rotator.model import format_time
from rotator.progress import FAILED, READY, TIMED_OUT, judge, judge_restore_job

logger = get_logger(__name__)


@workflow_step
def handler(event: Any, context: Any) -> dict[str, Any]:
    """Lambda's entry point. This step reads no settings."""
    job = backup_job_of(event)
    restore = restore_state_of(event)
    now = clock.now()
    verdict = None
    if restore.restore_job_id is not None:  # AWS Backup restores: the job first
        verdict = judge_restore_job(
            describe_restore_job(restore.restore_job_id), now, restore.started_at, restore.deadline
        )
    if verdict is None:
        table = _describe(restore.target_table_name)
        verdict = judge(table, now, restore.started_at, restore.deadline)
    fields = {
        "action": "restore_checked",
        "job_id": job.job_id,
        "table": restore.target_table_name,
        "outcome": verdict.outcome,
    }
    if verdict.outcome == FAILED:
        raise RestoreFailed(f"restore of {job.recovery_point_arn} failed: {verdict.message}")
    if verdict.outcome == TIMED_OUT:
        raise RestoreTimedOut(verdict.message)
    logger.info(verdict.message, extra=fields)
    if verdict.outcome != READY:
        raise RestoreNotReady(verdict.message)
    return {"table_status": verdict.status, "ready_at": format_time(now)}


def _describe(table_name: str) -> dict[str, Any] | None:
    with aws_call(f"DynamoDB DescribeTable {table_name}"):
        try:
            return dict(client("dynamodb").describe_table(TableName=table_name)["Table"])
        except ClientError as err:
            if error_code(err) != "ResourceNotFoundException":
                raise
    return None
