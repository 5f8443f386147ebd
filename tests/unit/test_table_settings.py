"""``rotator.table_settings`` and its part of ``rotator.configure.changes``: the table
properties a restore drops, decided from descriptions alone.

The property tests apply each answer of ``changes`` to a model of the copy (what
DynamoDB, Application Auto Scaling and the rest do with each request), one request at
a time as the Configure step sends them, and check that the copy reaches what the
settings want and that ``changes`` then asks for nothing."""

from __future__ import annotations

import copy as copying
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rotator.configure import Changes, CopySettings, changes
from rotator.restore_options import RestoreOptions, local_index_problem
from rotator.table_settings import (
    AutoScaling,
    Facts,
    RecoveryPeriod,
    ResourcePolicy,
    TableChanges,
    Throughput,
    class_of,
    policy_problem,
    recovery_period,
    resource_id,
    table_changes,
)
from tests.fuzzing import examples

ACCOUNT = "123456789012"
NAME = "Orders-staging-20240827-09-20-00"
ARN = f"arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/{NAME}"
SOURCE_ARN = f"arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/Orders"
STREAM = f"arn:aws:kinesis:eu-west-1:{ACCOUNT}:stream/staging-changes"


def table(name: str = NAME, arn: str = ARN, **more: Any) -> dict[str, Any]:
    return {
        "TableName": name,
        "TableArn": arn,
        "TableStatus": "ACTIVE",
        "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
        **more,
    }


def index(name: str, **more: Any) -> dict[str, Any]:
    return {"IndexName": name, "IndexStatus": "ACTIVE", **more}


def ask(copy: Facts, source: Facts | None = None, **chosen: Any) -> Changes:
    return changes(
        dict(copy.table),
        settings=CopySettings(**chosen),
        options=RestoreOptions(),
        current_tags={},
        wanted={},
        point_in_time_recovery=copy.point_in_time_recovery,
        facts=copy,
        source_facts=source,
        account=ACCOUNT,
    )


def rest(todo: Changes) -> TableChanges:
    """What is left besides UpdateTable (none: nothing)."""
    return todo.table or TableChanges()


# --- one setting at a time --------------------------------------------------------


def test_off_asks_nothing_and_reads_nothing() -> None:
    todo = ask(Facts(table()))
    assert todo.done and not todo.problems


def test_table_class_as_the_source_or_a_value() -> None:
    source = Facts(
        table("Orders", SOURCE_ARN, TableClassSummary={"TableClass": "STANDARD_INFREQUENT_ACCESS"})
    )
    todo = ask(Facts(table()), source, table_class="SOURCE")
    assert todo.update_table == {"TableName": NAME, "TableClass": "STANDARD_INFREQUENT_ACCESS"}
    # a restored table shows no class: STANDARD
    assert ask(Facts(table()), table_class="STANDARD").done
    assert class_of(table()) == "STANDARD"
    # the source unreadable: nothing from it
    assert ask(Facts(table()), None, table_class="SOURCE").done


def test_on_demand_maximum_only_on_an_on_demand_copy() -> None:
    limits = Throughput("on_demand_throughput", read=100, write=50)
    todo = ask(Facts(table()), on_demand_throughput=limits)
    assert todo.update_table == {
        "TableName": NAME,
        "OnDemandThroughput": {"MaxReadRequestUnits": 100, "MaxWriteRequestUnits": 50},
    }
    provisioned = Facts(table(BillingModeSummary={"BillingMode": "PROVISIONED"}))
    refused = ask(provisioned, on_demand_throughput=limits)
    assert refused.update_table is None
    assert [p.setting for p in refused.problems] == ["on_demand_throughput"]
    assert "provisioned" in refused.problems[0].message


