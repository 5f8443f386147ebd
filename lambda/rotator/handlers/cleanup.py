"""Step "Cleanup" (with ``keep_last``): after Publish, delete this rotator's old copies of
the rotation's source table, keeping its newest ``keep_last`` (``rotator.cleanup``
decides; the rules are in its docstring), and the copies of its rotations that never
published and are over (``rotator.ledger.stale``).

The candidates come from the ledger of copies (a Scan filtered on the source table),
never from the account's tables or their tags: a table is deleted only if the ledger
records it and its TableId is the ledger's (``rotator.ledger.ownership``; DescribeTable,
which also says whether it has deletion protection). Every entry whose table is deleted,
gone, or not owned is marked ``deleted`` (expiring 90 days later). The table the
parameter names (GetParameter, read again just before each deletion) and the copy just
published are never deleted.

Publish has moved the pointer already: whatever fails here leaves the copy and the
parameter as Publish left them. An AWS error that retrying does not fix fails the step
with ``CleanupIncomplete`` (after the deletions it could make); throttling is raised as
``TransientAwsError`` for the state's Retry, and re-running the step is harmless (it
plans again from what is left).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from rotator import cleanup, clock
from rotator import ledger as ledger_rules
from rotator.aws import aws_call, client, error_code
from rotator.environment import environ
from rotator.errors import (
    AwsRequestFailed,
    CleanupIncomplete,
    InvalidInput,
    RestoreLimitExceeded,
    TransientAwsError,
)
from rotator.handlers import (
    backup_job_of,
    describe_restore_job,
    describe_table_if_exists,
    parameter_value,
    workflow_step,
)
from rotator.handlers.ledger_table import Ledger, LedgerChanged
from rotator.logcontext import get_logger
from rotator.model import parse_table_arn
from rotator.pointer import table_named_by
from rotator.settings import CleanupSettings

logger = get_logger(__name__)


@dataclass(frozen=True)
class Published:
    """What Publish wrote at ``$.publish``, as far as Cleanup reads it."""

    table_name: str
    table_arn: str
    parameter_name: str | None

    @classmethod
    def of(cls, event: Any) -> Published:
        data = event.get("publish") if isinstance(event, Mapping) else None
        if not isinstance(data, Mapping):
            raise InvalidInput(
                "step input 'publish': expected the object Publish writes at $.publish, got "
                f"{type(data).__name__}"
            )
        name, arn, parameter = (
            data.get("table_name"),
            data.get("table_arn"),
            data.get("parameter_name"),
        )
        parsed = parse_table_arn(arn) if isinstance(arn, str) else None
        if not isinstance(name, str) or parsed is None or parsed.table != name:
            raise InvalidInput(
                f"step input 'publish': table_name {name!r} and table_arn {arn!r}; expected "
                "the published copy's name and that table's DynamoDB ARN"
            )
        if parameter is not None and not isinstance(parameter, str):
            raise InvalidInput(
                f"step input 'publish': parameter_name {parameter!r}; expected a string or null"
            )
        assert isinstance(arn, str)  # parsed above
        return cls(name, arn, parameter or None)

    @property
    def table_arn_prefix(self) -> str:
        """``arn:...:table/`` of this account and Region, where every copy is."""
        return self.table_arn[: -len(self.table_name)]


@workflow_step
def handler(event: Any, context: Any) -> dict[str, Any]:
    """Lambda's entry point."""
    settings = CleanupSettings.from_env(environ())
    ledger = Ledger.from_env(environ())
    source_table = backup_job_of(event).source_table
    published = Published.of(event)
    try:
        return _clean_up(settings, ledger, source_table, published)
    except AwsRequestFailed as err:
        raise CleanupIncomplete(
            f"cleanup of old copies of {source_table} stopped: {err}; the copy "
            f"{published.table_name} is published and the parameter is as Publish left it"
        ) from err


