"""The local emulator: moto runs the real state machine (rendered by real Terraform)
and dispatches its Lambda tasks to the real handlers, against moto DynamoDB and SSM.

Time is simulated: Wait states, Retry back-offs and botocore's own retries advance a
clock instead of sleeping,
and the handlers read that clock (``rotator.clock.now``), so a four-hour restore timeout
or a sixty-second poll interval costs no real time. Restores can be made to take a
while (``restore_seconds``), to end badly (``restore_end_status``), and AWS calls can be
made to fail (``inject_fault``).

One place for the end-to-end tests, ``make demo`` and ``make bench``.
"""

from __future__ import annotations

import io
import json
import os
import random
import threading
import time
import types
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import import_module
from pathlib import Path
from typing import Any
from unittest import mock

import boto3
import botocore.endpoint
from moto import mock_aws
from moto.awslambda_simple.models import LambdaSimpleBackend
from moto.dynamodb.exceptions import DynamodbException
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import RestoredTable
from moto.stepfunctions.parser.asl.component.common.retry import (
    jitter_strategy_decl,
    retrier_decl,
)
from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import (
    WaitFunction,
)

from rotator import clock as rotator_clock
from tests.emulator.events import REGION, backup_completed, sns_event
from tests.emulator.terraform import render_state_machine

ROOT = Path(__file__).resolve().parents[2]

# The module's functions: key -> handler, as in main.tf.
HANDLERS = {
    "trigger": "rotator.handlers.trigger.handler",
    "start_restore": "rotator.handlers.start_restore.handler",
    "check_restore": "rotator.handlers.check_restore.handler",
    "publish": "rotator.handlers.publish.handler",
}


@dataclass(frozen=True)
class Settings:
    """The module inputs that reach the Lambda code (same names and defaults)."""

    name: str = "ddb-rotator"
    source_pattern: str = "(?i)-production$"
    replacement_pattern: str = "-staging"
    ssm_parameter_name: str | None = "/staging/database-arn"
    poll_interval_seconds: int = 60
    restore_timeout_seconds: int = 14400

    def environment(self, state_machine_arn: str) -> dict[str, dict[str, str]]:
        """Each function's environment variables, as main.tf sets them."""
        return {
            "trigger": {
                "STATE_MACHINE_ARN": state_machine_arn,
                "SOURCE_PATTERN": self.source_pattern,
            },
            "start_restore": {
                "SOURCE_PATTERN": self.source_pattern,
                "REPLACEMENT_PATTERN": self.replacement_pattern,
                "RESTORE_TIMEOUT_SECONDS": str(self.restore_timeout_seconds),
                "POLL_INTERVAL_SECONDS": str(self.poll_interval_seconds),
            },
            "check_restore": {"POLL_INTERVAL_SECONDS": str(self.poll_interval_seconds)},
            "publish": {"SSM_PARAMETER_NAME": self.ssm_parameter_name or ""},
        }


class SimulatedClock:
    def __init__(self, start: datetime) -> None:
        self._now = start
        self._lock = threading.Lock()
        self.waited_seconds = 0.0

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += timedelta(seconds=seconds)
            self.waited_seconds += seconds


@dataclass
class Invocation:
    function: str
    payload: Any
    error: str | None
    result: Any


@dataclass
class Rotation:
    """What one rotation left behind."""

    execution_arn: str
    status: str
    output: dict[str, Any] | None
    error: str | None
    cause: str | None
    history: list[dict[str, Any]] = field(default_factory=list)


