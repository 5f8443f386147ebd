"""Hooks (module input ``hooks``): Lambda functions of the user's, invoked in order by
the RunHooks Map state once the copy is ready and before Publish moves the parameter.

The hooks are functions in moto whose handlers live in tests/workflow/hook_functions.py;
moto's Step Functions interpreter invokes them through the optimized Lambda
integration (``arn:aws:states:::lambda:invoke``) of the definition a plan of the
module rendered. Transitions are counted the way Step Functions bills (every state
entered, every retry)."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest

from tests.emulator.events import FAILURE_TOPIC_ARN, backup_completed, sns_event
from tests.emulator.harness import (
    CHECK_HOOK_ARN,
    PREPARE_HOOK_ARN,
    TWO_HOOKS,
    Emulator,
    Rotation,
    Settings,
    state_transitions,
)
from tests.module_config import ROOT

COPY = "Orders-staging-20240827-09-20-00"
NEXT_COPY = "Orders-staging-20240828-09-20-00"
JOB_ID = "7B1E3A42-9D5C-4F3E-8C1D-2E4F6A8B0C1D"
SOURCE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-Production"
TABLE_ARN_PREFIX = "arn:aws:dynamodb:us-east-1:123456789012:table/"
# Payload version 1, as docs/hooks.md documents it.
PAYLOAD_FIELDS = {
    "version",
    "rotator",
    "execution",
    "execution_arn",
    "hook_index",
    "table_name",
    "table_arn",
    "source_table",
    "source_table_arn",
    "recovery_point_arn",
    "backup_job_id",
}
# One hook, and failure notifications: the cost of a hook, and a failed one published.
ONE_HOOK = Settings(hooks=(CHECK_HOOK_ARN,), notification_topic_arn=FAILURE_TOPIC_ARN)
HOOK_STATES = {"ListHooks", "RunHooks", "RunHooksFailed"}
LAMBDA_SERVICE_ERRORS = (
    "ServiceException",
    "AWSLambdaException",
    "SdkClientException",
    "TooManyRequestsException",
)


def create_hook(emulator: Emulator, arn: str, handler: str) -> None:
    """The function ``arn`` names, running ``hook_functions.<handler>``; for an ARN with
    a qualifier, a published version and that alias of it."""
    name, _, alias = arn.split(":function:")[1].partition(":")
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.write(ROOT / "tests/workflow/hook_functions.py", "tests/workflow/hook_functions.py")
    lambda_ = emulator.client("lambda")
    function = lambda_.create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=emulator.client("iam").get_role(RoleName="ddb-rotator-role")["Role"]["Arn"],
        Handler=f"tests.workflow.hook_functions.{handler}",
        Code={"ZipFile": package.getvalue()},
        Publish=bool(alias),
    )
    if alias:
        lambda_.create_alias(FunctionName=name, Name=alias, FunctionVersion=function["Version"])


def set_hook_handler(emulator: Emulator, name: str, handler: str) -> None:
    """Change an unqualified hook's code, as its owner would ($LATEST)."""
    emulator.client("lambda").update_function_configuration(
        FunctionName=name, Handler=f"tests.workflow.hook_functions.{handler}"
    )


def hook_calls(emulator: Emulator) -> list[Any]:
    return [i for i in emulator.invocations if i.function in ("check_copy", "prepare_copy")]


def functions_called(emulator: Emulator) -> list[str]:
    return [i.function for i in emulator.invocations]


def states_entered(rotation: Rotation) -> list[str]:
    return [
        e["stateEnteredEventDetails"]["name"]
        for e in rotation.history
        if e["type"].endswith("StateEntered")
    ]


def execution_input(emulator: Emulator, rotation: Rotation) -> dict[str, Any]:
    described = emulator.stepfunctions.describe_execution(executionArn=rotation.execution_arn)
    return dict(json.loads(described["input"]))


def next_backup(emulator: Emulator, advanced: bool = False) -> dict[str, Any]:
    """A second backup of Orders-Production, a day after the first (``advanced``: an AWS
    Backup recovery point)."""
    table = "Orders-Production"
    point = emulator.create_recovery_point(table) if advanced else emulator.create_backup(table)
    return sns_event(
        backup_completed(
            point,
            SOURCE_ARN,
            job_id="0A7E4C2B-1111-4222-8333-444455556666",
            start_time="2024-08-28T09:20:00Z",
        )
    )


@pytest.fixture
def hooked(make_emulator: Any) -> Emulator:
    """Two hooks: check-copy (unqualified) counts the copy's items, prepare-copy:live
    (an alias) accepts it."""
    emulator: Emulator = make_emulator(TWO_HOOKS)
    create_hook(emulator, CHECK_HOOK_ARN, "count_items")
    create_hook(emulator, PREPARE_HOOK_ARN, "accept")
    return emulator


