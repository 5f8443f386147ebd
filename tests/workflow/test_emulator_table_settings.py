"""The emulator's table settings (tests/emulator/table_settings.py and the restore
overrides in restore_overrides.py): what moto 5.2.5 lacks, as DynamoDB and Application
Auto Scaling answer it. boto3 against the patched moto, nothing deployed."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.applicationautoscaling.models import applicationautoscaling_backends
from moto.dynamodb.models import dynamodb_backends
from moto.kinesis.models import kinesis_backends

from tests.emulator.events import ACCOUNT, REGION
from tests.emulator.harness import Emulator, Settings

KEY = [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]
BY_TOTAL = {
    "IndexName": "byTotal",
    "KeySchema": [{"AttributeName": "total", "KeyType": "HASH"}],
    "Projection": {"ProjectionType": "ALL"},
}
BY_CUSTOMER = {
    "IndexName": "byCustomer",
    "KeySchema": [{"AttributeName": "customer", "KeyType": "HASH"}],
    "Projection": {"ProjectionType": "KEYS_ONLY"},
}
BY_DATE = {
    "IndexName": "byDate",
    "KeySchema": [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "date", "KeyType": "RANGE"},
    ],
    "Projection": {"ProjectionType": "ALL"},
}
BY_STATUS = {
    "IndexName": "byStatus",
    "KeySchema": [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "status", "KeyType": "RANGE"},
    ],
    "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["total"]},
}
CAPACITY = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
ATTRIBUTES = [
    {"AttributeName": name, "AttributeType": "S"}
    for name in ("pk", "sk", "total", "customer", "date", "status")
]


@pytest.fixture(scope="module")
def emulator_of_module() -> Iterator[Emulator]:
    """One emulator for the module: each one's first request loads AWS's managed
    policies (deploy=False), a second a time."""
    with Emulator(Settings(), deploy=False) as emulator:
        yield emulator


@pytest.fixture
def emu(emulator_of_module: Emulator) -> Iterator[Emulator]:
    """The module's emulator, with no table, backup, stream or scalable target left
    from the test before."""
    yield emulator_of_module
    for backends in (dynamodb_backends, kinesis_backends, applicationautoscaling_backends):
        backends[ACCOUNT][REGION].reset()


@pytest.fixture
def ddb(emu: Emulator) -> Any:
    return emu.client("dynamodb")


def create(ddb: Any, name: str, *, on_demand: bool, **extra: Any) -> dict[str, Any]:
    """A table with the two global and two local indexes (every attribute defined)."""
    capacity = {} if on_demand else {"ProvisionedThroughput": CAPACITY}
    global_indexes = [{**index, **capacity} for index in (BY_TOTAL, BY_CUSTOMER)]
    request = {
        "TableName": name,
        "KeySchema": KEY,
        "AttributeDefinitions": ATTRIBUTES,
        "BillingMode": "PAY_PER_REQUEST" if on_demand else "PROVISIONED",
        "GlobalSecondaryIndexes": global_indexes,
        "LocalSecondaryIndexes": [BY_DATE, BY_STATUS],
        **capacity,
        **extra,
    }
    return dict(ddb.create_table(**request)["TableDescription"])


def described(ddb: Any, name: str) -> dict[str, Any]:
    return dict(ddb.describe_table(TableName=name)["Table"])


def index(table: dict[str, Any], name: str) -> dict[str, Any]:
    return next(i for i in table.get("GlobalSecondaryIndexes", []) if i["IndexName"] == name)


def refused(call: Callable[..., Any], code: str = "ValidationException", **kwargs: Any) -> str:
    """``call(**kwargs)``'s error message, once it is ``code``."""
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    assert raised.value.response["Error"]["Code"] == code, raised.value.response["Error"]
    return str(raised.value.response["Error"]["Message"])


# -- UpdateTable: TableClass, OnDemandThroughput, WarmThroughput ----------------------