def test_warm_throughput_only_rises_and_follows_the_sources_indexes() -> None:
    copy = Facts(
        table(
            WarmThroughput={"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000},
            GlobalSecondaryIndexes=[
                index(
                    "byTotal",
                    WarmThroughput={"ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000},
                )
            ],
        )
    )
    source = Facts(
        table(
            "Orders",
            SOURCE_ARN,
            WarmThroughput={"ReadUnitsPerSecond": 8000, "WriteUnitsPerSecond": 20000},
            GlobalSecondaryIndexes=[
                index(
                    "byTotal",
                    WarmThroughput={"ReadUnitsPerSecond": 30000, "WriteUnitsPerSecond": 4000},
                ),
                index(
                    "gone",
                    WarmThroughput={"ReadUnitsPerSecond": 30000, "WriteUnitsPerSecond": 4000},
                ),
            ],
        )
    )
    todo = ask(copy, source, warm_throughput=Throughput("warm_throughput", from_source=True))
    # the read is already higher than the source's: only the write rises
    assert todo.update_table == {
        "TableName": NAME,
        "WarmThroughput": {"WriteUnitsPerSecond": 20000},
    }
    assert todo.more_updates
    rest = table_changes(
        copy,
        source,
        warm_throughput=Throughput("warm_throughput", from_source=True),
        account=ACCOUNT,
    )
    assert rest.updates[1] == {
        "TableName": NAME,
        "GlobalSecondaryIndexUpdates": [
            {"Update": {"IndexName": "byTotal", "WarmThroughput": {"ReadUnitsPerSecond": 30000}}}
        ],
    }
    assert len(rest.updates) == 2  # the source's index the copy has not is not asked for


def test_recovery_period_from_the_source_or_days() -> None:
    copy = Facts(table(), point_in_time_recovery=True, recovery_period_days=35)
    assert recovery_period(copy, None, RecoveryPeriod(days=7)) == 7
    assert recovery_period(Facts(table(), True, 7), None, RecoveryPeriod(days=7)) is None
    source_on = Facts(
        table("Orders", SOURCE_ARN), point_in_time_recovery=True, recovery_period_days=14
    )
    assert recovery_period(copy, source_on, RecoveryPeriod(from_source=True)) == 14
    source_off = Facts(table("Orders", SOURCE_ARN))
    assert recovery_period(copy, source_off, RecoveryPeriod(from_source=True)) is None
    todo = ask(
        Facts(table()),
        point_in_time_recovery=True,
        point_in_time_recovery_period=RecoveryPeriod(days=7),
    )
    assert (todo.point_in_time_recovery, todo.recovery_period_days) == (True, 7)


def test_the_sources_policy_is_rewritten_to_the_copy() -> None:
    document = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/reporting"},
                "Action": "dynamodb:Query",
                "Resource": [SOURCE_ARN, f"{SOURCE_ARN}/index/*", f"{SOURCE_ARN}-other"],
            }
        ],
    }
    source = Facts(table("Orders", SOURCE_ARN), policy=json.dumps(document))
    todo = ask(Facts(table()), source, resource_policy=ResourcePolicy(from_source=True))
    policy = rest(todo).policy
    assert policy is not None
    put = json.loads(policy)
    assert put["Statement"][0]["Resource"] == [ARN, f"{ARN}/index/*", f"{SOURCE_ARN}-other"]
    # once the copy has it (however it is spaced), nothing
    assert ask(
        Facts(table(), policy=json.dumps(put, indent=2)),
        source,
        resource_policy=ResourcePolicy(from_source=True),
    ).done


def test_a_policy_value_names_the_copy_by_placeholder() -> None:
    policy = json.dumps(
        {
            "Statement": [
                {
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "dynamodb:DeleteItem",
                    "Resource": "{copy_table_arn}",
                }
            ]
        }
    )
    todo = ask(Facts(table()), resource_policy=ResourcePolicy(policy=policy))
    put = rest(todo).policy
    assert put is not None and json.loads(put)["Statement"][0]["Resource"] == ARN


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        ("*", 'allows every principal ("*")'),
        ({"AWS": "*"}, 'allows every principal ("*")'),
        ({"AWS": "arn:aws:iam::999999999999:root"}, "not a principal of account 123456789012"),
        ({"AWS": ["111111111111"]}, "allows 111111111111"),
        ({"AWS": "AIDAEXAMPLE"}, "not a principal of account"),  # cannot be placed
    ],
)
def test_a_policy_that_lets_in_another_account_is_a_problem(principal: Any, expected: str) -> None:
    document = {
        "Statement": [{"Effect": "Allow", "Principal": principal, "Action": "*", "Resource": "*"}]
    }
    problem = policy_problem(document, ACCOUNT)
    assert problem is not None and expected in problem
    source = Facts(table("Orders", SOURCE_ARN), policy=json.dumps(document))
    todo = ask(Facts(table()), source, resource_policy=ResourcePolicy(from_source=True))
    assert rest(todo).policy is None and [p.setting for p in todo.problems] == ["resource_policy"]


