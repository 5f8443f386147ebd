"""Step "AwaitRestoreJob": wait for an AWS Backup restore job's own event instead of
polling it.

The state is a ``lambda:invoke.waitForTaskToken`` Task. This function files the
task's token under the restore job's id in the waits table, then looks at the job:
still running (and within the restore timeout), it returns and the state sleeps
until the restore-events function wakes it on the job's ``Restore Job State Change``
(``handlers/restore_events.py``), or until the state's TimeoutSeconds, after which
its Retry calls this function again: EventBridge delivery is best effort, so a lost
event costs at most that interval, and each such check costs one state transition
and one invocation, like a poll. A job already finished (or out of time) wakes the
state at once; ``WaitForRestore`` then judges it from DescribeRestoreJob and the
table, so nothing here decides whether the restore succeeded.

The token is filed before the job is looked at: an event that comes in between finds
it, and one that came earlier is made up for by the look.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rotator import clock
from rotator.aws import aws_call, client
from rotator.environment import environ
from rotator.errors import InvalidInput
from rotator.handlers import (
    backup_job_of,
    describe_restore_job,
    restore_state_of,
    wake,
    workflow_step,
)
from rotator.logcontext import get_logger
from rotator.progress import keeps_waiting
from rotator.settings import WaitSettings

logger = get_logger(__name__)

# A filed token outlives the restore timeout by this much, then DynamoDB's TTL
# removes it (the restore-events function deletes those it used).
TOKEN_RETENTION = timedelta(days=1)


@workflow_step
def handler(event: Any, context: Any) -> dict[str, Any]:
    """Lambda's entry point."""
    settings = WaitSettings.from_env(environ())
    job = backup_job_of(event)
    restore = restore_state_of(event)
    token = event.get("task_token")
    if not isinstance(token, str) or not token:
        raise InvalidInput("step input 'task_token' is missing; expected $$.Task.Token")
    if restore.restore_job_id is None:
        raise InvalidInput(
            "step input 'restore' has no restore_job_id; only AWS Backup restores are "
            "awaited (the definition's ChooseWait sends the others to WaitForRestore)"
        )
    fields = {
        "action": "restore_awaited",
        "job_id": job.job_id,
        "restore_job_id": restore.restore_job_id,
        "table": restore.target_table_name,
    }
    expires = restore.deadline + TOKEN_RETENTION
    with aws_call(f"DynamoDB PutItem {settings.waits_table_name}"):
        client("dynamodb").put_item(
            TableName=settings.waits_table_name,
            Item={
                "restore_job_id": {"S": restore.restore_job_id},
                "task_token": {"S": token},
                "execution": {"S": str(event.get("execution", ""))},
                "expires_at": {"N": str(int(expires.timestamp()))},
            },
        )
    described = describe_restore_job(restore.restore_job_id)
    status = str(described.get("Status"))
    if keeps_waiting(described, clock.now(), restore.started_at, restore.deadline):
        logger.info(
            f"AWS Backup restore job {restore.restore_job_id} is {status}; waiting for its event",
            extra={**fields, "outcome": "waiting"},
        )
        return {"waiting": True, "status": status}
    woke = wake(token, {"woken_by": "check", "status": status})
    logger.info(
        f"AWS Backup restore job {restore.restore_job_id} is {status}; going on to check it",
        extra={**fields, "outcome": "woken" if woke else "already woken"},
    )
    return {"waiting": False, "status": status}