def test_a_table_class_shows_once_set_and_is_changed_alone(ddb: Any) -> None:
    create(ddb, "plain", on_demand=True)
    assert "TableClassSummary" not in described(ddb, "plain")  # absent: STANDARD
    answer = ddb.update_table(TableName="plain", TableClass="STANDARD_INFREQUENT_ACCESS")
    assert (
        answer["TableDescription"]["TableClassSummary"]["TableClass"]
        == "STANDARD_INFREQUENT_ACCESS"
    )
    summary = described(ddb, "plain")["TableClassSummary"]
    assert summary["TableClass"] == "STANDARD_INFREQUENT_ACCESS"
    assert "LastUpdateDateTime" in summary
    assert "valid table-class value" in refused(
        ddb.update_table, TableName="plain", TableClass="COLD"
    )
    message = refused(
        ddb.update_table, TableName="plain", TableClass="STANDARD", DeletionProtectionEnabled=True
    )
    assert "TableClass modification must be the only operation" in message
    create(ddb, "infrequent", on_demand=True, TableClass="STANDARD_INFREQUENT_ACCESS")
    assert (
        described(ddb, "infrequent")["TableClassSummary"]["TableClass"]
        == "STANDARD_INFREQUENT_ACCESS"
    )


def test_on_demand_maxima_are_an_on_demand_tables_only(ddb: Any) -> None:
    create(ddb, "provisioned", on_demand=False)
    message = refused(
        ddb.update_table, TableName="provisioned", OnDemandThroughput={"MaxReadRequestUnits": 10}
    )
    assert "cannot be specified when the table BillingMode is PROVISIONED" in message
    refused(
        ddb.create_table,
        TableName="provisioned-with-maxima",
        KeySchema=KEY[:1],
        AttributeDefinitions=ATTRIBUTES[:1],
        ProvisionedThroughput=CAPACITY,
        OnDemandThroughput={"MaxReadRequestUnits": 10},
    )
    create(ddb, "on-demand", on_demand=True)
    assert "OnDemandThroughput" not in described(ddb, "on-demand")  # no maximum
    maxima = {"MaxReadRequestUnits": 100, "MaxWriteRequestUnits": 50}
    answer = ddb.update_table(TableName="on-demand", OnDemandThroughput=maxima)
    assert answer["TableDescription"]["OnDemandThroughput"] == maxima
    ddb.update_table(TableName="on-demand", OnDemandThroughput={"MaxReadRequestUnits": 200})
    assert described(ddb, "on-demand")["OnDemandThroughput"] == {
        "MaxReadRequestUnits": 200,
        "MaxWriteRequestUnits": 50,
    }
    ddb.update_table(TableName="on-demand", OnDemandThroughput={"MaxReadRequestUnits": -1})
    assert described(ddb, "on-demand")["OnDemandThroughput"] == {"MaxWriteRequestUnits": 50}
    ddb.update_table(TableName="on-demand", OnDemandThroughput={"MaxWriteRequestUnits": -1})
    assert "OnDemandThroughput" not in described(ddb, "on-demand")
    assert "outside of valid range" in refused(
        ddb.update_table, TableName="on-demand", OnDemandThroughput={"MaxReadRequestUnits": 0}
    )
    message = refused(
        ddb.update_table,
        TableName="on-demand",
        OnDemandThroughput={"MaxReadRequestUnits": 9},
        DeletionProtectionEnabled=True,
    )
    assert "can only be combined with BillingMode" in message
    # switching a provisioned table to on demand may set them in the same request
    ddb.update_table(
        TableName="provisioned",
        BillingMode="PAY_PER_REQUEST",
        OnDemandThroughput={"MaxWriteRequestUnits": 30},
    )
    assert described(ddb, "provisioned")["OnDemandThroughput"] == {"MaxWriteRequestUnits": 30}


