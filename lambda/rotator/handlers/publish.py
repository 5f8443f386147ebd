"""Step "Publish": check the copy, then point the SSM parameter at it (if configured).

The parameter only ever moves to a table that is ACTIVE, fully loaded, and restored
from this rotation's backup.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from rotator.aws import aws_call, client
from rotator.errors import CopyNotVerified
from rotator.handlers import backup_job_of, describe_restore_job, restore_state_of, workflow_step
from rotator.logcontext import get_logger
from rotator.progress import copy_problems
from rotator.settings import PublishSettings

logger = get_logger(__name__)


@workflow_step
def handler(
    event: Any, context: Any = None, env: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Lambda's entry point. ``env`` stands in for the process environment (the
    emulator passes each function's own; Lambda passes nothing)."""
    settings = PublishSettings.from_env(os.environ if env is None else env)
    job = backup_job_of(event)
    restore = restore_state_of(event)
    with aws_call(f"DynamoDB DescribeTable {restore.target_table_name}"):
        table = client("dynamodb").describe_table(TableName=restore.target_table_name)
    restore_job = (
        None if restore.restore_job_id is None else describe_restore_job(restore.restore_job_id)
    )
    problems = copy_problems(table["Table"], job.recovery_point_arn, restore_job)
    if problems:
        raise CopyNotVerified("; ".join(problems) + "; the parameter was left unchanged")
    table_arn = str(table["Table"]["TableArn"])
    result: dict[str, Any] = {
        "table_name": restore.target_table_name,
        "table_arn": table_arn,
        "parameter_name": settings.ssm_parameter_name,
        "parameter_version": None,
    }
    if settings.ssm_parameter_name is None:
        logger.info(
            f"copy {restore.target_table_name} verified; no parameter to update",
            extra={"action": "verified", "table": restore.target_table_name},
        )
        return result
    with aws_call(f"SSM PutParameter {settings.ssm_parameter_name}"):
        response = client("ssm").put_parameter(
            Name=settings.ssm_parameter_name,
            Value=table_arn,
            Type="String",
            Overwrite=True,
        )
    result["parameter_version"] = response["Version"]
    logger.info(
        f"parameter {settings.ssm_parameter_name} now points at {table_arn}",
        extra={"action": "published", "table": restore.target_table_name},
    )
    return result
