"""``make bench``'s pass (``pass``, issue 17): the masking engine's throughput, the pass's
state transitions and Lambda invocations counted on the emulator, and a model of a pass
over copies of 1 GiB to 1,000 GiB (``bench.pass_model``): its bill and its wall time
against what the table's write limit allows.

* engine: ``bench.masking.throughput``, items masked per CPU-second, one core;
* worker: ``bench.worker.cpu_per_item``, the walk-segment handler's CPU time per item,
  boto3's work on the pages included (what the model's worker spends);
* emulator: a pass over ``EMULATOR_ITEMS`` items for 1, 16 and 256 segments, and one
  segment whose worker hands over (pages slowed on the simulated clock). The parent
  execution's history gives its transitions in the pass's states; moto does not give
  the WalkSegments children's histories, so their transitions are counted from the
  worker's recorded invocations and the children's definition, checked here: each
  invocation is a WalkSegment state (entered, or retried) and, when it answers, a
  SegmentWalked; each child ends in one SegmentCounted;
* model: the bills of 1, 10 and 100 GiB at the defaults (a segment a quarter GiB, MaxConcurrency
  ``pass.max_concurrency``'s default), and a 100 GiB pass at the default concurrency and
  at the concurrency the model needs to reach the table's write limit.

``PYTHONPATH=lambda:. python -m bench --only pass`` runs this part alone.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from bench import cost, durations, masking, worker
from bench import pass_model as model
from rotator.masking import MARKER_ATTRIBUTE, item_size, marker_value
from rotator.passes import HAND_OVER_SECONDS, segment_count
from tests.emulator.events import backup_completed, sns_event
from tests.emulator.harness import Emulator, Settings, state_transitions

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "Customers-Production"
KEY_PARAMETER = "/rotator/mask-key"
KEY = "a key only the rotator reads"
EMULATOR_ITEMS = 300
EMULATOR_SEGMENTS = (1, 16, 256)
# One segment whose worker runs out of time: pages of 20 items taking 150 simulated
# seconds each, so an invocation walks 6 pages before less than HAND_OVER_SECONDS is left.
HAND_OVER_CASE = {"segments": 1, "scan_page_items": 20, "scan_page_seconds": 150}
PASS_STATES = ("PlanPass", "WalkSegments", "CheckPass", "FinishConfigure")
CHILD_STATES = ("WalkSegment", "SegmentWalked", "SegmentCounted")
BILL_GIB = (1, 10, 100)
SIMULATED_GIB = 100
CHART_GIB = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
ITEM_BYTES = 1024  # "1 KB items": 1 GiB holds 1,048,576 of them
PAGE_BYTES = 1024**2  # a Scan page: at most 1 MB
ENGINE_MOST = 50_000  # items per CPU-second, at least
TARGET_RATIO = 1.5  # wall time within this many times the write-limited time


# -- the emulator's counts ---------------------------------------------------------------


def parent_transitions(history: Iterable[Mapping[str, Any]], states: Sequence[str]) -> int:
    """Transitions of the execution's ``states``: each entry, and each retry of its task
    (a task scheduled again without the state being entered again), as AWS bills them."""
    count = 0
    current: str | None = None
    scheduled = 0
    for event in history:
        kind = str(event["type"])
        if kind.endswith("StateEntered"):
            current = str(event["stateEnteredEventDetails"]["name"])
            scheduled = 0
            count += current in states
        elif kind in ("TaskScheduled", "LambdaFunctionScheduled") and current in states:
            scheduled += 1
            count += scheduled > 1
    return count


def child_structure_problems(processor: Mapping[str, Any]) -> list[str]:
    """What in WalkSegments' ItemProcessor differs from what the children's count
    assumes: WalkSegment, then SegmentWalked, which goes back to WalkSegment until the
    segment is done and then to SegmentCounted, which ends."""
    states = processor.get("States", {})
    problems = []
    if sorted(states) != sorted(CHILD_STATES):
        problems.append(f"the child's states are {sorted(states)}, not {sorted(CHILD_STATES)}")
        return problems
    walked = states["SegmentWalked"]
    if processor.get("StartAt") != "WalkSegment":
        problems.append(f"the child starts at {processor.get('StartAt')}")
    if states["WalkSegment"].get("Next") != "SegmentWalked":
        problems.append("WalkSegment does not go on to SegmentWalked")
    if [choice.get("Next") for choice in walked.get("Choices", [])] != ["WalkSegment"]:
        problems.append("SegmentWalked does not loop back to WalkSegment alone")
    if walked.get("Default") != "SegmentCounted":
        problems.append("SegmentWalked does not end at SegmentCounted")
    if not states["SegmentCounted"].get("End"):
        problems.append("SegmentCounted does not end the child")
    return problems


def child_transitions(walks: Sequence[Any], segments: int) -> int:
    """The children's transitions from the worker's recorded invocations: each one a
    WalkSegment (entered or retried), each that answered a SegmentWalked, and one
    SegmentCounted a segment."""
    answered = sum(1 for walk in walks if walk.error is None)
    return len(walks) + answered + segments


def _announce(emulator: Emulator, items: int) -> dict[str, Any]:
    """The source table with ``items`` of bench.masking's customers, backed up; the mask
    key; AWS Backup's notification of the backup."""
    arn = emulator.create_source_table(
        SOURCE,
        items=0,
        source={
            "KeySchema": [{"AttributeName": "customer_id", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "customer_id", "AttributeType": "S"}],
        },
    )
    for start in range(0, items, 25):
        emulator.dynamodb.batch_write_item(
            RequestItems={
                SOURCE: [
                    {"PutRequest": {"Item": masking.item(number)}}
                    for number in range(start, min(start + 25, items))
                ]
            }
        )
    backup = emulator.create_backup(SOURCE)
    emulator.record_backup_job("job-1", arn, backup)
    emulator.ssm.put_parameter(Name=KEY_PARAMETER, Value=KEY, Type="SecureString")
    return sns_event(backup_completed(backup, arn, job_id="job-1"))


