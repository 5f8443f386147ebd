"""restore_settings as AWS requests: RestoreTableFromBackup's overrides, StartRestoreJob's
metadata, and the UpdateTable requests after a restore that could not set them."""

from __future__ import annotations

import re
from typing import Any

import pytest

from rotator.restore_options import (
    RestoreOptions,
    not_set_by_start_restore_job,
    restore_table_overrides,
    start_restore_job_metadata,
    updates_after_restore,
)

KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
COPY = "Orders-staging-20240827-09-20-00"
ON_DEMAND = RestoreOptions(billing_mode="PAY_PER_REQUEST")
PROVISIONED_5_10 = RestoreOptions(billing_mode="PROVISIONED", read_capacity=5, write_capacity=10)
EVERYTHING = RestoreOptions(
    billing_mode="PROVISIONED",
    read_capacity=5,
    write_capacity=10,
    encryption="CUSTOMER_MANAGED",
    kms_key_arn=KEY,
    exclude_global_secondary_indexes=True,
)


def index(name: str, status: str = "ACTIVE") -> dict[str, Any]:
    return {
        "IndexName": name,
        "IndexStatus": status,
        "ProvisionedThroughput": {"ReadCapacityUnits": 50, "WriteCapacityUnits": 50},
    }


def described(
    mode: str | None = "PROVISIONED",
    read: int = 100,
    write: int = 200,
    indexes: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """DescribeTable's Table for the copy; ``mode=None``: no BillingModeSummary."""
    table: dict[str, Any] = {
        "TableName": COPY,
        "TableStatus": "ACTIVE",
        "ProvisionedThroughput": {
            "ReadCapacityUnits": read,
            "WriteCapacityUnits": write,
            "NumberOfDecreasesToday": 0,
        },
    }
    if mode is not None:
        table["BillingModeSummary"] = {"BillingMode": mode}
    if indexes is not None:
        table["GlobalSecondaryIndexes"] = indexes
    return table


# -- the settings themselves -------------------------------------------------------


def test_no_settings_keep_everything_the_backup_has() -> None:
    options = RestoreOptions()
    assert restore_table_overrides(options) == {}
    assert start_restore_job_metadata(COPY, options) == {"targetTableName": COPY}
    assert not_set_by_start_restore_job(options) == []
    assert updates_after_restore(described(indexes=[index("byCustomer")]), options) == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"billing_mode": "ON_DEMAND"},
            "billing_mode is 'ON_DEMAND'; expected PROVISIONED or PAY_PER_REQUEST, or none",
        ),
        (
            {"billing_mode": "PROVISIONED", "read_capacity": 5},
            "billing_mode is PROVISIONED but read_capacity and write_capacity are 5 and None; "
            "expected both",
        ),
        (
            {"billing_mode": "PAY_PER_REQUEST", "read_capacity": 5, "write_capacity": 5},
            "read_capacity and write_capacity are set but billing_mode is 'PAY_PER_REQUEST'",
        ),
        (
            {"write_capacity": 5},
            "read_capacity and write_capacity are set but billing_mode is None",
        ),
        (
            {"billing_mode": "PROVISIONED", "read_capacity": 0, "write_capacity": 5},
            "read_capacity is 0; expected a whole number of capacity units, at least 1",
        ),
        (
            {"billing_mode": "PROVISIONED", "read_capacity": 5, "write_capacity": 2.5},
            "write_capacity is 2.5; expected a whole number",
        ),
        (
            {"billing_mode": "PROVISIONED", "read_capacity": True, "write_capacity": 5},
            "read_capacity is True; expected a whole number",
        ),
        (
            {"encryption": "KMS"},
            "encryption is 'KMS'; expected one of AWS_OWNED, AWS_MANAGED, CUSTOMER_MANAGED",
        ),
        (
            {"encryption": "CUSTOMER_MANAGED"},
            "encryption is CUSTOMER_MANAGED and kms_key_arn is None; expected a KMS key ARN",
        ),
        (
            {"encryption": "CUSTOMER_MANAGED", "kms_key_arn": "alias/staging"},
            "encryption is CUSTOMER_MANAGED and kms_key_arn is 'alias/staging'; expected a KMS "
            "key ARN (arn:<partition>:kms:<region>:<account>:key/<key-id>)",
        ),
        (
            {"encryption": "AWS_MANAGED", "kms_key_arn": KEY},
            "kms_key_arn is set but encryption is 'AWS_MANAGED'; a key is only given with "
            "encryption CUSTOMER_MANAGED",
        ),
        ({"kms_key_arn": KEY}, "kms_key_arn is set but encryption is None"),
    ],
)
def test_settings_that_do_not_fit_together_say_what_was_expected(
    options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        RestoreOptions(**options)


# -- RestoreTableFromBackup ----------------------------------------------------------


def test_every_setting_is_a_restore_table_from_backup_override() -> None:
    assert restore_table_overrides(EVERYTHING) == {
        "BillingModeOverride": "PROVISIONED",
        "ProvisionedThroughputOverride": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 10},
        "GlobalSecondaryIndexOverride": [],
        "SSESpecificationOverride": {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": KEY},
    }


def test_an_on_demand_copy_has_no_throughput_override() -> None:
    assert restore_table_overrides(ON_DEMAND) == {"BillingModeOverride": "PAY_PER_REQUEST"}


@pytest.mark.parametrize(
    ("encryption", "specification"),
    [
        ("AWS_OWNED", {"Enabled": False}),
        ("AWS_MANAGED", {"Enabled": True, "SSEType": "KMS"}),
    ],
)
def test_the_aws_keys_are_chosen_without_naming_a_key(
    encryption: str, specification: dict[str, Any]
) -> None:
    overrides = restore_table_overrides(RestoreOptions(encryption=encryption))
    assert overrides == {"SSESpecificationOverride": specification}


def test_indexes_are_kept_unless_excluded() -> None:
    assert "GlobalSecondaryIndexOverride" not in restore_table_overrides(PROVISIONED_5_10)
    excluded = RestoreOptions(exclude_global_secondary_indexes=True)
    assert restore_table_overrides(excluded) == {"GlobalSecondaryIndexOverride": []}


# -- StartRestoreJob -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "encryption"),
    [
        (RestoreOptions(encryption="AWS_OWNED"), {"encryptionType": "Default"}),
        (RestoreOptions(encryption="AWS_MANAGED"), {"encryptionType": "KMS"}),
        (EVERYTHING, {"encryptionType": "KMS", "kmsMasterKeyArn": KEY}),
    ],
)
def test_start_restore_job_metadata_carries_the_encryption(
    options: RestoreOptions, encryption: dict[str, str]
) -> None:
    assert start_restore_job_metadata(COPY, options) == {"targetTableName": COPY, **encryption}


