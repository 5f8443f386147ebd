"""The table properties a restore drops, beyond TTL, Streams and tags: what the copy
should have and what is left to do, decided from descriptions. No AWS calls.

A restored table is always of the STANDARD class, has no on-demand maximum, only the
default warm throughput, no resource-based policy, no auto scaling, no contributor
insights, no Kinesis streaming destination, and point-in-time recovery (if switched on)
keeps 35 days (aws-facts section 7). Each of these ``copy_settings`` is off (``None``:
the copy keeps what the restore gave it), "as the source" (``from_source`` or
``SOURCE``: read from the source table's descriptions) or a value.

``table_changes`` compares what is wanted with the copy's own descriptions (``Facts``)
and gives only what differs, so asking again after applying its answer gives nothing.
What cannot be applied (an on-demand maximum on a provisioned copy, auto scaling on an
on-demand one, a policy that lets in principals of another account, a step scaling
policy) is a ``Problem`` named by its setting, for the Configure step to fail on or, for
a setting in ``best_effort``, to log.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SOURCE = "SOURCE"
TABLE_CLASSES = ("STANDARD", "STANDARD_INFREQUENT_ACCESS")
DEFAULT_TABLE_CLASS = "STANDARD"
INSIGHTS_CHOICES = (SOURCE, "ENABLED")
# PITR keeps 35 days unless a period is set (UpdateContinuousBackups).
DEFAULT_RECOVERY_PERIOD_DAYS = 35
MAX_POLICY_LENGTH = 20480
# In a policy given as a value: replaced by the copy's table ARN.
COPY_ARN_PLACEHOLDER = "{copy_table_arn}"
KINESIS_STREAM_ARN = re.compile(r"arn:aws(?:-[a-z]+)*:kinesis:[a-z0-9-]+:[0-9]{12}:stream/[\w.-]+")

# The settings best_effort may name (local_secondary_indexes is restore_settings').
BEST_EFFORT_NAMES = (
    "table_class",
    "on_demand_throughput",
    "warm_throughput",
    "point_in_time_recovery_period",
    "resource_policy",
    "auto_scaling",
    "contributor_insights",
    "kinesis_stream_arn",
    "local_secondary_indexes",
)

# Application Auto Scaling's names for DynamoDB (ServiceNamespace "dynamodb").
NAMESPACE = "dynamodb"
_DIMENSIONS = {
    ("table", "read"): "dynamodb:table:ReadCapacityUnits",
    ("table", "write"): "dynamodb:table:WriteCapacityUnits",
    ("index", "read"): "dynamodb:index:ReadCapacityUnits",
    ("index", "write"): "dynamodb:index:WriteCapacityUnits",
}
_METRICS = {"read": "DynamoDBReadCapacityUtilization", "write": "DynamoDBWriteCapacityUtilization"}
TARGET_TRACKING = "TargetTrackingScaling"
_ON = ("ENABLED", "ENABLING")
_ACTIVE_DESTINATION = ("ENABLING", "ACTIVE", "UPDATING")


def _whole(name: str, value: object, minimum: int, maximum: int | None = None) -> None:
    low = isinstance(value, int) and not isinstance(value, bool) and value >= minimum
    if not low or (maximum is not None and value > maximum):  # type: ignore[operator]
        bound = f"from {minimum} to {maximum}" if maximum is not None else f"at least {minimum}"
        raise ValueError(f"{name} is {value!r}; expected a whole number {bound}")


def _one_of(name: str, from_source: bool, values: Sequence[object]) -> None:
    given = any(v is not None for v in values)
    if from_source == given:
        raise ValueError(
            f"{name}: expected either from_source = true or a value, "
            f"not {'both' if given else 'neither'}"
        )


@dataclass(frozen=True)
class Throughput:
    """An on-demand maximum (request units a second; -1: none) or warm throughput
    (units a second), as the source has it or these values (``None``: not set)."""

    name: str
    from_source: bool = False
    read: int | None = None
    write: int | None = None

    def __post_init__(self) -> None:
        _one_of(self.name, self.from_source, (self.read, self.write))
        minimum = -1 if self.name == "on_demand_throughput" else 1
        for what, value in (("read", self.read), ("write", self.write)):
            if value is not None:
                _whole(f"{self.name}.{what}", value, minimum)
                if value == 0:
                    raise ValueError(f"{self.name}.{what} is 0; expected -1 (no maximum) or >= 1")


@dataclass(frozen=True)
class RecoveryPeriod:
    """Point-in-time recovery's period: the source's, or ``days`` (1 to 35)."""

    from_source: bool = False
    days: int | None = None

    def __post_init__(self) -> None:
        _one_of("point_in_time_recovery_period", self.from_source, (self.days,))
        if self.days is not None:
            _whole("point_in_time_recovery_period.days", self.days, 1, 35)


@dataclass(frozen=True)
class ResourcePolicy:
    """The source's policy (its table ARN rewritten to the copy's) or ``policy``, a
    JSON document in which ``{copy_table_arn}`` stands for the copy's ARN."""

    from_source: bool = False
    policy: str | None = None

    def __post_init__(self) -> None:
        _one_of("resource_policy", self.from_source, (self.policy,))
        if self.policy is not None:
            if len(self.policy) > MAX_POLICY_LENGTH:
                raise ValueError(
                    f"resource_policy.policy is {len(self.policy)} characters; "
                    f"DynamoDB takes at most {MAX_POLICY_LENGTH}"
                )
            try:
                document = json.loads(self.policy)
            except ValueError:
                document = None
            if not isinstance(document, dict):
                raise ValueError("resource_policy.policy is not a JSON object; expected a policy")


