"""Least privilege, proven on the policy documents a real plan of the module renders
(hashicorp/aws against moto), evaluated for requests against real ARNs."""

from __future__ import annotations

import json
from typing import Any

import pytest
from moto.events.models import EventPattern

from rotator import cleanup
from rotator.naming import could_be_copy
from tests.emulator.events import FAILURE_TOPIC_ARN, TOPIC_ARN, copy_job_event
from tests.emulator.harness import (
    CHECK_HOOK_ARN,
    CLEANING_UP,
    COPY_KEY_ARN,
    EVERY_TRIGGER,
    PREPARE_HOOK_ARN,
    STAGING_COPIES,
    TWO_HOOKS,
    Emulator,
    Settings,
)
from tests.iam_policy import ALLOWED, DENIED, IMPLICITLY_DENIED, evaluate

TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/"
# Module-level, so tests/conftest.py plans them with the rest.
PARAMETER_PER_TABLE = Settings(ssm_parameter_name="/staging/{source_table}/arn")
SOURCE_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
SOURCE_KEYS = Settings(restore_kms_key_arns=(SOURCE_KEY,))
WRITES = (
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:RestoreTableFromBackup",
)
# The example's settings: "orders-prod" is copied as "orders-staging-<time>".
NAMED_GROUP = Settings(
    source_pattern="^(?P<app>[a-z]+)-prod$", replacement_pattern="${app}-staging"
)
# Cleaning up after them: the copies' names have no literal part.
NAMED_GROUP_CLEANING_UP = Settings(
    source_pattern="^(?P<app>[a-z]+)-prod$", replacement_pattern="${app}-staging", keep_last=1
)


def policies(emulator: Emulator) -> dict[str, list[dict[str, Any]]]:
    return {role: [document] for role, document in emulator.rendering.policies.items()}


@pytest.mark.parametrize(
    ("settings", "source", "copy"),
    [
        (Settings(), "Orders-production", "Orders-staging-20240827-09-20-00"),
        (NAMED_GROUP, "orders-prod", "orders-staging-20240827-09-20-00"),
    ],
)
@pytest.mark.parametrize("action", WRITES)
def test_writes_are_allowed_on_a_copy_and_denied_on_its_source_table(
    make_emulator: Any, settings: Settings, source: str, copy: str, action: str
) -> None:
    start_restore = policies(make_emulator(settings))["start_restore"]
    assert evaluate(start_restore, action, TABLE + copy) == ALLOWED
    assert evaluate(start_restore, action, TABLE + source) == IMPLICITLY_DENIED


def test_no_role_of_the_rotator_may_write_to_a_table_that_is_not_a_copy(
    emulator: Emulator,
) -> None:
    for role, documents in policies(emulator).items():
        # the restore role's explicit deny denies them outright
        expected = DENIED if role == "restore_scope" else IMPLICITLY_DENIED
        for table in ("Orders-production", "Orders-staging", "payments", "Orders-staging-2024"):
            for action in (*WRITES, "dynamodb:DeleteTable", "dynamodb:UpdateTable"):
                assert evaluate(documents, action, TABLE + table) == expected, (
                    role,
                    action,
                    table,
                )


def test_the_literal_part_of_the_replacement_narrows_the_copies_further(
    emulator: Emulator,
) -> None:
    start_restore = policies(emulator)["start_restore"]
    # ends in a time suffix, but was not made by "-staging"
    other = TABLE + "Orders-archive-20240827-09-20-00"
    assert evaluate(start_restore, "dynamodb:PutItem", other) == IMPLICITLY_DENIED


def test_the_restore_may_read_any_backup_but_not_write_the_source(emulator: Emulator) -> None:
    start_restore = policies(emulator)["start_restore"]
    backup = TABLE + "Orders-production/backup/01724750400000-a1b2c3d4"
    assert evaluate(start_restore, "dynamodb:RestoreTableFromBackup", backup) == ALLOWED
    assert evaluate(start_restore, "dynamodb:PutItem", backup) == IMPLICITLY_DENIED


def test_only_the_configured_parameter_may_be_written(emulator: Emulator) -> None:
    publish = policies(emulator)["publish"]
    parameter = "arn:aws:ssm:us-east-1:123456789012:parameter/staging/database-arn"
    assert evaluate(publish, "ssm:PutParameter", parameter) == ALLOWED
    assert evaluate(publish, "ssm:PutParameter", parameter + "-other") == IMPLICITLY_DENIED
    for role, documents in policies(emulator).items():
        if role != "publish":
            assert evaluate(documents, "ssm:PutParameter", parameter) == IMPLICITLY_DENIED


def test_a_parameter_per_table_may_be_read_and_written_only_under_its_template(
    make_emulator: Any,
) -> None:
    publish = policies(make_emulator(PARAMETER_PER_TABLE))["publish"]
    prefix = "arn:aws:ssm:us-east-1:123456789012:parameter/"
    for action in ("ssm:GetParameter", "ssm:PutParameter"):
        assert evaluate(publish, action, prefix + "staging/Orders-Production/arn") == ALLOWED
        assert evaluate(publish, action, prefix + "staging/Orders-Production/other") != ALLOWED
        assert evaluate(publish, action, prefix + "production/Orders/arn") != ALLOWED
    assert evaluate(publish, "ssm:DeleteParameter", prefix + "staging/x/arn") != ALLOWED


# -- the evaluator itself ----------------------------------------------------------


