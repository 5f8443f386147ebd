"""The pointer: one parameter per table with placeholders, and never back to an older
copy when rotations of one table overlap."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.emulator.events import backup_completed, sns_event
from tests.emulator.harness import Emulator, Settings

PER_TABLE = Settings(
    ssm_parameter_name="/staging/{source_table}/table-arn",
    ssm_parameter_tier="Standard",
    ssm_parameter_description="The newest checked staging copy",
    ssm_parameter_tags={"team": "data"},
)
ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/"


def rotation_of(
    emulator: Emulator, table_arn: str, table: str, job_id: str, start: str, advanced: bool = False
) -> Any:
    """A rotation of a classic backup or (``advanced``) an AWS Backup recovery point."""
    point = emulator.create_recovery_point(table) if advanced else emulator.create_backup(table)
    return emulator.rotate(
        sns_event(backup_completed(point, table_arn, job_id=job_id, start_time=start))
    )


@pytest.mark.parametrize("advanced", [False, True], ids=["dynamodb backup", "aws backup"])
def test_an_older_backup_finishing_last_leaves_the_pointer_on_the_newer_copy(
    make_emulator: Any, advanced: bool
) -> None:
    # the rotations run after all three backups started (a copy named after a time
    # still to come is no copy the parameter may keep)
    emulator = make_emulator(Settings(), start_time=datetime(2024, 8, 29, 10, 0, tzinfo=UTC))
    table_arn = emulator.create_source_table("Orders-Production", items=3)
    start = "2024-08-28T09:20:00Z"
    newer = rotation_of(emulator, table_arn, "Orders-Production", "job-new", start, advanced)
    assert newer.status == "SUCCEEDED", newer.cause
    start = "2024-08-27T09:20:00Z"
    older = rotation_of(emulator, table_arn, "Orders-Production", "job-old", start, advanced)

    assert older.status == "SUCCEEDED", older.cause  # the older copy is made and checked
    assert older.output is not None and older.output["publish"]["moved"] is False
    assert emulator.parameter()["Value"] == ARN + "Orders-staging-20240828-09-20-00"
    assert emulator.parameter()["Version"] == 1
    assert "Orders-staging-20240827-09-20-00" in emulator.table_names()
    # a later backup still moves it
    start = "2024-08-29T09:20:00Z"
    latest = rotation_of(emulator, table_arn, "Orders-Production", "job-3", start, advanced)
    assert latest.output is not None and latest.output["publish"]["moved"] is True
    assert emulator.parameter()["Value"] == ARN + "Orders-staging-20240829-09-20-00"


def test_each_table_gets_its_own_parameter(make_emulator: Any) -> None:
    emulator = make_emulator(PER_TABLE)
    for table in ("Orders-Production", "Users-Production"):
        table_arn = emulator.create_source_table(table, items=2)
        rotation = rotation_of(emulator, table_arn, table, f"job-{table}", "2024-08-27T09:20:00Z")
        assert rotation.status == "SUCCEEDED", rotation.cause
        assert rotation.output is not None
        assert rotation.output["publish"]["parameter_name"] == f"/staging/{table}/table-arn"

    orders = emulator.parameter("/staging/Orders-Production/table-arn")
    users = emulator.parameter("/staging/Users-Production/table-arn")
    assert orders["Value"] == ARN + "Orders-staging-20240827-09-20-00"
    assert users["Value"] == ARN + "Users-staging-20240827-09-20-00"
    described = emulator.ssm.describe_parameters()["Parameters"]
    assert {p["Description"] for p in described} == {"The newest checked staging copy"}
    assert {p["Tier"] for p in described} == {"Standard"}
    for name in ("/staging/Orders-Production/table-arn", "/staging/Users-Production/table-arn"):
        tags = emulator.ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId=name)
        assert tags["TagList"] == [{"Key": "team", "Value": "data"}]
