"""The emulator's simulated clock: Wait states, Retry back-offs and botocore's retries
wait on it instead of sleeping, and the handlers read it (``rotator.clock.now``).

**Sequential (the default).** A wait simply moves the clock on by its seconds
(``advance``). That is right while one execution runs at a time, as in almost every
test: a rotation's waits add up to its simulated duration.

**Concurrent** (``SimulatedClock(start, concurrent=True)``): a discrete-event scheduler
for many executions at once (moto runs each in threads of its own). Whoever takes part
in simulated time is a *participant*: an execution (the emulator joins one when
StartExecution starts it, in the caller's thread, and lets it leave when its last state
is done), or a thread holding the clock (``hold``: a test handing 200 events to the
trigger "at once"). A thread started by a participant's thread belongs to that
participant (``adopt``, which the emulator calls from ``threading.Thread.start``); a wait
of a thread that belongs to no participant makes it one for that wait.

A wait (``sleep``) blocks its thread until simulated time reaches its wake time.
Simulated time moves only when every participant is asleep, and then straight to the
earliest wake time: 200 executions each waiting 60 s take 60 simulated seconds, not
12,000. A participant is asleep while one of its threads waits on the clock; the
assumption is one line of work per participant at a time, as moto runs a state
machine without Parallel states or concurrent Map iterations (a second thread of the
same participant that waits meanwhile, as a ``.waitForTaskToken`` task's may, waits as a
participant of its own). A participant that is awake and blocked on something else (a
lock held by a waiting thread, say) stops the clock for everyone: if nothing joins,
leaves, falls asleep or wakes for ``stall_seconds`` of real time while a thread waits,
the clock declares itself stalled and every wait, present and future, raises
``ClockStalled`` with a report of the participants still awake and where their threads
are, instead of hanging forever.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

# The default ``stall_seconds``: a guard against a deadlock, not a speed limit. A handler
# that is merely slow (a loaded two-core machine) makes progress within it; only a
# participant blocked for good exceeds it.
STALL_SECONDS = 300.0

# The attribute of a threading.Thread naming the participant it belongs to.
_ATTRIBUTE = "_simulated_clock_participant"


class ClockStalled(RuntimeError):
    """No participant made progress for ``stall_seconds`` of real time while some
    waited on the clock; the message says who was awake and where."""


@dataclass(eq=False)
class Participant:
    """An execution, or a thread holding the clock. Compared by identity."""

    name: str
    threads: list[threading.Thread] = field(default_factory=list)


@dataclass(eq=False)
class _Sleeper:
    wake: datetime
    woken: threading.Event = field(default_factory=threading.Event)


class SimulatedClock:
    def __init__(
        self, start: datetime, *, concurrent: bool = False, stall_seconds: float = STALL_SECONDS
    ) -> None:
        self._start = start
        self._now = start
        self._lock = threading.Lock()
        # Simulated seconds waited: the sum of the waits (sequential), or how far the
        # clock has moved (concurrent).
        self.waited_seconds = 0.0
        self.concurrent = concurrent
        self.stall_seconds = stall_seconds
        self.stalled: str | None = None  # the report, once stalled
        self._participants: set[Participant] = set()
        self._asleep: dict[Participant, _Sleeper] = {}
        self._changed = threading.Condition(self._lock)  # a participant left, or a stall
        self._progress = time.monotonic()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` of simulated time pass: at once (sequential), or as a wait of
        the calling thread (concurrent)."""
        if self.concurrent:
            self.sleep(seconds)
            return
        with self._lock:
            self._now += timedelta(seconds=seconds)
            self.waited_seconds += seconds

    def sleep(self, seconds: float) -> None:
        """What the emulator's waits call: ``advance`` (sequential), or block until
        simulated time is ``seconds`` later than now (concurrent)."""
        if not self.concurrent:
            self.advance(seconds)
            return
        if seconds <= 0:
            return
        thread = threading.current_thread()
        own = getattr(thread, _ATTRIBUTE, None)
        with self._lock:
            if self.stalled is not None:
                raise ClockStalled(self.stalled)
            alone = own is None or own not in self._participants or own in self._asleep
            participant = self._join(thread.name, thread) if alone else own
            assert participant is not None
            sleeper = _Sleeper(self._now + timedelta(seconds=seconds))
            self._asleep[participant] = sleeper
            self._touch()
            self._advance_if_idle()
        try:
            self._await(participant, sleeper)
        finally:
            if alone:
                self.leave(participant)

    def _await(self, participant: Participant, sleeper: _Sleeper) -> None:
        poll = max(min(self.stall_seconds / 4, 2.0), 0.01)
        while not sleeper.woken.wait(poll):
            with self._lock:
                if self.stalled is None and time.monotonic() - self._progress > self.stall_seconds:
                    self._stall()
        with self._lock:
            if self.stalled is not None:
                if self._asleep.get(participant) is sleeper:
                    del self._asleep[participant]
                raise ClockStalled(self.stalled)

    # -- participants ------------------------------------------------------------------

    def join(self, name: str, thread: threading.Thread | None = None) -> Participant:
        """A new participant (awake), optionally with its first thread (which is then
        tagged as its own)."""
        with self._lock:
            return self._join(name, thread)

    def _join(self, name: str, thread: threading.Thread | None) -> Participant:
        participant = Participant(name)
        if thread is not None:
            participant.threads.append(thread)
        self._participants.add(participant)
        self._touch()
        return participant

    def leave(self, participant: Participant) -> None:
        with self._lock:
            self._participants.discard(participant)
            self._asleep.pop(participant, None)
            self._touch()
            self._advance_if_idle()
            self._changed.notify_all()

    def adopt(self, thread: threading.Thread) -> None:
        """``thread``, about to start from the current thread, belongs to the current
        thread's participant, if it has one."""
        participant = getattr(threading.current_thread(), _ATTRIBUTE, None)
        if participant is None or getattr(thread, _ATTRIBUTE, None) is not None:
            return
        tag(thread, participant)
        with self._lock:
            if len(participant.threads) > 16:
                participant.threads[:] = [t for t in participant.threads if t.is_alive()]
            participant.threads.append(thread)

    @contextmanager
    def hold(self, name: str = "holder") -> Iterator[Participant]:
        """Keep simulated time where it is while the calling thread works (concurrent):
        it takes part as an awake participant until the block ends."""
        thread = threading.current_thread()
        previous = getattr(thread, _ATTRIBUTE, None)
        participant = self.join(name, thread)
        tag(thread, participant)
        try:
            yield participant
        finally:
            tag(thread, previous)
            self.leave(participant)

    def wait_idle(self, timeout: float) -> None:
        """Block (real time, at most ``timeout`` seconds) until no participant is left:
        every execution has ended. Raises ``ClockStalled`` or ``TimeoutError``."""
        limit = time.monotonic() + timeout
        with self._lock:
            while self._participants and self.stalled is None:
                left = limit - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"hung: {len(self._participants)} participants still running after "
                        f"{timeout} s of real time"
                    )
                self._changed.wait(min(left, 1.0))
            if self.stalled is not None:
                raise ClockStalled(self.stalled)

    @property
    def participants(self) -> int:
        with self._lock:
            return len(self._participants)

    # -- the scheduler (called with the lock held) ----------------------------------

    def _touch(self) -> None:
        self._progress = time.monotonic()

    def _advance_if_idle(self) -> None:
        """Every participant asleep: move to the earliest wake time and wake whoever is
        due then. The woken are awake from here on, before their threads run."""
        if not self._participants or len(self._asleep) < len(self._participants):
            return
        wake = min(sleeper.wake for sleeper in self._asleep.values())
        if wake > self._now:
            self._now = wake
            self.waited_seconds = (self._now - self._start).total_seconds()
        for participant, sleeper in list(self._asleep.items()):
            if sleeper.wake <= self._now:
                del self._asleep[participant]
                sleeper.woken.set()
        self._touch()

    def _stall(self) -> None:
        awake = [p for p in self._participants if p not in self._asleep]
        frames = sys._current_frames()
        lines = [
            f"simulated clock stalled at {self._now.isoformat()}: no progress for "
            f"{self.stall_seconds} s of real time; {len(self._asleep)} of "
            f"{len(self._participants)} participants wait on the clock, these are awake "
            "and blocked elsewhere:"
        ]
        for participant in awake:
            lines.append(f"  {participant.name}")
            for thread in participant.threads:
                frame = frames.get(thread.ident or -1)
                if frame is None:
                    continue
                stack = traceback.format_stack(frame)[-4:]
                lines.append(f"    thread {thread.name}:")
                lines.extend("      " + line.strip().replace("\n", "\n      ") for line in stack)
        self.stalled = "\n".join(lines)
        for sleeper in self._asleep.values():
            sleeper.woken.set()
        self._changed.notify_all()


def tag(thread: threading.Thread, participant: Participant | None) -> None:
    """Make ``thread`` belong to ``participant`` (``None``: to none)."""
    setattr(thread, _ATTRIBUTE, participant)
