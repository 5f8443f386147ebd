"""``make demo``: one full rotation on the local emulator, printed step by step.

No AWS account: moto plays DynamoDB, SSM, Lambda and Step Functions; the functions,
their environment and the state machine definition are what a plan of the module with
the real hashicorp/aws provider says; every step runs the real handler.
The restore is made to take 2.5 simulated minutes so the checks and their growing
intervals show.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from tests.emulator.events import backup_completed, sns_event
from tests.emulator.harness import Emulator, Settings

SOURCE_TABLE = "Orders-Production"


def describe(event: dict[str, Any], checks: list[int]) -> str | None:
    """One line for the history events a person cares about (``checks`` counts the
    checks of the restore seen so far)."""
    kind = event["type"]
    if kind.endswith("StateEntered"):
        name = event["stateEnteredEventDetails"]["name"]
        return f"  -> {name}"
    if kind == "LambdaFunctionSucceeded":
        output = json.loads(event["lambdaFunctionSucceededEventDetails"]["output"])
        if "parameter_name" in output:
            if output["parameter_name"]:
                return (
                    f"     copy verified; {output['parameter_name']} = {output['table_arn']}"
                    f" (version {output['parameter_version']})"
                )
            return "     copy verified; no parameter configured"
        if "target_table_name" in output:
            return (
                f"     restoring into {output['target_table_name']}; "
                f"will give up at {output['deadline']}"
            )
        if "deleted" in output:
            return f"     cleanup: deleted {', '.join(output['deleted']) or 'nothing'}"
        if "total_segments" in output:
            return (
                f"     pass planned: {output['total_segments']} Scan segments, "
                f"{output['rules']} mask rules; the copy closed to all but the rotator's roles"
            )
        if "bad_keys" in output:
            return (
                f"     pass checked: {output['items']} items ({output['bytes']} bytes), "
                f"{output['masked']} masked, {output['bad_keys']} without their keys"
            )
        if "sampled_items" in output:
            return f"     configured: {output['tags']} tags; the copy holds data"
        checks.append(1)
        return f"     check {len(checks)}: table {output['table_status']}, ready"
    if kind == "LambdaFunctionFailed":
        details = event["lambdaFunctionFailedEventDetails"]
        if details.get("error") == "RestoreNotReady":
            checks.append(1)
            cause = json.loads(details.get("cause") or "{}").get("errorMessage", "")
            return f"     check {len(checks)}: {cause}; checked again after a longer wait"
        return f"     failed: {details.get('error')}: {details.get('cause')}"
    if kind == "MapRunStarted":
        return "     each segment walked by its own child execution (Distributed Map)"
    if kind == "ExecutionSucceeded":
        return "  execution SUCCEEDED"
    if kind == "ExecutionFailed":
        details = event["executionFailedEventDetails"]
        return f"  execution FAILED: {details.get('error')}: {details.get('cause')}"
    return None


# Module-level, so tests/conftest.py plans them with the rest when test_demo runs main().
SETTINGS = Settings(keep_last=2, tags={"env": "staging"})
CUSTOMERS = "Customers-Production"
MASK_KEY = "/demo/mask-key"
MASKING = Settings(
    ssm_parameter_name="/staging/customers-arn",
    **{
        "pass": {
            "segments": 4,
            "mask": [
                {"path": "email", "action": "hash"},
                {"path": "name", "action": "fake_name"},
                {"path": "address.street", "action": "redact"},
                {"path": "phones[*]", "action": "fake_phone"},
                {"path": "ssn", "action": "remove"},
            ],
            "secret_ssm_parameter_name": MASK_KEY,
        }
    },
)
PEOPLE = [
    (
        "Ada Lovelace",
        "ada@example.com",
        "12 St James's Square",
        ["+44 20 7946 0018"],
        "078-05-1120",
    ),
    ("Alan Turing", "alan@example.com", "43 Adlington Road", ["+44 161 496 0000"], "219-09-9999"),
    (
        "Grace Hopper",
        "grace@example.com",
        "16 Dock Street",
        ["+1 202 555 0143", "+1 202 555 0199"],
        None,
    ),
]


def main() -> None:
    settings = SETTINGS
    # moto's interpreter logs ChooseWait's IsPresent test of a missing path as an error
    logging.getLogger("moto.stepfunctions.parser.asl.component.eval_component").setLevel(
        logging.CRITICAL
    )
    print("DynamoDB Backup Rotator: rotations on the local emulator (no AWS account)")
    with Emulator(settings, restore_seconds=150) as emulator:
        restore = emulator.environment("start_restore")
        print("  module inputs: " + ", ".join(f"{k}={v!r}" for k, v in settings.inputs().items()))
        print(
            f"  as planned by Terraform: source_pattern={restore['SOURCE_PATTERN']!r} "
            f"replacement_pattern={restore['REPLACEMENT_PATTERN']!r} "
            f"restore_timeout_seconds={restore['RESTORE_TIMEOUT_SECONDS']}"
        )
        print(
            "\n1. Functions and state machine deployed as a plan of the module (real "
            f"Terraform, real hashicorp/aws provider) says: {emulator.state_machine_arn}"
        )
        event = emulator.backup_notification(SOURCE_TABLE, items=25)
        record = event["Records"][0]["Sns"]
        print(f"2. Table {SOURCE_TABLE} with 25 items backed up; AWS Backup notifies:")
        print(f"     {record['Message']}")
        result = emulator.deliver(event)
        [execution] = emulator.executions()
        print(f"3. Trigger: {result} -> execution {execution['name']}")
        checks: list[int] = []
        for history_event in emulator.follow(execution["executionArn"]):
            line = describe(history_event, checks)
            if line:
                print(line, flush=True)
        rotation = emulator.wait_for(execution["executionArn"])
        if rotation.status != "SUCCEEDED":
            raise SystemExit(f"rotation {rotation.status}: {rotation.error}: {rotation.cause}")
        assert rotation.output is not None
        copy = rotation.output["restore"]["target_table_name"]
        print(f"4. Simulated time waited: {emulator.clock.waited_seconds:.0f} s")
        print(f"5. Same notification delivered again: {emulator.deliver(event)}")
        print("\nResult")
        print(f"  new table:  {copy}")
        print(f"  items:      {emulator.item_count(copy)}")
        parameter = emulator.parameter()
        print(f"  parameter:  {parameter['Name']} = {parameter['Value']}")
        lifecycle(emulator)
    masking()


def person(
    number: int, name: str, email: str, street: str, phones: list[str], ssn: str | None
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "pk": {"S": f"customer-{number:03d}"},
        "name": {"S": name},
        "email": {"S": email},
        "address": {"M": {"street": {"S": street}, "city": {"S": "London"}}},
        "phones": {"L": [{"S": phone} for phone in phones]},
        "orders": {"N": str(3 + number)},
    }
    if ssn is not None:
        item["ssn"] = {"S": ssn}
    return item


def shown(item: dict[str, Any]) -> str:
    """An item as one line of plain values (the mark of the pass left out)."""
    from boto3.dynamodb.types import TypeDeserializer

    plain = {
        k: TypeDeserializer().deserialize(v)
        for k, v in sorted(item.items())
        if k != "rotator:masked"
    }
    return json.dumps(plain, default=str, ensure_ascii=False)


def masking() -> None:
    """The pass: a table of customers rotated with mask rules; a few items before and after."""
    print(
        "\nThe pass (pass = {...}): every item counted, checked and masked before the pointer moves"
    )
    with Emulator(MASKING) as emulator:
        print(
            "  rules: "
            + ", ".join(f"{r['path']} -> {r['action']}" for r in MASKING.inputs()["pass"]["mask"])
        )
        emulator.ssm.put_parameter(Name=MASK_KEY, Value="demo-key-" + "x" * 32, Type="SecureString")
        table_arn = emulator.create_source_table(CUSTOMERS, items=0)
        for number, fields in enumerate(PEOPLE):
            emulator.dynamodb.put_item(TableName=CUSTOMERS, Item=person(number, *fields))
        backup = emulator.create_backup(CUSTOMERS)
        event = sns_event(backup_completed(backup, table_arn, job_id="job-customers"))
        emulator.record_jobs_of(event)
        emulator.deliver(event)
        [execution] = emulator.executions()
        for history_event in emulator.follow(execution["executionArn"]):
            line = describe(history_event, [])
            if line and not line.startswith("     check "):
                print(line, flush=True)
        rotation = emulator.wait_for(execution["executionArn"])
        if rotation.status != "SUCCEEDED":
            raise SystemExit(f"rotation {rotation.status}: {rotation.error}: {rotation.cause}")
        assert rotation.output is not None
        copy = rotation.output["restore"]["target_table_name"]
        before = {i["pk"]["S"]: i for i in emulator.dynamodb.scan(TableName=CUSTOMERS)["Items"]}
        after = {i["pk"]["S"]: i for i in emulator.dynamodb.scan(TableName=copy)["Items"]}
        for key in sorted(before):
            print(f"  {CUSTOMERS} {shown(before[key])}")
            print(f"  {copy} {shown(after[key])}")
        print(f"  parameter: {emulator.parameter('/staging/customers-arn')['Value']}")


def lifecycle(emulator: Emulator) -> None:
    """Two more backups a day apart: the pointer moves to each new copy, and with
    keep_last = 2 the oldest copy goes."""
    table_arn = emulator.dynamodb.describe_table(TableName=SOURCE_TABLE)["Table"]["TableArn"]
    print("\nLifecycle (keep_last = 2): a backup a day")
    for day in (28, 29):
        # the day of the backup comes: a copy named after a later time than now would
        # be a copy from the future, which the parameter rule replaces
        backup_time = datetime(2024, 8, day, 9, 20, tzinfo=UTC)
        if backup_time > emulator.clock.now():
            emulator.clock.advance((backup_time - emulator.clock.now()).total_seconds())
        backup = emulator.create_backup(SOURCE_TABLE)
        event = sns_event(
            backup_completed(
                backup,
                table_arn,
                job_id=f"job-2024-08-{day}",
                start_time=f"2024-08-{day}T09:20:00Z",
            )
        )
        rotation = emulator.rotate(event)
        if rotation.status != "SUCCEEDED":
            raise SystemExit(f"rotation {rotation.status}: {rotation.error}: {rotation.cause}")
        assert rotation.output is not None
        cleanup = rotation.output["cleanup"]
        copies = sorted(t for t in emulator.table_names() if t != SOURCE_TABLE)
        print(
            f"  backup of 2024-08-{day}: parameter -> {emulator.parameter()['Value'].rsplit('/', 1)[1]}"
        )
        print(
            f"     deleted: {', '.join(cleanup['deleted']) or 'nothing'}; copies now: {', '.join(copies)}"
        )


if __name__ == "__main__":
    main()
