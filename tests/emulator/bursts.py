"""A burst of backup jobs completing at once, on an emulator with the concurrent clock
and DynamoDB's restore limits: what ``make bench``'s burst runs (``bench/burst.py``, 200
jobs) and ``tests/workflow/test_burst.py`` checks (a dozen).

Each job is a backup of a table of its own (``Orders000-Production``, ...), so each
rotation makes a copy of its own and moves a parameter of its own
(``BURST_SETTINGS``: ``/staging/{source_table}/database-arn``). All the notifications
are handed to the trigger at the same simulated instant (the clock is held while they
are delivered); then the executions run until every one has ended.
"""

from __future__ import annotations

import json
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tests.emulator.harness import Emulator, Settings, state_transitions

BURST_SETTINGS = Settings(ssm_parameter_name="/staging/{source_table}/database-arn")


@dataclass
class Burst:
    """What a burst left behind. Durations are simulated seconds."""

    jobs: int
    restore_seconds: float
    concurrent_limit: int
    restored: int
    duplicated: int
    statuses: dict[str, int]
    duration_s: float
    limit_refusals: dict[str, int]
    refused_starts: int  # StartRestore invocations that ended in RestoreLimitExceeded
    transitions: int
    lambda_invocations: int
    real_seconds: float
    copies: dict[str, str] = field(default_factory=dict)  # job id -> copy

    @property
    def ideal_s(self) -> float:
        """Every restore slot busy all the time: ceil(jobs / limit) restores in a row."""
        return math.ceil(self.jobs / self.concurrent_limit) * self.restore_seconds

    @property
    def ratio_to_ideal(self) -> float:
        return self.duration_s / self.ideal_s


def source_table(number: int) -> str:
    return f"Orders{number:03d}-Production"


def run(emulator: Emulator, jobs: int, *, timeout: float = 1800) -> Burst:
    """Back up ``jobs`` tables, deliver their notifications at once, wait (at most
    ``timeout`` real seconds) for every execution, and count."""
    assert emulator.clock.concurrent and emulator.restore_limits is not None
    concurrent_limit = emulator.restore_limits.concurrent
    assert concurrent_limit is not None
    events = [
        emulator.backup_notification(source_table(n), job_id=f"burst-{n:04d}", items=1)
        for n in range(jobs)
    ]
    began = time.monotonic()
    start = emulator.clock.now()
    with emulator.clock.hold("the burst's deliveries"):
        for event in events:
            emulator.deliver(event)
    emulator.clock.wait_idle(timeout)
    real_seconds = time.monotonic() - began
    return _count(emulator, jobs, concurrent_limit, start, real_seconds)


def _count(
    emulator: Emulator, jobs: int, concurrent_limit: int, start: datetime, real_seconds: float
) -> Burst:
    executions = [
        execution
        for page in emulator.stepfunctions.get_paginator("list_executions").paginate(
            stateMachineArn=emulator.state_machine_arn
        )
        for execution in page["executions"]
    ]
    statuses: Counter[str] = Counter()
    copies: dict[str, str] = {}
    by_job: Counter[str] = Counter()
    transitions = 0
    for execution in executions:
        described = emulator.stepfunctions.describe_execution(
            executionArn=execution["executionArn"]
        )
        statuses[described["status"]] += 1
        job_id = json.loads(described["input"])["backup"]["job_id"]
        by_job[job_id] += 1
        transitions += state_transitions(emulator.history(execution["executionArn"]))
        if described["status"] == "SUCCEEDED":
            output = json.loads(described["output"])
            if _published(emulator, output):
                copies[job_id] = output["restore"]["target_table_name"]
    restored_from: Counter[str] = Counter()
    for name in emulator.table_names():
        summary = emulator.dynamodb.describe_table(TableName=name)["Table"].get("RestoreSummary")
        if summary and summary.get("SourceBackupArn"):
            restored_from[summary["SourceBackupArn"]] += 1
    duplicated = sum(n - 1 for n in restored_from.values() if n > 1) + sum(
        n - 1 for n in by_job.values() if n > 1
    )
    ends = emulator.execution_ends.values()
    refusals = Counter(refusal.reason for refusal in emulator.restore_gate.refusals)
    return Burst(
        jobs=jobs,
        restore_seconds=emulator.restore_seconds,
        concurrent_limit=concurrent_limit,
        restored=len(set(copies.values())),
        duplicated=duplicated,
        statuses=dict(statuses),
        duration_s=(max(ends) - start).total_seconds() if ends else 0.0,
        limit_refusals=dict(refusals),
        refused_starts=sum(
            1
            for i in emulator.invocations
            if i.function == "start_restore" and i.error == "RestoreLimitExceeded"
        ),
        transitions=transitions,
        lambda_invocations=len(emulator.invocations),
        real_seconds=real_seconds,
        copies=copies,
    )


def _published(emulator: Emulator, output: dict[str, Any]) -> bool:
    """The copy a successful execution names is ACTIVE, and its parameter names it."""
    table = output["restore"]["target_table_name"]
    described = emulator.dynamodb.describe_table(TableName=table)["Table"]
    if described["TableStatus"] != "ACTIVE":
        return False
    source = output["backup"]["source_table_arn"].rsplit("/", 1)[-1]
    parameter = emulator.parameter(f"/staging/{source}/database-arn")
    return bool(parameter["Value"] == described["TableArn"])
