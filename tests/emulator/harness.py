"""The local emulator: moto runs the module's state machine and dispatches its Lambda
tasks to the real handlers, against moto DynamoDB and SSM.

What is deployed comes from Terraform: either a plan of the module with the real
hashicorp/aws provider (``tests/emulator/terraform.py``; the functions, their handlers
and environment, and the state machine definition are taken from it), or, for
``make e2e``, ``terraform apply`` of an example against the moto server this harness
runs on 127.0.0.1. Every Lambda invocation runs the handler and environment of the
function as moto holds it, whoever created it.

Time is simulated (``tests/emulator/simulated_clock.py``): Wait states, Retry back-offs
and botocore's own retries wait on a clock instead of sleeping,
and the handlers read that clock (``rotator.clock.now``), so a four-hour restore timeout
or a sixty-second poll interval costs no real time. By default a wait just moves the
clock on, which is right while one execution runs at a time; ``concurrent=True`` makes
it a discrete-event scheduler for many executions at once (each execution's waits
overlap the others' instead of adding up). Restores can be made to take a
while (``restore_seconds``), to end badly (``restore_end_status``), and AWS calls can be
made to fail (``inject_fault``). A restore gives the copy what its request asks for
(``restore_overrides``: RestoreTableFromBackup's overrides, StartRestoreJob's
encryption), which moto alone ignores; with ``restore_limits`` DynamoDB refuses restores
beyond its limits (``restore_limits.py``), which moto alone never does. The table
settings a copy can take from its source (class, maxima, warm throughput, Contributor
Insights, Kinesis destinations, auto scaling, ...) behave as in DynamoDB
(``table_settings``), where moto alone lacks them.

One place for the end-to-end tests, ``make demo`` and ``make e2e``.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import io
import json
import logging
import os
import random
import sys
import threading
import time
import types
import uuid
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from importlib import import_module
from pathlib import Path
from typing import Any
from unittest import mock

import boto3
import botocore.endpoint
import botocore.loaders
from moto import mock_aws
from moto.awslambda.exceptions import LambdaClientError
from moto.awslambda_simple.models import LambdaSimpleBackend, lambda_simple_backends
from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult
from moto.dynamodb.exceptions import DynamodbException
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import RestoredTable
from moto.dynamodb.responses import DynamoHandler, DynamoResult
from moto.events.models import EventPattern
from moto.server import ThreadedMotoServer
from moto.ssm.models import SimpleSystemManagerBackend
from moto.stepfunctions.parser.asl.component.common.retry import (
    jitter_strategy_decl,
    retrier_decl,
)
from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import (
    WaitFunction,
)
from moto.stepfunctions.parser.asl.eval.callback.callback import CallbackEndpoint
from moto.stepfunctions.parser.backend.execution_worker import ExecutionWorker
from moto.stepfunctions.parser.models import StepFunctionsParserBackend
from moto.stepfunctions.parser.utils import TMP_THREADS
from moto.stepfunctions.responses import StepFunctionResponse

from rotator import clock as rotator_clock
from rotator import environment as rotator_environment
from rotator.cleanup import bookkeeping_tags
from rotator.ledger import Entry, new_entry
from rotator.model import BACKUP_JOB, BackupJob, parse_time
from rotator.sources import read_event
from rotator.sources.claims import Pending
from tests import module_config
from tests.emulator import moto_gaps, table_settings
from tests.emulator.backup_restores import FinishedJob, RecoveryPoints
from tests.emulator.events import (
    ACCOUNT,
    FAILURE_TOPIC_ARN,
    REGION,
    TOPIC_ARN,
    backup_completed,
    restore_job_event,
    sns_event,
)
from tests.emulator.restore_limits import RestoreGate, RestoreLimits
from tests.emulator.restore_overrides import apply_restore_overrides, check_restore_overrides
from tests.emulator.simulated_clock import STALL_SECONDS, SimulatedClock, tag
from tests.emulator.terraform import render

ROOT = Path(__file__).resolve().parents[2]
# Real seconds after which wait_for and follow give up on an execution: a guard against a
# hung one (its threads blocked for good), not a speed limit; an execution on a loaded
# machine takes seconds, and a stalled simulated clock reports itself sooner.
HUNG_EXECUTION_SECONDS = 1800.0
# botocore's loader of the services' models, shared by every emulator's session (it
# caches what it read: the JSON models are the same for each).
_LOADER = botocore.loaders.create_loader()


_validate_definition = StepFunctionsParserBackend._validate_definition


@functools.lru_cache(maxsize=64)
def _validated_definition(definition: str) -> None:
    """moto's CreateStateMachine check of a definition (its ASL parser), once per text
    in the process: a sixth of an emulator's making, and the same few texts each time.
    A definition that fails raises each time (lru_cache keeps no exception)."""
    _validate_definition(definition)


# The moto server would log every request Terraform makes.
logging.getLogger("werkzeug").setLevel(logging.WARNING)


# The module's input variables (every root .tf file's): what a Settings may name.
MODULE_INPUTS = frozenset(module_config.variables())
# The emulator's own defaults: a topic the rotator hears, and a parameter (the module's
# default is none) so that a rotation has a pointer to move, as in the examples.
EMULATOR_DEFAULTS: dict[str, Any] = {
    "name": "ddb-rotator",
    "backup_sns_topic_arn": TOPIC_ARN,
    "ssm_parameter_name": "/staging/database-arn",
}


class Settings:
    """Module inputs for the emulator's deployment, by the module's variable names
    (``MODULE_INPUTS``, read from its .tf files: a new input needs nothing here; a name
    the module has not is refused). ``None`` leaves the module's default. Each input is
    read back as an attribute (``settings.keep_last``; ``None`` when not given).

    Lists may be given as tuples, so that settings can be shared constants.
    """

    _inputs: dict[str, Any]

    def __init__(self, **inputs: Any) -> None:
        unknown = sorted(set(inputs) - MODULE_INPUTS)
        if unknown:
            raise TypeError(
                f"Settings: {', '.join(unknown)}: no such variable in the module; expected "
                f"one of {', '.join(sorted(MODULE_INPUTS))}"
            )
        object.__setattr__(self, "_inputs", {**EMULATOR_DEFAULTS, **inputs})

    def __getattr__(self, name: str) -> Any:
        if name in MODULE_INPUTS:
            return self._inputs.get(name)
        raise AttributeError(f"Settings has no attribute {name!r}: no such module input")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Settings are immutable; use with_inputs() for other settings")

    def with_inputs(self, **inputs: Any) -> Settings:
        """These settings with ``inputs`` changed."""
        return Settings(**{**self._inputs, **inputs})

    def inputs(self) -> dict[str, Any]:
        """The module inputs to plan with (the ones not ``None``), lists as lists."""
        return {
            key: list(value) if isinstance(value, tuple) else value
            for key, value in self._inputs.items()
            if value is not None
        }

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Settings) and self.inputs() == other.inputs()

    def __hash__(self) -> int:
        return hash(json.dumps(self.inputs(), sort_keys=True))

    def __repr__(self) -> str:
        given = ", ".join(f"{key}={value!r}" for key, value in self._inputs.items())
        return f"Settings({given})"


# CreateTable arguments of a busy production table (create_source_table's ``source``):
# provisioned, with a global secondary index, encrypted with the account's AWS managed
# key. Its copies show what restore_settings change.
BUSY_TABLE: dict[str, Any] = {
    "BillingMode": "PROVISIONED",
    "ProvisionedThroughput": {"ReadCapacityUnits": 400, "WriteCapacityUnits": 200},
    "AttributeDefinitions": [
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "total", "AttributeType": "N"},
    ],
    "GlobalSecondaryIndexes": [
        {
            "IndexName": "byTotal",
            "KeySchema": [{"AttributeName": "total", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
            "ProvisionedThroughput": {"ReadCapacityUnits": 100, "WriteCapacityUnits": 100},
        }
    ],
    "SSESpecification": {"Enabled": True, "SSEType": "KMS"},
}

# Copies for staging (restore_settings): on demand, a customer managed key, no global
# secondary indexes. The tests of restore settings and of their key's policy share it.
COPY_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/0c0ffee0-12ab-34cd-56ef-1234567890ab"
STAGING_COPIES = Settings(
    restore_settings={
        "billing_mode": "PAY_PER_REQUEST",
        "encryption": "CUSTOMER_MANAGED",
        "kms_key_arn": COPY_KEY_ARN,
        "exclude_global_secondary_indexes": True,
    }
)

# Hooks (module input hooks): functions of the user's, which the tests that run them
# create. One is invoked unqualified, the other through an alias, as Lambda allows.
CHECK_HOOK_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:check-copy"
PREPARE_HOOK_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:prepare-copy:live"
TWO_HOOKS = Settings(hooks=(CHECK_HOOK_ARN, PREPARE_HOOK_ARN))
# A refused copy deleted (delete_copy_on_hook_failure), and the failure notified: the
# tests of the DiscardRefusedCopy step and of its role share this plan.
DISCARDING = Settings(
    hooks=(CHECK_HOOK_ARN,),
    delete_copy_on_hook_failure=True,
    notification_topic_arn=FAILURE_TOPIC_ARN,
)

# Every trigger, copies (also from another account) and their tags, what Configure copies
# from a source, the parameter's tags: the tests that need
# any of these share this one set of inputs, so its plan is made once.
EVERY_TRIGGER = Settings(
    trigger="both",
    restore_copies=True,
    copy_source_account_ids=("210987654321",),
    copy_source_tags=True,
    copy_settings={
        "copy_source_ttl": True,
        "copy_source_streams": True,
        "point_in_time_recovery": True,
    },
    ssm_parameter_tags={"team": "data"},
)

# Cleanup of old copies (keep_last), with a failure topic so that a failing cleanup is
# seen to notify: the tests of the Cleanup step and of its role share this plan.
CLEANING_UP = Settings(keep_last=2, notification_topic_arn=FAILURE_TOPIC_ARN)


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
    """Use as a context manager; everything AWS inside it is moto.

    ``deploy=False`` deploys nothing (``make e2e``: Terraform does, through
    ``endpoint``, the moto server on 127.0.0.1 this emulator runs).
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        restore_seconds: float = 0,
        restore_end_status: str = "ACTIVE",
        restore_job_end: str = "COMPLETED",
        restore_events: bool = True,
        restore_event_delay: float = 0,
        scan_page_items: int | None = None,
        scan_page_seconds: float = 0,
        start_time: datetime = datetime(2024, 8, 27, 9, 40, tzinfo=UTC),
        deploy: bool = True,
        concurrent: bool = False,
        restore_limits: RestoreLimits | None = None,
        stall_seconds: float = STALL_SECONDS,
    ) -> None:
        """``concurrent``: the clock is a discrete-event scheduler of the executions
        (``SimulatedClock``), and handlers run side by side instead of one at a time;
        ``stall_seconds``: the real seconds without progress after which its waits raise
        ``ClockStalled``. ``restore_limits``: DynamoDB's limits on restores
        (``RestoreLimits()``: 50 in progress, 10 calls a second); ``None``, none."""
        self.settings = settings or Settings()
        self.restore_seconds = restore_seconds
        self.restore_end_status = restore_end_status
        # how an AWS Backup restore job ends: COMPLETED, FAILED or ABORTED
        self.restore_job_end = restore_job_end
        # whether AWS Backup sends each restore job's Restore Job State Change (best
        # effort in AWS: False loses them all), and how long after the job ends
        self.restore_events = restore_events
        self.restore_event_delay = restore_event_delay
        # DynamoDB's Scan pages: at most this many items (moto's pages end at 1 MB, as
        # DynamoDB's do, so a small table is one page), each taking this many
        # simulated seconds (so a pass's worker sees its time run out).
        self.scan_page_items = scan_page_items
        self.scan_page_seconds = scan_page_seconds
        self.restore_events_sent: list[dict[str, Any]] = []
        self.clock = SimulatedClock(start_time, concurrent=concurrent, stall_seconds=stall_seconds)
        self.restore_limits = restore_limits
        # concurrent: the simulated time each execution ended, by execution ARN
        self.execution_ends: dict[str, datetime] = {}
        self.deploy = deploy
        self.invocations: list[Invocation] = []
        # every PutParameter that succeeded: (simulated time, name, value)
        self.parameter_writes: list[tuple[datetime, str, str]] = []
        # IAM-style actions ("dynamodb:DescribeTable") each function's code called, by
        # function key (trigger, start_restore, ...)
        self.aws_calls: dict[str, set[str]] = defaultdict(set)
        # how many times each function made each call (make bench counts lookups)
        self.aws_call_counts: Counter[tuple[str, str]] = Counter()
        self._running: dict[int, str] = {}  # function key of the handler, by thread
        self._calls_lock = threading.Lock()
        # run before a function's handler, with its payload (``before_step``)
        self._before: dict[str, list[Callable[[Any], None]]] = defaultdict(list)
        # None: Retry's full jitter draws at random; a fraction pins the draw there.
        # The state machine's Retry back-offs, in order (simulated seconds).
        self.retry_waits: list[float] = []
        self.jitter_fraction: float | None = None
        self._faults: dict[str, list[str | None]] = {}
        self._restore_started: dict[str, datetime] = {}
        self.restore_gate = RestoreGate(
            restore_limits or RestoreLimits(None, None), self.clock.now, self._restores_in_progress
        )
        self._lock = threading.RLock()
        self._patches: list[Any] = []
        self._saved_env: dict[str, str | None] = {}
        self._server: ThreadedMotoServer | None = None
        self._entered = False
        self.state_machine_arn = ""

    # -- lifecycle -----------------------------------------------------------------

    def __enter__(self) -> Emulator:
        # Set once, before any thread of this emulator runs, and never changed while
        # they do: each invocation gets its function's environment from ``run``.
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
                # As in an account: AWS's managed policies exist (the module attaches
                # one to the restore role). Only where Terraform applies: loading
                # them all costs time the harness's own deployment does not need.
                "iam": {"load_aws_managed_policies": not self.deploy},
            }
        )
        self._mock.start()
        self._entered = True
        try:
            boto3.setup_default_session()
            # One loader for the process: each session would read and parse the
            # services' JSON models again (most of a client's making).
            boto3.DEFAULT_SESSION._session.register_component("data_loader", _LOADER)  # type: ignore[union-attr]
            boto3.DEFAULT_SESSION.events.register("before-call", self._record_call)  # type: ignore[union-attr]
            moto_restore = DynamoDBBackend.restore_table_from_backup
            self._patch_time_and_aws()
            moto_gaps.apply(self._patch)
            table_settings.apply(self._patch)  # wraps some of moto_gaps' patches
            self.recovery_points = RecoveryPoints(
                now=self.clock.now,
                restore_seconds=lambda: self.restore_seconds,
                end_status=lambda: self.restore_job_end,
                fault=self._pop_fault,
                restore_table=moto_restore,
            )
            self.recovery_points.install(self._patch)
            self._clients: dict[str, Any] = {}
            for name in (
                "dynamodb",
                "ssm",
                "stepfunctions",
                "lambda",
                "sns",
                "sqs",
                "iam",
                "backup",
                "events",
            ):
                self.client(name)
            if self.deploy:
                self._deploy()
        except BaseException:
            self.__exit__(None, None, None)  # leave no patch or mock behind
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
        for patch in reversed(self._patches):
            patch.stop()
        self._patches.clear()
        self._mock.stop()
        self._entered = False
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value

    @property
    def endpoint(self) -> str:
        """The moto server's URL, for Terraform: started on first use (most tests
        deploy from a cached rendering and never need it; stopping it takes up to
        werkzeug's half-second poll)."""
        assert self._entered, "use the emulator as a context manager"
        with self._lock:
            if self._server is None:
                self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
                self._server.start()
        host, port = self._server.get_host_and_port()
        return f"http://{host}:{port}"

    def _patch(self, target: Any, attribute: str, new: Any) -> None:
        patch = mock.patch.object(target, attribute, new, create=not hasattr(target, attribute))
        patch.start()
        self._patches.append(patch)

    def _patch_time_and_aws(self) -> None:
        emulator = self
        self._patch(
            StepFunctionsParserBackend, "_validate_definition", staticmethod(_validated_definition)
        )

        def wait_interval(_self: Any, env: Any, wait_seconds: float) -> None:
            emulator.clock.sleep(wait_seconds)

        def invoke(
            backend: Any,
            function_name: str,
            qualifier: Any,
            body: Any,
            headers: Any,
            response_headers: dict[str, str],
        ) -> bytes:
            function = backend.get_function(function_name, qualifier)
            fault = emulator._pop_fault(f"Invoke {function.function_name}")
            if fault is not None:  # Lambda itself refused: the function never ran
                error = LambdaClientError(fault, f"injected {fault}")
                error.code = 429 if fault == "TooManyRequestsException" else 500
                raise error
            payload = json.loads(body) if body else {}
            try:
                result = emulator.run(function, payload)
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
            if emulator.restore_limits is None:
                table = original_restore(backend, target_table_name, backup_arn)
                emulator._restore_started[target_table_name] = emulator.clock.now()
                return table
            with emulator.restore_gate as gate:  # the check and the restore it admits
                gate.admit(target_table_name)
                table = original_restore(backend, target_table_name, backup_arn)
                emulator._restore_started[target_table_name] = emulator.clock.now()
                return table

        # moto's response reads TargetTableName and BackupArn only; the overrides the
        # request carries are checked against the backup first (DynamoDB refuses a bad
        # one before it makes any table), then applied to the new table here.
        def restore_table_from_backup_response(handler: Any) -> Any:
            body = handler.body
            backup = handler.dynamodb_backend.backups.get(body.get("BackupArn"))
            if backup is not None:  # else moto's restore says BackupNotFoundException
                check_restore_overrides(backup.table, body)
            table = handler.dynamodb_backend.restore_table_from_backup(
                body.get("TargetTableName"), body.get("BackupArn")
            )
            apply_restore_overrides(table, body)
            return DynamoResult(table.describe())

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

        def callback_wait(endpoint: CallbackEndpoint, timeout: float | None = None) -> Any:
            return emulator._await_callback(endpoint, timeout)

        self._patch(WaitFunction, "_wait_interval", wait_interval)
        self._patch(CallbackEndpoint, "wait", callback_wait)
        self._patch(jitter_strategy_decl, "random", types.SimpleNamespace(uniform=jitter))

        def retry_wait(seconds: float) -> None:
            emulator.retry_waits.append(seconds)
            emulator.clock.sleep(seconds)

        self._patch(retrier_decl, "time", types.SimpleNamespace(sleep=retry_wait))
        # botocore's own retries inside a function sleep in simulated time too.
        self._patch(botocore.endpoint, "time", types.SimpleNamespace(sleep=self.clock.sleep))
        if self.clock.concurrent:
            self._take_part_in_time()
        self._patch(rotator_clock, "now", self.clock.now)
        self._patch(rotator_clock, "sleep", self.clock.sleep)
        original_scan = DynamoDBBackend.scan

        def scan(
            backend: Any, table_name: str, filters: Any, limit: Any, *args: Any, **kwargs: Any
        ) -> Any:
            emulator._raise_fault("Scan")
            if emulator.scan_page_items is not None:
                limit = min(limit or emulator.scan_page_items, emulator.scan_page_items)
            if emulator.scan_page_seconds:
                emulator.clock.sleep(emulator.scan_page_seconds)
            return original_scan(backend, table_name, filters, limit, *args, **kwargs)

        self._patch(DynamoDBBackend, "scan", scan)
        original_scan_response = DynamoHandler.scan

        # moto serializes a response through the service model, value by value: about
        # 20 ms per 100 items, most of a pass's cost here. A scan's answer is JSON of
        # the items as moto holds them, binary values as base64 (as DynamoDB sends
        # them), so it is written directly.
        def scan_response(handler: Any) -> Any:
            answer = original_scan_response(handler)
            if not isinstance(answer, ActionResult) or isinstance(answer.result, Exception):
                return answer
            return json.dumps(answer.result, default=_wire_bytes)

        self._patch(DynamoHandler, "scan", scan_response)
        original_batch_write = DynamoHandler.batch_write_item

        def batch_write_item(handler: Any) -> Any:
            emulator._raise_fault("BatchWriteItem")
            return original_batch_write(handler)

        self._patch(DynamoHandler, "batch_write_item", batch_write_item)
        self._patch(LambdaSimpleBackend, "invoke", invoke)
        self._patch(DynamoDBBackend, "restore_table_from_backup", restore_table_from_backup)
        self._patch(DynamoHandler, "restore_table_from_backup", restore_table_from_backup_response)
        self._patch(DynamoDBBackend, "describe_table", describe_table)
        original_put_parameter = SimpleSystemManagerBackend.put_parameter

        def put_parameter(backend: Any, *args: Any, **kwargs: Any) -> Any:
            code = emulator._pop_fault("PutParameter")
            if code is not None:
                raise JsonRESTError(code, f"injected {code}")
            parameter = original_put_parameter(backend, *args, **kwargs)
            emulator.parameter_writes.append(
                (emulator.clock.now(), parameter.name, parameter.value)
            )
            return parameter

        self._patch(SimpleSystemManagerBackend, "put_parameter", put_parameter)
        original_send_task_success = StepFunctionResponse.send_task_success

        def send_task_success(handler: Any) -> Any:
            code = emulator._pop_fault("SendTaskSuccess")
            if code is not None:
                raise JsonRESTError(code, f"injected {code}")
            return original_send_task_success(handler)

        self._patch(StepFunctionResponse, "send_task_success", send_task_success)
        self._patch(RestoredTable, "describe", restored_describe)

    def _take_part_in_time(self) -> None:
        """Concurrent clock: every execution is a participant of the clock from its
        StartExecution (joined in the caller's thread, so that no wait of another
        execution can move time past its start) until its last state is done, and
        every thread its threads start is its own."""
        emulator = self
        clock = self.clock
        original_thread_start = threading.Thread.start

        def thread_start(thread: threading.Thread) -> None:
            clock.adopt(thread)
            original_thread_start(thread)

        def worker_start(worker: Any) -> None:  # moto's ExecutionWorker
            arn = str(worker._evaluation_details.execution_details.arn)
            participant = clock.join(arn)

            def execution_logic() -> None:
                try:
                    worker._execution_logic()
                finally:
                    emulator.execution_ends[arn] = clock.now()
                    clock.leave(participant)

            thread = threading.Thread(target=execution_logic, daemon=True)
            tag(thread, participant)
            participant.threads.append(thread)
            TMP_THREADS.append(thread)
            original_thread_start(thread)

        self._patch(threading.Thread, "start", thread_start)
        self._patch(ExecutionWorker, "start", worker_start)

    def _restores_in_progress(self) -> int:
        """RestoreTableFromBackup's restores still restoring on the simulated clock."""
        now = self.clock.now()
        return sum(
            1
            for started in list(self._restore_started.values())
            if (now - started).total_seconds() < self.restore_seconds
        )

    def _deploy(self) -> None:
        """Deploy what a plan of the module (real Terraform, real provider) says."""
        self.rendering = render(self.settings.inputs(), lambda: self.endpoint, REGION)
        role_arn = self._clients["iam"].create_role(
            RoleName=f"{self.settings.name}-role",
            AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
        )["Role"]["Arn"]
        for table, hash_key in self.rendering.tables.items():
            self._clients["dynamodb"].create_table(
                TableName=table,
                KeySchema=[{"AttributeName": hash_key, "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": hash_key, "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
            )
        package = self._package()
        for function in self.rendering.functions.values():
            self._clients["lambda"].create_function(
                FunctionName=function.name,
                Runtime=function.runtime,
                Role=role_arn,
                Handler=function.handler,
                Code={"ZipFile": package},
                Environment={"Variables": function.environment},
                Timeout=function.timeout,
            )
        self.state_machine_arn = self.stepfunctions.create_state_machine(
            name=self.rendering.state_machine_name,
            definition=json.dumps(self.rendering.definition),
            roleArn=role_arn,
            type="STANDARD",
        )["stateMachineArn"]

    @staticmethod
    def _package() -> bytes:
        """The handlers run in this process; the zip only has to be a valid package."""
        package = io.BytesIO()
        with zipfile.ZipFile(package, "w") as archive:
            for path in sorted((ROOT / "lambda").rglob("*.py")):
                archive.write(path, path.relative_to(ROOT / "lambda"))
        return package.getvalue()

    def use_state_machine(self, arn: str) -> None:
        """Follow the state machine Terraform created (``deploy=False``)."""
        self.state_machine_arn = arn

    # -- clients -------------------------------------------------------------------
    # Created once, in __enter__: the test's thread then creates no client while the
    # state machine's threads run handlers.

    def client(self, service: str) -> Any:
        """A boto3 client of moto, made once per emulator."""
        with self._lock:
            if service not in self._clients:
                self._clients[service] = boto3.client(service)  # type: ignore[call-overload]
            return self._clients[service]

    @property
    def dynamodb(self) -> Any:
        return self._clients["dynamodb"]

    @property
    def ssm(self) -> Any:
        return self._clients["ssm"]

    @property
    def stepfunctions(self) -> Any:
        return self._clients["stepfunctions"]

    @property
    def sns(self) -> Any:
        return self._clients["sns"]

    # -- running the real handlers -------------------------------------------------

    def function_name(self, key: str) -> str:
        return f"{self.settings.name}-{key.replace('_', '-')}"

    def _function(self, key: str) -> Any:
        return lambda_simple_backends[ACCOUNT][REGION].get_function(self.function_name(key))

    def environment(self, key: str) -> dict[str, str]:
        """Function ``key``'s environment variables, as moto holds them."""
        return dict(self._function(key).environment_vars)

    def set_environment(self, key: str, **variables: str) -> None:
        """Change function ``key``'s environment, as someone editing it in AWS would."""
        self._clients["lambda"].update_function_configuration(
            FunctionName=self.function_name(key),
            Environment={"Variables": {**self.environment(key), **variables}},
        )

    def call(self, key: str, payload: Any) -> Any:
        """Invoke function ``key`` (its real handler and environment), as Lambda would."""
        return self.run(self._function(key), payload)

    def run(self, function: Any, payload: Any) -> Any:
        """Run moto's Lambda ``function``: the handler its configuration names
        ("rotator.handlers.x.handler"), called as Lambda calls it, with the event and a
        context. Its environment, as moto holds it, is ``rotator.environment.environ()``
        in this thread for the call (never put in os.environ, which the threads of
        other invocations share). A function that is not the rotator's (a hook) has its
        handler module imported from this process (a test's) or, failing that, from the
        zip moto holds (an example's)."""
        key = function.function_name.removeprefix(f"{self.settings.name}-").replace("-", "_")
        module_name, _, attribute = function.handler.rpartition(".")
        handler: Callable[..., Any] = getattr(_handler_module(function, module_name), attribute)
        # Sequential clock: one handler at a time. Concurrent: side by side (a handler
        # waiting on the clock for botocore's retry must not keep the others out), the
        # lock only around the hooks.
        with self._lock if not self.clock.concurrent else contextlib.nullcontext():
            with self._lock:
                for hook in self._before.get(key, []):  # before _running: not its calls
                    hook(payload)
            environment = dict(function.environment_vars)
            thread = threading.get_ident()
            self._running[thread] = key
            try:
                with rotator_environment.given(environment):
                    result = handler(payload, _Context(function, self.clock))
            except Exception as err:
                self.invocations.append(Invocation(key, payload, type(err).__name__, None))
                raise
            finally:
                self._running.pop(thread, None)
        self.invocations.append(Invocation(key, payload, None, result))
        return result

    def before_step(self, key: str, hook: Callable[[Any], None]) -> None:
        """Run ``hook(payload)`` before every invocation of function ``key``, as a step
        of the workflow that is not built yet would act at that point (its AWS calls
        are not recorded as the function's)."""
        self._before[key].append(hook)

    def _record_call(self, model: Any, **_: Any) -> None:
        """botocore hook: note the API a handler calls, as an IAM action."""
        running = self._running.get(threading.get_ident())
        if running is not None:
            service = model.service_model.metadata.get("signingName") or (
                model.service_model.endpoint_prefix
            )
            action = _IAM_ACTIONS.get(f"{service}:{model.name}", f"{service}:{model.name}")
            with self._calls_lock:
                self.aws_calls[running].add(action)
                self.aws_call_counts[running, action] += 1

    def record_jobs_of(self, event: Any, vault: str = "Default") -> None:
        """Record in AWS Backup every backup job ``event`` announces, as it announces it
        (the start time: the event's, else now), unless AWS Backup knows the job
        already: for tests of genuine events. A forged event is delivered without this,
        against the records a test made."""
        for found in read_event(event):
            if not (
                isinstance(found, Pending)
                and found.job_type == BACKUP_JOB
                and found.job_id not in self.recovery_points.backup_jobs
                and found.resource_arn is not None
                and found.recovery_point_arn is not None
            ):
                continue
            self.recovery_points.backup_job(
                found.job_id,
                found.resource_arn,
                found.recovery_point_arn,
                vault_arn(vault),
                found.started_at,
            )

    def recorded_input(
        self,
        recovery_point: str,
        table_arn: str,
        job_id: str = "7B1E3A42-9D5C-4F3E-8C1D-2E4F6A8B0C1D",
        start_time: str = "2024-08-27T09:20:00Z",
    ) -> dict[str, Any]:
        """Record the completed backup job ``job_id`` of ``table_arn`` that made
        ``recovery_point`` and return the execution input the trigger builds for it."""
        job = self.record_backup_job(job_id, table_arn, recovery_point, start_time)
        return {
            "backup": BackupJob(
                job_id, recovery_point, table_arn, job.created, vault_name="Default"
            ).to_dict()
        }

    def deliver(self, event: Any) -> Any:
        """Hand an event (SNS or EventBridge) to the trigger, as the subscription or
        the rule would."""
        return self.call("trigger", event)

    # -- AWS Backup's restore job events and the waits for them ----------------------

    def _await_callback(self, endpoint: CallbackEndpoint, timeout: float | None) -> Any:
        """A ``.waitForTaskToken`` task waits in simulated time: restore jobs that end
        within ``timeout`` send their event at their end (plus ``restore_event_delay``),
        which may wake it; otherwise the clock runs to the timeout."""
        until = None if timeout is None else self.clock.now() + timedelta(seconds=timeout)
        while (outcome := endpoint.get_outcome()) is None:
            with self._lock:
                due = [
                    (end + timedelta(seconds=self.restore_event_delay), job)
                    for end, job in self.recovery_points.finishing()
                ]
                if not self.restore_events or not due:
                    break
                when, job = due[0]
                if until is not None and when > until:
                    break
                job.event_sent = True
            if when > self.clock.now():
                self.clock.advance((when - self.clock.now()).total_seconds())
            self.send_restore_event(job.restore_job_id)
        if outcome is None and until is not None and until > self.clock.now():
            self.clock.advance((until - self.clock.now()).total_seconds())
        return endpoint.get_outcome()

    def put_event(self, event: Mapping[str, Any]) -> dict[str, Any]:
        """Put ``event`` (an EventBridge event as AWS sends it) on the default bus as
        its service would: its source, detail type, resources and detail; the rules
        decide delivery. PutEvents' response, for the caller to check."""
        return dict(
            self.client("events").put_events(
                Entries=[
                    {
                        "Source": event["source"],
                        "DetailType": event["detail-type"],
                        "Resources": event["resources"],
                        "Detail": json.dumps(event["detail"]),
                    }
                ]
            )
        )

    def send_restore_event(self, restore_job_id: str) -> dict[str, Any]:
        """AWS Backup's Restore Job State Change for the job as it stands now, on the
        default bus: through the module's rule (Terraform's, with ``make e2e``; the
        plan's pattern, with the harness's own deployment) to the restore-events
        function."""
        described = self.client("backup").describe_restore_job(RestoreJobId=restore_job_id)
        event = restore_job_event(
            restore_job_id,
            described["Status"],
            described["RecoveryPointArn"],
            described.get("CreatedResourceArn"),
            described.get("StatusMessage", ""),
        )
        self.restore_events_sent.append(event)
        if not self.deploy:
            self.put_event(event)
            return event
        pattern = self.rendering.event_patterns.get("aws_cloudwatch_event_rule.restore_jobs[0]")
        matcher = None if pattern is None else EventPattern.load(json.dumps(pattern))
        if matcher is not None and matcher.matches_event(event):  # type: ignore[arg-type]
            # EventBridge invokes the function asynchronously: its failure is Lambda's
            # (an error in its metrics and invocations), not the event source's. Lambda's
            # own retries of a failed asynchronous invocation are not emulated.
            with contextlib.suppress(Exception):
                self.call("restore_events", event)
        return event

    # -- faults --------------------------------------------------------------------

    def inject_fault(self, operation: str, code: str, times: int = 1, after: int = 0) -> None:
        """Make ``times`` calls of ``operation`` (DynamoDB's RestoreTableFromBackup,
        DescribeTable, Scan or BatchWriteItem, AWS Backup's StartRestoreJob or
        DescribeRestoreJob, SSM's PutParameter, Step Functions' SendTaskSuccess, or
        "Invoke <function name>": Lambda's Invoke of that function, which then does not
        run) fail with ``code``, once ``after`` calls of it have gone through."""
        self._faults.setdefault(operation, []).extend([None] * after + [code] * times)

    def _pop_fault(self, operation: str) -> str | None:
        pending = self._faults.get(operation)
        return pending.pop(0) if pending else None

    def _raise_fault(self, operation: str) -> None:
        code = self._pop_fault(operation)
        if code is not None:
            raise DynamodbException(f"com.amazonaws.dynamodb.v20120810#{code}", f"injected {code}")

    # -- a source table and its backup ---------------------------------------------

    def create_source_table(
        self, name: str, items: int = 25, source: Mapping[str, Any] | None = None
    ) -> str:
        """An on-demand table keyed by ``pk`` with ``items`` items; ``source``: other
        CreateTable arguments instead (``BUSY_TABLE``)."""
        table = self.dynamodb.create_table(
            TableName=name,
            **{
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST",
                **(source or {}),
            },
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
        source: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Create ``table_name`` with items, back it up, record the completed AWS
        Backup job that did (DescribeBackupJob answers for it, created at
        ``start_time``), and return the SNS event AWS Backup would send for that job."""
        table_arn = self.create_source_table(table_name, items, source)
        backup_arn = self.create_backup(table_name)
        self.record_backup_job(job_id, table_arn, backup_arn, start_time)
        return sns_event(
            backup_completed(backup_arn, table_arn, job_id=job_id, start_time=start_time)
        )

    def record_backup_job(
        self,
        job_id: str,
        table_arn: str,
        recovery_point: str,
        start_time: str = "2024-08-27T09:20:00Z",
        vault: str = "Default",
    ) -> FinishedJob:
        """Record in AWS Backup the completed job ``job_id`` that made
        ``recovery_point`` of ``table_arn``, created at ``start_time``: AWS's own record,
        which the rotator holds every notification and execution input to."""
        return self.recovery_points.backup_job(
            job_id, table_arn, recovery_point, vault_arn(vault), parse_time(start_time)
        )

    def create_recovery_point(self, table_name: str) -> str:
        """An AWS Backup (advanced) recovery point of ``table_name`` as it is now."""
        return self.recovery_points.create(REGION, ACCOUNT, self.create_backup(table_name))

    def advanced_backup_notification(
        self,
        table_name: str,
        *,
        job_id: str = "7B1E3A42-9D5C-4F3E-8C1D-2E4F6A8B0C1D",
        items: int = 25,
        source: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Like ``backup_notification``, for an AWS Backup (advanced) recovery point."""
        table_arn = self.create_source_table(table_name, items, source)
        point = self.create_recovery_point(table_name)
        self.record_backup_job(job_id, table_arn, point)
        return sns_event(backup_completed(point, table_arn, job_id=job_id))

    def backup_job(
        self,
        table_name: str,
        *,
        job_id: str = "7B1E3A42-9D5C-4F3E-8C1D-2E4F6A8B0C1D",
        advanced: bool = True,
        items: int = 25,
        vault: str = "Default",
    ) -> FinishedJob:
        """Create ``table_name`` with items and record the completed AWS Backup job
        that backed it up now (DescribeBackupJob answers for it)."""
        table_arn = self.create_source_table(table_name, items)
        point = (
            self.create_recovery_point(table_name) if advanced else self.create_backup(table_name)
        )
        return self.recovery_points.backup_job(job_id, table_arn, point, vault_arn(vault))

    def copy_job(
        self,
        source: FinishedJob,
        *,
        job_id: str = "C0FFEE00-1111-4222-8333-444455556666",
        vault: str = "staging-copies",
    ) -> FinishedJob:
        """Record a completed copy of ``source``'s recovery point into ``vault`` of
        this account (DescribeCopyJob and DescribeRecoveryPoint answer for it)."""
        copy_arn = f"arn:aws:backup:{REGION}:{ACCOUNT}:recovery-point:{str(uuid.uuid4()).upper()}"
        return self.recovery_points.copy_job(job_id, source, copy_arn, vault_arn(vault))

    def tag_as_copy(
        self,
        table_name: str,
        source_table: str,
        recovery_point_arn: str,
        restored_at: datetime,
        rotator: str | None = None,
    ) -> None:
        """Put the rotator's labels (``rotator.cleanup.bookkeeping_tags``) on
        ``table_name`` as ``rotator`` (the deployed rotator's by default) would label its
        copy of ``source_table``: what Configure puts on every copy it makes. Tags alone
        make no table the rotator's copy (the ledger does: ``record_copy``); anyone who
        may tag a table can set them, which is what the tests use this for."""
        tags = bookkeeping_tags(
            rotator or self.settings.name, source_table, recovery_point_arn, restored_at
        )
        arn = self.dynamodb.describe_table(TableName=table_name)["Table"]["TableArn"]
        self.dynamodb.tag_resource(
            ResourceArn=arn, Tags=[{"Key": key, "Value": value} for key, value in tags.items()]
        )

    # -- the ledger of copies ---------------------------------------------------------

    @property
    def ledger_table(self) -> str:
        """The ledger's table name, as the plan gives it to the functions."""
        return f"{self.settings.name}-copies"

    def ledger_entry(self, copy: str) -> Entry | None:
        """What the ledger of copies records for ``copy`` (``None``: nothing)."""
        item = self.dynamodb.get_item(
            TableName=self.ledger_table, Key={"copy": {"S": copy}}, ConsistentRead=True
        ).get("Item")
        return None if item is None else Entry.from_item(item)

    def record_copy(
        self,
        table_name: str,
        source_table: str,
        recovery_point_arn: str,
        requested_at: datetime,
        *,
        state: str = "published",
        job_id: str = "an-earlier-job",
    ) -> Entry:
        """Write the ledger entry a rotation that made ``table_name`` (which exists) would
        have left (``state``, its TableId recorded): a copy of an earlier rotation, for
        tests that need old copies without rotating them. The table gets the rotator's
        labels (tags) too, as Configure gives them."""
        table = self.dynamodb.describe_table(TableName=table_name)["Table"]
        source_arn = table["TableArn"].rsplit("/", 1)[0] + "/" + source_table
        entry = replace(
            new_entry(
                copy=table_name,
                source_table_arn=source_arn,
                recovery_point_arn=recovery_point_arn,
                job_id=job_id,
                execution=f"execution-of-{job_id}",
                now=requested_at,
            ),
            state=state,
            table_id=table["TableId"],
        )
        self.dynamodb.put_item(TableName=self.ledger_table, Item=entry.to_item())
        self.tag_as_copy(table_name, source_table, recovery_point_arn, requested_at)
        return entry

    # -- executions ----------------------------------------------------------------

    def executions(self) -> list[dict[str, Any]]:
        return list(
            self.stepfunctions.list_executions(stateMachineArn=self.state_machine_arn)["executions"]
        )

    def wait_for(self, execution_arn: str, timeout: float = HUNG_EXECUTION_SECONDS) -> Rotation:
        """Block (real time) until the execution ends; return what it left."""
        limit = time.monotonic() + timeout
        while True:
            described = self.stepfunctions.describe_execution(executionArn=execution_arn)
            if described["status"] != "RUNNING":
                break
            if time.monotonic() > limit:
                raise TimeoutError(self._hung(execution_arn, timeout))
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

    def _hung(self, execution_arn: str, timeout: float) -> str:
        """What a hung execution was doing: its last history event."""
        events = self.history(execution_arn)
        last = f"{events[-1]['type']} (event {events[-1]['id']})" if events else "no event"
        return (
            f"execution {execution_arn} hung: still RUNNING after {timeout:.0f} s of real "
            f"time; its last history event: {last}"
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

    def follow(
        self, execution_arn: str, timeout: float = HUNG_EXECUTION_SECONDS
    ) -> Iterator[dict[str, Any]]:
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
                raise TimeoutError(self._hung(execution_arn, timeout))
            time.sleep(0.02)

    def rotate(self, event: dict[str, Any]) -> Rotation:
        """``event`` announces a real job: record it in AWS Backup as announced (unless
        AWS Backup knows the job already, ``record_jobs_of``), deliver it, and wait for
        the execution it started."""
        before = {e["executionArn"] for e in self.executions()}
        self.record_jobs_of(event)
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
        """The account's tables but the module's own (the restore waits table)."""
        own = set(self.rendering.tables) if self.deploy else set()
        return [t for t in self.dynamodb.list_tables()["TableNames"] if t not in own]

    def subscribe_queue(self, topic_arn: str, name: str = "subscriber") -> str:
        """An SQS queue subscribed to ``topic_arn`` (SNS's envelope as the body, not raw
        delivery); returns the queue's URL."""
        sqs = self._clients["sqs"]
        url = str(sqs.create_queue(QueueName=name)["QueueUrl"])
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
        self.sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn["QueueArn"])
        return url

    def received(self, queue_url: str) -> list[dict[str, Any]]:
        """Every SNS envelope waiting in ``queue_url``, taken off the queue."""
        sqs = self._clients["sqs"]
        envelopes: list[dict[str, Any]] = []
        while batch := sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get(
            "Messages", []
        ):
            for message in batch:
                envelopes.append(json.loads(message["Body"]))
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        return envelopes


class _Context:
    """What Lambda's context gives a handler that the rotator reads: the time left,
    from the function's timeout on the simulated clock."""

    def __init__(self, function: Any, clock: SimulatedClock) -> None:
        self._clock = clock
        self._deadline = clock.now() + timedelta(seconds=int(function.timeout or 3))
        self.function_name = function.function_name

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - self._clock.now()).total_seconds() * 1000))


