"""Each function's role allows exactly what its code calls.

The emulator records every AWS API a handler calls during real rotations (as IAM
actions); iam.tf's policy for that function must allow all of them, and allow nothing
else beyond the few actions AWS requires without the code calling them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.emulator.events import backup_completed, backup_job_event, copy_completed, sns_event
from tests.emulator.harness import (
    CHECK_HOOK_ARN,
    CLEANING_UP,
    DISCARDING,
    EVERY_TRIGGER,
    Emulator,
    Settings,
)
from tests.emulator.rich_source import rich_source
from tests.module_config import actions, blocks, locals_of
from tests.workflow.test_hooks import create_hook
from tests.workflow.test_table_properties import (
    ON_DEMAND_COPIES,
    PROVISIONED_COPIES,
    rotate,
    scaled_rotations,
)

POLICIES = blocks("iam.tf", "data", "aws_iam_policy_document")
LEDGER_ACTIONS: dict[str, Any] = locals_of("iam.tf")["ledger_actions"]
# Module-level, so tests/conftest.py plans it with the rest.
CLEANING_UP_AFTER_AN_HOUR = CLEANING_UP.with_inputs(restore_timeout_seconds=3600)
OLD_BACKUP = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-Production/backup/0-old"
# pass, with its key in SSM and in Secrets Manager (the secret's ARN, made by moto, is
# given to the functions once it exists), on the default inputs otherwise: what
# Configure does besides is recorded by the rotations above.
MASK_KEY_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rotator-mask-key-AbCdEf"
PASSING_WITH_SSM = Settings(
    **{
        "pass": {
            "mask": [{"path": "total", "action": "hash"}],
            "secret_ssm_parameter_name": "/rotator/mask-key",
        }
    }
)
TRANSFORM = "arn:aws:lambda:us-east-1:123456789012:function:shout-city"
PASSING_WITH_SECRET = Settings(
    **{
        "pass": {
            "mask": [{"path": "total", "action": "hash"}],
            "secret_arn": MASK_KEY_SECRET,
            "transform_function_arn": TRANSFORM,
        }
    }
)
PASSING = {"ssm": PASSING_WITH_SSM, "secretsmanager": PASSING_WITH_SECRET}

# Allowed without being called by the code, and why.
REQUIRED_BY_AWS = {
    # every function: its own logs and, when tracing, X-Ray segments
    "*": {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
    },
    # dead-letter target of the asynchronously invoked trigger
    "trigger": {"sqs:SendMessage", "sns:Publish"},
    # RestoreTableFromBackup needs item-level access to the target table, and KMS use
    # through DynamoDB for customer-key tables (aws-facts section 4); StartRestoreJob
    # needs iam:PassRole on the restore role it names (aws-facts section 3)
    "start_restore": {
        "iam:PassRole",
        "dynamodb:BatchWriteItem",
        "dynamodb:DeleteItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:Scan",
        "dynamodb:UpdateItem",
        "kms:CreateGrant",
        "kms:Decrypt",
        "kms:DescribeKey",
        "kms:Encrypt",
        "kms:GenerateDataKey*",
        "kms:ReEncrypt*",
    },
    # copy_settings (iam.tf's configure document): the caller's access AWS checks when
    # DynamoDB enables a Kinesis destination (kinesis:*), when Application Auto Scaling
    # creates a target tracking policy's alarms (cloudwatch:*), and the service-linked
    # roles AWS creates on the first use of a setting in the account
    "configure": {
        "kinesis:DescribeStream",
        "kinesis:DescribeStreamSummary",
        "kinesis:ListStreams",
        "kinesis:PutRecords",
        "cloudwatch:DeleteAlarms",
        "cloudwatch:DescribeAlarms",
        "cloudwatch:PutMetricAlarm",
        "iam:CreateServiceLinkedRole",
    },
}


def policy_actions(key: str) -> set[str]:
    """Actions in iam.tf's policy document for function ``key``, the common one, and
    those it includes: (start_restore) the customer managed keys', (trigger) the
    dead-letter target's, (configure) the copy updates', (cleanup,
    discard_copy) deleting the rotator's own copies and their scalable targets, and its actions on the ledger of
    copies (``local.ledger_actions``)."""
    found = actions(POLICIES[key]) | actions(POLICIES["lambda_common"])
    found |= actions({"actions": LEDGER_ACTIONS.get(key, [])})
    if key == "start_restore":
        found |= actions(POLICIES["restore_keys"])
    if key == "trigger":
        found |= actions(POLICIES["trigger_dead_letter"])
    if key == "configure":
        found |= actions(POLICIES["configure_updates"])
    if key in ("cleanup", "discard_copy"):
        found |= actions(POLICIES["delete_own_copies"])
        found |= actions(POLICIES["deregister_copy_scaling"])
    if key in ("plan_pass", "walk_segment"):
        found |= actions(POLICIES["mask_key"])
    return found


# Every function steps.tf declares.
FUNCTIONS = list(locals_of("steps.tf")["steps"])


@pytest.fixture(scope="module")
def calls() -> dict[str, set[str]]:
    """The APIs each function called over rotations that take every code path that
    calls AWS: a full rotation, a repeated notification, a retried restore that finds
    its own table, a conflicting table, and (every trigger, copies on) an EventBridge
    backup job event and an SNS copy notification; and cleanups (``cleanup_calls``)."""
    with Emulator(EVERY_TRIGGER, restore_seconds=90) as emulator:
        event = emulator.backup_notification("Orders-Production")
        emulator.rotate(event)
        emulator.deliver(event)
        [first_start] = [i for i in emulator.invocations if i.function == "start_restore"]
        step_input = {"backup": first_start.payload["backup"]}
        emulator.call("start_restore", step_input)  # the table exists: adopted
        other = emulator.backup_notification("Users-Production", job_id="job-2")
        emulator.create_source_table("Users-staging-20240827-09-20-00", items=1)
        assert emulator.rotate(other).error == "TargetTableConflict"
        advanced = emulator.advanced_backup_notification("Carts-Production", job_id="job-3")
        assert emulator.rotate(advanced).status == "SUCCEEDED"  # woken by its event
        emulator.restore_events = False  # the event lost: the wait's own look wakes it
        unannounced = emulator.advanced_backup_notification("Bins-Production", job_id="job-7")
        assert emulator.rotate(unannounced).status == "SUCCEEDED"
        emulator.restore_events = True
        # a re-run while an AWS Backup restore is still creating its table, the
        # idempotency token forgotten: adopted through the job's metadata
        baskets = emulator.create_source_table("Baskets-Production")
        step = emulator.recorded_input(
            emulator.create_recovery_point("Baskets-Production"), baskets, job_id="job-6"
        )
        first = emulator.call("start_restore", step)
        emulator.create_source_table(first["target_table_name"], items=0)
        emulator.recovery_points.jobs[first["restore_job_id"]].token = None
        again = emulator.call("start_restore", step)
        assert again["restore_job_id"] == first["restore_job_id"]
        job = emulator.backup_job("Items-Production", job_id="job-4")
        event = backup_job_event(job.job_id, job.resource_arn, job.recovery_point)
        assert emulator.rotate(event).status == "SUCCEEDED"
        copy = emulator.copy_job(job, job_id="copy-5")
        # named like the copy of job-4 (a copy keeps its source's creation date): refused
        copied = emulator.rotate(sns_event(copy_completed(copy.job_id)))
        assert (copied.status, copied.error) == ("FAILED", "TargetTableConflict"), copied.cause
        # a source with TTL and Streams, which the copy gets too
        emulator.create_source_table("Events-Production", items=3)
        emulator.dynamodb.update_time_to_live(
            TableName="Events-Production",
            TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"},
        )
        emulator.dynamodb.update_table(
            TableName="Events-Production",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
        )
        backup = emulator.create_backup("Events-Production")
        table_arn = emulator.dynamodb.describe_table(TableName="Events-Production")["Table"][
            "TableArn"
        ]
        streamed = emulator.rotate(sns_event(backup_completed(backup, table_arn, job_id="job-8")))
        assert streamed.status == "SUCCEEDED", streamed.cause
        recorded = dict(emulator.aws_calls)
    recorded["cleanup"] = cleanup_calls()
    recorded["discard_copy"] = discard_calls()
    for key, made in [*pass_calls().items(), *table_property_calls().items()]:
        recorded[key] = recorded.get(key, set()) | made
    return recorded


def table_property_calls() -> dict[str, set[str]]:
    """The APIs Configure, Cleanup and DiscardRefusedCopy called over rotations with
    every copy_settings table property: an on-demand copy (policy, contributor insights,
    Kinesis, class, limits, warm throughput), and provisioned copies with auto scaling,
    one deleted by Cleanup and one discarded."""
    made: dict[str, set[str]] = {}
    with Emulator(ON_DEMAND_COPIES) as emulator:
        rotation = rotate(emulator, rich_source(emulator), advanced=False)
        assert rotation.status == "SUCCEEDED", rotation.cause
        made["configure"] = set(emulator.aws_calls["configure"])
    with Emulator(PROVISIONED_COPIES) as emulator:
        rotations = scaled_rotations(emulator, advanced=False)
        assert [r.status for r in rotations] == ["SUCCEEDED", "SUCCEEDED", "FAILED"]
        for key in ("configure", "cleanup", "discard_copy"):
            made[key] = made.get(key, set()) | emulator.aws_calls[key]
    return made


def pass_calls() -> dict[str, set[str]]:
    """The APIs the pass's functions called (and Configure around it) over rotations
    whose key is an SSM parameter (of a DynamoDB backup and of an AWS Backup recovery
    point) and one whose key is a Secrets Manager secret, with a transform function."""
    made: dict[str, set[str]] = {}
    for store, settings in PASSING.items():
        with Emulator(settings) as emulator:
            if store == "ssm":
                emulator.ssm.put_parameter(
                    Name="/rotator/mask-key", Value="k" * 32, Type="SecureString"
                )
            else:
                arn = emulator.client("secretsmanager").create_secret(
                    Name="rotator-mask-key", SecretString="k" * 32
                )["ARN"]
                for key in ("plan_pass", "walk_segment"):
                    emulator.set_environment(key, PASS_SECRET_ARN=arn)
                create_hook(emulator, TRANSFORM, "shout_city")
            rotation = emulator.rotate(emulator.backup_notification("Orders-Production"))
            assert rotation.status == "SUCCEEDED", rotation.cause
            if store == "ssm":  # an AWS Backup recovery point: its restore job's record
                advanced = emulator.advanced_backup_notification("Carts-Production", job_id="job-2")
                rotation = emulator.rotate(advanced)
                assert rotation.status == "SUCCEEDED", rotation.cause
            for key in ("plan_pass", "walk_segment", "check_pass", "configure"):
                made[key] = made.get(key, set()) | emulator.aws_calls[key]
    return made


def cleanup_calls() -> set[str]:
    """The APIs the cleanup function called (keep_last) over rotations that delete an
    old copy the ledger records, leave alone one with deletion protection, a tagged
    lookalike and a table put in place of a recorded copy, and delete the copy of an
    AWS Backup rotation that failed before its TableId was recorded."""
    with Emulator(CLEANING_UP_AFTER_AN_HOUR) as emulator:
        table_arn = emulator.create_source_table("Orders-Production", items=1)
        made_at = datetime(2024, 1, 1, tzinfo=UTC)
        for name, recorded, protected in (
            ("Orders-staging-20240101-00-00-00", True, False),
            ("Orders-staging-20240102-00-00-00", True, True),
            ("Orders-staging-20240103-00-00-00", False, False),  # tagged by hand
        ):
            emulator.dynamodb.create_table(
                TableName=name,
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
                DeletionProtectionEnabled=protected,
            )
            if recorded:
                emulator.record_copy(name, "Orders-Production", OLD_BACKUP, made_at)
            else:
                emulator.tag_as_copy(name, "Orders-Production", "arn:x", made_at)

        def refuse_the_first_rotations_describe(payload: Any) -> None:
            if payload["backup"]["job_id"] == "job-0":
                emulator.inject_fault("DescribeTable", "AccessDeniedException")

        emulator.before_step("configure", refuse_the_first_rotations_describe)
        for number in range(3):
            point = emulator.create_recovery_point("Orders-Production")
            started = f"2024-08-2{7 + number}T09:20:00Z"
            event = sns_event(
                backup_completed(point, table_arn, job_id=f"job-{number}", start_time=started)
            )
            rotation = emulator.rotate(event)
            assert rotation.status == ("FAILED" if number == 0 else "SUCCEEDED"), rotation.cause
            emulator.clock.advance(86400)
        names = emulator.table_names()
        assert "Orders-staging-20240101-00-00-00" not in names
        assert "Orders-staging-20240827-09-20-00" not in names  # the failed rotation's
        assert "Orders-staging-20240103-00-00-00" in names
        return emulator.aws_calls["cleanup"]


def discard_calls() -> set[str]:
    """The APIs the discard function called (delete_copy_on_hook_failure) over a
    rotation whose copy a hook refused."""
    with Emulator(DISCARDING) as emulator:
        create_hook(emulator, CHECK_HOOK_ARN, "reject")
        rotation = emulator.rotate(emulator.backup_notification("Orders-Production"))
        assert rotation.error == "CopyRejected"
        assert emulator.table_names() == ["Orders-Production"]  # the copy deleted
        return emulator.aws_calls["discard_copy"]


@pytest.mark.parametrize("key", FUNCTIONS)
def test_the_role_allows_every_call_the_function_makes(
    key: str, calls: dict[str, set[str]]
) -> None:
    assert calls[key], f"{key} made no AWS call in the rotations"
    assert calls[key] <= policy_actions(key)


@pytest.mark.parametrize("key", FUNCTIONS)
def test_the_role_allows_nothing_the_function_does_not_need(
    key: str, calls: dict[str, set[str]]
) -> None:
    extra = (
        policy_actions(key) - calls[key] - REQUIRED_BY_AWS["*"] - REQUIRED_BY_AWS.get(key, set())
    )
    assert extra == set()


def test_the_recorded_calls_are_the_workflows(calls: dict[str, set[str]]) -> None:
    assert calls == {
        "trigger": {
            "states:StartExecution",
            "backup:DescribeBackupJob",
            "backup:DescribeCopyJob",
            "backup:DescribeRecoveryPoint",
        },
        "start_restore": {
            "dynamodb:RestoreTableFromBackup",
            "dynamodb:DescribeTable",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "backup:StartRestoreJob",
            "backup:ListRestoreJobs",
            "backup:GetRestoreJobMetadata",
            # AWS's records, which the execution input is held to
            "backup:DescribeBackupJob",
            "backup:DescribeCopyJob",
            "backup:DescribeRecoveryPoint",
            "dynamodb:DescribeBackup",
        },
        "check_restore": {"dynamodb:DescribeTable", "backup:DescribeRestoreJob"},
        "publish": {
            "dynamodb:DescribeTable",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "backup:DescribeRestoreJob",
            "ssm:GetParameter",
            "ssm:PutParameter",
            "ssm:AddTagsToResource",
        },
        "configure": {
            "dynamodb:DescribeTable",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:ListTagsOfResource",
            "dynamodb:TagResource",
            "dynamodb:Scan",
            "dynamodb:DescribeBackup",
            "backup:DescribeRestoreJob",
            "dynamodb:DescribeTimeToLive",
            "dynamodb:UpdateTimeToLive",
            "dynamodb:UpdateTable",
            "dynamodb:DescribeContinuousBackups",
            "dynamodb:UpdateContinuousBackups",
            "dynamodb:GetResourcePolicy",  # pass: opens the copy after it
            "dynamodb:DeleteResourcePolicy",
            # copy_settings' table properties
            "dynamodb:PutResourcePolicy",
            "dynamodb:DescribeContributorInsights",
            "dynamodb:UpdateContributorInsights",
            "dynamodb:DescribeKinesisStreamingDestination",
            "dynamodb:EnableKinesisStreamingDestination",
            "application-autoscaling:DescribeScalableTargets",
            "application-autoscaling:DescribeScalingPolicies",
            "application-autoscaling:RegisterScalableTarget",
            "application-autoscaling:PutScalingPolicy",
        },
        "plan_pass": {
            "dynamodb:GetItem",
            "dynamodb:DescribeTable",
            "dynamodb:DescribeBackup",
            "backup:DescribeRestoreJob",
            "dynamodb:PutResourcePolicy",
            "ssm:GetParameter",
            "secretsmanager:GetSecretValue",
        },
        "walk_segment": {
            "dynamodb:DescribeTable",
            "dynamodb:Scan",
            "dynamodb:BatchWriteItem",
            "ssm:GetParameter",
            "secretsmanager:GetSecretValue",
            "lambda:InvokeFunction",  # the transform
        },
        "check_pass": {"dynamodb:GetItem", "dynamodb:PutItem"},
        "await_restore": {
            "dynamodb:PutItem",
            "backup:DescribeRestoreJob",
            "states:SendTaskSuccess",
        },
        "restore_events": {
            "dynamodb:GetItem",
            "dynamodb:DeleteItem",
            "states:SendTaskSuccess",
        },
        "discard_copy": {
            "dynamodb:DescribeTable",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:DeleteTable",
            "ssm:GetParameter",
            "application-autoscaling:DescribeScalableTargets",
            "application-autoscaling:DeregisterScalableTarget",
        },
        "cleanup": {
            "dynamodb:Scan",
            "dynamodb:PutItem",
            "dynamodb:DescribeTable",
            "dynamodb:DeleteTable",
            "backup:DescribeRestoreJob",
            "ssm:GetParameter",
            "application-autoscaling:DescribeScalableTargets",
            "application-autoscaling:DeregisterScalableTarget",
        },
    }