def test_warm_throughput_starts_at_the_default_and_only_increases(ddb: Any) -> None:
    on_demand = create(ddb, "on-demand", on_demand=True)
    assert on_demand["WarmThroughput"] == {
        "ReadUnitsPerSecond": 12000,
        "WriteUnitsPerSecond": 4000,
        "Status": "ACTIVE",
    }
    assert index(on_demand, "byTotal")["WarmThroughput"]["ReadUnitsPerSecond"] == 12000
    provisioned = create(ddb, "provisioned", on_demand=False)
    assert provisioned["WarmThroughput"]["ReadUnitsPerSecond"] == 5  # its capacity
    answer = ddb.update_table(TableName="on-demand", WarmThroughput={"ReadUnitsPerSecond": 15000})
    assert answer["TableDescription"]["WarmThroughput"] == {
        "ReadUnitsPerSecond": 15000,
        "WriteUnitsPerSecond": 4000,  # not named: kept
        "Status": "ACTIVE",
    }
    message = refused(
        ddb.update_table, TableName="on-demand", WarmThroughput={"WriteUnitsPerSecond": 3999}
    )
    assert "decreasing WarmThroughput is not supported" in message
    message = refused(
        ddb.update_table,
        TableName="provisioned",
        WarmThroughput={"ReadUnitsPerSecond": 50},
        ProvisionedThroughput={"ReadCapacityUnits": 9, "WriteCapacityUnits": 9},
    )
    assert "WarmThroughput must be the only operation" in message
    # raising the capacity past it raises the warm throughput with it
    ddb.update_table(
        TableName="provisioned",
        ProvisionedThroughput={"ReadCapacityUnits": 40, "WriteCapacityUnits": 3},
    )
    table = described(ddb, "provisioned")
    assert table["WarmThroughput"]["ReadUnitsPerSecond"] == 40
    assert table["WarmThroughput"]["WriteUnitsPerSecond"] == 5
    assert table["ProvisionedThroughput"]["NumberOfDecreasesToday"] == 1  # write went down


def test_a_global_index_update_sets_one_index(ddb: Any) -> None:
    create(ddb, "provisioned", on_demand=False)
    ddb.update_table(
        TableName="provisioned",
        GlobalSecondaryIndexUpdates=[
            {
                "Update": {
                    "IndexName": "byTotal",
                    "ProvisionedThroughput": {"ReadCapacityUnits": 25, "WriteCapacityUnits": 4},
                }
            }
        ],
    )
    table = described(ddb, "provisioned")
    assert index(table, "byTotal")["ProvisionedThroughput"]["ReadCapacityUnits"] == 25
    assert index(table, "byTotal")["WarmThroughput"]["ReadUnitsPerSecond"] == 25
    assert index(table, "byCustomer")["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    ddb.update_table(
        TableName="provisioned",
        WarmThroughput={"WriteUnitsPerSecond": 700},
        GlobalSecondaryIndexUpdates=[
            {"Update": {"IndexName": "byCustomer", "WarmThroughput": {"ReadUnitsPerSecond": 900}}}
        ],
    )
    table = described(ddb, "provisioned")
    assert table["WarmThroughput"]["WriteUnitsPerSecond"] == 700
    assert index(table, "byCustomer")["WarmThroughput"] == {
        "ReadUnitsPerSecond": 900,
        "WriteUnitsPerSecond": 5,
        "Status": "ACTIVE",
    }
    message = refused(
        ddb.update_table,
        TableName="provisioned",
        GlobalSecondaryIndexUpdates=[
            {"Update": {"IndexName": "byCustomer", "WarmThroughput": {"ReadUnitsPerSecond": 800}}}
        ],
    )
    assert "for index byCustomer is lower than current WarmThroughput" in message
    ghost = [{"Update": {"IndexName": "ghost", "ProvisionedThroughput": CAPACITY}}]
    message = refused(
        ddb.update_table,
        "ResourceNotFoundException",
        TableName="provisioned",
        GlobalSecondaryIndexUpdates=ghost,
    )
    assert "Index ghost" in message
    local = [{"Update": {"IndexName": "byDate", "ProvisionedThroughput": CAPACITY}}]
    assert "not a GlobalSecondaryIndex" in refused(
        ddb.update_table, TableName="provisioned", GlobalSecondaryIndexUpdates=local
    )
    create(ddb, "on-demand", on_demand=True)
    capacity = [{"Update": {"IndexName": "byTotal", "ProvisionedThroughput": CAPACITY}}]
    assert "PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput" in refused(
        ddb.update_table, TableName="on-demand", GlobalSecondaryIndexUpdates=capacity
    )
    maxima = [
        {"Update": {"IndexName": "byTotal", "OnDemandThroughput": {"MaxReadRequestUnits": 8}}}
    ]
    ddb.update_table(TableName="on-demand", GlobalSecondaryIndexUpdates=maxima)
    assert index(described(ddb, "on-demand"), "byTotal")["OnDemandThroughput"] == {
        "MaxReadRequestUnits": 8
    }
    # to PROVISIONED: the table's capacity and each index's
    message = refused(
        ddb.update_table,
        TableName="on-demand",
        BillingMode="PROVISIONED",
        ProvisionedThroughput=CAPACITY,
        GlobalSecondaryIndexUpdates=capacity,
    )
    assert "ProvisionedThroughput must be specified for index: byCustomer" in message