@dataclass(frozen=True)
class AutoScaling:
    """The source's target tracking auto scaling, or these values for reads and writes
    of the table and of each global index the copy has."""

    from_source: bool = False
    min_capacity: int | None = None
    max_capacity: int | None = None
    target_utilization: float | None = None

    def __post_init__(self) -> None:
        values = (self.min_capacity, self.max_capacity, self.target_utilization)
        _one_of("auto_scaling", self.from_source, values)
        if not self.from_source:
            if None in values:
                raise ValueError(
                    "auto_scaling: expected min_capacity, max_capacity and target_utilization"
                )
            _whole("auto_scaling.min_capacity", self.min_capacity, 1)
            _whole("auto_scaling.max_capacity", self.max_capacity, self.min_capacity or 1)
            target = self.target_utilization
            if (
                isinstance(target, bool)
                or not isinstance(target, (int, float))
                or not (20 <= target <= 90)
            ):
                raise ValueError(
                    f"auto_scaling.target_utilization is {target!r}; expected 20 to 90 (percent)"
                )


@dataclass(frozen=True)
class Facts:
    """What is known of a table: DescribeTable's ``Table`` and, where read, the rest
    (``None`` or empty: not read, or none)."""

    table: Mapping[str, Any]
    point_in_time_recovery: bool = False
    recovery_period_days: int | None = None
    policy: str | None = None
    scalable_targets: tuple[Mapping[str, Any], ...] = ()
    scaling_policies: tuple[Mapping[str, Any], ...] = ()
    insights: Mapping[str, str] = field(default_factory=dict)  # "": the table; else an index
    destinations: tuple[Mapping[str, Any], ...] = ()  # Kinesis streaming destinations

    @property
    def name(self) -> str:
        return str(self.table["TableName"])

    @property
    def arn(self) -> str:
        return str(self.table["TableArn"])

    @property
    def index_names(self) -> tuple[str, ...]:
        return tuple(str(i["IndexName"]) for i in self.table.get("GlobalSecondaryIndexes") or [])


@dataclass(frozen=True)
class Problem:
    setting: str
    message: str


@dataclass(frozen=True)
class TableChanges:
    """What is left of these settings: UpdateTable requests (one a call), a policy to put, auto scaling targets then policies to put,
    contributor insights requests, a Kinesis destination to enable; and problems."""

    updates: tuple[dict[str, Any], ...] = ()
    policy: str | None = None
    scalable_targets: tuple[dict[str, Any], ...] = ()
    scaling_policies: tuple[dict[str, Any], ...] = ()
    insights: tuple[dict[str, Any], ...] = ()
    kinesis: dict[str, Any] | None = None
    problems: tuple[Problem, ...] = ()

    @property
    def done(self) -> bool:
        return not (
            self.updates
            or self.policy is not None
            or self.scalable_targets
            or self.scaling_policies
            or self.insights
            or self.kinesis is not None
        )


