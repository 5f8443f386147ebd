"""Every trigger: EventBridge backup and copy job events, SNS copy notifications,
cross-account copies forwarded to this account's bus, and one rotation per job
whichever events announce it. The events are shaped as AWS documents them; what they
lack comes from the emulator's DescribeBackupJob / DescribeCopyJob /
DescribeRecoveryPoint, checked against botocore's model like every other call."""

from __future__ import annotations

import logging

import pytest

from rotator.errors import TransientAwsError
from tests.emulator.events import (
    backup_completed,
    backup_job_event,
    copy_completed,
    copy_job_event,
    eventbridge_event,
    sns_event,
)
from tests.emulator.harness import EVERY_TRIGGER, Emulator, Settings, vault_arn

SOURCE = "Orders-Production"
# The emulator's clock starts at 2024-08-27T09:40:00Z: the job's CreationDate.
COPY_OF_JOB = "Orders-staging-20240827-09-40-00"
OTHER_ACCOUNT = "210987654321"
# Module-level, so tests/conftest.py plans it with the rest.
COPIES_FROM_THE_OTHER_ACCOUNT = Settings(
    trigger="eventbridge", restore_copies=True, copy_source_account_ids=(OTHER_ACCOUNT,)
)
EVERYTHING = EVERY_TRIGGER


@pytest.fixture
def everything(make_emulator) -> Emulator:
    emulator: Emulator = make_emulator(EVERYTHING)
    return emulator


@pytest.mark.parametrize("advanced", [True, False])
def test_an_eventbridge_backup_job_event_rotates_named_by_the_jobs_creation_date(
    everything: Emulator, advanced: bool
) -> None:
    job = everything.backup_job(SOURCE, advanced=advanced)
    event = backup_job_event(job.job_id, job.resource_arn, job.recovery_point)

    rotation = everything.rotate(event)

    assert rotation.status == "SUCCEEDED", rotation.cause
    assert everything.item_count(COPY_OF_JOB) == 25
    assert everything.parameter()["Value"].endswith(f":table/{COPY_OF_JOB}")
    # the event's dates are not RFC 3339, so AWS Backup was asked
    assert "backup:DescribeBackupJob" in everything.aws_calls["trigger"]


def test_even_a_complete_event_is_held_to_aws_backups_record(everything: Emulator) -> None:
    job = everything.backup_job(SOURCE)
    event = backup_job_event(
        job.job_id, job.resource_arn, job.recovery_point, creation_date="2024-08-27T09:40:00Z"
    )
    assert everything.rotate(event).status == "SUCCEEDED"
    assert COPY_OF_JOB in everything.table_names()
    assert "backup:DescribeBackupJob" in everything.aws_calls["trigger"]
    assert "backup:DescribeBackupJob" in everything.aws_calls["start_restore"]


@pytest.mark.parametrize("first", ["sns", "eventbridge"])
def test_one_job_announced_by_sns_and_by_eventbridge_rotates_once(
    everything: Emulator, first: str
) -> None:
    job = everything.backup_job(SOURCE)
    events = {
        "sns": sns_event(
            backup_completed(
                job.recovery_point, job.resource_arn, job.job_id, start_time="2024-08-27T09:40:00Z"
            )
        ),
        "eventbridge": backup_job_event(job.job_id, job.resource_arn, job.recovery_point),
    }
    second = "eventbridge" if first == "sns" else "sns"

    rotation = everything.rotate(events[first])
    assert rotation.status == "SUCCEEDED", rotation.cause
    assert everything.deliver(events[second])["duplicate"] == 1
    assert len(everything.executions()) == 1
    assert everything.table_names().count(COPY_OF_JOB) == 1


@pytest.mark.parametrize(
    "detail_type",
    ["Restore Job State Change", "Recovery Point State Change", "Backup Plan State Change"],
)
def test_other_backup_events_never_start_a_rotation(everything: Emulator, detail_type: str) -> None:
    job = everything.backup_job(SOURCE)
    detail = {
        "restoreJobId": "R-1",
        "recoveryPointArn": job.recovery_point,
        "resourceArn": job.resource_arn,
        "resourceType": "DynamoDB",
        "status": "COMPLETED",
        "state": "COMPLETED",
        "backupJobId": job.job_id,
    }
    result = everything.deliver(eventbridge_event(detail_type, detail, [job.recovery_point]))
    assert result == {"started": 0, "duplicate": 0, "skipped": 1, "rejected": 0}
    assert everything.executions() == []


def test_a_copy_job_event_restores_the_copy_named_by_its_source_backup(
    everything: Emulator,
) -> None:
    job = everything.backup_job(SOURCE)
    everything.clock.advance(3600)  # the copy is made an hour later
    copy = everything.copy_job(job)
    event = copy_job_event(
        copy.job_id, copy.resource_arn, job.recovery_point, copy.recovery_point, copy.vault_arn
    )

    rotation = everything.rotate(event)

    assert rotation.status == "SUCCEEDED", rotation.cause
    assert everything.item_count(COPY_OF_JOB) == 25
    assert rotation.output is not None
    described = everything.client("backup").describe_restore_job(
        RestoreJobId=rotation.output["restore"]["restore_job_id"]
    )
    assert described["RecoveryPointArn"] == copy.recovery_point
    assert everything.executions()[0]["name"] == copy.job_id