def test_switching_billing_mode_moves_capacity_and_maxima(ddb: Any) -> None:
    create(ddb, "provisioned", on_demand=False)
    ddb.update_table(TableName="provisioned", BillingMode="PAY_PER_REQUEST")
    table = described(ddb, "provisioned")
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert index(table, "byTotal")["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert table["WarmThroughput"]["ReadUnitsPerSecond"] == 12000
    assert index(table, "byTotal")["WarmThroughput"]["WriteUnitsPerSecond"] == 4000
    ddb.update_table(TableName="provisioned", OnDemandThroughput={"MaxReadRequestUnits": 3})
    both = {"ReadCapacityUnits": 7, "WriteCapacityUnits": 6}
    ddb.update_table(
        TableName="provisioned",
        BillingMode="PROVISIONED",
        ProvisionedThroughput=both,
        GlobalSecondaryIndexUpdates=[
            {"Update": {"IndexName": name, "ProvisionedThroughput": both}}
            for name in ("byTotal", "byCustomer")
        ],
    )
    table = described(ddb, "provisioned")
    assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 7
    assert index(table, "byCustomer")["ProvisionedThroughput"]["WriteCapacityUnits"] == 6
    assert "OnDemandThroughput" not in table
    assert table["WarmThroughput"]["ReadUnitsPerSecond"] == 12000  # never lowered
    assert "At least one of" in refused(ddb.update_table, TableName="provisioned")


# -- Contributor Insights -------------------------------------------------------------


def test_contributor_insights_per_table_and_global_index(ddb: Any) -> None:
    create(ddb, "orders", on_demand=True)
    assert (
        ddb.describe_contributor_insights(TableName="orders")["ContributorInsightsStatus"]
        == "DISABLED"
    )
    answer = ddb.update_contributor_insights(TableName="orders", ContributorInsightsAction="ENABLE")
    assert answer["ContributorInsightsStatus"] == "ENABLING"
    table = ddb.describe_contributor_insights(TableName="orders")
    assert table["ContributorInsightsStatus"] == "ENABLED"
    assert table["ContributorInsightsMode"] == "ACCESSED_AND_THROTTLED_KEYS"
    assert [rule.split("-")[1] for rule in table["ContributorInsightsRuleList"]] == [
        "PKC",
        "SKC",
        "PKT",
        "SKT",
    ]
    on_index = ddb.describe_contributor_insights(TableName="orders", IndexName="byTotal")
    assert on_index["ContributorInsightsStatus"] == "DISABLED"  # each on its own
    ddb.update_contributor_insights(
        TableName="orders",
        IndexName="byTotal",
        ContributorInsightsAction="ENABLE",
        ContributorInsightsMode="THROTTLED_KEYS",
    )
    on_index = ddb.describe_contributor_insights(TableName="orders", IndexName="byTotal")
    assert on_index["IndexName"] == "byTotal"
    assert [rule.split("-")[1] for rule in on_index["ContributorInsightsRuleList"]] == ["PKT"]
    again = ddb.update_contributor_insights(TableName="orders", ContributorInsightsAction="ENABLE")
    assert again["ContributorInsightsStatus"] == "ENABLED"  # nothing to do
    off = ddb.update_contributor_insights(TableName="orders", ContributorInsightsAction="DISABLE")
    assert off["ContributorInsightsStatus"] == "DISABLING"
    table = ddb.describe_contributor_insights(TableName="orders")
    assert table["ContributorInsightsStatus"] == "DISABLED"
    assert "ContributorInsightsRuleList" not in table
    assert "LastUpdateDateTime" in table
    for kwargs in (
        {"TableName": "missing"},
        {"TableName": "orders", "IndexName": "ghost"},
        {"TableName": "orders", "IndexName": "byDate"},  # a local index
    ):
        refused(ddb.describe_contributor_insights, "ResourceNotFoundException", **kwargs)
        refused(
            ddb.update_contributor_insights,
            "ResourceNotFoundException",
            ContributorInsightsAction="ENABLE",
            **kwargs,
        )
    ddb.update_table(
        TableName="orders", GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "byTotal"}}]
    )
    refused(
        ddb.describe_contributor_insights,
        "ResourceNotFoundException",
        TableName="orders",
        IndexName="byTotal",
    )


