"""``make e2e``: the examples applied for real, with the real hashicorp/aws provider.

For each example, in a fresh moto served on 127.0.0.1 by the emulator (whose patches
still run every Lambda task's real handler, in simulated time):

1. ``terraform init``, ``validate`` (no error, and no warning: the provider flags
   every deprecated attribute the configuration reads) and ``apply`` of a copy of the
   example under ``.cache/e2e/<example>/`` (left there for inspection), with an
   override file that points the example's own ``provider "aws"`` at moto. This is
   ``make sandbox``'s deployment (``tests/emulator/sandbox.py``, ``deployment.py``)
   but for its plan after apply, which 5. replaces: a step that fails is named, and
   what apply created is destroyed;
2. a table matching the example's ``source_pattern`` is created and backed up, and the
   AWS Backup notification is published to the example's topic, with AWS Backup's
   message attributes; the subscription's real filter policy decides delivery, and
   the execution of the state machine Terraform created is followed to SUCCEEDED,
   then the example's hooks (``examples/complete``'s) are checked to have run on the
   copy, and the copy and the SSM parameter are checked;
3. the same notification published again starts nothing;
4. where the example has a failure topic (``rotation_failures_topic_arn``, subscribed
   by a queue here): the successful rotation published nothing to it, and a second
   backup whose copy name is taken fails with ``TargetTableConflict`` and publishes
   exactly one message naming it;
5. ``plan -detailed-exitcode``: no changes, after apply and the rotations;
6. for ``basic``: the snippets of ``docs/operations.md`` run with the pinned AWS CLI
   (``.cache/venv-awscli``) against this deployment, each checked by what it did
   (``sandbox.check_operations``);
7. ``destroy``, then nothing Terraform created is left in moto.

Terraform's own output is printed; the last line sums up.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.emulator.events import (
    backup_completed,
    backup_job_event,
    copy_job_event,
    eventbridge_event,
)
from tests.emulator.harness import Emulator
from tests.emulator.sandbox import check_operations, running
from tests.emulator.terraform import CACHE


@dataclass(frozen=True)
class Example:
    name: str
    source_table: str  # matches the example's source_pattern
    copy_table: str  # what the rotator must name its copy
    parameter: str
    vault: str | None  # a vault the example expects to exist already
    trigger: str = "sns"  # how the example's rotations start: "sns" or "eventbridge"
    # the functions each rotation runs as hooks, in order, by their key in
    # Emulator.invocations (the name without "ddb-rotator-", "_" for "-")
    hooks: tuple[str, ...] = ()
    # pass: the SSM parameter the example creates for the mask key (with a placeholder
    # its README says to replace: done here before the rotation)
    mask_key_parameter: str | None = None


EXAMPLES = {
    "basic": Example(
        "basic",
        "Orders-production",
        "Orders-staging-20240827-09-20-00",
        "/staging/database-arn",
        vault="Default",  # every account has it once AWS Backup is used
    ),
    "complete": Example(
        "complete",
        "orders-prod",
        "orders-staging-20240827-09-20-00",
        "/staging/database-arn",
        vault=None,  # the example creates its own
        hooks=("hook_has_items",),  # the function ddb-rotator-hook-has-items
        mask_key_parameter="/ddb-rotator/mask-key",
    ),
    "eventbridge": Example(
        "eventbridge",
        "Orders-production",
        "Orders-staging-20240827-09-40-00",  # the job's CreationDate (DescribeBackupJob)
        "/staging/database-arn",
        vault="Default",
        trigger="eventbridge",
    ),
}
COPIED_TABLE = "Customers-production"  # only its copy is announced (eventbridge)
COPIED_COPY = "Customers-staging-20240827-09-40-00"
JOB_ID = "D4C1C0B5-3E62-4F3A-9E0B-2C7A51E1B2F4"
START = datetime(2024, 8, 27, 9, 40, tzinfo=UTC)  # the simulated clock's start
# The example whose run also runs the snippets of docs/operations.md with the AWS CLI.
OPERATIONS_EXAMPLE = "basic"


class Failed(AssertionError):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)


def publish(emulator: Emulator, topic_arn: str, record: dict[str, Any]) -> None:
    """Publish ``record``'s message as AWS Backup does, with its message attributes,
    once AWS Backup has recorded the job it announces (the trigger looks it up)."""
    emulator.record_jobs_of({"Records": [record]})
    emulator.sns.publish(
        TopicArn=topic_arn,
        Subject=record["Sns"]["Subject"],
        Message=record["Sns"]["Message"],
        MessageAttributes={
            name: {"DataType": "String", "StringValue": value["Value"]}
            for name, value in record["Sns"]["MessageAttributes"].items()
        },
    )


def trigger_runs(emulator: Emulator) -> int:
    return sum(1 for call in emulator.invocations if call.function == "trigger")


def leftovers(emulator: Emulator, example: Example) -> list[str]:
    """What is left in moto that the example's resources would have been."""
    clients = {
        name: emulator.client(name)
        for name in (
            "lambda",
            "stepfunctions",
            "iam",
            "logs",
            "sns",
            "sqs",
            "kms",
            "backup",
            "cloudwatch",
            "events",
            "kinesis",
        )
    }
    found = [
        f"function {f['FunctionName']}" for f in clients["lambda"].list_functions()["Functions"]
    ]
    found += [
        f"state machine {m['name']}"
        for m in clients["stepfunctions"].list_state_machines()["stateMachines"]
    ]
    found += [f"role {r['RoleName']}" for r in clients["iam"].list_roles()["Roles"]]
    found += [
        f"policy {p['PolicyName']}" for p in clients["iam"].list_policies(Scope="Local")["Policies"]
    ]
    found += [
        f"log group {g['logGroupName']}" for g in clients["logs"].describe_log_groups()["logGroups"]
    ]
    found += [f"topic {t['TopicArn']}" for t in clients["sns"].list_topics()["Topics"]]
    found += [
        f"subscription {s['SubscriptionArn']}"
        for s in clients["sns"].list_subscriptions()["Subscriptions"]
    ]
    found += [f"queue {q}" for q in clients["sqs"].list_queues().get("QueueUrls", [])]
    found += [f"stream {s}" for s in clients["kinesis"].list_streams()["StreamNames"]]
    found += [f"rule {r['Name']}" for r in clients["events"].list_rules()["Rules"]]
    alarms = clients["cloudwatch"].describe_alarms()["MetricAlarms"]
    found += [f"alarm {alarm['AlarmName']}" for alarm in alarms]
    found += [
        f"vault {v['BackupVaultName']}"
        for v in clients["backup"].list_backup_vaults()["BackupVaultList"]
        if v["BackupVaultName"] != example.vault
    ]
    for key in clients["kms"].list_keys()["Keys"]:
        state = clients["kms"].describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"]
        if state != "PendingDeletion":  # what destroying a key does
            found.append(f"KMS key {key['KeyId']} ({state})")
    return found


