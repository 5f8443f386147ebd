"""The settings of a DynamoDB table that moto 5.2.5 lacks or gets wrong, modelled on
DynamoDB and Application Auto Scaling as their API references describe them, so that a
copy can be made to behave like its source. Gap by gap:

* ``TableClass``. moto 5.2.5: CreateTable and UpdateTable ignore it and DescribeTable has
  no ``TableClassSummary``. Modelled: both set it (STANDARD or
  STANDARD_INFREQUENT_ACCESS; another value is refused); DescribeTable shows
  ``TableClassSummary {TableClass, LastUpdateDateTime}`` once a class was set (absent
  means STANDARD, as on a restored table: a restore does not carry the class over).
  UpdateTable refuses a class change together with any other change.
* ``OnDemandThroughput`` (the table's and each global index's maximum request units).
  moto 5.2.5: ignored everywhere. Modelled: CreateTable and UpdateTable set it on an
  on-demand table only (a PROVISIONED table, after the request, is refused); each member
  is at least 1, and UpdateTable's -1 removes that maximum. DescribeTable and
  UpdateTable's answer show the members set, and no ``OnDemandThroughput`` when none is
  (DynamoDB's UpdateTable answer echoes a -1 it was sent; the emulator's does not).
  UpdateTable refuses it with any change but ``BillingMode``. Switching to PROVISIONED
  drops the maxima.
* ``WarmThroughput``. moto 5.2.5 sets what CreateTable or UpdateTable names, as named
  (a partial one loses the other member; a lower value is accepted), and a restored
  on-demand table shows 0/0. Modelled: a member not named keeps its value (on
  CreateTable: the default, 12,000 read / 4,000 write units per second on demand, the
  provisioned capacity otherwise); UpdateTable refuses a value lower than the current
  one, and a table change besides global index ``Update`` entries that only warm an
  index. Raising provisioned capacity (UpdateTable, auto scaling) raises the warm
  throughput with it; switching to on demand raises it to at least the on-demand
  default. A restored table (and each index it keeps) starts from the defaults of a new
  table of its billing mode and capacity. ``Status`` is always ACTIVE (the change is
  not timed).
* UpdateTable's global index ``Update`` (``ProvisionedThroughput``,
  ``OnDemandThroughput``, ``WarmThroughput``). moto 5.2.5 replaces what is named,
  answers an unknown index with an internal error and checks nothing. Modelled: an
  unknown index is ResourceNotFoundException, a local index's name ValidationException;
  capacity only for a PROVISIONED table, maxima only for an on-demand one; one action per
  index per request. Switching to PROVISIONED needs the table's ``ProvisionedThroughput``
  and one for each global index that stays; switching to on demand makes every capacity
  0 (DynamoDB's description of on-demand capacity). ``NumberOfDecreasesToday`` counts a
  table's decreases. UpdateTable naming no change is refused.
* Contributor Insights (``UpdateContributorInsights``, ``DescribeContributorInsights``).
  moto 5.2.5: not implemented. Modelled per table and per global index: DISABLED until
  enabled; ENABLE answers ENABLING (ENABLED when already so in that mode) and DISABLE
  DISABLING (DISABLED when already so), and DescribeContributorInsights then shows the settled ENABLED or
  DISABLED, with the mode (ACCESSED_AND_THROTTLED_KEYS unless THROTTLED_KEYS is asked),
  ``LastUpdateDateTime`` and, while enabled, the CloudWatch rule names DynamoDB creates.
  An unknown table, an unknown index or a local index is ResourceNotFoundException.
  Deleting a global index drops its state; a restored table has none.
* Kinesis Data Streams destinations (``Enable``, ``Describe``,
  ``DisableKinesisStreamingDestination``). moto 5.2.5: not implemented. Modelled: a
  table has at most one destination that is not DISABLED or ENABLE_FAILED; enabling
  another (or the same again) while one is is ValidationException, and so is disabling
  a destination that is not ACTIVE. Enable answers ENABLING and the destination is then
  ACTIVE, or ENABLE_FAILED when moto's Kinesis has no stream of that ARN (DynamoDB does
  not check the stream when asked; it fails the destination). Disable answers
  DISABLING; the destination stays listed as DISABLED. ``ApproximateCreationDateTimePrecision``
  is listed when the enable asked for one.
* DescribeBackup. moto 5.2.5 has no ``SourceTableFeatureDetails`` and no ``BillingMode``
  in ``SourceTableDetails``. Modelled: both, as of the backup (the indexes with
  ``KeySchema``, ``Projection`` and, for global ones, ``ProvisionedThroughput`` and
  their maxima; the stream, time to live and encryption).
* Point-in-time recovery. moto 5.2.5 keeps ``RecoveryPeriodInDays`` (35 by default) but
  accepts one beyond 35 and one sent with a disable. Modelled: both refused.
* Resource-based policies. moto 5.2.5: DeleteResourcePolicy of a table without a policy
  is ResourceNotFoundException (DynamoDB answers it as done), and a table's policy
  outlives the table (a table made again under its name would have it). Modelled: both
  as DynamoDB does. (GetResourcePolicy of a table without one is PolicyNotFoundException
  and PutResourcePolicy replaces: moto has both.)
* Application Auto Scaling. moto 5.2.5 registers DynamoDB targets and target tracking
  policies, but: DeregisterScalableTarget keeps the target's policies, PutScalingPolicy
  needs no registered target, a missing target or policy is ValidationException,
  DescribeScalingPolicies matches ``ResourceId`` and ``ScalableDimension`` as substrings
  and ignores ``PolicyNames``, DescribeScalableTargets repeats its second page for ever
  when there are more pages,
  a target has no ``RoleARN`` or ``SuspendedState`` unless given, and registering
  changes no capacity. Modelled: deregistering deletes the target's policies (moto's
  own deletion, alarms included) and scheduled actions; a policy or deregistration
  without its target, and a policy deletion without its policy, is
  ObjectNotFoundException; Describe* match exactly and page correctly; a target gets the
  DynamoDB service-linked role and a ``SuspendedState`` of all False; a new target
  needs MinCapacity and MaxCapacity (MinCapacity not above MaxCapacity); and registering
  brings an ACTIVE PROVISIONED table's (or global index's) capacity into the target's
  range, as Application Auto Scaling does. No CloudWatch alarm is modelled beyond what
  moto makes.

``apply(patch)`` installs these with the emulator's patcher, after ``moto_gaps.apply``
(whose DescribeTable and restored-table patches these wrap), so they are undone with it.
``restore_overrides`` applies RestoreTableFromBackup's overrides with the helpers here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from moto.applicationautoscaling.models import ApplicationAutoscalingBackend
from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse, _build_policy
from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult
from moto.core.utils import unix_time_millis, utcnow
from moto.dynamodb.exceptions import MockValidationException, ResourceNotFoundException
from moto.dynamodb.models import DynamoDBBackend, dynamodb_backends
from moto.dynamodb.models.table import (
    DEFAULT_WARM_THROUGHPUT_RCU,
    DEFAULT_WARM_THROUGHPUT_WCU,
    Backup,
    RestoredTable,
    Table,
)
from moto.dynamodb.responses import DynamoHandler, DynamoResult
from moto.kinesis.models import kinesis_backends

Patch = Callable[[Any, str, Any], None]

PROVISIONED = "PROVISIONED"
PAY_PER_REQUEST = "PAY_PER_REQUEST"
TABLE_CLASSES = ("STANDARD", "STANDARD_INFREQUENT_ACCESS")
READ, WRITE = "ReadUnitsPerSecond", "WriteUnitsPerSecond"
MAX_READ, MAX_WRITE = "MaxReadRequestUnits", "MaxWriteRequestUnits"
RCU, WCU = "ReadCapacityUnits", "WriteCapacityUnits"
# A new on-demand table's (or global index's) warm throughput.
ON_DEMAND_WARM = {READ: DEFAULT_WARM_THROUGHPUT_RCU, WRITE: DEFAULT_WARM_THROUGHPUT_WCU}
INSIGHTS_MODES = ("ACCESSED_AND_THROTTLED_KEYS", "THROTTLED_KEYS")
# UpdateTable's members that change something (AttributeDefinitions only goes with one).
UPDATES = (
    "BillingMode",
    "ProvisionedThroughput",
    "GlobalSecondaryIndexUpdates",
    "StreamSpecification",
    "SSESpecification",
    "ReplicaUpdates",
    "DeletionProtectionEnabled",
    "OnDemandThroughput",
    "WarmThroughput",
    "TableClass",
    "MultiRegionConsistency",
    "GlobalTableWitnessUpdates",
)
LIVE_DESTINATION = ("ENABLING", "ACTIVE", "UPDATING", "DISABLING")
KINESIS_NOT_DISABLED = (
    "Table is not in a valid state to enable Kinesis Streaming Destination: "
    "EnableKinesisStreamingDestination must be DISABLED or ENABLE_FAILED to perform "
    "ENABLE operation."
)
KINESIS_NOT_ACTIVE = (
    "Table is not in a valid state to enable Kinesis Streaming Destination: "
    "KinesisStreamingDestination must be ACTIVE to perform DISABLE operation."
)
NO_STREAM_PERMISSION = "User does not have a permission to use kinesis stream"
DYNAMODB_SERVICE_LINKED_ROLE = (
    "arn:aws:iam::{account}:role/aws-service-role/"
    "dynamodb.application-autoscaling.amazonaws.com/"
    "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable"
)


def invalid(message: str) -> MockValidationException:
    """DynamoDB's ValidationException for a parameter value."""
    return MockValidationException(f"One or more parameter values were invalid: {message}")


