"""Step "Publish": check the copy, then point the SSM parameter at it (if configured).

The parameter only ever moves to a table that is ACTIVE, fully loaded, and restored
from this rotation's backup, and never back to an older copy of the same table
(``rotator.pointer.ledger_pointer_verdict``): when rotations of one table overlap, the
copy of the later backup keeps it. That rule holds only for a value naming a copy the
ledger of copies records: anything else the parameter holds is replaced, with a
warning. The copy's ledger entry becomes ``published`` once it is verified. ``ssm_parameter_name`` may name a parameter per table
(``{source_table}``, ``{target_base}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rotator import clock
from rotator import ledger as ledger_rules
from rotator.aws import aws_call, client
from rotator.environment import environ
from rotator.errors import CopyNotVerified
from rotator.handlers import (
    backup_job_of,
    describe_restore_job,
    describe_table_if_exists,
    parameter_value,
    restore_state_of,
    workflow_step,
)
from rotator.handlers.ledger_table import Ledger
from rotator.logcontext import get_logger
from rotator.naming import TABLE_NAME_RULE
from rotator.pointer import ledger_pointer_verdict, parameter_of, table_named_by
from rotator.progress import copy_problems
from rotator.settings import PublishSettings

logger = get_logger(__name__)


@workflow_step
def handler(event: Any, context: Any) -> dict[str, Any]:
    """Lambda's entry point."""
    settings = PublishSettings.from_env(environ())
    ledger = Ledger.from_env(environ())
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
    _mark_published(ledger, job.recovery_point_arn, table["Table"])
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
    known, exists = _what_the_ledger_knows(ledger, current, restore.target_table_name)
    verdict = ledger_pointer_verdict(
        current, restore.target_table_name, known=known, exists=exists, now=clock.now()
    )
    fields = {"table": restore.target_table_name, "parameter": name}
    if verdict.warning:
        logger.warning(
            f"parameter {name}: {verdict.message}", extra={"action": "taken_over", **fields}
        )
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


def _mark_published(ledger: Ledger, recovery_point_arn: str, table: Mapping[str, Any]) -> None:
    """The copy's ledger entry becomes ``published``; a table the ledger does not record
    as this rotation's copy (the entry of its recovery point, owned) raises
    ``CopyNotVerified`` (nothing is published)."""
    name = str(table.get("TableName"))
    entry = ledger.get(name)
    ours = entry is not None and entry.recovery_point_arn == recovery_point_arn
    owned = ledger_rules.ownership(entry if ours else None, table)
    if entry is None or not owned.owned:
        raise CopyNotVerified(
            f"table {name} is not this rotation's copy as the ledger of copies records it "
            f"({owned.message}); the parameter was left unchanged"
        )
    if entry.state != ledger_rules.PUBLISHED:
        try:
            published = entry.moved_to(ledger_rules.PUBLISHED, clock.now())
        except ledger_rules.LedgerError as err:
            raise CopyNotVerified(f"{err}; the parameter was left unchanged") from None
        ledger.replace(entry, published)


def _what_the_ledger_knows(
    ledger: Ledger, current: str | None, candidate: str
) -> tuple[bool, bool]:
    """Whether the ledger records the table ``current`` names as the rotator's, and
    whether that table exists (``(True, True)`` when there is nothing to check)."""
    if current is None:
        return True, True
    table = table_named_by(current)
    if table == candidate or not TABLE_NAME_RULE.fullmatch(table):
        return table == candidate, table == candidate
    entry = ledger.get(table)
    if entry is None or entry.state == ledger_rules.DELETED:
        return False, True
    described = describe_table_if_exists(table)
    if described is None:
        return True, False
    return ledger_rules.ownership(entry, described).owned, True