def test_hooks_run_in_order_with_the_documented_payload_before_the_parameter_moves(
    hooked: Emulator,
) -> None:
    rotation = hooked.rotate(hooked.backup_notification("Orders-Production"))

    assert rotation.status == "SUCCEEDED", rotation.cause
    called = functions_called(hooked)
    assert called[-3:] == ["check_copy", "prepare_copy", "publish"]
    backup = execution_input(hooked, rotation)["backup"]
    first, second = hook_calls(hooked)
    assert first.payload == {
        "version": "1",
        "rotator": "ddb-rotator",
        "execution": JOB_ID,
        "execution_arn": rotation.execution_arn,
        "hook_index": 0,
        "table_name": COPY,
        "table_arn": TABLE_ARN_PREFIX + COPY,
        "source_table": "Orders-Production",
        "source_table_arn": SOURCE_ARN,
        "recovery_point_arn": backup["recovery_point_arn"],
        "backup_job_id": JOB_ID,
    }
    assert set(first.payload) == PAYLOAD_FIELDS
    assert second.payload == {**first.payload, "hook_index": 1}
    # what each hook returned, in order
    assert rotation.output is not None
    assert rotation.output["hooks"] == [
        {"result": {"items": 25}},
        {"result": {"accepted": COPY}},
    ]
    assert hooked.parameter()["Value"] == TABLE_ARN_PREFIX + COPY


def test_hooks_run_on_the_aws_backup_restore_path_too(hooked: Emulator) -> None:
    rotation = hooked.rotate(hooked.advanced_backup_notification("Orders-Production"))

    assert rotation.status == "SUCCEEDED", rotation.cause
    assert states_entered(rotation) == [
        "StartRestore",
        "ChooseWait",
        "AwaitRestoreJob",
        "WaitForRestore",
        "Configure",
        "ListHooks",
        "RunHooks",
        "RunHook",
        "RunHook",
        "Publish",
    ]
    first, _ = hook_calls(hooked)
    assert first.payload["recovery_point_arn"].startswith(
        "arn:aws:backup:us-east-1:123456789012:recovery-point:"
    )
    assert first.payload["table_name"] == COPY
    assert first.result == {"items": 25}


@pytest.mark.parametrize("advanced", [False, True], ids=["dynamodb backup", "aws backup"])
def test_a_failing_hook_fails_the_rotation_and_leaves_the_parameter_where_it_was(
    hooked: Emulator, advanced: bool
) -> None:
    first = (
        hooked.advanced_backup_notification("Orders-Production")
        if advanced
        else hooked.backup_notification("Orders-Production")
    )
    published = hooked.rotate(first)
    assert published.status == "SUCCEEDED", published.cause
    before = hooked.parameter()
    set_hook_handler(hooked, "check-copy", "reject")
    calls_before = len(hooked.invocations)

    rotation = hooked.rotate(next_backup(hooked, advanced))

    assert (rotation.status, rotation.error) == ("FAILED", "CopyRejected")
    assert json.loads(rotation.cause or "") == {
        "errorType": "CopyRejected",
        "errorMessage": f"{NEXT_COPY} is not fit for staging: masking failed",
    }
    # the failing hook ran once (a function's error is not retried), the next one and
    # Publish not at all
    assert functions_called(hooked)[calls_before:] == [
        "trigger",
        "start_restore",
        *(["await_restore"] if advanced else []),
        "check_restore",
        "configure",
        "check_copy",
    ]
    assert hooked.invocations[-1].error == "CopyRejected"
    assert hooked.parameter() == before
    assert before["Value"] == TABLE_ARN_PREFIX + COPY
    assert states_entered(rotation)[-2:] == ["RunHook", "RotationFailed"]
    # the copy the hook refused is left as it is
    assert NEXT_COPY in hooked.table_names()


@pytest.mark.parametrize("error", LAMBDA_SERVICE_ERRORS)
def test_a_hook_that_lambda_refuses_for_a_while_is_retried(hooked: Emulator, error: str) -> None:
    hooked.inject_fault("Invoke check-copy", error, times=2)
    rotation = hooked.rotate(hooked.backup_notification("Orders-Production"))

    assert rotation.status == "SUCCEEDED", rotation.cause
    assert [c.function for c in hook_calls(hooked)] == ["check_copy", "prepare_copy"]
    assert len(hooked.retry_waits) == 2
    assert all(0 <= wait <= 4 for wait in hooked.retry_waits)  # 2 s, then 4 s, jittered
    # each retry is one more transition
    assert state_transitions(rotation.history) == len(states_entered(rotation)) + 2


