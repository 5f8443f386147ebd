"""Step "Configure": make the restored table a usable copy, then check it holds data.

What is left to do is decided by ``rotator.configure.changes`` from the copy's and the
source table's descriptions: the restore settings an AWS Backup restore could not set
(billing mode, throughput, indexes), Streams and TTL as the source has them
(``copy_settings``), point-in-time recovery and deletion protection as configured, the
table properties of ``rotator.table_settings`` (class, on-demand maximum, warm
throughput, recovery period, resource-based policy, auto scaling, contributor
insights, Kinesis destination; read and applied by ``handlers.table_facts``, imported
only when one is on), and the tags: the source's (``copy_source_tags``), the module's, and the rotator's own
bookkeeping tags, which name the rotator, the source table, the recovery point and the
restore's time (labels for people and cost reports: which tables are the rotator's is
the ledger of copies' to say, not the tags'). UpdateTable changes one
thing at a time: after each, the step raises ``CopyNotSettled`` and the state's Retry
calls it again once the table may be ACTIVE, so each UpdateTable costs one state
transition; a copy that needs none costs one call.

A setting that cannot be applied (``Problem``) raises ``CopyNotConfigured``, unless
``copy_settings.best_effort`` names it: then a WARNING, and the result's
``not_applied`` lists it.

Then the built-in check: a copy of a backup that held data must hold some (one-item
scan). A failure raises ``CopyNotVerified``, before any hook or the pointer.

Before any of it, the table must be the one the ledger of copies records for this
rotation (``rotator.ledger.ownership``): the first time it is matched its TableId is
recorded, and once the check passes the entry is ``ready``. A table the ledger does
not show to be this rotation's copy raises ``CopyNotVerified`` and is left untouched.

With ``pass``, the step runs twice. Before the pass it holds back point-in-time recovery
and Streams, which would keep the unmasked items' history, and leaves the ledger entry
as it is. After the pass (FinishConfigure, whose event carries the pass's totals) it
applies them, removes the policy PlanPass closed the copy with, and marks the entry
``ready``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from rotator import clock
from rotator import ledger as ledger_rules
from rotator.aws import aws_call, client, error_code
from rotator.cleanup import bookkeeping_tags
from rotator.configure import (
    Changes,
    CopySettings,
    changes,
    emptiness_problem,
    is_settled,
    wanted_tags,
)
from rotator.environment import environ
from rotator.errors import CopyNotConfigured, CopyNotSettled, CopyNotVerified
from rotator.handlers import (
    backup_job_of,
    backup_record,
    describe_restore_job,
    point_in_time_recovery,
    restore_state_of,
    table_tags,
    workflow_step,
)
from rotator.handlers.ledger_table import Ledger
from rotator.logcontext import get_logger
from rotator.model import (
    ArnLocation,
    RestoreState,
    arn_location,
    parse_table_arn,
)
from rotator.settings import ConfigureSettings

if TYPE_CHECKING:
    from rotator.table_settings import Facts, Problem

logger = get_logger(__name__)

# The source may be gone, or in another account (a copy): then nothing is copied from it.
_UNREADABLE = frozenset({"ResourceNotFoundException", "AccessDeniedException"})


@workflow_step
def handler(event: Any, context: Any) -> dict[str, Any]:
    """Lambda's entry point."""
    settings = ConfigureSettings.from_env(environ())
    ledger = Ledger.from_env(environ())
    job = backup_job_of(event)
    restore = restore_state_of(event)
    name = restore.target_table_name
    dynamodb = client("dynamodb")
    copy = _describe(name)
    if not is_settled(copy):
        raise CopyNotSettled(f"copy {name} is {copy.get('TableStatus')}; waiting for ACTIVE")
    copy_arn = str(copy["TableArn"])
    fields = {"action": "configured", "job_id": job.job_id, "table": name}
    entry = _owned_entry(ledger, job.recovery_point_arn, restore, copy)
    # pass: Configure runs before it, holding back what would keep the unmasked items'
    # history (point-in-time recovery, Streams), and again after it (FinishConfigure,
    # whose event carries the pass's totals), which opens the copy.
    after_pass = isinstance(event, Mapping) and "pass" in event
    holding = settings.passes and not after_pass
    # (and the resource-based policy, which PlanPass's closing policy holds the place of,
    # and the Kinesis destination, which would carry the unmasked items)
    copy_settings = (
        replace(
            settings.copy,
            point_in_time_recovery=False,
            point_in_time_recovery_period=None,
            copy_source_streams=False,
            resource_policy=None,
            kinesis_stream_arn=None,
        )
        if holding
        else settings.copy
    )
    if settings.passes and after_pass:
        _open_after_pass(name, copy_arn)

    source, source_ttl, source_tags, source_facts = _source(
        job.source_table_arn, copy_settings, copy_arn
    )
    wanted, dropped = wanted_tags(
        settings.copy,
        source_tags,
        bookkeeping_tags(
            settings.rotator_name, job.source_table, job.recovery_point_arn, restore.started_at
        ),
    )
    with aws_call(f"DynamoDB ListTagsOfResource {name}"):
        current = table_tags(copy_arn)
    copy_ttl = None
    if settings.copy.copy_source_ttl and source_ttl is not None:
        with aws_call(f"DynamoDB DescribeTimeToLive {name}"):
            copy_ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    facts = None
    pitr = False
    if copy_settings.table_properties:
        # the table properties' readers and rules, imported only when one is on
        from rotator.handlers.table_facts import copy_facts

        facts = copy_facts(copy, copy_settings)
        pitr = facts.point_in_time_recovery
    elif copy_settings.point_in_time_recovery:
        pitr, _ = point_in_time_recovery(name)
    location = arn_location(copy_arn)
    todo = changes(
        copy,
        settings=copy_settings,
        options=settings.restore_options,
        current_tags=current,
        wanted=wanted,
        dropped_tags=dropped,
        source=source,
        source_ttl=source_ttl,
        copy_ttl=copy_ttl,
        point_in_time_recovery=pitr,
        facts=facts,
        source_facts=source_facts,
        account=location.account_id if location is not None else "",
        restored_by_aws_backup=restore.restore_job_id is not None,
    )
    not_applied = _settle(todo.problems, settings.copy.best_effort, fields)
    _apply(todo, name, copy_arn)
    if todo.dropped_tags:
        logger.warning(
            f"copy {name}: source tags {', '.join(todo.dropped_tags)} left out, over "
            "DynamoDB's 50 tags a table",
            extra=fields,
        )
    if todo.update_table is None and todo.table is not None:
        from rotator.handlers.table_facts import apply_table_changes

        refused = apply_table_changes(todo.table, name, copy_arn)
        not_applied += _settle(refused, settings.copy.best_effort, fields)
    if todo.update_table is not None:
        raise CopyNotSettled(
            f"copy {name}: UpdateTable sent ({', '.join(sorted(set(todo.update_table) - {'TableName'}))}); "
            "configuring again once it is ACTIVE"
        )
    sampled = _check(job.recovery_point_arn, restore, name)
    if holding:
        logger.info(
            f"copy {name} configured; the pass comes next, then point-in-time recovery and Streams",
            extra={**fields, "outcome": "awaiting_pass"},
        )
        return {
            "tags": len(wanted),
            "dropped_tags": list(todo.dropped_tags),
            "sampled_items": sampled,
            "not_applied": not_applied,
        }
    if entry.state not in (ledger_rules.READY, ledger_rules.PUBLISHED):
        # a re-run of a published copy's rotation leaves it published
        ledger.replace(entry, _moved(entry, ledger_rules.READY))
    logger.info(f"copy {name} configured and holds data", extra={**fields, "outcome": "ready"})
    return {
        "tags": len(wanted),
        "dropped_tags": list(todo.dropped_tags),
        "sampled_items": sampled,
        "not_applied": not_applied,
    }