class Emulator:
    """Use as a context manager; everything AWS inside it is moto."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        restore_seconds: float = 0,
        restore_end_status: str = "ACTIVE",
        start_time: datetime = datetime(2024, 8, 27, 9, 40, tzinfo=UTC),
    ) -> None:
        self.settings = settings or Settings()
        self.restore_seconds = restore_seconds
        self.restore_end_status = restore_end_status
        self.clock = SimulatedClock(start_time)
        self.invocations: list[Invocation] = []
        # IAM-style actions ("dynamodb:DescribeTable") each function's code called
        self.aws_calls: dict[str, set[str]] = {key: set() for key in HANDLERS}
        self._running: tuple[str, int] | None = None  # (function, thread)
        # None: Retry's full jitter draws at random; a fraction pins the draw there.
        # The state machine's Retry back-offs, in order (simulated seconds).
        self.retry_waits: list[float] = []
        self.jitter_fraction: float | None = None
        self._faults: dict[str, list[str]] = {}
        self._restore_started: dict[str, datetime] = {}
        self._lock = threading.RLock()
        self._patches: list[Any] = []
        self._saved_env: dict[str, str | None] = {}

    # -- lifecycle -----------------------------------------------------------------

    def __enter__(self) -> Emulator:
        base_env = {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
        }
        for key, value in base_env.items():
            self._saved_env[key] = os.environ.get(key)
            os.environ[key] = value
        self._mock = mock_aws(
            config={
                "stepfunctions": {"execute_state_machine": True},
                "lambda": {"use_docker": False},
            }
        )
        self._mock.start()
        try:
            boto3.setup_default_session()
            boto3.DEFAULT_SESSION.events.register("before-call", self._record_call)  # type: ignore[union-attr]
            self._patch_time_and_aws()
            self._deploy()
        except BaseException:
            self.__exit__(None, None, None)  # leave no patch or mock behind
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for patch in reversed(self._patches):
            patch.stop()
        self._mock.stop()
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

    def _patch(self, target: Any, attribute: str, new: Any) -> None:
        patch = mock.patch.object(target, attribute, new)
        patch.start()
        self._patches.append(patch)

    def _patch_time_and_aws(self) -> None:
        emulator = self

        def wait_interval(_self: Any, env: Any, wait_seconds: float) -> None:
            emulator.clock.advance(wait_seconds)

        def invoke(
            _self: Any,
            function_name: str,
            qualifier: Any,
            body: Any,
            headers: Any,
            response_headers: dict[str, str],
        ) -> bytes:
            key = function_name.rsplit(":", 1)[-1].removeprefix(f"{emulator.settings.name}-")
            key = key.replace("-", "_")
            payload = json.loads(body) if body else {}
            try:
                result = emulator.call(key, payload)
            except Exception as err:  # reported the way Lambda reports it
                response_headers["x-amz-function-error"] = "Unhandled"
                return json.dumps(
                    {"errorType": type(err).__name__, "errorMessage": str(err)}
                ).encode()
            return json.dumps(result).encode()

        original_restore = DynamoDBBackend.restore_table_from_backup
        original_describe_table = DynamoDBBackend.describe_table
        original_table_describe = RestoredTable.describe

        def restore_table_from_backup(backend: Any, target_table_name: str, backup_arn: str) -> Any:
            emulator._raise_fault("RestoreTableFromBackup")
            table = original_restore(backend, target_table_name, backup_arn)
            emulator._restore_started[target_table_name] = emulator.clock.now()
            return table

        def describe_table(backend: Any, name: str) -> Any:
            emulator._raise_fault("DescribeTable")
            return original_describe_table(backend, name)

        def restored_describe(table: Any, base_key: str = "TableDescription") -> Any:
            result = original_table_describe(table, base_key=base_key)
            started = emulator._restore_started.get(table.name)
            if started is not None:
                description = result[base_key]
                elapsed = (emulator.clock.now() - started).total_seconds()
                if elapsed < emulator.restore_seconds:
                    description["TableStatus"] = "CREATING"
                    description["RestoreSummary"]["RestoreInProgress"] = True
                else:
                    description["TableStatus"] = emulator.restore_end_status
            return result

        def jitter(low: float, high: float) -> float:
            if emulator.jitter_fraction is None:
                return random.uniform(low, high)
            return low + emulator.jitter_fraction * (high - low)

        self._patch(WaitFunction, "_wait_interval", wait_interval)
        self._patch(jitter_strategy_decl, "random", types.SimpleNamespace(uniform=jitter))

        def retry_wait(seconds: float) -> None:
            emulator.retry_waits.append(seconds)
            emulator.clock.advance(seconds)

        self._patch(retrier_decl, "time", types.SimpleNamespace(sleep=retry_wait))
        # botocore's own retries inside a function sleep in simulated time too.
        self._patch(botocore.endpoint, "time", types.SimpleNamespace(sleep=self.clock.advance))
        self._patch(rotator_clock, "now", self.clock.now)
        self._patch(LambdaSimpleBackend, "invoke", invoke)
        self._patch(DynamoDBBackend, "restore_table_from_backup", restore_table_from_backup)
        self._patch(DynamoDBBackend, "describe_table", describe_table)
        self._patch(RestoredTable, "describe", restored_describe)

    def _deploy(self) -> None:
        iam = boto3.client("iam")
        role_arn = iam.create_role(
            RoleName=f"{self.settings.name}-role",
            AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
        )["Role"]["Arn"]
        self.function_arns = {
            key: self._create_function(key, handler, role_arn) for key, handler in HANDLERS.items()
        }
        definition = render_state_machine(
            start_restore_function_arn=self.function_arns["start_restore"],
            check_restore_function_arn=self.function_arns["check_restore"],
            publish_function_arn=self.function_arns["publish"],
        )
        self.definition = definition
        self.state_machine_arn = self.stepfunctions.create_state_machine(
            name=self.settings.name,
            definition=json.dumps(definition),
            roleArn=role_arn,
            type="STANDARD",
        )["stateMachineArn"]
        self.environment = self.settings.environment(self.state_machine_arn)

    def _create_function(self, key: str, handler: str, role_arn: str) -> str:
        package = io.BytesIO()
        with zipfile.ZipFile(package, "w") as archive:
            for path in sorted((ROOT / "lambda").rglob("*.py")):
                archive.write(path, path.relative_to(ROOT / "lambda"))
        return str(
            boto3.client("lambda").create_function(
                FunctionName=f"{self.settings.name}-{key.replace('_', '-')}",
                Runtime="python3.12",
                Role=role_arn,
                Handler=handler,
                Code={"ZipFile": package.getvalue()},
            )["FunctionArn"]
        )

    # -- clients -------------------------------------------------------------------

    @property
    def dynamodb(self) -> Any:
        return boto3.client("dynamodb")

    @property
    def ssm(self) -> Any:
        return boto3.client("ssm")

    @property
    def stepfunctions(self) -> Any:
        return boto3.client("stepfunctions")

    # -- running the real handlers -------------------------------------------------

    def call(self, key: str, payload: Any) -> Any:
        """Run function ``key``'s real handler with its environment, as Lambda would."""
        module_name, _, attribute = HANDLERS[key].rpartition(".")
        handler: Callable[[Any, Any], Any] = getattr(import_module(module_name), attribute)
        with self._lock, mock.patch.dict(os.environ, self.environment[key]):
            self._running = (key, threading.get_ident())
            try:
                result = handler(payload, None)
            except Exception as err:
                self.invocations.append(Invocation(key, payload, type(err).__name__, None))
                raise
            finally:
                self._running = None
        self.invocations.append(Invocation(key, payload, None, result))
        return result

    def _record_call(self, model: Any, **_: Any) -> None:
        """botocore hook: note the API a handler calls, as an IAM action."""
        running = self._running
        if running is not None and running[1] == threading.get_ident():
            service = model.service_model.metadata.get("signingName") or (
                model.service_model.endpoint_prefix
            )
            self.aws_calls[running[0]].add(f"{service}:{model.name}")

    def deliver(self, event: Any) -> Any:
        """Hand an SNS event to the trigger, as the subscription would."""
        return self.call("trigger", event)

    # -- faults --------------------------------------------------------------------

    def inject_fault(self, operation: str, code: str, times: int = 1) -> None:
        """Make the next ``times`` calls of a DynamoDB ``operation`` fail with ``code``."""
        self._faults.setdefault(operation, []).extend([code] * times)

    def _raise_fault(self, operation: str) -> None:
        pending = self._faults.get(operation)
        if pending:
            code = pending.pop(0)
            raise DynamodbException(f"com.amazonaws.dynamodb.v20120810#{code}", f"injected {code}")

    # -- a source table and its backup ---------------------------------------------

    def create_source_table(self, name: str, items: int = 25) -> str:
        table = self.dynamodb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )["TableDescription"]
        for number in range(items):
            self.dynamodb.put_item(
                TableName=name,
                Item={"pk": {"S": f"order-{number:04d}"}, "total": {"N": str(number * 7)}},
            )
        return str(table["TableArn"])

    def create_backup(self, table_name: str) -> str:
        response = self.dynamodb.create_backup(
            TableName=table_name, BackupName=f"{table_name}-backup"
        )
        return str(response["BackupDetails"]["BackupArn"])

    def backup_notification(
        self,
        table_name: str,
        *,
        job_id: str = "7B1E3A42-9D5C-4F3E-8C1D-2E4F6A8B0C1D",
        start_time: str = "2024-08-27T09:20:00Z",
        items: int = 25,
    ) -> dict[str, Any]:
        """Create ``table_name`` with items, back it up, and return the SNS event AWS
        Backup would send for that job."""
        table_arn = self.create_source_table(table_name, items)
        backup_arn = self.create_backup(table_name)
        return sns_event(
            backup_completed(backup_arn, table_arn, job_id=job_id, start_time=start_time)
        )

    # -- executions ----------------------------------------------------------------

    def executions(self) -> list[dict[str, Any]]:
        return list(
            self.stepfunctions.list_executions(stateMachineArn=self.state_machine_arn)["executions"]
        )

    def wait_for(self, execution_arn: str, timeout: float = 60) -> Rotation:
        """Block (real time) until the execution ends; return what it left."""
        limit = time.monotonic() + timeout
        while True:
            described = self.stepfunctions.describe_execution(executionArn=execution_arn)
            if described["status"] != "RUNNING":
                break
            if time.monotonic() > limit:
                raise TimeoutError(f"{execution_arn} still RUNNING after {timeout} s")
            time.sleep(0.02)
        output = described.get("output")
        return Rotation(
            execution_arn=execution_arn,
            status=described["status"],
            output=json.loads(output) if output else None,
            error=described.get("error"),
            cause=described.get("cause"),
            history=self.history(execution_arn),
        )

    def history(self, execution_arn: str) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {"executionArn": execution_arn, "maxResults": 1000}
        while True:
            page = self.stepfunctions.get_execution_history(**kwargs)
            events.extend(page["events"])
            if not page.get("nextToken"):
                return events
            kwargs["nextToken"] = page["nextToken"]

    def follow(self, execution_arn: str, timeout: float = 60) -> Iterator[dict[str, Any]]:
        """Yield history events as they happen, until the execution ends."""
        seen = 0
        limit = time.monotonic() + timeout
        while True:
            events = self.history(execution_arn)
            yield from events[seen:]
            seen = len(events)
            status = self.stepfunctions.describe_execution(executionArn=execution_arn)
            if status["status"] != "RUNNING" and len(self.history(execution_arn)) == seen:
                return
            if time.monotonic() > limit:
                raise TimeoutError(f"{execution_arn} still RUNNING after {timeout} s")
            time.sleep(0.02)

    def rotate(self, event: dict[str, Any]) -> Rotation:
        """Deliver ``event`` and wait for the execution it started."""
        before = {e["executionArn"] for e in self.executions()}
        self.deliver(event)
        started = [e for e in self.executions() if e["executionArn"] not in before]
        if len(started) != 1:
            raise AssertionError(f"expected one new execution, found {len(started)}")
        return self.wait_for(started[0]["executionArn"])

    # -- what a rotation left ------------------------------------------------------

    def item_count(self, table_name: str) -> int:
        paginator = self.dynamodb.get_paginator("scan")
        return sum(page["Count"] for page in paginator.paginate(TableName=table_name))

    def parameter(self, name: str | None = None) -> dict[str, Any]:
        name = name or self.settings.ssm_parameter_name
        return dict(self.ssm.get_parameter(Name=name)["Parameter"])

    def table_names(self) -> list[str]:
        return list(self.dynamodb.list_tables()["TableNames"])


def state_transitions(history: list[dict[str, Any]]) -> int:
    """Billable state transitions: every state entered, plus every retry of a task."""
    entered = sum(1 for event in history if event["type"].endswith("StateEntered"))
    retried = sum(
        1 for event in history if event["type"] in {"TaskScheduled", "LambdaFunctionScheduled"}
    ) - sum(1 for event in history if event["type"] == "TaskStateEntered")
    return entered + max(retried, 0)