def pass_settings(segments: int) -> Settings:
    return Settings(
        **{
            "pass": {
                "segments": segments,
                "mask": masking.RULE_SPECS,
                "secret_ssm_parameter_name": KEY_PARAMETER,
            }
        }
    )


def count_pass(segments: int, **options: Any) -> dict[str, Any]:
    """One rotation with a pass of ``segments`` segments on the emulator: its
    transitions and invocations, in all and per segment."""
    with Emulator(pass_settings(segments), **options) as emulator:
        event = _announce(emulator, EMULATOR_ITEMS)
        definition = json.loads(
            emulator.stepfunctions.describe_state_machine(
                stateMachineArn=emulator.state_machine_arn
            )["definition"]
        )
        problems = child_structure_problems(definition["States"]["WalkSegments"]["ItemProcessor"])
        if problems:
            raise AssertionError(f"WalkSegments' children: {'; '.join(problems)}")
        rotation = emulator.rotate(event)
        if rotation.status != "SUCCEEDED" or rotation.output is None:
            raise AssertionError(f"pass, {segments} segments: {rotation.error}: {rotation.cause}")
        figures = rotation.output["pass"]
        if (figures["items"], figures["masked"]) != (EMULATOR_ITEMS, EMULATOR_ITEMS):
            raise AssertionError(f"pass, {segments} segments: {figures}")
        calls = Counter(invocation.function for invocation in emulator.invocations)
        walks = [i for i in emulator.invocations if i.function == "walk_segment"]
        walked = sorted({walk.payload["segment"] for walk in walks})
        if walked != list(range(segments)):
            raise AssertionError(f"{segments} segments, but walked {walked}")
        finish = sum(
            1 for i in emulator.invocations if i.function == "configure" and "pass" in i.payload
        )
        parent = parent_transitions(rotation.history, PASS_STATES)
        children = child_transitions(walks, segments)
        invocations = {
            "plan_pass": calls["plan_pass"],
            "walk_segment": len(walks),
            "check_pass": calls["check_pass"],
            "finish_configure": finish,
        }
        total = sum(invocations.values())
        return {
            "segments": segments,
            "items": figures["items"],
            "segments_with_items": len(
                {
                    walk.payload["segment"]
                    for walk in walks
                    if walk.result is not None and walk.result["counts"]["items"]
                }
            ),
            "transitions": {
                "parent": parent,
                "children": children,
                "total": parent + children,
                "per_segment": round((parent + children) / segments, 2),
            },
            "invocations": {
                **invocations,
                "total": total,
                "per_segment": round(total / segments, 2),
            },
            "rotation_transitions": state_transitions(rotation.history),
        }