def _settle(
    problems: Sequence[Problem], best_effort: frozenset[str], fields: dict[str, Any]
) -> list[str]:
    """Fails the step on a setting that cannot be applied, unless best_effort names it:
    then a WARNING, and the setting's name is returned (the step's result lists them)."""
    failing = [p for p in problems if p.setting not in best_effort]
    if failing:
        raise CopyNotConfigured(
            "; ".join(f"{p.setting}: {p.message}" for p in failing)
            + "; expected settings the copy can take (or the setting named in "
            "copy_settings.best_effort); the pointer was not moved"
        )
    for problem in problems:
        logger.warning(
            f"{problem.setting} not applied (best effort): {problem.message}",
            extra={**fields, "outcome": "not_applied"},
        )
    return sorted({p.setting for p in problems})


def _moved(entry: ledger_rules.Entry, state: str, **changes: Any) -> ledger_rules.Entry:
    try:
        return entry.moved_to(state, clock.now(), **changes)
    except ledger_rules.LedgerError as err:
        raise CopyNotVerified(f"{err}; the copy was left as it is") from None


def _owned_entry(
    ledger: Ledger, recovery_point_arn: str, restore: RestoreState, table: dict[str, Any]
) -> ledger_rules.Entry:
    """This rotation's ledger entry of the copy (the entry of its recovery point: a
    re-run of the same recovery point is the same rotation, ``ledger.claim_verdict``),
    with its TableId recorded; raises ``CopyNotVerified`` if the table is not the one
    the ledger records."""
    name = restore.target_table_name
    entry = ledger.get(name)
    if entry is not None and entry.recovery_point_arn != recovery_point_arn:
        entry = None  # another recovery point's entry: not this copy's
    job = None
    if entry is not None and entry.table_id is None and entry.restore_job_id is not None:
        job = describe_restore_job(entry.restore_job_id)
    owned = ledger_rules.ownership(entry, table, job)
    if entry is None or not owned.owned:
        raise CopyNotVerified(
            f"table {name} is not this rotation's copy as the ledger of copies records it "
            f"({owned.message}); expected the table StartRestore restored; left untouched"
        )
    if owned.record_table_id is not None:
        recorded = _moved(entry, entry.state, table_id=owned.record_table_id)
        ledger.replace(entry, recorded)
        entry = recorded
    return entry


