"""A pass over a large copy (``pass``), modelled: what it reads and writes, how long it
takes and what AWS bills for it. Pure arithmetic; the figures it starts from are
measured (the worker's CPU time per item, ``bench.worker``; the transitions of a
segment, counted on the emulator) or stated with their source in ``bench/prices.json``
(DynamoDB's per-table limits, Lambda's CPU share, the API latencies assumed).

The model:

* a Scan page holds ``page_items`` items; the worker reads one (``scan_page_s``), masks
  its items (``cpu_s_per_item`` of CPU time each, at Lambda's CPU share of the
  function's memory, ``memory_mb / memory_mb_per_vcpu`` of a vCPU) and writes them back
  25 to a BatchWriteItem (``batch_write_s`` each), one after the other;
* every item is changed, and rewritten whole with the pass's mark: ``write_units``
  write request units each; a consistent Scan reads one read request unit per 4 KB;
* the segments are of equal size and the Distributed Map walks ``max_concurrency`` of
  them at once, in waves; when the workers of a wave ask for more than the table's
  write (or read) limit, each is slowed to its share of it (throttled writes are waited
  out, and billed as the worker's time);
* a worker hands its segment on after ``hand_over_after_s`` of work (its timeout less
  ``rotator.passes.HAND_OVER_SECONDS``): a segment walked in ``t`` seconds takes
  ``ceil(t / hand_over_after_s)`` invocations, each a WalkSegment and a SegmentWalked
  transition, and one SegmentCounted.

Not modelled: the start of each invocation (well under a second against 780 of work),
a new table's initial throughput (see docs/performance.md), retries.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bench import cost

KB = 1024
GIB = 1024**3
READ_UNIT_BYTES = 4 * KB  # a strongly consistent read request unit
WRITE_UNIT_BYTES = KB  # a standard write request unit
BATCH_ITEMS = 25  # BatchWriteItem's limit


def write_units(item_bytes: float) -> int:
    """Write request units of writing one item of ``item_bytes`` (1 KB each, rounded up)."""
    return max(1, math.ceil(item_bytes / WRITE_UNIT_BYTES))


def scan_read_units(table_bytes: float) -> int:
    """Read request units of a consistent Scan of ``table_bytes``: one per 4 KB read.
    (DynamoDB rounds each page up to 4 KB; a page of whole 1 KB items fills it.)"""
    return math.ceil(table_bytes / READ_UNIT_BYTES)


@dataclass(frozen=True)
class Table:
    """The copy: its size, its items' size, and the size of an item as the pass
    rewrites it (with the mark)."""

    bytes: int
    item_bytes: int
    written_item_bytes: int

    @property
    def items(self) -> int:
        return self.bytes // self.item_bytes

    @property
    def write_units_per_item(self) -> int:
        return write_units(self.written_item_bytes)

    @property
    def read_units_per_item(self) -> float:
        return self.item_bytes / READ_UNIT_BYTES

    @property
    def read_units(self) -> int:
        return scan_read_units(self.bytes)

    @property
    def write_units(self) -> int:
        return self.items * self.write_units_per_item


@dataclass(frozen=True)
class Worker:
    """One walk-segment invocation's pace, unthrottled."""

    cpu_s_per_item: float  # CPU time per item on one vCPU
    memory_mb: int
    memory_mb_per_vcpu: float  # Lambda: one vCPU at this memory, shares below it
    scan_page_s: float
    batch_write_s: float
    page_items: int

    @property
    def cpu_share(self) -> float:
        return min(1.0, self.memory_mb / self.memory_mb_per_vcpu)

    @property
    def batches_per_page(self) -> int:
        return math.ceil(self.page_items / BATCH_ITEMS)

    @property
    def page_seconds(self) -> float:
        """A page read, masked and written back."""
        return (
            self.scan_page_s
            + self.batches_per_page * self.batch_write_s
            + self.page_items * self.cpu_s_per_item / self.cpu_share
        )

    @property
    def items_per_second(self) -> float:
        return self.page_items / self.page_seconds


@dataclass(frozen=True)
class Limits:
    """The table's request units a second (on demand: the per-table quota)."""

    write_units_per_second: float
    read_units_per_second: float


def worker_rate(worker: Worker, workers: int, table: Table, limits: Limits) -> float:
    """Items a second each of ``workers`` workers walks at once: as fast as it can, or
    its share of the table's write or read limit, whichever is lowest."""
    return min(
        worker.items_per_second,
        limits.write_units_per_second / (workers * table.write_units_per_item),
        limits.read_units_per_second / (workers * table.read_units_per_item),
    )


