"""The examples' SNS topics take AWS Backup's notifications for their own account only:
the topic policy each example plans (real Terraform, real hashicorp/aws, against moto;
tests/emulator/terraform.py ``plan_example``), evaluated for publishes from AWS Backup
on this account's behalf, on another account's, and from other callers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.iam_policy import ALLOWED, IMPLICITLY_DENIED, evaluate
from tests.provider import example_plans

ACCOUNT = "123456789012"  # moto's
OTHER_ACCOUNT = "210987654321"
BACKUP = {"Service": "backup.amazonaws.com"}
# The examples that create the topic AWS Backup publishes to (sns-existing-topic takes
# a topic made elsewhere; eventbridge has none), and their plans in example_plans.PLANS
# (complete's defaults serve test_boundary.py too).
EXAMPLES = {"basic": "basic", "complete": "defaults"}

pytestmark = pytest.mark.xdist_group(example_plans.XDIST_GROUP)


@pytest.fixture(scope="module")
def topic_policies() -> dict[str, tuple[str, dict[str, Any]]]:
    """Each example's planned topic ARN and topic policy document."""
    planned = example_plans.plans()
    found = {}
    for example, name in EXAMPLES.items():
        assert example_plans.PLANS[name][0] == example
        [policy] = [
            resource["values"]
            for resource in planned[name]["planned_values"]["root_module"]["resources"]
            if resource["address"] == "aws_sns_topic_policy.backup_events"
        ]
        found[example] = (policy["arn"], json.loads(policy["policy"]))
    return found


@pytest.fixture(params=list(EXAMPLES))
def topic(
    request: pytest.FixtureRequest, topic_policies: dict[str, tuple[str, dict[str, Any]]]
) -> tuple[str, dict[str, Any]]:
    return topic_policies[request.param]


def test_aws_backup_may_publish_for_this_account(topic: tuple[str, dict[str, Any]]) -> None:
    arn, policy = topic
    assert arn.startswith(f"arn:aws:sns:us-east-1:{ACCOUNT}:")
    own = {"aws:SourceAccount": ACCOUNT}
    assert evaluate([policy], "sns:Publish", arn, own, principal=BACKUP) == ALLOWED


def test_aws_backup_may_not_publish_for_another_account(
    topic: tuple[str, dict[str, Any]],
) -> None:
    arn, policy = topic
    other = {"aws:SourceAccount": OTHER_ACCOUNT}
    assert evaluate([policy], "sns:Publish", arn, other, principal=BACKUP) == IMPLICITLY_DENIED
    # nor when the request says for no account at all
    assert evaluate([policy], "sns:Publish", arn, {}, principal=BACKUP) == IMPLICITLY_DENIED


@pytest.mark.parametrize(
    "caller",
    [
        {"Service": "s3.amazonaws.com"},  # another service, for this account
        {"Service": "events.amazonaws.com"},
        {"AWS": OTHER_ACCOUNT},  # another account's principals
        {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},  # this account's: IAM decides, not the topic
    ],
)
def test_no_one_but_aws_backup_may_publish(
    topic: tuple[str, dict[str, Any]], caller: dict[str, str]
) -> None:
    arn, policy = topic
    own = {"aws:SourceAccount": ACCOUNT}
    assert evaluate([policy], "sns:Publish", arn, own, principal=caller) == IMPLICITLY_DENIED


def test_aws_backup_may_do_nothing_else_with_the_topic(topic: tuple[str, dict[str, Any]]) -> None:
    arn, policy = topic
    own = {"aws:SourceAccount": ACCOUNT}
    for action in ("sns:Subscribe", "sns:SetTopicAttributes", "sns:DeleteTopic"):
        assert evaluate([policy], action, arn, own, principal=BACKUP) == IMPLICITLY_DENIED


def test_the_evaluator_reads_principals() -> None:
    policy = {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"},
                "Action": "events:PutEvents",
                "Resource": "*",
            }
        ]
    }
    caller = {"AWS": OTHER_ACCOUNT}
    assert evaluate([policy], "events:PutEvents", "bus", principal=caller) == ALLOWED
    assert evaluate([policy], "events:PutEvents", "bus", principal=BACKUP) == IMPLICITLY_DENIED
    # no caller given: the grant itself, whoever it names
    assert evaluate([policy], "events:PutEvents", "bus") == ALLOWED