def billing_mode(table: Mapping[str, Any]) -> str:
    # DescribeTable leaves BillingModeSummary out for a table that was always provisioned.
    summary = table.get("BillingModeSummary") or {}
    return str(summary.get("BillingMode") or "PROVISIONED")


def class_of(table: Mapping[str, Any]) -> str:
    # DescribeTable leaves TableClassSummary out for a STANDARD table (a restored one).
    return str((table.get("TableClassSummary") or {}).get("TableClass") or DEFAULT_TABLE_CLASS)


def _warm(described: Mapping[str, Any] | None) -> tuple[int, int]:
    warm = (described or {}).get("WarmThroughput") or {}
    return int(warm.get("ReadUnitsPerSecond") or 0), int(warm.get("WriteUnitsPerSecond") or 0)


def _warm_request(wanted: tuple[int | None, int | None], have: tuple[int, int]) -> dict[str, int]:
    """The WarmThroughput to ask for: only what rises (DynamoDB refuses a decrease)."""
    request = {}
    if wanted[0] is not None and wanted[0] > have[0]:
        request["ReadUnitsPerSecond"] = wanted[0]
    if wanted[1] is not None and wanted[1] > have[1]:
        request["WriteUnitsPerSecond"] = wanted[1]
    return request


def _on_demand(table: Mapping[str, Any]) -> tuple[int, int]:
    limits = table.get("OnDemandThroughput") or {}
    return int(limits.get("MaxReadRequestUnits", -1)), int(limits.get("MaxWriteRequestUnits", -1))


def resource_id(table: str, index: str | None = None) -> str:
    """Application Auto Scaling's ResourceId of a table or one of its indexes."""
    return f"table/{table}" if index is None else f"table/{table}/index/{index}"


def _account(principal: str) -> str | None:
    if re.fullmatch(r"[0-9]{12}", principal):
        return principal
    match = re.fullmatch(r"arn:aws(?:-[a-z]+)*:(?:iam|sts)::([0-9]{12}):.+", principal)
    return match.group(1) if match else None


def policy_problem(document: Mapping[str, Any], account: str) -> str | None:
    """Why ``document`` may not go on a copy in ``account``: an Allow to every
    principal, or to an AWS principal of another account (or one it cannot place)."""
    statements = document.get("Statement")
    if isinstance(statements, Mapping):
        statements = [statements]
    for number, statement in enumerate(statements or [], 1):
        if not isinstance(statement, Mapping) or statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal")
        names: list[Any] = []
        if principal == "*":
            names = ["*"]
        elif isinstance(principal, Mapping):
            aws = principal.get("AWS", [])
            names = list(aws) if isinstance(aws, list) else [aws]
        for name in names:
            if name == "*":
                return f'statement {number} allows every principal ("*")'
            if _account(str(name)) != account:
                return (
                    f"statement {number} allows {name}, not a principal of account {account}; "
                    "a copy of production data is not opened to other accounts"
                )
    return None


def _rewrite(value: Any, old: str, new: str) -> Any:
    """``value`` (a decoded JSON document) with ``old`` ARN (and ``old/...``) as ``new``."""
    if isinstance(value, str):
        return new + value[len(old) :] if value == old or value.startswith(old + "/") else value
    if isinstance(value, list):
        return [_rewrite(v, old, new) for v in value]
    if isinstance(value, Mapping):
        return {k: _rewrite(v, old, new) for k, v in value.items()}
    return value


def _placeholder(value: Any, arn: str) -> Any:
    if isinstance(value, str):
        return value.replace(COPY_ARN_PLACEHOLDER, arn)
    if isinstance(value, list):
        return [_placeholder(v, arn) for v in value]
    if isinstance(value, Mapping):
        return {k: _placeholder(v, arn) for k, v in value.items()}
    return value


def _same_document(a: str | None, b: Mapping[str, Any]) -> bool:
    if a is None:
        return False
    try:
        return bool(json.loads(a) == b)
    except ValueError:
        return False


@dataclass(frozen=True)
class _Scaling:
    targets: list[dict[str, Any]]
    policies: list[dict[str, Any]]
    problems: list[Problem]


