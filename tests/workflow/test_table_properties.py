"""A copy that behaves like its source: the table properties a restore drops and the
indexes it keeps (copy_settings, restore_settings), on both restore paths, end to end
on the emulator (which models what moto lacks: tests/emulator/table_settings.py)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from tests.emulator.events import backup_completed, sns_event
from tests.emulator.harness import CHECK_HOOK_ARN, Emulator, Settings
from tests.emulator.rich_source import (
    ON_DEMAND_PROPERTIES,
    READER,
    SOURCE,
    STREAM,
    rich_source,
)
from tests.workflow.test_hooks import create_hook, set_hook_handler

COPY = "Orders-staging-20240827-09-20-00"

# An on-demand copy with every property that is not auto scaling's (which needs a
# provisioned one: PROVISIONED_COPIES below).
ON_DEMAND_COPIES = Settings(**ON_DEMAND_PROPERTIES)
PROVISIONED_COPIES = Settings(
    restore_settings={
        "billing_mode": "PROVISIONED",
        "read_capacity": 5,
        "write_capacity": 5,
        "index_capacity": {"by*": {"read_capacity": 3, "write_capacity": 2}},
    },
    copy_settings={"auto_scaling": {"from_source": True}},
    keep_last=1,
    hooks=(CHECK_HOOK_ARN,),
    delete_copy_on_hook_failure=True,
)
COPIES = [f"Orders-staging-2024082{7 + n}-09-20-00" for n in range(3)]


def rotate(emulator: Emulator, table_arn: str, advanced: bool, number: int = 0) -> Any:
    point = emulator.create_recovery_point(SOURCE) if advanced else emulator.create_backup(SOURCE)
    start = f"2024-08-{27 + number}T09:20:00Z"
    return emulator.rotate(
        sns_event(backup_completed(point, table_arn, job_id=f"job-{number}", start_time=start))
    )


WRITES = ("Update", "Put", "Register", "Enable", "Tag", "Delete")


def writes(emulator: Emulator) -> Counter[str]:
    return Counter(
        {
            action: count
            for (function, action), count in emulator.aws_call_counts.items()
            if function == "configure" and action.split(":")[1].startswith(WRITES)
        }
    )


def configure_again_sends_nothing(emulator: Emulator) -> None:
    """Configure called again with the rotation's last Configure event: no write."""
    last = [i for i in emulator.invocations if i.function == "configure"][-1]
    before = writes(emulator)
    emulator.call("configure", last.payload)
    assert writes(emulator) == before


@pytest.mark.parametrize("advanced", [False, True], ids=["dynamodb backup", "aws backup"])
def test_an_on_demand_copy_takes_the_sources_properties_and_the_chosen_ones(
    make_emulator: Any, advanced: bool
) -> None:
    emulator: Emulator = make_emulator(ON_DEMAND_COPIES)
    source_arn = rich_source(emulator)
    rotation = rotate(emulator, source_arn, advanced)
    assert rotation.status == "SUCCEEDED", rotation.cause

    dynamodb = emulator.dynamodb
    copy = dynamodb.describe_table(TableName=COPY)["Table"]
    assert copy["TableClassSummary"]["TableClass"] == "STANDARD_INFREQUENT_ACCESS"
    assert copy["OnDemandThroughput"] == {"MaxReadRequestUnits": 1000, "MaxWriteRequestUnits": 500}
    assert copy["WarmThroughput"]["ReadUnitsPerSecond"] == 20000
    assert copy["WarmThroughput"]["WriteUnitsPerSecond"] == 8000
    indexes = {i["IndexName"]: i for i in copy["GlobalSecondaryIndexes"]}
    assert sorted(indexes) == ["byCustomer", "byTotal"]  # reportDaily left out
    assert indexes["byTotal"]["WarmThroughput"]["ReadUnitsPerSecond"] == 30000
    local = sorted(i["IndexName"] for i in copy.get("LocalSecondaryIndexes") or [])
    configures = [i for i in emulator.invocations if i.function == "configure"]
    if advanced:
        # an AWS Backup restore keeps every local index; best_effort: a warning
        assert local == ["byDate", "byStatus"]
        assert configures[-1].result["not_applied"] == ["local_secondary_indexes"]
    else:
        assert local == ["byDate"]
        assert configures[-1].result["not_applied"] == []

    backups = dynamodb.describe_continuous_backups(TableName=COPY)["ContinuousBackupsDescription"]
    pitr = backups["PointInTimeRecoveryDescription"]
    assert (pitr["PointInTimeRecoveryStatus"], pitr["RecoveryPeriodInDays"]) == ("ENABLED", 7)
    policy = json.loads(dynamodb.get_resource_policy(ResourceArn=copy["TableArn"])["Policy"])
    assert policy["Statement"][0]["Resource"] == [copy["TableArn"], f"{copy['TableArn']}/index/*"]
    assert policy["Statement"][0]["Principal"] == {"AWS": READER}
    insights = {
        index: dynamodb.describe_contributor_insights(
            TableName=COPY, **({"IndexName": index} if index else {})
        )["ContributorInsightsStatus"]
        for index in ("", "byTotal", "byCustomer")
    }
    assert insights == {"": "ENABLED", "byTotal": "ENABLED", "byCustomer": "DISABLED"}
    destinations = dynamodb.describe_kinesis_streaming_destination(TableName=COPY)
    assert [
        (d["StreamArn"], d["DestinationStatus"])
        for d in destinations["KinesisDataStreamDestinations"]
    ] == [(STREAM, "ACTIVE")]
    assert emulator.item_count(COPY) == 6
    assert emulator.parameter()["Value"] == copy["TableArn"]
    configure_again_sends_nothing(emulator)