def received_notifications(emulator: Emulator, queue_url: str) -> list[dict[str, Any]]:
    return [json.loads(envelope["Message"]) for envelope in emulator.received(queue_url)]


def check_failure_notification(
    emulator: Emulator, example: Example, topic: str, queue_url: str, table_arn: str
) -> None:
    """A rotation that fails (its copy's name is taken by the first rotation's copy,
    restored from another backup) publishes one message to the example's topic."""
    backup_arn = emulator.create_backup(example.source_table)
    conflicting = backup_completed(backup_arn, table_arn, job_id="C0NF11C7")
    before = {e["executionArn"] for e in emulator.executions()}
    publish(emulator, topic, conflicting)
    [started] = [e for e in emulator.executions() if e["executionArn"] not in before]
    rotation = emulator.wait_for(started["executionArn"])
    check(
        (rotation.status, rotation.error) == ("FAILED", "TargetTableConflict"),
        f"the conflicting rotation ended {rotation.status}: {rotation.error}",
    )
    messages = received_notifications(emulator, queue_url)
    check(len(messages) == 1, f"the failed rotation published {len(messages)} messages")
    [message] = messages
    expected = {
        "failed_state": "StartRestore",
        "error": "TargetTableConflict",
        "execution_arn": rotation.execution_arn,
    }
    check(
        {key: message.get(key) for key in expected} == expected
        and message["backup"]["job_id"] == "C0NF11C7",
        f"the failure notification is {message}",
    )


def run_example(example: Example) -> dict[str, Any]:
    started = time.monotonic()
    # Applied and destroyed as make sandbox does (tests/emulator/deployment.py), in
    # simulated time from the emulator's usual start.
    # The plan after the rotation (5.) is the first: a change that apply leaves would
    # show there as well, and each plan costs about 12 CPU-s.
    with running(
        example.name, CACHE / "e2e" / example.name, start_time=START, plan_after_apply=False
    ) as sandbox:
        emulator, deployment = sandbox.emulator, sandbox.deployment
        outputs = deployment.outputs
        if example.trigger == "sns":
            rotate_over_sns(
                emulator,
                example,
                outputs["backup_sns_topic_arn"],
                outputs.get("rotation_failures_topic_arn"),
            )
        else:
            rotate_over_eventbridge(emulator, example)
        deployment.no_changes("after the rotation")
        snippets = check_operations(sandbox) if example.name == OPERATIONS_EXAMPLE else []

        # The plan after the rotation read every resource; what is left after destroy
        # is checked in moto itself.
        deployment.destroy(refresh=False)
        left = leftovers(emulator, example)
        check(not left, f"destroy left {', '.join(left)}")
    return {
        "example": example.name,
        "copy": example.copy_table,
        "snippets": snippets,
        "seconds": round(time.monotonic() - started),
    }