def test_own_account_and_services_and_denies_are_no_problem() -> None:
    document = {
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": [ACCOUNT, f"arn:aws:iam::{ACCOUNT}:role/x"]}},
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}},
            {"Effect": "Deny", "Principal": "*"},
        ]
    }
    assert policy_problem(document, ACCOUNT) is None


def test_auto_scaling_values_cover_the_table_and_each_index() -> None:
    provisioned = table(
        BillingModeSummary={"BillingMode": "PROVISIONED"}, GlobalSecondaryIndexes=[index("byTotal")]
    )
    todo = ask(
        Facts(provisioned),
        auto_scaling=AutoScaling(min_capacity=5, max_capacity=50, target_utilization=70),
    )
    ids = {(t["ResourceId"], t["ScalableDimension"]) for t in rest(todo).scalable_targets}
    assert ids == {
        (f"table/{NAME}", "dynamodb:table:ReadCapacityUnits"),
        (f"table/{NAME}", "dynamodb:table:WriteCapacityUnits"),
        (f"table/{NAME}/index/byTotal", "dynamodb:index:ReadCapacityUnits"),
        (f"table/{NAME}/index/byTotal", "dynamodb:index:WriteCapacityUnits"),
    }
    assert {
        p["TargetTrackingScalingPolicyConfiguration"]["TargetValue"]
        for p in rest(todo).scaling_policies
    } == {70.0}
    # on demand: a problem, nothing registered
    refused = ask(
        Facts(table()),
        auto_scaling=AutoScaling(min_capacity=5, max_capacity=50, target_utilization=70),
    )
    assert not rest(refused).scalable_targets and [p.setting for p in refused.problems] == [
        "auto_scaling"
    ]


def test_auto_scaling_from_the_source_maps_its_ids_and_refuses_step_scaling() -> None:
    src = resource_id("Orders")
    source = Facts(
        table("Orders", SOURCE_ARN),
        scalable_targets=(
            {
                "ResourceId": src,
                "ScalableDimension": "dynamodb:table:ReadCapacityUnits",
                "MinCapacity": 5,
                "MaxCapacity": 100,
            },
            {
                "ResourceId": f"{src}/index/gone",
                "ScalableDimension": "dynamodb:index:ReadCapacityUnits",
                "MinCapacity": 5,
                "MaxCapacity": 100,
            },
        ),
        scaling_policies=(
            {
                "PolicyName": f"DynamoDBReadCapacityUtilization:{src}",
                "ResourceId": src,
                "ScalableDimension": "dynamodb:table:ReadCapacityUnits",
                "PolicyType": "TargetTrackingScaling",
                "TargetTrackingScalingPolicyConfiguration": {
                    "TargetValue": 60.0,
                    "PredefinedMetricSpecification": {
                        "PredefinedMetricType": "DynamoDBReadCapacityUtilization"
                    },
                },
            },
            {
                "PolicyName": "steps",
                "ResourceId": src,
                "ScalableDimension": "dynamodb:table:ReadCapacityUnits",
                "PolicyType": "StepScaling",
            },
        ),
    )
    copy = Facts(table(BillingModeSummary={"BillingMode": "PROVISIONED"}))
    todo = ask(copy, source, auto_scaling=AutoScaling(from_source=True))
    assert [t["ResourceId"] for t in rest(todo).scalable_targets] == [f"table/{NAME}"]
    assert [p["PolicyName"] for p in rest(todo).scaling_policies] == [
        f"DynamoDBReadCapacityUtilization:table/{NAME}"
    ]
    assert [p.setting for p in todo.problems] == [
        "auto_scaling"
    ] and "StepScaling" in todo.problems[0].message