# APIs whose IAM action has another name.
_IAM_ACTIONS = {"lambda:Invoke": "lambda:InvokeFunction"}


def _wire_bytes(value: object) -> str:
    """JSON's form of a binary value in DynamoDB's wire protocol: base64."""
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _handler_module(function: Any, module_name: str) -> types.ModuleType:
    """The module of ``function``'s handler: importable here, or else read from the
    function's own package (its zip as moto holds it), once per package."""
    try:
        return import_module(module_name)
    except ModuleNotFoundError:
        if module_name.startswith("rotator."):
            raise
    unique = f"_lambda_{function.code_sha_256[:16]}_{module_name}".replace(".", "_")
    if unique in sys.modules:
        return sys.modules[unique]
    source = Path(*module_name.split(".")).with_suffix(".py").as_posix()
    with zipfile.ZipFile(io.BytesIO(function.code_bytes)) as archive:
        if source not in archive.namelist():
            raise ModuleNotFoundError(
                f"handler {function.handler!r} of {function.function_name}: no {source} in "
                f"its package (found {', '.join(archive.namelist())})"
            )
        code = archive.read(source)
    module = types.ModuleType(unique)
    module.__file__ = f"{function.function_name}.zip/{source}"
    exec(compile(code, module.__file__, "exec"), module.__dict__)
    sys.modules[unique] = module
    return module


def vault_arn(name: str, account: str = ACCOUNT) -> str:
    return f"arn:aws:backup:{REGION}:{account}:backup-vault:{name}"


def state_transitions(history: list[dict[str, Any]]) -> int:
    """Billable state transitions: every state entered, plus every retry of a task."""
    entered = sum(1 for event in history if event["type"].endswith("StateEntered"))
    retried = sum(
        1 for event in history if event["type"] in {"TaskScheduled", "LambdaFunctionScheduled"}
    ) - sum(1 for event in history if event["type"] == "TaskStateEntered")
    return entered + max(retried, 0)