def billing_mode(table: Any) -> str:
    return str(table.billing_mode or PROVISIONED)


def on_demand(owner: Any) -> dict[str, int]:
    """The maxima set on a table or a global index (members at least 1 only)."""
    found: dict[str, int] = getattr(owner, "_emulated_on_demand", None) or {}
    return found


def set_on_demand(owner: Any, maxima: Mapping[str, int]) -> None:
    owner._emulated_on_demand = {key: value for key, value in maxima.items() if value >= 1}


def merged_on_demand(owner: Any, request: Mapping[str, int]) -> dict[str, int]:
    """UpdateTable's ``OnDemandThroughput`` over what ``owner`` has: a member named is
    replaced, -1 removes it."""
    merged = {**on_demand(owner), **request}
    return {key: value for key, value in merged.items() if value >= 1}


def new_warm_throughput(throughput: Mapping[str, Any] | None, mode: str) -> dict[str, Any]:
    """A new table's (or global index's) warm throughput: the on-demand default, or its
    provisioned capacity."""
    if mode == PAY_PER_REQUEST or not throughput:
        return {**ON_DEMAND_WARM, "Status": "ACTIVE"}
    return {READ: throughput[RCU], WRITE: throughput[WCU], "Status": "ACTIVE"}


def raised(warm: Mapping[str, Any], floor: Mapping[str, Any]) -> dict[str, Any]:
    """``warm`` raised to at least ``floor``, member by member."""
    return {
        READ: max(int(warm.get(READ) or 0), int(floor[READ])),
        WRITE: max(int(warm.get(WRITE) or 0), int(floor[WRITE])),
        "Status": "ACTIVE",
    }


def reset_warm_throughput(table: Any) -> None:
    """Give ``table`` and each of its global indexes a new table's warm throughput for
    its billing mode and capacity (a restored table's)."""
    mode = billing_mode(table)
    table.warm_throughput = new_warm_throughput(table.throughput, mode)
    for index in table.global_indexes:
        index.warm_throughput = new_warm_throughput(index.throughput, mode)