def test_the_evaluator_lets_an_explicit_deny_win() -> None:
    documents: list[dict[str, Any]] = [
        {"Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]},
        {"Statement": {"Effect": "Deny", "Action": "dynamodb:PutItem", "Resource": TABLE + "*"}},
    ]
    assert evaluate(documents, "dynamodb:PutItem", TABLE + "x") == DENIED
    assert evaluate(documents, "DynamoDB:GetItem", TABLE + "x") == ALLOWED


def test_the_evaluators_question_mark_matches_exactly_one_character() -> None:
    documents = [{"Statement": [{"Effect": "Allow", "Action": "a:B", "Resource": "t/x-??"}]}]
    assert evaluate(documents, "a:B", "t/x-12") == ALLOWED
    assert evaluate(documents, "a:B", "t/x-123") == IMPLICITLY_DENIED
    assert evaluate(documents, "a:B", "t/X-12") == IMPLICITLY_DENIED  # resources: case


def test_the_evaluator_holds_conditions_and_refuses_what_it_cannot_read() -> None:
    statement = {
        "Effect": "Allow",
        "Action": "kms:Decrypt",
        "Resource": "*",
        "Condition": {"StringEquals": {"kms:ViaService": "dynamodb.us-east-1.amazonaws.com"}},
    }
    documents = [{"Statement": [statement]}]
    via = {"kms:ViaService": "dynamodb.us-east-1.amazonaws.com"}
    assert evaluate(documents, "kms:Decrypt", "k", via) == ALLOWED
    assert evaluate(documents, "kms:Decrypt", "k", {"kms:ViaService": "s3"}) == IMPLICITLY_DENIED
    assert evaluate(documents, "kms:Decrypt", "k") == IMPLICITLY_DENIED
    statement["Condition"] = {"NumericLessThan": {"x": "1"}}
    with pytest.raises(ValueError, match="NumericLessThan is not supported"):
        evaluate(documents, "kms:Decrypt", "k")


def test_only_the_restore_role_may_be_passed_and_only_to_aws_backup(emulator: Emulator) -> None:
    start_restore = policies(emulator)["start_restore"]
    role = "arn:aws:iam::123456789012:role/ddb-rotator-restore"
    to_backup = {"iam:PassedToService": "backup.amazonaws.com"}
    assert evaluate(start_restore, "iam:PassRole", role, to_backup) == ALLOWED
    assert (
        evaluate(start_restore, "iam:PassRole", role, {"iam:PassedToService": "ec2.amazonaws.com"})
        == IMPLICITLY_DENIED
    )
    admin = "arn:aws:iam::123456789012:role/admin"
    assert evaluate(start_restore, "iam:PassRole", admin, to_backup) == IMPLICITLY_DENIED
    point = "arn:aws:backup:us-east-1:123456789012:recovery-point:1EB3B5E7"
    assert evaluate(start_restore, "backup:StartRestoreJob", point) == ALLOWED
    other_account = "arn:aws:backup:us-east-1:210987654321:recovery-point:1EB3B5E7"
    assert evaluate(start_restore, "backup:StartRestoreJob", other_account) == IMPLICITLY_DENIED


def test_source_table_keys_are_usable_only_through_dynamodb_by_both_restore_paths(
    make_emulator: Any,
) -> None:
    key = SOURCE_KEY
    rendered = policies(make_emulator(SOURCE_KEYS))
    via_dynamodb = {"kms:ViaService": "dynamodb.us-east-1.amazonaws.com"}
    for role in ("start_restore", "restore_keys"):
        assert evaluate(rendered[role], "kms:Decrypt", key, via_dynamodb) == ALLOWED, role
        assert (
            evaluate(
                rendered[role], "kms:Decrypt", key, {"kms:ViaService": "s3.us-east-1.amazonaws.com"}
            )
            == IMPLICITLY_DENIED
        )
        other = key.replace("1234abcd", "99999999")
        assert evaluate(rendered[role], "kms:Decrypt", other, via_dynamodb) == IMPLICITLY_DENIED


# What DynamoDB does with a table's customer managed key on the caller's behalf (the
# granted kms:GenerateDataKey* and kms:ReEncrypt* as the actions they stand for).
DYNAMODB_KEY_USE = (
    "kms:CreateGrant",
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
)
VIA_DYNAMODB = {"kms:ViaService": "dynamodb.us-east-1.amazonaws.com"}


def test_without_keys_no_role_may_use_any_key(emulator: Emulator) -> None:
    assert "restore_keys" not in emulator.rendering.policies
    for role, documents in policies(emulator).items():
        for key in ("arn:aws:kms:us-east-1:123456789012:key/1234abcd", COPY_KEY_ARN):
            for action in DYNAMODB_KEY_USE:
                assert evaluate(documents, action, key, VIA_DYNAMODB) == IMPLICITLY_DENIED, role


def test_the_copies_key_is_usable_through_dynamodb_by_both_restore_paths_and_no_one_else(
    make_emulator: Any,
) -> None:
    rendered = policies(make_emulator(STAGING_COPIES))
    restoring = ("start_restore", "restore_keys")  # RestoreTableFromBackup, StartRestoreJob
    for role in restoring:
        for action in DYNAMODB_KEY_USE:
            assert evaluate(rendered[role], action, COPY_KEY_ARN, VIA_DYNAMODB) == ALLOWED, (
                role,
                action,
            )
        via_s3 = {"kms:ViaService": "s3.us-east-1.amazonaws.com"}
        assert evaluate(rendered[role], "kms:Decrypt", COPY_KEY_ARN, via_s3) == IMPLICITLY_DENIED
        assert evaluate(rendered[role], "kms:Decrypt", COPY_KEY_ARN) == IMPLICITLY_DENIED
        # the key only, and only its use
        other = COPY_KEY_ARN.replace("0c0ffee0", "99999999")
        assert evaluate(rendered[role], "kms:Decrypt", other, VIA_DYNAMODB) == IMPLICITLY_DENIED
        for action in ("kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:DisableKey"):
            assert evaluate(rendered[role], action, COPY_KEY_ARN, VIA_DYNAMODB) == IMPLICITLY_DENIED
    for role, documents in rendered.items():
        if role not in restoring:
            assert evaluate(documents, "kms:Decrypt", COPY_KEY_ARN, VIA_DYNAMODB) != ALLOWED, role


def test_the_trigger_may_send_only_to_its_dead_letter_queue(emulator: Emulator) -> None:
    trigger = policies(emulator)["trigger"]
    queue = "arn:aws:sqs:us-east-1:123456789012:ddb-rotator-trigger-dlq"
    assert evaluate(trigger, "sqs:SendMessage", queue) == ALLOWED
    assert evaluate(trigger, "sqs:SendMessage", queue.replace("dlq", "other")) == IMPLICITLY_DENIED


# -- failure notifications ---------------------------------------------------------

FAILURE_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
# The same inputs as tests/workflow/test_failure_notifications.py, so both read one plan.
NOTIFYING = Settings(
    notification_topic_arn=FAILURE_TOPIC_ARN, notification_topic_kms_key_arn=FAILURE_KEY
)
VIA_SNS = {"kms:ViaService": "sns.us-east-1.amazonaws.com"}


def test_only_the_state_machine_may_publish_and_only_to_the_notification_topic(
    make_emulator: Any,
) -> None:
    rendered = policies(make_emulator(NOTIFYING))
    state_machine = rendered["state_machine"]
    assert evaluate(state_machine, "sns:Publish", FAILURE_TOPIC_ARN) == ALLOWED
    for other in (FAILURE_TOPIC_ARN + "-other", TOPIC_ARN, FAILURE_TOPIC_ARN + ".fifo"):
        assert evaluate(state_machine, "sns:Publish", other) == IMPLICITLY_DENIED, other
    for role, documents in rendered.items():
        if role != "state_machine":
            assert evaluate(documents, "sns:Publish", FAILURE_TOPIC_ARN) == IMPLICITLY_DENIED, role


def test_the_notification_topics_key_is_usable_only_through_sns(make_emulator: Any) -> None:
    rendered = policies(make_emulator(NOTIFYING))
    state_machine = rendered["state_machine"]
    for action in ("kms:GenerateDataKey", "kms:Decrypt"):
        assert evaluate(state_machine, action, FAILURE_KEY, VIA_SNS) == ALLOWED, action
    via_s3 = {"kms:ViaService": "s3.us-east-1.amazonaws.com"}
    assert evaluate(state_machine, "kms:Decrypt", FAILURE_KEY, via_s3) == IMPLICITLY_DENIED
    assert evaluate(state_machine, "kms:Decrypt", FAILURE_KEY) == IMPLICITLY_DENIED
    other_key = FAILURE_KEY.replace("1234abcd", "99999999")
    assert evaluate(state_machine, "kms:Decrypt", other_key, VIA_SNS) == IMPLICITLY_DENIED
    assert evaluate(state_machine, "kms:Encrypt", FAILURE_KEY, VIA_SNS) == IMPLICITLY_DENIED
    for role, documents in rendered.items():
        if role != "state_machine":
            assert evaluate(documents, "kms:Decrypt", FAILURE_KEY, VIA_SNS) == IMPLICITLY_DENIED


def test_without_a_notification_topic_no_role_may_publish_or_use_a_key_through_sns(
    emulator: Emulator,
) -> None:
    for role, documents in policies(emulator).items():
        assert evaluate(documents, "sns:Publish", FAILURE_TOPIC_ARN) == IMPLICITLY_DENIED, role
        assert evaluate(documents, "kms:Decrypt", FAILURE_KEY, VIA_SNS) == IMPLICITLY_DENIED, role


def test_with_copy_source_tags_the_restore_role_may_tag_copies_and_nothing_else(
    make_emulator: Any,
) -> None:
    rendered = policies(make_emulator(EVERY_TRIGGER))  # copy_source_tags among them
    copy = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-staging-20240827-09-20-00"
    source = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-Production"
    assert evaluate(rendered["restore_tags"], "dynamodb:TagResource", copy) == ALLOWED
    assert evaluate(rendered["restore_tags"], "dynamodb:TagResource", source) == IMPLICITLY_DENIED
    for role, documents in rendered.items():
        if role not in ("restore_tags", "configure"):  # Configure tags every copy
            assert evaluate(documents, "dynamodb:TagResource", copy) == IMPLICITLY_DENIED, role


def test_without_copy_source_tags_only_configure_may_tag_and_only_copies(
    emulator: Emulator,
) -> None:
    copy = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-staging-20240827-09-20-00"
    source = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-Production"
    assert "restore_tags" not in emulator.rendering.policies
    for role, documents in policies(emulator).items():
        expected = ALLOWED if role == "configure" else IMPLICITLY_DENIED
        assert evaluate(documents, "dynamodb:TagResource", copy) == expected, role
        assert evaluate(documents, "dynamodb:TagResource", source) != ALLOWED, role
        # and no one reads a source table's tags without copy_source_tags
        assert evaluate(documents, "dynamodb:ListTagsOfResource", source) != ALLOWED, role


def test_configure_changes_only_copies_and_reads_only_the_metadata_of_sources(
    make_emulator: Any,
) -> None:
    rendered = policies(make_emulator(EVERY_TRIGGER))["configure"]
    copy = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-staging-20240827-09-20-00"
    source = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-Production"
    for action in (
        "dynamodb:UpdateTable",
        "dynamodb:UpdateTimeToLive",
        "dynamodb:UpdateContinuousBackups",
        "dynamodb:TagResource",
        "dynamodb:Scan",
    ):
        assert evaluate(rendered, action, copy) == ALLOWED, action
        assert evaluate(rendered, action, source) == IMPLICITLY_DENIED, action
    for action in (
        "dynamodb:DescribeTable",
        "dynamodb:DescribeTimeToLive",
        "dynamodb:ListTagsOfResource",
    ):
        assert evaluate(rendered, action, source) == ALLOWED, action
    for action in ("dynamodb:PutItem", "dynamodb:DeleteTable", "dynamodb:GetItem"):
        assert evaluate(rendered, action, source) == IMPLICITLY_DENIED, action
        assert evaluate(rendered, action, copy) == IMPLICITLY_DENIED, action


def managed_restore_policy() -> dict[str, Any]:
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    document: dict[str, Any] = json.loads(aws_managed_policies_data)[
        "AWSBackupServiceRolePolicyForRestores"
    ]["Document"]
    return document


@pytest.mark.parametrize(
    "action",
    [a for a in WRITES if a != "dynamodb:RestoreTableFromBackup"]
    + ["dynamodb:RestoreTableFromAwsBackup", "dynamodb:Scan"],
)
def test_the_restore_role_keeps_off_every_table_but_the_copies(
    emulator: Emulator, action: str
) -> None:
    """AWS's managed restore policy allows item access on every table; the module's
    explicit deny leaves the restore role the copies' names only."""
    role = [managed_restore_policy(), emulator.rendering.policies["restore_scope"]]
    copy = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-staging-20240827-09-20-00"
    source = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-Production"
    assert evaluate([managed_restore_policy()], action, source) == ALLOWED  # without the deny
    assert evaluate(role, action, source) == DENIED
    assert evaluate(role, action, copy) == ALLOWED


def test_the_restore_role_may_still_read_the_backups_it_restores(emulator: Emulator) -> None:
    role = [managed_restore_policy(), emulator.rendering.policies["restore_scope"]]
    backup = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-Production/backup/017-a"
    assert evaluate(role, "dynamodb:RestoreTableFromBackup", backup) == ALLOWED


def test_only_the_wait_functions_may_use_the_waits_table_and_only_its_items(
    emulator: Emulator,
) -> None:
    waits = TABLE + "ddb-rotator-restore-waits"
    granted = {
        "await_restore": {"dynamodb:PutItem"},
        "restore_events": {"dynamodb:GetItem", "dynamodb:DeleteItem"},
    }
    item_actions = ("dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:DeleteItem")
    for role, documents in policies(emulator).items():
        for action in (*item_actions, "dynamodb:Scan", "dynamodb:DeleteTable"):
            expected = ALLOWED if action in granted.get(role, set()) else IMPLICITLY_DENIED
            if role == "restore_scope":
                expected = DENIED
            assert evaluate(documents, action, waits) == expected, (role, action)
    # a table named like it, in front of a copy's name, is not it
    for action in item_actions:
        assert evaluate(policies(emulator)["await_restore"], action, waits + "-2") != ALLOWED


def test_only_the_wait_functions_may_wake_an_execution_and_only_of_this_rotator(
    emulator: Emulator,
) -> None:
    own = "arn:aws:states:us-east-1:123456789012:stateMachine:ddb-rotator"
    other = "arn:aws:states:us-east-1:123456789012:stateMachine:someone-else"
    for role, documents in policies(emulator).items():
        woken = role in ("await_restore", "restore_events")
        assert (evaluate(documents, "states:SendTaskSuccess", own) == ALLOWED) is woken, role
        assert evaluate(documents, "states:SendTaskSuccess", other) != ALLOWED, role
        assert evaluate(documents, "states:SendTaskFailure", own) != ALLOWED, role


# -- cleanup (keep_last) -------------------------------------------------------------

COPY_TABLE = TABLE + "Orders-staging-20240827-09-20-00"
# The rotator tag of a copy, as DynamoDB passes a table's tags to IAM (ABAC).
OURS = {f"aws:ResourceTag/{cleanup.ROTATOR_TAG}": "ddb-rotator"}


def test_the_cleanup_may_delete_a_copys_name_whatever_its_tags(make_emulator: Any) -> None:
    """Which copies are the rotator's is the ledger's to say (the code deletes only
    owned tables it records); tags anyone can set decide nothing, and a failed
    rotation's untagged copy must still be deletable."""
    role = policies(make_emulator(CLEANING_UP))["cleanup"]
    theirs = {f"aws:ResourceTag/{cleanup.ROTATOR_TAG}": "another-rotator"}
    for context in (OURS, theirs, {}):
        assert evaluate(role, "dynamodb:DeleteTable", COPY_TABLE, context) == ALLOWED, context


@pytest.mark.parametrize(
    "table",
    [
        "Orders-Production",  # the source table
        "Orders-staging",  # a lookalike without the time suffix
        "Orders-staging-2024",
        "Orders-archive-20240827-09-20-00",  # a suffix, but not the replacement's text
        "ddb-rotator-restore-waits",
        "ddb-rotator-copies",  # the ledger
    ],
)
def test_the_cleanup_may_not_delete_a_table_that_is_not_a_copy_even_tagged(
    make_emulator: Any, table: str
) -> None:
    role = policies(make_emulator(CLEANING_UP))["cleanup"]
    for action in ("dynamodb:DeleteTable", "dynamodb:DescribeTable"):
        assert evaluate(role, action, TABLE + table, OURS) == IMPLICITLY_DENIED, action


def test_no_other_role_may_delete_a_copy(make_emulator: Any) -> None:
    for role, documents in policies(make_emulator(CLEANING_UP)).items():
        if role != "cleanup":
            expected = IMPLICITLY_DENIED
            assert evaluate(documents, "dynamodb:DeleteTable", COPY_TABLE, OURS) == expected, role


def test_the_cleanup_reads_the_copies_and_the_ledger_and_lists_no_tables(
    make_emulator: Any,
) -> None:
    role = policies(make_emulator(CLEANING_UP))["cleanup"]
    assert evaluate(role, "dynamodb:DescribeTable", COPY_TABLE) == ALLOWED
    assert evaluate(role, "dynamodb:Scan", LEDGER) == ALLOWED
    for action in ("dynamodb:ListTables", "dynamodb:ListTagsOfResource"):
        assert evaluate(role, action, "*") == IMPLICITLY_DENIED, action
        assert evaluate(role, action, COPY_TABLE) == IMPLICITLY_DENIED, action
    for action in (*WRITES, "dynamodb:UpdateTable", "dynamodb:TagResource"):
        assert evaluate(role, action, COPY_TABLE, OURS) == IMPLICITLY_DENIED, action


# -- the ledger of copies ----------------------------------------------------------

LEDGER = TABLE + "ddb-rotator-copies"
LEDGER_WRITES = (
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:PartiQLInsert",
    "dynamodb:PartiQLUpdate",
    "dynamodb:PartiQLDelete",
)
# Every function that keeps the ledger is deployed with these inputs.
KEEPING_THE_LEDGER = Settings(
    keep_last=2, hooks=(CHECK_HOOK_ARN,), delete_copy_on_hook_failure=True
)
KEEPERS = ("start_restore", "configure", "publish", "discard_copy", "cleanup")
ADMIN = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


def role_arn(key: str) -> str:
    return f"arn:aws:iam::123456789012:role/ddb-rotator-{key.replace('_', '-')}"


def test_only_the_rotators_roles_may_write_the_ledger(make_emulator: Any) -> None:
    """The ledger's resource policy denies every write to every principal but the
    functions' roles that keep it: an administrator of the account, a role of the
    rotator that does not keep it, and the account's root are refused, whatever their
    own policies allow; the keepers' roles write with what their policies allow."""
    emulator = make_emulator(KEEPING_THE_LEDGER)
    ledger_policy = emulator.rendering.resource_policies["ledger"]
    rendered = policies(emulator)
    assert set(KEEPERS) <= set(rendered)
    for key in KEEPERS:
        caller = {"aws:PrincipalArn": role_arn(key)}
        documents = [*rendered[key], ledger_policy]
        assert evaluate(documents, "dynamodb:PutItem", LEDGER, caller) == ALLOWED, key
        for action in LEDGER_WRITES[1:]:  # allowed by no policy of theirs
            assert evaluate(documents, action, LEDGER, caller) == IMPLICITLY_DENIED, (key, action)
    outsiders = {
        "an administrator": "arn:aws:iam::123456789012:role/Admin",
        "the account's root": "arn:aws:iam::123456789012:root",
        "the trigger": role_arn("trigger"),
        "a namesake in another account": "arn:aws:iam::210987654321:role/ddb-rotator-publish",
        "a namesake under another path": "arn:aws:iam::123456789012:role/x/ddb-rotator-publish",
    }
    for who, arn in outsiders.items():
        for action in LEDGER_WRITES:
            verdict = evaluate([ADMIN, ledger_policy], action, LEDGER, {"aws:PrincipalArn": arn})
            assert verdict == DENIED, (who, action)
        # reading is not the policy's business
        verdict = evaluate(
            [ADMIN, ledger_policy], "dynamodb:GetItem", LEDGER, {"aws:PrincipalArn": arn}
        )
        assert verdict == ALLOWED, who


def test_the_ledger_policy_names_only_the_deployed_keepers(emulator: Emulator) -> None:
    """Without keep_last and hooks only StartRestore, Configure and Publish keep the
    ledger; a Cleanup role made later by someone else is not let in."""
    ledger_policy = emulator.rendering.resource_policies["ledger"]
    for key in ("start_restore", "configure", "publish"):
        caller = {"aws:PrincipalArn": role_arn(key)}
        assert evaluate([ADMIN, ledger_policy], "dynamodb:PutItem", LEDGER, caller) == ALLOWED
    for key in ("cleanup", "discard_copy", "check_restore"):
        caller = {"aws:PrincipalArn": role_arn(key)}
        assert evaluate([ADMIN, ledger_policy], "dynamodb:PutItem", LEDGER, caller) == DENIED


def test_only_the_keepers_roles_may_use_the_ledger(make_emulator: Any) -> None:
    for role, documents in policies(make_emulator(KEEPING_THE_LEDGER)).items():
        for action in ("dynamodb:GetItem", "dynamodb:Scan", "dynamodb:PutItem"):
            verdict = evaluate(documents, action, LEDGER)
            if role == "restore_scope":
                assert verdict == DENIED, (role, action)
            elif role not in KEEPERS:
                assert verdict == IMPLICITLY_DENIED, (role, action)
        for action in ("dynamodb:DeleteTable", "dynamodb:UpdateTable", "dynamodb:DeleteItem"):
            assert evaluate(documents, action, LEDGER) != ALLOWED, (role, action)


def test_the_cleanup_may_read_only_the_configured_parameter(make_emulator: Any) -> None:
    role = policies(make_emulator(CLEANING_UP))["cleanup"]
    parameter = "arn:aws:ssm:us-east-1:123456789012:parameter/staging/database-arn"
    assert evaluate(role, "ssm:GetParameter", parameter) == ALLOWED
    assert evaluate(role, "ssm:GetParameter", parameter + "-other") == IMPLICITLY_DENIED
    assert evaluate(role, "ssm:PutParameter", parameter) == IMPLICITLY_DENIED


NAMES = (
    "Orders-staging-20240827-09-20-00",
    "Orders-staging-eu-20240827-09-20-00",
    "x-staging-20240827-09-20-00",
    "Orders-archive-20240827-09-20-00",
    "-20240827-09-20-00",
    "Orders-staging-20241301-09-20-00",  # not a real time
    "Orders-staging-2024082-09-20-00",
    "Orders-staging",
)


@pytest.mark.parametrize(
    ("settings", "literal", "looked_at"),
    [
        (CLEANING_UP, "-staging", NAMES[:3]),
        (NAMED_GROUP_CLEANING_UP, "", NAMES[:5]),  # "${app}-staging": no literal part
    ],
)
def test_the_cleanup_asks_only_about_tables_its_role_may_read(
    make_emulator: Any, settings: Settings, literal: str, looked_at: tuple[str, ...]
) -> None:
    """The step looks only at the names naming.could_be_copy passes with the literal
    steps.tf gives it; its role may read every one of them."""
    emulator = make_emulator(settings)
    assert emulator.rendering.functions["cleanup"].environment["COPY_NAME_LITERAL"] == literal
    assert tuple(name for name in NAMES if could_be_copy(name, literal)) == looked_at
    role = policies(emulator)["cleanup"]
    for name in looked_at:
        assert evaluate(role, "dynamodb:DescribeTable", TABLE + name) == ALLOWED, name


# -- hooks -------------------------------------------------------------------------

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:"
# The state machine's own statements, with or without hooks; hooks add InvokeHooks.
STATE_MACHINE_SIDS = {"InvokeWorkflowFunctions", "DeliverExecutionLogs", "XRayWrite"}


def invoke_grants(document: dict[str, Any]) -> set[str]:
    """Every resource a statement allowing lambda:InvokeFunction names."""
    statements = document["Statement"]
    return {
        resource
        for statement in (statements if isinstance(statements, list) else [statements])
        if "lambda:InvokeFunction" in statement["Action"]
        for resource in (
            statement["Resource"]
            if isinstance(statement["Resource"], list)
            else [statement["Resource"]]
        )
    }


def test_the_state_machine_may_invoke_exactly_the_hooks_as_given(make_emulator: Any) -> None:
    emulator = make_emulator(TWO_HOOKS)  # check-copy unqualified, prepare-copy:live
    rendered = policies(emulator)
    state_machine = rendered["state_machine"]
    for hook in (CHECK_HOOK_ARN, PREPARE_HOOK_ARN):
        assert evaluate(state_machine, "lambda:InvokeFunction", hook) == ALLOWED, hook
    for other in (
        FUNCTION + "check-copy:1",  # a version that was not given
        FUNCTION + "check-copy-2",
        FUNCTION + "prepare-copy",  # the aliased function's $LATEST
        FUNCTION + "prepare-copy:test",
        FUNCTION + "someone-elses",
        "arn:aws:lambda:us-east-1:210987654321:function:check-copy",
        "arn:aws:lambda:eu-west-1:123456789012:function:check-copy",
    ):
        assert evaluate(state_machine, "lambda:InvokeFunction", other) == IMPLICITLY_DENIED, other
    # invoking only, and by the state machine only
    assert evaluate(state_machine, "lambda:UpdateFunctionCode", CHECK_HOOK_ARN) == IMPLICITLY_DENIED
    for role, documents in rendered.items():
        if role != "state_machine":
            assert evaluate(documents, "lambda:InvokeFunction", CHECK_HOOK_ARN) != ALLOWED, role
    # nothing else is new: the rotator's steps and the two hooks, and no other statement
    [document] = state_machine
    steps = {
        f"{FUNCTION}ddb-rotator-{step}{suffix}"
        for step in ("start-restore", "check-restore", "await-restore", "configure", "publish")
        for suffix in ("", ":*")
    }
    assert invoke_grants(document) == steps | {CHECK_HOOK_ARN, PREPARE_HOOK_ARN}
    assert {s["Sid"] for s in document["Statement"]} == STATE_MACHINE_SIDS | {"InvokeHooks"}


def test_without_hooks_the_state_machine_may_invoke_only_the_rotators_steps(
    emulator: Emulator,
) -> None:
    [document] = policies(emulator)["state_machine"]
    assert {s["Sid"] for s in document["Statement"]} == STATE_MACHINE_SIDS
    assert all(grant.startswith(FUNCTION + "ddb-rotator-") for grant in invoke_grants(document))
    for role, documents in policies(emulator).items():
        assert evaluate(documents, "lambda:InvokeFunction", CHECK_HOOK_ARN) != ALLOWED, role


COPY_EVENTS_BUS = "arn:aws:events:us-east-1:123456789012:event-bus/ddb-rotator-copy-events"
COPY_SOURCE = {"AWS": "210987654321"}  # EVERY_TRIGGER's copy_source_account_ids
FORWARDED = {"events:source": ["aws.backup"], "events:detail-type": "Copy Job State Change"}


@pytest.mark.parametrize(
    ("who", "bus", "request_context", "expected"),
    [
        ("a copy source account forwarding", COPY_EVENTS_BUS, FORWARDED, ALLOWED),
        ("another account", COPY_EVENTS_BUS, FORWARDED, IMPLICITLY_DENIED),
        (
            "a copy source account, its own events",
            COPY_EVENTS_BUS,
            {**FORWARDED, "events:source": ["com.example.forged"]},
            IMPLICITLY_DENIED,
        ),
        (
            "a copy source account, one forged entry among real ones",
            COPY_EVENTS_BUS,
            {**FORWARDED, "events:source": ["aws.backup", "com.example.forged"]},
            IMPLICITLY_DENIED,
        ),
        (
            "a copy source account, a backup job",
            COPY_EVENTS_BUS,
            {**FORWARDED, "events:detail-type": "Backup Job State Change"},
            IMPLICITLY_DENIED,
        ),
        (
            "a copy source account, on another bus",
            "arn:aws:events:us-east-1:123456789012:event-bus/default",
            FORWARDED,
            IMPLICITLY_DENIED,
        ),
    ],
)
def test_the_copy_events_bus_takes_only_aws_backups_copy_events_of_the_copy_sources(
    make_emulator: Any, who: str, bus: str, request_context: dict[str, Any], expected: str
) -> None:
    """The bus the copy source accounts forward to: its policy (the whole of it, the
    module's own) lets those accounts put AWS Backup's Copy Job State Change events on
    it and nothing else; PutEvents refuses a custom event with an "aws." source, so
    what passes is what AWS Backup emitted there and a rule of theirs forwarded."""
    emulator = make_emulator(EVERY_TRIGGER)
    policy = emulator.rendering.resource_policies["copy_events"]
    caller = {"AWS": "999999999999"} if who == "another account" else COPY_SOURCE
    verdict = evaluate([policy], "events:PutEvents", bus, request_context, principal=caller)
    assert verdict == expected, who


def test_forwarded_copies_are_taken_from_the_copy_events_bus_only(make_emulator: Any) -> None:
    """The default bus's copy rule takes only this account's own copy jobs; the copy
    source accounts' forwarded events match the copy events bus's rule alone."""
    rendering = make_emulator(EVERY_TRIGGER).rendering
    rules = {
        key: EventPattern.load(json.dumps(rendering.event_patterns[address]))
        for key, address in {
            "copy-jobs": 'aws_cloudwatch_event_rule.this["copy-jobs"]',
            "forwarded-copies": 'aws_cloudwatch_event_rule.this["forwarded-copies"]',
        }.items()
    }
    vault = "arn:aws:backup:us-east-1:123456789012:backup-vault:staging-copies"
    point = "arn:aws:backup:us-east-1:123456789012:recovery-point:COPY"
    table = "arn:aws:dynamodb:us-east-1:{}:table/Orders-production"
    source_point = "arn:aws:dynamodb:us-east-1:{}:table/Orders-production/backup/01"

    def event(account: str) -> dict[str, Any]:
        return copy_job_event(
            "C-1",
            table.format(account),
            source_point.format(account),
            point,
            vault,
            account=account,
        )

    def matched(account: str) -> set[str]:
        return {key for key, rule in rules.items() if rule.matches_event(event(account))}  # type: ignore[arg-type]

    assert matched("123456789012") == {"copy-jobs"}
    assert matched("210987654321") == {"forwarded-copies"}
    assert matched("999999999999") == set()


# -- copy_settings and the indexes of restore_settings (issue 18) --------------------
# Each new permission exists only while its setting is on, on the copies (or on what
# the setting names), and reads source tables only for what is copied "as the source".

SOURCE_TABLE = TABLE + "Orders-Production"
STREAM = "arn:aws:kinesis:us-east-1:123456789012:stream/staging-changes"
COPY_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:role/staging-app"},
                "Action": "dynamodb:GetItem",
                "Resource": "*",
            }
        ],
    }
)
# Every copy setting with a value of its own, the indexes picked, and Cleanup (keep_last)
# for its part of auto scaling. Module-level, so tests/conftest.py plans them with the rest.
EVERY_COPY_SETTING = Settings(
    keep_last=2,
    copy_settings={
        "point_in_time_recovery": True,
        "table_class": "STANDARD_INFREQUENT_ACCESS",
        "on_demand_throughput": {"max_read_request_units": 100},
        "warm_throughput": {"read_units_per_second": 13000},
        "point_in_time_recovery_period": {"days": 7},
        "resource_policy": {"policy": COPY_POLICY},
        "auto_scaling": {"min_capacity": 1, "max_capacity": 20, "target_utilization": 70},
        "contributor_insights": "ENABLED",
        "kinesis_stream_arn": STREAM,
        "best_effort": ["kinesis_stream_arn", "local_secondary_indexes"],
    },
    restore_settings={
        "billing_mode": "PROVISIONED",
        "read_capacity": 5,
        "write_capacity": 5,
        "global_secondary_indexes": ["by*"],
        "local_secondary_indexes": ["byDate"],
        "index_capacity": {"by*": {"read_capacity": 2, "write_capacity": 3}},
    },
)
# Every setting that can be copied "as the source", as the source.
AS_THE_SOURCE = Settings(
    copy_settings={
        "point_in_time_recovery": True,
        "table_class": "SOURCE",
        "on_demand_throughput": {"from_source": True},
        "warm_throughput": {"from_source": True},
        "point_in_time_recovery_period": {"from_source": True},
        "resource_policy": {"from_source": True},
        "auto_scaling": {"from_source": True},
        "contributor_insights": "SOURCE",
    }
)
# The actions each setting adds on the copies (and their indexes) for Configure.
COPY_ACTIONS = (
    "dynamodb:UpdateTable",
    "dynamodb:UpdateContinuousBackups",
    "dynamodb:GetResourcePolicy",
    "dynamodb:PutResourcePolicy",
    "dynamodb:DescribeContributorInsights",
    "dynamodb:UpdateContributorInsights",
    "dynamodb:DescribeKinesisStreamingDestination",
    "dynamodb:EnableKinesisStreamingDestination",
)
SCALABLE_TARGET = (
    "arn:aws:application-autoscaling:us-east-1:123456789012:"
    "scalable-target/0d2e9c3b0a1f4e5d8c7b6a5f4e3d2c1b0a9f"
)
DIMENSIONS = (
    "dynamodb:table:ReadCapacityUnits",
    "dynamodb:table:WriteCapacityUnits",
    "dynamodb:index:ReadCapacityUnits",
    "dynamodb:index:WriteCapacityUnits",
)
ALARM = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:"
LINKED_ROLES = {
    "dynamodb.application-autoscaling.amazonaws.com": "AWSServiceRoleForApplicationAutoScaling_DynamoDBTable",
    "contributorinsights.dynamodb.amazonaws.com": "AWSServiceRoleForDynamoDBCloudWatchContributorInsights",
    "kinesisreplication.dynamodb.amazonaws.com": "AWSServiceRoleForDynamoDBKinesisDataStreamsReplication",
}


