"""Step "DiscardRefusedCopy" (with ``delete_copy_on_hook_failure``): a hook refused the
copy, so the rotation fails; delete that copy rather than leave it behind.

The copy is deleted only if the ledger of copies records it as this rotation's (its
entry names this rotation's recovery point and backup job, and the table's TableId is
the entry's), the parameter does not name it (read just before the deletion) and it
has no deletion protection (``rotator.cleanup.discard_choice``); otherwise it is left,
and the log and the result say why. Its ledger entry becomes ``refused``, then
``deleted`` once the table is. The rotation fails with the hook's error either way:
this step only cleans up.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from rotator import cleanup, clock
from rotator import ledger as ledger_rules
from rotator.aws import aws_call, client, error_code
from rotator.environment import environ
from rotator.errors import AwsRequestFailed, TransientAwsError
from rotator.handlers import (
    backup_job_of,
    describe_table_if_exists,
    parameter_value,
    restore_state_of,
    workflow_step,
)
from rotator.handlers.ledger_table import Ledger
from rotator.logcontext import get_logger
from rotator.pointer import parameter_of
from rotator.settings import DiscardSettings

logger = get_logger(__name__)


@workflow_step
def handler(event: Any, context: Any) -> dict[str, Any]:
    """Lambda's entry point."""
    settings = DiscardSettings.from_env(environ())
    ledger = Ledger.from_env(environ())
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
    entry = ledger.get(name)
    # the entry of this rotation's recovery point (a re-run of it is the same rotation)
    ours = entry is not None and entry.recovery_point_arn == job.recovery_point_arn
    verdict = ledger_rules.ownership(entry if ours else None, table)
    if entry is None or not ours or not verdict.owned:
        reason = "not-this-rotations-copy"
        result["reason"] = reason
        message = (
            f"{name} is not this rotation's copy as the ledger of copies records it "
            f"({verdict.message if ours else 'its entry is of another rotation'}): not deleted"
        )
        logger.warning(message, extra={"action": "kept", "reason": reason, "table": name})
        return result
    if entry.state != ledger_rules.REFUSED:
        refused = entry.moved_to(
            ledger_rules.REFUSED, clock.now(), table_id=entry.table_id or verdict.record_table_id
        )
        ledger.replace(entry, refused)
        entry = refused
    created = table.get("CreationDateTime")
    candidate = cleanup.ledger_candidate(
        name=name,
        arn=str(table["TableArn"]),
        rotator=settings.rotator,
        source_table=job.source_table,
        recovery_point_arn=entry.recovery_point_arn,
        requested_at=entry.requested_at,
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
            ledger.replace(entry, entry.moved_to(ledger_rules.DELETED, clock.now()))
            return result
    ledger.replace(entry, entry.moved_to(ledger_rules.DELETED, clock.now()))
    if settings.auto_scaling:
        # DeleteTable leaves the copy's scalable targets (and their alarms) behind;
        # imported with auto_scaling only, so the discard's own import stays light
        from rotator.handlers.table_facts import deregister_auto_scaling

        try:
            deregister_auto_scaling(name)
        except (AwsRequestFailed, TransientAwsError) as err:
            logger.warning(
                f"{name} deleted, but its auto scaling targets were not deregistered: {err}",
                extra=_fields("not_deregistered", choice),
            )
    result["deleted"] = True
    logger.info(f"{choice.message}: deleted", extra=_fields("deleted", choice))
    return result


def _fields(action: str, choice: cleanup.Choice) -> dict[str, str]:
    return {"action": action, "reason": choice.reason, "table": choice.table.name}
