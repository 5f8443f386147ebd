"""The Cleanup step (keep_last): after Publish, this rotator's older copies of the rotated
table beyond the newest keep_last are deleted, and nothing else, on both restore paths.

Which copies are the rotator's is recorded in the ledger of copies (rotator.ledger):
the copies these tests need from before the rotations they run get the ledger entries
an earlier rotation would have left (Emulator.record_copy); tags (Emulator.tag_as_copy)
make no table the rotator's."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from rotator import cleanup
from tests.emulator.events import FAILURE_TOPIC_ARN, backup_completed, sns_event
from tests.emulator.harness import CLEANING_UP, Emulator, Rotation, Settings, state_transitions

SOURCE = "Orders-Production"
# Module-level, so tests/conftest.py plans it with the rest.
CLEANING_UP_AFTER_AN_HOUR = CLEANING_UP.with_inputs(restore_timeout_seconds=3600)
# Three backups of SOURCE, a day apart, and the copies they make.
STARTS = ("2024-08-27T09:20:00Z", "2024-08-28T09:20:00Z", "2024-08-29T09:20:00Z")
COPIES = (
    "Orders-staging-20240827-09-20-00",
    "Orders-staging-20240828-09-20-00",
    "Orders-staging-20240829-09-20-00",
)
OLD_RECOVERY_POINT = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-Production/backup/0-old"


def cleaning(make_emulator: Any, settings: Settings = CLEANING_UP, **options: Any) -> Emulator:
    """keep_last = 2 (CLEANING_UP), each copy tagged as Configure will tag it."""
    emulator: Emulator = make_emulator(settings, **options)
    return emulator


def rotate_again(emulator: Emulator, table_arn: str, number: int, advanced: bool) -> Rotation:
    """Back SOURCE up as it is now (a classic backup or an AWS Backup recovery point)
    and rotate that backup as the job ``number`` that started at STARTS[number]."""
    point = emulator.create_recovery_point(SOURCE) if advanced else emulator.create_backup(SOURCE)
    record = backup_completed(point, table_arn, job_id=f"job-{number}", start_time=STARTS[number])
    return emulator.rotate(sns_event(record))


def old_table(
    emulator: Emulator, name: str, *, deletion_protection: bool = False, items: int = 1
) -> None:
    """A table made before these rotations (copy-like name, no tags yet)."""
    emulator.dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        DeletionProtectionEnabled=deletion_protection,
    )
    for number in range(items):
        emulator.dynamodb.put_item(TableName=name, Item={"pk": {"S": f"item-{number}"}})


def cleanup_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "rotator.handlers.cleanup"]


def states_entered(rotation: Rotation) -> list[str]:
    return [
        event["stateEnteredEventDetails"]["name"]
        for event in rotation.history
        if event["type"].endswith("StateEntered")
    ]


@pytest.mark.parametrize("advanced", [False, True], ids=["classic backup", "AWS Backup"])
def test_three_rotations_with_keep_last_2_leave_the_two_newest_copies(
    make_emulator: Any, advanced: bool
) -> None:
    emulator = cleaning(make_emulator)
    table_arn = emulator.create_source_table(SOURCE, items=5)
    # a lookalike nobody tagged, and a table someone tagged as this rotator's copy: both
    # older than every copy, named like copies, not in the ledger, not to be deleted
    lookalike, tagged = "Orders-staging-20200101-00-00-00", "Orders-staging-20200102-00-00-00"
    old_table(emulator, lookalike)
    old_table(emulator, tagged)
    emulator.tag_as_copy(tagged, SOURCE, OLD_RECOVERY_POINT, datetime(2020, 1, 2, tzinfo=UTC))

    rotations = [rotate_again(emulator, table_arn, number, advanced) for number in range(3)]

    assert [r.status for r in rotations] == ["SUCCEEDED"] * 3, [r.cause for r in rotations]
    assert sorted(emulator.table_names()) == sorted([SOURCE, lookalike, tagged, *COPIES[1:]])
    assert emulator.ledger_entry(COPIES[0]).state == "deleted"  # type: ignore[union-attr]
    assert {emulator.ledger_entry(c).state for c in COPIES[1:]} == {"published"}  # type: ignore[union-attr]
    assert emulator.ledger_entry(tagged) is None
    newest_arn = emulator.dynamodb.describe_table(TableName=COPIES[2])["Table"]["TableArn"]
    assert emulator.parameter()["Value"] == newest_arn
    outputs = [r.output["cleanup"] for r in rotations if r.output is not None]
    assert [o["deleted"] for o in outputs] == [[], [], [COPIES[0]]]
    assert outputs[2]["kept"] == [COPIES[2], COPIES[1]]  # newest first
    assert emulator.item_count(COPIES[1]) == emulator.item_count(COPIES[2]) == 5
    assert states_entered(rotations[2])[-2:] == ["Publish", "Cleanup"]


def test_a_copy_with_deletion_protection_is_skipped_and_logged(
    make_emulator: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="rotator")
    emulator = cleaning(make_emulator)
    table_arn = emulator.create_source_table(SOURCE, items=2)
    kept, protected, deleted = (
        "Orders-staging-20240102-00-00-00",
        "Orders-staging-20240101-00-00-00",
        "Orders-staging-20231231-00-00-00",
    )
    for name, day in ((kept, 2), (protected, 1)):
        old_table(emulator, name, deletion_protection=name == protected)
        emulator.record_copy(name, SOURCE, OLD_RECOVERY_POINT, datetime(2024, 1, day, tzinfo=UTC))
    old_table(emulator, deleted)
    emulator.record_copy(deleted, SOURCE, OLD_RECOVERY_POINT, datetime(2023, 12, 31, tzinfo=UTC))

    rotation = rotate_again(emulator, table_arn, 0, advanced=False)

    assert rotation.status == "SUCCEEDED", rotation.cause
    assert rotation.output is not None
    result = rotation.output["cleanup"]
    assert (result["deleted"], result["deletion_protected"]) == ([deleted], [protected])
    assert result["kept"] == [COPIES[0], kept]
    assert sorted(emulator.table_names()) == sorted([SOURCE, COPIES[0], kept, protected])
    [warning] = [r for r in cleanup_records(caplog) if r.levelno == logging.WARNING]
    assert (warning.action, warning.reason, warning.table) == (  # type: ignore[attr-defined]
        "skipped",
        cleanup.DELETION_PROTECTION,
        protected,
    )
    assert "deletion protection: not deleted" in warning.getMessage()
    [deletion] = [r for r in cleanup_records(caplog) if getattr(r, "action", "") == "deleted"]
    assert deletion.table == deleted  # type: ignore[attr-defined]


def test_a_failing_cleanup_fails_the_rotation_and_leaves_the_copy_published(
    make_emulator: Any,
) -> None:
    emulator = cleaning(make_emulator)
    emulator.sns.create_topic(Name=FAILURE_TOPIC_ARN.rsplit(":", 1)[1])
    queue = emulator.subscribe_queue(FAILURE_TOPIC_ARN)
    # the cleanup's DescribeTable of the (tagged) new copy is refused
    emulator.before_step(
        "cleanup", lambda _: emulator.inject_fault("DescribeTable", "AccessDeniedException")
    )
    table_arn = emulator.create_source_table(SOURCE, items=3)

    rotation = rotate_again(emulator, table_arn, 0, advanced=False)

    assert (rotation.status, rotation.error) == ("FAILED", "CleanupIncomplete")
    assert "AccessDeniedException" in (rotation.cause or "")
    assert f"the copy {COPIES[0]} is published" in (rotation.cause or "")
    copy_arn = emulator.dynamodb.describe_table(TableName=COPIES[0])["Table"]["TableArn"]
    assert emulator.parameter()["Value"] == copy_arn
    assert emulator.item_count(COPIES[0]) == 3
    assert states_entered(rotation)[-5:] == [
        "Cleanup",
        "CleanupFailed",
        "DescribeFailure",
        "NotifyFailure",
        "RotationFailed",
    ]
    [envelope] = emulator.received(queue)
    message = json.loads(envelope["Message"])
    assert (message["failed_state"], message["error"]) == ("Cleanup", "CleanupIncomplete")
    assert message["target_table"] == COPIES[0]


def test_max_age_deletes_old_copies_among_the_newest_but_never_the_parameters_table(
    make_emulator: Any,
) -> None:
    emulator = cleaning(make_emulator)
    table_arn = emulator.create_source_table(SOURCE, items=1)
    june, july = "Orders-staging-20240601-00-00-00", "Orders-staging-20240701-00-00-00"
    for name, month in ((june, 6), (july, 7)):
        old_table(emulator, name)
        emulator.record_copy(name, SOURCE, OLD_RECOVERY_POINT, datetime(2024, month, 1, tzinfo=UTC))
    rotation = rotate_again(emulator, table_arn, 0, advanced=False)
    assert rotation.status == "SUCCEEDED", rotation.cause
    assert rotation.output is not None
    # keep_last = 2: the new copy and July's stay, June's (the third) goes
    assert rotation.output["cleanup"]["deleted"] == [june]

    # with max_age_days = 30, July's copy (57 days old) is too old to keep, even as
    # one of the newest two; unless the parameter names it
    [step] = [i for i in emulator.invocations if i.function == "cleanup"]
    emulator.set_environment("cleanup", MAX_AGE_DAYS="30")
    emulator.ssm.put_parameter(
        Name="/staging/database-arn", Value=july, Type="String", Overwrite=True
    )
    assert emulator.call("cleanup", step.payload)["deleted"] == []
    assert july in emulator.table_names()
    emulator.ssm.put_parameter(
        Name="/staging/database-arn", Value=COPIES[0], Type="String", Overwrite=True
    )
    assert emulator.call("cleanup", step.payload)["deleted"] == [july]
    assert sorted(emulator.table_names()) == sorted([SOURCE, COPIES[0]])


def test_without_keep_last_publish_ends_the_rotation_and_nothing_is_deleted(
    emulator: Emulator,
) -> None:
    states = emulator.rendering.definition["States"]
    assert {"Cleanup", "CleanupFailed"}.isdisjoint(states)
    assert states["Publish"]["End"] is True and "Next" not in states["Publish"]
    assert "cleanup" not in emulator.rendering.functions
    table_arn = emulator.create_source_table(SOURCE, items=1)
    old = "Orders-staging-20200101-00-00-00"
    old_table(emulator, old)
    emulator.record_copy(old, SOURCE, OLD_RECOVERY_POINT, datetime(2020, 1, 1, tzinfo=UTC))

    rotations = [rotate_again(emulator, table_arn, number, advanced=False) for number in range(3)]

    assert [r.status for r in rotations] == ["SUCCEEDED"] * 3
    assert sorted(emulator.table_names()) == sorted([SOURCE, old, *COPIES])
    assert states_entered(rotations[0])[-1] == "Publish"


@pytest.mark.parametrize(
    ("advanced", "restore_seconds", "most_transitions"),
    [(False, 3600, 25), (True, 3600 - 450, 25)],
    ids=["classic backup", "AWS Backup"],
)
def test_with_cleanup_a_one_hour_restore_costs_at_most_25_transitions(
    make_emulator: Any, advanced: bool, restore_seconds: int, most_transitions: int
) -> None:
    emulator = cleaning(make_emulator, restore_seconds=restore_seconds)
    table_arn = emulator.create_source_table(SOURCE, items=1)
    rotation = rotate_again(emulator, table_arn, 0, advanced)
    assert rotation.status == "SUCCEEDED", rotation.cause
    calls = [i.function for i in emulator.invocations]
    looks = calls.count("check_restore") + calls.count("await_restore")
    transitions = state_transitions(rotation.history)
    # StartRestore, ChooseWait, Configure, Publish and Cleanup besides the checks and looks
    assert transitions == looks + 5
    assert calls.count("cleanup") == 1
    assert transitions <= most_transitions


def test_a_tagged_production_sized_lookalike_is_not_deleted(make_emulator: Any) -> None:
    """Someone tags a 50-item table with a copy's name as this rotator's copy of SOURCE,
    the oldest of all: the ledger does not record it, so Cleanup never deletes it."""
    emulator = cleaning(make_emulator)
    table_arn = emulator.create_source_table(SOURCE, items=1)
    lookalike = "Orders-staging-20190101-00-00-00"
    old_table(emulator, lookalike, items=50)
    emulator.tag_as_copy(lookalike, SOURCE, OLD_RECOVERY_POINT, datetime(2019, 1, 1, tzinfo=UTC))

    rotations = [rotate_again(emulator, table_arn, number, advanced=False) for number in range(3)]

    assert [r.status for r in rotations] == ["SUCCEEDED"] * 3, [r.cause for r in rotations]
    assert lookalike in emulator.table_names()
    assert emulator.item_count(lookalike) == 50
    assert all(lookalike not in (r.output or {})["cleanup"]["deleted"] for r in rotations)


def test_a_table_put_in_place_of_a_recorded_copy_is_not_deleted(make_emulator: Any) -> None:
    """The ledger records a copy, but someone deleted it and made another table under
    its name: its TableId is not the ledger's, so it is left, and the entry closed."""
    emulator = cleaning(make_emulator)
    table_arn = emulator.create_source_table(SOURCE, items=1)
    replaced = "Orders-staging-20240101-00-00-00"
    old_table(emulator, replaced)
    emulator.record_copy(replaced, SOURCE, OLD_RECOVERY_POINT, datetime(2024, 1, 1, tzinfo=UTC))
    emulator.dynamodb.delete_table(TableName=replaced)
    old_table(emulator, replaced, items=7)

    rotations = [rotate_again(emulator, table_arn, number, advanced=False) for number in range(2)]

    assert [r.status for r in rotations] == ["SUCCEEDED"] * 2, [r.cause for r in rotations]
    assert emulator.item_count(replaced) == 7
    assert emulator.ledger_entry(replaced).state == "deleted"  # type: ignore[union-attr]


