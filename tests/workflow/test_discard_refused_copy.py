"""delete_copy_on_hook_failure: the copy a hook refused is deleted by the
DiscardRefusedCopy step, unless the ledger of copies does not record it as this
rotation's copy (or its table is not the one recorded), the parameter names it, or it
has deletion protection; the rotation fails with the hook's error
either way and the parameter stays where it was."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from tests.emulator.events import backup_completed, sns_event
from tests.emulator.harness import CHECK_HOOK_ARN, DISCARDING, Emulator, Rotation
from tests.workflow.test_hooks import ONE_HOOK, create_hook, set_hook_handler, states_entered

SOURCE = "Orders-Production"
COPY = "Orders-staging-20240827-09-20-00"
REFUSED = "Orders-staging-20240828-09-20-00"


def published_then_refused(emulator: Emulator, advanced: bool) -> Rotation:
    """A first rotation the hook accepts, then one of the next day's backup it refuses."""
    create_hook(emulator, CHECK_HOOK_ARN, "count_items")
    table_arn = emulator.create_source_table(SOURCE, items=3)
    for job, day in (("job-1", "27"), ("job-2", "28")):
        if job == "job-2":
            set_hook_handler(emulator, "check-copy", "reject")
        point = (
            emulator.create_recovery_point(SOURCE) if advanced else emulator.create_backup(SOURCE)
        )
        start = f"2024-08-{day}T09:20:00Z"
        rotation = emulator.rotate(
            sns_event(backup_completed(point, table_arn, job_id=job, start_time=start))
        )
        if job == "job-1":
            assert rotation.status == "SUCCEEDED", rotation.cause
    return rotation


def discards(emulator: Emulator) -> list[Any]:
    return [i for i in emulator.invocations if i.function == "discard_copy"]


@pytest.mark.parametrize("advanced", [False, True], ids=["dynamodb backup", "aws backup"])
def test_the_copy_a_hook_refused_is_deleted_and_the_parameter_stays(
    make_emulator: Any, advanced: bool
) -> None:
    emulator = make_emulator(DISCARDING)
    rotation = published_then_refused(emulator, advanced)

    assert (rotation.status, rotation.error) == ("FAILED", "CopyRejected")
    assert json.loads(rotation.cause or "")["errorType"] == "CopyRejected"
    assert REFUSED not in emulator.table_names()
    assert COPY in emulator.table_names()
    assert emulator.parameter()["Value"].endswith(":table/" + COPY)
    [discard] = discards(emulator)
    assert discard.result == {"table_name": REFUSED, "deleted": True, "reason": "refused-by-hook"}
    assert states_entered(rotation)[-5:] == [
        "DiscardRefusedCopy",
        "RunHooksFailed",
        "DescribeFailure",
        "NotifyFailure",
        "RotationFailed",
    ]


def test_a_refused_copy_the_parameter_names_is_not_deleted(make_emulator: Any) -> None:
    emulator = make_emulator(DISCARDING)

    def point_at_the_refused_copy(_: Any) -> None:  # as another rotation might have
        arn = emulator.dynamodb.describe_table(TableName=REFUSED)["Table"]["TableArn"]
        emulator.ssm.put_parameter(
            Name="/staging/database-arn", Value=arn, Type="String", Overwrite=True
        )

    emulator.before_step("discard_copy", point_at_the_refused_copy)
    rotation = published_then_refused(emulator, advanced=False)

    assert (rotation.status, rotation.error) == ("FAILED", "CopyRejected")
    assert REFUSED in emulator.table_names()
    assert discards(emulator)[0].result["reason"] == "named-by-parameter"


def test_a_refused_copy_the_ledger_records_for_another_rotation_is_not_deleted(
    make_emulator: Any,
) -> None:
    emulator = make_emulator(DISCARDING)

    def another_rotations_entry(_: Any) -> None:  # as if an older backup's copy had the name
        entry = emulator.ledger_entry(REFUSED)
        assert entry is not None
        other = replace(entry, recovery_point_arn=entry.recovery_point_arn + "0", job_id="job-0")
        emulator.dynamodb.put_item(TableName=emulator.ledger_table, Item=other.to_item())

    emulator.before_step("discard_copy", another_rotations_entry)
    rotation = published_then_refused(emulator, advanced=False)

    assert rotation.error == "CopyRejected"
    assert REFUSED in emulator.table_names()
    assert discards(emulator)[0].result["reason"] == "not-this-rotations-copy"


def test_a_refused_copy_whose_table_was_replaced_is_not_deleted(make_emulator: Any) -> None:
    emulator = make_emulator(DISCARDING)

    def replace_the_table(_: Any) -> None:  # someone deletes it and makes their own
        emulator.dynamodb.delete_table(TableName=REFUSED)
        emulator.create_source_table(REFUSED, items=4)

    emulator.before_step("discard_copy", replace_the_table)
    rotation = published_then_refused(emulator, advanced=False)

    assert rotation.error == "CopyRejected"
    assert emulator.item_count(REFUSED) == 4
    assert discards(emulator)[0].result["reason"] == "not-this-rotations-copy"


def test_the_refused_copys_ledger_entry_ends_deleted(make_emulator: Any) -> None:
    emulator = make_emulator(DISCARDING)
    published_then_refused(emulator, advanced=False)
    entry, kept = emulator.ledger_entry(REFUSED), emulator.ledger_entry(COPY)
    assert entry is not None and entry.state == "deleted" and entry.expires_at is not None
    assert kept is not None and kept.state == "published"


def test_a_refused_copy_with_deletion_protection_is_left_and_logged(
    make_emulator: Any, caplog: pytest.LogCaptureFixture
) -> None:
    emulator = make_emulator(DISCARDING)

    def protect(_: Any) -> None:  # as copy_settings.deletion_protection makes every copy
        emulator.dynamodb.update_table(TableName=REFUSED, DeletionProtectionEnabled=True)

    emulator.before_step("discard_copy", protect)
    rotation = published_then_refused(emulator, advanced=False)

    assert rotation.error == "CopyRejected"
    assert REFUSED in emulator.table_names()
    assert discards(emulator)[0].result["reason"] == "deletion-protection"
    assert any(
        "deletion protection" in r.getMessage() and r.levelname == "WARNING" for r in caplog.records
    )


def test_a_failing_discard_still_fails_the_rotation_with_the_hooks_error(
    make_emulator: Any,
) -> None:
    emulator = make_emulator(DISCARDING)
    emulator.inject_fault("Invoke ddb-rotator-discard-copy", "ResourceNotFoundException")
    rotation = published_then_refused(emulator, advanced=False)

    assert (rotation.status, rotation.error) == ("FAILED", "CopyRejected")
    assert REFUSED in emulator.table_names()
    assert emulator.parameter()["Value"].endswith(":table/" + COPY)


def test_without_the_input_a_refused_copy_is_left_and_no_discard_state_exists(
    make_emulator: Any,
) -> None:
    emulator = make_emulator(ONE_HOOK)  # test_hooks' plan
    rotation = published_then_refused(emulator, advanced=False)

    assert rotation.error == "CopyRejected"
    assert REFUSED in emulator.table_names()
    assert "DiscardRefusedCopy" not in emulator.rendering.definition["States"]
    assert "discard_copy" not in emulator.rendering.functions