def set_capacity(owner: Any, throughput: Mapping[str, Any], *, table: bool) -> None:
    """New provisioned capacity for a table or a global index: the warm throughput rises
    with it; a table counts a decrease in ``NumberOfDecreasesToday``."""
    current = owner.throughput or {}
    wanted = {RCU: int(throughput[RCU]), WCU: int(throughput[WCU])}
    if table:
        decreases = int(current.get("NumberOfDecreasesToday", 0))
        if wanted[RCU] < int(current.get(RCU, 0)) or wanted[WCU] < int(current.get(WCU, 0)):
            decreases += 1
        wanted["NumberOfDecreasesToday"] = decreases
    owner.throughput = wanted
    owner.warm_throughput = raised(
        owner.warm_throughput or {}, {READ: wanted[RCU], WRITE: wanted[WCU]}
    )


def switch_billing_mode(table: Any, mode: str) -> None:
    """UpdateTable's ``BillingMode`` change. On demand: every capacity is 0 and the warm
    throughput at least the on-demand default. PROVISIONED: the maxima go (the capacity
    comes with the request)."""
    table.billing_mode = mode
    owners = [table, *table.global_indexes]
    if mode == PAY_PER_REQUEST:
        decreases = int((table.throughput or {}).get("NumberOfDecreasesToday", 0))
        table.throughput = {RCU: 0, WCU: 0, "NumberOfDecreasesToday": decreases}
        for index in table.global_indexes:
            index.throughput = {RCU: 0, WCU: 0}
        for owner in owners:
            owner.warm_throughput = raised(owner.warm_throughput or {}, ON_DEMAND_WARM)
    else:
        for owner in owners:
            set_on_demand(owner, {})


def check_maxima(spec: Mapping[str, Any], where: str, *, clearing: bool) -> None:
    """``OnDemandThroughput`` members: at least 1 (or -1 where it removes a maximum)."""
    if not spec:
        raise invalid(
            f"OnDemandThroughput for {where}: specify MaxReadRequestUnits, "
            "MaxWriteRequestUnits, or both"
        )
    for member in (MAX_READ, MAX_WRITE):
        value = spec.get(member)
        if value is not None and not (value >= 1 or (clearing and value == -1)):
            raise invalid(
                f"Requested {member} for OnDemandThroughput for {where} is outside of valid range"
            )


def maxima_refused(spec: Mapping[str, Any], where: str) -> MockValidationException:
    member = MAX_READ if MAX_READ in spec else MAX_WRITE
    return invalid(
        f"{member} for OnDemandThroughput cannot be specified {where}when the table "
        "BillingMode is PROVISIONED"
    )


def check_table_class(value: Any) -> None:
    if value is not None and value not in TABLE_CLASSES:
        raise MockValidationException(
            "Invalid table-class parameter provided. Please try again with a valid "
            f"table-class value: [{', '.join(TABLE_CLASSES)}]."
        )


def set_table_class(table: Any, value: str) -> None:
    table._emulated_table_class = value
    table._emulated_table_class_updated = utcnow()


def complete_warm(owner: Any, mode: str) -> None:
    """CreateTable's ``WarmThroughput`` with a member left out: that member's default."""
    default = new_warm_throughput(owner.throughput, mode)
    warm = owner.warm_throughput or {}
    owner.warm_throughput = {
        READ: warm.get(READ, default[READ]),
        WRITE: warm.get(WRITE, default[WRITE]),
        "Status": "ACTIVE",
    }


def table_of(backend: Any, name: str) -> Any:
    """The table named (or whose ARN is) ``name``, or DynamoDB's ResourceNotFoundException."""
    try:
        return backend.get_table(name)
    except ResourceNotFoundException:
        shown = name.split("table/", 1)[1] if name.startswith("arn:") else name
        raise ResourceNotFoundException(table_name=shown) from None


def key_schema_has_range(schema: Iterable[Mapping[str, str]]) -> bool:
    return any(key["KeyType"] == "RANGE" for key in schema)


# -- UpdateTable ------------------------------------------------------------------------


