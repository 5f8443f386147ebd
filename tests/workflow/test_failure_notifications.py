"""Failure notifications: with notification_topic_arn, every failed rotation publishes
one JSON message to the topic (Step Functions' SNS integration, run by moto's
interpreter), and still ends in RotationFailed with the error of the step that broke.
The topic is subscribed by an SQS queue, so the tests read what a subscriber gets."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.emulator.events import FAILURE_TOPIC_ARN
from tests.emulator.harness import Emulator, Rotation, Settings

COPY = "Orders-staging-20240827-09-20-00"
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
# The same inputs as tests/provider/test_policies.py, so both read one plan.
NOTIFYING = Settings(notification_topic_arn=FAILURE_TOPIC_ARN, notification_topic_kms_key_arn=KEY)
MESSAGE_FIELDS = {
    "rotator",
    "execution_arn",
    "failed_state",
    "error",
    "cause",
    "target_table",
    "copy_fate",
    "backup",
    "restore",
}


class Subscriber:
    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.queue_url = emulator.subscribe_queue(FAILURE_TOPIC_ARN)

    def messages(self) -> list[dict[str, Any]]:
        """The notifications received so far: SNS envelopes, Message parsed."""
        return [
            {**envelope, "Message": json.loads(envelope["Message"])}
            for envelope in self.emulator.received(self.queue_url)
        ]

    def only_message(self) -> dict[str, Any]:
        envelopes = self.messages()
        assert len(envelopes) == 1, envelopes
        return envelopes[0]


def notifying(make_emulator: Any, **options: Any) -> tuple[Emulator, Subscriber]:
    emulator: Emulator = make_emulator(NOTIFYING, **options)
    emulator.sns.create_topic(Name=FAILURE_TOPIC_ARN.rsplit(":", 1)[1])
    return emulator, Subscriber(emulator)


def execution_input(emulator: Emulator, rotation: Rotation) -> dict[str, Any]:
    described = emulator.stepfunctions.describe_execution(executionArn=rotation.execution_arn)
    return dict(json.loads(described["input"]))


def states_entered(rotation: Rotation) -> list[str]:
    return [
        event["stateEnteredEventDetails"]["name"]
        for event in rotation.history
        if event["type"].endswith("StateEntered")
    ]


def test_a_failed_restore_job_publishes_one_message_with_the_rotations_details(
    make_emulator: Any,
) -> None:
    emulator, subscriber = notifying(make_emulator, restore_seconds=120, restore_job_end="FAILED")
    rotation = emulator.rotate(emulator.advanced_backup_notification("Orders-Production"))

    assert (rotation.status, rotation.error) == ("FAILED", "RestoreFailed")
    envelope = subscriber.only_message()
    assert envelope["TopicArn"] == FAILURE_TOPIC_ARN
    assert envelope["Subject"] == "DynamoDB Backup Rotator ddb-rotator: a rotation failed"
    message = envelope["Message"]
    assert set(message) == MESSAGE_FIELDS
    assert message["rotator"] == "ddb-rotator"
    assert message["execution_arn"] == rotation.execution_arn
    assert message["failed_state"] == "WaitForRestore"
    assert (message["error"], message["cause"]) == (rotation.error, rotation.cause)
    assert message["target_table"] == COPY
    # no keep_last here: the copy stays, recorded in the ledger, until deleted by hand
    assert message["copy_fate"] == (
        "Any copy named in target_table is kept and recorded in the ledger ddb-rotator-copies; "
        "nothing deletes it, since keep_last is not set: delete it by hand once inspected."
    )
    backup = execution_input(emulator, rotation)["backup"]
    assert message["backup"] == backup
    assert backup["source_table"] == "Orders-Production"
    assert backup["recovery_point_arn"].startswith("arn:aws:backup:us-east-1:123456789012:")
    assert backup["job_id"] == "7B1E3A42-9D5C-4F3E-8C1D-2E4F6A8B0C1D"
    [job_id] = emulator.recovery_points.jobs
    assert message["restore"]["restore_job_id"] == job_id
    assert message["restore"]["target_table_name"] == COPY


def test_a_restore_that_never_finishes_publishes_its_timeout(make_emulator: Any) -> None:
    emulator, subscriber = notifying(make_emulator, restore_seconds=10**9)
    rotation = emulator.rotate(emulator.backup_notification("Orders-Production"))

    assert (rotation.status, rotation.error) == ("FAILED", "RestoreTimedOut")
    message = subscriber.only_message()["Message"]
    assert (message["failed_state"], message["error"]) == ("WaitForRestore", "RestoreTimedOut")
    assert message["cause"] == rotation.cause
    assert message["target_table"] == COPY
    assert message["restore"]["deadline"] == "2024-08-28T09:40:00Z"  # 24 hours, the default


def test_a_failure_before_the_copy_is_named_publishes_no_target_table(
    make_emulator: Any,
) -> None:
    emulator, subscriber = notifying(make_emulator)
    event = emulator.backup_notification("Orders-Production")
    emulator.create_source_table(COPY, items=2)  # taken: TargetTableConflict
    rotation = emulator.rotate(event)

    assert (rotation.status, rotation.error) == ("FAILED", "TargetTableConflict")
    message = subscriber.only_message()["Message"]
    assert message["failed_state"] == "StartRestore"
    assert (message["target_table"], message["restore"]) == (None, None)
    assert message["backup"]["source_table"] == "Orders-Production"
    assert message["error"] == "TargetTableConflict"


def test_a_failure_of_the_last_step_publishes_it(make_emulator: Any) -> None:
    emulator, subscriber = notifying(make_emulator)
    emulator.inject_fault("PutParameter", "AccessDeniedException")  # PutParameter fails
    rotation = emulator.rotate(emulator.backup_notification("Orders-Production"))

    assert (rotation.status, rotation.error) == ("FAILED", "AwsRequestFailed")
    message = subscriber.only_message()["Message"]
    assert (message["failed_state"], message["target_table"]) == ("Publish", COPY)


@pytest.mark.parametrize(
    "backup",
    [
        {"job_id": "by-hand"},  # fields missing
        "not a backup job",  # not even an object
    ],
)
def test_an_execution_started_with_a_bad_input_publishes_it_as_given(
    make_emulator: Any, backup: Any
) -> None:
    emulator, subscriber = notifying(make_emulator)
    started = emulator.stepfunctions.start_execution(
        stateMachineArn=emulator.state_machine_arn,
        name="by-hand",
        input=json.dumps({"backup": backup}),
    )
    rotation = emulator.wait_for(started["executionArn"])

    assert (rotation.status, rotation.error) == ("FAILED", "InvalidInput")
    message = subscriber.only_message()["Message"]
    assert message["failed_state"] == "StartRestore"
    assert message["backup"] == backup
    assert (message["error"], message["cause"]) == ("InvalidInput", rotation.cause)
    assert message["execution_arn"] == started["executionArn"]


def test_a_successful_rotation_publishes_nothing(make_emulator: Any) -> None:
    emulator, subscriber = notifying(make_emulator, restore_seconds=90)
    rotation = emulator.rotate(emulator.backup_notification("Orders-Production"))

    assert rotation.status == "SUCCEEDED", rotation.cause
    assert subscriber.messages() == []
    assert states_entered(rotation) == [
        "StartRestore",
        "ChooseWait",
        "WaitForRestore",
        "Configure",
        "Publish",
    ]


def test_a_notification_that_cannot_be_published_leaves_the_original_error(
    make_emulator: Any,
) -> None:
    emulator: Emulator = make_emulator(NOTIFYING)  # the topic does not exist
    event = emulator.backup_notification("Orders-Production")
    emulator.create_source_table(COPY, items=2)
    rotation = emulator.rotate(event)

    assert (rotation.status, rotation.error) == ("FAILED", "TargetTableConflict")
    assert f"table {COPY} already exists" in (rotation.cause or "")
    publishes = [
        event
        for event in rotation.history
        if event["type"] == "TaskScheduled"
        and event["taskScheduledEventDetails"]["resource"] == "publish"
    ]
    assert len(publishes) == 4  # the first attempt and its three retries
    assert states_entered(rotation)[-2:] == ["NotifyFailure", "RotationFailed"]


def test_without_a_topic_there_is_no_publish_and_a_failure_keeps_its_error(
    emulator: Emulator,
) -> None:
    states = emulator.rendering.definition["States"]
    assert set(states) == {
        "StartRestore",
        "ChooseWait",
        "AwaitRestoreJob",
        "WaitForRestore",
        "Configure",
        "Publish",
        "RotationFailed",
    }
    catchers = [c for state in states.values() for c in state.get("Catch", [])]
    # AwaitRestoreJob's first Catch is its fallback to polling (its own timeout, or a
    # wake its role may not send), not a failure
    fallback = {
        "ErrorEquals": ["States.Timeout", "WakeDenied"],
        "ResultPath": "$.wake",
        "Next": "WaitForRestore",
    }
    assert states["AwaitRestoreJob"]["Catch"][0] == fallback
    failures = [c for c in catchers if c != fallback]
    assert len(failures) == 5 and {c["Next"] for c in failures} == {"RotationFailed"}

    event = emulator.backup_notification("Orders-Production")
    emulator.create_source_table(COPY, items=2)
    rotation = emulator.rotate(event)
    assert (rotation.status, rotation.error) == ("FAILED", "TargetTableConflict")
    assert f"table {COPY} already exists" in (rotation.cause or "")
    assert states_entered(rotation) == ["StartRestore", "RotationFailed"]