def run_emulator() -> dict[str, Any]:
    durations.quiet_moto()
    counted: dict[str, Any] = {}
    for segments in EMULATOR_SEGMENTS:
        print(f"  pass on the emulator, {segments} segments ...", file=sys.stderr, flush=True)
        counted[str(segments)] = count_pass(segments)
    print("  pass on the emulator, 1 segment handed over ...", file=sys.stderr, flush=True)
    options = {k: v for k, v in HAND_OVER_CASE.items() if k != "segments"}
    handed = count_pass(int(HAND_OVER_CASE["segments"]), **options)
    counted["1_handed_over"] = {**handed, **options}
    return {"items": EMULATOR_ITEMS, "passes": counted}


# -- the model ---------------------------------------------------------------------------


def walk_timeout_seconds(functions: Path = ROOT / "functions.tf") -> int:
    """The walk-segment function's timeout (``function_timeouts`` in functions.tf)."""
    found = re.search(
        r"function_timeouts\s*=\s*\{[^}]*walk_segment\s*=\s*(\d+)", functions.read_text()
    )
    if found is None:
        raise LookupError(f"no walk_segment timeout in {functions}")
    return int(found.group(1))


def default_max_concurrency(variables: Path = ROOT / "variables.tf") -> int:
    """``pass.max_concurrency``'s default (its ``optional(number, N)``)."""
    found = re.search(r"max_concurrency\s*=\s*optional\(number,\s*(\d+)\)", variables.read_text())
    if found is None:
        raise LookupError(f"no default for pass.max_concurrency in {variables}")
    return int(found.group(1))


def default_worker_memory(variables: Path = ROOT / "variables.tf") -> int:
    """``pass.worker_memory_size``'s default: the walk-segment function's memory."""
    found = re.search(
        r"worker_memory_size\s*=\s*optional\(number,\s*(\d+)\)", variables.read_text()
    )
    if found is None:
        raise LookupError(f"no default for pass.worker_memory_size in {variables}")
    return int(found.group(1))


def mark_bytes() -> int:
    """What the pass's mark adds to an item: its name and 32-character value."""
    return item_size({MARKER_ATTRIBUTE: {"S": marker_value("table-id", masking.RULES)}})


def load_limits(path: Path = cost.PRICES) -> dict[str, float]:
    data = json.loads(path.read_text())
    figures = {name: float(entry["value"]) for name, entry in data["limits"].items()}
    figures.update({name: float(entry["value"]) for name, entry in data["assumptions"].items()})
    return figures


def table_of(gib: float) -> model.Table:
    return model.Table(
        bytes=int(gib * model.GIB),
        item_bytes=ITEM_BYTES,
        written_item_bytes=ITEM_BYTES + mark_bytes(),
    )


def _hours(seconds: float) -> float:
    return round(seconds / 3600, 2)


def _run_figures(run: model.PassRun, floor: float) -> dict[str, Any]:
    return {
        "max_concurrency": run.max_concurrency,
        "segments": run.segments,
        "waves": run.waves,
        "wall_s": round(run.wall_seconds),
        "wall_h": _hours(run.wall_seconds),
        "ratio_to_write_limited": round(run.wall_seconds / floor, 2),
        "walk_invocations": run.walk_invocations,
    }