def scaling(dimension: str, namespace: str = "dynamodb") -> dict[str, str]:
    return {
        "application-autoscaling:service-namespace": namespace,
        "application-autoscaling:scalable-dimension": dimension,
    }


def linked_role(service: str) -> str:
    return f"arn:aws:iam::123456789012:role/aws-service-role/{service}/{LINKED_ROLES[service]}"


NEW_COPY_VARIABLES = (
    "COPY_TABLE_CLASS",
    "COPY_ON_DEMAND_THROUGHPUT",
    "COPY_WARM_THROUGHPUT",
    "COPY_PITR_PERIOD",
    "COPY_RESOURCE_POLICY",
    "COPY_AUTO_SCALING",
    "COPY_CONTRIBUTOR_INSIGHTS",
    "COPY_KINESIS_STREAM_ARN",
    "COPY_BEST_EFFORT",
)
NEW_RESTORE_VARIABLES = (
    "RESTORE_GLOBAL_SECONDARY_INDEXES",
    "RESTORE_LOCAL_SECONDARY_INDEXES",
    "RESTORE_INDEX_CAPACITY",
)
SCALING_ACTIONS = (
    "application-autoscaling:RegisterScalableTarget",
    "application-autoscaling:PutScalingPolicy",
    "application-autoscaling:DeregisterScalableTarget",
    "application-autoscaling:DescribeScalableTargets",
    "application-autoscaling:DescribeScalingPolicies",
)
ALARM_ACTIONS = (
    "cloudwatch:PutMetricAlarm",
    "cloudwatch:DescribeAlarms",
    "cloudwatch:DeleteAlarms",
)
COPY_ALARM = ALARM + "TargetTracking-table/Orders-staging-20240827-09-20-00-AlarmHigh-03b775c2"