# -- Kinesis Data Streams destinations ------------------------------------------------


def test_one_kinesis_destination_at_a_time(emu: Emulator, ddb: Any) -> None:
    kinesis = emu.client("kinesis")
    for name in ("changes", "other"):
        kinesis.create_stream(StreamName=name, ShardCount=1)
    changes = f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/changes"
    other = f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/other"
    create(ddb, "orders", on_demand=True)
    assert (
        ddb.describe_kinesis_streaming_destination(TableName="orders")[
            "KinesisDataStreamDestinations"
        ]
        == []
    )
    answer = ddb.enable_kinesis_streaming_destination(
        TableName="orders",
        StreamArn=changes,
        EnableKinesisStreamingConfiguration={"ApproximateCreationDateTimePrecision": "MICROSECOND"},
    )
    assert answer["DestinationStatus"] == "ENABLING"
    assert ddb.describe_kinesis_streaming_destination(TableName="orders")[
        "KinesisDataStreamDestinations"
    ] == [
        {
            "StreamArn": changes,
            "DestinationStatus": "ACTIVE",
            "ApproximateCreationDateTimePrecision": "MICROSECOND",
        }
    ]
    for arn in (changes, other):
        message = refused(
            ddb.enable_kinesis_streaming_destination, TableName="orders", StreamArn=arn
        )
        assert "must be DISABLED or ENABLE_FAILED to perform ENABLE operation" in message
    assert "must be ACTIVE to perform DISABLE" in refused(
        ddb.disable_kinesis_streaming_destination, TableName="orders", StreamArn=other
    )
    off = ddb.disable_kinesis_streaming_destination(TableName="orders", StreamArn=changes)
    assert off["DestinationStatus"] == "DISABLING"
    listed = ddb.describe_kinesis_streaming_destination(TableName="orders")[
        "KinesisDataStreamDestinations"
    ]
    assert [(d["StreamArn"], d["DestinationStatus"]) for d in listed] == [(changes, "DISABLED")]
    missing = f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/missing"
    ddb.enable_kinesis_streaming_destination(TableName="orders", StreamArn=missing)
    listed = ddb.describe_kinesis_streaming_destination(TableName="orders")[
        "KinesisDataStreamDestinations"
    ]
    assert listed[0]["StreamArn"] == missing
    assert listed[0]["DestinationStatus"] == "ENABLE_FAILED"
    ddb.enable_kinesis_streaming_destination(TableName="orders", StreamArn=other)
    statuses = {
        d["StreamArn"]: d["DestinationStatus"]
        for d in ddb.describe_kinesis_streaming_destination(TableName="orders")[
            "KinesisDataStreamDestinations"
        ]
    }
    assert statuses == {other: "ACTIVE", missing: "ENABLE_FAILED", changes: "DISABLED"}
    refused(
        ddb.describe_kinesis_streaming_destination, "ResourceNotFoundException", TableName="missing"
    )


# -- RestoreTableFromBackup and DescribeBackup ----------------------------------------


def backup_of(ddb: Any, name: str) -> str:
    return str(
        ddb.create_backup(TableName=name, BackupName=f"{name}-backup")["BackupDetails"]["BackupArn"]
    )