@pytest.mark.parametrize("advanced", [False, True], ids=["classic backup", "AWS Backup"])
def test_a_failed_rotations_copy_is_in_the_ledger_and_a_later_cleanup_removes_it(
    make_emulator: Any, advanced: bool
) -> None:
    """A rotation that fails after its restore (Configure's check) leaves its copy,
    untagged; the ledger records it, and the first cleanup after the restore timeout
    plus a day deletes it (not one before)."""
    emulator = cleaning(make_emulator, settings=CLEANING_UP_AFTER_AN_HOUR)
    table_arn = emulator.create_source_table(SOURCE, items=3)

    def refuse_the_first_rotations_describe(payload: Any) -> None:
        if payload["backup"]["job_id"] == "job-0":
            emulator.inject_fault("DescribeTable", "AccessDeniedException")

    emulator.before_step("configure", refuse_the_first_rotations_describe)
    failed = rotate_again(emulator, table_arn, 0, advanced)
    assert failed.status == "FAILED", failed.output
    assert COPIES[0] in emulator.table_names()
    entry = emulator.ledger_entry(COPIES[0])
    assert entry is not None and entry.state == "restoring"
    assert "dynamodb-backup-rotator:rotator" not in {
        tag["Key"]
        for tag in emulator.dynamodb.list_tags_of_resource(
            ResourceArn=table_arn.rsplit("/", 1)[0] + "/" + COPIES[0]
        ).get("Tags", [])
    }

    # the next day's rotation, within the restore timeout plus a day: the copy stays
    emulator.clock.advance(3600)
    assert rotate_again(emulator, table_arn, 1, advanced).status == "SUCCEEDED"
    assert COPIES[0] in emulator.table_names()
    # two days later: its rotation is over, so it goes
    emulator.clock.advance(2 * 86400)
    last = rotate_again(emulator, table_arn, 2, advanced)
    assert last.status == "SUCCEEDED", last.cause
    assert last.output is not None and COPIES[0] in last.output["cleanup"]["deleted"]
    assert COPIES[0] not in emulator.table_names()
    gone = emulator.ledger_entry(COPIES[0])
    assert gone is not None and gone.state == "deleted"
    assert gone.expires_at == gone.updated_at.replace(microsecond=0) + timedelta(days=90)
