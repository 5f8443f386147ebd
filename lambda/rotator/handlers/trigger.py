"""AWS Backup event -> Step Functions: start one rotation per completed DynamoDB job.

One function takes both event sources (``rotator.sources`` dispatches on the event's
shape): AWS Backup's SNS notifications and its EventBridge events, for backup jobs
and, when the module subscribes to them, copy jobs. No event is trusted: every job it
names is looked up in AWS Backup (``rotator.records``), whose record gives the
recovery point, the table, the time and the job id; an event that contradicts the
record, or names a job AWS Backup does not know, is rejected (ERROR,
``action=rejected``, ``field`` names what disagreed). A Describe call that fails
otherwise raises, so Lambda retries the event and then keeps it in the dead-letter
queue. Each job is matched against ``SOURCE_PATTERN`` by its table's name and started
as an execution named after the record's job id, so a repeated delivery, or the same
job announced by SNS and by EventBridge, starts nothing new.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from typing import Any

from botocore.exceptions import ClientError

from rotator import records
from rotator.aws import aws_call, client, error_code
from rotator.environment import environ
from rotator.logcontext import bound, get_logger
from rotator.model import COPY_JOB, BackupJob
from rotator.naming import compile_pattern, execution_name, matches_source
from rotator.settings import TriggerSettings
from rotator.sources import read_event
from rotator.sources.claims import Found, Ignored, Pending

logger = get_logger(__name__)

STARTED, DUPLICATE, SKIPPED, REJECTED = "started", "duplicate", "skipped", "rejected"


def handler(event: Any, context: Any) -> dict[str, int]:
    """Lambda's entry point."""
    settings = TriggerSettings.from_env(environ())
    pattern = compile_pattern(settings.source_pattern, "SOURCE_PATTERN")
    outcomes: Counter[str] = Counter()
    for found in _read(event):
        job_id = None if isinstance(found, Ignored) else found.job_id
        with bound(job_id=job_id, execution_name=_name_or_none(job_id)):
            outcomes[_handle(found, settings, pattern)] += 1
    return {key: outcomes[key] for key in (STARTED, DUPLICATE, SKIPPED, REJECTED)}


def _name_or_none(job_id: str | None) -> str | None:
    try:
        return execution_name(job_id) if job_id else None
    except ValueError:
        return None


def _read(event: Any) -> list[Found]:
    try:
        return read_event(event)
    except Exception as err:  # the sources should not raise; never let an event crash us
        logger.exception("rejected: unreadable event", extra={"action": REJECTED})
        return [Ignored(f"unreadable event: {err!r}", relevant=True)]


def _handle(found: Found, settings: TriggerSettings, pattern: Any) -> str:
    if _is_copy(found) and not settings.restore_copies:
        return _ignore(
            Ignored(
                "copy jobs are not rotated (the module's restore_copies is false)",
                details={"job_id": found.job_id},  # type: ignore[union-attr]
            )
        )
    if isinstance(found, Pending):
        found = records.look_up(found, settings.here)  # AWS Backup's record decides
    if isinstance(found, Ignored):
        return _ignore(found)
    if not matches_source(pattern, found.source_table):
        return _ignore(
            Ignored(
                f"table {found.source_table} does not match SOURCE_PATTERN "
                f"{settings.source_pattern!r}",
                details={"job_id": found.job_id},
            )
        )
    return _start(found, settings.state_machine_arn)


def _is_copy(found: Found) -> bool:
    return isinstance(found, (BackupJob, Pending)) and found.job_type == COPY_JOB


def _ignore(ignored: Ignored) -> str:
    action = REJECTED if ignored.relevant else SKIPPED
    level = logging.ERROR if ignored.relevant else logging.INFO
    logger.log(
        level,
        f"{action}: {ignored.reason}",
        extra={"action": action, "reason": ignored.reason, **ignored.details},
    )
    return action


def _start(job: BackupJob, state_machine_arn: str) -> str:
    name = execution_name(job.job_id)
    fields = {
        "job_id": job.job_id,
        "job_type": job.job_type,
        "table": job.source_table,
        "execution_name": name,
    }
    with aws_call(f"Step Functions StartExecution {name}"):
        try:
            response = client("stepfunctions").start_execution(
                stateMachineArn=state_machine_arn,
                name=name,
                input=json.dumps({"backup": job.to_dict()}),
            )
        except ClientError as err:
            if error_code(err) != "ExecutionAlreadyExists":
                raise
            logger.info(
                f"duplicate: {job.job_type} job {job.job_id} already has an execution",
                extra={"action": DUPLICATE, **fields},
            )
            return DUPLICATE
    logger.info(
        f"started: rotation of {job.source_table} for {job.job_type} job {job.job_id}",
        extra={"action": STARTED, "execution_arn": response["executionArn"], **fields},
    )
    return STARTED