def _open_after_pass(name: str, arn: str) -> None:
    """Removes the policy PlanPass closed the copy with (``rotator.passes``); a policy
    that is not that one is left as it is."""
    dynamodb = client("dynamodb")
    with aws_call(f"DynamoDB GetResourcePolicy {name}"):
        try:
            policy = str(dynamodb.get_resource_policy(ResourceArn=arn).get("Policy") or "")
        except ClientError as err:
            if error_code(err) != "PolicyNotFoundException":
                raise
            policy = ""
    from rotator.passes import is_closing_policy  # with pass only: a lighter import

    if is_closing_policy(policy):
        with aws_call(f"DynamoDB DeleteResourcePolicy {name}"):
            dynamodb.delete_resource_policy(ResourceArn=arn)
        logger.info(
            f"copy {name} opened: the pass is over",
            extra={"action": "configured", "table": name, "outcome": "opened"},
        )


def _describe(name: str) -> dict[str, Any]:
    with aws_call(f"DynamoDB DescribeTable {name}"):
        return dict(client("dynamodb").describe_table(TableName=name)["Table"])


def _same_place(a: ArnLocation | None, b: ArnLocation | None) -> bool:
    return a is not None and b is not None and a == b


def _source(
    source_arn: str, wanted: CopySettings, copy_arn: str
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, dict[str, str] | None, Facts | None]:
    """The source table's description, TTL, tags and the rest of ``Facts``, as far as
    the settings use them; ``None`` for what cannot be read (gone, or in another
    account or Region)."""
    reads: frozenset[str] = frozenset()
    if wanted.table_properties:
        from rotator.handlers.table_facts import source_facts, source_reads

        reads = source_reads(wanted)
    if not (
        reads or wanted.copy_source_tags or wanted.copy_source_ttl or wanted.copy_source_streams
    ):
        return None, None, None, None
    table = parse_table_arn(source_arn)
    if table is None or not _same_place(arn_location(source_arn), arn_location(copy_arn)):
        logger.info(
            f"source table {source_arn} is in another account or Region; nothing is copied from it",
            extra={"action": "configured", "table": source_arn},
        )
        return None, None, None, None
    dynamodb = client("dynamodb")
    try:
        with aws_call(f"DynamoDB DescribeTable {table.table}"):
            source = (
                dict(dynamodb.describe_table(TableName=table.table)["Table"])
                if wanted.copy_source_streams or reads
                else None
            )
        with aws_call(f"DynamoDB DescribeTimeToLive {table.table}"):
            ttl = (
                dict(dynamodb.describe_time_to_live(TableName=table.table)["TimeToLiveDescription"])
                if wanted.copy_source_ttl
                else None
            )
        with aws_call(f"DynamoDB ListTagsOfResource {table.table}"):
            tags = table_tags(source_arn) if wanted.copy_source_tags else None
        facts = source_facts(source, reads) if source is not None and reads else None
    except Exception as err:
        cause = err.__cause__
        if isinstance(cause, ClientError) and error_code(cause) in _UNREADABLE:
            logger.warning(
                f"source table {table.table} cannot be read ({error_code(cause)}); "
                "nothing is copied from it",
                extra={"action": "configured", "table": table.table},
            )
            return None, None, None, None
        raise
    return source, ttl, tags, facts


