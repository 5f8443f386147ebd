"""A burst of backup jobs completing at once against DynamoDB's restore limits, small
enough for the suite: 12 jobs, 4 restores at a time, 2 calls a second, on the concurrent
clock (the 200-job version is ``make bench``'s, ``bench/burst.py``). Every figure is a
count; the burst's simulated duration is the bench's to report, not a test's."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulator import bursts
from tests.emulator.harness import Emulator
from tests.emulator.restore_limits import RestoreLimits

JOBS = 12


@pytest.fixture
def burst(make_emulator: Any) -> tuple[Emulator, bursts.Burst]:
    emulator: Emulator = make_emulator(
        bursts.BURST_SETTINGS,
        restore_seconds=600,
        concurrent=True,
        restore_limits=RestoreLimits(concurrent=4, per_second=2),
    )
    return emulator, bursts.run(emulator, JOBS)


def test_every_job_of_a_burst_is_restored_once(burst: tuple[Emulator, bursts.Burst]) -> None:
    emulator, result = burst
    assert result.statuses == {"SUCCEEDED": JOBS}
    assert result.restored == JOBS
    assert result.duplicated == 0
    assert sorted(result.copies) == [f"burst-{n:04d}" for n in range(JOBS)]
    assert len(emulator.executions()) == JOBS


def test_each_refused_start_is_retried_until_a_slot_frees(
    burst: tuple[Emulator, bursts.Burst],
) -> None:
    emulator, result = burst
    # both limits were hit: the calls beyond 2 a second at the start, then the restores
    # beyond 4 in progress
    assert result.limit_refusals["per_second"] > 0
    assert result.limit_refusals["concurrent"] > 0
    starts = [i for i in emulator.invocations if i.function == "start_restore"]
    refused = [i for i in starts if i.error is not None]
    assert {i.error for i in refused} == {"RestoreLimitExceeded"}
    assert result.refused_starts == len(refused) > 0
    # every job started its restore exactly once in the end, whatever it took
    succeeded = [i.payload["execution"] for i in starts if i.error is None]
    assert sorted(succeeded) == [f"burst-{n:04d}" for n in range(JOBS)]
    # each refusal the function saw costs one retry of StartRestore, a state transition,
    # on top of an uncontended rotation's 9: StartRestore, ChooseWait, WaitForRestore
    # and its 4 retries (ready at the check 720 s after the start), Configure, Publish
    assert result.transitions == JOBS * 9 + result.refused_starts
