"""End to end: the Terraform-rendered state machine, executed by moto's Step Functions
interpreter, with every Lambda task running the real handler, from a realistic SNS
record to the moved parameter."""

from __future__ import annotations

import logging

import pytest

from tests.emulator.events import backup_completed, sns_event
from tests.emulator.harness import EVERY_TRIGGER, Emulator, Settings, state_transitions

COPY = "Orders-staging-20240827-09-20-00"
# Module-level, so tests/conftest.py plans them with the rest.
TEN_MINUTE_TIMEOUT = Settings(poll_interval_seconds=60, restore_timeout_seconds=600)
ONE_HOUR_TIMEOUT = Settings(restore_timeout_seconds=3600)
NO_PARAMETER = Settings(ssm_parameter_name=None)


def test_a_backup_notification_becomes_a_ready_copy_and_a_moved_pointer(
    emulator: Emulator,
) -> None:
    event = emulator.backup_notification("Orders-Production", items=25)
    rotation = emulator.rotate(event)

    assert rotation.status == "SUCCEEDED", rotation.cause
    assert COPY in emulator.table_names()
    assert emulator.item_count(COPY) == 25
    copy_arn = emulator.dynamodb.describe_table(TableName=COPY)["Table"]["TableArn"]
    assert emulator.parameter()["Value"] == copy_arn
    assert rotation.output is not None and rotation.output["publish"]["table_arn"] == copy_arn


def test_a_second_delivery_of_the_same_notification_changes_nothing(emulator: Emulator) -> None:
    event = emulator.backup_notification("Orders-Production")
    emulator.rotate(event)
    tables, parameter = emulator.table_names(), emulator.parameter()

    assert emulator.deliver(event)["duplicate"] == 1
    assert len(emulator.executions()) == 1
    assert emulator.table_names() == tables
    assert emulator.parameter() == parameter


def test_the_documented_wording_rotates_too(emulator: Emulator) -> None:
    table_arn = emulator.create_source_table("Orders-Production", items=3)
    backup_arn = emulator.create_backup("Orders-Production")
    rotation = emulator.rotate(sns_event(backup_completed(backup_arn, table_arn, wording="docs")))
    assert rotation.status == "SUCCEEDED", rotation.cause
    assert emulator.item_count(COPY) == 3


def test_the_workflow_waits_until_the_restore_is_finished(make_emulator) -> None:
    emulator = make_emulator(restore_seconds=150)  # checked at 0, 60 and 180 s
    rotation = emulator.rotate(emulator.backup_notification("Orders-Production"))
    assert rotation.status == "SUCCEEDED", rotation.cause
    checks = [i for i in emulator.invocations if i.function == "check_restore"]
    assert [c.error for c in checks] == ["RestoreNotReady", "RestoreNotReady", None]
    assert rotation.output is not None and rotation.output["progress"]["table_status"] == "ACTIVE"
    # StartRestore, ChooseWait, WaitForRestore, two retries of it, Configure, Publish:
    # one transition a check
    assert state_transitions(rotation.history) == 7
    assert emulator.retry_waits == [60, 120]


def test_each_step_keeps_what_the_steps_before_it_wrote(make_emulator) -> None:
    emulator = make_emulator(restore_seconds=90)
    rotation = emulator.rotate(emulator.backup_notification("Orders-Production"))
    assert rotation.output is not None
    assert set(rotation.output) == {"backup", "restore", "progress", "configuration", "publish"}
    assert set(rotation.output["restore"]) == {
        "kind",
        "target_table_name",
        "target_table_arn",
        "started_at",
        "deadline",
    }


def test_a_restore_that_outlasts_the_timeout_fails_and_leaves_the_pointer(make_emulator) -> None:
    emulator = make_emulator(TEN_MINUTE_TIMEOUT, restore_seconds=10**6)
    emulator.ssm.put_parameter(Name="/staging/database-arn", Value="previous", Type="String")
    rotation = emulator.rotate(emulator.backup_notification("Orders-Production"))
    assert (rotation.status, rotation.error) == ("FAILED", "RestoreTimedOut")
    # checked at 0, 60, 180, 420 and 720 s: the first check past 600 s gives up
    assert f"table {COPY} is still CREATING after 720 s" in (rotation.cause or "")
    assert len([i for i in emulator.invocations if i.function == "check_restore"]) == 5
    assert emulator.parameter()["Value"] == "previous"


def test_a_restore_that_finishes_before_the_timeout_never_times_out(make_emulator) -> None:
    emulator = make_emulator(ONE_HOUR_TIMEOUT, restore_seconds=3599)  # noticed only after 3600 s
    rotation = emulator.rotate(emulator.backup_notification("Orders-Production"))
    assert rotation.status == "SUCCEEDED", rotation.cause


def test_a_restore_that_fails_ends_the_execution_with_the_reason(make_emulator) -> None:
    emulator = make_emulator(restore_end_status="INACCESSIBLE_ENCRYPTION_CREDENTIALS")
    rotation = emulator.rotate(emulator.backup_notification("Orders-Production"))
    assert (rotation.status, rotation.error) == ("FAILED", "RestoreFailed")
    assert "INACCESSIBLE_ENCRYPTION_CREDENTIALS" in (rotation.cause or "")
    assert emulator.ssm.describe_parameters()["Parameters"] == []