def model_part(
    cpu_s_per_item: float, parent: int, prices: cost.Prices, limits: dict[str, float]
) -> dict[str, Any]:
    """The bills of BILL_GIB, the 100 GiB pass, and the chart's rows."""
    _, architecture = durations.module_function_settings()
    memory_mb = default_worker_memory()
    concurrency = default_max_concurrency()
    hand_over_after = walk_timeout_seconds() - HAND_OVER_SECONDS
    page_items = PAGE_BYTES // ITEM_BYTES
    walker = model.Worker(
        # a Lambda vCPU does lambda_vcpu_per_bench_core times what a core here does
        cpu_s_per_item=cpu_s_per_item / limits["lambda_vcpu_per_bench_core"],
        memory_mb=memory_mb,
        memory_mb_per_vcpu=limits["lambda_memory_mb_per_vcpu"],
        scan_page_s=limits["dynamodb_scan_page_ms"] / 1000,
        batch_write_s=limits["dynamodb_batch_write_ms"] / 1000,
        page_items=page_items,
    )
    table_limits = model.Limits(
        write_units_per_second=limits["dynamodb_on_demand_table_write_units_per_second"],
        read_units_per_second=limits["dynamodb_on_demand_table_read_units_per_second"],
    )

    def run(gib: float, max_concurrency: int) -> tuple[model.Table, model.PassRun]:
        table = table_of(gib)
        segments = segment_count(table.bytes, None)
        return table, model.simulate(
            table,
            walker,
            table_limits,
            segments=segments,
            max_concurrency=max_concurrency,
            hand_over_after_s=hand_over_after,
        )

    def billed(gib: float, max_concurrency: int) -> dict[str, Any]:
        table, passed = run(gib, max_concurrency)
        used = model.usage(
            table,
            passed,
            memory_mb=memory_mb,
            parent_transitions=parent,
            other_invocations=3,
            billed_ms_per_other_invocation=prices.billed_ms_per_invocation,
        )
        usd = model.bill(used, architecture, prices)
        return {
            "gib": gib,
            "items": table.items,
            "segments": passed.segments,
            "max_concurrency": max_concurrency,
            "read_units": used.read_units,
            "write_units": used.write_units,
            "walk_invocations": passed.walk_invocations,
            "lambda_requests": used.lambda_requests,
            "lambda_gb_seconds": round(used.lambda_gb_seconds, 1),
            "transitions": used.transitions,
            "wall_s": round(passed.wall_seconds),
            "wall_h": _hours(passed.wall_seconds),
            "usd": {name: round(value, 4) for name, value in usd.items()},
        }

    big = table_of(SIMULATED_GIB)
    segments = segment_count(big.bytes, None)
    floor = model.write_limited_seconds(big, table_limits)
    reaching = model.concurrency_to_reach_write_limit(walker, big, table_limits)
    needed = min(segments, reaching)
    smallest = model.smallest_concurrency_within(
        TARGET_RATIO,
        big,
        walker,
        table_limits,
        segments=segments,
        hand_over_after_s=hand_over_after,
    )
    chart_rows = []
    for gib in CHART_GIB:
        table = table_of(gib)
        reach = min(
            segment_count(table.bytes, None),
            model.concurrency_to_reach_write_limit(walker, table, table_limits),
        )
        chart_rows.append(
            {
                "gib": gib,
                "write_limited_s": round(model.write_limited_seconds(table, table_limits)),
                "default": billed(gib, concurrency),
                "needed": billed(gib, reach),
            }
        )
    return {
        "assumed": {
            "item_bytes": ITEM_BYTES,
            "items_per_gib": model.GIB // ITEM_BYTES,
            "mark_bytes": mark_bytes(),
            "written_item_bytes": ITEM_BYTES + mark_bytes(),
            "write_units_per_item": big.write_units_per_item,
            "read_units_per_gib": model.scan_read_units(model.GIB),
            "page_bytes": PAGE_BYTES,
            "page_items": page_items,
            "batches_per_page": walker.batches_per_page,
            "scan_page_ms": limits["dynamodb_scan_page_ms"],
            "batch_write_ms": limits["dynamodb_batch_write_ms"],
            "memory_mb": memory_mb,
            "architecture": architecture,
            "cpu_share": round(walker.cpu_share, 4),
            "worker_cpu_us_per_item": round(cpu_s_per_item * 1e6, 1),
            "page_s": round(walker.page_seconds, 2),
            "page_cpu_s": round(page_items * walker.cpu_s_per_item / walker.cpu_share, 2),
            "page_api_s": round(
                walker.scan_page_s + walker.batches_per_page * walker.batch_write_s, 2
            ),
            "worker_items_per_second": round(walker.items_per_second),
            "walk_timeout_s": walk_timeout_seconds(),
            "hand_over_after_s": hand_over_after,
            "parent_transitions": parent,
            "other_invocations": 3,
            "write_limit": table_limits.write_units_per_second,
            "read_limit": table_limits.read_units_per_second,
            "default_max_concurrency": concurrency,
        },
        "bills": {str(gib): billed(gib, concurrency) for gib in BILL_GIB},
        "simulation": {
            "gib": SIMULATED_GIB,
            "items": big.items,
            "segments": segments,
            "write_limited_s": round(floor),
            "write_limited_h": _hours(floor),
            "target_ratio": TARGET_RATIO,
            "default": _run_figures(run(SIMULATED_GIB, concurrency)[1], floor),
            "concurrency_to_reach_write_limit": reaching,
            "needed": _run_figures(run(SIMULATED_GIB, needed)[1], floor),
            "smallest_concurrency_within_target": smallest,
        },
        "chart": chart_rows,
    }