def test_describe_backup_gives_the_indexes_as_backed_up(ddb: Any) -> None:
    create(ddb, "orders", on_demand=False)
    described_backup = ddb.describe_backup(BackupArn=backup_of(ddb, "orders"))["BackupDescription"]
    assert described_backup["SourceTableDetails"]["BillingMode"] == "PROVISIONED"
    assert described_backup["SourceTableDetails"]["ProvisionedThroughput"] == CAPACITY
    features = described_backup["SourceTableFeatureDetails"]
    assert features["GlobalSecondaryIndexes"] == [
        {**BY_TOTAL, "ProvisionedThroughput": CAPACITY},
        {**BY_CUSTOMER, "ProvisionedThroughput": CAPACITY},
    ]
    assert features["LocalSecondaryIndexes"] == [BY_DATE, BY_STATUS]
    create(ddb, "capped", on_demand=True, OnDemandThroughput={"MaxReadRequestUnits": 40})
    source = ddb.describe_backup(BackupArn=backup_of(ddb, "capped"))["BackupDescription"]
    assert source["SourceTableDetails"]["BillingMode"] == "PAY_PER_REQUEST"
    assert source["SourceTableDetails"]["OnDemandThroughput"] == {"MaxReadRequestUnits": 40}


def test_restore_overrides_keep_the_indexes_listed_with_their_settings(ddb: Any) -> None:
    create(ddb, "orders", on_demand=False)
    backup = backup_of(ddb, "orders")
    ddb.restore_table_from_backup(
        TargetTableName="on-demand-copy",
        BackupArn=backup,
        BillingModeOverride="PAY_PER_REQUEST",
        OnDemandThroughputOverride={"MaxReadRequestUnits": 60},
        GlobalSecondaryIndexOverride=[
            {**BY_CUSTOMER, "OnDemandThroughput": {"MaxWriteRequestUnits": 9}}
        ],
        LocalSecondaryIndexOverride=[BY_STATUS],
    )
    copy = described(ddb, "on-demand-copy")
    assert [i["IndexName"] for i in copy["GlobalSecondaryIndexes"]] == ["byCustomer"]
    assert [i["IndexName"] for i in copy["LocalSecondaryIndexes"]] == ["byStatus"]
    assert copy["OnDemandThroughput"] == {"MaxReadRequestUnits": 60}
    assert index(copy, "byCustomer")["OnDemandThroughput"] == {"MaxWriteRequestUnits": 9}
    assert index(copy, "byCustomer")["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert copy["WarmThroughput"]["ReadUnitsPerSecond"] == 12000
    ddb.restore_table_from_backup(
        TargetTableName="provisioned-copy",
        BackupArn=backup,
        GlobalSecondaryIndexOverride=[
            {
                **BY_TOTAL,
                "ProvisionedThroughput": {"ReadCapacityUnits": 30, "WriteCapacityUnits": 2},
                "WarmThroughput": {"ReadUnitsPerSecond": 500},
            }
        ],
    )
    copy = described(ddb, "provisioned-copy")
    assert index(copy, "byTotal")["ProvisionedThroughput"]["ReadCapacityUnits"] == 30
    assert index(copy, "byTotal")["WarmThroughput"] == {
        "ReadUnitsPerSecond": 500,
        "WriteUnitsPerSecond": 2,
        "Status": "ACTIVE",
    }
    assert [i["IndexName"] for i in copy["LocalSecondaryIndexes"]] == ["byDate", "byStatus"]


def test_restore_refuses_overrides_dynamodb_refuses_and_makes_no_table(ddb: Any) -> None:
    create(ddb, "orders", on_demand=False)
    backup = backup_of(ddb, "orders")
    unknown = {**BY_TOTAL, "KeySchema": [{"AttributeName": "customer", "KeyType": "HASH"}]}
    for overrides, expected in (
        (
            {
                "LocalSecondaryIndexOverride": [
                    {**BY_DATE, "IndexName": "new", "Projection": {"ProjectionType": "KEYS_ONLY"}}
                ]
            },
            "does not match a secondary index",
        ),
        (
            {"GlobalSecondaryIndexOverride": [{**unknown, "ProvisionedThroughput": CAPACITY}]},
            "does not match a secondary index",
        ),
        (
            {"GlobalSecondaryIndexOverride": [BY_TOTAL]},
            "Must specify provisioned throughput for index byTotal",
        ),
        (
            {"OnDemandThroughputOverride": {"MaxReadRequestUnits": 5}},
            "unless BillingModeOverride is PAY_PER_REQUEST",
        ),
        (
            {
                "BillingModeOverride": "PAY_PER_REQUEST",
                "OnDemandThroughputOverride": {"MaxReadRequestUnits": 0},
            },
            "outside of valid range",
        ),
        (
            {"BillingModeOverride": "PAY_PER_REQUEST", "ProvisionedThroughputOverride": CAPACITY},
            "Cannot override ProvisionedThroughput",
        ),
    ):
        message = refused(
            ddb.restore_table_from_backup, TargetTableName="copy", BackupArn=backup, **overrides
        )
        assert expected in message, overrides
        assert "copy" not in ddb.list_tables()["TableNames"]


def test_a_restored_table_keeps_the_maxima_and_loses_the_class(ddb: Any) -> None:
    create(
        ddb,
        "orders",
        on_demand=True,
        TableClass="STANDARD_INFREQUENT_ACCESS",
        OnDemandThroughput={"MaxReadRequestUnits": 70, "MaxWriteRequestUnits": 20},
        WarmThroughput={"ReadUnitsPerSecond": 20000},
    )
    ddb.update_contributor_insights(TableName="orders", ContributorInsightsAction="ENABLE")
    copy = ddb.restore_table_from_backup(TargetTableName="copy", BackupArn=backup_of(ddb, "orders"))
    copy = copy["TableDescription"]
    assert copy["OnDemandThroughput"] == {"MaxReadRequestUnits": 70, "MaxWriteRequestUnits": 20}
    assert "TableClassSummary" not in copy
    assert copy["WarmThroughput"]["ReadUnitsPerSecond"] == 12000  # a new table's
    assert [i["IndexName"] for i in copy["GlobalSecondaryIndexes"]] == ["byTotal", "byCustomer"]
    assert (
        ddb.describe_contributor_insights(TableName="copy")["ContributorInsightsStatus"]
        == "DISABLED"
    )


# -- point-in-time recovery and resource policies --------------------------------------


def test_point_in_time_recovery_keeps_its_period(ddb: Any) -> None:
    create(ddb, "orders", on_demand=True)
    ddb.update_continuous_backups(
        TableName="orders",
        PointInTimeRecoverySpecification={
            "PointInTimeRecoveryEnabled": True,
            "RecoveryPeriodInDays": 7,
        },
    )
    description = ddb.describe_continuous_backups(TableName="orders")[
        "ContinuousBackupsDescription"
    ]
    assert description["PointInTimeRecoveryDescription"]["RecoveryPeriodInDays"] == 7
    for specification in (
        {"PointInTimeRecoveryEnabled": False, "RecoveryPeriodInDays": 7},
        {"PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 36},
    ):
        refused(
            ddb.update_continuous_backups,
            TableName="orders",
            PointInTimeRecoverySpecification=specification,
        )
    ddb.update_continuous_backups(
        TableName="orders", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False}
    )
    ddb.update_continuous_backups(
        TableName="orders", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    description = ddb.describe_continuous_backups(TableName="orders")[
        "ContinuousBackupsDescription"
    ]
    assert description["PointInTimeRecoveryDescription"]["RecoveryPeriodInDays"] == 35


def test_a_resource_policy_is_replaced_and_goes_with_its_table(ddb: Any) -> None:
    arn = create(ddb, "orders", on_demand=True)["TableArn"]
    refused(ddb.get_resource_policy, "PolicyNotFoundException", ResourceArn=arn)
    ddb.delete_resource_policy(ResourceArn=arn)  # none: nothing to do
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
        "Resource": arn,
    }
    first = {"Version": "2012-10-17", "Statement": [{**statement, "Action": "dynamodb:GetItem"}]}
    second = {"Version": "2012-10-17", "Statement": [{**statement, "Action": "dynamodb:Query"}]}
    ddb.put_resource_policy(ResourceArn=arn, Policy=json.dumps(first))
    ddb.put_resource_policy(ResourceArn=arn, Policy=json.dumps(second))
    assert "dynamodb:Query" in ddb.get_resource_policy(ResourceArn=arn)["Policy"]
    ddb.delete_table(TableName="orders")
    create(ddb, "orders", on_demand=True)
    refused(ddb.get_resource_policy, "PolicyNotFoundException", ResourceArn=arn)


# -- Application Auto Scaling -----------------------------------------------------------


def tracking(metric: str) -> dict[str, Any]:
    return {"TargetValue": 70.0, "PredefinedMetricSpecification": {"PredefinedMetricType": metric}}


def test_auto_scaling_of_a_table_and_its_index(emu: Emulator, ddb: Any) -> None:
    scaling = emu.client("application-autoscaling")
    create(ddb, "orders", on_demand=False)
    table_read = {
        "ServiceNamespace": "dynamodb",
        "ResourceId": "table/orders",
        "ScalableDimension": "dynamodb:table:ReadCapacityUnits",
    }
    index_write = {
        "ServiceNamespace": "dynamodb",
        "ResourceId": "table/orders/index/byTotal",
        "ScalableDimension": "dynamodb:index:WriteCapacityUnits",
    }
    refused(scaling.register_scalable_target, **table_read, MinCapacity=10)  # a new one: both
    refused(
        scaling.put_scaling_policy,
        "ObjectNotFoundException",
        PolicyName="read",
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration=tracking("DynamoDBReadCapacityUtilization"),
        **table_read,
    )
    scaling.register_scalable_target(**table_read, MinCapacity=10, MaxCapacity=50)
    scaling.register_scalable_target(**index_write, MinCapacity=1, MaxCapacity=3)
    table = described(ddb, "orders")
    assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 10  # brought into range
    assert index(table, "byTotal")["ProvisionedThroughput"]["WriteCapacityUnits"] == 3
    for target, metric in (
        (table_read, "DynamoDBReadCapacityUtilization"),
        (index_write, "DynamoDBWriteCapacityUtilization"),
    ):
        scaling.put_scaling_policy(
            PolicyName=f"{metric}:{target['ResourceId']}",
            PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration=tracking(metric),
            **target,
        )
    targets = scaling.describe_scalable_targets(
        ServiceNamespace="dynamodb", ResourceIds=["table/orders"]
    )
    [target] = targets["ScalableTargets"]
    assert target["RoleARN"].endswith("/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable")
    assert target["SuspendedState"]["DynamicScalingInSuspended"] is False
    on_index = scaling.describe_scaling_policies(
        ServiceNamespace="dynamodb", ResourceId="table/orders/index/byTotal"
    )
    assert [p["ScalableDimension"] for p in on_index["ScalingPolicies"]] == [
        "dynamodb:index:WriteCapacityUnits"
    ]
    by_name = scaling.describe_scaling_policies(
        ServiceNamespace="dynamodb", PolicyNames=["DynamoDBReadCapacityUtilization:table/orders"]
    )
    policy = by_name["ScalingPolicies"][0]
    assert [p["ResourceId"] for p in by_name["ScalingPolicies"]] == ["table/orders"]
    configuration = policy["TargetTrackingScalingPolicyConfiguration"]
    assert (
        configuration["PredefinedMetricSpecification"]["PredefinedMetricType"]
        == "DynamoDBReadCapacityUtilization"
    )
    scaling.deregister_scalable_target(**table_read)  # with its policy
    left = scaling.describe_scaling_policies(ServiceNamespace="dynamodb")["ScalingPolicies"]
    assert [p["ResourceId"] for p in left] == ["table/orders/index/byTotal"]
    refused(scaling.deregister_scalable_target, "ObjectNotFoundException", **table_read)
    refused(
        scaling.delete_scaling_policy,
        "ObjectNotFoundException",
        PolicyName="DynamoDBReadCapacityUtilization:table/orders",
        **table_read,
    )


# -- the moto server ------------------------------------------------------------------------


def test_the_moto_server_has_the_settings_too(emu: Emulator) -> None:
    ddb = boto3.client("dynamodb", endpoint_url=emu.endpoint)
    create(ddb, "served", on_demand=True)
    ddb.update_table(TableName="served", TableClass="STANDARD_INFREQUENT_ACCESS")
    assert (
        described(ddb, "served")["TableClassSummary"]["TableClass"] == "STANDARD_INFREQUENT_ACCESS"
    )
    assert (
        ddb.describe_contributor_insights(TableName="served")["ContributorInsightsStatus"]
        == "DISABLED"
    )