def check_update(table: Any, body: Mapping[str, Any]) -> str:
    """Refuse what DynamoDB's UpdateTable refuses of ``body`` on ``table``; the billing
    mode the table has after it."""
    named = [key for key in UPDATES if body.get(key) is not None]
    if not named:
        raise MockValidationException(
            "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
            "GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, "
            "DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass "
            "is required"
        )
    updates: list[Mapping[str, Any]] = list(body.get("GlobalSecondaryIndexUpdates") or [])
    if "TableClass" in named:
        check_table_class(body["TableClass"])
        if len(named) > 1:
            raise invalid("TableClass modification must be the only operation in the request")
    if "OnDemandThroughput" in named and set(named) - {"OnDemandThroughput", "BillingMode"}:
        raise invalid(
            "OnDemandThroughput can only be combined with BillingMode in an UpdateTable request"
        )
    if "WarmThroughput" in named:
        if any("Create" in update for update in updates):
            raise invalid(
                "Create global secondary index cannot be specified when updating WarmThroughput"
            )
        only_warming = all(
            set(update) == {"Update"} and set(update["Update"]) <= {"IndexName", "WarmThroughput"}
            for update in updates
        )
        if set(named) - {"WarmThroughput", "GlobalSecondaryIndexUpdates"} or not only_warming:
            raise invalid("WarmThroughput must be the only operation in the request")
    current = billing_mode(table)
    mode = body.get("BillingMode") or current
    if body.get("ProvisionedThroughput") is not None and mode == PAY_PER_REQUEST:
        raise invalid(
            "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
            "BillingMode is PAY_PER_REQUEST"
        )
    if "OnDemandThroughput" in named:
        if mode == PROVISIONED:
            raise maxima_refused(body["OnDemandThroughput"], "")
        check_maxima(body["OnDemandThroughput"], "table", clearing=True)
    if "WarmThroughput" in named:
        check_warm_increase(table.warm_throughput, body["WarmThroughput"], "table")
    global_indexes = {index.name: index for index in table.global_indexes}
    local_indexes = {index.name for index in table.indexes}
    seen: set[str] = set()
    updated_capacity: set[str] = set()
    deleted: set[str] = set()
    for update in updates:
        actions = [action for action in ("Create", "Update", "Delete") if update.get(action)]
        if len(actions) != 1:
            raise invalid(
                "Only one global secondary index action is allowed per "
                "GlobalSecondaryIndexUpdate object"
                if actions
                else "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
                "GlobalSecondaryIndexUpdate.Delete must not be null"
            )
        action = actions[0]
        spec = update[action]
        name = spec["IndexName"]
        if name in seen:
            raise invalid(
                f"Only one global secondary index update per index is allowed simultaneously. Index: {name}"
            )
        seen.add(name)
        if action == "Create":
            continue
        if name in local_indexes:
            raise MockValidationException(
                f"Cannot {action.lower()} an index that is not a GlobalSecondaryIndex: {name}"
            )
        if name not in global_indexes:
            raise ResourceNotFoundException(
                f"Requested resource not found: Index {name} for table {table.name}"
            )
        if action == "Delete":
            deleted.add(name)
            continue
        if spec.get("ProvisionedThroughput") is not None:
            if mode == PAY_PER_REQUEST:
                raise invalid(
                    f"The only Updates for index: {name} when TableThroughputMode is "
                    "PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput"
                )
            updated_capacity.add(name)
        if spec.get("OnDemandThroughput") is not None:
            if mode == PROVISIONED:
                raise maxima_refused(spec["OnDemandThroughput"], f"for index : {name} ")
            check_maxima(spec["OnDemandThroughput"], f"index : {name}", clearing=True)
        if spec.get("WarmThroughput") is not None:
            check_warm_increase(
                global_indexes[name].warm_throughput, spec["WarmThroughput"], f"index {name}"
            )
    if mode == PROVISIONED and current == PAY_PER_REQUEST:
        if body.get("ProvisionedThroughput") is None:
            raise invalid("ProvisionedThroughput must be specified when BillingMode is PROVISIONED")
        for name in global_indexes:
            if name not in deleted and name not in updated_capacity:
                raise invalid(f"ProvisionedThroughput must be specified for index: {name}")
    return str(mode)


def check_warm_increase(
    current: Mapping[str, Any] | None, wanted: Mapping[str, Any], where: str
) -> None:
    for member in (READ, WRITE):
        value = wanted.get(member)
        if value is not None and value < int((current or {}).get(member) or 0):
            raise invalid(
                f"Requested {member} for WarmThroughput for {where} is lower than current "
                "WarmThroughput, decreasing WarmThroughput is not supported"
            )


def apply_update(handler: Any, table: Any, body: Mapping[str, Any], mode: str) -> None:
    """``body``'s changes on ``table``, once ``check_update`` let them through: moto
    applies attribute definitions, index creations and deletions, streams and deletion
    protection; the rest is applied here."""
    updates: list[Mapping[str, Any]] = list(body.get("GlobalSecondaryIndexUpdates") or [])
    created_or_deleted = [update for update in updates if "Update" not in update]
    handler.dynamodb_backend.update_table(
        name=table.name,
        attr_definitions=body.get("AttributeDefinitions"),
        global_index=created_or_deleted or None,
        throughput=None,
        billing_mode=None,
        stream_spec=body.get("StreamSpecification"),
        deletion_protection_enabled=body.get("DeletionProtectionEnabled"),
        warm_throughput=None,
    )
    insights = table.__dict__.get("_emulated_insights", {})
    for update in created_or_deleted:
        if "Delete" in update:
            insights.pop(update["Delete"]["IndexName"], None)
    if mode != billing_mode(table):
        switch_billing_mode(table, mode)
    if body.get("ProvisionedThroughput") is not None:
        set_capacity(table, body["ProvisionedThroughput"], table=True)
    indexes = {index.name: index for index in table.global_indexes}
    for update in updates:
        spec = update.get("Update")
        if not spec:
            continue
        index = indexes[spec["IndexName"]]
        if spec.get("ProvisionedThroughput") is not None:
            set_capacity(index, spec["ProvisionedThroughput"], table=False)
        if spec.get("OnDemandThroughput") is not None:
            set_on_demand(index, merged_on_demand(index, spec["OnDemandThroughput"]))
        if spec.get("WarmThroughput") is not None:
            index.warm_throughput = raised(
                index.warm_throughput, {**index.warm_throughput, **spec["WarmThroughput"]}
            )
    if body.get("OnDemandThroughput") is not None:
        set_on_demand(table, merged_on_demand(table, body["OnDemandThroughput"]))
    if body.get("WarmThroughput") is not None:
        table.warm_throughput = raised(
            table.warm_throughput, {**table.warm_throughput, **body["WarmThroughput"]}
        )
    if body.get("TableClass") is not None:
        set_table_class(table, body["TableClass"])


# -- Contributor Insights -------------------------------------------------------------


def insights_target(handler: Any) -> tuple[Any, str | None]:
    table = table_of(handler.dynamodb_backend, handler.body["TableName"])
    index = handler.body.get("IndexName")
    if index is not None and index not in {gsi.name for gsi in table.global_indexes}:
        raise ResourceNotFoundException(
            f"Requested resource not found: Index: {index} not found for table: {table.name}"
        )
    return table, index