def test_copy_and_restore_settings_reach_the_functions_as_json(make_emulator: Any) -> None:
    functions = make_emulator(EVERY_COPY_SETTING).rendering.functions
    configure = functions["configure"].environment
    # each input as Terraform holds it: optional attributes left out are null, from_source
    # false
    assert {name: json.loads(configure[name]) for name in NEW_COPY_VARIABLES} == {
        "COPY_TABLE_CLASS": "STANDARD_INFREQUENT_ACCESS",
        "COPY_ON_DEMAND_THROUGHPUT": {
            "from_source": False,
            "max_read_request_units": 100,
            "max_write_request_units": None,
        },
        "COPY_WARM_THROUGHPUT": {
            "from_source": False,
            "read_units_per_second": 13000,
            "write_units_per_second": None,
        },
        "COPY_PITR_PERIOD": {"from_source": False, "days": 7},
        "COPY_RESOURCE_POLICY": {"from_source": False, "policy": COPY_POLICY},
        "COPY_AUTO_SCALING": {
            "from_source": False,
            "min_capacity": 1,
            "max_capacity": 20,
            "target_utilization": 70,
        },
        "COPY_CONTRIBUTOR_INSIGHTS": "ENABLED",
        "COPY_KINESIS_STREAM_ARN": STREAM,
        "COPY_BEST_EFFORT": ["kinesis_stream_arn", "local_secondary_indexes"],
    }
    for key in ("start_restore", "configure"):
        environment = functions[key].environment
        assert {name: json.loads(environment[name]) for name in NEW_RESTORE_VARIABLES} == {
            "RESTORE_GLOBAL_SECONDARY_INDEXES": ["by*"],
            "RESTORE_LOCAL_SECONDARY_INDEXES": ["byDate"],
            "RESTORE_INDEX_CAPACITY": {"by*": {"read_capacity": 2, "write_capacity": 3}},
        }, key