def test_contributor_insights_and_kinesis() -> None:
    copy = Facts(
        table(GlobalSecondaryIndexes=[index("byTotal")]),
        insights={"": "DISABLED", "byTotal": "DISABLED"},
    )
    source = Facts(table("Orders", SOURCE_ARN), insights={"": "ENABLED", "byTotal": "ENABLED"})
    todo = ask(copy, source, contributor_insights="SOURCE")
    assert [r.get("IndexName") for r in rest(todo).insights] == [None, "byTotal"]
    assert [
        r.get("IndexName") for r in rest(ask(copy, contributor_insights="ENABLED")).insights
    ] == [None]
    kinesis = ask(Facts(table()), kinesis_stream_arn=STREAM)
    assert rest(kinesis).kinesis == {"TableName": NAME, "StreamArn": STREAM}
    active = Facts(table(), destinations=({"StreamArn": STREAM, "DestinationStatus": "ACTIVE"},))
    assert ask(active, kinesis_stream_arn=STREAM).done


def test_the_rest_waits_for_the_updates() -> None:
    todo = ask(
        Facts(table()),
        table_class="STANDARD_INFREQUENT_ACCESS",
        kinesis_stream_arn=STREAM,
        contributor_insights="ENABLED",
    )
    assert todo.update_table is not None and rest(todo).done


