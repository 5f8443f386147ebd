"""Reading and applying the table properties of ``rotator.table_settings`` for the
Configure step: the descriptions ``Facts`` holds, read only as far as the settings use
them, and the calls that apply ``TableChanges`` besides UpdateTable.

Each reader calls only what its setting needs, so each call is granted only when its
option is on (iam.tf). A source whose descriptions cannot be read is the caller's to
skip (``_UNREADABLE`` in the configure handler).
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from rotator.aws import aws_call, client, error_code
from rotator.configure import CopySettings
from rotator.errors import AwsRequestFailed
from rotator.handlers import point_in_time_recovery as recovery_of
from rotator.table_settings import (
    NAMESPACE,
    SOURCE,
    Facts,
    Problem,
    TableChanges,
    reads_from_source,
    resource_id,
)


def _policy(arn: str, name: str) -> str | None:
    with aws_call(f"DynamoDB GetResourcePolicy {name}"):
        try:
            return str(client("dynamodb").get_resource_policy(ResourceArn=arn).get("Policy") or "")
        except ClientError as err:
            if error_code(err) != "PolicyNotFoundException":
                raise
            return None


def _scaling(table: dict[str, Any]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    name = str(table["TableName"])
    ids = [resource_id(name)] + [
        resource_id(name, str(i["IndexName"])) for i in table.get("GlobalSecondaryIndexes") or []
    ]
    scaling = client("application-autoscaling")
    with aws_call(f"Application Auto Scaling DescribeScalableTargets {name}"):
        targets = tuple(
            scaling.describe_scalable_targets(ServiceNamespace=NAMESPACE, ResourceIds=ids)[
                "ScalableTargets"
            ]
        )
    policies: list[Any] = []
    for rid in sorted({str(t["ResourceId"]) for t in targets}):
        with aws_call(f"Application Auto Scaling DescribeScalingPolicies {rid}"):
            policies.extend(
                scaling.describe_scaling_policies(ServiceNamespace=NAMESPACE, ResourceId=rid)[
                    "ScalingPolicies"
                ]
            )
    return targets, tuple(policies)


def _insights(table: dict[str, Any], indexes: bool) -> dict[str, str]:
    name = str(table["TableName"])
    keys = [""]
    if indexes:
        keys += [str(i["IndexName"]) for i in table.get("GlobalSecondaryIndexes") or []]
    found = {}
    for key in keys:
        with aws_call(f"DynamoDB DescribeContributorInsights {name} {key}".strip()):
            found[key] = str(
                client("dynamodb")
                .describe_contributor_insights(
                    TableName=name, **({"IndexName": key} if key else {})
                )
                .get("ContributorInsightsStatus", "DISABLED")
            )
    return found


def read_facts(
    table: dict[str, Any],
    *,
    point_in_time_recovery: bool = False,
    policy: bool = False,
    auto_scaling: bool = False,
    insights: bool = False,
    insights_of_indexes: bool = False,
    destinations: bool = False,
) -> Facts:
    """``table`` (DescribeTable's ``Table``) and what else the flags ask for."""
    name = str(table["TableName"])
    pitr, period = recovery_of(name) if point_in_time_recovery else (False, None)
    targets, policies = _scaling(table) if auto_scaling else ((), ())
    kinesis: tuple[Any, ...] = ()
    if destinations:
        with aws_call(f"DynamoDB DescribeKinesisStreamingDestination {name}"):
            kinesis = tuple(
                client("dynamodb")
                .describe_kinesis_streaming_destination(TableName=name)
                .get("KinesisDataStreamDestinations", [])
            )
    return Facts(
        table=table,
        point_in_time_recovery=pitr,
        recovery_period_days=period,
        policy=_policy(str(table["TableArn"]), name) if policy else None,
        scalable_targets=targets,
        scaling_policies=policies,
        insights=_insights(table, insights_of_indexes) if insights else {},
        destinations=kinesis,
    )


def copy_facts(table: dict[str, Any], settings: CopySettings) -> Facts:
    """The copy's ``Facts``, as far as ``settings`` compare them."""
    return read_facts(
        table,
        point_in_time_recovery=settings.point_in_time_recovery,
        policy=settings.resource_policy is not None,
        auto_scaling=settings.auto_scaling is not None,
        insights=settings.contributor_insights is not None,
        insights_of_indexes=settings.contributor_insights == SOURCE,
        destinations=settings.kinesis_stream_arn is not None,
    )


def source_reads(settings: CopySettings) -> frozenset[str]:
    """What of the source the settings' table properties read (``reads_from_source``)."""
    return reads_from_source(
        table_class=settings.table_class,
        on_demand_throughput=settings.on_demand_throughput,
        warm_throughput=settings.warm_throughput,
        point_in_time_recovery_period=settings.point_in_time_recovery_period,
        resource_policy=settings.resource_policy,
        auto_scaling=settings.auto_scaling,
        contributor_insights=settings.contributor_insights,
    )


def source_facts(table: dict[str, Any], reads: frozenset[str]) -> Facts:
    """The source's ``Facts``: what ``reads`` (``source_reads``) names."""
    return read_facts(
        table,
        point_in_time_recovery="point_in_time_recovery" in reads,
        policy="policy" in reads,
        auto_scaling="auto_scaling" in reads,
        insights="insights" in reads,
        insights_of_indexes="insights" in reads,
    )


# What AWS answers when a setting cannot be applied as asked (a role missing, a stream
# of another account, a policy it refuses): a problem of the setting, not a retry.
_REFUSALS = frozenset(
    {
        "AccessDeniedException",
        "ValidationException",
        "ResourceNotFoundException",
        "ObjectNotFoundException",
        "InvalidParameterException",
    }
)


def _refusal(setting: str, err: AwsRequestFailed) -> Problem:
    cause = err.__cause__
    if isinstance(cause, ClientError) and error_code(cause) in _REFUSALS:
        return Problem(setting, str(err))
    raise err


def apply_table_changes(todo: TableChanges, name: str, arn: str) -> list[Problem]:
    """Applies ``todo``'s policy, auto scaling, contributor insights and Kinesis
    destination; returns what AWS refused, by setting (other errors are raised)."""
    dynamodb = client("dynamodb")
    problems: list[Problem] = []
    if todo.policy is not None:
        try:
            with aws_call(f"DynamoDB PutResourcePolicy {name}"):
                dynamodb.put_resource_policy(ResourceArn=arn, Policy=todo.policy)
        except AwsRequestFailed as err:
            problems.append(_refusal("resource_policy", err))
    try:
        scaling = client("application-autoscaling") if todo.scalable_targets else None
        for target in todo.scalable_targets:
            with aws_call(
                f"Application Auto Scaling RegisterScalableTarget {target['ResourceId']}"
            ):
                scaling.register_scalable_target(**target)  # type: ignore[union-attr]
        scaling = client("application-autoscaling") if todo.scaling_policies else None
        for policy in todo.scaling_policies:
            with aws_call(f"Application Auto Scaling PutScalingPolicy {policy['PolicyName']}"):
                scaling.put_scaling_policy(**policy)  # type: ignore[union-attr]
    except AwsRequestFailed as err:
        problems.append(_refusal("auto_scaling", err))
    try:
        for request in todo.insights:
            with aws_call(f"DynamoDB UpdateContributorInsights {name}"):
                dynamodb.update_contributor_insights(**request)
    except AwsRequestFailed as err:
        problems.append(_refusal("contributor_insights", err))
    if todo.kinesis is not None:
        try:
            with aws_call(f"DynamoDB EnableKinesisStreamingDestination {name}"):
                dynamodb.enable_kinesis_streaming_destination(**todo.kinesis)
        except AwsRequestFailed as err:
            problems.append(_refusal("kinesis_stream_arn", err))
    return problems


def deregister_auto_scaling(name: str) -> int:
    """Deregisters the scalable targets of the deleted table ``name`` and of its indexes
    (which also deletes their policies and target tracking alarms): DeleteTable leaves
    them behind. Returns how many there were."""
    scaling = client("application-autoscaling")
    table, prefix = resource_id(name), resource_id(name) + "/index/"
    found: list[Any] = []
    token = None
    while True:
        with aws_call(f"Application Auto Scaling DescribeScalableTargets {table}"):
            page = scaling.describe_scalable_targets(
                ServiceNamespace=NAMESPACE, **({"NextToken": token} if token else {})
            )
        found += [
            t
            for t in page.get("ScalableTargets", [])
            if t["ResourceId"] == table or str(t["ResourceId"]).startswith(prefix)
        ]
        token = page.get("NextToken")
        if not token:
            break
    for target in found:
        with aws_call(f"Application Auto Scaling DeregisterScalableTarget {target['ResourceId']}"):
            try:
                scaling.deregister_scalable_target(
                    ServiceNamespace=NAMESPACE,
                    ResourceId=target["ResourceId"],
                    ScalableDimension=target["ScalableDimension"],
                )
            except ClientError as err:
                if error_code(err) != "ObjectNotFoundException":  # deregistered meanwhile
                    raise
    return len(found)