def test_copy_settings_as_the_source_reach_configure(make_emulator: Any) -> None:
    configure = make_emulator(AS_THE_SOURCE).rendering.functions["configure"].environment
    assert configure["COPY_TABLE_CLASS"] == '"SOURCE"'
    assert configure["COPY_CONTRIBUTOR_INSIGHTS"] == '"SOURCE"'
    for name in NEW_COPY_VARIABLES[1:6]:
        assert json.loads(configure[name])["from_source"] is True, name
    assert (configure["COPY_KINESIS_STREAM_ARN"], configure["COPY_BEST_EFFORT"]) == ("null", "[]")


def test_with_every_new_setting_off_no_role_gets_their_permissions(emulator: Emulator) -> None:
    functions = emulator.rendering.functions
    assert {name: functions["configure"].environment[name] for name in NEW_COPY_VARIABLES} == {
        **dict.fromkeys(NEW_COPY_VARIABLES, "null"),
        "COPY_BEST_EFFORT": "[]",
    }
    for key in ("start_restore", "configure"):
        assert {functions[key].environment[name] for name in NEW_RESTORE_VARIABLES} == {"null"}
    for role, documents in policies(emulator).items():
        for action in (*COPY_ACTIONS, "kinesis:PutRecords", "kinesis:ListStreams"):
            for resource in (COPY_TABLE, COPY_TABLE + "/index/byTotal", STREAM, "*"):
                assert evaluate(documents, action, resource) != ALLOWED, (role, action, resource)
        for action in SCALING_ACTIONS:
            for resource in (SCALABLE_TARGET, "*"):
                verdict = evaluate(documents, action, resource, scaling(DIMENSIONS[0]))
                assert verdict != ALLOWED, (role, action)
        for action in ALARM_ACTIONS:
            assert evaluate(documents, action, COPY_ALARM) != ALLOWED, (role, action)
        for service in LINKED_ROLES:
            named = {"iam:AWSServiceName": service}
            verdict = evaluate(
                documents, "iam:CreateServiceLinkedRole", linked_role(service), named
            )
            assert verdict != ALLOWED, (role, service)