def _wanted_scaling(setting: AutoScaling, copy: Facts, source: Facts | None) -> _Scaling | None:
    """The copy's scalable targets and target tracking policies; ``None``: the source
    cannot be read."""
    name = copy.name
    resources = {resource_id(name): "table"}
    resources.update({resource_id(name, index): "index" for index in copy.index_names})
    targets: list[dict[str, Any]] = []
    policies: list[dict[str, Any]] = []
    problems: list[Problem] = []
    if not setting.from_source:
        for rid, kind in resources.items():
            for what in ("read", "write"):
                dimension = _DIMENSIONS[(kind, what)]
                targets.append(
                    {
                        "ServiceNamespace": NAMESPACE,
                        "ResourceId": rid,
                        "ScalableDimension": dimension,
                        "MinCapacity": setting.min_capacity,
                        "MaxCapacity": setting.max_capacity,
                    }
                )
                policies.append(
                    {
                        "PolicyName": f"{_METRICS[what]}:{rid}",
                        "ServiceNamespace": NAMESPACE,
                        "ResourceId": rid,
                        "ScalableDimension": dimension,
                        "PolicyType": TARGET_TRACKING,
                        "TargetTrackingScalingPolicyConfiguration": {
                            "TargetValue": float(setting.target_utilization or 0),
                            "PredefinedMetricSpecification": {
                                "PredefinedMetricType": _METRICS[what]
                            },
                        },
                    }
                )
        return _Scaling(targets, policies, problems)
    if source is None:
        return None
    old = resource_id(source.name)

    def mapped(rid: str) -> str | None:
        if rid != old and not rid.startswith(old + "/index/"):
            return None
        new = resource_id(name) + rid[len(old) :]
        return new if new in resources else None

    for target in source.scalable_targets:
        theirs = mapped(str(target.get("ResourceId")))
        if theirs is None:
            continue
        targets.append(
            {
                "ServiceNamespace": NAMESPACE,
                "ResourceId": theirs,
                "ScalableDimension": str(target["ScalableDimension"]),
                "MinCapacity": int(target["MinCapacity"]),
                "MaxCapacity": int(target["MaxCapacity"]),
            }
        )
    for policy in source.scaling_policies:
        mine = mapped(str(policy.get("ResourceId")))
        if mine is None:
            continue
        if policy.get("PolicyType") != TARGET_TRACKING:
            problems.append(
                Problem(
                    "auto_scaling",
                    f"source policy {policy.get('PolicyName')} is {policy.get('PolicyType')}, "
                    "which acts on CloudWatch alarms of its own; only target tracking policies "
                    "are copied",
                )
            )
            continue
        config = dict(policy.get("TargetTrackingScalingPolicyConfiguration") or {})
        if "PredefinedMetricSpecification" not in config:
            problems.append(
                Problem(
                    "auto_scaling",
                    f"source policy {policy.get('PolicyName')} tracks a customized metric, "
                    "which names the source's own dimensions; only predefined metrics are copied",
                )
            )
            continue
        policies.append(
            {
                "PolicyName": str(policy["PolicyName"]).replace(old, resource_id(name)),
                "ServiceNamespace": NAMESPACE,
                "ResourceId": mine,
                "ScalableDimension": str(policy["ScalableDimension"]),
                "PolicyType": TARGET_TRACKING,
                "TargetTrackingScalingPolicyConfiguration": config,
            }
        )
    return _Scaling(targets, policies, problems)


def _has_target(copy: Facts, wanted: Mapping[str, Any]) -> bool:
    for have in copy.scalable_targets:
        if (have.get("ResourceId"), have.get("ScalableDimension")) == (
            wanted["ResourceId"],
            wanted["ScalableDimension"],
        ):
            return bool(
                int(have.get("MinCapacity", -1)) == wanted["MinCapacity"]
                and int(have.get("MaxCapacity", -1)) == wanted["MaxCapacity"]
            )
    return False


def _has_policy(copy: Facts, wanted: Mapping[str, Any]) -> bool:
    for have in copy.scaling_policies:
        if (have.get("ResourceId"), have.get("ScalableDimension"), have.get("PolicyName")) == (
            wanted["ResourceId"],
            wanted["ScalableDimension"],
            wanted["PolicyName"],
        ):
            config = have.get("TargetTrackingScalingPolicyConfiguration") or {}
            return all(
                config.get(k) == v
                for k, v in wanted["TargetTrackingScalingPolicyConfiguration"].items()
            )
    return False