def _apply(todo: Changes, name: str, arn: str) -> None:
    dynamodb = client("dynamodb")
    if todo.tags:
        with aws_call(f"DynamoDB TagResource {name}"):
            dynamodb.tag_resource(
                ResourceArn=arn, Tags=[{"Key": k, "Value": v} for k, v in todo.tags.items()]
            )
    if todo.time_to_live is not None:
        ttl = todo.time_to_live
        with aws_call(f"DynamoDB UpdateTimeToLive {name}"):
            dynamodb.update_time_to_live(
                TableName=name,
                TimeToLiveSpecification={
                    "Enabled": bool(ttl["Enabled"]),
                    "AttributeName": str(ttl["AttributeName"]),
                },
            )
    if todo.point_in_time_recovery is not None:
        specification: dict[str, Any] = {"PointInTimeRecoveryEnabled": todo.point_in_time_recovery}
        if todo.recovery_period_days is not None:
            specification["RecoveryPeriodInDays"] = todo.recovery_period_days
        with aws_call(f"DynamoDB UpdateContinuousBackups {name}"):
            dynamodb.update_continuous_backups(
                TableName=name,
                PointInTimeRecoverySpecification=specification,  # type: ignore[arg-type]
            )
    if todo.update_table is not None:
        with aws_call(f"DynamoDB UpdateTable {name}"):
            dynamodb.update_table(**todo.update_table)


def _check(recovery_point_arn: str, restore: RestoreState, name: str) -> int:
    """The built-in check; returns the items a one-item scan found."""
    size, _ = backup_record(recovery_point_arn, restore)
    with aws_call(f"DynamoDB Scan {name}"):
        sampled = int(client("dynamodb").scan(TableName=name, Limit=1, Select="COUNT")["Count"])
    problem = emptiness_problem(int(size) if size is not None else None, sampled, name)
    if problem:
        raise CopyNotVerified(problem + "; nothing after this step ran")
    return sampled
