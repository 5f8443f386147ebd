"""rotator.environment: a function's settings come from Lambda's process environment,
or from the environment the emulator gives one invocation, in its own thread only."""

from __future__ import annotations

import os
import threading

from rotator.environment import environ, given


def test_without_a_given_environment_it_is_the_process_environment() -> None:
    assert environ() is os.environ


def test_a_given_environment_holds_inside_the_block_only() -> None:
    with given({"KEEP_LAST": "2"}):
        assert dict(environ()) == {"KEEP_LAST": "2"}
        with given({"KEEP_LAST": "3"}):
            assert environ()["KEEP_LAST"] == "3"
        assert environ()["KEEP_LAST"] == "2"
    assert environ() is os.environ


def test_each_thread_sees_only_the_environment_given_in_it() -> None:
    """Invocations the emulator runs side by side, one a thread, never see each other's
    environment, and a thread that was given none sees the process's."""
    seen: dict[str, object] = {}
    inside = threading.Barrier(3)  # the two invocations and the bystander

    def invoke(name: str) -> None:
        with given({"ROTATOR_NAME": name}):
            inside.wait()  # all three threads are inside their block at once
            seen[name] = environ().get("ROTATOR_NAME")
            inside.wait()

    def bystander() -> None:
        inside.wait()
        seen["bystander"] = environ()
        inside.wait()

    threads = [
        threading.Thread(target=invoke, args=("first",)),
        threading.Thread(target=invoke, args=("second",)),
        threading.Thread(target=bystander),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {"first": "first", "second": "second", "bystander": os.environ}