def test_throttling_is_retried_with_backoff_until_it_passes(emulator: Emulator) -> None:
    event = emulator.backup_notification("Orders-Production")
    # botocore retries three times inside the function; the fourth failure reaches
    # the state machine, whose Retry runs the step again.
    emulator.inject_fault("RestoreTableFromBackup", "ThrottlingException", times=4)
    emulator.jitter_fraction = 1.0
    rotation = emulator.rotate(event)
    assert rotation.status == "SUCCEEDED", rotation.cause
    starts = [i for i in emulator.invocations if i.function == "start_restore"]
    assert [s.error for s in starts] == ["TransientAwsError", None]
    assert emulator.retry_waits == [2]  # the 2 s first interval (at full jitter's maximum)


def test_the_restore_limit_is_retried_with_a_longer_backoff(emulator: Emulator) -> None:
    event = emulator.backup_notification("Orders-Production")
    # four faults: botocore's three attempts inside the function fail, so the state
    # machine's own Retry for RestoreLimitExceeded has to run the step again
    emulator.inject_fault("RestoreTableFromBackup", "LimitExceededException", times=4)
    emulator.jitter_fraction = 1.0
    rotation = emulator.rotate(event)
    assert rotation.status == "SUCCEEDED", rotation.cause
    starts = [i for i in emulator.invocations if i.function == "start_restore"]
    assert [s.error for s in starts] == ["RestoreLimitExceeded", None]
    assert emulator.retry_waits == [60]  # the 60 s first interval (at full jitter's maximum)


def test_persistent_throttling_gives_up_with_the_error_named(emulator: Emulator) -> None:
    event = emulator.backup_notification("Orders-Production")
    emulator.inject_fault("RestoreTableFromBackup", "ThrottlingException", times=1000)
    rotation = emulator.rotate(event)
    assert (rotation.status, rotation.error) == ("FAILED", "TransientAwsError")
    assert len([i for i in emulator.invocations if i.function == "start_restore"]) == 7


def test_without_a_parameter_the_copy_is_still_restored_and_checked(make_emulator) -> None:
    emulator = make_emulator(NO_PARAMETER, restore_seconds=90)
    rotation = emulator.rotate(emulator.backup_notification("Orders-Production"))
    assert rotation.status == "SUCCEEDED", rotation.cause
    assert len([i for i in emulator.invocations if i.function == "check_restore"]) == 3
    assert emulator.ssm.describe_parameters()["Parameters"] == []
    assert emulator.item_count(COPY) == 25


@pytest.mark.parametrize(
    ("settings", "environment", "cause"),
    [
        # variables.tf refuses "/" at plan time; a function edited outside Terraform:
        (Settings(), {"REPLACEMENT_PATTERN": "/staging"}, "contains '/'"),
        (
            Settings(replacement_pattern="${1}" + "x" * 240),
            {},
            "DynamoDB table names must be 3 to 255 characters",
        ),
    ],
)
def test_a_name_dynamodb_would_reject_fails_the_execution_visibly(
    make_emulator, settings: Settings, environment: dict[str, str], cause: str
) -> None:
    emulator = make_emulator(settings)
    if environment:
        emulator.set_environment("start_restore", **environment)
    rotation = emulator.rotate(emulator.backup_notification("Orders-Production"))
    assert (rotation.status, rotation.error) == ("FAILED", "InvalidTargetTableName")
    assert cause in (rotation.cause or "")
    assert emulator.table_names() == ["Orders-Production"]


def test_an_aws_backup_recovery_point_becomes_a_ready_copy_and_a_moved_pointer(
    make_emulator,
) -> None:
    emulator = make_emulator(restore_seconds=600)
    rotation = emulator.rotate(emulator.advanced_backup_notification("Orders-Production"))
    assert rotation.status == "SUCCEEDED", rotation.cause
    assert emulator.item_count(COPY) == 25
    copy_arn = emulator.dynamodb.describe_table(TableName=COPY)["Table"]["TableArn"]
    assert emulator.parameter()["Value"] == copy_arn
    assert rotation.output is not None and rotation.output["restore"]["restore_job_id"]
    # both paths converge on the same checking and publishing steps
    assert [
        e["stateEnteredEventDetails"]["name"]
        for e in rotation.history
        if e["type"].endswith("StateEntered")
    ] == [
        "StartRestore",
        "ChooseWait",
        "AwaitRestoreJob",
        "WaitForRestore",
        "Configure",
        "Publish",
    ]