def test_each_copy_setting_may_change_the_copies_only(make_emulator: Any) -> None:
    configure = policies(make_emulator(EVERY_COPY_SETTING))["configure"]
    for action in COPY_ACTIONS:
        assert evaluate(configure, action, COPY_TABLE) == ALLOWED, action
        assert evaluate(configure, action, SOURCE_TABLE) == IMPLICITLY_DENIED, action
    for action in ("dynamodb:DescribeContributorInsights", "dynamodb:UpdateContributorInsights"):
        assert evaluate(configure, action, COPY_TABLE + "/index/byTotal") == ALLOWED, action
        assert evaluate(configure, action, SOURCE_TABLE + "/index/byTotal") != ALLOWED, action
    # values of their own read nothing of the source (no from_source)
    for action in (
        "dynamodb:DescribeTable",
        "dynamodb:DescribeContinuousBackups",
        "dynamodb:GetResourcePolicy",
        "dynamodb:DescribeContributorInsights",
    ):
        assert evaluate(configure, action, SOURCE_TABLE) == IMPLICITLY_DENIED, action


def test_settings_as_the_source_read_the_source_tables_metadata_only(
    make_emulator: Any,
) -> None:
    configure = policies(make_emulator(AS_THE_SOURCE))["configure"]
    for action in (
        "dynamodb:DescribeTable",
        "dynamodb:DescribeContinuousBackups",
        "dynamodb:GetResourcePolicy",
        "dynamodb:DescribeContributorInsights",
    ):
        assert evaluate(configure, action, SOURCE_TABLE) == ALLOWED, action
    index = SOURCE_TABLE + "/index/byTotal"
    assert evaluate(configure, "dynamodb:DescribeContributorInsights", index) == ALLOWED
    for action in COPY_ACTIONS:
        if action not in ("dynamodb:GetResourcePolicy", "dynamodb:DescribeContributorInsights"):
            assert evaluate(configure, action, SOURCE_TABLE) == IMPLICITLY_DENIED, action
            assert evaluate(configure, action, COPY_TABLE) == (
                IMPLICITLY_DENIED if "Kinesis" in action else ALLOWED
            ), action
    assert evaluate(configure, "dynamodb:UpdateContributorInsights", index) != ALLOWED
    # no stream given: neither Kinesis nor its service-linked role
    kinesis = "kinesisreplication.dynamodb.amazonaws.com"
    named = {"iam:AWSServiceName": kinesis}
    verdict = evaluate(configure, "iam:CreateServiceLinkedRole", linked_role(kinesis), named)
    assert verdict == IMPLICITLY_DENIED
    assert evaluate(configure, "kinesis:PutRecords", STREAM) == IMPLICITLY_DENIED


