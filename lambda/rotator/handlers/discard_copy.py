"""Step "DiscardRefusedCopy" (with ``delete_copy_on_hook_failure``): a hook refused the
copy, so the rotation fails; delete that copy rather than leave it behind.

The copy is deleted only if its tags say this rotator made it of this rotation's
source table from this rotation's recovery point, the parameter does not name it (read
just before the deletion) and it has no deletion protection
(``rotator.cleanup.discard_choice``); otherwise it is left, and the log and the result
say why. The rotation fails with the hook's error either way: this step only cleans up.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from rotator import cleanup
from rotator.aws import aws_call, client, error_code
from rotator.handlers import (
    backup_job_of,
    describe_table_if_exists,
    parameter_value,
    restore_state_of,
    table_tags,
    workflow_step,
)
from rotator.logcontext import get_logger
from rotator.pointer import parameter_of
from rotator.settings import DiscardSettings

logger = get_logger(__name__)


@workflow_step
def handler(
    event: Any, context: Any = None, env: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Lambda's entry point. ``env`` stands in for the process environment (the
    emulator passes each function's own; Lambda passes nothing)."""
    settings = DiscardSettings.from_env(os.environ if env is None else env)
    job = backup_job_of(event)
    restore = restore_state_of(event)
    name = restore.target_table_name
    parameter = parameter_of(settings.ssm_parameter_name, job.source_table, name)
    result: dict[str, Any] = {"table_name": name, "deleted": False, "reason": None}
    table = describe_table_if_exists(name)
    if table is None or table.get("TableStatus") == "DELETING":
        result["reason"] = "gone"
        logger.info(f"{name} is gone already", extra={"action": "gone", "table": name})
        return result
    created = table.get("CreationDateTime")
    candidate = cleanup.Candidate(
        name=name,
        arn=str(table["TableArn"]),
        tags=table_tags(str(table["TableArn"])),
        deletion_protection=bool(table.get("DeletionProtectionEnabled", False)),
        created_at=created if isinstance(created, datetime) else None,
    )
    choice = cleanup.discard_choice(
        candidate,
        rotator=settings.rotator,
        source_table=job.source_table,
        recovery_point_arn=job.recovery_point_arn,
        parameter_value=parameter_value(parameter),
    )
    result["reason"] = choice.reason
    if choice.reason != cleanup.REFUSED_BY_HOOK:
        level = logging.WARNING if choice.reason == cleanup.DELETION_PROTECTION else logging.INFO
        logger.log(level, f"{choice.message}: not deleted", extra=_fields("kept", choice))
        return result
    with aws_call(f"DynamoDB DeleteTable {name}"):
        try:
            client("dynamodb").delete_table(TableName=name)
        except ClientError as err:
            if error_code(err) != "ResourceNotFoundException":
                raise
            result["reason"] = "gone"
            return result
    result["deleted"] = True
    logger.info(f"{choice.message}: deleted", extra=_fields("deleted", choice))
    return result


def _fields(action: str, choice: cleanup.Choice) -> dict[str, str]:
    return {"action": action, "reason": choice.reason, "table": choice.table.name}