def _clean_up(
    settings: CleanupSettings, ledger: Ledger, source_table: str, published: Published
) -> dict[str, Any]:
    now = clock.now()
    entries = {entry.copy: entry for entry in ledger.entries_of(source_table)}
    owned = dict(_owned(settings, ledger, entries, source_table, published, now))
    candidates = [
        candidate
        for name, candidate in owned.items()
        if entries[name].state == ledger_rules.PUBLISHED
    ]
    stale = [
        cleanup.Choice(
            candidate,
            cleanup.NEVER_PUBLISHED,
            f"{name} was never published and its rotation (execution "
            f"{entries[name].execution}, {entries[name].state}) is over",
        )
        for name, candidate in owned.items()
        if ledger_rules.stale(entries[name], now, settings.restore_timeout)
    ]
    current = parameter_value(published.parameter_name)
    plan = cleanup.plan_cleanup(
        candidates,
        rotator=settings.rotator,
        source_table=source_table,
        parameter_value=current,
        published=published.table_name,
        keep_last=settings.keep_last,
        max_age=settings.max_age,
        now=clock.now(),
    )
    for choice in plan.kept:
        _log(logging.INFO, "kept", choice, source_table)
    for choice in plan.skipped:
        level = logging.WARNING if choice.reason == cleanup.DELETION_PROTECTION else logging.INFO
        _log(level, "skipped", choice, source_table)
    result: dict[str, Any] = {
        "deleted": [],
        "kept": [choice.table.name for choice in plan.kept],
        "deletion_protected": [
            c.table.name for c in plan.skipped if c.reason == cleanup.DELETION_PROTECTION
        ],
        "skipped": len(plan.skipped),
        "not_deleted": [],
    }
    failures: list[str] = []
    for choice in [*stale, *plan.to_delete]:  # the stale first, then the oldest first
        if choice.table.deletion_protection:
            if choice.reason == cleanup.NEVER_PUBLISHED:
                _log(logging.WARNING, "skipped", _protected(choice), source_table)
                result["deletion_protected"].append(choice.table.name)
            continue
        outcome = _delete(choice, published.parameter_name, source_table)
        if outcome in ("deleted", "gone") and settings.auto_scaling:
            _deregister(choice.table.name, choice, source_table)
        if outcome in ("deleted", "gone"):
            _forget(ledger, entries[choice.table.name], now)
        if outcome == "deleted":
            result["deleted"].append(choice.table.name)
        elif outcome != "gone":
            result["not_deleted"].append(choice.table.name)
            if outcome is not None:
                failures.append(outcome)
    if failures:
        raise CleanupIncomplete(
            f"cleanup of old copies of {source_table}: {'; '.join(failures)}; the copy "
            f"{published.table_name} is published and the parameter is as Publish left it"
        )
    return result


def _owned(
    settings: CleanupSettings,
    ledger: Ledger,
    entries: dict[str, ledger_rules.Entry],
    source_table: str,
    published: Published,
    now: datetime,
) -> Iterator[tuple[str, cleanup.Candidate]]:
    """The published and stale entries' tables that are the rotator's copies (owned, not
    being deleted), as candidates; such an entry whose table is gone or not owned is
    marked deleted. The entries of rotations still under way are not looked at."""
    for name, entry in sorted(entries.items()):
        if entry.state == ledger_rules.DELETED or name == source_table:
            continue
        if entry.state != ledger_rules.PUBLISHED and not ledger_rules.stale(
            entry, now, settings.restore_timeout
        ):
            continue
        table = describe_table_if_exists(name)
        if table is None or table.get("TableStatus") == "DELETING":
            closed = (
                "gone already; its ledger entry is closed" if table is None else "being deleted"
            )
            logger.info(
                f"{name} is {closed}",
                extra={"action": "skipped", "reason": "deleting", "table": name},
            )
            if table is None:
                _forget(ledger, entry, now)
            continue
        restore_job = None
        if entry.table_id is None and entry.restore_job_id is not None:
            # an AWS Backup copy whose rotation ended before Configure recorded its TableId
            restore_job = describe_restore_job(entry.restore_job_id)
        verdict = ledger_rules.ownership(entry, table, restore_job)
        if not verdict.owned:
            logger.warning(
                f"{name} is not the rotator's copy: {verdict.message}; never deleted, and "
                "its ledger entry is closed",
                extra={"action": "skipped", "reason": "not-owned", "table": name},
            )
            _forget(ledger, entry, now)
            continue
        if verdict.record_table_id is not None:
            recorded = replace(entry, table_id=verdict.record_table_id, updated_at=now)
            ledger.replace(entry, recorded)
            entry = entries[name] = recorded
        created = table.get("CreationDateTime")
        yield (
            name,
            cleanup.ledger_candidate(
                name=name,
                arn=published.table_arn_prefix + name,
                rotator=settings.rotator,
                source_table=source_table,
                recovery_point_arn=entry.recovery_point_arn,
                requested_at=entry.requested_at,
                deletion_protection=bool(table.get("DeletionProtectionEnabled", False)),
                created_at=created if isinstance(created, datetime) else None,
            ),
        )


