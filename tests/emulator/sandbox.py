"""``make sandbox``: an example applied onto a local endpoint, kept running for a real
client (the AWS CLI) to drive.

``python -m tests.emulator.sandbox [EXAMPLE]`` (default ``basic``, any directory of
``examples/``) starts the emulator (moto on 127.0.0.1, whose Lambda invocations run the
real handlers from the zip Terraform made, in simulated time), applies the example
with the real hashicorp/aws provider (``tests/emulator/deployment.py``, as ``make e2e``
does), and prints the endpoint, the environment to export and how to drive it (the
snippets of ``docs/operations.md``). AWS Backup is emulated too: ``aws backup
start-backup-job`` of a table completes at once and notifies as AWS Backup does
(``tests/emulator/backup_jobs.py``). Executions run on their own in moto's threads;
their Wait states and retries take simulated time, so a rotation ends within seconds.
SIGINT (Ctrl-C) or SIGTERM destroys the example and stops.

``--init-only``: no emulator; ``terraform init`` of ``examples/EXAMPLE`` in place from
the offline mirrors (hashicorp/aws from ``AWS_PROVIDER_MIRROR``, hashicorp/archive the
project's stand-in), and print the ``TF_CLI_CONFIG_FILE`` to export (``make init``).

``check_operations`` runs the snippets of ``docs/operations.md`` with the pinned AWS CLI
(``.cache/venv-awscli``) against a running sandbox of ``examples/basic`` and checks what
each did; ``make e2e`` calls it inside its run of that example.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.emulator import backup_jobs
from tests.emulator.deployment import Deployment, StepFailed, check_example, deployed
from tests.emulator.events import ACCOUNT, REGION, backup_completed, sns_event
from tests.emulator.harness import Emulator, Settings, vault_arn
from tests.emulator.simulated_clock import SimulatedClock
from tests.emulator.terraform import CACHE, ROOT, Terraform, cli_config

OPERATIONS = ROOT / "docs" / "operations.md"
AWS_CLI = CACHE / "venv-awscli" / "bin" / "aws"


@dataclass(frozen=True)
class Setup:
    """What an example expects to exist before it is applied."""

    vaults: tuple[str, ...] = ("Default",)  # every account has it once AWS Backup is used
    topic: str | None = None  # an SNS topic to create, given as backup_sns_topic_arn


SETUPS = {
    "complete": Setup(vaults=()),  # creates its own vault
    "sns-existing-topic": Setup(topic="backup-events"),
}


def environment(endpoint: str) -> dict[str, str]:
    """What a client needs to talk to the sandbox (AWS CLI v1 >= 1.29, v2 >= 2.13 and
    the SDKs read AWS_ENDPOINT_URL)."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_PAGER": "",  # AWS CLI v2 pages output otherwise
    }


def exports(variables: dict[str, str]) -> str:
    return "".join(f"export {name}={shlex.quote(value)}\n" for name, value in variables.items())


@dataclass
class Sandbox:
    emulator: Emulator
    deployment: Deployment
    environment: dict[str, str]
    variables: dict[str, Any] = field(default_factory=dict)  # given to the example


@contextmanager
def running(
    example: str,
    directory: Path | None = None,
    start_time: datetime | None = None,
    *,
    plan_after_apply: bool = True,
) -> Iterator[Sandbox]:
    """``example`` applied onto a fresh emulator, AWS Backup's StartBackupJob served;
    destroyed when the block ends (``Deployment.destroy`` inside it destroys it
    earlier). The simulated clock starts at ``start_time`` and moves only with the
    emulator's waits (``make e2e``), or, without one, starts now and never falls behind
    real time (``make sandbox``). ``plan_after_apply``: as ``deployed``'s."""
    check_example(example)
    setup = SETUPS.get(example, Setup())
    start = start_time or datetime.now(UTC).replace(microsecond=0)
    with (
        Emulator(Settings(), deploy=False, start_time=start) as emulator,
        _real_time(emulator.clock) if start_time is None else nullcontext(),
    ):
        backup_jobs.install(emulator)
        variables: dict[str, Any] = {}
        if setup.topic is not None:
            topic = emulator.sns.create_topic(Name=setup.topic)["TopicArn"]
            variables["backup_sns_topic_arn"] = topic
        with deployed(
            emulator,
            example,
            directory or CACHE / "sandbox" / example,
            vaults=setup.vaults,
            variables=variables,
            plan_after_apply=plan_after_apply,
        ) as deployment:
            if "state_machine_arn" in deployment.outputs:
                emulator.use_state_machine(deployment.outputs["state_machine_arn"])
            yield Sandbox(emulator, deployment, environment(emulator.endpoint), variables)


