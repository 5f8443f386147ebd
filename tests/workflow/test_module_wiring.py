"""The module and the Lambda code agree on names.

The emulator deploys what a plan of the module says (functions, handlers, environment,
state machine definition), so these tests read that plan: they fail when the module and
the code drift apart (a renamed handler, environment variable or template variable).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import import_module

import pytest

from rotator import settings
from tests.emulator.harness import CLEANING_UP, MODULE_INPUTS, Emulator, Settings
from tests.module_config import ROOT, variables

SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rotator-mask-key-AbCdEf"
# Every environment variable the settings classes read (rotator.settings.setting).
READ_BY_THE_CODE = {
    name
    for value in vars(settings).values()
    if isinstance(value, type) and value.__module__ == settings.__name__
    for name in settings.variables_of(value)
}


# keep_last adds the cleanup function, a failure topic the notification's states, pass
# the pass's functions and states.
EVERY_STEP = CLEANING_UP.with_inputs(
    **{"pass": {"mask": [{"path": "email", "action": "hash"}], "secret_arn": SECRET}}
)


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """The module with every function and step but the discard of a refused copy."""
    with Emulator(EVERY_STEP) as emu:
        yield emu


def test_every_function_terraform_plans_has_a_real_handler(emulator: Emulator) -> None:
    functions = emulator.rendering.functions
    assert set(functions) == {
        "trigger",
        "start_restore",
        "check_restore",
        "await_restore",
        "restore_events",
        "configure",
        "plan_pass",
        "walk_segment",
        "check_pass",
        "publish",
        "cleanup",
    }
    for key, function in functions.items():
        module_name, _, attribute = function.handler.rpartition(".")
        assert module_name == f"rotator.handlers.{key}"
        assert callable(getattr(import_module(module_name), attribute))


def test_every_environment_variable_terraform_sets_is_read_by_the_code(
    emulator: Emulator,
) -> None:
    for function in emulator.rendering.functions.values():
        for name in function.environment:
            assert name in READ_BY_THE_CODE, (function.key, name)


def test_every_environment_variable_the_code_reads_is_set_by_terraform(
    emulator: Emulator,
) -> None:
    set_by_terraform = {n for f in emulator.rendering.functions.values() for n in f.environment}
    assert "KEEP_LAST" in READ_BY_THE_CODE and "RESTORE_BILLING_MODE" in READ_BY_THE_CODE
    assert set_by_terraform >= READ_BY_THE_CODE


def test_the_emulator_takes_every_module_input_and_no_other() -> None:
    assert set(variables()) == MODULE_INPUTS and "keep_last" in MODULE_INPUTS
    assert Settings(keep_last=2).keep_last == 2 and Settings().keep_last is None
    with pytest.raises(TypeError, match="keep_lst: no such variable in the module"):
        Settings(keep_lst=2)


def test_the_rendered_definition_calls_the_planned_functions(emulator: Emulator) -> None:
    template = (ROOT / "statemachine.json.tpl").read_text()
    assert set(re.findall(r"\$\{(\w+)\}", template)) == {
        "start_restore_function_arn",
        "check_restore_function_arn",
        "await_restore_function_arn",
        "configure_function_arn",
        "plan_pass_function_arn",
        "walk_segment_function_arn",
        "check_pass_function_arn",
        "publish_function_arn",
        "cleanup_function_arn",
        "discard_copy_function_arn",
        "partition",
        "notification_topic_arn",
        "failed_copy_fate",
    }
    states = emulator.rendering.definition["States"]
    resources = {name: s["Resource"] for name, s in states.items() if s["Type"] == "Task"}
    names = {key: f.name for key, f in emulator.rendering.functions.items()}
    assert resources == {
        "StartRestore": f"arn:aws:lambda:us-east-1:123456789012:function:{names['start_restore']}",
        "WaitForRestore": f"arn:aws:lambda:us-east-1:123456789012:function:{names['check_restore']}",
        "Publish": f"arn:aws:lambda:us-east-1:123456789012:function:{names['publish']}",
        "Configure": f"arn:aws:lambda:us-east-1:123456789012:function:{names['configure']}",
        "Cleanup": f"arn:aws:lambda:us-east-1:123456789012:function:{names['cleanup']}",
        "PlanPass": f"arn:aws:lambda:us-east-1:123456789012:function:{names['plan_pass']}",
        "CheckPass": f"arn:aws:lambda:us-east-1:123456789012:function:{names['check_pass']}",
        "FinishConfigure": f"arn:aws:lambda:us-east-1:123456789012:function:{names['configure']}",
        "AwaitRestoreJob": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "NotifyFailure": "arn:aws:states:::sns:publish",
    }
    await_function = states["AwaitRestoreJob"]["Parameters"]["FunctionName"]
    assert await_function == (
        f"arn:aws:lambda:us-east-1:123456789012:function:{names['await_restore']}"
    )
    walker = states["WalkSegments"]["ItemProcessor"]["States"]["WalkSegment"]["Resource"]
    assert walker == f"arn:aws:lambda:us-east-1:123456789012:function:{names['walk_segment']}"