def targets(figures: Mapping[str, Any]) -> list[dict[str, Any]]:
    engine = figures["engine"]
    simulated = figures["model"]["simulation"]
    needed, gib = simulated["needed"], simulated["gib"]
    reaching = simulated["concurrency_to_reach_write_limit"]
    why = (
        "what reaches the write limit"
        if reaching == needed["max_concurrency"]
        else f"a worker a segment; {reaching} would reach the write limit"
    )
    return [
        {
            "target": f"pass engine: at least {ENGINE_MOST:,} items per CPU-second "
            f"(items of about 1 KB, {engine['rules']} rules)",
            "value": f"{engine['items_per_second']:,} items per CPU-second",
            "met": engine["items_per_second"] >= ENGINE_MOST,
        },
        {
            "target": f"pass of a {gib} GiB table (model), MaxConcurrency "
            f"{needed['max_concurrency']} ({why}): within {TARGET_RATIO:g} times the "
            "write-limited time",
            "value": f"{needed['ratio_to_write_limited']:g} x "
            f"({needed['wall_h']:g} h against {simulated['write_limited_h']:g} h)",
            "met": needed["ratio_to_write_limited"] <= TARGET_RATIO,
        },
    ]


def run_pass() -> dict[str, Any]:
    print("  masking engine (CPU time) ...", file=sys.stderr, flush=True)
    engine = masking.throughput()
    print("  worker, CPU time per item ...", file=sys.stderr, flush=True)
    walked = worker.cpu_per_item()
    engine_us = 1e6 / engine["items_per_second"]
    counted = run_emulator()
    parents = {row["transitions"]["parent"] for row in counted["passes"].values()}
    if len(parents) != 1:
        raise AssertionError(f"the parent's pass transitions differ between passes: {parents}")
    figures: dict[str, Any] = {
        "engine": {**engine, "item_bytes": round(engine["item_bytes"], 1)},
        "worker": {
            **walked,
            "item_bytes": round(walked["item_bytes"], 1),
            "engine_cpu_us_per_item": round(engine_us, 1),
            "engine_share": round(engine_us / walked["cpu_us_per_item"], 3),
        },
        "emulator": counted,
        "model": model_part(
            walked["cpu_us_per_item"] / 1e6, parents.pop(), cost.load_prices(), load_limits()
        ),
    }
    return figures
