"""The documented manual start (docs/triggers.md): its execution input, as printed,
rotates a recovery point of either kind when the ARNs are those of this account's backup."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rotator.model import format_time, parse_time
from rotator.naming import timestamp_suffix
from tests.emulator.harness import Emulator, vault_arn

TRIGGERS = Path(__file__).resolve().parents[2] / "docs" / "triggers.md"


def documented_input() -> dict[str, object]:
    section = TRIGGERS.read_text().split("## Starting a rotation by hand", 1)[1]
    block = re.search(r"```json\n(.*?)```", section, re.DOTALL)
    assert block, "docs/triggers.md's manual start has no JSON input"
    value: dict[str, object] = json.loads(block[1])
    return value


@pytest.mark.parametrize("advanced", [True, False])
def test_the_documented_input_rotates_a_recovery_point(emulator: Emulator, advanced: bool) -> None:
    given = documented_input()
    backup = dict(given["backup"])  # type: ignore[call-overload]
    table = str(backup["source_table_arn"]).rsplit("/", 1)[1]
    # a recovery point no job of AWS Backup's names: its own record decides the time
    backup["source_table_arn"] = emulator.create_source_table(table, items=4)
    if advanced:
        point = emulator.create_recovery_point(table)
        created = parse_time(str(backup["started_at"]))
        emulator.recovery_points.record_point(
            point, vault_arn(str(backup["vault_name"])), backup["source_table_arn"], created
        )
    else:
        point = emulator.create_backup(table)
        described = emulator.dynamodb.describe_backup(BackupArn=point)["BackupDescription"]
        created = described["BackupDetails"]["BackupCreationDateTime"]
        backup["started_at"] = format_time(created.replace(microsecond=0))
    backup["recovery_point_arn"] = point

    execution = emulator.stepfunctions.start_execution(
        stateMachineArn=emulator.state_machine_arn,
        name="manual-20240827T092000",
        input=json.dumps({"backup": backup}),
    )
    rotation = emulator.wait_for(execution["executionArn"])

    assert rotation.status == "SUCCEEDED", rotation.cause
    copy = "Orders-staging" + timestamp_suffix(created)  # the recovery point's own time
    assert emulator.item_count(copy) == 4
    assert emulator.parameter()["Value"].endswith(f":table/{copy}")


def test_a_started_at_that_is_not_rfc3339_fails_the_rotation_before_anything_is_restored(
    emulator: Emulator,
) -> None:
    backup = dict(documented_input()["backup"])  # type: ignore[call-overload]
    backup["source_table_arn"] = emulator.create_source_table("Orders-Production", items=1)
    backup["recovery_point_arn"] = emulator.create_backup("Orders-Production")
    backup["started_at"] = "2019-09-18T11Z"
    execution = emulator.stepfunctions.start_execution(
        stateMachineArn=emulator.state_machine_arn,
        name="manual-bad",
        input=json.dumps({"backup": backup}),
    )
    rotation = emulator.wait_for(execution["executionArn"])
    assert (rotation.status, rotation.error) == ("FAILED", "InvalidInput")
    assert "RFC 3339" in (rotation.cause or "")
    assert emulator.table_names() == ["Orders-Production"]
