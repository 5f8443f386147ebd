"""The Configure step: what a restore does not carry, put on the copy before anything
points at it, and the built-in check that the copy holds data."""

from __future__ import annotations

from typing import Any

import pytest

from rotator.cleanup import RECOVERY_POINT_TAG, RESTORED_AT_TAG, ROTATOR_TAG, SOURCE_TABLE_TAG
from rotator.errors import CopyNotVerified
from tests.emulator.events import backup_completed, sns_event
from tests.emulator.harness import Emulator, Settings, state_transitions

COPY = "Orders-staging-20240827-09-20-00"
EVERYTHING = Settings(
    copy_source_tags=True,
    copy_settings={
        "copy_source_ttl": True,
        "copy_source_streams": True,
        "point_in_time_recovery": True,
        "deletion_protection": True,
    },
    tags={"team": "data", "env": "staging"},
)


def tags_of(emulator: Emulator, table: str) -> dict[str, str]:
    arn = emulator.dynamodb.describe_table(TableName=table)["Table"]["TableArn"]
    found = emulator.dynamodb.list_tags_of_resource(ResourceArn=arn)["Tags"]
    return {t["Key"]: t["Value"] for t in found}


def source_with_settings(emulator: Emulator, name: str = "Orders-Production") -> str:
    """A source table with TTL, a stream and tags of its own; returns its ARN."""
    arn = emulator.create_source_table(name, items=4)
    emulator.dynamodb.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"}
    )
    emulator.dynamodb.update_table(
        TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    )
    emulator.dynamodb.tag_resource(
        ResourceArn=arn,
        Tags=[
            {"Key": "cost-center", "Value": "1234"},
            {"Key": "env", "Value": "production"},  # the module's tag wins on the copy
            {"Key": ROTATOR_TAG, "Value": "someone-else"},  # never passed on
        ],
    )
    return arn


@pytest.mark.parametrize("advanced", [False, True], ids=["dynamodb backup", "aws backup"])
def test_every_copy_carries_the_module_tags_and_the_rotators_bookkeeping(
    make_emulator: Any, advanced: bool
) -> None:
    emulator = make_emulator(EVERYTHING, restore_seconds=90)  # one plan for this file
    event = (
        emulator.advanced_backup_notification("Orders-Production")
        if advanced
        else emulator.backup_notification("Orders-Production")
    )
    rotation = emulator.rotate(event)
    assert rotation.status == "SUCCEEDED", rotation.cause

    tags = tags_of(emulator, COPY)
    assert rotation.output is not None
    point = rotation.output["backup"]["recovery_point_arn"]
    assert tags == {
        "team": "data",
        "env": "staging",
        ROTATOR_TAG: "ddb-rotator",
        SOURCE_TABLE_TAG: "Orders-Production",
        RECOVERY_POINT_TAG: point[-256:],
        RESTORED_AT_TAG: "2024-08-27T09:40:00Z",
    }


@pytest.mark.parametrize(
    ("advanced", "entered"), [(False, 5), (True, 6)], ids=["dynamodb backup", "aws backup"]
)
def test_a_copy_gets_the_sources_settings_and_the_configured_ones(
    make_emulator: Any, advanced: bool, entered: int
) -> None:
    emulator = make_emulator(EVERYTHING)
    table_arn = source_with_settings(emulator)
    point = (
        emulator.create_recovery_point("Orders-Production")
        if advanced
        else emulator.create_backup("Orders-Production")
    )
    rotation = emulator.rotate(sns_event(backup_completed(point, table_arn)))
    assert rotation.status == "SUCCEEDED", rotation.cause

    copy = emulator.dynamodb.describe_table(TableName=COPY)["Table"]
    assert copy["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    assert copy["DeletionProtectionEnabled"] is True
    ttl = emulator.dynamodb.describe_time_to_live(TableName=COPY)["TimeToLiveDescription"]
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "expires")
    backups = emulator.dynamodb.describe_continuous_backups(TableName=COPY)
    pitr = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    assert pitr["PointInTimeRecoveryStatus"] == "ENABLED"
    tags = tags_of(emulator, COPY)
    assert tags["cost-center"] == "1234"
    assert tags["env"] == "staging" and tags["team"] == "data"
    assert tags[ROTATOR_TAG] == "ddb-rotator"
    # two UpdateTable requests (Streams, deletion protection), one a call: three calls
    configures = [i for i in emulator.invocations if i.function == "configure"]
    assert [c.error for c in configures] == ["CopyNotSettled", "CopyNotSettled", None]
    # every state entered once (the AWS Backup path also enters AwaitRestoreJob), and
    # Configure's two retries
    assert state_transitions(rotation.history) == entered + 2


def test_a_copy_of_a_deleted_source_is_configured_without_it(make_emulator: Any) -> None:
    emulator = make_emulator(EVERYTHING)
    event = emulator.backup_notification("Orders-Production")
    emulator.dynamodb.delete_table(TableName="Orders-Production")
    rotation = emulator.rotate(event)
    assert rotation.status == "SUCCEEDED", rotation.cause
    tags = tags_of(emulator, COPY)
    assert tags[SOURCE_TABLE_TAG] == "Orders-Production" and "cost-center" not in tags


def test_a_copy_without_the_items_its_backup_had_stops_the_rotation(emulator: Emulator) -> None:
    backup = _backup(emulator, items=5)
    step = emulator.call("start_restore", {"backup": backup})
    for number in range(5):
        emulator.dynamodb.delete_item(TableName=COPY, Key={"pk": {"S": f"order-{number:04d}"}})
    with pytest.raises(CopyNotVerified, match=f"copy {COPY} is empty, but its backup holds 500"):
        emulator.call("configure", {"backup": backup, "restore": step})


def test_a_copy_of_an_empty_backup_may_be_empty(emulator: Emulator) -> None:
    rotation = emulator.rotate(emulator.backup_notification("Orders-Production", items=0))
    assert rotation.status == "SUCCEEDED", rotation.cause
    assert rotation.output is not None
    assert rotation.output["configuration"]["sampled_items"] == 0


def _backup(emulator: Emulator, items: int) -> dict[str, Any]:
    arn = emulator.create_source_table("Orders-Production", items)
    backup: dict[str, Any] = emulator.recorded_input(
        emulator.create_backup("Orders-Production"), arn
    )["backup"]
    return backup