def insights_rules(table: Any, index: str | None, mode: str, stamp: int) -> list[str]:
    """The CloudWatch Contributor Insights rules DynamoDB creates for a table or index:
    partition keys, and partition and sort keys with a sort key; most accessed (not in
    THROTTLED_KEYS mode) and most throttled."""
    schema = table.schema
    if index is not None:
        schema = next(gsi.schema for gsi in table.global_indexes if gsi.name == index)
    resource = table.name if index is None else f"{table.name}-{index}"
    kinds = ["PKC", "SKC", "PKT", "SKT"] if mode == INSIGHTS_MODES[0] else ["PKT", "SKT"]
    if not key_schema_has_range(schema):
        kinds = [kind for kind in kinds if kind.startswith("PK")]
    return [f"DynamoDBContributorInsights-{kind}-{resource}-{stamp}" for kind in kinds]


def update_contributor_insights(handler: Any) -> ActionResult:
    table, index = insights_target(handler)
    action = handler.body.get("ContributorInsightsAction")
    mode = handler.body.get("ContributorInsightsMode") or INSIGHTS_MODES[0]
    if action not in ("ENABLE", "DISABLE") or mode not in INSIGHTS_MODES:
        raise MockValidationException(
            f"1 validation error detected: Value '{action}' at 'contributorInsightsAction' "
            "failed to satisfy constraint: Member must satisfy enum value set: [ENABLE, DISABLE]"
            if action not in ("ENABLE", "DISABLE")
            else f"1 validation error detected: Value '{mode}' at 'contributorInsightsMode' "
            f"failed to satisfy constraint: Member must satisfy enum value set: [{', '.join(INSIGHTS_MODES)}]"
        )
    states: dict[str | None, dict[str, Any]] = table.__dict__.setdefault("_emulated_insights", {})
    state = states.get(index)
    answer: dict[str, Any] = {"TableName": table.name}
    if index is not None:
        answer["IndexName"] = index
    now = utcnow()
    if action == "ENABLE":
        if state is not None and state["status"] == "ENABLED" and state["mode"] == mode:
            status = "ENABLED"
        else:
            stamp = int(unix_time_millis(now))
            states[index] = {
                "status": "ENABLED",
                "mode": mode,
                "updated": now,
                "rules": insights_rules(table, index, mode, stamp),
            }
            status = "ENABLING"
        return ActionResult(
            {**answer, "ContributorInsightsStatus": status, "ContributorInsightsMode": mode}
        )
    if state is None or state["status"] == "DISABLED":
        if state is not None:
            answer["ContributorInsightsMode"] = state["mode"]
        return ActionResult({**answer, "ContributorInsightsStatus": "DISABLED"})
    states[index] = {**state, "status": "DISABLED", "updated": now, "rules": []}
    return ActionResult(
        {
            **answer,
            "ContributorInsightsStatus": "DISABLING",
            "ContributorInsightsMode": state["mode"],
        }
    )


def describe_contributor_insights(handler: Any) -> ActionResult:
    table, index = insights_target(handler)
    answer: dict[str, Any] = {"TableName": table.name}
    if index is not None:
        answer["IndexName"] = index
    state = table.__dict__.get("_emulated_insights", {}).get(index)
    if state is None:
        return ActionResult({**answer, "ContributorInsightsStatus": "DISABLED"})
    answer.update(
        ContributorInsightsStatus=state["status"],
        ContributorInsightsMode=state["mode"],
        LastUpdateDateTime=state["updated"],
    )
    if state["status"] == "ENABLED":
        answer["ContributorInsightsRuleList"] = list(state["rules"])
    return ActionResult(answer)


# -- Kinesis Data Streams destinations ------------------------------------------------


def kinesis_stream_exists(arn: str) -> bool:
    """Whether moto's Kinesis holds a stream of ``arn``."""
    parts = arn.split(":")
    if len(parts) != 6 or parts[2] != "kinesis" or not parts[5].startswith("stream/"):
        return False
    try:
        streams = kinesis_backends[parts[4]][parts[3]].streams
    except (KeyError, ValueError):
        return False
    return any(stream.arn == arn for stream in streams.values())


