"""The module's resources are wired the way the README and docs/ say.

Terraform cannot plan the module here (no provider plugins), so these read the parsed
configuration: each test names one behaviour and fails if the HCL stops providing it.
Expressions without provider values are evaluated by real Terraform.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.emulator.terraform import ROOT, run
from tools.tfcheck.config import Module, load_module
from tools.tfcheck.hcl import Block


@pytest.fixture(scope="module")
def module() -> Module:
    return load_module(ROOT)


def resource(module: Module, type_name: str, name: str) -> Block:
    return module.resources[(type_name, name)]


def source(block: Block, name: str) -> str:
    return re.sub(r"\s+", " ", block.attributes[name].source.strip())


def evaluate(expression: str) -> Any:
    """Evaluate a provider-free HCL expression with real Terraform."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "main.tf").write_text(f'output "value" {{\n  value = {expression}\n}}\n')
        run(["init", "-input=false", "-no-color"], work)
        run(["apply", "-auto-approve", "-input=false", "-no-color"], work)
        return json.loads(run(["output", "-json"], work))["value"]["value"]


def test_the_subscription_delivers_only_completed_backup_jobs(module: Module) -> None:
    subscription = resource(module, "aws_sns_topic_subscription", "this")
    assert source(subscription, "topic_arn") == "var.backup_sns_topic_arn"
    assert source(subscription, "protocol") == '"lambda"'
    assert source(subscription, "endpoint") == 'aws_lambda_function.this["trigger"].arn'
    assert source(subscription, "filter_policy_scope") == '"MessageAttributes"'
    # its values, with and without restore_copies: tests/module.tftest.hcl
    assert source(subscription, "filter_policy") == "jsonencode(local.sns_filter_policy)"


def test_the_topic_may_invoke_the_trigger_before_the_subscription_exists(
    module: Module,
) -> None:
    permission = resource(module, "aws_lambda_permission", "this")
    assert source(permission, "principal") == '"sns.amazonaws.com"'
    assert source(permission, "source_arn") == "var.backup_sns_topic_arn"
    assert source(permission, "function_name") == (
        'aws_lambda_function.this["trigger"].function_name'
    )
    subscription = resource(module, "aws_sns_topic_subscription", "this")
    assert "aws_lambda_permission.this" in source(subscription, "depends_on")


def test_the_topic_is_subscribed_only_once_the_state_machine_exists(module: Module) -> None:
    subscription = resource(module, "aws_sns_topic_subscription", "this")
    assert "aws_sfn_state_machine.this" in source(subscription, "depends_on")


def test_every_function_deploys_one_reproducible_zip_of_lambda(module: Module) -> None:
    archive = module.data[("archive_file", "lambda")]
    assert "for_each" not in archive.attributes
    assert source(archive, "source_dir") == '"${path.module}/lambda"'
    assert source(archive, "output_path") == '"${path.root}/.terraform/tmp/${var.name}-lambda.zip"'
    assert source(archive, "output_file_mode") == '"0666"'
    # what the zip holds: test_packages.py
    function = resource(module, "aws_lambda_function", "this")
    assert source(function, "filename") == "data.archive_file.lambda.output_path"
    assert source(function, "source_code_hash") == "data.archive_file.lambda.output_base64sha256"
    assert source(function, "handler") == '"rotator.handlers.${each.key}.handler"'


def test_every_function_has_its_own_role_and_its_own_log_group_created_first(
    module: Module,
) -> None:
    function = resource(module, "aws_lambda_function", "this")
    role = resource(module, "aws_iam_role", "lambda")
    log_group = resource(module, "aws_cloudwatch_log_group", "lambda")
    for block in (function, role, log_group):
        assert source(block, "for_each") == "local.functions"
    assert source(function, "role") == "aws_iam_role.lambda[each.key].arn"
    assert "aws_cloudwatch_log_group.lambda" in source(function, "depends_on")
    [logging] = function.blocks_of("logging_config")
    assert source(logging, "log_group") == "aws_cloudwatch_log_group.lambda[each.key].name"
    assert source(logging, "log_format") == '"JSON"'
    assert source(log_group, "retention_in_days") == "var.log_retention_in_days"
    assert source(log_group, "name") == '"/aws/lambda/${local.function_names[each.key]}"'


