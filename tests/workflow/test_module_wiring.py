"""The module, the emulator and the Lambda code agree on names.

The emulator deploys the functions and state machine the way main.tf does; these tests
fail when the two drift apart (a renamed handler, environment variable or template
variable), so the end-to-end tests keep testing what Terraform deploys.
"""

from __future__ import annotations

import re
from importlib import import_module

from tests.emulator.harness import HANDLERS, Settings
from tests.module_config import ROOT, blocks, load, locals_of

LOCALS = locals_of("main.tf")


def test_every_function_in_main_tf_has_a_real_handler() -> None:
    functions = LOCALS["functions"]
    function = blocks("main.tf", "resource", "aws_lambda_function")["this"]
    assert function["handler"] == '"rotator.handlers.${each.key}.handler"'
    assert set(functions) == set(HANDLERS)
    for key in functions:
        module = import_module(f"rotator.handlers.{key}")
        assert callable(module.handler)
        assert HANDLERS[key] == f"rotator.handlers.{key}.handler"


def test_the_emulator_sets_the_same_environment_as_main_tf() -> None:
    from_module = {key: set(env) for key, env in LOCALS["function_environment"].items()}
    emulated = {key: set(env) for key, env in Settings().environment("arn").items()}
    assert from_module == emulated


def test_every_environment_variable_is_read_by_the_code() -> None:
    settings_source = (ROOT / "lambda" / "rotator" / "settings.py").read_text()
    for env in Settings().environment("arn").values():
        for name in env:
            assert f'"{name}"' in settings_source, name


def templatefile_variables(expression: str) -> set[str]:
    """The keys of the variables object a ``templatefile(...)`` call passes."""
    return set(re.findall(r"(\w+) = ", expression[expression.index("templatefile(") :]))


def test_template_variables_match_main_tf_and_the_render_fixture() -> None:
    template = (ROOT / "statemachine.json.tpl").read_text()
    used = set(re.findall(r"\$\{(\w+)\}", template))
    machine = blocks("main.tf", "resource", "aws_sfn_state_machine")["this"]
    passed = templatefile_variables(machine["definition"])
    [output] = load("tests/emulator/render/main.tf")["output"]
    rendered = templatefile_variables(output['"definition"']["value"])
    assert (
        used
        == passed
        == rendered
        == {"start_restore_function_arn", "check_restore_function_arn", "publish_function_arn"}
    )