def test_a_recovery_point_from_elsewhere_is_never_restored_with_its_encryption_unnamed() -> None:
    assert start_restore_job_metadata(COPY, RestoreOptions(), source_elsewhere=True) == {
        "targetTableName": COPY,
        "encryptionType": "Default",
    }
    # a key that is set stays the key
    assert start_restore_job_metadata(COPY, EVERYTHING, source_elsewhere=True) == {
        "targetTableName": COPY,
        "encryptionType": "KMS",
        "kmsMasterKeyArn": KEY,
    }


def test_billing_throughput_and_indexes_are_what_start_restore_job_cannot_set() -> None:
    assert not_set_by_start_restore_job(EVERYTHING) == [
        "billing_mode",
        "read_capacity",
        "write_capacity",
        "exclude_global_secondary_indexes",
    ]
    assert not_set_by_start_restore_job(ON_DEMAND) == ["billing_mode"]
    assert not_set_by_start_restore_job(RestoreOptions(encryption="AWS_MANAGED")) == []


# -- UpdateTable after the restore ----------------------------------------------------


def test_each_index_is_deleted_by_its_own_request_before_the_billing_mode_changes() -> None:
    table = described(indexes=[index("byCustomer"), index("byDate")])
    options = RestoreOptions(billing_mode="PAY_PER_REQUEST", exclude_global_secondary_indexes=True)
    assert updates_after_restore(table, options) == [
        {
            "TableName": COPY,
            "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": "byCustomer"}}],
        },
        {"TableName": COPY, "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": "byDate"}}]},
        {"TableName": COPY, "BillingMode": "PAY_PER_REQUEST"},
    ]