def rotate_over_sns(emulator: Emulator, example: Example, topic: str, failures: str | None) -> None:
    """A FAILED job filtered out, a completed one rotated, then delivered again; with
    a failure topic, nothing published for it, and one message for a failed rotation."""
    queue_url = emulator.subscribe_queue(failures, "e2e-failures") if failures else None
    table_arn = emulator.create_source_table(example.source_table, items=25)
    backup_arn = emulator.create_backup(example.source_table)
    failed = backup_completed(backup_arn, table_arn, job_id="F41L", wording="failed")
    failed["Sns"]["MessageAttributes"]["State"]["Value"] = "FAILED"
    publish(emulator, topic, failed)
    check(trigger_runs(emulator) == 0, "the filter policy let a FAILED job reach the trigger")

    if example.mask_key_parameter is not None:  # the key, as the example's README says
        emulator.ssm.put_parameter(
            Name=example.mask_key_parameter,
            Value="e2e-" + "k" * 40,
            Type="SecureString",
            Overwrite=True,
        )
    completed = backup_completed(backup_arn, table_arn, job_id=JOB_ID)
    publish(emulator, topic, completed)
    executions = emulator.executions()
    check(len(executions) == 1, f"one notification started {len(executions)} executions")
    finished(emulator, example, example.copy_table, executions[0]["executionArn"])
    publish(emulator, topic, completed)  # delivered again, after the rotation ended
    check(trigger_runs(emulator) == 2, "the repeated notification did not reach the trigger")
    check(len(emulator.executions()) == 1, "the repeated notification started an execution")
    if queue_url is not None:
        notified = received_notifications(emulator, queue_url)
        check(not notified, f"the successful rotation published {notified}")
        check_failure_notification(emulator, example, topic, queue_url, table_arn)
        for subscription in emulator.sns.list_subscriptions()["Subscriptions"]:
            if subscription["Protocol"] == "sqs":
                emulator.sns.unsubscribe(SubscriptionArn=subscription["SubscriptionArn"])
        emulator.client("sqs").delete_queue(QueueUrl=queue_url)


def put_event(emulator: Emulator, event: dict[str, Any]) -> None:
    """Put ``event`` on the default bus as AWS Backup would (its source, detail type,
    resources and detail); the example's rules decide delivery."""
    response = emulator.put_event(event)
    check(response["FailedEntryCount"] == 0, f"PutEvents failed: {response['Entries']}")


def rotate_over_eventbridge(emulator: Emulator, example: Example) -> None:
    """A Restore Job State Change matching no rule, a Backup Job State Change rotated
    (and delivered again), then a Copy Job State Change rotated from the copy."""
    job = emulator.backup_job(example.source_table)
    restore_event = eventbridge_event(
        "Restore Job State Change",
        {"restoreJobId": "R-1", "status": "COMPLETED", "recoveryPointArn": job.recovery_point},
        [job.recovery_point],
    )
    put_event(emulator, restore_event)
    check(trigger_runs(emulator) == 0, "a Restore Job State Change reached the trigger")

    event = backup_job_event(job.job_id, job.resource_arn, job.recovery_point)
    put_event(emulator, event)
    [execution] = emulator.executions()
    finished(emulator, example, example.copy_table, execution["executionArn"])
    put_event(emulator, event)  # delivered again, after the rotation ended
    check(trigger_runs(emulator) == 2, "the repeated event did not reach the trigger")
    check(len(emulator.executions()) == 1, "the repeated event started an execution")

    source = emulator.backup_job(COPIED_TABLE, job_id="5B9E0C1D-2A3B-4C5D-8E9F-0A1B2C3D4E5F")
    copy = emulator.copy_job(source)
    put_event(
        emulator,
        copy_job_event(
            copy.job_id,
            copy.resource_arn,
            source.recovery_point,
            copy.recovery_point,
            copy.vault_arn,
        ),
    )
    started = [e for e in emulator.executions() if e["name"] == copy.job_id]
    check(len(started) == 1, "the copy job event started no execution named after the copy job")
    finished(emulator, example, COPIED_COPY, started[0]["executionArn"])