def test_auto_scaling_registers_dynamodb_targets_only_and_cleanup_deregisters_them(
    make_emulator: Any,
) -> None:
    rendered = policies(make_emulator(EVERY_COPY_SETTING))
    configure, cleanup_role = rendered["configure"], rendered["cleanup"]
    register, put_policy, deregister = SCALING_ACTIONS[:3]
    for dimension in DIMENSIONS:
        for action in (register, put_policy):
            assert evaluate(configure, action, SCALABLE_TARGET, scaling(dimension)) == ALLOWED
            assert evaluate(cleanup_role, action, SCALABLE_TARGET, scaling(dimension)) != ALLOWED
        assert evaluate(cleanup_role, deregister, SCALABLE_TARGET, scaling(dimension)) == ALLOWED
        assert evaluate(configure, deregister, SCALABLE_TARGET, scaling(dimension)) != ALLOWED
    ecs = scaling("ecs:service:DesiredCount", namespace="ecs")
    other_account = SCALABLE_TARGET.replace("123456789012", "210987654321")
    for documents, action in ((configure, register), (cleanup_role, deregister)):
        assert evaluate(documents, action, SCALABLE_TARGET, ecs) != ALLOWED, action
        assert evaluate(documents, action, SCALABLE_TARGET) != ALLOWED, action  # no context
        assert evaluate(documents, action, other_account, scaling(DIMENSIONS[0])) != ALLOWED
        assert evaluate(documents, SCALING_ACTIONS[3], "*") == ALLOWED
    assert evaluate(configure, SCALING_ACTIONS[4], "*") == ALLOWED
    for role, documents in rendered.items():
        if role not in ("configure", "cleanup"):
            for action in SCALING_ACTIONS:
                verdict = evaluate(documents, action, SCALABLE_TARGET, scaling(DIMENSIONS[0]))
                assert verdict != ALLOWED, (role, action)