def reads_from_source(
    *,
    table_class: str | None = None,
    on_demand_throughput: Throughput | None = None,
    warm_throughput: Throughput | None = None,
    point_in_time_recovery_period: RecoveryPeriod | None = None,
    resource_policy: ResourcePolicy | None = None,
    auto_scaling: AutoScaling | None = None,
    contributor_insights: str | None = None,
) -> frozenset[str]:
    """What of the source these settings read: "table" (DescribeTable),
    "point_in_time_recovery", "policy", "auto_scaling", "insights"."""
    reads = set()
    if table_class == SOURCE or any(
        s is not None and s.from_source for s in (on_demand_throughput, warm_throughput)
    ):
        reads.add("table")
    if point_in_time_recovery_period is not None and point_in_time_recovery_period.from_source:
        reads.add("point_in_time_recovery")
    if resource_policy is not None and resource_policy.from_source:
        reads.add("policy")
    if auto_scaling is not None and auto_scaling.from_source:
        reads.add("auto_scaling")
    if contributor_insights == SOURCE:
        reads.add("insights")
    return frozenset(reads)


def table_changes(
    copy: Facts,
    source: Facts | None,
    *,
    table_class: str | None = None,
    on_demand_throughput: Throughput | None = None,
    warm_throughput: Throughput | None = None,
    resource_policy: ResourcePolicy | None = None,
    auto_scaling: AutoScaling | None = None,
    contributor_insights: str | None = None,
    kinesis_stream_arn: str | None = None,
    account: str,
) -> TableChanges:
    """What is left of these settings on ``copy``. ``source`` is ``None`` when the
    source cannot be read: what would come from it is left as it is. ``account`` is the
    copy's (a policy may let in its principals only)."""
    table = copy.table
    name = copy.name
    updates: list[dict[str, Any]] = []
    problems: list[Problem] = []
    source_table = source.table if source is not None else None

    wanted_class = table_class
    if table_class == SOURCE:
        wanted_class = None if source_table is None else class_of(source_table)
    if wanted_class is not None and wanted_class != class_of(table):
        updates.append({"TableName": name, "TableClass": wanted_class})

    if on_demand_throughput is not None:
        wanted_limits: tuple[int | None, int | None] | None = (
            on_demand_throughput.read,
            on_demand_throughput.write,
        )
        if on_demand_throughput.from_source:
            wanted_limits = None
            if source_table is not None and source_table.get("OnDemandThroughput"):
                wanted_limits = _on_demand(source_table)
        if wanted_limits is not None:
            have = _on_demand(table)
            request = {
                key: value
                for key, value, current in (
                    ("MaxReadRequestUnits", wanted_limits[0], have[0]),
                    ("MaxWriteRequestUnits", wanted_limits[1], have[1]),
                )
                if value is not None and value != current
            }
            if request and billing_mode(table) != "PAY_PER_REQUEST":
                problems.append(
                    Problem(
                        "on_demand_throughput",
                        f"copy {name} is provisioned; an on-demand maximum applies to "
                        'on-demand tables (restore_settings.billing_mode = "PAY_PER_REQUEST")',
                    )
                )
            elif request:
                updates.append({"TableName": name, "OnDemandThroughput": request})

    if warm_throughput is not None:
        if warm_throughput.from_source:
            if source_table is not None:
                request = _warm_request(_warm(source_table), _warm(table))
                if request:
                    updates.append({"TableName": name, "WarmThroughput": request})
                by_name = {
                    str(i["IndexName"]): i for i in source_table.get("GlobalSecondaryIndexes") or []
                }
                for index in table.get("GlobalSecondaryIndexes") or []:
                    theirs = by_name.get(str(index["IndexName"]))
                    if theirs is None or not theirs.get("WarmThroughput"):
                        continue
                    request = _warm_request(_warm(theirs), _warm(index))
                    if request:
                        updates.append(
                            {
                                "TableName": name,
                                "GlobalSecondaryIndexUpdates": [
                                    {
                                        "Update": {
                                            "IndexName": index["IndexName"],
                                            "WarmThroughput": request,
                                        }
                                    }
                                ],
                            }
                        )
        else:
            request = _warm_request((warm_throughput.read, warm_throughput.write), _warm(table))
            if request:
                updates.append({"TableName": name, "WarmThroughput": request})

    if updates:
        # The rest waits until the table has its class, limits and indexes (Configure
        # runs again after each UpdateTable).
        return TableChanges(updates=tuple(updates))

    policy = None
    if resource_policy is not None:
        document: Mapping[str, Any] | None = None
        if resource_policy.from_source:
            if source is not None and source.policy:
                document = _rewrite(json.loads(source.policy), source.arn, copy.arn)
        elif resource_policy.policy is not None:
            document = _placeholder(json.loads(resource_policy.policy), copy.arn)
        if document is not None:
            problem = policy_problem(document, account)
            if problem is not None:
                problems.append(Problem("resource_policy", f"copy {name}'s policy: {problem}"))
            elif not _same_document(copy.policy, document):
                policy = json.dumps(document, separators=(",", ":"))

    targets: list[dict[str, Any]] = []
    policies: list[dict[str, Any]] = []
    if auto_scaling is not None:
        scaling = _wanted_scaling(auto_scaling, copy, source)
        if scaling is not None:
            problems.extend(scaling.problems)
            if scaling.targets and billing_mode(table) == "PAY_PER_REQUEST":
                problems.append(
                    Problem(
                        "auto_scaling",
                        f"copy {name} is on demand; auto scaling applies to provisioned "
                        'capacity (restore_settings.billing_mode = "PROVISIONED")',
                    )
                )
            else:
                targets = [t for t in scaling.targets if not _has_target(copy, t)]
                policies = [p for p in scaling.policies if not _has_policy(copy, p)]

    insights: list[dict[str, Any]] = []
    if contributor_insights is not None:
        wanted_on: list[str] = []
        if contributor_insights == SOURCE:
            if source is not None:
                kept = ("", *copy.index_names)
                wanted_on = [k for k in kept if source.insights.get(k) in _ON]
        else:
            wanted_on = [""]
        for key in wanted_on:
            if copy.insights.get(key) not in _ON:
                enable: dict[str, Any] = {"TableName": name, "ContributorInsightsAction": "ENABLE"}
                if key:
                    enable["IndexName"] = key
                insights.append(enable)

    kinesis = None
    if kinesis_stream_arn is not None and not any(
        d.get("StreamArn") == kinesis_stream_arn
        and d.get("DestinationStatus") in _ACTIVE_DESTINATION
        for d in copy.destinations
    ):
        kinesis = {"TableName": name, "StreamArn": kinesis_stream_arn}

    return TableChanges(
        policy=policy,
        scalable_targets=tuple(targets),
        scaling_policies=tuple(policies),
        insights=tuple(insights),
        kinesis=kinesis,
        problems=tuple(problems),
    )


