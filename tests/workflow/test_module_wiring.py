"""The module, the emulator and the Lambda code agree on names.

The emulator deploys the functions and state machine the way main.tf does; these tests
fail when the two drift apart (a renamed handler, environment variable or template
variable), so the end-to-end tests keep testing what Terraform deploys.
"""

from __future__ import annotations

import re
from importlib import import_module
from pathlib import Path

from tests.emulator.harness import HANDLERS, Settings
from tests.hcl_text import entries, hcl_block

ROOT = Path(__file__).resolve().parents[2]
MAIN_TF = (ROOT / "main.tf").read_text()


def test_every_function_in_main_tf_has_a_real_handler() -> None:
    functions = entries(hcl_block(MAIN_TF, "functions = {"))
    assert 'handler          = "rotator.handlers.${each.key}.handler"' in MAIN_TF
    assert set(functions) == set(HANDLERS)
    for key in functions:
        module = import_module(f"rotator.handlers.{key}")
        assert callable(module.handler)
        assert HANDLERS[key] == f"rotator.handlers.{key}.handler"


def test_the_emulator_sets_the_same_environment_as_main_tf() -> None:
    body = hcl_block(MAIN_TF, "function_environment = {")
    from_module = {
        key: set(re.findall(r"^\s*([A-Z_]+)\s*=", block, re.MULTILINE))
        for key, block in entries(body).items()
    }
    emulated = {key: set(env) for key, env in Settings().environment("arn").items()}
    assert from_module == emulated


def test_every_environment_variable_is_read_by_the_code() -> None:
    settings_source = (ROOT / "lambda" / "rotator" / "settings.py").read_text()
    for env in Settings().environment("arn").values():
        for name in env:
            assert f'"{name}"' in settings_source, name


def test_template_variables_match_main_tf_and_the_render_fixture() -> None:
    template = (ROOT / "statemachine.json.tpl").read_text()
    used = set(re.findall(r"\$\{(\w+)\}", template))
    call = hcl_block(MAIN_TF, 'templatefile("${path.module}/statemachine.json.tpl", {')
    passed = set(re.findall(r"^\s*(\w+)\s*=", call, re.MULTILINE))
    fixture = (ROOT / "tests" / "emulator" / "render" / "main.tf").read_text()
    rendered = set(re.findall(r"^\s*(\w+)\s*=\s*var\.", fixture, re.MULTILINE))
    assert (
        used
        == passed
        == rendered
        == {"start_restore_function_arn", "check_restore_function_arn", "publish_function_arn"}
    )