def test_the_state_machine_is_standard_logged_traced_and_rendered_from_the_template(
    module: Module,
) -> None:
    machine = resource(module, "aws_sfn_state_machine", "this")
    assert source(machine, "type") == '"STANDARD"'
    # rendered from the template (definition.tf's local.definition_template), then the wait's
    # numbers set from the inputs; tests/module.tftest.hcl checks the planned result
    assert source(machine, "definition") == "jsonencode(local.definition)"
    definition = (module.directory / "definition.tf").read_text()
    assert (
        'definition_template = jsondecode(templatefile(\n    "${path.module}/statemachine.json.tpl"'
        in definition
    )
    [logging] = machine.blocks_of("logging_configuration")
    assert source(logging, "log_destination") == (
        '"${aws_cloudwatch_log_group.state_machine.arn}:*"'
    )
    assert source(logging, "level") == "var.state_machine_log_level"
    [tracing] = machine.blocks_of("tracing_configuration")
    assert source(tracing, "enabled") == "var.tracing_enabled"
    log_group = resource(module, "aws_cloudwatch_log_group", "state_machine")
    assert source(log_group, "name") == "local.state_machine_log_group_name"
    assert source(log_group, "retention_in_days") == "var.log_retention_in_days"
    assert module.locals["state_machine_log_group_name"].source.strip() == (
        '"/aws/vendedlogs/states/${var.name}"'
    )


def test_the_trigger_is_given_the_state_machine_it_starts(module: Module) -> None:
    built = module.locals["state_machine_arn"].source.strip()
    assert built.endswith(':stateMachine:${var.name}"')
    machine = resource(module, "aws_sfn_state_machine", "this")
    assert source(machine, "name") == "var.name"
    [lifecycle] = machine.blocks_of("lifecycle")
    [check] = lifecycle.blocks_of("postcondition")
    assert source(check, "condition") == "self.arn == local.state_machine_arn"


EXPECTED_INPUTS = {
    "name",
    "backup_sns_topic_arn",
    "source_pattern",
    "replacement_pattern",
    "ssm_parameter_name",
    "tags",
    "log_retention_in_days",
    "lambda_runtime",
    "lambda_memory_size",
    "lambda_timeout",
    "poll_interval_seconds",
    "restore_timeout_seconds",
}
EXPECTED_OUTPUTS = {
    "state_machine_arn",
    "state_machine_name",
    "function_arns",
    "function_names",
    "role_arns",
    "log_group_names",
    "sns_subscription_arn",
}


def test_every_input_is_typed_and_described(module: Module) -> None:
    assert set(module.variables) >= EXPECTED_INPUTS
    for name, variable in module.variables.items():
        assert {"type", "description"} <= set(variable.attributes), name


@pytest.mark.parametrize(
    "name",
    [
        "name",
        "backup_sns_topic_arn",
        "source_pattern",
        "ssm_parameter_name",
        "log_retention_in_days",
        "lambda_runtime",
        "lambda_memory_size",
        "lambda_timeout",
        "poll_interval_seconds",
        "restore_timeout_seconds",
    ],
)
def test_inputs_with_an_aws_limit_are_validated(module: Module, name: str) -> None:
    assert module.variables[name].blocks_of("validation"), name


def test_every_output_is_described(module: Module) -> None:
    assert set(module.outputs) >= EXPECTED_OUTPUTS
    for name, output in module.outputs.items():
        assert "description" in output.attributes, name


def test_the_module_configures_no_provider(module: Module) -> None:
    assert [b for b in module.other_blocks if b.type == "provider"] == []
