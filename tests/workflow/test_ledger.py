"""The ledger of copies decides which tables are the rotator's: a table someone else
restored under the copy's name is never adopted, and a parameter value the ledger does
not back is taken over with a warning."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.emulator.events import backup_completed, sns_event
from tests.emulator.harness import Emulator

SOURCE = "Orders-Production"
COPY = "Orders-staging-20240827-09-20-00"


@pytest.mark.parametrize("advanced", [False, True], ids=["classic backup", "AWS Backup"])
def test_a_table_restored_by_someone_else_from_the_same_backup_is_not_adopted(
    emulator: Emulator, advanced: bool
) -> None:
    table_arn = emulator.create_source_table(SOURCE, items=3)
    backup = emulator.create_backup(SOURCE)
    point = (
        emulator.recovery_points.create("us-east-1", "123456789012", backup) if advanced else backup
    )
    # before the rotation, someone restores the very same backup under the copy's name
    emulator.dynamodb.restore_table_from_backup(TargetTableName=COPY, BackupArn=backup)
    theirs = emulator.dynamodb.describe_table(TableName=COPY)["Table"]["TableId"]

    rotation = emulator.rotate(sns_event(backup_completed(point, table_arn, job_id="job-1")))

    assert (rotation.status, rotation.error) == ("FAILED", "TargetTableConflict"), rotation.cause
    assert "made by someone else before this rotation claimed the name" in (rotation.cause or "")
    assert emulator.dynamodb.describe_table(TableName=COPY)["Table"]["TableId"] == theirs
    entry = emulator.ledger_entry(COPY)
    assert entry is not None and (entry.state, entry.table_id) == ("failed", None)
    assert "/staging/database-arn" not in {
        p["Name"] for p in emulator.ssm.describe_parameters()["Parameters"]
    }


def test_a_name_another_rotation_claimed_is_a_conflict_and_its_entry_is_untouched(
    emulator: Emulator,
) -> None:
    table_arn = emulator.create_source_table(SOURCE, items=3)
    first = emulator.rotate(
        sns_event(backup_completed(emulator.create_backup(SOURCE), table_arn, job_id="job-1"))
    )
    assert first.status == "SUCCEEDED", first.cause
    before = emulator.ledger_entry(COPY)

    # another backup job that started at the same second: the same copy name
    again = emulator.rotate(
        sns_event(backup_completed(emulator.create_backup(SOURCE), table_arn, job_id="job-2"))
    )

    assert (again.status, again.error) == ("FAILED", "TargetTableConflict")
    assert "belongs to backup job job-1" in (again.cause or "")
    assert emulator.ledger_entry(COPY) == before


def test_a_hand_set_parameter_naming_a_missing_far_future_copy_is_replaced_with_a_warning(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="rotator")
    held = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-staging-20991231-23-59-59"
    emulator.ssm.put_parameter(Name="/staging/database-arn", Value=held, Type="String")
    table_arn = emulator.create_source_table(SOURCE, items=3)

    rotation = emulator.rotate(
        sns_event(backup_completed(emulator.create_backup(SOURCE), table_arn, job_id="job-1"))
    )

    assert rotation.status == "SUCCEEDED", rotation.cause
    copy_arn = emulator.dynamodb.describe_table(TableName=COPY)["Table"]["TableArn"]
    assert emulator.parameter()["Value"] == copy_arn
    [warning] = [
        r
        for r in caplog.records
        if r.name == "rotator.handlers.publish" and r.levelno == logging.WARNING
    ]
    assert f"the parameter held {held!r}" in warning.getMessage()
    assert "does not record as the rotator's" in warning.getMessage()


def test_a_recorded_copy_that_was_deleted_by_hand_loses_the_parameter_with_a_warning(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="rotator")
    table_arn = emulator.create_source_table(SOURCE, items=3)
    later = "Orders-staging-20240829-09-20-00"  # a later backup's copy, recorded, then gone
    emulator.create_source_table(later, items=1)
    emulator.record_copy(
        later, SOURCE, emulator.create_backup(SOURCE), datetime(2024, 8, 29, tzinfo=UTC)
    )
    arn = emulator.dynamodb.describe_table(TableName=later)["Table"]["TableArn"]
    emulator.ssm.put_parameter(Name="/staging/database-arn", Value=arn, Type="String")
    emulator.dynamodb.delete_table(TableName=later)

    rotation = emulator.rotate(
        sns_event(backup_completed(emulator.create_backup(SOURCE), table_arn, job_id="job-1"))
    )

    assert rotation.status == "SUCCEEDED", rotation.cause
    assert emulator.parameter()["Value"].endswith(":table/" + COPY)
    messages = [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and r.name.endswith("publish")
    ]
    assert messages == [
        f"parameter /staging/database-arn: the parameter held {arn!r}, a table that no longer "
        f"exists; replaced by {COPY}"
    ]


def entries(emulator: Emulator) -> list[dict[str, Any]]:
    return list(emulator.dynamodb.scan(TableName=emulator.ledger_table)["Items"])


def test_a_rotation_leaves_one_published_entry_with_the_copys_table_id(emulator: Emulator) -> None:
    table_arn = emulator.create_source_table(SOURCE, items=3)
    rotation = emulator.rotate(
        sns_event(backup_completed(emulator.create_backup(SOURCE), table_arn, job_id="job-1"))
    )
    assert rotation.status == "SUCCEEDED", rotation.cause
    [item] = entries(emulator)
    entry = emulator.ledger_entry(COPY)
    assert entry is not None and item["copy"] == {"S": COPY}
    assert (entry.state, entry.job_id, entry.source_table) == ("published", "job-1", SOURCE)
    assert entry.table_id == emulator.dynamodb.describe_table(TableName=COPY)["Table"]["TableId"]
