"""Step "Publish": check the copy, then point the SSM parameter at it (if configured).

The parameter only ever moves to a table that is ACTIVE, fully loaded, and restored
from this rotation's backup, and never back to an older copy of the same table
(``rotator.pointer.pointer_verdict``): when rotations of one table overlap, the copy of
the later backup keeps it. ``ssm_parameter_name`` may name a parameter per table
(``{source_table}``, ``{target_base}``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from rotator.aws import aws_call, client
from rotator.errors import CopyNotVerified
from rotator.handlers import (
    backup_job_of,
    describe_restore_job,
    parameter_value,
    restore_state_of,
    workflow_step,
)
from rotator.logcontext import get_logger
from rotator.pointer import parameter_of, pointer_verdict
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
        "parameter_name": None,
        "parameter_version": None,
        "moved": False,
    }
    if settings.ssm_parameter_name is None:
        logger.info(
            f"copy {restore.target_table_name} verified; no parameter to update",
            extra={"action": "verified", "table": restore.target_table_name},
        )
        return result
    name = parameter_of(settings.ssm_parameter_name, job.source_table, restore.target_table_name)
    assert name is not None  # a template is set
    result["parameter_name"] = name
    current = parameter_value(name)
    verdict = pointer_verdict(current, restore.target_table_name)
    fields = {"table": restore.target_table_name, "parameter": name}
    if not verdict.move:
        # an overlapping rotation of a later backup of this table published first
        logger.info(
            f"parameter {name} left: {verdict.message}", extra={"action": "not_moved", **fields}
        )
        return result
    request: dict[str, Any] = {
        "Name": name,
        "Value": table_arn,
        "Type": "String",
        "Overwrite": True,
    }
    if settings.tier is not None:
        request["Tier"] = settings.tier
    if settings.description is not None:
        request["Description"] = settings.description
    with aws_call(f"SSM PutParameter {name}"):
        response = client("ssm").put_parameter(**request)
    result["parameter_version"] = response["Version"]
    result["moved"] = True
    if settings.tags:
        with aws_call(f"SSM AddTagsToResource {name}"):
            client("ssm").add_tags_to_resource(
                ResourceType="Parameter",
                ResourceId=name,
                Tags=[{"Key": k, "Value": v} for k, v in settings.tags.items()],
            )
    logger.info(
        f"parameter {name} now points at {table_arn} ({verdict.message})",
        extra={"action": "published", **fields},
    )
    return result
