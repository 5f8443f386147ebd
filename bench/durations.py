"""Rotations of restores lasting 5 minutes, 1 hour and 6 hours on the emulator's
simulated clock: the module on both restore paths and the original on the classic one,
each counted the way AWS bills it.

* transitions: every state entered and every retry (``state_transitions``);
* lambda_invocations: every function invocation of the rotation, the trigger's
  included (and, on the AWS Backup path, the restore-events function's);
* detection_lag_s: simulated seconds from the moment the copy is ready (its restore's
  start plus the restore's length) to the PutParameter that points at it;
* cost_usd: ``bench.cost.rotation_cost`` at the functions' memory and architecture;
* record_lookups: the calls the trigger and StartRestore make to read AWS's records of
  the job and its recovery point (the trust rule, docs/permissions-and-security.md);
  they run inside invocations counted above and add no transition or invocation.

The module runs with the emulator's default settings (an SSM parameter, as in the
examples) and ``keep_last = 2``: two older copies of the rotator's exist, so Cleanup
deletes one, as it does every day once the rotator is in its steady state. Everything
else is the module's default. AWS Backup sends a restore job's event best effort, about
every 5 minutes: the event is sent 300 s after the job ends, the worst case.
"""

from __future__ import annotations

import logging
import re
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import cost, original
from tests.emulator.events import backup_completed, sns_event
from tests.emulator.harness import Emulator, Rotation, Settings, state_transitions
from tests.emulator.rich_source import ON_DEMAND_PROPERTIES, rich_source

ROOT = Path(__file__).resolve().parents[1]
DURATIONS = (300, 3600, 21600)
SOURCE = "Orders-Production"
MODULE_SETTINGS = Settings(keep_last=2)
# Every copy_settings table property an on-demand copy takes, and the indexes picked
# (README: What the copy keeps of its source), of a source that has them all
# (tests/emulator/rich_source.py): Configure's extra UpdateTable requests and calls,
# counted. Auto scaling needs provisioned copies; its calls need no UpdateTable.
EVERY_PROPERTY = MODULE_SETTINGS.with_inputs(**ON_DEMAND_PROPERTIES)
EVERY_PROPERTY_SECONDS = 3600
RESTORE_EVENT_DELAY = 300
ORIGINAL_AWS_BACKUP_REASON = (
    "The original cannot restore AWS Backup recovery points (arn:aws:backup:...): it "
    "hands them to RestoreTableFromBackup, which rejects them, and its role has no "
    "AWS Backup permission. Its run on this path is measured once, and fails."
)


@dataclass(frozen=True)
class Measured:
    transitions: int
    lambda_invocations: int
    detection_lag_s: float
    cost_usd: float
    # not in the shape; what the figures above come from
    record_lookups: int
    rotation_s: float  # simulated seconds from the trigger to the execution's end
    memory_mb: int
    architecture: str


def quiet_moto() -> None:
    """moto's interpreter logs ChooseWait's IsPresent test of a missing path (a
    NoSuchJsonPathError) as an error; it is the test working as intended."""
    logging.getLogger("moto.stepfunctions.parser.asl.component.eval_component").setLevel(
        logging.CRITICAL
    )


def module_function_settings(variables: Path = ROOT / "variables.tf") -> tuple[int, str]:
    """The module's default ``lambda_memory_size`` and ``lambda_architecture``."""
    text = variables.read_text()

    def default(name: str) -> str:
        found = re.search(
            rf'variable "{name}" \{{.*?\n\s*default\s*=\s*"?([^"\n]+)"?\n', text, re.S
        )
        if found is None:
            raise LookupError(f"no default for {name} in {variables}")
        return found.group(1).strip()

    return int(default("lambda_memory_size")), default("lambda_architecture")


def _lag(emulator: Emulator, ready_at: datetime, table_arn: str) -> float:
    writes = [when for when, _, value in emulator.parameter_writes if value == table_arn]
    if not writes:
        raise AssertionError(f"no PutParameter pointed at {table_arn}")
    return (writes[0] - ready_at).total_seconds()


def _expect_success(rotation: Rotation, what: str) -> dict[str, Any]:
    if rotation.status != "SUCCEEDED" or rotation.output is None:
        raise AssertionError(f"{what}: {rotation.status}: {rotation.error}: {rotation.cause}")
    return rotation.output


def _older_copies(emulator: Emulator) -> list[str]:
    """Two copies this rotator made of SOURCE on the two days before: keep_last = 2
    keeps the newest of them besides the new copy and deletes the other."""
    names = []
    for day in (25, 26):
        name = f"Orders-staging-202408{day}-09-20-00"
        emulator.dynamodb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        emulator.record_copy(  # the ledger entry the earlier rotation left
            name,
            SOURCE,
            f"arn:aws:dynamodb:us-east-1:123456789012:table/{SOURCE}/backup/older-{day}",
            datetime(2024, 8, day, 9, 40, tzinfo=UTC),
            job_id=f"older-{day}",
        )
        names.append(name)
    return names