@contextmanager
def _real_time(clock: SimulatedClock) -> Iterator[None]:
    """Keep ``clock`` from falling behind real time: waits still move it ahead at once,
    and real time catches up. Moto stamps some records with real time (a DynamoDB
    backup's BackupCreationDateTime, which names a copy restored from it), and the
    handlers read ``clock``: without this, a backup made from the CLI would look like
    one from the future to them."""
    stop = threading.Event()

    def follow() -> None:
        while not stop.wait(0.5):
            behind = (datetime.now(UTC) - clock.now()).total_seconds()
            if behind > 0:
                clock.advance(behind)

    thread = threading.Thread(target=follow, name="sandbox-real-time", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def snippet_inputs(sandbox: Sandbox) -> dict[str, str]:
    """The inputs docs/operations.md's snippets ask for, as this sandbox has them."""
    outputs = sandbox.deployment.outputs
    inputs = {"VAULT": str(outputs.get("backup_vault_name", "Default"))}
    if "state_machine_arn" in outputs:
        inputs["STATE_MACHINE_ARN"] = str(outputs["state_machine_arn"])
    if "state_machine_name" in outputs:  # the module's name, which names the rest
        inputs["NAME"] = str(outputs["state_machine_name"])
    topic = outputs.get("backup_sns_topic_arn") or sandbox.variables.get("backup_sns_topic_arn")
    if topic:
        inputs["TOPIC_ARN"] = str(topic)
    parameter = _parameter(sandbox)
    if parameter:
        inputs["PARAMETER"] = parameter
    return inputs


def _parameter(sandbox: Sandbox) -> str | None:
    """The SSM parameter the rotator points at its copies (its functions' setting)."""
    names = sandbox.deployment.outputs.get("function_names") or {}
    lambda_ = sandbox.emulator.client("lambda")
    for name in names.values():
        variables = (
            lambda_.get_function_configuration(FunctionName=name)
            .get("Environment", {})
            .get("Variables", {})
        )
        if variables.get("SSM_PARAMETER_NAME"):
            return str(variables["SSM_PARAMETER_NAME"])
    return None


def instructions(sandbox: Sandbox, env_file: Path) -> str:
    outputs = sandbox.deployment.outputs
    config = cli_config()
    inputs = snippet_inputs(sandbox)
    lines = [
        "",
        f"Sandbox of examples/{sandbox.deployment.example} running at "
        f"{sandbox.environment['AWS_ENDPOINT_URL']}",
        f"(account {ACCOUNT}, Region {REGION}; Terraform state in {sandbox.deployment.work}).",
        "",
        "Outputs:",
        *(f"  {key} = {json.dumps(value)}" for key, value in sorted(outputs.items())),
        "",
        f"In another shell, export this (or: source {env_file}):",
        "",
        exports(sandbox.environment).rstrip("\n"),
        *([f"export TF_CLI_CONFIG_FILE={shlex.quote(str(config))}"] if config else []),
        "# the inputs of docs/operations.md's snippets",
        exports(inputs).rstrip("\n"),
        "",
        "Then drive it with the AWS CLI: docs/operations.md, 'Driving the sandbox'. In short:",
        "  aws dynamodb create-table ...    a table matching the example's source_pattern",
        f"  aws backup start-backup-job --backup-vault-name {inputs['VAULT']} \\",
        "    --resource-arn <table ARN> \\",
        f"    --iam-role-arn arn:aws:iam::{ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole",
        "      (the sandbox's AWS Backup completes the job at once, notifies the topic the",
        "      vault names and puts the event on the default bus; the execution that",
        "      starts is named after the job id)",
        '  aws stepfunctions describe-execution --execution-arn "${STATE_MACHINE_ARN/:stateMachine:/:execution:}:<job id>"',
        *(
            [f"  aws ssm get-parameter --name {inputs['PARAMETER']}"]
            if "PARAMETER" in inputs
            else []
        ),
        "  aws dynamodb list-tables",
        "",
        "Ctrl-C destroys the example and stops.",
    ]
    return "\n".join(lines)


def serve(example: str) -> int:
    """Apply ``example``, print how to use it, wait for SIGINT or SIGTERM, destroy."""
    # The handlers' log lines (action=started, skipped, rejected ...), as CloudWatch
    # Logs would hold them.
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("botocore").setLevel(logging.WARNING)
    stop = threading.Event()

    def on_signal(number: int, _frame: Any) -> None:
        print(f"\n{signal.Signals(number).name}: destroying the sandbox ...", flush=True)
        stop.set()

    # Until the example is up, a signal interrupts the step under way; the deployment
    # then destroys what it created (KeyboardInterrupt for SIGTERM too).
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        with running(example) as sandbox:
            env_file = sandbox.deployment.work.parents[1] / "env.sh"
            config = cli_config()
            env_file.write_text(
                exports(
                    {
                        **sandbox.environment,
                        **({"TF_CLI_CONFIG_FILE": str(config)} if config else {}),
                        **snippet_inputs(sandbox),
                    }
                )
            )
            signal.signal(signal.SIGINT, on_signal)
            signal.signal(signal.SIGTERM, on_signal)
            print(instructions(sandbox, env_file), flush=True)
            while not stop.wait(1):
                pass
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # let destroy finish
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
    except StepFailed as err:
        print(f"sandbox: {err}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        print("sandbox: interrupted; stopped", file=sys.stderr, flush=True)
        return 130
    print("sandbox: destroyed and stopped", flush=True)
    return 0


def init_only(example: str) -> int:
    """``terraform init`` of ``examples/<example>`` in place, offline."""
    work = ROOT / "examples" / check_example(example)
    Terraform(work, echo=True).init()
    config = cli_config()
    print(
        f"\nexamples/{example} is initialised. For Terraform commands of your own there:\n"
        + (f"  export TF_CLI_CONFIG_FILE={shlex.quote(str(config))}\n" if config else "")
        + "A plan needs an AWS API: real AWS, or the sandbox (make sandbox EXAMPLE="
        + f"{example}), not a plain moto server (see docs/operations.md).",
        flush=True,
    )
    return 0


# -- the operator's snippets, run by a real client -----------------------------------

SNIPPET = re.compile(r"<!-- snippet: ([a-z0-9-]+) -->\s*\n```bash\n(.*?)\n```", re.DOTALL)


def snippets(path: Path = OPERATIONS) -> dict[str, str]:
    """The marked snippets of ``docs/operations.md``, by name."""
    found: dict[str, str] = {}
    for name, code in SNIPPET.findall(path.read_text()):
        if name in found:
            raise ValueError(f"{path}: snippet {name!r} is marked twice")
        found[name] = code
    return found


class SnippetFailed(AssertionError):
    pass


def run_snippet(
    sandbox: Sandbox, name: str, code: str, inputs: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run snippet ``name`` with bash and the pinned AWS CLI against ``sandbox``, with
    ``inputs`` (the variables the snippet asks for) in its environment."""
    if not AWS_CLI.exists():
        raise SnippetFailed(
            f"no AWS CLI at {AWS_CLI}: make installs it (make awscli), from requirements-awscli.txt"
        )
    if not code.startswith("set -euo pipefail\n"):
        raise SnippetFailed(f"snippet {name} does not begin with 'set -euo pipefail'")
    env = {
        "PATH": f"{AWS_CLI.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        # no profile, config or credentials of the user's
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        **sandbox.environment,
        **inputs,
    }
    print(f"$ snippet {name} ({' '.join(f'{k}={v}' for k, v in inputs.items())})", flush=True)
    result = subprocess.run(
        ["bash", "-c", code], env=env, capture_output=True, text=True, check=False
    )
    sys.stdout.write(result.stdout + result.stderr)
    sys.stdout.flush()
    if result.returncode != 0:
        raise SnippetFailed(f"snippet {name} exited {result.returncode}: {result.stderr.strip()}")
    return result


def aws_cli_version() -> str:
    result = subprocess.run([str(AWS_CLI), "--version"], capture_output=True, text=True)
    return (result.stdout or result.stderr).strip()


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SnippetFailed(message)


def check_operations(sandbox: Sandbox, path: Path = OPERATIONS) -> list[str]:
    """Run every snippet of docs/operations.md (``path``) against ``sandbox``
    (examples/basic, after its own rotation) and check its effect; return the snippets
    run."""
    code = snippets(path)
    check(
        set(code) == set(OPERATION_CHECKS),
        f"docs/operations.md marks the snippets {sorted(code)}; "
        f"sandbox.OPERATION_CHECKS checks {sorted(OPERATION_CHECKS)}",
    )
    print(f"snippets of docs/operations.md with {aws_cli_version()}", flush=True)
    for name, run in OPERATION_CHECKS.items():  # in order: a later one relies on an earlier
        run(sandbox, code[name], sandbox.deployment.outputs)
    return list(OPERATION_CHECKS)


def _execution_names(emulator: Emulator) -> set[str]:
    return {e["name"] for e in emulator.executions()}


def _vault_notifications(sandbox: Sandbox, code: str, outputs: dict[str, Any]) -> None:
    """The vault's notifications, removed first, are back on the example's topic."""
    backup = sandbox.emulator.client("backup")
    backup.delete_backup_vault_notifications(BackupVaultName="Default")
    topic = outputs["backup_sns_topic_arn"]
    run_snippet(sandbox, "vault-notifications", code, {"VAULT": "Default", "TOPIC_ARN": topic})
    found = backup.get_backup_vault_notifications(BackupVaultName="Default")
    check(
        found["SNSTopicArn"] == topic and "BACKUP_JOB_COMPLETED" in found["BackupVaultEvents"],
        f"after the snippet the vault notifies {found}",
    )


def _sandbox_rotate(sandbox: Sandbox, code: str, outputs: dict[str, Any]) -> None:
    """A new table, backed up by AWS Backup (the sandbox's), rotated: an execution named
    after the job SUCCEEDED, its copy holds the table's items, the parameter names it."""
    emulator = sandbox.emulator
    before = _execution_names(emulator)
    result = run_snippet(
        sandbox,
        "sandbox-rotate",
        code,
        {"STATE_MACHINE_ARN": outputs["state_machine_arn"], "TABLE": "Invoices-production"},
    )
    started = _execution_names(emulator) - before
    check(len(started) == 1, f"the snippet started {sorted(started)}, expected one execution")
    [job_id] = started
    check(job_id in emulator.recovery_points.backup_jobs, f"no backup job {job_id} was made")
    arn = f"{outputs['state_machine_arn'].replace(':stateMachine:', ':execution:')}:{job_id}"
    rotation = emulator.wait_for(arn)
    check(rotation.status == "SUCCEEDED", f"{arn} {rotation.status}: {rotation.error}")
    copies = [
        t
        for t in emulator.dynamodb.list_tables()["TableNames"]
        if t.startswith("Invoices-staging-")
    ]
    check(len(copies) == 1, f"copies of Invoices-production: {copies}")
    check(emulator.item_count(copies[0]) == 3, f"{copies[0]} does not hold the 3 items")
    copy_arn = emulator.dynamodb.describe_table(TableName=copies[0])["Table"]["TableArn"]
    check(
        emulator.parameter("/staging/database-arn")["Value"] == copy_arn,
        "the parameter does not name the copy",
    )
    check(copy_arn in result.stdout, "the snippet did not print the parameter's value")


def _manual_start(sandbox: Sandbox, code: str, outputs: dict[str, Any]) -> None:
    """A recovery point of vault Default that no job announced, and a DynamoDB backup,
    each rotated by hand: the copy is named after AWS's record of its creation."""
    emulator = sandbox.emulator
    table_arn = emulator.create_source_table("Refunds-production", items=4)
    point = emulator.create_recovery_point("Refunds-production")
    created = emulator.clock.now().replace(microsecond=0)
    emulator.recovery_points.record_point(point, vault_arn("Default"), table_arn, created)
    _rotate_by_hand(sandbox, code, outputs, point, f"Refunds-staging-{created:%Y%m%d-%H-%M-%S}", 4)
    emulator.create_source_table("Credits-production", items=5)
    backup_arn = emulator.create_backup("Credits-production")
    backup = emulator.dynamodb.describe_backup(BackupArn=backup_arn)["BackupDescription"]
    made = backup["BackupDetails"]["BackupCreationDateTime"].astimezone(UTC)
    _rotate_by_hand(
        sandbox, code, outputs, backup_arn, f"Credits-staging-{made:%Y%m%d-%H-%M-%S}", 5
    )


def _rotate_by_hand(
    sandbox: Sandbox, code: str, outputs: dict[str, Any], point: str, copy: str, items: int
) -> None:
    emulator = sandbox.emulator
    before = _execution_names(emulator)
    run_snippet(
        sandbox,
        "manual-start",
        code,
        {
            "STATE_MACHINE_ARN": outputs["state_machine_arn"],
            "RECOVERY_POINT_ARN": point,
            "VAULT": "Default",
        },
    )
    started = sorted(_execution_names(emulator) - before)
    check(len(started) == 1, f"the snippet started {started}, expected one execution")
    arn = f"{outputs['state_machine_arn'].replace(':stateMachine:', ':execution:')}:{started[0]}"
    rotation = emulator.wait_for(arn)
    check(
        rotation.status == "SUCCEEDED",
        f"{arn} {rotation.status}: {rotation.error}: {rotation.cause}",
    )
    check(emulator.item_count(copy) == items, f"{copy} does not hold the {items} items")


def _dlq_replay(sandbox: Sandbox, code: str, outputs: dict[str, Any]) -> None:
    """An event in the trigger's dead-letter queue, replayed: its execution ran, and the
    message is gone from the queue."""
    emulator = sandbox.emulator
    sqs = emulator.client("sqs")
    name = "ddb-rotator"
    queue = sqs.get_queue_url(QueueName=f"{name}-trigger-dlq")["QueueUrl"]
    job_id = "DEAD1E77-0000-4000-8000-000000000001"
    table_arn = emulator.create_source_table("Payments-production", items=2)
    backup_arn = emulator.create_backup("Payments-production")
    emulator.record_backup_job(job_id, table_arn, backup_arn, "2024-08-27T09:30:00Z")
    event = sns_event(
        backup_completed(backup_arn, table_arn, job_id=job_id, start_time="2024-08-27T09:30:00Z")
    )
    sqs.send_message(QueueUrl=queue, MessageBody=json.dumps(event))
    run_snippet(sandbox, "dlq-replay", code, {"NAME": name})
    arn = f"{outputs['state_machine_arn'].replace(':stateMachine:', ':execution:')}:{job_id}"
    rotation = emulator.wait_for(arn)
    check(rotation.status == "SUCCEEDED", f"{arn} {rotation.status}: {rotation.error}")
    check(
        emulator.item_count("Payments-staging-20240827-09-30-00") == 2,
        "the replayed event's copy does not hold the 2 items",
    )
    attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    waiting = int(attributes["ApproximateNumberOfMessages"]) + int(
        attributes["ApproximateNumberOfMessagesNotVisible"]
    )
    check(waiting == 0, f"{waiting} messages left in the dead-letter queue after the replay")


# How each snippet of docs/operations.md is run, and what it must have done.
OPERATION_CHECKS: dict[str, Callable[[Sandbox, str, dict[str, Any]], None]] = {
    "vault-notifications": _vault_notifications,
    "sandbox-rotate": _sandbox_rotate,
    "manual-start": _manual_start,
    "dlq-replay": _dlq_replay,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("example", nargs="?", default="basic", help="a directory of examples/")
    parser.add_argument(
        "--init-only", action="store_true", help="terraform init the example in place, offline"
    )
    arguments = parser.parse_args(argv)
    try:
        check_example(arguments.example)
    except ValueError as err:
        parser.error(str(err))
    if arguments.init_only:
        return init_only(arguments.example)
    return serve(arguments.example)


if __name__ == "__main__":
    raise SystemExit(main())