@pytest.mark.parametrize("end", ["FAILED", "ABORTED"])
def test_a_failed_aws_backup_restore_job_ends_the_rotation_with_its_message(
    make_emulator, end: str
) -> None:
    emulator = make_emulator(restore_seconds=120, restore_job_end=end)
    emulator.ssm.put_parameter(Name="/staging/database-arn", Value="previous", Type="String")
    rotation = emulator.rotate(emulator.advanced_backup_notification("Orders-Production"))
    assert (rotation.status, rotation.error) == ("FAILED", "RestoreFailed")
    assert f"is {end}: Restore of arn:aws:backup:" in (rotation.cause or "")
    assert emulator.parameter()["Value"] == "previous"
    assert COPY not in emulator.table_names()


def test_throttled_aws_backup_calls_are_retried(make_emulator) -> None:
    emulator = make_emulator(restore_seconds=60)
    emulator.inject_fault("StartRestoreJob", "ThrottlingException", times=2)
    emulator.inject_fault("DescribeRestoreJob", "ThrottlingException", times=2)
    rotation = emulator.rotate(emulator.advanced_backup_notification("Orders-Production"))
    assert rotation.status == "SUCCEEDED", rotation.cause


def test_a_rerun_after_a_crash_before_the_pointer_moved_resumes(make_emulator) -> None:
    """The first run restores, then Publish fails for good; a second execution for the
    same job gets the same restore job back, adopts the copy and moves the pointer."""
    emulator = make_emulator(restore_seconds=60)
    event = emulator.advanced_backup_notification("Orders-Production")
    emulator.inject_fault("PutParameter", "AccessDeniedException")  # PutParameter fails
    first = emulator.rotate(event)
    assert (first.status, first.error) == ("FAILED", "AwsRequestFailed")
    [record] = event["Records"]
    record["Sns"]["MessageAttributes"]["Id"]["Value"] = "rerun"  # a new execution name
    second = emulator.rotate(event)
    assert second.status == "SUCCEEDED", second.cause
    assert len(emulator.recovery_points.jobs) == 1
    assert emulator.parameter()["Value"].endswith(f":table/{COPY}")


def test_an_unrelated_table_with_the_copys_name_is_left_alone(emulator: Emulator) -> None:
    event = emulator.backup_notification("Orders-Production")
    emulator.create_source_table(COPY, items=2)
    rotation = emulator.rotate(event)
    assert (rotation.status, rotation.error) == ("FAILED", "TargetTableConflict")
    assert emulator.item_count(COPY) == 2
    assert emulator.ssm.describe_parameters()["Parameters"] == []


def test_every_line_the_functions_log_names_the_job_and_the_execution(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="rotator"):
        rotation = emulator.rotate(emulator.backup_notification("Orders-Production"))
    assert rotation.status == "SUCCEEDED", rotation.cause
    lines = [r for r in caplog.records if r.name.startswith("rotator.handlers.")]
    steps = {r.name.rsplit(".", 1)[1] for r in lines}
    assert steps >= {"trigger", "start_restore", "check_restore", "publish"}
    job = "7B1E3A42-9D5C-4F3E-8C1D-2E4F6A8B0C1D"
    assert {(r.__dict__.get("job_id"), r.__dict__.get("execution_name")) for r in lines} == {
        (job, job)
    }


def test_a_rerun_after_the_idempotency_window_adopts_the_copy_its_restore_job_made(
    make_emulator,
) -> None:
    """AWS does not say how long a StartRestoreJob token holds: with the token
    forgotten, a re-run finds the table, finds the restore job of this recovery point
    that made it, and carries on with that job; no second restore is started."""
    emulator = make_emulator(restore_seconds=60)
    event = emulator.advanced_backup_notification("Orders-Production")
    emulator.inject_fault("PutParameter", "AccessDeniedException")
    assert emulator.rotate(event).error == "AwsRequestFailed"
    [first_job] = emulator.recovery_points.jobs.values()
    first_job.token = None  # the token's window has passed
    [record] = event["Records"]
    record["Sns"]["MessageAttributes"]["Id"]["Value"] = "rerun"

    second = emulator.rotate(event)

    assert second.status == "SUCCEEDED", second.cause
    assert list(emulator.recovery_points.jobs) == [first_job.restore_job_id]
    assert second.output is not None
    assert second.output["restore"]["restore_job_id"] == first_job.restore_job_id


def test_an_existing_table_no_restore_job_of_this_recovery_point_made_is_left_alone(
    emulator: Emulator,
) -> None:
    event = emulator.advanced_backup_notification("Orders-Production")
    emulator.create_source_table(COPY, items=2)
    rotation = emulator.rotate(event)
    assert (rotation.status, rotation.error) == ("FAILED", "TargetTableConflict")
    assert emulator.recovery_points.jobs == {}
    assert emulator.item_count(COPY) == 2


@pytest.mark.parametrize("copy_source_tags", [None, True])
def test_copy_source_tags_asks_aws_backup_to_tag_the_copy(
    make_emulator, copy_source_tags: bool | None
) -> None:
    emulator = make_emulator(EVERY_TRIGGER if copy_source_tags else Settings())
    rotation = emulator.rotate(emulator.advanced_backup_notification("Orders-Production"))
    assert rotation.status == "SUCCEEDED", rotation.cause
    [job] = emulator.recovery_points.jobs.values()
    assert job.copy_source_tags is bool(copy_source_tags)
