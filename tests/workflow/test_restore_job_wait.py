"""The event-driven wait for AWS Backup restore jobs (restore_job_wait = "event", the
default): a rotation sleeps on a task token until its restore job's Restore Job State
Change wakes it, and looks at the job itself every restore_event_timeout_seconds in
case the best-effort event never comes. Counted the way Step Functions bills (every
state entered and every retry), on the simulated clock."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.emulator.events import restore_job_event
from tests.emulator.harness import Emulator, Settings, state_transitions

COPY = "Orders-staging-20240827-09-20-00"
# Module-level, so tests/conftest.py plans them with the rest.
LOOKS_EVERY_300_S = Settings(restore_event_timeout_seconds=300)
POLLING = Settings(restore_job_wait="poll")


def calls(emulator: Emulator, function: str) -> list[Any]:
    return [i for i in emulator.invocations if i.function == function]


def lag(emulator: Emulator, restore_seconds: float) -> float:
    """Simulated seconds between the restore job's end and the check that saw it."""
    return emulator.clock.waited_seconds - restore_seconds


def states_entered(rotation: Any) -> list[str]:
    return [
        e["stateEnteredEventDetails"]["name"]
        for e in rotation.history
        if e["type"].endswith("StateEntered")
    ]


@pytest.mark.parametrize(("hours", "most_transitions"), [(1, 9), (6, 31)])
def test_a_restore_job_is_noticed_by_its_event(
    make_emulator: Any, hours: int, most_transitions: int
) -> None:
    """The event comes 4 minutes after the job ends (AWS Backup sends its events about
    every 5 minutes); the restore is not a multiple of the look interval."""
    restore_seconds = hours * 3600 - 450
    emulator = make_emulator(restore_seconds=restore_seconds, restore_event_delay=240)
    rotation = emulator.rotate(emulator.advanced_backup_notification("Orders-Production"))

    assert rotation.status == "SUCCEEDED", rotation.cause
    assert emulator.parameter()["Value"].endswith(f":table/{COPY}")
    assert len(calls(emulator, "restore_events")) == 1
    assert rotation.output is not None and rotation.output["wake"]["woken_by"] == "event"
    assert lag(emulator, restore_seconds) == 240
    looks = calls(emulator, "await_restore")
    assert len(looks) == restore_seconds // 900 + 1  # one a restore_event_timeout_seconds
    # StartRestore, ChooseWait, WaitForRestore (once), Configure and Publish besides
    # the looks
    assert len(calls(emulator, "check_restore")) == 1
    transitions = state_transitions(rotation.history)
    assert transitions == len(looks) + 5
    assert transitions <= most_transitions


@pytest.mark.parametrize(("hours", "most_transitions"), [(1, 20), (6, 90)])
def test_a_lost_event_costs_at_most_one_look_interval(
    make_emulator: Any, hours: int, most_transitions: int
) -> None:
    restore_seconds = hours * 3600 - 450
    emulator = make_emulator(restore_seconds=restore_seconds, restore_events=False)
    rotation = emulator.rotate(emulator.advanced_backup_notification("Orders-Production"))

    assert rotation.status == "SUCCEEDED", rotation.cause
    assert calls(emulator, "restore_events") == []
    assert rotation.output is not None and rotation.output["wake"]["woken_by"] == "check"
    assert 0 <= lag(emulator, restore_seconds) <= 900
    assert state_transitions(rotation.history) <= most_transitions