def test_an_sns_copy_notification_is_completed_from_describe_copy_job(
    everything: Emulator,
) -> None:
    job = everything.backup_job(SOURCE)
    copy = everything.copy_job(job)

    rotation = everything.rotate(sns_event(copy_completed(copy.job_id)))

    assert rotation.status == "SUCCEEDED", rotation.cause
    assert everything.item_count(COPY_OF_JOB) == 25
    assert {"backup:DescribeCopyJob", "backup:DescribeRecoveryPoint"} <= everything.aws_calls[
        "trigger"
    ]


def test_a_cross_account_copy_forwarded_to_this_bus_rotates_into_this_account(
    make_emulator,
) -> None:
    emulator = make_emulator(COPIES_FROM_THE_OTHER_ACCOUNT)
    job = emulator.backup_job(SOURCE, vault="production")
    # the source table and its vault are in the other account; the copy is here
    job.resource_arn = job.resource_arn.replace(":123456789012:", f":{OTHER_ACCOUNT}:")
    copy = emulator.copy_job(job, vault="staging-copies")
    # the copy job is the other account's record: this account's AWS Backup knows only
    # the recovery point the copy made in its vault
    del emulator.recovery_points.copy_jobs[copy.job_id]
    event = copy_job_event(
        copy.job_id,
        job.resource_arn,
        job.recovery_point.replace(":123456789012:", f":{OTHER_ACCOUNT}:"),
        copy.recovery_point,
        copy.vault_arn,
        account=OTHER_ACCOUNT,
        source_vault_arn=vault_arn("production", OTHER_ACCOUNT),
    )

    rotation = emulator.rotate(event)

    assert rotation.status == "SUCCEEDED", rotation.cause
    # keyed by the recovery point this account records, not by the claimed job id
    [execution] = emulator.executions()
    assert execution["name"] == copy.recovery_point.rsplit(":", 1)[-1]
    assert "backup:DescribeCopyJob" in emulator.aws_calls["trigger"]
    arn = emulator.parameter()["Value"]
    assert arn == f"arn:aws:dynamodb:us-east-1:123456789012:table/{COPY_OF_JOB}"
    assert rotation.output is not None and rotation.output["restore"]["target_table_arn"] == arn


def test_a_copy_this_account_sends_elsewhere_is_skipped(everything: Emulator) -> None:
    job = everything.backup_job(SOURCE)
    elsewhere = f"arn:aws:backup:us-east-1:{OTHER_ACCOUNT}:recovery-point:ABC"
    event = copy_job_event(
        "C-OUT", job.resource_arn, job.recovery_point, elsewhere, vault_arn("dr", OTHER_ACCOUNT)
    )
    assert everything.deliver(event)["skipped"] == 1
    assert everything.executions() == []


def test_a_job_aws_backup_does_not_know_is_rejected_at_error(
    everything: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    table = everything.create_source_table(SOURCE)
    point = everything.create_recovery_point(SOURCE)
    with caplog.at_level(logging.INFO, logger="rotator"):
        result = everything.deliver(backup_job_event("NO-SUCH-JOB", table, point))
    assert result["rejected"] == 1 and everything.executions() == []
    [line] = [r for r in caplog.records if getattr(r, "action", None) == "rejected"]
    assert line.levelno == logging.ERROR
    assert (
        "DescribeBackupJob" in line.getMessage()
        and "ResourceNotFoundException" in line.getMessage()
    )


def test_a_throttled_lookup_raises_so_lambda_retries_the_event(everything: Emulator) -> None:
    job = everything.backup_job(SOURCE)
    everything.inject_fault("DescribeBackupJob", "ThrottlingException", times=5)
    with pytest.raises(TransientAwsError, match="DescribeBackupJob"):
        everything.deliver(backup_job_event(job.job_id, job.resource_arn, job.recovery_point))
    assert everything.executions() == []


@pytest.mark.parametrize("source", ["sns", "eventbridge"])
def test_copy_events_are_skipped_unless_restore_copies_is_set(
    everything: Emulator, source: str
) -> None:
    # the trigger's own setting (the module sets it from restore_copies: module.tftest.hcl)
    emulator = everything
    emulator.set_environment("trigger", RESTORE_COPIES="false")
    job = emulator.backup_job(SOURCE)
    copy = emulator.copy_job(job)
    event = (
        sns_event(copy_completed(copy.job_id))
        if source == "sns"
        else copy_job_event(
            copy.job_id, copy.resource_arn, job.recovery_point, copy.recovery_point, copy.vault_arn
        )
    )
    assert emulator.deliver(event)["skipped"] == 1
    assert emulator.executions() == []
    assert not any(call.startswith("backup:") for call in emulator.aws_calls["trigger"])