def test_a_policy_that_lets_in_another_account_stops_the_rotation(make_emulator: Any) -> None:
    emulator: Emulator = make_emulator(ON_DEMAND_COPIES)
    stranger = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::999999999999:root"},
                "Action": "dynamodb:*",
                "Resource": "*",
            }
        ]
    }
    rotation = rotate(emulator, rich_source(emulator, policy=stranger), advanced=False)
    assert rotation.status == "FAILED"
    assert rotation.error == "CopyNotConfigured", rotation.cause
    assert "resource_policy" in rotation.cause and "999999999999" in rotation.cause
    with pytest.raises(emulator.ssm.exceptions.ParameterNotFound):
        emulator.parameter()  # the pointer never moved
    arn = emulator.dynamodb.describe_table(TableName=COPY)["Table"]["TableArn"]
    with pytest.raises(emulator.dynamodb.exceptions.PolicyNotFoundException):
        emulator.dynamodb.get_resource_policy(ResourceArn=arn)


def scaling_of(emulator: Emulator, copy: str) -> list[tuple[str, int, int]]:
    ids = [f"table/{copy}"] + [f"table/{copy}/index/{i}" for i in ("byTotal", "byCustomer")]
    found = emulator.client("application-autoscaling").describe_scalable_targets(
        ServiceNamespace="dynamodb", ResourceIds=ids
    )["ScalableTargets"]
    return sorted((t["ResourceId"], t["MinCapacity"], t["MaxCapacity"]) for t in found)


def scaled_rotations(emulator: Emulator, advanced: bool) -> list[Any]:
    """Three rotations of a provisioned source with auto scaling into provisioned
    copies (PROVISIONED_COPIES): the first published; the second published, its Cleanup
    deleting the first; the third refused by the hook and discarded."""
    source_arn = rich_source(emulator, provisioned=True)
    create_hook(emulator, CHECK_HOOK_ARN, "accept")
    rotations = [rotate(emulator, source_arn, advanced)]
    rotations.append(rotate(emulator, source_arn, advanced, number=1))
    set_hook_handler(emulator, "check-copy", "reject")
    rotations.append(rotate(emulator, source_arn, advanced, number=2))
    return rotations


@pytest.mark.parametrize("advanced", [False, True], ids=["dynamodb backup", "aws backup"])
def test_a_provisioned_copy_takes_the_sources_auto_scaling_until_it_is_deleted(
    make_emulator: Any, advanced: bool
) -> None:
    emulator: Emulator = make_emulator(PROVISIONED_COPIES)
    source_arn = rich_source(emulator, provisioned=True)
    create_hook(emulator, CHECK_HOOK_ARN, "accept")
    first = rotate(emulator, source_arn, advanced)
    assert first.status == "SUCCEEDED", first.cause

    copy = COPIES[0]
    assert scaling_of(emulator, copy) == sorted(
        [(f"table/{copy}", 5, 400)] * 2 + [(f"table/{copy}/index/byTotal", 5, 400)] * 2
    )
    scaling = emulator.client("application-autoscaling")
    policies = scaling.describe_scaling_policies(
        ServiceNamespace="dynamodb", ResourceId=f"table/{copy}"
    )
    assert sorted(p["PolicyName"] for p in policies["ScalingPolicies"]) == [
        f"DynamoDBReadCapacityUtilization:table/{copy}",
        f"DynamoDBWriteCapacityUtilization:table/{copy}",
    ]
    described = emulator.dynamodb.describe_table(TableName=copy)["Table"]
    # index_capacity gave the index without auto scaling its own capacity
    by_customer = next(
        i for i in described["GlobalSecondaryIndexes"] if i["IndexName"] == "byCustomer"
    )
    assert by_customer["ProvisionedThroughput"]["ReadCapacityUnits"] == 3
    configure_again_sends_nothing(emulator)
    if advanced:
        return  # deleting a copy does not depend on the path it was restored by

    # the next rotation's Cleanup (keep_last = 1) deletes the copy and its targets
    second = rotate(emulator, source_arn, advanced, number=1)
    assert second.status == "SUCCEEDED", second.cause
    assert second.output["cleanup"]["deleted"] == [copy]
    assert scaling_of(emulator, copy) == []
    assert len(scaling_of(emulator, COPIES[1])) == 4
    # a copy the hook refuses is discarded with its targets
    set_hook_handler(emulator, "check-copy", "reject")
    third = rotate(emulator, source_arn, advanced, number=2)
    assert third.error == "CopyRejected", third.cause
    assert COPIES[2] not in emulator.table_names()
    assert scaling_of(emulator, COPIES[2]) == []
    assert len(scaling_of(emulator, COPIES[1])) == 4  # the published copy's stay
