"""The workflow's Lambda steps, called directly against moto."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest

from rotator.errors import (
    ConfigurationError,
    CopyNotVerified,
    InvalidInput,
    InvalidTargetTableName,
    RestoreFailed,
    RestoreLimitExceeded,
    RestoreNotReady,
    RestoreTimedOut,
    TargetTableConflict,
    TransientAwsError,
)
from rotator.model import COPY_JOB, BackupJob, parse_time
from rotator.restore_options import updates_after_restore
from rotator.settings import RestoreSettings
from tests.emulator.harness import BUSY_TABLE, Emulator, Settings, vault_arn

# Module-level, so tests/conftest.py plans it with the rest.
NO_PARAMETER = Settings(ssm_parameter_name=None)
COPY = "Orders-staging-20240827-09-20-00"


def backup_of(emulator: Emulator, table: str = "Orders-Production") -> dict[str, Any]:
    """Create and back up ``table``; return the step input the trigger would build."""
    arn = emulator.create_source_table(table, items=5)
    return emulator.recorded_input(emulator.create_backup(table), arn)


def test_start_restore_restores_into_the_named_copy(emulator: Emulator) -> None:
    state = emulator.call("start_restore", backup_of(emulator))
    assert state["target_table_name"] == COPY
    assert state["target_table_arn"].endswith(f":table/{COPY}")
    assert (state["started_at"], state["deadline"]) == (
        "2024-08-27T09:40:00Z",
        "2024-08-28T09:40:00Z",  # the default restore timeout: 24 hours
    )
    assert set(state) == {"kind", "target_table_name", "target_table_arn", "started_at", "deadline"}
    assert emulator.item_count(COPY) == 5


def test_start_restore_accepts_a_copy_already_restored_from_the_same_backup(
    emulator: Emulator,
) -> None:
    step_input = backup_of(emulator)
    first = emulator.call("start_restore", step_input)
    again = emulator.call("start_restore", step_input)
    assert again["target_table_arn"] == first["target_table_arn"]


def test_start_restore_refuses_to_take_over_an_unrelated_table(emulator: Emulator) -> None:
    step_input = backup_of(emulator)
    emulator.create_source_table(COPY, items=1)
    with pytest.raises(
        TargetTableConflict,
        match=f"table {COPY} already exists, made by someone else before this rotation",
    ):
        emulator.call("start_restore", step_input)
    assert emulator.item_count(COPY) == 1
    # the ledger records the claim as failed: no later step may take the table for a copy
    entry = emulator.ledger_entry(COPY)
    assert entry is not None and (entry.state, entry.table_id) == ("failed", None)


def test_start_restore_refuses_an_invalid_name_before_calling_aws(emulator: Emulator) -> None:
    # variables.tf refuses "/" at plan time; a function edited outside Terraform:
    emulator.set_environment("start_restore", REPLACEMENT_PATTERN="/staging")
    with pytest.raises(InvalidTargetTableName, match="contains '/'"):
        emulator.call("start_restore", backup_of(emulator))
    assert emulator.table_names() == ["Orders-Production"]


def advanced_backup_of(emulator: Emulator, table: str = "Orders-Production") -> dict[str, Any]:
    arn = emulator.create_source_table(table, items=5)
    return emulator.recorded_input(emulator.create_recovery_point(table), arn)


def test_start_restore_starts_an_aws_backup_restore_job_with_the_restore_role(
    emulator: Emulator,
) -> None:
    step_input = advanced_backup_of(emulator)
    state = emulator.call("start_restore", step_input)
    [job] = emulator.recovery_points.jobs.values()
    assert state["restore_job_id"] == job.restore_job_id
    assert (job.target, job.recovery_point_arn) == (
        COPY,
        step_input["backup"]["recovery_point_arn"],
    )
    assert job.role_arn == emulator.environment("start_restore")["RESTORE_ROLE_ARN"]
    assert job.role_arn == "arn:aws:iam::123456789012:role/ddb-rotator-restore"
    assert state["target_table_arn"] == f"arn:aws:dynamodb:us-east-1:123456789012:table/{COPY}"


def test_a_repeated_start_gets_the_same_restore_job_back(emulator: Emulator) -> None:
    step_input = advanced_backup_of(emulator)
    first = emulator.call("start_restore", step_input)
    again = emulator.call("start_restore", step_input)
    assert again["restore_job_id"] == first["restore_job_id"]
    assert len(emulator.recovery_points.jobs) == 1


def test_without_a_restore_role_an_aws_backup_restore_is_a_configuration_error(
    emulator: Emulator,
) -> None:
    emulator.set_environment("start_restore", RESTORE_ROLE_ARN="")
    with pytest.raises(ConfigurationError, match="RESTORE_ROLE_ARN is not set"):
        emulator.call("start_restore", advanced_backup_of(emulator))


@pytest.mark.parametrize(
    ("code", "error"),
    [("ThrottlingException", TransientAwsError), ("LimitExceededException", RestoreLimitExceeded)],
)
def test_start_restore_reports_throttling_and_limits_as_retryable(
    emulator: Emulator, code: str, error: type[Exception]
) -> None:
    step_input = backup_of(emulator)
    emulator.inject_fault("RestoreTableFromBackup", code, times=5)
    with pytest.raises(error, match=f"RestoreTableFromBackup .* failed: {code}"):
        emulator.call("start_restore", step_input)


def test_steps_refuse_input_that_is_not_the_workflows(emulator: Emulator) -> None:
    with pytest.raises(
        InvalidInput, match="step input 'backup': expected the backup job as an object"
    ):
        emulator.call("start_restore", {"job_id": "x"})
    with pytest.raises(InvalidInput, match="step input 'restore'"):
        emulator.call("check_restore", {**backup_of(emulator), "restore": {"kind": "dynamodb"}})


def restored(emulator: Emulator) -> dict[str, Any]:
    step_input = backup_of(emulator)
    return {**step_input, "restore": emulator.call("start_restore", step_input)}


def configured(emulator: Emulator) -> dict[str, Any]:
    """Restored, and configured (its ledger entry ready), as Publish finds a copy."""
    state = restored(emulator)
    emulator.call("configure", state)
    return state


def test_check_restore_raises_not_ready_for_a_copy_still_restoring(make_emulator) -> None:
    emulator = make_emulator(restore_seconds=300)
    state = restored(emulator)
    emulator.clock.advance(60)
    with pytest.raises(RestoreNotReady, match=f"table {COPY} is CREATING after 60 s"):
        emulator.call("check_restore", state)


def test_check_restore_reports_a_ready_copy(emulator: Emulator) -> None:
    result = emulator.call("check_restore", restored(emulator))
    assert result == {"table_status": "ACTIVE", "ready_at": "2024-08-27T09:40:00Z"}


def test_check_restore_times_out_past_the_deadline(make_emulator) -> None:
    emulator = make_emulator(restore_seconds=10**6)
    state = restored(emulator)
    emulator.clock.advance(timedelta(hours=24).total_seconds())
    with pytest.raises(RestoreTimedOut, match=f"{COPY} is still CREATING after 86400 s"):
        emulator.call("check_restore", state)


def test_check_restore_fails_a_copy_that_will_not_become_usable(make_emulator) -> None:
    emulator = make_emulator(restore_end_status="INACCESSIBLE_ENCRYPTION_CREDENTIALS")
    with pytest.raises(RestoreFailed, match="is INACCESSIBLE_ENCRYPTION_CREDENTIALS"):
        emulator.call("check_restore", restored(emulator))


def test_check_restore_fails_when_the_copy_was_deleted(emulator: Emulator) -> None:
    state = restored(emulator)
    emulator.dynamodb.delete_table(TableName=COPY)
    with pytest.raises(RestoreFailed, match="no longer exists"):
        emulator.call("check_restore", state)


def test_publish_points_the_parameter_at_the_verified_copy(emulator: Emulator) -> None:
    state = configured(emulator)
    first = emulator.call("publish", state)
    second = emulator.call("publish", state)
    parameter = emulator.parameter()
    assert parameter["Value"] == state["restore"]["target_table_arn"] == first["table_arn"]
    assert parameter["Type"] == "String"
    assert (first["parameter_version"], second["parameter_version"]) == (1, 2)


def test_publish_without_a_parameter_only_verifies(make_emulator) -> None:
    emulator = make_emulator(NO_PARAMETER)
    result = emulator.call("publish", configured(emulator))
    assert (result["parameter_name"], result["parameter_version"]) == (None, None)
    assert emulator.ssm.describe_parameters()["Parameters"] == []


def test_publish_refuses_a_copy_configure_has_not_made_ready(emulator: Emulator) -> None:
    state = restored(emulator)
    with pytest.raises(CopyNotVerified, match="is restoring; it cannot become published"):
        emulator.call("publish", state)
    assert emulator.ledger_entry(COPY).state == "restoring"  # type: ignore[union-attr]


def test_publish_leaves_the_parameter_alone_when_the_copy_is_not_this_backups(
    emulator: Emulator,
) -> None:
    state = restored(emulator)
    emulator.ssm.put_parameter(Name="/staging/database-arn", Value="previous", Type="String")
    state["backup"]["recovery_point_arn"] = state["backup"]["recovery_point_arn"] + "0"
    with pytest.raises(
        CopyNotVerified, match=r"was restored from .*the parameter was left unchanged"
    ):
        emulator.call("publish", state)
    assert emulator.parameter()["Value"] == "previous"


def test_publish_leaves_the_parameter_alone_while_the_copy_is_loading(make_emulator) -> None:
    emulator = make_emulator(restore_seconds=300)
    with pytest.raises(CopyNotVerified, match="is CREATING, not ACTIVE"):
        emulator.call("publish", restored(emulator))
    assert emulator.ssm.describe_parameters()["Parameters"] == []


# -- restore settings ----------------------------------------------------------------

KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ON_DEMAND_CMK_NO_INDEXES = {
    "RESTORE_BILLING_MODE": "PAY_PER_REQUEST",
    "RESTORE_ENCRYPTION": "CUSTOMER_MANAGED",
    "RESTORE_KMS_KEY_ARN": KEY,
    "RESTORE_EXCLUDE_GLOBAL_SECONDARY_INDEXES": "true",
}


def busy_backup_of(emulator: Emulator, *, advanced: bool = False) -> dict[str, Any]:
    """A provisioned, indexed, KMS-encrypted table and the step input of its backup."""
    arn = emulator.create_source_table("Orders-Production", items=5, source=BUSY_TABLE)
    point = (
        emulator.create_recovery_point("Orders-Production")
        if advanced
        else emulator.create_backup("Orders-Production")
    )
    return emulator.recorded_input(point, arn)


def copy_of(emulator: Emulator) -> dict[str, Any]:
    return dict(emulator.dynamodb.describe_table(TableName=COPY)["Table"])


def test_without_restore_settings_the_copy_is_restored_as_the_backup_was(
    emulator: Emulator,
) -> None:
    emulator.call("start_restore", busy_backup_of(emulator))
    copy = copy_of(emulator)
    assert copy["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
    assert copy["ProvisionedThroughput"]["ReadCapacityUnits"] == 400
    assert [index["IndexName"] for index in copy["GlobalSecondaryIndexes"]] == ["byTotal"]
    assert copy["SSEDescription"]["SSEType"] == "KMS"


def test_a_classic_restore_applies_every_restore_setting_at_restore_time(
    emulator: Emulator,
) -> None:
    emulator.set_environment("start_restore", **ON_DEMAND_CMK_NO_INDEXES)
    emulator.call("start_restore", busy_backup_of(emulator))
    copy = copy_of(emulator)
    assert copy["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert copy["GlobalSecondaryIndexes"] == []
    assert (copy["SSEDescription"]["SSEType"], copy["SSEDescription"]["KMSMasterKeyArn"]) == (
        "KMS",
        KEY,
    )
    assert emulator.item_count(COPY) == 5
    options = RestoreSettings.from_env(emulator.environment("start_restore")).restore_options
    assert updates_after_restore(copy, options) == []  # nothing left for after


def test_a_classic_restore_can_give_the_copy_its_own_capacity_and_the_aws_owned_key(
    emulator: Emulator,
) -> None:
    emulator.set_environment(
        "start_restore",
        RESTORE_BILLING_MODE="PROVISIONED",
        RESTORE_READ_CAPACITY="3",
        RESTORE_WRITE_CAPACITY="4",
        RESTORE_ENCRYPTION="AWS_OWNED",
    )
    emulator.call("start_restore", busy_backup_of(emulator))
    copy = copy_of(emulator)
    assert copy["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
    throughput = copy["ProvisionedThroughput"]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (3, 4)
    assert "SSEDescription" not in copy  # DynamoDB's own key
    assert [index["IndexName"] for index in copy["GlobalSecondaryIndexes"]] == ["byTotal"]


def test_an_aws_backup_restore_names_the_key_and_leaves_the_rest_for_update_table(
    emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    emulator.set_environment("start_restore", **ON_DEMAND_CMK_NO_INDEXES)
    step_input = busy_backup_of(emulator, advanced=True)
    with caplog.at_level(logging.INFO, logger="rotator"):
        state = emulator.call("start_restore", step_input)
    job = emulator.recovery_points.jobs[state["restore_job_id"]]
    assert job.metadata == {
        "targetTableName": COPY,
        "encryptionType": "KMS",
        "kmsMasterKeyArn": KEY,
    }
    assert (
        "StartRestoreJob cannot set billing_mode, exclude_global_secondary_indexes: "
        f"{COPY} is restored with the backup's"
    ) in caplog.text
    emulator.call("check_restore", {**step_input, "restore": state})  # the job completes
    copy = copy_of(emulator)
    assert copy["SSEDescription"]["KMSMasterKeyArn"] == KEY
    # what StartRestoreJob cannot set is the backup's, until UpdateTable changes it
    assert copy["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
    assert [index["IndexName"] for index in copy["GlobalSecondaryIndexes"]] == ["byTotal"]
    options = RestoreSettings.from_env(emulator.environment("start_restore")).restore_options
    requests = updates_after_restore(copy, options)
    assert requests == [
        {"TableName": COPY, "GlobalSecondaryIndexUpdates": [{"Delete": {"IndexName": "byTotal"}}]},
        {"TableName": COPY, "BillingMode": "PAY_PER_REQUEST"},
    ]
    for request in requests:
        emulator.dynamodb.update_table(**request)
    updated = copy_of(emulator)
    assert updated["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert updated["GlobalSecondaryIndexes"] == []
    assert updates_after_restore(updated, options) == []


def test_an_aws_backup_restore_of_this_regions_table_leaves_the_encryption_unnamed(
    emulator: Emulator,
) -> None:
    state = emulator.call("start_restore", advanced_backup_of(emulator))
    job = emulator.recovery_points.jobs[state["restore_job_id"]]
    assert job.metadata == {"targetTableName": COPY}


def test_an_aws_backup_restore_of_a_copy_from_another_region_names_the_aws_owned_key(
    emulator: Emulator,
) -> None:
    # the recovery point was copied here from the table's Region, eu-west-1, as AWS
    # Backup's copy job records it
    arn = emulator.create_source_table("Orders-Production", items=5)
    there = arn.replace(":us-east-1:", ":eu-west-1:")
    source = emulator.recovery_points.backup_job(
        "source-job",
        there,
        emulator.create_recovery_point("Orders-Production"),
        vault_arn("Default"),
        parse_time("2024-08-27T09:20:00Z"),
    )
    copy = emulator.copy_job(source)
    step_input = {
        "backup": BackupJob(
            copy.job_id, copy.recovery_point, there, source.created, COPY_JOB, "staging-copies"
        ).to_dict()
    }
    emulator.set_environment("start_restore", RESTORE_COPIES="true")
    state = emulator.call("start_restore", step_input)
    job = emulator.recovery_points.jobs[state["restore_job_id"]]
    assert job.metadata == {"targetTableName": COPY, "encryptionType": "Default"}