def test_cleanup_without_auto_scaling_may_not_deregister_scalable_targets(
    make_emulator: Any,
) -> None:
    cleanup_role = policies(make_emulator(CLEANING_UP))["cleanup"]
    for action in SCALING_ACTIONS:
        for resource in (SCALABLE_TARGET, "*"):
            verdict = evaluate(cleanup_role, action, resource, scaling(DIMENSIONS[0]))
            assert verdict == IMPLICITLY_DENIED, action


def test_auto_scaling_may_manage_the_copies_target_tracking_alarms_only(
    make_emulator: Any,
) -> None:
    configure = policies(make_emulator(EVERY_COPY_SETTING))["configure"]
    suffix = "-AlarmHigh-03b775c2-ea43-4b01-abe4-2bb1f7c71b30"
    ours = (
        f"{ALARM}TargetTracking-table/Orders-staging-20240827-09-20-00{suffix}",
        f"{ALARM}TargetTracking-table/Orders-staging-20240827-09-20-00/index/byTotal{suffix}",
    )
    theirs = (
        f"{ALARM}TargetTracking-table/Orders-Production{suffix}",
        f"{ALARM}TargetTracking-table/Orders-Production/index/byTotal{suffix}",
        f"{ALARM}Orders-staging-20240827-09-20-00-throttles",
        ours[0].replace("123456789012", "210987654321"),
    )
    for action in ALARM_ACTIONS:
        for alarm in ours:
            assert evaluate(configure, action, alarm) == ALLOWED, (action, alarm)
        for alarm in theirs:
            assert evaluate(configure, action, alarm) == IMPLICITLY_DENIED, (action, alarm)


def test_service_linked_roles_may_be_created_for_the_settings_services_only(
    make_emulator: Any,
) -> None:
    rendered = policies(make_emulator(EVERY_COPY_SETTING))
    configure = rendered["configure"]
    create = "iam:CreateServiceLinkedRole"
    for service in LINKED_ROLES:
        named = {"iam:AWSServiceName": service}
        assert evaluate(configure, create, linked_role(service), named) == ALLOWED, service
        assert evaluate(configure, create, linked_role(service)) != ALLOWED, service
        other = {"iam:AWSServiceName": "ecs.application-autoscaling.amazonaws.com"}
        assert evaluate(configure, create, linked_role(service), other) != ALLOWED, service
        assert evaluate(configure, "iam:PassRole", linked_role(service), named) != ALLOWED
        for role, documents in rendered.items():
            if role != "configure":
                assert evaluate(documents, create, linked_role(service), named) != ALLOWED, role
    named = {"iam:AWSServiceName": next(iter(LINKED_ROLES))}
    admin = "arn:aws:iam::123456789012:role/Admin"
    assert evaluate(configure, create, admin, named) != ALLOWED


def test_the_copies_changes_go_to_the_given_stream_only(make_emulator: Any) -> None:
    configure = policies(make_emulator(EVERY_COPY_SETTING))["configure"]
    for action in ("kinesis:PutRecords", "kinesis:DescribeStream", "kinesis:DescribeStreamSummary"):
        assert evaluate(configure, action, STREAM) == ALLOWED, action
        for other in (STREAM + "-2", STREAM.replace("staging", "production")):
            assert evaluate(configure, action, other) == IMPLICITLY_DENIED, (action, other)
    assert evaluate(configure, "kinesis:ListStreams", "*") == ALLOWED
    for action in ("kinesis:GetRecords", "kinesis:DeleteStream", "kinesis:PutRecord"):
        assert evaluate(configure, action, STREAM) == IMPLICITLY_DENIED, action


@pytest.mark.parametrize("settings", [EVERY_COPY_SETTING, AS_THE_SOURCE])
def test_no_role_may_change_a_table_that_is_not_a_copy_with_the_settings_on(
    make_emulator: Any, settings: Settings
) -> None:
    changes = (
        *WRITES,
        "dynamodb:DeleteTable",
        "dynamodb:UpdateTable",
        "dynamodb:UpdateContinuousBackups",
        "dynamodb:PutResourcePolicy",
        "dynamodb:DeleteResourcePolicy",
        "dynamodb:UpdateContributorInsights",
        "dynamodb:EnableKinesisStreamingDestination",
        "dynamodb:DisableKinesisStreamingDestination",
    )
    for role, documents in policies(make_emulator(settings)).items():
        expected = DENIED if role == "restore_scope" else IMPLICITLY_DENIED
        for table in ("Orders-Production", "Orders-staging", "payments"):
            for action in changes:
                assert evaluate(documents, action, TABLE + table) == expected, (role, action)
