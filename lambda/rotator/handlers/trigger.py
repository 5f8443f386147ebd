"""SNS -> Step Functions: start one rotation per completed DynamoDB backup job.

Each record is read (never raising on its content), filtered by ``SOURCE_PATTERN``
against the table name, and started as an execution named after the backup job id, so
a repeated notification starts nothing new.
"""

from __future__ import annotations

import json
import logging
import os
from collections import Counter
from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from rotator.aws import aws_call, client, error_code
from rotator.model import BackupJob
from rotator.naming import compile_pattern, execution_name, matches_source
from rotator.notification import Ignored, read_record, records_of
from rotator.settings import TriggerSettings

logger = logging.getLogger(__name__)

STARTED, DUPLICATE, SKIPPED, REJECTED = "started", "duplicate", "skipped", "rejected"


def handler(
    event: Any, context: Any = None, env: Mapping[str, str] | None = None
) -> dict[str, int]:
    """Lambda's entry point. ``env`` stands in for the process environment (the
    emulator passes each function's own; Lambda passes nothing)."""
    settings = TriggerSettings.from_env(os.environ if env is None else env)
    pattern = compile_pattern(settings.source_pattern, "SOURCE_PATTERN")
    stepfunctions = client("stepfunctions")
    records = records_of(event)
    if not records:
        logger.error(
            "rejected: event has no SNS records",
            extra={"action": REJECTED, "reason": "event has no Records list"},
        )
    outcomes: Counter[str] = Counter()
    for record in records:
        outcomes[_handle(record, settings, pattern, stepfunctions)] += 1
    return {key: outcomes[key] for key in (STARTED, DUPLICATE, SKIPPED, REJECTED)}


def _handle(record: Any, settings: TriggerSettings, pattern: Any, sfn: Any) -> str:
    try:
        job = read_record(record)
    except Exception as err:  # read_record should not raise; never let a record crash us
        logger.exception("rejected: unreadable record", extra={"action": REJECTED})
        job = Ignored(f"unreadable record: {err!r}", relevant=True)
    if isinstance(job, Ignored):
        return _ignore(job)
    if not matches_source(pattern, job.source_table):
        return _ignore(
            Ignored(
                f"table {job.source_table} does not match SOURCE_PATTERN "
                f"{settings.source_pattern!r}",
                details={"job_id": job.job_id},
            )
        )
    return _start(job, settings.state_machine_arn, sfn)


def _ignore(ignored: Ignored) -> str:
    action = REJECTED if ignored.relevant else SKIPPED
    level = logging.ERROR if ignored.relevant else logging.INFO
    logger.log(
        level,
        f"{action}: {ignored.reason}",
        extra={"action": action, "reason": ignored.reason, **ignored.details},
    )
    return action


def _start(job: BackupJob, state_machine_arn: str, sfn: Any) -> str:
    name = execution_name(job.job_id)
    fields = {"job_id": job.job_id, "table": job.source_table, "execution_name": name}
    with aws_call(f"Step Functions StartExecution {name}"):
        try:
            response = sfn.start_execution(
                stateMachineArn=state_machine_arn,
                name=name,
                input=json.dumps({"backup": job.to_dict()}),
            )
        except ClientError as err:
            if error_code(err) != "ExecutionAlreadyExists":
                raise
            logger.info(
                f"duplicate: backup job {job.job_id} already has an execution",
                extra={"action": DUPLICATE, **fields},
            )
            return DUPLICATE
    logger.info(
        f"started: rotation of {job.source_table} for backup job {job.job_id}",
        extra={"action": STARTED, "execution_arn": response["executionArn"], **fields},
    )
    return STARTED