def measure_module(
    seconds: int, advanced: bool, prices: cost.Prices, *, every_property: bool = False
) -> Measured:
    """One rotation of the module; ``every_property``: with EVERY_PROPERTY, of a source
    that has every property a restore drops."""
    memory_mb, architecture = module_function_settings()
    settings = EVERY_PROPERTY if every_property else MODULE_SETTINGS
    with Emulator(
        settings, restore_seconds=seconds, restore_event_delay=RESTORE_EVENT_DELAY
    ) as emulator:
        if every_property:
            table_arn = rich_source(emulator)
            point = (
                emulator.create_recovery_point(SOURCE)
                if advanced
                else emulator.create_backup(SOURCE)
            )
            event = sns_event(backup_completed(point, table_arn))
        elif advanced:
            event = emulator.advanced_backup_notification(SOURCE)
        else:
            event = emulator.backup_notification(SOURCE)
        older = _older_copies(emulator)
        rotation = emulator.rotate(event)
        output = _expect_success(rotation, f"module, {seconds} s")
        if output["cleanup"]["deleted"] != older[:1]:
            raise AssertionError(f"Cleanup deleted {output['cleanup']['deleted']}, not {older[0]}")
        restore = output["restore"]
        if advanced:
            job = emulator.client("backup").describe_restore_job(
                RestoreJobId=restore["restore_job_id"]
            )
            started = job["CreationDate"]
        else:
            started = emulator._restore_started[restore["target_table_name"]]
        ready_at = started + timedelta(seconds=seconds)
        transitions = state_transitions(rotation.history)
        invocations = len(emulator.invocations)
        return Measured(
            transitions=transitions,
            lambda_invocations=invocations,
            detection_lag_s=_lag(emulator, ready_at, output["publish"]["table_arn"]),
            cost_usd=round(
                cost.rotation_cost(transitions, invocations, memory_mb, architecture, prices), 8
            ),
            record_lookups=record_lookups(emulator),
            rotation_s=emulator.clock.waited_seconds,
            memory_mb=memory_mb,
            architecture=architecture,
        )


LOOKUPS = (
    "backup:DescribeBackupJob",
    "backup:DescribeCopyJob",
    "backup:DescribeRecoveryPoint",
    "dynamodb:DescribeBackup",
)


def record_lookups(emulator: Emulator) -> int:
    """The calls the trigger and StartRestore made to read AWS's records."""
    return sum(
        count
        for (function, call), count in emulator.aws_call_counts.items()
        if function in ("trigger", "start_restore") and call in LOOKUPS
    )


def measure_original(seconds: int, prices: cost.Prices) -> Measured:
    with Emulator(MODULE_SETTINGS, restore_seconds=seconds) as emulator:
        deployed = original.deploy(emulator)
        rotation = deployed.rotate(emulator.backup_notification(SOURCE))
        output = _expect_success(rotation, f"original, {seconds} s")
        copy = output["RestoreTableFromBackupOutput"]["TableDescription"]["TableName"]
        ready_at = emulator._restore_started[copy] + timedelta(seconds=seconds)
        configuration = deployed.function_configuration("restore")
        memory_mb = int(configuration["MemorySize"])
        architecture = str(configuration["Architectures"][0])
        transitions = state_transitions(rotation.history)
        invocations = len(emulator.invocations)
        return Measured(
            transitions=transitions,
            lambda_invocations=invocations,
            detection_lag_s=_lag(
                emulator, ready_at, output["DescribeTableOutput"]["Table"]["TableArn"]
            ),
            cost_usd=round(
                cost.rotation_cost(transitions, invocations, memory_mb, architecture, prices), 8
            ),
            record_lookups=record_lookups(emulator),  # the original looks nothing up: 0
            rotation_s=emulator.clock.waited_seconds,
            memory_mb=memory_mb,
            architecture=architecture,
        )


def original_on_aws_backup(seconds: int = 300) -> dict[str, Any]:
    """The original given an AWS Backup recovery point: how its execution ends."""
    with Emulator(MODULE_SETTINGS, restore_seconds=seconds) as emulator:
        deployed = original.deploy(emulator)
        rotation = deployed.rotate(emulator.advanced_backup_notification(SOURCE))
        entered = [
            e["stateEnteredEventDetails"]["name"]
            for e in rotation.history
            if e["type"].endswith("StateEntered")
        ]
        return {
            "status": rotation.status,
            "failed_in": entered[-1] if entered else None,
            "error": rotation.error,
            "cause": (rotation.cause or "")[:300],
            "parameter_writes": len(emulator.parameter_writes),
            "reason": ORIGINAL_AWS_BACKUP_REASON,
        }


def run_durations(durations: tuple[int, ...] = DURATIONS) -> dict[str, Any]:
    """``{"durations": {"<seconds>": {"module", "module_aws_backup", "original",
    "original_aws_backup"}}, "original_aws_backup": {...}}``; each measured entry is a
    ``Measured`` as a dict."""
    quiet_moto()
    prices = cost.load_prices()
    results: dict[str, Any] = {}
    for seconds in durations:
        row: dict[str, Any] = {}
        for key in ("module", "module_aws_backup", "original"):
            print(f"  {seconds:>6} s restore: {key} ...", file=sys.stderr, flush=True)
            if key == "original":
                measured = measure_original(seconds, prices)
            else:
                measured = measure_module(seconds, key == "module_aws_backup", prices)
            row[key] = asdict(measured)
        row["original_aws_backup"] = None
        row["cost_ratio_original_to_module"] = round(
            row["original"]["cost_usd"] / row["module"]["cost_usd"], 2
        )
        if seconds == EVERY_PROPERTY_SECONDS:
            for key in ("module", "module_aws_backup"):
                print(f"  {seconds:>6} s restore: {key}, every property ...", file=sys.stderr)
                measured = measure_module(
                    seconds, key == "module_aws_backup", prices, every_property=True
                )
                row[f"{key}_every_property"] = asdict(measured)
            row["cost_ratio_original_to_module_every_property"] = round(
                row["original"]["cost_usd"] / row["module_every_property"]["cost_usd"], 2
            )
        results[str(seconds)] = row
    print("  the original on the AWS Backup path ...", file=sys.stderr, flush=True)
    return {"durations": results, "original_aws_backup": original_on_aws_backup()}
