"""Rotations of realistic length with the defaults, and a harness without races."""

from __future__ import annotations

import sys
import threading
from typing import Any

import boto3

from tests.emulator.harness import Emulator, state_transitions

COPY = "Orders-staging-20240827-09-20-00"


def test_a_six_hour_restore_succeeds_with_the_default_settings(make_emulator: Any) -> None:
    emulator = make_emulator(restore_seconds=6 * 3600)
    rotation = emulator.rotate(emulator.backup_notification("Orders-Production"))
    assert rotation.status == "SUCCEEDED", rotation.cause
    assert emulator.parameter()["Value"].endswith(f":table/{COPY}")
    checks = [i for i in emulator.invocations if i.function == "check_restore"]
    assert len(checks) == 6 * 60  # every 60 s (the default), the last at 6 h: ready
    # three transitions per poll, plus StartRestore and Publish; under the history cap
    assert state_transitions(rotation.history) == 3 * len(checks) + 2
    assert len(rotation.history) < 25_000


def test_clients_made_on_other_threads_never_see_a_changed_environment(
    make_emulator: Any,
) -> None:
    """The handlers get their settings as an argument; nothing empties os.environ
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