def test_an_index_already_being_deleted_is_not_deleted_again() -> None:
    table = described(indexes=[index("byCustomer", "DELETING"), index("byDate")])
    options = RestoreOptions(exclude_global_secondary_indexes=True)
    assert updates_after_restore(table, options) == [
        {"TableName": COPY, "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": "byDate"}}]},
    ]


def test_switching_to_provisioned_gives_the_table_and_its_kept_indexes_the_capacity() -> None:
    table = described("PAY_PER_REQUEST", 0, 0, indexes=[index("byCustomer")])
    capacity = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 10}
    assert updates_after_restore(table, PROVISIONED_5_10) == [
        {
            "TableName": COPY,
            "BillingMode": "PROVISIONED",
            "ProvisionedThroughput": capacity,
            "GlobalSecondaryIndexUpdates": [
                {"Update": {"IndexName": "byCustomer", "ProvisionedThroughput": capacity}}
            ],
        }
    ]


def test_switching_to_provisioned_after_deleting_the_indexes_names_no_index() -> None:
    table = described("PAY_PER_REQUEST", 0, 0, indexes=[index("byCustomer")])
    assert updates_after_restore(table, EVERYTHING) == [
        {
            "TableName": COPY,
            "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": "byCustomer"}}],
        },
        {
            "TableName": COPY,
            "BillingMode": "PROVISIONED",
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 10},
        },
    ]


def test_a_provisioned_copy_with_other_capacity_gets_only_the_capacity() -> None:
    table = described("PROVISIONED", 100, 200, indexes=[index("byCustomer")])
    assert updates_after_restore(table, PROVISIONED_5_10) == [
        {
            "TableName": COPY,
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 10},
        }
    ]


def test_a_table_without_billing_mode_summary_is_provisioned() -> None:
    # DescribeTable leaves BillingModeSummary out for a table that was always provisioned
    assert updates_after_restore(described(None, 5, 10), PROVISIONED_5_10) == []
    assert updates_after_restore(described(None), ON_DEMAND) == [
        {"TableName": COPY, "BillingMode": "PAY_PER_REQUEST"}
    ]


@pytest.mark.parametrize(
    ("table", "options"),
    [
        (described("PAY_PER_REQUEST", 0, 0), ON_DEMAND),
        (described("PROVISIONED", 5, 10), PROVISIONED_5_10),
        (described("PROVISIONED", 5, 10, indexes=[]), EVERYTHING),
        # encryption is set at restore time on both paths, never after
        (described("PAY_PER_REQUEST", 0, 0), RestoreOptions(encryption="AWS_OWNED")),
        (described("PROVISIONED", 5, 10), RestoreOptions(encryption="AWS_MANAGED")),
    ],
)
def test_a_copy_that_has_the_settings_needs_no_update(
    table: dict[str, Any], options: RestoreOptions
) -> None:
    assert updates_after_restore(table, options) == []


# --- indexes to keep and their capacity ------------------------------------------