def _forget(ledger: Ledger, entry: ledger_rules.Entry, now: datetime) -> None:
    """Mark ``entry`` deleted (it expires 90 days later); an entry another step changed
    meanwhile is left for the next cleanup."""
    try:
        ledger.replace(entry, entry.moved_to(ledger_rules.DELETED, now))
    except LedgerChanged:
        logger.info(
            f"the ledger entry of {entry.copy} changed meanwhile; left for the next cleanup",
            extra={"action": "skipped", "reason": "ledger-changed", "table": entry.copy},
        )


def _protected(choice: cleanup.Choice) -> cleanup.Choice:
    return cleanup.Choice(
        choice.table,
        cleanup.DELETION_PROTECTION,
        f"{choice.message}, but it has deletion protection: not deleted (turn the "
        "protection off to let the rotator delete it)",
    )


def _delete(choice: cleanup.Choice, parameter_name: str | None, source_table: str) -> str | None:
    """Delete the copy ``choice`` names. "deleted", "gone" (deleted meanwhile), ``None``
    (left for a later cleanup: in use, or the parameter names it now), or why it failed."""
    name = choice.table.name
    value = parameter_value(parameter_name)  # another rotation may have moved it since
    if value is not None and table_named_by(value) == name:
        _log(
            logging.INFO,
            "kept",
            cleanup.Choice(
                choice.table,
                cleanup.NAMED_BY_PARAMETER,
                f"{name} is the table the parameter names now",
            ),
            source_table,
        )
        return None
    try:
        with aws_call(f"DynamoDB DeleteTable {name}"):
            try:
                client("dynamodb").delete_table(TableName=name)
            except ClientError as err:
                code = error_code(err)
                if code == "ResourceNotFoundException":
                    _log(logging.INFO, "gone", choice, source_table, f"{name} is gone already")
                    return "gone"
                if code == "ResourceInUseException":
                    _log(
                        logging.WARNING,
                        "not_deleted",
                        choice,
                        source_table,
                        f"{choice.message}, but DynamoDB says it is in use (being created "
                        "or updated): left for the next cleanup",
                    )
                    return None
                raise
    except RestoreLimitExceeded as err:
        # DynamoDB's limit on table operations at once: retried like throttling.
        raise TransientAwsError(str(err)) from err
    except AwsRequestFailed as err:
        _log(logging.ERROR, "not_deleted", choice, source_table, f"{choice.message}: {err}")
        return str(err)
    _log(logging.INFO, "deleted", choice, source_table, f"{choice.message}: deleted")
    return "deleted"


def _deregister(name: str, choice: cleanup.Choice, source_table: str) -> None:
    """copy_settings.auto_scaling: the deleted copy's scalable targets go too; a failure
    is logged (the copy is deleted, only its targets and alarms are left)."""
    # imported with auto_scaling only: the cleanup's own import stays light
    from rotator.handlers.table_facts import deregister_auto_scaling

    try:
        deregister_auto_scaling(name)
    except (AwsRequestFailed, TransientAwsError) as err:
        _log(
            logging.WARNING,
            "not_deregistered",
            choice,
            source_table,
            f"{name} deleted, but its auto scaling targets were not deregistered: {err}",
        )


def _log(
    level: int, action: str, choice: cleanup.Choice, source_table: str, message: str | None = None
) -> None:
    logger.log(
        level,
        message or choice.message,
        extra={
            "action": action,
            "reason": choice.reason,
            "table": choice.table.name,
            "source_table": source_table,
        },
    )
