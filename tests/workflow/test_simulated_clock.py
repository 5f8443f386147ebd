"""The simulated clock's concurrent mode, a discrete-event scheduler, on its own: threads
stand in for executions. Every figure is simulated time; real time only bounds the
tests (a broken scheduler hangs instead of failing)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from tests.emulator.simulated_clock import ClockStalled, SimulatedClock, tag

START = datetime(2024, 8, 27, 9, 40, tzinfo=UTC)
# Real seconds within which a working scheduler always gets there, however loaded the
# machine: a bound that only a hung one reaches.
HUNG = 300


def elapsed(clock: SimulatedClock) -> float:
    return (clock.now() - START).total_seconds()


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(START, concurrent=True, stall_seconds=HUNG)


def run_as_participants(
    clock: SimulatedClock, *bodies: Callable[[], None]
) -> dict[int, BaseException]:
    """Each body in a thread of its own participant, joined before any starts (as the
    emulator joins an execution at StartExecution); waits for all to end."""
    errors: dict[int, BaseException] = {}
    participants = [clock.join(f"execution-{n}") for n in range(len(bodies))]

    def run(number: int, body: Callable[[], None]) -> None:
        try:
            with clock.hold(f"execution-{number}"):
                clock.leave(participants[number])  # the hold stands for it from here
                body()
        except BaseException as err:
            errors[number] = err

    threads = [
        threading.Thread(target=run, args=(n, body), daemon=True) for n, body in enumerate(bodies)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=HUNG)
        assert not thread.is_alive(), "a participant never finished"
    return errors


def test_sequential_waits_add_up() -> None:
    clock = SimulatedClock(START)
    clock.sleep(10)
    clock.sleep(20)
    assert elapsed(clock) == 30 == clock.waited_seconds


def test_concurrent_waits_overlap(clock: SimulatedClock) -> None:
    ends: dict[str, float] = {}

    def wait(name: str, seconds: float) -> Callable[[], None]:
        def body() -> None:
            clock.sleep(seconds)
            ends[name] = elapsed(clock)

        return body

    assert run_as_participants(clock, wait("short", 10), wait("long", 20)) == {}
    assert ends == {"short": 10, "long": 20}
    assert elapsed(clock) == 20 == clock.waited_seconds  # not 30


def test_time_moves_to_the_earliest_wake_each_time(clock: SimulatedClock) -> None:
    woke: list[tuple[str, float]] = []

    def polls(name: str, *waits: float) -> Callable[[], None]:
        def body() -> None:
            for seconds in waits:
                clock.sleep(seconds)
                woke.append((name, elapsed(clock)))

        return body

    assert run_as_participants(clock, polls("a", 10, 10, 10), polls("b", 15, 1)) == {}
    assert sorted(woke, key=lambda w: (w[1], w[0])) == [
        ("a", 10),
        ("b", 15),
        ("b", 16),
        ("a", 20),
        ("a", 30),
    ]


def test_an_awake_participant_holds_time(clock: SimulatedClock) -> None:
    """A thread holding the clock (a test delivering a burst) keeps everyone's waits
    from ending until it lets go."""
    woke = threading.Event()
    with clock.hold("deliverer"):
        participant = clock.join("execution")

        def wait() -> None:
            clock.sleep(60)
            woke.set()

        worker = threading.Thread(target=wait, daemon=True)
        tag(worker, participant)
        worker.start()
        assert not woke.wait(0.3)
        assert elapsed(clock) == 0
    assert woke.wait(HUNG)
    assert elapsed(clock) == 60
    clock.leave(participant)


def test_a_thread_started_by_a_participant_waits_as_that_participant(
    clock: SimulatedClock,
) -> None:
    """moto runs a task in a thread of the execution's thread: its wait counts as the
    execution's, and its parent waiting on it (join) is not awake work."""
    started: list[threading.Thread] = []

    def body() -> None:
        def task() -> None:
            clock.sleep(5)

        child = threading.Thread(target=task, daemon=True)
        clock.adopt(child)
        child.start()
        started.append(child)
        child.join(timeout=HUNG)
        clock.sleep(5)

    assert run_as_participants(clock, body, lambda: clock.sleep(7)) == {}
    assert not started[0].is_alive()
    assert elapsed(clock) == 10


def test_a_wait_outside_any_participant_waits_for_the_participants(
    clock: SimulatedClock,
) -> None:
    """A thread that is no participant (a test's own) waits as one of its own: alone,
    at once; with executions running, once they all wait too."""
    clock.sleep(30)
    assert elapsed(clock) == 30
    ends: list[float] = []

    participant = clock.join("execution")

    def body() -> None:
        clock.sleep(100)
        ends.append(elapsed(clock))
        clock.leave(participant)

    worker = threading.Thread(target=body, daemon=True)
    tag(worker, participant)
    worker.start()
    clock.sleep(10)  # both asleep: this wait ends at 40, then the execution's at 130
    worker.join(timeout=HUNG)
    assert ends == [130]  # not 140: the two waits overlapped
    clock.wait_idle(timeout=HUNG)


def test_a_participant_blocked_elsewhere_stalls_the_clock_with_a_report() -> None:
    clock = SimulatedClock(START, concurrent=True, stall_seconds=0.3)
    never = threading.Event()
    blocked = clock.join("execution-blocked-on-a-lock")
    tag_thread = threading.Thread(target=lambda: never.wait(10), daemon=True)
    tag(tag_thread, blocked)
    blocked.threads.append(tag_thread)
    tag_thread.start()
    with pytest.raises(ClockStalled, match="execution-blocked-on-a-lock") as raised:
        clock.sleep(60)  # never ends: the other participant is awake for ever
    assert "never.wait" in str(raised.value)  # where its thread is
    with pytest.raises(ClockStalled):
        clock.sleep(1)  # and every later wait says so at once
    never.set()
    assert elapsed(clock) == 0
