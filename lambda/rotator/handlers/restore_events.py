"""The restore-events function: AWS Backup's ``Restore Job State Change`` events, from
the EventBridge rule ``<name>-restore-jobs``, wake the rotation waiting for that job.

Most restore jobs of an account are not this rotator's, and a rotation may have
stopped waiting (its wait timed out and a check found the job itself): both are
logged and left alone. Nothing raises for an event it cannot use, so EventBridge
does not retry it; the waiting state's own timeout and Retry make up for any event
missed this way or never delivered.

One thing does raise: SendTaskSuccess denied to the function's role (``WakeDenied``,
logged as an ERROR by ``wake``). The rotation still goes on after its next look at the
job, but every event-driven wake is lost until the role is fixed, so the invocation
fails and the module's ``restore_event_errors`` alarm (alarms.tf) fires.
"""

from __future__ import annotations

from typing import Any

from rotator.aws import aws_call, client
from rotator.environment import environ
from rotator.handlers import wake
from rotator.logcontext import get_logger
from rotator.settings import WaitSettings
from rotator.sources.claims import Ignored
from rotator.sources.restore_jobs import read_restore_event

logger = get_logger(__name__)


def handler(event: Any, context: Any) -> dict[str, Any]:
    """Lambda's entry point."""
    settings = WaitSettings.from_env(environ())
    change = read_restore_event(event)
    if isinstance(change, Ignored):
        log = logger.warning if change.relevant else logger.info
        log(f"event skipped: {change.reason}", extra={"action": "restore_event_skipped"})
        return {"woken": 0}
    fields = {
        "action": "restore_event",
        "restore_job_id": change.restore_job_id,
        "status": change.status,
    }
    key = {"restore_job_id": {"S": change.restore_job_id}}
    with aws_call(f"DynamoDB GetItem {settings.waits_table_name}"):
        item = (
            client("dynamodb")
            .get_item(TableName=settings.waits_table_name, Key=key, ConsistentRead=True)
            .get("Item")
        )
    token = (item or {}).get("task_token", {}).get("S")
    if not token:
        logger.info(f"no rotation waits for restore job {change.restore_job_id}", extra=fields)
        return {"woken": 0}
    execution = item.get("execution", {}).get("S") if item else None
    woke = wake(token, {"woken_by": "event", "status": change.status})
    with aws_call(f"DynamoDB DeleteItem {settings.waits_table_name}"):
        # Only the token just used: a wait that timed out meanwhile has filed a new one.
        try:
            client("dynamodb").delete_item(
                TableName=settings.waits_table_name,
                Key=key,
                ConditionExpression="task_token = :token",
                ExpressionAttributeValues={":token": {"S": token}},
            )
        except client("dynamodb").exceptions.ConditionalCheckFailedException:
            pass
    logger.info(
        f"restore job {change.restore_job_id} is {change.status}: "
        + (f"woke execution {execution}" if woke else f"execution {execution} no longer waited"),
        extra={**fields, "execution_name": execution, "outcome": "woken" if woke else "gone"},
    )
    return {"woken": int(woke)}
