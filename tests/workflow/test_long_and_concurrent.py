"""Rotations of realistic length with the defaults, and a harness without races."""

from __future__ import annotations

import sys
import threading
from typing import Any

import boto3
import pytest

from tests.emulator.harness import Emulator, state_transitions

COPY = "Orders-staging-20240827-09-20-00"


def detection_lag(emulator: Emulator, restore_seconds: int) -> float:
    """Simulated seconds between the copy being ready and the check that saw it."""
    return emulator.clock.waited_seconds - restore_seconds


@pytest.mark.parametrize(
    ("hours", "most_transitions"),
    [(1, 20), (6, 90)],
)
def test_a_long_restore_costs_one_transition_a_check_and_is_noticed_within_300_s(
    make_emulator: Any, hours: int, most_transitions: int
) -> None:
    """Counted from the execution history the way Step Functions bills: every state
    entered and every retry. With the default settings."""
    emulator = make_emulator(restore_seconds=hours * 3600)
    rotation = emulator.rotate(emulator.backup_notification("Orders-Production"))
    assert rotation.status == "SUCCEEDED", rotation.cause
    assert emulator.parameter()["Value"].endswith(f":table/{COPY}")
    checks = [i for i in emulator.invocations if i.function == "check_restore"]
    transitions = state_transitions(rotation.history)
    assert transitions <= most_transitions
    # StartRestore, ChooseWait, Configure and Publish besides the checks
    assert transitions == len(checks) + 4
    assert 0 <= detection_lag(emulator, hours * 3600) <= 300
    assert max(emulator.retry_waits) == 300  # the interval grows to its cap


def test_a_restore_of_a_day_stays_far_under_the_history_cap(make_emulator: Any) -> None:
    emulator = make_emulator(restore_seconds=24 * 3600 - 60)  # just within the default timeout
    rotation = emulator.rotate(emulator.backup_notification("Orders-Production"))
    assert rotation.status == "SUCCEEDED", rotation.cause
    assert len(rotation.history) < 1000


def test_clients_made_on_other_threads_never_see_a_changed_environment(
    make_emulator: Any,
) -> None:
    """The handlers read their function's environment from ``rotator.environment``,
    which the emulator sets in each invoking thread alone; nothing empties os.environ
    while the state machine's threads, or any other, create boto3 clients.

    Threads switch as often as Python allows, so a window in which the environment
    lacks the Region (as when a handler call was wrapped in ``mock.patch.dict``) is
    hit within a few hundred handler calls.
    """
    emulator: Emulator = make_emulator(restore_seconds=600)  # ten polls a rotation
    errors: list[BaseException] = []
    made = 0
    stop = threading.Event()

    def make_clients() -> None:
        nonlocal made
        while not stop.is_set():
            try:
                boto3.session.Session().client("dynamodb")  # reads the Region from os.environ
                made += 1
            except BaseException as err:  # NoRegionError when the environment is empty
                errors.append(err)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    worker = threading.Thread(target=make_clients, daemon=True)
    worker.start()
    try:
        statuses = []
        for number in range(12):
            event = emulator.backup_notification(
                f"Orders{number}-Production", job_id=f"job-{number:04d}", items=2
            )
            statuses.append(emulator.rotate(event).status)
    finally:
        stop.set()
        worker.join()
        sys.setswitchinterval(interval)
    assert statuses == ["SUCCEEDED"] * 12
    assert made > 0
    assert errors == []