def test_a_hook_that_lambda_keeps_refusing_fails_the_rotation_after_six_retries(
    hooked: Emulator,
) -> None:
    hooked.inject_fault("Invoke check-copy", "TooManyRequestsException", times=7)
    rotation = hooked.rotate(hooked.backup_notification("Orders-Production"))

    assert (rotation.status, rotation.error) == ("FAILED", "Lambda.TooManyRequestsException")
    assert hook_calls(hooked) == []
    assert len(hooked.retry_waits) == 6
    assert "publish" not in functions_called(hooked)


@pytest.mark.parametrize(
    ("advanced", "restore_seconds"),
    [(False, 3600), (True, 3600 - 450)],
    ids=["DynamoDB restore, polled", "AWS Backup restore, woken by its event"],
)
def test_one_hook_costs_three_transitions_and_one_invocation(
    make_emulator: Any, advanced: bool, restore_seconds: int
) -> None:
    """ListHooks, RunHooks and the one RunHook on top of what a rotation without hooks
    makes (checks + 4 polled, tests/workflow/test_long_and_concurrent.py; looks + 5
    woken, tests/workflow/test_restore_job_wait.py): a one-hour restore stays within
    issue 8's 25 transitions."""
    emulator: Emulator = make_emulator(
        ONE_HOOK, restore_seconds=restore_seconds, restore_event_delay=240
    )
    create_hook(emulator, CHECK_HOOK_ARN, "count_items")
    notification = (
        emulator.advanced_backup_notification if advanced else emulator.backup_notification
    )
    rotation = emulator.rotate(notification("Orders-Production"))

    assert rotation.status == "SUCCEEDED", rotation.cause
    checks = functions_called(emulator).count("check_restore")
    looks = functions_called(emulator).count("await_restore")
    baseline = looks + 5 if advanced else checks + 4
    transitions = state_transitions(rotation.history)
    assert transitions == baseline + 3
    assert transitions <= 25
    assert len(hook_calls(emulator)) == 1
    entered = states_entered(rotation)
    assert entered[entered.index("ListHooks") :] == ["ListHooks", "RunHooks", "RunHook", "Publish"]


def test_a_failing_hook_publishes_one_failure_notification(make_emulator: Any) -> None:
    emulator: Emulator = make_emulator(ONE_HOOK)
    emulator.sns.create_topic(Name=FAILURE_TOPIC_ARN.rsplit(":", 1)[1])
    queue_url = emulator.subscribe_queue(FAILURE_TOPIC_ARN)
    create_hook(emulator, CHECK_HOOK_ARN, "reject")

    rotation = emulator.rotate(emulator.backup_notification("Orders-Production"))

    assert (rotation.status, rotation.error) == ("FAILED", "CopyRejected")
    [envelope] = emulator.received(queue_url)
    message = json.loads(envelope["Message"])
    assert message["failed_state"] == "RunHooks"
    assert (message["error"], message["cause"]) == (rotation.error, rotation.cause)
    assert message["target_table"] == COPY
    assert message["restore"]["target_table_name"] == COPY
    assert states_entered(rotation)[-5:] == [
        "RunHook",
        "RunHooksFailed",
        "DescribeFailure",
        "NotifyFailure",
        "RotationFailed",
    ]
    assert "publish" not in functions_called(emulator)


def test_hooks_are_invoked_through_the_lambda_integration_in_one_map_state(
    hooked: Emulator,
) -> None:
    states = hooked.rendering.definition["States"]
    assert states["Configure"]["Next"] == "ListHooks"
    assert states["ListHooks"]["Result"] == [CHECK_HOOK_ARN, PREPARE_HOOK_ARN]
    run_hooks = states["RunHooks"]
    assert (run_hooks["Type"], run_hooks["MaxConcurrency"], run_hooks["Next"]) == (
        "Map",
        1,
        "Publish",
    )
    assert run_hooks["ItemsPath"] == states["ListHooks"]["ResultPath"]
    [task] = run_hooks["ItemProcessor"]["States"].values()
    assert task["Resource"] == "arn:aws:states:::lambda:invoke"
    assert {r for retry in task["Retry"] for r in retry["ErrorEquals"]} == {
        f"Lambda.{error}" for error in LAMBDA_SERVICE_ERRORS
    }
    # without a topic, a failed hook goes straight to RotationFailed
    assert "RunHooksFailed" not in states
    assert [c["Next"] for c in run_hooks["Catch"]] == ["RotationFailed"]


def test_without_hooks_the_definition_holds_no_hook_state(emulator: Emulator) -> None:
    states = emulator.rendering.definition["States"]
    assert not HOOK_STATES & set(states)
    assert states["Configure"]["Next"] == "Publish"
    assert 'lambda:invoke"' not in json.dumps(emulator.rendering.definition)

    rotation = emulator.rotate(emulator.backup_notification("Orders-Production"))
    assert rotation.status == "SUCCEEDED", rotation.cause
    assert states_entered(rotation) == [
        "StartRestore",
        "ChooseWait",
        "WaitForRestore",
        "Configure",
        "Publish",
    ]