def finished(emulator: Emulator, example: Example, copy_table: str, execution_arn: str) -> None:
    """The execution SUCCEEDED, the example's hooks ran on the copy (the function
    Terraform created, its code from the zip Terraform made), the copy holds the 25
    items, the parameter points at it."""
    rotation = emulator.wait_for(execution_arn)
    check(
        rotation.status == "SUCCEEDED",
        f"execution {rotation.status}: {rotation.error}: {rotation.cause}",
    )
    hooks = [
        call
        for call in emulator.invocations
        if call.function in example.hooks and call.payload.get("execution_arn") == execution_arn
    ]
    check(
        [(call.function, call.error) for call in hooks] == [(h, None) for h in example.hooks]
        and all(call.payload["table_name"] == copy_table for call in hooks),
        f"the hooks {example.hooks} ran as {[(c.function, c.error) for c in hooks]}",
    )
    if example.mask_key_parameter is not None:  # the pass walked every item
        walked = (rotation.output or {}).get("pass", {})
        check(walked.get("items") == 25, f"the pass counted {walked}, expected 25 items")
    parameter_name = example.parameter
    copy = emulator.dynamodb.describe_table(TableName=copy_table)["Table"]
    check(emulator.item_count(copy_table) == 25, f"{copy_table} does not hold the 25 items")
    parameter = emulator.parameter(parameter_name)
    check(
        parameter["Value"] == copy["TableArn"],
        f"{parameter_name} is {parameter['Value']!r}, expected {copy['TableArn']!r}",
    )


def provider_version(example: str) -> str:
    """The hashicorp/aws version ``terraform init`` installed for ``example``."""
    lock = CACHE / "e2e" / example / "examples" / example / ".terraform.lock.hcl"
    found = re.search(
        r'provider "registry.terraform.io/hashicorp/aws" \{\s*version\s*=\s*"([^"]+)"',
        lock.read_text() if lock.exists() else "",
    )
    return found[1] if found else "(not installed)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("examples", nargs="*", metavar="EXAMPLE", help=", ".join(EXAMPLES))
    names = parser.parse_args(argv).examples or list(EXAMPLES)
    unknown = sorted(set(names) - set(EXAMPLES))
    if unknown:
        parser.error(
            f"unknown example(s) {', '.join(unknown)}; expected some of {', '.join(EXAMPLES)}"
        )
    if len(names) > 1:
        return run_in_parallel(names)
    [name] = names
    error_file(name).unlink(missing_ok=True)
    try:
        result = run_example(EXAMPLES[name])
        outcome = f"passed in {result['seconds']} s"
        if result["snippets"]:
            outcome += f" (and the snippets {', '.join(result['snippets'])})"
    except Exception as err:  # reported in the summary, then the run fails
        print(f"e2e {name}: FAILED: {err}", flush=True)
        outcome = f"FAILED ({type(err).__name__})"
        error_file(name).write_text(f"{type(err).__name__}: {last_lines(str(err))}\n")
    print(f"e2e: hashicorp/aws {provider_version(name)} against moto: {name} {outcome}", flush=True)
    return 0 if outcome.startswith("passed") else 1


# How much of a failed example's error the end of a parallel run repeats.
ERROR_LINES = 25


def error_file(example: str) -> Path:
    """Where a failed example's run leaves its error for ``run_in_parallel``."""
    return CACHE / "e2e" / f"{example}.error"


def last_lines(text: str, count: int = ERROR_LINES) -> str:
    """The first line of ``text`` (what failed), and its last ``count`` lines (for a
    Terraform command, the end of its stderr: the error), with what was left out."""
    lines = text.rstrip().splitlines()
    if len(lines) <= count + 1:
        return "\n".join(lines)
    return "\n".join([lines[0], f"  [... {len(lines) - count - 1} lines ...]", *lines[-count:]])


def run_in_parallel(names: list[str]) -> int:
    """One process per example (moto is process-wide), their output printed in turn,
    then each failed example's error again, so that the end of the output says why."""
    logs = {name: CACHE / "e2e" / f"{name}.log" for name in names}
    processes = {}
    for name in names:
        logs[name].parent.mkdir(parents=True, exist_ok=True)
        with logs[name].open("w") as log:
            processes[name] = subprocess.Popen(
                [sys.executable, "-m", "tests.emulator.e2e", name],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
    codes = {name: process.wait() for name, process in processes.items()}
    outcomes = []
    for name in names:
        text = logs[name].read_text()
        print(text, end="", flush=True)
        last = text.rstrip().rsplit("\n", 1)[-1]
        outcomes.append(last.rsplit(": ", 1)[1] if last.startswith("e2e: ") else f"{name} FAILED")
    for name in names:
        if codes[name] != 0:
            found = error_file(name)
            error = found.read_text() if found.exists() else last_lines(logs[name].read_text())
            print(f"\ne2e {name} FAILED (exit {codes[name]}):\n{error.rstrip()}", flush=True)
    versions = sorted({provider_version(name) for name in names})
    print(f"e2e: hashicorp/aws {', '.join(versions)} against moto: {'; '.join(outcomes)}")
    return 0 if all(code == 0 for code in codes.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