def test_local_indexes_an_aws_backup_restore_kept_are_a_problem() -> None:
    options = RestoreOptions(local_secondary_indexes=("keep*",))
    copy = table(LocalSecondaryIndexes=[{"IndexName": "keepMe"}, {"IndexName": "byDate"}])
    assert "byDate" in (local_index_problem(copy, options) or "")
    todo = changes(
        copy,
        settings=CopySettings(),
        options=options,
        current_tags={},
        wanted={},
        restored_by_aws_backup=True,
    )
    assert [p.setting for p in todo.problems] == ["local_secondary_indexes"]
    classic = changes(copy, settings=CopySettings(), options=options, current_tags={}, wanted={})
    assert not classic.problems


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Throughput("warm_throughput"), "not neither"),
        (lambda: Throughput("warm_throughput", from_source=True, read=5), "not both"),
        (lambda: Throughput("on_demand_throughput", read=0), "expected -1 (no maximum) or >= 1"),
        (lambda: RecoveryPeriod(days=36), "from 1 to 35"),
        (lambda: ResourcePolicy(policy="[1]"), "not a JSON object"),
        (lambda: ResourcePolicy(policy="x" * 20481), "at most 20480"),
        (
            lambda: AutoScaling(min_capacity=5),
            "expected min_capacity, max_capacity and target_utilization",
        ),
        (
            lambda: AutoScaling(min_capacity=5, max_capacity=4, target_utilization=50),
            "max_capacity is 4",
        ),
        (lambda: AutoScaling(min_capacity=5, max_capacity=9, target_utilization=95), "20 to 90"),
    ],
)
def test_bad_settings_say_what_was_expected(build: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        build()


# --- the property: applying the answers one at a time reaches the wanted state ------


def apply(facts: Facts, todo: Changes) -> Facts:
    """What AWS does with ``todo``, sent as the Configure step sends it."""
    t = copying.deepcopy(dict(facts.table))
    pitr, period = facts.point_in_time_recovery, facts.recovery_period_days
    policy, targets, policies = (
        facts.policy,
        list(facts.scalable_targets),
        list(facts.scaling_policies),
    )
    insights, destinations = dict(facts.insights), list(facts.destinations)
    request = todo.update_table
    if request is not None:
        if "TableClass" in request:
            t["TableClassSummary"] = {"TableClass": request["TableClass"]}
        if "OnDemandThroughput" in request:
            t["OnDemandThroughput"] = {
                "MaxReadRequestUnits": -1,
                "MaxWriteRequestUnits": -1,
                **t.get("OnDemandThroughput", {}),
                **request["OnDemandThroughput"],
            }
        if "WarmThroughput" in request:
            t["WarmThroughput"] = {**t.get("WarmThroughput", {}), **request["WarmThroughput"]}
        for update in request.get("GlobalSecondaryIndexUpdates", []):
            for each in t.get("GlobalSecondaryIndexes", []):
                if each["IndexName"] == update["Update"]["IndexName"]:
                    each["WarmThroughput"] = {
                        **each.get("WarmThroughput", {}),
                        **update["Update"]["WarmThroughput"],
                    }
    if todo.point_in_time_recovery:
        pitr = True
        period = todo.recovery_period_days or period or 35
    if rest(todo).policy is not None:
        policy = rest(todo).policy
    for target in rest(todo).scalable_targets:
        key = (target["ResourceId"], target["ScalableDimension"])
        targets = [x for x in targets if (x["ResourceId"], x["ScalableDimension"]) != key] + [
            target
        ]
    for each in rest(todo).scaling_policies:
        named = (each["ResourceId"], each["ScalableDimension"], each["PolicyName"])
        policies = [
            x
            for x in policies
            if (x["ResourceId"], x["ScalableDimension"], x["PolicyName"]) != named
        ] + [each]
    for each in rest(todo).insights:
        insights[each.get("IndexName", "")] = "ENABLED"
    kinesis = rest(todo).kinesis
    if kinesis is not None:
        destinations.append({"StreamArn": kinesis["StreamArn"], "DestinationStatus": "ACTIVE"})
    return Facts(
        t, pitr, period, policy, tuple(targets), tuple(policies), insights, tuple(destinations)
    )


units = st.integers(min_value=1, max_value=50_000)
warm = st.one_of(
    st.none(), st.fixed_dictionaries({"ReadUnitsPerSecond": units, "WriteUnitsPerSecond": units})
)
indexes = st.lists(st.sampled_from(["a", "b", "c"]), unique=True)


@st.composite
def tables(draw: st.DrawFn, name: str, arn: str) -> dict[str, Any]:
    described = table(name, arn)
    described["BillingModeSummary"] = {
        "BillingMode": draw(st.sampled_from(["PAY_PER_REQUEST", "PROVISIONED"]))
    }
    if draw(st.booleans()):
        described["TableClassSummary"] = {
            "TableClass": draw(st.sampled_from(["STANDARD", "STANDARD_INFREQUENT_ACCESS"]))
        }
    if (w := draw(warm)) is not None:
        described["WarmThroughput"] = w
    if draw(st.booleans()):
        described["OnDemandThroughput"] = {
            "MaxReadRequestUnits": draw(units),
            "MaxWriteRequestUnits": draw(units),
        }
    described["GlobalSecondaryIndexes"] = [
        index(n, **({"WarmThroughput": w} if (w := draw(warm)) else {})) for n in draw(indexes)
    ]
    return described


@st.composite
def facts_of(draw: st.DrawFn, name: str, arn: str) -> Facts:
    described = draw(tables(name, arn))
    pitr = draw(st.booleans())
    names = ["", *[i["IndexName"] for i in described["GlobalSecondaryIndexes"]]]
    return Facts(
        described,
        point_in_time_recovery=pitr,
        recovery_period_days=draw(st.integers(1, 35)) if pitr else None,
        policy=json.dumps(
            {"Statement": [{"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Resource": arn}]}
        )
        if draw(st.booleans())
        else None,
        insights={n: draw(st.sampled_from(["ENABLED", "DISABLED"])) for n in names},
    )


choices = st.fixed_dictionaries(
    {
        "table_class": st.sampled_from([None, "SOURCE", "STANDARD", "STANDARD_INFREQUENT_ACCESS"]),
        "warm_throughput": st.one_of(
            st.none(),
            st.just(Throughput("warm_throughput", from_source=True)),
            st.builds(Throughput, st.just("warm_throughput"), st.just(False), units, units),
        ),
        "on_demand_throughput": st.one_of(
            st.none(),
            st.just(Throughput("on_demand_throughput", from_source=True)),
            st.builds(
                Throughput, st.just("on_demand_throughput"), st.just(False), units, st.none()
            ),
        ),
        "point_in_time_recovery": st.booleans(),
        "point_in_time_recovery_period": st.one_of(
            st.none(),
            st.just(RecoveryPeriod(from_source=True)),
            st.builds(RecoveryPeriod, st.just(False), st.integers(1, 35)),
        ),
        "resource_policy": st.sampled_from([None, ResourcePolicy(from_source=True)]),
        "auto_scaling": st.sampled_from(
            [None, AutoScaling(min_capacity=1, max_capacity=10, target_utilization=50)]
        ),
        "contributor_insights": st.sampled_from([None, "SOURCE", "ENABLED"]),
        "kinesis_stream_arn": st.sampled_from([None, STREAM]),
    }
)


@settings(max_examples=examples(400), deadline=None)
@given(facts_of(NAME, ARN), st.one_of(st.none(), facts_of("Orders", SOURCE_ARN)), choices)
def test_applying_the_changes_one_at_a_time_reaches_the_wanted_state(
    copy: Facts, source: Facts | None, chosen: dict[str, Any]
) -> None:
    if not chosen["point_in_time_recovery"]:
        chosen["point_in_time_recovery_period"] = None  # the module refuses it alone
    source_gsis = {
        i["IndexName"] for i in (source.table["GlobalSecondaryIndexes"] if source else [])
    }
    copy = Facts(
        copy.table,
        copy.point_in_time_recovery,
        copy.recovery_period_days,
        copy.policy,
        insights=copy.insights,
    )
    problems = set()
    for _ in range(20):
        todo = ask(copy, source, **chosen)
        problems |= {p.setting for p in todo.problems}
        if todo.done:
            break
        copy = apply(copy, todo)
    else:
        pytest.fail(f"still asking after 20 rounds: {todo}")
    # asking again asks for nothing, and finds the same problems
    again = ask(copy, source, **chosen)
    assert again.done and {p.setting for p in again.problems} <= problems
    got = copy.table
    if chosen["table_class"] in ("STANDARD", "STANDARD_INFREQUENT_ACCESS"):
        assert class_of(got) == chosen["table_class"]
    if chosen["table_class"] == "SOURCE" and source is not None:
        assert class_of(got) == class_of(source.table)
    warm_setting = chosen["warm_throughput"]
    if warm_setting is not None and not warm_setting.from_source:
        have = got.get("WarmThroughput", {})
        assert have.get("ReadUnitsPerSecond", 0) >= warm_setting.read
        assert have.get("WriteUnitsPerSecond", 0) >= warm_setting.write
    if warm_setting is not None and warm_setting.from_source and source is not None:
        theirs = {i["IndexName"]: i for i in source.table["GlobalSecondaryIndexes"]}
        for each in got["GlobalSecondaryIndexes"]:
            if each["IndexName"] in source_gsis and theirs[each["IndexName"]].get("WarmThroughput"):
                for unit in ("ReadUnitsPerSecond", "WriteUnitsPerSecond"):
                    assert (
                        each.get("WarmThroughput", {}).get(unit, 0)
                        >= theirs[each["IndexName"]]["WarmThroughput"][unit]
                    )
    limits = chosen["on_demand_throughput"]
    if limits is not None and not limits.from_source and "on_demand_throughput" not in problems:
        assert got["OnDemandThroughput"]["MaxReadRequestUnits"] == limits.read
    if chosen["point_in_time_recovery"]:
        assert copy.point_in_time_recovery
        period = chosen["point_in_time_recovery_period"]
        if period is not None and not period.from_source:
            assert copy.recovery_period_days == period.days
    if chosen["kinesis_stream_arn"]:
        assert [d["StreamArn"] for d in copy.destinations] == [STREAM]
    if chosen["contributor_insights"] == "ENABLED":
        assert copy.insights[""] == "ENABLED"
    if chosen["auto_scaling"] is not None and "auto_scaling" not in problems:
        assert len(copy.scalable_targets) == 2 * (1 + len(got["GlobalSecondaryIndexes"]))
    if chosen["resource_policy"] is not None and source is not None and source.policy:
        assert json.loads(copy.policy or "{}")["Statement"][0]["Resource"] == ARN