@pytest.mark.parametrize(("hours", "most_transitions"), [(1, 20), (6, 90)])
def test_with_looks_every_300_s_a_lost_event_meets_the_polling_targets(
    make_emulator: Any, hours: int, most_transitions: int
) -> None:
    """restore_event_timeout_seconds = 300: even with every event lost, a 1-hour
    restore costs at most 20 transitions and a 6-hour one at most 90, each noticed
    within 300 s, like the polling wait."""
    restore_seconds = hours * 3600 - 100
    emulator = make_emulator(
        LOOKS_EVERY_300_S, restore_seconds=restore_seconds, restore_events=False
    )
    rotation = emulator.rotate(emulator.advanced_backup_notification("Orders-Production"))

    assert rotation.status == "SUCCEEDED", rotation.cause
    assert 0 <= lag(emulator, restore_seconds) <= 300
    assert state_transitions(rotation.history) <= most_transitions
    timeouts = [e for e in rotation.history if e["type"] == "TaskTimedOut"]
    assert len(timeouts) == -(-restore_seconds // 300)  # a look every 300 s until done


def test_a_denied_send_task_success_is_loud_and_costs_at_most_one_look_interval(
    make_emulator: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """iam.tf grants states:SendTaskSuccess on the state machine, which AWS does not
    document: if Step Functions refuses it, neither the event nor the look can wake
    the wait, yet the rotation goes on after its next look (AwaitRestoreJob catches
    WakeDenied), every refusal is an ERROR naming the permission, and the
    restore-events function fails, which its errors alarm reports."""
    restore_seconds = 3600 - 450
    emulator = make_emulator(restore_seconds=restore_seconds, restore_event_delay=240)
    emulator.inject_fault("SendTaskSuccess", "AccessDeniedException", times=10)
    with caplog.at_level(logging.INFO, logger="rotator"):
        rotation = emulator.rotate(emulator.advanced_backup_notification("Orders-Production"))

    assert rotation.status == "SUCCEEDED", rotation.cause
    assert emulator.parameter()["Value"].endswith(f":table/{COPY}")
    [event] = calls(emulator, "restore_events")
    assert event.error == "WakeDenied"  # the invocation failed: the Errors metric counts it
    assert [i.error for i in calls(emulator, "await_restore")] == [None] * 4 + ["WakeDenied"]
    assert rotation.output is not None and rotation.output["wake"]["Error"] == "WakeDenied"
    # the event came 240 s after the job's end and could not wake it; the look did
    assert 0 < lag(emulator, restore_seconds) <= 900  # restore_event_timeout_seconds
    denials = [r for r in caplog.records if getattr(r, "action", None) == "wake_denied"]
    assert [r.levelno for r in denials] == [logging.ERROR, logging.ERROR]
    for record in denials:
        assert getattr(record, "missing_permission", None) == "states:SendTaskSuccess"
        assert "denied states:SendTaskSuccess" in record.getMessage()
        assert "AccessDeniedException" in record.getMessage()
    assert [r.name for r in denials] == ["rotator.handlers"] * 2


def test_a_failed_restore_job_woken_by_its_event_ends_the_rotation(make_emulator: Any) -> None:
    emulator = make_emulator(restore_seconds=1200, restore_job_end="FAILED")
    emulator.ssm.put_parameter(Name="/staging/database-arn", Value="previous", Type="String")
    rotation = emulator.rotate(emulator.advanced_backup_notification("Orders-Production"))

    assert (rotation.status, rotation.error) == ("FAILED", "RestoreFailed")
    assert "is FAILED" in (rotation.cause or "")
    assert states_entered(rotation)[-2:] == ["WaitForRestore", "RotationFailed"]
    assert len(calls(emulator, "restore_events")) == 1
    assert emulator.parameter()["Value"] == "previous"


def test_a_restore_job_longer_than_the_timeout_ends_in_restore_timed_out(
    make_emulator: Any,
) -> None:
    emulator = make_emulator(restore_seconds=30 * 3600)  # the default timeout is 24 h
    rotation = emulator.rotate(emulator.advanced_backup_notification("Orders-Production"))

    assert (rotation.status, rotation.error) == ("FAILED", "RestoreTimedOut")
    assert "raise restore_timeout_seconds" in (rotation.cause or "")
    assert 24 * 3600 <= emulator.clock.waited_seconds <= 24 * 3600 + 900
    assert calls(emulator, "restore_events") == []


def test_a_dynamodb_restore_is_polled_not_awaited(make_emulator: Any) -> None:
    emulator = make_emulator(restore_seconds=150)
    rotation = emulator.rotate(emulator.backup_notification("Orders-Production"))

    assert rotation.status == "SUCCEEDED", rotation.cause
    assert "AwaitRestoreJob" not in states_entered(rotation)
    assert calls(emulator, "await_restore") == []


def test_events_nobody_waits_for_change_nothing(make_emulator: Any) -> None:
    emulator = make_emulator(restore_seconds=600)
    rotation = emulator.rotate(emulator.advanced_backup_notification("Orders-Production"))
    assert rotation.status == "SUCCEEDED", rotation.cause
    [woken] = calls(emulator, "restore_events")
    assert rotation.output is not None
    restore_job_id = rotation.output["restore"]["restore_job_id"]

    # the same event again, after the rotation ended; and another account's restore
    again = emulator.call("restore_events", woken.payload)
    other = emulator.call(
        "restore_events",
        restore_job_event("9D2F61C4-0000-4000-8000-000000000001", "COMPLETED", "arn:aws:x"),
    )
    assert again == other == {"woken": 0}
    waits = emulator.dynamodb.scan(TableName="ddb-rotator-restore-waits")["Items"]
    assert waits == []  # the used token was deleted
    assert woken.payload["detail"]["restoreJobId"] == restore_job_id


def test_a_token_whose_wait_is_over_is_no_error(emulator: Emulator) -> None:
    emulator.dynamodb.put_item(
        TableName="ddb-rotator-restore-waits",
        Item={
            "restore_job_id": {"S": "4C1D2E3F-0000-4000-8000-00000000000A"},
            "task_token": {"S": "a-token-of-a-wait-that-timed-out"},
            "execution": {"S": "gone"},
            "expires_at": {"N": "1724800000"},
        },
    )
    event = restore_job_event("4C1D2E3F-0000-4000-8000-00000000000A", "COMPLETED", "arn:aws:x")
    assert emulator.call("restore_events", event) == {"woken": 0}


def test_with_restore_job_wait_poll_the_module_has_no_event_wait(make_emulator: Any) -> None:
    emulator = make_emulator(POLLING, restore_seconds=3600 - 100)
    rendering = emulator.rendering
    assert set(rendering.functions) == {
        "trigger",
        "start_restore",
        "check_restore",
        "configure",
        "publish",
    }
    # no waits table (only the ledger of copies, which every rotation keeps), no rule
    assert rendering.tables == {"ddb-rotator-copies": "copy"} and rendering.event_patterns == {}
    assert {"ChooseWait", "AwaitRestoreJob"}.isdisjoint(rendering.definition["States"])
    assert rendering.definition["States"]["StartRestore"]["Next"] == "WaitForRestore"

    rotation = emulator.rotate(emulator.advanced_backup_notification("Orders-Production"))
    assert rotation.status == "SUCCEEDED", rotation.cause
    assert state_transitions(rotation.history) <= 20
    assert len(calls(emulator, "check_restore")) > 1
