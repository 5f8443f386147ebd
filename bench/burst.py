"""``make bench``'s burst: 200 backup jobs completing at once, against DynamoDB's restore
limits (50 restores in progress, 10 RestoreTableFromBackup calls a second, beyond that
``LimitExceededException``), on the emulator with its concurrent clock (every
execution's waits overlap, as in AWS). Each restore takes an hour of simulated time.

Reports how many copies were restored (ACTIVE, and their parameter names them; all 200
are expected), how many were duplicated (a second copy of a backup, or a second
execution of a job; none expected) and the burst's simulated duration, from the
deliveries to the last execution's end, against the ideal: every restore slot busy all
the time, ceil(200 / 50) = 4 restores in a row (4 h). Target: at most 1.25 times that.

``PYTHONPATH=lambda python -m bench.burst`` prints the figures as JSON.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from tests.emulator import bursts
from tests.emulator.harness import Emulator
from tests.emulator.restore_limits import RestoreLimits

JOBS = 200
RESTORE_SECONDS = 3600  # the one-hour restore the rest of the bench uses
LIMITS = RestoreLimits(concurrent=50, per_second=10)
TARGET_RATIO = 1.25


def run_burst(
    jobs: int = JOBS, restore_seconds: float = RESTORE_SECONDS, limits: RestoreLimits = LIMITS
) -> dict[str, Any]:
    # moto's interpreter logs ChooseWait's IsPresent test of a missing path as an error
    logging.getLogger("moto.stepfunctions.parser.asl.component.eval_component").setLevel(
        logging.CRITICAL
    )
    began = time.monotonic()
    with Emulator(
        bursts.BURST_SETTINGS,
        restore_seconds=restore_seconds,
        concurrent=True,
        restore_limits=limits,
    ) as emulator:
        burst = bursts.run(emulator, jobs)
    return {
        "burst_restored": burst.restored,
        "burst_duplicated": burst.duplicated,
        "burst_ratio_to_ideal": round(burst.ratio_to_ideal, 4),
        "burst_target_ratio": TARGET_RATIO,
        "burst_jobs": jobs,
        "burst_restore_seconds": restore_seconds,
        "burst_concurrent_restore_limit": limits.concurrent,
        "burst_restore_calls_per_second_limit": limits.per_second,
        "burst_ideal_s": burst.ideal_s,
        "burst_duration_s": round(burst.duration_s, 1),
        "burst_executions": burst.statuses,
        "burst_limit_refusals": sum(burst.limit_refusals.values()),
        "burst_limit_refusals_by_limit": burst.limit_refusals,
        "burst_refused_starts": burst.refused_starts,
        "burst_transitions": burst.transitions,
        "burst_transitions_per_rotation": round(burst.transitions / jobs, 1),
        "burst_lambda_invocations": burst.lambda_invocations,
        "burst_real_seconds": round(burst.real_seconds, 1),
        "burst_real_seconds_with_setup": round(time.monotonic() - began, 1),
    }


if __name__ == "__main__":
    print(json.dumps(run_burst(), indent=2))
