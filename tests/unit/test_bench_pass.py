"""The arithmetic of make bench's pass (bench/pass_model.py, bench/cost.py's pass_cost)
and how bench/passes.py counts the emulator's transitions: figures computed by hand,
nothing timed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import cost, passes
from bench import pass_model as model
from tests.emulator.harness import Invocation

ROOT = Path(__file__).resolve().parents[2]
PRICES = cost.Prices(
    transition=0.000025,
    lambda_request=0.0000002,
    lambda_gb_second={"arm64": 0.0000133334, "x86_64": 0.0000166667},
    storage_gb_month=0.25,
    rcu_hour=0.00013,
    wcu_hour=0.00065,
    read_request_unit=0.000000125,
    write_request_unit=0.000000625,
    billed_ms_per_invocation=100,
    hours_per_month=730,
    days_per_month=30,
)
# 1 KB items with the pass's mark (46 bytes): a two-unit write each
GIB_TABLE = model.Table(bytes=1024**3, item_bytes=1024, written_item_bytes=1070)
# 10,000 items of 1 KB; a worker walking 1,000 of them a second (a page of 1,000 read
# in a second, no CPU time, no write time)
SMALL = model.Table(bytes=1024 * 10_000, item_bytes=1024, written_item_bytes=1070)
STEADY = model.Worker(
    cpu_s_per_item=0,
    memory_mb=256,
    memory_mb_per_vcpu=1769,
    scan_page_s=1.0,
    batch_write_s=0,
    page_items=1000,
)
UNLIMITED = model.Limits(write_units_per_second=1e12, read_units_per_second=1e12)


@pytest.mark.parametrize(
    ("item_bytes", "units"),
    [(1, 1), (1024, 1), (1025, 2), (1000 + 46, 2), (1024 + 46, 2), (4096, 4), (0, 1)],
)
def test_a_write_is_one_unit_per_kb_of_the_item_rounded_up(item_bytes: int, units: int) -> None:
    assert model.write_units(item_bytes) == units


def test_a_consistent_scan_reads_a_unit_per_4_kb() -> None:
    assert model.scan_read_units(1024**3) == 262_144
    assert model.scan_read_units(5000) == 2


def test_a_gib_of_1_kb_items_is_a_million_items_each_written_in_two_units() -> None:
    assert GIB_TABLE.items == 1_048_576
    assert GIB_TABLE.write_units_per_item == 2
    assert GIB_TABLE.write_units == 2_097_152
    assert GIB_TABLE.read_units == 262_144
    assert GIB_TABLE.read_units_per_item == 0.25


def test_a_page_is_its_scan_its_writes_and_its_cpu_time_at_lambdas_cpu_share() -> None:
    walker = model.Worker(
        cpu_s_per_item=0.0005,
        memory_mb=512,
        memory_mb_per_vcpu=2048,  # a quarter of a vCPU
        scan_page_s=0.1,
        batch_write_s=0.025,
        page_items=1000,
    )
    assert walker.cpu_share == 0.25
    assert walker.batches_per_page == 40
    # 0.1 s + 40 x 0.025 s + 1,000 x 0.5 ms / 0.25
    assert walker.page_seconds == pytest.approx(0.1 + 1.0 + 2.0)
    assert walker.items_per_second == pytest.approx(1000 / 3.1)


def test_lambdas_cpu_share_is_at_most_one_vcpu() -> None:
    walker = model.Worker(0.001, 4096, 1769, 0.1, 0.025, 1024)
    assert walker.cpu_share == 1.0
    assert walker.batches_per_page == 41  # 1,024 items: 40 full batches and one of 24


def test_workers_under_the_limits_walk_at_their_own_pace_and_over_them_share_them() -> None:
    limits = model.Limits(write_units_per_second=40_000, read_units_per_second=40_000)
    # 10 workers ask for 10 x 1,000 x 2 = 20,000 write units a second: under the limit
    assert model.worker_rate(STEADY, 10, SMALL, limits) == 1000
    # 40 ask for 80,000: each gets 40,000 / (40 x 2) = 500 items a second
    assert model.worker_rate(STEADY, 40, SMALL, limits) == 500
    # reads (a quarter of a unit an item) bind when the read limit is low
    reads = model.Limits(write_units_per_second=40_000, read_units_per_second=100)
    assert model.worker_rate(STEADY, 1, SMALL, reads) == 400


def test_the_write_limited_time_of_100_gib_at_40000_write_units_a_second() -> None:
    table = model.Table(bytes=100 * 1024**3, item_bytes=1024, written_item_bytes=1070)
    limits = model.Limits(write_units_per_second=40_000, read_units_per_second=40_000)
    # 104,857,600 items x 2 units / 40,000 a second
    assert model.write_limited_seconds(table, limits) == pytest.approx(5242.88)
    # each worker writes 2,000 units a second: 20 reach the limit
    assert model.concurrency_to_reach_write_limit(STEADY, table, limits) == 20


def test_segments_are_walked_in_waves_and_each_hands_over_every_so_many_seconds() -> None:
    run = model.simulate(
        SMALL, STEADY, UNLIMITED, segments=4, max_concurrency=3, hand_over_after_s=1
    )
    # 2,500 items a segment at 1,000 a second: 2.5 s; 3 segments, then 1
    assert run.waves == 2
    assert run.wall_seconds == pytest.approx(5.0)
    assert run.worker_seconds == pytest.approx(10.0)
    # ceil(2.5 / 1) = 3 invocations a segment, each child 2 x 3 + 1 transitions
    assert run.walk_invocations == 12
    assert run.child_transitions == 4 * 7


def test_a_throttled_wave_is_slower_and_its_workers_are_billed_for_the_wait() -> None:
    limits = model.Limits(write_units_per_second=3000, read_units_per_second=1e12)
    run = model.simulate(
        SMALL, STEADY, limits, segments=4, max_concurrency=3, hand_over_after_s=100
    )
    # 3 workers share 3,000 units: 500 items a second each, 5 s; then 1 alone, 2.5 s
    assert run.wall_seconds == pytest.approx(7.5)
    assert run.worker_seconds == pytest.approx(3 * 5 + 2.5)
    assert run.walk_invocations == 4 and run.child_transitions == 4 * 3


def test_a_segment_takes_at_least_one_invocation() -> None:
    empty = model.Table(bytes=0, item_bytes=1024, written_item_bytes=1070)
    run = model.simulate(
        empty, STEADY, UNLIMITED, segments=2, max_concurrency=2, hand_over_after_s=780
    )
    assert (run.walk_invocations, run.child_transitions, run.wall_seconds) == (2, 6, 0)


def test_no_segments_or_no_concurrency_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        model.simulate(SMALL, STEADY, UNLIMITED, segments=0, max_concurrency=1, hand_over_after_s=1)


def test_the_smallest_concurrency_within_a_ratio_of_the_write_limited_time() -> None:
    # 20,000 write units at 8,000 a second: 2.5 s at best; a worker writes 2,000 a second
    limits = model.Limits(write_units_per_second=8000, read_units_per_second=1e12)
    within = {
        ratio: model.smallest_concurrency_within(
            ratio, SMALL, STEADY, limits, segments=4, hand_over_after_s=780
        )
        for ratio in (4, 2, 1.5, 0.5)
    }
    # 1 worker: 10 s (4 x); 2: two waves, 5 s (2 x); 3: 5 s too; 4: one wave at the limit
    assert within == {4: 1, 2: 2, 1.5: 4, 0.5: None}


def test_a_child_is_two_transitions_an_invocation_and_one_to_end() -> None:
    assert [model.child_transitions(n) for n in (1, 2, 5)] == [3, 5, 11]


def test_the_usage_of_a_pass_adds_the_parents_transitions_and_its_other_invocations() -> None:
    run = model.PassRun(
        segments=1,
        max_concurrency=16,
        wall_seconds=6000,
        worker_seconds=6000,
        walk_invocations=8,
        child_transitions=17,
        waves=1,
    )
    used = model.usage(
        GIB_TABLE,
        run,
        memory_mb=256,
        parent_transitions=4,
        other_invocations=3,
        billed_ms_per_other_invocation=100,
    )
    assert (used.read_units, used.write_units) == (262_144, 2_097_152)
    assert (used.lambda_requests, used.transitions) == (11, 21)
    assert used.lambda_gb_seconds == pytest.approx((6000 + 0.3) * 0.25)
    usd = model.bill(used, "arm64", PRICES)
    assert usd["reads"] == pytest.approx(0.032768)
    assert usd["writes"] == pytest.approx(1.31072)
    assert usd["lambda"] == pytest.approx(11 * 0.0000002 + 1500.075 * 0.0000133334)
    assert usd["step_functions"] == pytest.approx(21 * 0.000025)
    assert usd["total"] == pytest.approx(
        usd["reads"] + usd["writes"] + usd["lambda"] + usd["step_functions"]
    )


def test_pass_cost_prices_each_service_at_the_table() -> None:
    assert cost.pass_cost(
        read_units=1_000_000,
        write_units=2_000_000,
        lambda_requests=1_000_000,
        lambda_gb_seconds=1000,
        transitions=1000,
        architecture="x86_64",
        prices=PRICES,
    ) == pytest.approx(
        {"reads": 0.125, "writes": 1.25, "lambda": 0.2 + 0.0166667, "step_functions": 0.025}
    )


def test_the_limits_in_the_table_have_their_aws_source_and_the_date_they_were_read() -> None:
    data = json.loads(cost.PRICES.read_text())
    for name, entry in data["limits"].items():
        assert entry["value"] > 0, name
        assert entry["source"].startswith("https://docs.aws.amazon.com/"), name
        assert entry["read_from"] and entry["read"], name
    limits = passes.load_limits()
    assert limits["dynamodb_on_demand_table_write_units_per_second"] == 40_000
    assert limits["lambda_memory_mb_per_vcpu"] == 1769


def test_the_pass_mark_adds_46_bytes_to_an_item() -> None:
    # "rotator:masked" (14) and a 32-character value
    assert passes.mark_bytes() == 46


def test_the_walk_timeout_and_the_defaults_are_read_from_the_module() -> None:
    assert passes.walk_timeout_seconds(ROOT / "functions.tf") == 900
    assert passes.default_max_concurrency(ROOT / "variables.tf") == 32
    assert passes.default_worker_memory(ROOT / "variables.tf") == 1769


def _entered(name: str) -> dict[str, Any]:
    return {"type": "TaskStateEntered", "stateEnteredEventDetails": {"name": name}}


def test_the_parents_pass_transitions_are_its_states_entered_and_their_retries() -> None:
    scheduled = {"type": "LambdaFunctionScheduled"}
    history = [
        _entered("Configure"),
        scheduled,
        scheduled,  # Configure retried: not the pass's
        _entered("PlanPass"),
        scheduled,
        scheduled,  # PlanPass retried: one more
        {"type": "MapStateEntered", "stateEnteredEventDetails": {"name": "WalkSegments"}},
        _entered("CheckPass"),
        scheduled,
        _entered("FinishConfigure"),
        scheduled,
        _entered("Publish"),
        scheduled,
    ]
    assert passes.parent_transitions(history, passes.PASS_STATES) == 5


def test_the_children_are_counted_from_the_workers_invocations() -> None:
    walks = [
        Invocation("walk_segment", {"segment": 0}, None, {"done": False}),
        Invocation("walk_segment", {"segment": 0}, "TransientAwsError", None),  # retried
        Invocation("walk_segment", {"segment": 0}, None, {"done": True}),
        Invocation("walk_segment", {"segment": 1}, None, {"done": True}),
    ]
    # 4 WalkSegment (3 entered, 1 retried), 3 SegmentWalked, 2 SegmentCounted
    assert passes.child_transitions(walks, 2) == 9


def _processor() -> dict[str, Any]:
    definition = json.loads((ROOT / "statemachine.json.tpl").read_text())
    return dict(definition["States"]["WalkSegments"]["ItemProcessor"])


def test_the_modules_children_are_as_the_count_assumes() -> None:
    assert passes.child_structure_problems(_processor()) == []


def test_a_child_that_does_not_loop_as_the_count_assumes_is_reported() -> None:
    processor = _processor()
    processor["States"]["SegmentWalked"]["Default"] = "WalkSegment"
    assert passes.child_structure_problems(processor) == [
        "SegmentWalked does not end at SegmentCounted"
    ]
    processor["States"]["Extra"] = {"Type": "Pass", "End": True}
    assert "the child's states are" in passes.child_structure_problems(processor)[0]