def write_limited_seconds(table: Table, limits: Limits) -> float:
    """The shortest a pass can take: every write at the table's write limit."""
    return table.write_units / limits.write_units_per_second


def concurrency_to_reach_write_limit(worker: Worker, table: Table, limits: Limits) -> int:
    """The fewest workers whose writes, together, reach the table's write limit."""
    per_worker = worker.items_per_second * table.write_units_per_item
    return math.ceil(limits.write_units_per_second / per_worker)


@dataclass(frozen=True)
class PassRun:
    """A pass as the model runs it."""

    segments: int
    max_concurrency: int
    wall_seconds: float
    worker_seconds: float  # the walk-segment invocations' billed time, all together
    walk_invocations: int
    child_transitions: int
    waves: int


def simulate(
    table: Table,
    worker: Worker,
    limits: Limits,
    *,
    segments: int,
    max_concurrency: int,
    hand_over_after_s: float,
) -> PassRun:
    """Walk ``segments`` equal segments, ``max_concurrency`` at a time, in waves."""
    if segments < 1 or max_concurrency < 1:
        raise ValueError("segments and max_concurrency are at least 1")
    segment_items = table.items / segments
    wall = worker_seconds = 0.0
    invocations = transitions = waves = 0
    left = segments
    while left:
        workers = min(left, max_concurrency)
        seconds = segment_items / worker_rate(worker, workers, table, limits)
        handed = max(1, math.ceil(seconds / hand_over_after_s))
        wall += seconds
        worker_seconds += workers * seconds
        invocations += workers * handed
        transitions += workers * child_transitions(handed)
        waves += 1
        left -= workers
    return PassRun(
        segments=segments,
        max_concurrency=max_concurrency,
        wall_seconds=wall,
        worker_seconds=worker_seconds,
        walk_invocations=invocations,
        child_transitions=transitions,
        waves=waves,
    )


def child_transitions(invocations: int) -> int:
    """A WalkSegments child's transitions: WalkSegment and SegmentWalked each
    invocation, SegmentCounted once."""
    return 2 * invocations + 1


def smallest_concurrency_within(
    ratio: float,
    table: Table,
    worker: Worker,
    limits: Limits,
    *,
    segments: int,
    hand_over_after_s: float,
) -> int | None:
    """The lowest MaxConcurrency whose pass takes at most ``ratio`` times the
    write-limited time; ``None`` if not even one worker a segment does."""
    floor = write_limited_seconds(table, limits)
    for concurrency in range(1, segments + 1):
        run = simulate(
            table,
            worker,
            limits,
            segments=segments,
            max_concurrency=concurrency,
            hand_over_after_s=hand_over_after_s,
        )
        if run.wall_seconds <= ratio * floor:
            return concurrency
    return None


@dataclass(frozen=True)
class Usage:
    """What AWS bills a pass for."""

    read_units: int
    write_units: int
    lambda_requests: int
    lambda_gb_seconds: float
    transitions: int


def usage(
    table: Table,
    run: PassRun,
    *,
    memory_mb: int,
    parent_transitions: int,
    other_invocations: int,
    billed_ms_per_other_invocation: float,
) -> Usage:
    """The pass's requests: the Scan's reads, every item rewritten, the workers'
    invocations for their time and the pass's other invocations (PlanPass, CheckPass,
    FinishConfigure) at the bench's assumed duration, the parent's transitions and the
    children's."""
    gb = memory_mb / 1024
    other_seconds = other_invocations * billed_ms_per_other_invocation / 1000
    return Usage(
        read_units=table.read_units,
        write_units=table.write_units,
        lambda_requests=run.walk_invocations + other_invocations,
        lambda_gb_seconds=(run.worker_seconds + other_seconds) * gb,
        transitions=parent_transitions + run.child_transitions,
    )


def bill(used: Usage, architecture: str, prices: cost.Prices) -> dict[str, float]:
    """``used`` at ``prices``, by service (USD), with the total."""
    parts = cost.pass_cost(
        read_units=used.read_units,
        write_units=used.write_units,
        lambda_requests=used.lambda_requests,
        lambda_gb_seconds=used.lambda_gb_seconds,
        transitions=used.transitions,
        architecture=architecture,
        prices=prices,
    )
    return {**parts, "total": sum(parts.values())}
