"""What makes a restored table a usable copy, decided from descriptions. No AWS calls.

A restore carries none of the source table's tags, TTL, Streams, point-in-time recovery
or deletion protection (aws-facts section 4), nor the table properties of
``rotator.table_settings`` (whose rules are imported only when one is on), and an AWS
Backup restore cannot set the billing mode, throughput or indexes
(``restore_options.updates_after_restore``). The
Configure step asks ``changes`` what is left to do on the copy, given the copy's and
the source's descriptions and the settings, applies it, and asks again until nothing
is left; each answer is computed from the current descriptions, so a repeated step
sends nothing twice.

``UpdateTable`` changes one thing at a time and refuses a request while the table is
``UPDATING``: they come one at a time (``Changes.update_table`` is the next one), the
others (TTL, point-in-time recovery, tags) have their own APIs and come together.

The built-in check (``emptiness_problem``): a copy of a backup that held data must not
be empty. A backup's size counts its items, so "held data" is size > 0; a copy is
empty when a one-item scan finds nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from rotator.restore_options import RestoreOptions, local_index_problem, updates_after_restore

if TYPE_CHECKING:  # imported when a table property is on (CopySettings.table_properties)
    from rotator.table_settings import (
        AutoScaling,
        Facts,
        Problem,
        RecoveryPeriod,
        ResourcePolicy,
        TableChanges,
        Throughput,
    )

ACTIVE = "ACTIVE"
# DynamoDB's limit of tags per table, and tags no one may set (AWS's own).
MAX_TAGS = 50
RESERVED_TAG_PREFIX = "aws:"


@dataclass(frozen=True)
class CopySettings:
    """``copy_settings`` and the tags: what the copy gets after its restore."""

    tags: Mapping[str, str] = field(default_factory=dict)  # the module's tags
    copy_source_tags: bool = False
    copy_source_ttl: bool = False
    copy_source_streams: bool = False
    point_in_time_recovery: bool = False
    deletion_protection: bool = False
    # rotator.table_settings: each None (off), as the source, or a value
    table_class: str | None = None
    on_demand_throughput: Throughput | None = None
    warm_throughput: Throughput | None = None
    point_in_time_recovery_period: RecoveryPeriod | None = None
    resource_policy: ResourcePolicy | None = None
    auto_scaling: AutoScaling | None = None
    contributor_insights: str | None = None
    kinesis_stream_arn: str | None = None
    best_effort: frozenset[str] = frozenset()

    @property
    def table_properties(self) -> bool:
        """Whether a property of ``rotator.table_settings`` is on. Its rules are
        imported only then, so a Configure without them (and every other handler)
        imports less (make bench's import targets)."""
        return any(
            value is not None
            for value in (
                self.table_class,
                self.on_demand_throughput,
                self.warm_throughput,
                self.point_in_time_recovery_period,
                self.resource_policy,
                self.auto_scaling,
                self.contributor_insights,
                self.kinesis_stream_arn,
            )
        )


@dataclass(frozen=True)
class Changes:
    """What is left to do on the copy. Empty (``done``) when it has everything."""

    update_table: dict[str, Any] | None = None  # the next UpdateTable request
    more_updates: bool = False  # another UpdateTable waits behind this one
    time_to_live: dict[str, Any] | None = None  # UpdateTimeToLive's specification
    point_in_time_recovery: bool | None = None  # UpdateContinuousBackups' value
    recovery_period_days: int | None = None  # with it, point-in-time recovery's period
    tags: dict[str, str] = field(default_factory=dict)  # to add or overwrite
    dropped_tags: tuple[str, ...] = ()  # source tags left out (the 50-tag limit)
    # policy, auto scaling, contributor insights, Kinesis: once no UpdateTable is left
    table: TableChanges | None = None
    problems: tuple[Problem, ...] = ()  # settings that cannot be applied

    @property
    def done(self) -> bool:
        return (
            self.update_table is None
            and self.time_to_live is None
            and self.point_in_time_recovery is None
            and self.recovery_period_days is None
            and not self.tags
            and (self.table is None or self.table.done)
        )


def is_settled(table: Mapping[str, Any]) -> bool:
    """``ACTIVE``, with every global secondary index ``ACTIVE``: UpdateTable may go."""
    if table.get("TableStatus") != ACTIVE:
        return False
    return all(i.get("IndexStatus") == ACTIVE for i in table.get("GlobalSecondaryIndexes") or [])


def wanted_tags(
    settings: CopySettings,
    source_tags: Mapping[str, str] | None,
    bookkeeping: Mapping[str, str],
) -> tuple[dict[str, str], tuple[str, ...]]:
    """The copy's tags: the source's (with ``copy_source_tags``; AWS's own ``aws:``
    tags cannot be set), then the module's, then the rotator's bookkeeping, each
    overriding the one before, so a source that is itself a copy cannot pass its
    bookkeeping on. Source tags beyond DynamoDB's 50 are left out (returned second,
    by key), never the module's or the bookkeeping ones."""
    own = {**settings.tags, **bookkeeping}
    if len(own) > MAX_TAGS:
        raise ValueError(
            f"the copy would carry {len(own)} tags (the module's tags and the rotator's "
            f"{len(bookkeeping)}); DynamoDB allows {MAX_TAGS}: give the module fewer tags"
        )
    inherited = {
        k: v
        for k, v in sorted((source_tags or {}).items())
        if settings.copy_source_tags and not k.startswith(RESERVED_TAG_PREFIX) and k not in own
    }
    room = MAX_TAGS - len(own)
    kept = dict(list(inherited.items())[:room])
    dropped = tuple(k for k in inherited if k not in kept)
    return {**kept, **own}, dropped


def _streams_update(
    copy: Mapping[str, Any], source: Mapping[str, Any] | None, settings: CopySettings
) -> dict[str, Any] | None:
    if not settings.copy_source_streams or source is None:
        return None
    wanted = source.get("StreamSpecification") or {}
    if not wanted.get("StreamEnabled"):
        return None
    have = copy.get("StreamSpecification") or {}
    if have.get("StreamEnabled") and have.get("StreamViewType") == wanted.get("StreamViewType"):
        return None
    return {
        "TableName": copy["TableName"],
        "StreamSpecification": {
            "StreamEnabled": True,
            "StreamViewType": wanted.get("StreamViewType", "NEW_AND_OLD_IMAGES"),
        },
    }


def changes(
    copy: Mapping[str, Any],
    *,
    settings: CopySettings,
    options: RestoreOptions,
    current_tags: Mapping[str, str],
    wanted: Mapping[str, str],
    dropped_tags: Sequence[str] = (),
    source: Mapping[str, Any] | None = None,
    source_ttl: Mapping[str, Any] | None = None,
    copy_ttl: Mapping[str, Any] | None = None,
    point_in_time_recovery: bool = False,
    facts: Facts | None = None,
    source_facts: Facts | None = None,
    account: str = "",
    restored_by_aws_backup: bool = False,
) -> Changes:
    """What is left to do on ``copy`` (DescribeTable's ``Table``).

    ``source``/``source_ttl`` describe the source table (DescribeTable,
    DescribeTimeToLive's ``TimeToLiveDescription``), ``None`` when it cannot be read (it
    was deleted, or lives in another account): then nothing is copied from it.
    ``copy_ttl`` is the copy's TTL description, ``point_in_time_recovery`` whether the
    copy has it on now, ``current_tags`` its tags, ``wanted`` what ``wanted_tags`` gave.
    ``facts``/``source_facts`` hold the rest of the copy's and the source's descriptions
    that ``rotator.table_settings`` compares (``source_facts`` ``None``: not readable);
    ``account`` is the copy's. The UpdateTable requests come in order: the restore
    settings', Streams, deletion protection, then the table class, on-demand maximum and
    warm throughput; the policy, auto scaling, contributor insights and Kinesis once no
    UpdateTable is left. ``restored_by_aws_backup``: local indexes the settings leave
    out are a problem (that path keeps them all).
    """
    problems: list[Problem] = []
    scaled: frozenset[str] = frozenset()
    local = local_index_problem(copy, options) if restored_by_aws_backup else None
    if settings.table_properties or facts is not None or local is not None:
        from rotator import table_settings as ts

        facts = facts or ts.Facts(copy, point_in_time_recovery=point_in_time_recovery)
        scaled = ts.scaled_capacity(facts)
        if local is not None:
            problems.append(ts.Problem("local_secondary_indexes", local))
    updates = list(updates_after_restore(copy, options, scaled))
    streams = _streams_update(copy, source, settings)
    if streams is not None:
        updates.append(streams)
    if settings.deletion_protection != bool(copy.get("DeletionProtectionEnabled", False)):
        updates.append(
            {
                "TableName": copy["TableName"],
                "DeletionProtectionEnabled": settings.deletion_protection,
            }
        )
    ttl = None
    if settings.copy_source_ttl and source_ttl is not None:
        attribute = source_ttl.get("AttributeName")
        enabled = source_ttl.get("TimeToLiveStatus") in ("ENABLED", "ENABLING")
        have = copy_ttl or {}
        copy_enabled = have.get("TimeToLiveStatus") in ("ENABLED", "ENABLING")
        if enabled and attribute and not (copy_enabled and have.get("AttributeName") == attribute):
            ttl = {"Enabled": True, "AttributeName": attribute}
    period = None
    if settings.point_in_time_recovery and facts is not None:
        period = ts.recovery_period(facts, source_facts, settings.point_in_time_recovery_period)
    pitr = None
    if settings.point_in_time_recovery and (not point_in_time_recovery or period is not None):
        pitr = True
    table = None
    if settings.table_properties and facts is not None and not updates:
        table = ts.table_changes(
            facts,
            source_facts,
            table_class=settings.table_class,
            on_demand_throughput=settings.on_demand_throughput,
            warm_throughput=settings.warm_throughput,
            resource_policy=settings.resource_policy,
            auto_scaling=settings.auto_scaling,
            contributor_insights=settings.contributor_insights,
            kinesis_stream_arn=settings.kinesis_stream_arn,
            account=account,
        )
        updates.extend(table.updates)
        problems.extend(table.problems)
    tags = {k: v for k, v in wanted.items() if current_tags.get(k) != v}
    return Changes(
        update_table=updates[0] if updates else None,
        more_updates=len(updates) > 1,
        time_to_live=ttl,
        point_in_time_recovery=pitr,
        recovery_period_days=period,
        tags=tags,
        dropped_tags=tuple(dropped_tags),
        table=replace(table, updates=(), problems=()) if table and not table.updates else None,
        problems=tuple(problems),
    )


def emptiness_problem(backup_size_bytes: int | None, sampled_items: int, table: str) -> str | None:
    """The built-in check: a copy of a backup that held data (size > 0) must hold
    some. ``sampled_items`` is what a one-item scan of the copy returned; ``None`` size
    (not known) checks nothing."""
    if backup_size_bytes is None or backup_size_bytes <= 0 or sampled_items > 0:
        return None
    return (
        f"copy {table} is empty, but its backup holds {backup_size_bytes} bytes; expected its items"
    )
