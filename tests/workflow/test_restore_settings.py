"""restore_settings end to end: the module planned with them (real Terraform), a rotation
of a busy production table on each restore path, and the copy DynamoDB ends up holding."""

from __future__ import annotations

from typing import Any

import pytest

from rotator.restore_options import RestoreOptions, updates_after_restore
from tests.emulator.harness import BUSY_TABLE, COPY_KEY_ARN, STAGING_COPIES, Emulator

COPY = "Orders-staging-20240827-09-20-00"
KEY = COPY_KEY_ARN
# STAGING_COPIES' restore_settings, as the functions read them
OPTIONS = RestoreOptions(
    billing_mode="PAY_PER_REQUEST",
    encryption="CUSTOMER_MANAGED",
    kms_key_arn=KEY,
    exclude_global_secondary_indexes=True,
)


@pytest.fixture
def staging(make_emulator: Any) -> Emulator:
    emulator: Emulator = make_emulator(STAGING_COPIES)
    return emulator


def the_copy(emulator: Emulator) -> dict[str, Any]:
    return dict(emulator.dynamodb.describe_table(TableName=COPY)["Table"])


def test_terraform_gives_the_start_restore_function_the_settings(staging: Emulator) -> None:
    environment = staging.rendering.functions["start_restore"].environment
    assert {name: value for name, value in environment.items() if "RESTORE_" in name} == {
        "RESTORE_BILLING_MODE": "PAY_PER_REQUEST",
        "RESTORE_READ_CAPACITY": "",
        "RESTORE_WRITE_CAPACITY": "",
        "RESTORE_ENCRYPTION": "CUSTOMER_MANAGED",
        "RESTORE_KMS_KEY_ARN": KEY,
        "RESTORE_EXCLUDE_GLOBAL_SECONDARY_INDEXES": "true",
        "RESTORE_GLOBAL_SECONDARY_INDEXES": "null",
        "RESTORE_LOCAL_SECONDARY_INDEXES": "null",
        "RESTORE_INDEX_CAPACITY": "null",
        "RESTORE_ROLE_ARN": "arn:aws:iam::123456789012:role/ddb-rotator-restore",
        "RESTORE_TIMEOUT_SECONDS": "86400",
        "RESTORE_COPIES": "false",
    }


def test_a_classic_backup_becomes_an_on_demand_copy_with_the_key_and_no_indexes(
    staging: Emulator,
) -> None:
    event = staging.backup_notification("Orders-Production", items=25, source=BUSY_TABLE)
    rotation = staging.rotate(event)
    assert rotation.status == "SUCCEEDED", rotation.cause
    copy = the_copy(staging)
    assert copy["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert copy["SSEDescription"]["KMSMasterKeyArn"] == KEY
    assert copy["GlobalSecondaryIndexes"] == []
    assert staging.item_count(COPY) == 25
    assert staging.parameter()["Value"] == copy["TableArn"]
    # the source is as it was: provisioned, with its index
    source = staging.dynamodb.describe_table(TableName="Orders-Production")["Table"]
    assert source["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
    assert [index["IndexName"] for index in source["GlobalSecondaryIndexes"]] == ["byTotal"]
    assert updates_after_restore(copy, OPTIONS) == []


def test_an_aws_backup_recovery_point_becomes_a_copy_with_the_key(staging: Emulator) -> None:
    event = staging.advanced_backup_notification("Orders-Production", items=25, source=BUSY_TABLE)
    rotation = staging.rotate(event)
    assert rotation.status == "SUCCEEDED", rotation.cause
    copy = the_copy(staging)
    # set at restore time, by StartRestoreJob's metadata
    assert copy["SSEDescription"]["KMSMasterKeyArn"] == KEY
    assert staging.item_count(COPY) == 25
    # not settable there: applied after the restore by Configure, one UpdateTable a call
    assert copy["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert not copy.get("GlobalSecondaryIndexes")
    assert updates_after_restore(copy, OPTIONS) == []
    configures = [i for i in staging.invocations if i.function == "configure"]
    assert [c.error for c in configures] == ["CopyNotSettled", "CopyNotSettled", None]
