"""Attacks on what decides which data goes where (issue 15), tried on the emulator.

Someone who may publish to the backup topic, put events on the bus or start an
execution writes what they like; AWS Backup's record of the job (and DynamoDB's of a
backup) is beyond their reach. Each test plays one attack and asserts: nothing was
started or restored, or the real job was rotated as AWS's record says; the parameter
names the newest good copy (or nothing); and one ERROR line names the reason and the
field that disagreed.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from tests.emulator.events import backup_completed, backup_job_event, sns_event
from tests.emulator.harness import Emulator

ORDERS = "Orders-Production"
PAYROLL = "Payroll-Production"
REAL_JOB = "9D0A1B2C-3D4E-4F50-8A6B-7C8D9E0F1A2B"
NEXT_JOB = "1A2B3C4D-5E6F-4A7B-8C9D-0E1F2A3B4C5D"
SOURCES = [ORDERS, PAYROLL]


def rejections(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if getattr(r, "action", None) == "rejected"]


def payroll_backup(emulator: Emulator, advanced: bool, start_time: str) -> tuple[str, str]:
    """Payroll's table, its backup and AWS Backup's record of the job: (table ARN, RP)."""
    table = emulator.create_source_table(PAYROLL, items=7)
    point = emulator.create_recovery_point(PAYROLL) if advanced else emulator.create_backup(PAYROLL)
    emulator.record_backup_job(REAL_JOB, table, point, start_time)
    return table, point


def nothing_happened(emulator: Emulator) -> None:
    assert emulator.executions() == []
    assert sorted(emulator.table_names()) == SOURCES
    with pytest.raises(emulator.ssm.exceptions.ParameterNotFound):
        emulator.parameter()


@pytest.mark.parametrize("advanced", [False, True], ids=["classic", "aws-backup"])
@pytest.mark.parametrize("job_id", [REAL_JOB, "forged-job"], ids=["real-id", "invented-id"])
def test_a_notification_pairing_one_table_with_anothers_backup_starts_nothing(
    emulator: Emulator, caplog: pytest.LogCaptureFixture, advanced: bool, job_id: str
) -> None:
    orders = emulator.create_source_table(ORDERS, items=3)
    _, payroll_point = payroll_backup(emulator, advanced, "2024-08-27T09:20:00Z")
    forged = sns_event(backup_completed(payroll_point, orders, job_id=job_id))

    with caplog.at_level(logging.INFO, logger="rotator"):
        assert emulator.deliver(forged)["rejected"] == 1

    nothing_happened(emulator)
    [line] = rejections(caplog)
    assert line.levelno == logging.ERROR
    if job_id == REAL_JOB:  # AWS Backup's record names Payroll's table
        assert line.__dict__["field"] == "resource ARN"
        assert f"table/{ORDERS} differs from AWS Backup's" in line.__dict__["reason"]
    else:  # AWS Backup knows no such job
        assert "ResourceNotFoundException" in line.__dict__["reason"]


def test_an_eventbridge_event_pairing_one_table_with_anothers_backup_starts_nothing(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    orders = emulator.create_source_table(ORDERS, items=3)
    _, payroll_point = payroll_backup(emulator, True, "2024-08-27T09:20:00Z")
    forged = backup_job_event(REAL_JOB, orders, payroll_point)

    with caplog.at_level(logging.INFO, logger="rotator"):
        assert emulator.deliver(forged)["rejected"] == 1

    nothing_happened(emulator)
    [line] = rejections(caplog)
    assert line.__dict__["field"] == "resource ARN"


@pytest.mark.parametrize("advanced", [False, True], ids=["classic", "aws-backup"])
@pytest.mark.parametrize("job_id", [REAL_JOB, "manual-forged"], ids=["real-id", "invented-id"])
def test_a_forged_execution_input_restores_nothing(
    emulator: Emulator, caplog: pytest.LogCaptureFixture, advanced: bool, job_id: str
) -> None:
    orders = emulator.create_source_table(ORDERS, items=3)
    _, payroll_point = payroll_backup(emulator, advanced, "2024-08-27T09:20:00Z")
    forged = {
        "backup": {
            "job_id": job_id,
            "recovery_point_arn": payroll_point,
            "source_table_arn": orders,
            "started_at": "2024-08-27T09:20:00Z",
            "vault_name": "Default",
        }
    }

    with caplog.at_level(logging.INFO, logger="rotator"):
        execution = emulator.stepfunctions.start_execution(
            stateMachineArn=emulator.state_machine_arn, name="forged", input=json.dumps(forged)
        )
        rotation = emulator.wait_for(execution["executionArn"])

    assert rotation.status == "FAILED"
    assert rotation.error == "UntrustedInput"
    assert "not as AWS records it" in str(rotation.cause)
    assert sorted(emulator.table_names()) == SOURCES  # nothing restored
    assert emulator.recovery_points.jobs == {}
    with pytest.raises(emulator.ssm.exceptions.ParameterNotFound):
        emulator.parameter()
    [line] = rejections(caplog)
    assert line.levelno == logging.ERROR
    assert line.__dict__["job_id"] == job_id


def test_a_forged_far_future_time_is_rejected_and_the_real_notification_rotates(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    emulator.create_source_table(ORDERS, items=3)
    table, point = payroll_backup(emulator, False, "2024-08-27T09:20:00Z")
    forged = sns_event(backup_completed(point, table, REAL_JOB, start_time="2099-01-01T00:00:00Z"))

    with caplog.at_level(logging.INFO, logger="rotator"):
        assert emulator.deliver(forged)["rejected"] == 1
    [line] = rejections(caplog)
    assert line.__dict__["field"] == "CreationDate"
    assert "2099-01-01T00:00:00Z differs from AWS Backup's CreationDate" in line.getMessage()
    assert emulator.executions() == []

    real = sns_event(backup_completed(point, table, REAL_JOB, start_time="2024-08-27T09:20:00Z"))
    rotation = emulator.rotate(real)
    assert rotation.status == "SUCCEEDED", rotation.cause
    copy = "Payroll-staging-20240827-09-20-00"
    assert emulator.parameter()["Value"].endswith(f":table/{copy}")
    assert emulator.item_count(copy) == 7


def test_a_forged_notification_cannot_take_the_next_real_jobs_id(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    orders = emulator.create_source_table(ORDERS, items=3)
    point = emulator.create_backup(ORDERS)
    # announced before AWS Backup has any job of that id
    forged = sns_event(backup_completed(point, orders, NEXT_JOB))
    with caplog.at_level(logging.INFO, logger="rotator"):
        assert emulator.deliver(forged)["rejected"] == 1
    assert emulator.executions() == []

    # the real job then completes, is recorded, and is announced: it rotates
    emulator.record_backup_job(NEXT_JOB, orders, point)
    result = emulator.deliver(sns_event(backup_completed(point, orders, NEXT_JOB)))
    assert result["started"] == 1 and result["duplicate"] == 0
    [execution] = emulator.executions()
    assert emulator.wait_for(execution["executionArn"]).status == "SUCCEEDED"


def test_a_manual_start_is_named_by_the_recovery_points_own_time(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    orders = emulator.create_source_table(ORDERS, items=4)
    backup = emulator.create_backup(ORDERS)
    described = emulator.dynamodb.describe_backup(BackupArn=backup)["BackupDescription"]
    created = described["BackupDetails"]["BackupCreationDateTime"]
    started_at = created.strftime("%Y-%m-%dT%H:%M:%SZ")

    def start(name: str, started: str) -> Any:
        given = {
            "job_id": name,
            "recovery_point_arn": backup,
            "source_table_arn": orders,
            "started_at": started,
        }
        execution = emulator.stepfunctions.start_execution(
            stateMachineArn=emulator.state_machine_arn,
            name=name,
            input=json.dumps({"backup": given}),
        )
        return emulator.wait_for(execution["executionArn"])

    with caplog.at_level(logging.INFO, logger="rotator"):
        wrong = start("manual-wrong-time", "2024-01-01T00:00:00Z")
    assert (wrong.status, wrong.error) == ("FAILED", "UntrustedInput")
    [line] = rejections(caplog)
    assert "BackupCreationDateTime" in line.getMessage()

    right = start("manual-own-time", started_at)
    assert right.status == "SUCCEEDED", right.cause
    copy = "Orders-staging" + created.strftime("-%Y%m%d-%H-%M-%S")
    assert emulator.parameter()["Value"].endswith(f":table/{copy}")


def test_a_table_outside_source_pattern_is_refused_at_start_restore(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    staging = emulator.create_source_table("Orders-Staging", items=2)
    point = emulator.create_backup("Orders-Staging")
    given = emulator.recorded_input(point, staging, job_id="job-staging")
    with caplog.at_level(logging.INFO, logger="rotator"):
        execution = emulator.stepfunctions.start_execution(
            stateMachineArn=emulator.state_machine_arn, name="staging", input=json.dumps(given)
        )
        rotation = emulator.wait_for(execution["executionArn"])
    assert (rotation.status, rotation.error) == ("FAILED", "UntrustedInput")
    assert "does not match SOURCE_PATTERN" in str(rotation.cause)
    assert sorted(emulator.table_names()) == ["Orders-Staging"]