def destinations(table: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = table.__dict__.setdefault("_emulated_kinesis", [])
    return found


def enable_kinesis_streaming_destination(handler: Any) -> ActionResult:
    table = table_of(handler.dynamodb_backend, handler.body["TableName"])
    arn = handler.body["StreamArn"]
    configuration = dict(handler.body.get("EnableKinesisStreamingConfiguration") or {})
    listed = destinations(table)
    if any(entry["DestinationStatus"] in LIVE_DESTINATION for entry in listed):
        raise MockValidationException(KINESIS_NOT_DISABLED)
    listed[:] = [entry for entry in listed if entry["StreamArn"] != arn]
    entry: dict[str, Any] = {"StreamArn": arn}
    if kinesis_stream_exists(arn):
        entry["DestinationStatus"] = "ACTIVE"
    else:
        entry.update(
            DestinationStatus="ENABLE_FAILED", DestinationStatusDescription=NO_STREAM_PERMISSION
        )
    if configuration.get("ApproximateCreationDateTimePrecision"):
        entry["ApproximateCreationDateTimePrecision"] = configuration[
            "ApproximateCreationDateTimePrecision"
        ]
    listed.insert(0, entry)
    return ActionResult(
        {
            "TableName": table.name,
            "StreamArn": arn,
            "DestinationStatus": "ENABLING",
            "EnableKinesisStreamingConfiguration": configuration,
        }
    )


def describe_kinesis_streaming_destination(handler: Any) -> ActionResult:
    table = table_of(handler.dynamodb_backend, handler.body["TableName"])
    return ActionResult(
        {
            "TableName": table.name,
            "KinesisDataStreamDestinations": [dict(entry) for entry in destinations(table)],
        }
    )


def disable_kinesis_streaming_destination(handler: Any) -> ActionResult:
    table = table_of(handler.dynamodb_backend, handler.body["TableName"])
    arn = handler.body["StreamArn"]
    entry = next((entry for entry in destinations(table) if entry["StreamArn"] == arn), None)
    if entry is None or entry["DestinationStatus"] != "ACTIVE":
        raise MockValidationException(KINESIS_NOT_ACTIVE)
    entry["DestinationStatus"] = "DISABLED"
    answer = {"TableName": table.name, "StreamArn": arn, "DestinationStatus": "DISABLING"}
    if handler.body.get("EnableKinesisStreamingConfiguration"):
        answer["EnableKinesisStreamingConfiguration"] = handler.body[
            "EnableKinesisStreamingConfiguration"
        ]
    return ActionResult(answer)


# -- DescribeBackup ---------------------------------------------------------------------


def source_table_feature_details(table: Any) -> dict[str, Any]:
    """DescribeBackup's ``SourceTableFeatureDetails`` of the table as backed up."""
    details: dict[str, Any] = {}
    if table.indexes:
        details["LocalSecondaryIndexes"] = [
            {"IndexName": index.name, "KeySchema": index.schema, "Projection": index.projection}
            for index in table.indexes
        ]
    if table.global_indexes:
        described = []
        for index in table.global_indexes:
            info: dict[str, Any] = {
                "IndexName": index.name,
                "KeySchema": index.schema,
                "Projection": index.projection,
                "ProvisionedThroughput": {
                    RCU: index.throughput.get(RCU, 0),
                    WCU: index.throughput.get(WCU, 0),
                },
            }
            if on_demand(index):
                info["OnDemandThroughput"] = dict(on_demand(index))
            described.append(info)
        details["GlobalSecondaryIndexes"] = described
    if table.stream_specification and table.stream_specification.get("StreamEnabled"):
        details["StreamDescription"] = dict(table.stream_specification)
    details["TimeToLiveDescription"] = dict(table.ttl)
    if table.sse_specification and table.sse_specification.get("Enabled") is True:
        details["SSEDescription"] = {
            "Status": "ENABLED",
            "SSEType": "KMS",
            "KMSMasterKeyArn": table.sse_specification.get("KMSMasterKeyId"),
        }
    return details


# -- Application Auto Scaling ---------------------------------------------------------


class ObjectNotFoundException(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("ObjectNotFoundException", message)


def aas_invalid(message: str) -> JsonRESTError:
    return JsonRESTError("ValidationException", message)


def scaled_capacity(backend: Any, resource_id: str, dimension: str) -> tuple[Any, Any, str] | None:
    """The table and the owner of the capacity (the table or its global index) a DynamoDB
    target scales, and the capacity's member; None when there is none to scale now (no
    such table or index, not ACTIVE, or on demand)."""
    parts = resource_id.split("/")
    if parts[0] != "table" or len(parts) not in (2, 4):
        return None
    table = dynamodb_backends[backend.account_id][backend.region_name].tables.get(parts[1])
    if table is None or billing_mode(table) != PROVISIONED:
        return None
    if table.describe()["TableDescription"]["TableStatus"] != "ACTIVE":
        return None
    owner: Any = table
    if len(parts) == 4:
        owner = next((index for index in table.global_indexes if index.name == parts[3]), None)
        if owner is None:
            return None
    member = RCU if dimension.endswith(":ReadCapacityUnits") else WCU
    return table, owner, member


def bring_into_range(backend: Any, target: Any) -> None:
    """RegisterScalableTarget: an ACTIVE resource's capacity goes into the target's range."""
    if target.service_namespace != "dynamodb":
        return
    found = scaled_capacity(backend, target.resource_id, target.scalable_dimension)
    if found is None:
        return
    table, owner, member = found
    current = int(owner.throughput.get(member, 0))
    wanted = min(max(current, int(target.min_capacity)), int(target.max_capacity))
    if wanted != current:
        set_capacity(owner, {**owner.throughput, member: wanted}, table=owner is table)


def install_application_auto_scaling(patch: Patch) -> None:
    """moto 5.2.5's Application Auto Scaling, patched where the module's docstring says."""
    original_register = ApplicationAutoscalingBackend.register_scalable_target
    original_put_policy = ApplicationAutoscalingBackend.put_scaling_policy

    def register_scalable_target(
        self: Any,
        namespace: str,
        r_id: str,
        dimension: str,
        min_capacity: int | None,
        max_capacity: int | None,
        role_arn: str,
        suspended_state: Any,
    ) -> Any:
        existing = self.targets.get(dimension, {}).get(r_id)
        if existing is None and (min_capacity is None or max_capacity is None):
            raise aas_invalid(
                "MinCapacity and MaxCapacity are required to register a new scalable target"
            )
        low = min_capacity if min_capacity is not None else existing.min_capacity
        high = max_capacity if max_capacity is not None else existing.max_capacity
        if low > high:
            raise aas_invalid(
                f"Minimum capacity ({low}) cannot be greater than maximum capacity ({high})"
            )
        target: Any = original_register(
            self, namespace, r_id, dimension, min_capacity, max_capacity, role_arn, suspended_state
        )
        if target.role_arn is None and namespace == "dynamodb":
            target.role_arn = DYNAMODB_SERVICE_LINKED_ROLE.format(account=self.account_id)
        if target.suspended_state is None:
            target.suspended_state = {
                "DynamicScalingInSuspended": False,
                "DynamicScalingOutSuspended": False,
                "ScheduledScalingSuspended": False,
            }
        bring_into_range(self, target)
        return target

    def deregister_scalable_target(self: Any, namespace: str, r_id: str, dimension: str) -> None:
        target = self.targets.get(dimension, {}).get(r_id)
        if target is None or target.service_namespace != namespace:
            raise ObjectNotFoundException(
                f"No scalable target found for service namespace: {namespace}, resource ID: "
                f"{r_id}, scalable dimension: {dimension}"
            )
        for policy in list(self.policies.values()):
            if (policy.service_namespace, policy.resource_id, policy.scalable_dimension) == (
                namespace,
                r_id,
                dimension,
            ):
                self.delete_scaling_policy(policy.policy_name, namespace, r_id, dimension)
        self.scheduled_actions = [
            action
            for action in self.scheduled_actions
            if (action.service_namespace, action.resource_id, action.scalable_dimension)
            != (namespace, r_id, dimension)
        ]
        del self.targets[dimension][r_id]

    def put_scaling_policy(
        self: Any,
        policy_name: str,
        service_namespace: str,
        resource_id: str,
        scalable_dimension: str,
        policy_body: dict[str, Any],
        policy_type: str | None,
    ) -> Any:
        target = self.targets.get(scalable_dimension, {}).get(resource_id)
        if target is None or target.service_namespace != service_namespace:
            raise ObjectNotFoundException(
                f"No scalable target registered for service namespace: {service_namespace}, "
                f"resource ID: {resource_id}, scalable dimension: {scalable_dimension}"
            )
        return original_put_policy(
            self,
            policy_name,
            service_namespace,
            resource_id,
            scalable_dimension,
            policy_body,
            policy_type,
        )

    def delete_scaling_policy(
        self: Any,
        policy_name: str,
        service_namespace: str,
        resource_id: str,
        scalable_dimension: str,
    ) -> None:
        key = "\t".join((service_namespace, resource_id, scalable_dimension, policy_name))
        policy = self.policies.pop(key, None)
        if policy is None:
            raise ObjectNotFoundException(
                f"No scaling policy found for service namespace: {service_namespace}, resource "
                f"ID: {resource_id}, scalable dimension: {scalable_dimension}, policy name: "
                f"{policy_name}"
            )
        policy.delete_alarms(self.account_id, self.region_name)

    def page(items: list[Any], token: str | None, size: int) -> tuple[list[Any], str | None]:
        start = int(token) if token else 0
        end = start + size
        return items[start:end], (str(end) if end < len(items) else None)

    def describe_scalable_targets(response: Any) -> str:
        response._validate_params()
        backend = response.applicationautoscaling_backend
        namespace = response._get_param("ServiceNamespace")
        ids = response._get_param("ResourceIds") or []
        dimension = response._get_param("ScalableDimension")
        targets = [
            target
            for by_id in backend.targets.values()
            for target in by_id.values()
            if target.service_namespace == namespace
            and (not ids or target.resource_id in ids)
            and (dimension is None or target.scalable_dimension == dimension)
        ]
        shown, token = page(
            targets, response._get_param("NextToken"), response._get_int_param("MaxResults") or 50
        )
        answer: dict[str, Any] = {
            "ScalableTargets": [
                {
                    "ServiceNamespace": target.service_namespace,
                    "ResourceId": target.resource_id,
                    "ScalableDimension": target.scalable_dimension,
                    "MinCapacity": target.min_capacity,
                    "MaxCapacity": target.max_capacity,
                    "RoleARN": target.role_arn,
                    "CreationTime": target.creation_time,
                    "SuspendedState": target.suspended_state,
                    "ScalableTargetARN": target.arn,
                }
                for target in shown
            ]
        }
        if token is not None:
            answer["NextToken"] = token
        return json.dumps(answer)

    def describe_scaling_policies(response: Any) -> str:
        response._validate_params()
        backend = response.applicationautoscaling_backend
        namespace = response._get_param("ServiceNamespace")
        names = response._get_param("PolicyNames") or []
        resource_id = response._get_param("ResourceId")
        dimension = response._get_param("ScalableDimension")
        policies = [
            policy
            for policy in backend.policies.values()
            if policy.service_namespace == namespace
            and (not names or policy.policy_name in names)
            and (resource_id is None or policy.resource_id == resource_id)
            and (dimension is None or policy.scalable_dimension == dimension)
        ]
        shown, token = page(
            policies, response._get_param("NextToken"), response._get_int_param("MaxResults") or 50
        )
        answer: dict[str, Any] = {"ScalingPolicies": [_build_policy(policy) for policy in shown]}
        if token is not None:
            answer["NextToken"] = token
        return json.dumps(answer)

    patch(ApplicationAutoscalingBackend, "register_scalable_target", register_scalable_target)
    patch(ApplicationAutoscalingBackend, "deregister_scalable_target", deregister_scalable_target)
    patch(ApplicationAutoscalingBackend, "put_scaling_policy", put_scaling_policy)
    patch(ApplicationAutoscalingBackend, "delete_scaling_policy", delete_scaling_policy)
    patch(ApplicationAutoScalingResponse, "describe_scalable_targets", describe_scalable_targets)
    patch(ApplicationAutoScalingResponse, "describe_scaling_policies", describe_scaling_policies)


# -- installation -----------------------------------------------------------------------


def apply(patch: Patch) -> None:
    original_describe = Table.describe
    original_restored_init = RestoredTable.__init__
    original_create = DynamoHandler.create_table
    original_backup_description = Backup.description
    original_update_continuous_backups = DynamoDBBackend.update_continuous_backups
    original_delete_table = DynamoDBBackend.delete_table
    original_delete_policy = DynamoDBBackend.delete_resource_policy

    # moto 5.2.5: no TableClassSummary or OnDemandThroughput (table or index) in a
    # table's description.
    def describe(self: Any, base_key: str = "TableDescription") -> dict[str, Any]:
        result = original_describe(self, base_key=base_key)
        described = result[base_key]
        table_class = getattr(self, "_emulated_table_class", None)
        if table_class is not None:
            described["TableClassSummary"] = {
                "TableClass": table_class,
                "LastUpdateDateTime": self._emulated_table_class_updated,
            }
        on_demand_table = billing_mode(self) == PAY_PER_REQUEST
        if on_demand_table and on_demand(self):
            described["OnDemandThroughput"] = dict(on_demand(self))
        described["WarmThroughput"] = {**self.warm_throughput, "Status": "ACTIVE"}
        for index, shown in zip(
            self.global_indexes, described.get("GlobalSecondaryIndexes") or [], strict=False
        ):
            if on_demand_table and on_demand(index):
                shown["OnDemandThroughput"] = dict(on_demand(index))
            shown["WarmThroughput"] = {**index.warm_throughput, "Status": "ACTIVE"}
        return result

    # moto 5.2.5: a restored table's warm throughput is its capacity's (0/0 on demand), and
    # the backup's maxima are not moto's to keep. The class, Contributor Insights and
    # Kinesis destinations are kept on the source table object, which moto's restored
    # table (a new one) does not copy: they do not carry over, as in DynamoDB.
    def restored_init(self: Any, name: str, account_id: str, region: str, backup: Any) -> None:
        original_restored_init(self, name, account_id, region, backup)
        if billing_mode(self) == PAY_PER_REQUEST:
            set_on_demand(self, on_demand(backup.table))
        reset_warm_throughput(self)

    # moto 5.2.5: CreateTable ignores TableClass and OnDemandThroughput, and keeps a
    # partial WarmThroughput as sent.
    def create_table(handler: Any) -> Any:
        body = handler.body
        mode = PAY_PER_REQUEST if body.get("BillingMode") == PAY_PER_REQUEST else PROVISIONED
        check_table_class(body.get("TableClass"))
        maxima = {"": body.get("OnDemandThroughput")}
        for index in body.get("GlobalSecondaryIndexes") or []:
            maxima[index["IndexName"]] = index.get("OnDemandThroughput")
        for name, spec in maxima.items():
            if spec is None:
                continue
            where = f"index : {name}" if name else "table"
            if mode == PROVISIONED:
                raise maxima_refused(spec, f"for {where} " if name else "")
            check_maxima(spec, where, clearing=False)
        answer = original_create(handler)
        if isinstance(answer, ActionResult) and isinstance(answer.result, Exception):
            return answer
        table = handler.dynamodb_backend.get_table(body["TableName"])
        if body.get("TableClass") is not None:
            set_table_class(table, body["TableClass"])
        set_on_demand(table, maxima[""] or {})
        complete_warm(table, mode)
        for index in table.global_indexes:
            set_on_demand(index, maxima.get(index.name) or {})
            complete_warm(index, mode)
        return DynamoResult(table.describe())

    # moto 5.2.5: see check_update and apply_update.
    def update_table(handler: Any) -> Any:
        body = handler.body
        table = table_of(handler.dynamodb_backend, body["TableName"])
        mode = check_update(table, body)
        apply_update(handler, table, body, mode)
        return DynamoResult(table.describe())

    # moto 5.2.5: no SourceTableFeatureDetails, and no BillingMode in SourceTableDetails.
    def backup_description(self: Any) -> dict[str, Any]:
        description = dict(original_backup_description.fget(self))  # type: ignore[attr-defined]
        table = self.table
        source = dict(description["SourceTableDetails"])
        source["BillingMode"] = billing_mode(table)
        source["ProvisionedThroughput"] = {
            RCU: table.throughput.get(RCU, 0),
            WCU: table.throughput.get(WCU, 0),
        }
        if billing_mode(table) == PAY_PER_REQUEST and on_demand(table):
            source["OnDemandThroughput"] = dict(on_demand(table))
        description["SourceTableDetails"] = source
        description["SourceTableFeatureDetails"] = source_table_feature_details(table)
        return description

    # moto 5.2.5: RecoveryPeriodInDays beyond 35, or sent with a disable, is accepted.
    def update_continuous_backups(
        self: Any, table_name: str, point_in_time_spec: dict[str, Any]
    ) -> dict[str, Any]:
        period = point_in_time_spec.get("RecoveryPeriodInDays")
        if period is not None and not point_in_time_spec.get("PointInTimeRecoveryEnabled"):
            raise MockValidationException(
                "Invalid Request: Cannot specify RecoveryPeriodInDays when disabling "
                "point-in-time recovery."
            )
        if period is not None and not 1 <= period <= 35:
            bound = "less than or equal to 35" if period > 35 else "greater than or equal to 1"
            raise MockValidationException(
                f"1 validation error detected: Value '{period}' at "
                "'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy "
                f"constraint: Member must have value {bound}"
            )
        return dict(original_update_continuous_backups(self, table_name, point_in_time_spec))

    # moto 5.2.5: a table's resource policy outlives the table.
    def delete_table(self: Any, name: str) -> Any:
        table = original_delete_table(self, name)
        self.resource_policies.pop(table.table_arn, None)
        return table

    # moto 5.2.5: deleting the policy of a table that has none is ResourceNotFoundException.
    def delete_resource_policy(
        self: Any, resource_arn: str, expected_revision_id: str | None
    ) -> None:
        table_name = resource_arn.split("/")[-1]
        if table_name in self.tables and resource_arn not in self.resource_policies:
            return  # DynamoDB: done, there being none
        original_delete_policy(self, resource_arn, expected_revision_id)

    patch(Table, "describe", describe)
    patch(RestoredTable, "__init__", restored_init)
    patch(DynamoHandler, "create_table", create_table)
    patch(DynamoHandler, "update_table", update_table)
    patch(DynamoHandler, "update_contributor_insights", update_contributor_insights)
    patch(DynamoHandler, "describe_contributor_insights", describe_contributor_insights)
    patch(
        DynamoHandler, "enable_kinesis_streaming_destination", enable_kinesis_streaming_destination
    )
    patch(
        DynamoHandler,
        "describe_kinesis_streaming_destination",
        describe_kinesis_streaming_destination,
    )
    patch(
        DynamoHandler,
        "disable_kinesis_streaming_destination",
        disable_kinesis_streaming_destination,
    )
    patch(Backup, "description", property(backup_description))
    patch(DynamoDBBackend, "update_continuous_backups", update_continuous_backups)
    patch(DynamoDBBackend, "delete_table", delete_table)
    patch(DynamoDBBackend, "delete_resource_policy", delete_resource_policy)
    install_application_auto_scaling(patch)
