"""The trigger: one execution per completed DynamoDB backup job, named after the job."""

from __future__ import annotations

import json
import logging

import pytest

from rotator.errors import AwsRequestFailed, ConfigurationError
from tests.emulator.events import backup_completed, backup_message, sns_event, sns_record
from tests.emulator.harness import Emulator

TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-Production"
RP = TABLE + "/backup/01724750400000-a1b2c3d4"
JOB = "7B1E3A42-9D5C-4F3E-8C1D-2E4F6A8B0C1D"


def no_op_state_machine(emulator: Emulator) -> None:
    """Point the trigger at a state machine that does nothing, to test starting alone."""
    arn = emulator.stepfunctions.create_state_machine(
        name="noop",
        definition=json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}),
        roleArn="arn:aws:iam::123456789012:role/noop",
    )["stateMachineArn"]
    emulator.set_environment("trigger", STATE_MACHINE_ARN=arn)
    emulator.state_machine_arn = arn


def test_a_completed_backup_starts_one_execution_named_after_the_job(emulator: Emulator) -> None:
    no_op_state_machine(emulator)
    event = sns_event(backup_completed(RP, TABLE))
    emulator.record_jobs_of(event)  # AWS Backup's record of the job, as announced
    assert emulator.deliver(event) == {
        "started": 1,
        "duplicate": 0,
        "skipped": 0,
        "rejected": 0,
    }
    [execution] = emulator.executions()
    assert execution["name"] == JOB
    described = emulator.stepfunctions.describe_execution(executionArn=execution["executionArn"])
    assert json.loads(described["input"]) == {
        "backup": {
            "job_id": JOB,
            "recovery_point_arn": RP,
            "source_table_arn": TABLE,
            "source_table": "Orders-Production",
            "started_at": "2024-08-27T09:20:00Z",
            "job_type": "backup",
            "recovery_point_kind": "dynamodb",
            "vault_name": "Default",
        }
    }


def test_a_second_delivery_starts_nothing_new(emulator: Emulator) -> None:
    no_op_state_machine(emulator)
    event = sns_event(backup_completed(RP, TABLE))
    emulator.record_jobs_of(event)
    emulator.deliver(event)
    emulator.wait_for(emulator.executions()[0]["executionArn"])
    assert emulator.deliver(event)["duplicate"] == 1
    assert len(emulator.executions()) == 1


def test_the_pattern_is_matched_against_the_table_name_not_the_arn(emulator: Emulator) -> None:
    # the function's own setting (the module passes source_pattern: module.tftest.hcl)
    emulator.set_environment("trigger", SOURCE_PATTERN="^Orders")
    no_op_state_machine(emulator)
    event = sns_event(backup_completed(RP, TABLE))
    emulator.record_jobs_of(event)
    assert emulator.deliver(event)["started"] == 1


def test_a_table_the_pattern_does_not_match_is_skipped_with_one_log_line(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    other = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-Staging"
    event = sns_event(backup_completed(other + "/backup/0-a", other))
    emulator.record_jobs_of(event)
    with caplog.at_level(logging.INFO, logger="rotator"):
        result = emulator.deliver(event)
    assert result["skipped"] == 1 and emulator.executions() == []
    [line] = [r for r in caplog.records if getattr(r, "action", None) == "skipped"]
    assert (
        line.__dict__["reason"]
        == "table Orders-Staging does not match SOURCE_PATTERN '(?i)-production$'"
    )
    assert line.levelno == logging.INFO


def test_a_malformed_completed_job_is_rejected_as_an_error(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    record = sns_record(
        backup_message(RP, TABLE, JOB),
        {"EventType": "BACKUP_JOB", "State": "COMPLETED", "StartTime": "Aug 27, 2024"},
    )
    with caplog.at_level(logging.INFO, logger="rotator"):
        assert emulator.deliver(sns_event(record))["rejected"] == 1
    [line] = [r for r in caplog.records if getattr(r, "action", None) == "rejected"]
    assert line.levelno == logging.ERROR
    assert line.__dict__["reason"].startswith("StartTime attribute: 'Aug 27, 2024' is not")
    assert line.__dict__["resource_arn"] == TABLE


def test_every_record_of_an_event_is_handled(emulator: Emulator) -> None:
    no_op_state_machine(emulator)
    other = TABLE.replace("Orders", "Users")
    event = sns_event(
        backup_completed(RP, TABLE, job_id="job-1"),
        backup_completed(other + "/backup/0-b", other, job_id="job-2"),
        sns_record(backup_message(RP, TABLE, "job-3", "failed"), {"State": "FAILED"}),
        {"garbage": True},
    )
    emulator.record_jobs_of(event)
    assert emulator.deliver(event) == {"started": 2, "duplicate": 0, "skipped": 2, "rejected": 0}
    assert sorted(e["name"] for e in emulator.executions()) == ["job-1", "job-2"]


@pytest.mark.parametrize("event", [{}, {"Records": "x"}, None, {"Records": []}])
def test_an_event_of_no_known_shape_is_one_rejection_not_an_exception(
    emulator: Emulator, event: object, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="rotator"):
        assert emulator.deliver(event) == {
            "started": 0,
            "duplicate": 0,
            "skipped": 0,
            "rejected": 1,
        }
    assert any(r.levelno == logging.ERROR for r in caplog.records)


def test_a_failure_to_start_raises_so_lambda_retries_the_event(emulator: Emulator) -> None:
    emulator.set_environment(
        "trigger", STATE_MACHINE_ARN="arn:aws:states:us-east-1:123456789012:stateMachine:missing"
    )
    event = sns_event(backup_completed(RP, TABLE))
    emulator.record_jobs_of(event)
    with pytest.raises(
        AwsRequestFailed, match=r"StartExecution .* failed: StateMachineDoesNotExist"
    ):
        emulator.deliver(event)


def test_a_misconfigured_trigger_fails_loudly(emulator: Emulator) -> None:
    # variables.tf refuses it at plan time; a function edited outside Terraform:
    emulator.set_environment("trigger", SOURCE_PATTERN="(unclosed")
    with pytest.raises(ConfigurationError, match="SOURCE_PATTERN '\\(unclosed'"):
        emulator.deliver(sns_event(backup_completed(RP, TABLE)))