def best_effort_names(names: Iterable[str]) -> frozenset[str]:
    """``best_effort``, checked against the settings it may name."""
    chosen = frozenset(names)
    unknown = sorted(chosen - set(BEST_EFFORT_NAMES))
    if unknown:
        raise ValueError(
            f"best_effort names {', '.join(unknown)}; expected some of {', '.join(BEST_EFFORT_NAMES)}"
        )
    return chosen


def recovery_period(
    copy: Facts, source: Facts | None, setting: RecoveryPeriod | None
) -> int | None:
    """The point-in-time recovery period (days) to set on ``copy``, if it differs from
    what the copy has (35 days unless set); ``None``: nothing to set. From the source:
    its period if its point-in-time recovery is on, else nothing."""
    if setting is None:
        return None
    days = setting.days
    if setting.from_source:
        days = None
        if source is not None and source.point_in_time_recovery:
            days = source.recovery_period_days or DEFAULT_RECOVERY_PERIOD_DAYS
    have = copy.recovery_period_days or DEFAULT_RECOVERY_PERIOD_DAYS
    if days is None or (copy.point_in_time_recovery and have == days):
        return None
    return days


def scaled_capacity(copy: Facts) -> frozenset[str]:
    """What of ``copy`` has a scalable target ("" the table, else an index's name): its
    capacity is auto scaling's, which the restore settings do not set back."""
    table = resource_id(copy.name)
    scaled = set()
    for target in copy.scalable_targets:
        rid = str(target.get("ResourceId"))
        if rid == table:
            scaled.add("")
        elif rid.startswith(table + "/index/"):
            scaled.add(rid[len(table + "/index/") :])
    return frozenset(scaled)
