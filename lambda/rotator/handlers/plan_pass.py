"""Step "PlanPass" (``pass``): everything the pass needs decided before its first write.

The copy must be this rotation's as the ledger of copies records it, and not published
yet: a pass closes the copy and rewrites its items, which a copy something points at
must not undergo (``PassRefused``; a re-run of a published rotation stops here).

The copy's key schema refuses a mask rule on a key attribute (``PassRefused``), the key
of the hash rules is read once so that one that cannot be read fails the rotation here,
the backup's recorded size gives the Scan's segments (``rotator.passes.segment_count``)
and its recorded item count the check CheckPass makes. Then the copy is closed to every
principal but the rotator's roles (a resource-based policy, ``rotator.passes``) until
FinishConfigure opens it. The result is WalkSegments' items and CheckPass's figures.
"""

from __future__ import annotations

from typing import Any

from rotator import ledger as ledger_rules
from rotator.aws import aws_call, client
from rotator.environment import environ
from rotator.errors import CopyNotVerified, PassRefused
from rotator.handlers import backup_job_of, backup_record, restore_state_of, workflow_step
from rotator.handlers.ledger_table import Ledger
from rotator.handlers.mask_key import read_mask_key
from rotator.logcontext import get_logger
from rotator.masking import key_conflicts
from rotator.passes import closing_policy, segment_count
from rotator.settings import PlanPassSettings

logger = get_logger(__name__)


@workflow_step
def handler(event: Any, context: Any) -> dict[str, Any]:
    """Lambda's entry point."""
    settings = PlanPassSettings.from_env(environ())
    job = backup_job_of(event)
    restore = restore_state_of(event)
    name = restore.target_table_name
    entry = Ledger.from_env(environ()).get(name)
    if entry is None or entry.recovery_point_arn != job.recovery_point_arn:
        raise CopyNotVerified(
            f"table {name} is not this rotation's copy as the ledger of copies records it; "
            "expected the table StartRestore restored. Nothing was written"
        )
    if entry.state == ledger_rules.PUBLISHED:
        raise PassRefused(
            f"copy {name} is published already (a rotation of this recovery point ran before, "
            "and its pass with it): a pass closes the copy and rewrites its items, so it runs "
            "only on a copy nothing points at yet. Nothing was written"
        )
    with aws_call(f"DynamoDB DescribeTable {name}"):
        table = client("dynamodb").describe_table(TableName=name)["Table"]
    keys = [str(key["AttributeName"]) for key in table.get("KeySchema", [])]
    conflicts = key_conflicts(settings.mask.rules, keys)
    if conflicts:
        raise PassRefused(
            f"copy {name}: {'; '.join(conflicts)}; a key attribute cannot be masked in place. "
            "Nothing was written"
        )
    read_mask_key(settings.mask)
    size, recorded_items = backup_record(job.recovery_point_arn, restore)
    segments = segment_count(size, settings.segments)
    arn = str(table["TableArn"])
    with aws_call(f"DynamoDB PutResourcePolicy {name}"):
        client("dynamodb").put_resource_policy(
            ResourceArn=arn, Policy=closing_policy(arn, settings.role_arns)
        )
    logger.info(
        f"copy {name} closed for its pass: {segments} segments, "
        f"{len(settings.mask.rules)} mask rules",
        extra={"action": "pass_planned", "table": name, "segments": segments},
    )
    return {
        "segments": list(range(segments)),
        "total_segments": segments,
        "backup_size_bytes": size,
        "recorded_items": recorded_items,
        "rules": len(settings.mask.rules),
    }
