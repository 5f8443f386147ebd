"""The event-driven wait's functions, called directly against moto: what they refuse
and how they say why."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from rotator.errors import ConfigurationError, InvalidInput
from tests.emulator.events import eventbridge_event, restore_job_event
from tests.emulator.harness import Emulator

WAITS = "ddb-rotator-restore-waits"


def step_input(emulator: Emulator) -> dict[str, Any]:
    """The input of AwaitRestoreJob for a restore job StartRestore started."""
    arn = emulator.create_source_table("Orders-Production")
    backup = emulator.recorded_input(emulator.create_recovery_point("Orders-Production"), arn)[
        "backup"
    ]
    restore = emulator.call("start_restore", {"backup": backup})
    return {"backup": backup, "restore": restore, "execution": "run-1", "task_token": "tok"}


def test_await_restore_needs_the_task_token(make_emulator: Any) -> None:
    emulator = make_emulator(restore_seconds=600)
    given = step_input(emulator)
    del given["task_token"]
    with pytest.raises(InvalidInput, match=r"'task_token' is missing; expected \$\$.Task.Token"):
        emulator.call("await_restore", given)
    assert emulator.dynamodb.scan(TableName=WAITS)["Items"] == []


def test_await_restore_refuses_a_dynamodb_restore(emulator: Emulator) -> None:
    given = step_input(emulator)
    del given["restore"]["restore_job_id"]
    with pytest.raises(InvalidInput, match="only AWS Backup restores are awaited"):
        emulator.call("await_restore", given)


def test_await_restore_files_the_token_of_a_running_job(make_emulator: Any) -> None:
    emulator = make_emulator(restore_seconds=600)
    given = step_input(emulator)
    assert emulator.call("await_restore", given) == {"waiting": True, "status": "RUNNING"}
    [item] = emulator.dynamodb.scan(TableName=WAITS)["Items"]
    assert item["restore_job_id"]["S"] == given["restore"]["restore_job_id"]
    assert item["task_token"]["S"] == "tok"
    assert item["execution"]["S"] == "run-1"
    # kept a day past the restore's deadline, then DynamoDB's TTL removes it
    assert int(item["expires_at"]["N"]) == 1724751600 + 86400 + 86400


def test_await_restore_without_its_table_setting_says_so(emulator: Emulator) -> None:
    emulator.set_environment("await_restore", WAITS_TABLE_NAME="")
    with pytest.raises(ConfigurationError, match="WAITS_TABLE_NAME is ''"):
        emulator.call("await_restore", step_input(emulator))


@pytest.mark.parametrize(
    ("event", "level", "reason"),
    [
        ({"detail-type": "Restore Job State Change"}, logging.INFO, "expected 'aws.backup'"),
        (
            eventbridge_event("Restore Job State Change", {"status": "COMPLETED"}, []),
            logging.WARNING,
            "restoreJobId None",
        ),
        (restore_job_event("R-1", "RUNNING", "arn:aws:x"), logging.INFO, "only a finished job"),
        ("not an event", logging.WARNING, "event is not an object"),
    ],
)
def test_restore_events_skips_what_it_cannot_use_and_says_why(
    emulator: Emulator, caplog: pytest.LogCaptureFixture, event: Any, level: int, reason: str
) -> None:
    with caplog.at_level(logging.INFO, logger="rotator"):
        assert emulator.call("restore_events", event) == {"woken": 0}
    [record] = [r for r in caplog.records if r.name == "rotator.handlers.restore_events"]
    assert record.levelno == level and reason in record.getMessage()