BACKUP = {
    "SourceTableDetails": {"BillingMode": "PROVISIONED"},
    "SourceTableFeatureDetails": {
        "GlobalSecondaryIndexes": [
            {
                "IndexName": name,
                "KeySchema": [{"AttributeName": name, "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
                "ProvisionedThroughput": {"ReadCapacityUnits": 500, "WriteCapacityUnits": 200},
            }
            for name in ("byTotal", "byCustomer", "reportDaily")
        ],
        "LocalSecondaryIndexes": [
            {
                "IndexName": name,
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
            for name in ("byDate", "byStatus")
        ],
    },
}


def test_a_subset_of_indexes_is_restored_with_their_definitions_and_capacity() -> None:
    options = RestoreOptions(
        billing_mode="PROVISIONED",
        read_capacity=10,
        write_capacity=5,
        global_secondary_indexes=("by*",),
        local_secondary_indexes=("byStatus",),
        index_capacity=(("byC*", 3, 2),),
    )
    overrides = restore_table_overrides(options, BACKUP)
    kept = overrides["GlobalSecondaryIndexOverride"]
    assert [i["IndexName"] for i in kept] == ["byTotal", "byCustomer"]
    # index_capacity's where a pattern matches, else the backup's
    assert [i["ProvisionedThroughput"]["ReadCapacityUnits"] for i in kept] == [500, 3]
    assert kept[0]["KeySchema"] == [{"AttributeName": "byTotal", "KeyType": "HASH"}]
    assert [i["IndexName"] for i in overrides["LocalSecondaryIndexOverride"]] == ["byStatus"]
    with pytest.raises(ValueError, match="expected the backup's description"):
        restore_table_overrides(options)


def test_an_on_demand_copys_indexes_take_no_capacity() -> None:
    options = RestoreOptions(billing_mode="PAY_PER_REQUEST", global_secondary_indexes=("byTotal",))
    kept = restore_table_overrides(options, BACKUP)["GlobalSecondaryIndexOverride"]
    assert [set(i) for i in kept] == [{"IndexName", "KeySchema", "Projection"}]
    assert "LocalSecondaryIndexOverride" not in restore_table_overrides(options, BACKUP)


def test_after_an_aws_backup_restore_the_indexes_not_kept_are_deleted_one_a_call() -> None:
    options = RestoreOptions(global_secondary_indexes=("by*",))
    table = {
        "TableName": "t",
        "GlobalSecondaryIndexes": [
            {"IndexName": "byTotal"},
            {"IndexName": "reportDaily"},
            {"IndexName": "reportWeekly", "IndexStatus": "DELETING"},
        ],
    }
    assert updates_after_restore(table, options) == [
        {
            "TableName": "t",
            "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": "reportDaily"}}],
        }
    ]


def test_index_capacity_is_applied_to_a_provisioned_copy_one_index_a_call() -> None:
    options = RestoreOptions(
        billing_mode="PROVISIONED",
        read_capacity=10,
        write_capacity=5,
        index_capacity=(("*", 3, 2),),
    )
    wanted = {"ReadCapacityUnits": 3, "WriteCapacityUnits": 2}
    on_demand = {
        "TableName": "t",
        "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
        "GlobalSecondaryIndexes": [{"IndexName": "a"}],
    }
    switch = updates_after_restore(on_demand, options)
    assert switch[0]["GlobalSecondaryIndexUpdates"] == [
        {"Update": {"IndexName": "a", "ProvisionedThroughput": wanted}}
    ]
    provisioned = {
        "TableName": "t",
        "ProvisionedThroughput": {"ReadCapacityUnits": 10, "WriteCapacityUnits": 5},
        "GlobalSecondaryIndexes": [
            {"IndexName": "a", "ProvisionedThroughput": wanted},
            {
                "IndexName": "b",
                "ProvisionedThroughput": {"ReadCapacityUnits": 9, "WriteCapacityUnits": 9},
            },
        ],
    }
    assert updates_after_restore(provisioned, options) == [
        {
            "TableName": "t",
            "GlobalSecondaryIndexUpdates": [
                {"Update": {"IndexName": "b", "ProvisionedThroughput": wanted}}
            ],
        }
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"exclude_global_secondary_indexes": True, "global_secondary_indexes": ("a",)},
            "both set",
        ),
        ({"index_capacity": (("a", 1, 1),)}, "only given with billing_mode PROVISIONED"),
        (
            {
                "billing_mode": "PROVISIONED",
                "read_capacity": 1,
                "write_capacity": 1,
                "index_capacity": (("a", 0, 1),),
            },
            "index_capacity\\['a'\\].read_capacity",
        ),
    ],
)
def test_bad_index_settings_say_what_was_expected(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RestoreOptions(**options)


def test_capacity_auto_scaling_manages_is_not_set_back() -> None:
    options = RestoreOptions(
        billing_mode="PROVISIONED",
        read_capacity=10,
        write_capacity=5,
        index_capacity=(("*", 3, 2),),
    )
    moved = {"ReadCapacityUnits": 40, "WriteCapacityUnits": 20}
    table = {
        "TableName": "t",
        "ProvisionedThroughput": moved,
        "GlobalSecondaryIndexes": [{"IndexName": "a", "ProvisionedThroughput": moved}],
    }
    assert len(updates_after_restore(table, options)) == 2
    assert updates_after_restore(table, options, frozenset({"", "a"})) == []
