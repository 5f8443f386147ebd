"""AWS's records of a job against what its event claims (``rotator.sources.lookups``).

The answers are shaped as botocore returns them (``CreationDate`` an aware datetime),
then bent one field at a time: the record decides, a claim that contradicts it is
rejected naming the field that disagreed, and an answer that lacks a fact is rejected
too. No event is trusted: every job is looked up.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from rotator.model import BACKUP_JOB, COPY_JOB, ArnLocation, BackupJob
from rotator.sources.claims import Ignored, Pending
from rotator.sources.lookups import (
    DESCRIBE_BACKUP_JOB,
    DESCRIBE_COPY_JOB,
    DESCRIBE_RECOVERY_POINT,
    after_backup_job,
    after_copy_job,
    after_dynamodb_backup,
    after_recovery_point,
    elsewhere,
    lookup,
    same_second,
)

ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"
TABLE = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/Orders-Production"
OTHER_TABLE = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/Users-Production"
CLASSIC_RP = TABLE + "/backup/01724750400000-a1b2c3d4"
ADVANCED_RP = f"arn:aws:backup:us-east-1:{ACCOUNT}:recovery-point:1EB3B5E7-9EB0-435A-A80B"
COPY_RP = f"arn:aws:backup:us-east-1:{ACCOUNT}:recovery-point:C0PY-0000-4000-8000"
VAULT_ARN = f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-vault:staging-copies"
JOB = "8F4E1A2B-3C4D-5E6F-7A8B-9C0D1E2F3A4B"
OTHER_JOB = "0BADF00D-0000-4000-8000-000000000000"
COPY = "C0FFEE00-1111-4222-8333-444455556666"
IDS = {"event_id": "710b0a4e"}
CREATED = datetime(2024, 8, 27, 9, 40, tzinfo=UTC)
HERE = ArnLocation("aws", "us-east-1", ACCOUNT)


def pending_backup(**fields: Any) -> Pending:
    """An EventBridge backup job that claims nothing but its id, unless told."""
    return replace(Pending(BACKUP_JOB, JOB, "eventbridge", details=IDS), **fields)


def pending_copy(**fields: Any) -> Pending:
    return replace(Pending(COPY_JOB, COPY, "eventbridge", details=IDS), **fields)


def ignored(
    reason: str, relevant: bool = True, job_id: str = JOB, field: str | None = None
) -> Ignored:
    """A rejection as lookups makes it; ``field`` names the fact that disagreed."""
    details: dict[str, Any] = {**IDS, "job_id": job_id}
    if field is not None:
        details["field"] = field
    return Ignored(reason, relevant, details)


def backup_answer(**fields: Any) -> dict[str, Any]:
    """DescribeBackupJob's answer for JOB; ``None`` deletes a field."""
    answer: dict[str, Any] = {
        "AccountId": ACCOUNT,
        "BackupJobId": JOB,
        "BackupVaultName": "Default",
        "BackupVaultArn": f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-vault:Default",
        "RecoveryPointArn": ADVANCED_RP,
        "ResourceArn": TABLE,
        "ResourceType": "DynamoDB",
        "State": "COMPLETED",
        "CreationDate": CREATED,
        "CompletionDate": CREATED + timedelta(minutes=16),
    }
    return _apply(answer, fields)


def copy_answer(**fields: Any) -> dict[str, Any]:
    """DescribeCopyJob's answer for COPY."""
    job: dict[str, Any] = {
        "AccountId": ACCOUNT,
        "CopyJobId": COPY,
        "SourceRecoveryPointArn": ADVANCED_RP,
        "DestinationBackupVaultArn": VAULT_ARN,
        "DestinationRecoveryPointArn": COPY_RP,
        "ResourceArn": TABLE,
        "ResourceType": "DynamoDB",
        "State": "COMPLETED",
        "CreationDate": CREATED + timedelta(hours=1),
    }
    return {"CopyJob": _apply(job, fields)}


def point_answer(**fields: Any) -> dict[str, Any]:
    """DescribeRecoveryPoint's answer for COPY_RP: it keeps the source's CreationDate."""
    answer: dict[str, Any] = {
        "RecoveryPointArn": COPY_RP,
        "BackupVaultName": "staging-copies",
        "ResourceArn": TABLE,
        "ResourceType": "DynamoDB",
        "Status": "COMPLETED",
        "CreationDate": CREATED,
    }
    return _apply(answer, fields)


def dynamodb_backup_answer(**fields: Any) -> dict[str, Any]:
    """DynamoDB DescribeBackup's answer for CLASSIC_RP; ``fields`` bend BackupDetails,
    ``TableArn`` bends SourceTableDetails."""
    details: dict[str, Any] = {
        "BackupArn": CLASSIC_RP,
        "BackupName": "nightly",
        "BackupSizeBytes": 1024,
        "BackupStatus": "AVAILABLE",
        "BackupType": "USER",
        "BackupCreationDateTime": CREATED,
    }
    table: dict[str, Any] = {
        "TableName": "Orders-Production",
        "TableArn": TABLE,
        "TableId": "e5d4c3b2-0000-4000-8000-000000000000",
    }
    if "TableArn" in fields:
        _apply(table, {"TableArn": fields.pop("TableArn")})
    return {
        "BackupDescription": {
            "BackupDetails": _apply(details, fields),
            "SourceTableDetails": table,
        }
    }


def _apply(answer: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    for name, value in fields.items():
        if value is None:
            answer.pop(name, None)
        else:
            answer[name] = value
    return answer


# -- lookup: which call --------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"resource_arn": TABLE, "recovery_point_arn": ADVANCED_RP, "started_at": CREATED},
        {"resource_arn": TABLE, "recovery_point_arn": ADVANCED_RP, "vault_name": "Default"},
        {"resource_arn": TABLE, "recovery_point_arn": ADVANCED_RP, "confirmed": True},
    ],
)
def test_a_backup_job_is_always_looked_up_with_describe_backup_job(fields: dict[str, Any]) -> None:
    assert lookup(pending_backup(**fields)) == DESCRIBE_BACKUP_JOB == "DescribeBackupJob"


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"resource_arn": TABLE, "recovery_point_arn": COPY_RP},  # no vault
        {"resource_arn": TABLE, "vault_name": "staging-copies"},  # no recovery point
        {"recovery_point_arn": COPY_RP, "vault_name": "staging-copies"},  # no table
        # an event that claims everything is still not trusted
        {"resource_arn": TABLE, "recovery_point_arn": COPY_RP, "vault_name": "staging-copies"},
        {
            "resource_arn": TABLE,
            "recovery_point_arn": COPY_RP,
            "vault_name": "staging-copies",
            "started_at": CREATED,
        },
    ],
)
def test_an_unconfirmed_copy_asks_describe_copy_job_whatever_its_event_claims(
    fields: dict[str, Any],
) -> None:
    assert lookup(pending_copy(**fields)) == DESCRIBE_COPY_JOB == "DescribeCopyJob"


def test_a_copy_confirmed_by_describe_copy_job_asks_describe_recovery_point() -> None:
    job = pending_copy(
        resource_arn=TABLE, recovery_point_arn=COPY_RP, vault_name="staging-copies", confirmed=True
    )
    assert lookup(job) == DESCRIBE_RECOVERY_POINT == "DescribeRecoveryPoint"
    assert lookup(replace(job, confirmed=False)) == DESCRIBE_COPY_JOB


# -- same_second ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (CREATED, CREATED, True),
        (CREATED, CREATED + timedelta(milliseconds=999), True),
        (CREATED + timedelta(milliseconds=1), CREATED + timedelta(milliseconds=998), True),
        (CREATED, CREATED.astimezone(timezone(timedelta(hours=2))), True),
        (CREATED, CREATED - timedelta(microseconds=1), False),  # the second before
        (CREATED, CREATED + timedelta(seconds=1), False),
        (CREATED, CREATED + timedelta(hours=2), False),
    ],
)
def test_same_second_compares_times_to_the_second_in_utc(
    a: datetime, b: datetime, same: bool
) -> None:
    assert same_second(a, b) is same and same_second(b, a) is same


# -- DescribeBackupJob -------------------------------------------------------------------


def test_describe_backup_job_completes_a_job_that_claimed_only_its_id() -> None:
    assert after_backup_job(pending_backup(), backup_answer()) == BackupJob(
        JOB, ADVANCED_RP, TABLE, CREATED, BACKUP_JOB, "Default"
    )


def test_claims_aws_backup_agrees_with_are_confirmed() -> None:
    job = pending_backup(resource_arn=TABLE, recovery_point_arn=ADVANCED_RP, started_at=CREATED)
    assert after_backup_job(job, backup_answer()) == BackupJob(
        JOB, ADVANCED_RP, TABLE, CREATED, BACKUP_JOB, "Default"
    )


def test_the_records_creation_date_wins_and_a_start_it_contradicts_is_rejected() -> None:
    started = datetime(2024, 8, 27, 9, 39, 59, tzinfo=UTC)
    found = after_backup_job(pending_backup(started_at=started), backup_answer())
    assert found == ignored(
        "the event's start time 2024-08-27T09:39:59Z differs from AWS Backup's CreationDate "
        "2024-08-27T09:40:00Z",
        field="CreationDate",
    )


@pytest.mark.parametrize(
    "started",
    [
        CREATED + timedelta(hours=1),
        CREATED - timedelta(days=1),
        CREATED + timedelta(seconds=1),
        CREATED - timedelta(milliseconds=1),  # 09:39:59.999: another second
    ],
)
def test_a_claimed_start_in_another_second_is_rejected(started: datetime) -> None:
    found = after_backup_job(pending_backup(started_at=started), backup_answer())
    assert isinstance(found, Ignored) and found.relevant is True
    assert found.details["field"] == "CreationDate"
    assert "differs from AWS Backup's CreationDate 2024-08-27T09:40:00Z" in found.reason


@pytest.mark.parametrize(
    ("claimed", "recorded"),
    [
        (CREATED + timedelta(milliseconds=250), CREATED),  # SNS StartTime with milliseconds
        (CREATED, CREATED + timedelta(milliseconds=999)),  # the record with milliseconds
        (CREATED + timedelta(milliseconds=1), CREATED + timedelta(milliseconds=500)),
        (CREATED.astimezone(timezone(timedelta(hours=-5))), CREATED + timedelta(milliseconds=7)),
    ],
)
def test_a_claim_in_the_same_second_is_accepted_and_the_records_time_kept(
    claimed: datetime, recorded: datetime
) -> None:
    found = after_backup_job(
        pending_backup(started_at=claimed), backup_answer(CreationDate=recorded)
    )
    assert isinstance(found, BackupJob)
    assert found.started_at == recorded and found.started_at.microsecond == recorded.microsecond


@pytest.mark.parametrize("started", [None, CREATED])
@pytest.mark.parametrize(
    "created",
    [
        datetime(2024, 8, 27, 9, 40),  # naive: botocore never gives one
        "2024-08-27T09:40:00Z",  # text, not a datetime
        1724751600.0,  # the wire's epoch seconds, unparsed
        None,  # missing
    ],
)
def test_an_answer_without_an_aware_creation_date_is_rejected_whatever_was_claimed(
    created: Any, started: datetime | None
) -> None:
    # a claimed start does not stand in for the record's: the time is always the record's
    found = after_backup_job(
        pending_backup(started_at=started), backup_answer(CreationDate=created)
    )
    assert found == ignored("AWS Backup's answer has no CreationDate time", field="CreationDate")


def test_an_aware_creation_date_in_another_zone_is_used_as_is() -> None:
    created = datetime(2024, 8, 27, 11, 40, tzinfo=timezone(timedelta(hours=2)))
    found = after_backup_job(pending_backup(), backup_answer(CreationDate=created))
    assert isinstance(found, BackupJob) and found.started_at == CREATED


@pytest.mark.parametrize(
    ("state", "said"),
    [
        ("RUNNING", "RUNNING"),
        ("FAILED", "FAILED"),
        ("ABORTED", "ABORTED"),
        ("EXPIRED", "EXPIRED"),
        ("PARTIAL", "PARTIAL"),
        ("completed", "completed"),
        ("", ""),
        (None, "None"),
    ],
)
def test_aws_backup_saying_the_job_did_not_complete_rejects_it(state: Any, said: str) -> None:
    assert after_backup_job(pending_backup(), backup_answer(State=state)) == ignored(
        f"AWS Backup says backup job {JOB} is {said}, not COMPLETED", field="state"
    )


@pytest.mark.parametrize(
    ("kind", "said"), [("RDS", "RDS"), ("dynamodb", "dynamodb"), (None, "None")]
)
def test_a_job_of_another_resource_type_is_skipped(kind: Any, said: str) -> None:
    assert after_backup_job(pending_backup(), backup_answer(ResourceType=kind)) == ignored(
        f"backup job {JOB} backs up {said}, not DynamoDB", relevant=False
    )


def test_the_state_is_checked_before_the_resource_type() -> None:
    found = after_backup_job(pending_backup(), backup_answer(State="FAILED", ResourceType="RDS"))
    assert found == ignored(
        f"AWS Backup says backup job {JOB} is FAILED, not COMPLETED", field="state"
    )


def test_a_record_of_another_backup_job_is_rejected() -> None:
    found = after_backup_job(pending_backup(), backup_answer(BackupJobId=OTHER_JOB))
    assert found == ignored(
        f"AWS Backup answered for backup job {OTHER_JOB}, not {JOB}", field="job id"
    )


def test_the_job_id_is_checked_before_anything_else() -> None:
    answer = backup_answer(BackupJobId=OTHER_JOB, State="FAILED", ResourceArn=OTHER_TABLE)
    found = after_backup_job(pending_backup(resource_arn=TABLE), answer)
    assert isinstance(found, Ignored) and found.details["field"] == "job id"


def test_a_record_that_names_no_job_id_is_read_as_the_jobs() -> None:
    found = after_backup_job(pending_backup(), backup_answer(BackupJobId=None))
    assert isinstance(found, BackupJob) and found.job_id == JOB


@pytest.mark.parametrize("value", [None, "", 42, [TABLE]])
def test_an_answer_without_the_resource_arn_is_rejected(value: Any) -> None:
    found = after_backup_job(pending_backup(), backup_answer(ResourceArn=value))
    assert found == ignored("AWS Backup's answer has no resource ARN", field="resource ARN")


@pytest.mark.parametrize("value", [None, "", 42])
def test_an_answer_without_the_recovery_point_arn_is_rejected(value: Any) -> None:
    found = after_backup_job(pending_backup(), backup_answer(RecoveryPointArn=value))
    assert found == ignored(
        "AWS Backup's answer has no recovery point ARN", field="recovery point ARN"
    )


def test_an_event_whose_table_aws_backup_contradicts_is_rejected() -> None:
    found = after_backup_job(pending_backup(resource_arn=OTHER_TABLE), backup_answer())
    assert found == ignored(
        f"the event's resource ARN {OTHER_TABLE} differs from AWS Backup's {TABLE}",
        field="resource ARN",
    )


def test_an_event_whose_recovery_point_aws_backup_contradicts_is_rejected() -> None:
    found = after_backup_job(pending_backup(recovery_point_arn=CLASSIC_RP), backup_answer())
    assert found == ignored(
        f"the event's recovery point ARN {CLASSIC_RP} differs from AWS Backup's {ADVANCED_RP}",
        field="recovery point ARN",
    )


@pytest.mark.parametrize(
    ("origin", "said_by"),
    [
        ("sns", "the notification's"),
        ("eventbridge", "the event's"),
        ("execution input", "the execution input's"),
    ],
)
def test_a_rejection_says_who_made_the_claim(origin: str, said_by: str) -> None:
    job = pending_backup(origin=origin, resource_arn=OTHER_TABLE)
    found = after_backup_job(job, backup_answer())
    assert found == ignored(
        f"{said_by} resource ARN {OTHER_TABLE} differs from AWS Backup's {TABLE}",
        field="resource ARN",
    )
    late = pending_backup(origin=origin, started_at=CREATED + timedelta(seconds=5))
    found = after_backup_job(late, backup_answer())
    assert isinstance(found, Ignored)
    assert found.reason.startswith(f"{said_by} start time 2024-08-27T09:40:05Z differs")


def test_the_table_is_compared_first_then_the_recovery_point_then_the_time() -> None:
    late = CREATED + timedelta(minutes=1)
    both = pending_backup(resource_arn=OTHER_TABLE, recovery_point_arn=CLASSIC_RP, started_at=late)
    found = after_backup_job(both, backup_answer())
    assert isinstance(found, Ignored) and found.details["field"] == "resource ARN"
    point = pending_backup(recovery_point_arn=CLASSIC_RP, started_at=late)
    found = after_backup_job(point, backup_answer())
    assert isinstance(found, Ignored) and found.details["field"] == "recovery point ARN"
    found = after_backup_job(pending_backup(started_at=late), backup_answer())
    assert isinstance(found, Ignored) and found.details["field"] == "CreationDate"


def test_a_missing_answer_field_is_reported_even_if_the_event_had_it() -> None:
    found = after_backup_job(pending_backup(resource_arn=TABLE), backup_answer(ResourceArn=None))
    assert found == ignored("AWS Backup's answer has no resource ARN", field="resource ARN")


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        (
            {"RecoveryPointArn": "arn:aws:s3:::bucket"},
            "recovery point ARN 'arn:aws:s3:::bucket' is neither a DynamoDB backup",
        ),
        (
            {"ResourceArn": "arn:aws:rds:us-east-1:123456789012:db:orders"},
            "source table ARN 'arn:aws:rds:us-east-1:123456789012:db:orders' is not a DynamoDB table",
        ),
    ],
)
def test_an_answer_that_makes_no_valid_job_is_rejected(fields: dict[str, Any], reason: str) -> None:
    found = after_backup_job(pending_backup(), backup_answer(**fields))
    assert isinstance(found, Ignored) and found.relevant is True
    assert found.reason.startswith(reason)
    assert found.details == {**IDS, "job_id": JOB}


def test_the_details_of_the_event_are_kept_in_a_rejection() -> None:
    job = pending_backup(details={"event_id": "E", "message_id": "M"})
    found = after_backup_job(job, backup_answer(State="FAILED"))
    assert isinstance(found, Ignored)
    assert found.details == {"event_id": "E", "message_id": "M", "job_id": JOB, "field": "state"}


@pytest.mark.parametrize(
    ("fields", "vault"),
    [
        ({}, "Default"),
        ({"BackupVaultName": None}, "Default"),  # from the vault's ARN
        ({"BackupVaultName": "nightly", "BackupVaultArn": None}, "nightly"),
        ({"BackupVaultName": "", "BackupVaultArn": VAULT_ARN}, "staging-copies"),
        ({"BackupVaultName": None, "BackupVaultArn": None}, None),
        ({"BackupVaultName": None, "BackupVaultArn": "Default"}, None),  # not an ARN
    ],
)
def test_the_backup_job_gets_the_vault_its_record_names(
    fields: dict[str, Any], vault: str | None
) -> None:
    found = after_backup_job(pending_backup(), backup_answer(**fields))
    assert isinstance(found, BackupJob) and found.vault_name == vault


def test_a_vault_the_event_claimed_is_not_taken_for_the_records() -> None:
    found = after_backup_job(pending_backup(vault_name="from-event"), backup_answer())
    assert isinstance(found, BackupJob) and found.vault_name == "Default"


# -- DescribeCopyJob ---------------------------------------------------------------------


def test_describe_copy_job_confirms_the_copy_its_vault_and_the_source_table() -> None:
    job = pending_copy()
    assert after_copy_job(job, copy_answer()) == replace(
        job,
        resource_arn=TABLE,
        recovery_point_arn=COPY_RP,
        vault_name="staging-copies",
        confirmed=True,
    )


def test_claims_describe_copy_job_agrees_with_are_confirmed() -> None:
    job = pending_copy(resource_arn=TABLE, recovery_point_arn=COPY_RP, vault_name="staging-copies")
    assert after_copy_job(job, copy_answer()) == replace(job, confirmed=True)


def test_after_describe_copy_job_the_recovery_point_is_asked_for() -> None:
    found = after_copy_job(pending_copy(), copy_answer())
    assert isinstance(found, Pending) and lookup(found) == DESCRIBE_RECOVERY_POINT
    assert found.started_at is None and found.job_type == COPY_JOB and found.confirmed


def test_a_record_of_another_copy_job_is_rejected() -> None:
    found = after_copy_job(pending_copy(), copy_answer(CopyJobId=OTHER_JOB))
    assert found == ignored(
        f"AWS Backup answered for copy job {OTHER_JOB}, not {COPY}", job_id=COPY, field="job id"
    )


def test_a_copy_record_that_names_no_job_id_is_read_as_the_jobs() -> None:
    found = after_copy_job(pending_copy(), copy_answer(CopyJobId=None))
    assert isinstance(found, Pending) and found.confirmed and found.job_id == COPY


def test_a_vault_the_event_claimed_and_aws_backup_agrees_with_is_kept() -> None:
    found = after_copy_job(pending_copy(vault_name="staging-copies"), copy_answer())
    assert isinstance(found, Pending) and found.vault_name == "staging-copies"


def test_a_vault_the_event_claimed_that_aws_backup_contradicts_is_rejected() -> None:
    found = after_copy_job(pending_copy(vault_name="from-event"), copy_answer())
    assert found == ignored(
        "the event's destination vault from-event differs from AWS Backup's staging-copies",
        job_id=COPY,
        field="destination vault",
    )


def test_a_vault_the_event_claimed_does_not_stand_in_for_the_records() -> None:
    found = after_copy_job(
        pending_copy(vault_name="staging-copies"), copy_answer(DestinationBackupVaultArn=None)
    )
    assert found == ignored("DescribeCopyJob's answer has no destination vault ARN", job_id=COPY)


@pytest.mark.parametrize(
    "vault_arn", [None, "", "staging-copies", f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-vault:"]
)
def test_a_copy_without_a_destination_vault_is_rejected(vault_arn: Any) -> None:
    found = after_copy_job(pending_copy(), copy_answer(DestinationBackupVaultArn=vault_arn))
    assert found == ignored("DescribeCopyJob's answer has no destination vault ARN", job_id=COPY)


@pytest.mark.parametrize("answer", [{}, {"CopyJob": None}, {"CopyJob": "C"}, {"CopyJob": []}])
def test_an_answer_without_a_copy_job_is_rejected(answer: dict[str, Any]) -> None:
    assert after_copy_job(pending_copy(), answer) == ignored(
        "DescribeCopyJob's answer has no CopyJob", job_id=COPY
    )


@pytest.mark.parametrize("state", ["RUNNING", "FAILED", "CREATED", "SUCCESSFUL", None])
def test_a_copy_aws_backup_says_did_not_complete_is_rejected(state: Any) -> None:
    assert after_copy_job(pending_copy(), copy_answer(State=state)) == ignored(
        f"AWS Backup says copy job {COPY} is {state}, not COMPLETED", job_id=COPY, field="state"
    )


def test_a_copy_of_another_resource_type_is_skipped() -> None:
    assert after_copy_job(pending_copy(), copy_answer(ResourceType="EFS")) == ignored(
        f"copy job {COPY} backs up EFS, not DynamoDB", relevant=False, job_id=COPY
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"ResourceArn": None}, "resource ARN"),
        ({"ResourceArn": ""}, "resource ARN"),
        ({"DestinationRecoveryPointArn": None}, "destination recovery point ARN"),
        ({"DestinationRecoveryPointArn": ""}, "destination recovery point ARN"),
    ],
)
def test_a_copy_answer_missing_a_fact_is_rejected(fields: dict[str, Any], field: str) -> None:
    assert after_copy_job(pending_copy(), copy_answer(**fields)) == ignored(
        f"AWS Backup's answer has no {field}", job_id=COPY, field=field
    )


def test_a_copy_whose_table_aws_backup_contradicts_is_rejected() -> None:
    found = after_copy_job(pending_copy(resource_arn=OTHER_TABLE), copy_answer())
    assert found == ignored(
        f"the event's resource ARN {OTHER_TABLE} differs from AWS Backup's {TABLE}",
        job_id=COPY,
        field="resource ARN",
    )


def test_a_copy_whose_destination_aws_backup_contradicts_is_rejected() -> None:
    found = after_copy_job(pending_copy(recovery_point_arn=ADVANCED_RP), copy_answer())
    assert found == ignored(
        f"the event's destination recovery point ARN {ADVANCED_RP} differs from AWS "
        f"Backup's {COPY_RP}",
        job_id=COPY,
        field="destination recovery point ARN",
    )


def test_the_copys_table_is_compared_before_its_destination_and_vault() -> None:
    job = pending_copy(resource_arn=OTHER_TABLE, recovery_point_arn=ADVANCED_RP)
    found = after_copy_job(job, copy_answer(DestinationBackupVaultArn=None))
    assert isinstance(found, Ignored) and found.reason.startswith("the event's resource ARN")
    job = pending_copy(recovery_point_arn=ADVANCED_RP)
    found = after_copy_job(job, copy_answer(DestinationBackupVaultArn=None))
    assert isinstance(found, Ignored) and found.reason.startswith(
        "the event's destination recovery point ARN"
    )


def test_the_source_recovery_point_is_not_taken_for_the_copy() -> None:
    found = after_copy_job(pending_copy(), copy_answer())
    assert isinstance(found, Pending) and found.recovery_point_arn == COPY_RP != ADVANCED_RP


# -- DescribeRecoveryPoint (of the copy) ---------------------------------------------------


def known_copy(**fields: Any) -> Pending:
    """A copy as DescribeCopyJob confirmed it."""
    return pending_copy(
        resource_arn=TABLE,
        recovery_point_arn=COPY_RP,
        vault_name="staging-copies",
        confirmed=True,
        **fields,
    )


@pytest.mark.parametrize("status", ["COMPLETED", "AVAILABLE"])
def test_a_usable_recovery_point_completes_the_copy_named_by_its_creation_date(
    status: str,
) -> None:
    assert after_recovery_point(known_copy(), point_answer(Status=status)) == BackupJob(
        COPY, COPY_RP, TABLE, CREATED, COPY_JOB, "staging-copies"
    )


@pytest.mark.parametrize(
    "status",
    ["PARTIAL", "DELETING", "EXPIRED", "STOPPED", "CREATING", "completed", "Available", "", None],
)
def test_a_recovery_point_that_is_not_usable_is_rejected(status: Any) -> None:
    assert after_recovery_point(known_copy(), point_answer(Status=status)) == ignored(
        f"recovery point {COPY_RP} is {status}, not COMPLETED or AVAILABLE",
        job_id=COPY,
        field="recovery point status",
    )


@pytest.mark.parametrize(
    "created", [None, datetime(2024, 8, 27, 9, 40), "2024-08-27T09:40:00Z", 1724751600]
)
def test_a_recovery_point_without_an_aware_creation_date_is_rejected(created: Any) -> None:
    assert after_recovery_point(known_copy(), point_answer(CreationDate=created)) == ignored(
        "AWS Backup's answer has no CreationDate time", job_id=COPY, field="CreationDate"
    )


def test_a_claimed_start_the_recovery_point_contradicts_is_rejected() -> None:
    found = after_recovery_point(
        known_copy(started_at=CREATED + timedelta(hours=5)), point_answer()
    )
    assert found == ignored(
        "the event's start time 2024-08-27T14:40:00Z differs from AWS Backup's CreationDate "
        "2024-08-27T09:40:00Z",
        job_id=COPY,
        field="CreationDate",
    )


def test_a_claimed_start_in_the_recovery_points_second_keeps_the_records_time() -> None:
    recorded = CREATED + timedelta(milliseconds=640)
    found = after_recovery_point(
        known_copy(started_at=CREATED), point_answer(CreationDate=recorded)
    )
    assert isinstance(found, BackupJob) and found.started_at == recorded


def test_a_copy_whose_facts_make_no_valid_job_is_rejected() -> None:
    job = pending_copy(
        resource_arn="arn:aws:rds:us-east-1:123456789012:db:orders",
        recovery_point_arn=COPY_RP,
        vault_name="v",
        confirmed=True,
    )
    found = after_recovery_point(job, point_answer(ResourceArn=job.resource_arn))
    assert isinstance(found, Ignored) and found.relevant is True
    assert found.reason.startswith("source table ARN 'arn:aws:rds:")


def test_a_copys_table_is_the_one_its_recovery_point_names() -> None:
    found = after_recovery_point(known_copy(), point_answer(ResourceArn=TABLE))
    assert isinstance(found, BackupJob) and found.source_table_arn == TABLE


@pytest.mark.parametrize("said", [None, "", 42])
def test_a_recovery_point_that_names_no_table_is_rejected(said: Any) -> None:
    found = after_recovery_point(known_copy(), point_answer(ResourceArn=said))
    assert found == ignored(
        "AWS Backup's answer has no resource ARN", job_id=COPY, field="resource ARN"
    )


def test_a_copy_whose_recovery_point_names_another_table_is_rejected() -> None:
    found = after_recovery_point(known_copy(), point_answer(ResourceArn=OTHER_TABLE))
    assert found == ignored(
        f"the event's resource ARN {TABLE} differs from AWS Backup's {OTHER_TABLE}",
        job_id=COPY,
        field="resource ARN",
    )


def test_the_recovery_points_status_then_time_then_table_are_checked() -> None:
    late = known_copy(started_at=CREATED + timedelta(minutes=1))
    found = after_recovery_point(late, point_answer(Status="DELETING", ResourceArn=OTHER_TABLE))
    assert isinstance(found, Ignored) and found.details["field"] == "recovery point status"
    found = after_recovery_point(late, point_answer(ResourceArn=OTHER_TABLE))
    assert isinstance(found, Ignored) and found.details["field"] == "CreationDate"


# -- DescribeBackup (DynamoDB: a classic backup a rotation started by hand names) ----------


def classic_claim(**fields: Any) -> Pending:
    """An execution input's claims about a classic backup AWS Backup knows no job of."""
    return replace(
        Pending(
            BACKUP_JOB,
            JOB,
            "execution input",
            TABLE,
            CLASSIC_RP,
            None,
            CREATED,
            IDS,
            confirmed=True,
        ),
        **fields,
    )


def test_an_available_backup_is_the_job_named_by_its_creation_time() -> None:
    assert after_dynamodb_backup(classic_claim(), dynamodb_backup_answer()) == BackupJob(
        JOB, CLASSIC_RP, TABLE, CREATED, BACKUP_JOB
    )


def test_without_claims_of_table_or_time_the_backups_record_gives_them() -> None:
    recorded = CREATED + timedelta(milliseconds=123)
    found = after_dynamodb_backup(
        classic_claim(resource_arn=None, started_at=None),
        dynamodb_backup_answer(BackupCreationDateTime=recorded),
    )
    assert found == BackupJob(JOB, CLASSIC_RP, TABLE, recorded, BACKUP_JOB)


@pytest.mark.parametrize("status", ["CREATING", "DELETED", "available", "", None])
def test_a_backup_that_is_not_available_is_rejected(status: Any) -> None:
    found = after_dynamodb_backup(classic_claim(), dynamodb_backup_answer(BackupStatus=status))
    assert found == ignored(
        f"backup {CLASSIC_RP} is {status}, not AVAILABLE", field="backup status"
    )


@pytest.mark.parametrize(
    ("answer", "missing"),
    [
        ({}, "BackupDetails"),
        ({"BackupDescription": None}, "BackupDetails"),
        ({"BackupDescription": "x"}, "BackupDetails"),
        ({"BackupDescription": {}}, "BackupDetails"),
        ({"BackupDescription": {"SourceTableDetails": {"TableArn": TABLE}}}, "BackupDetails"),
        (
            {"BackupDescription": {"BackupDetails": {"BackupStatus": "AVAILABLE"}}},
            "SourceTableDetails",
        ),
        (
            {"BackupDescription": {"BackupDetails": [], "SourceTableDetails": {"TableArn": TABLE}}},
            "BackupDetails",
        ),
    ],
)
def test_a_describe_backup_answer_without_its_details_is_rejected(
    answer: dict[str, Any], missing: str
) -> None:
    assert after_dynamodb_backup(classic_claim(), answer) == ignored(
        f"DescribeBackup's answer has no {missing}"
    )


def test_a_backup_of_another_table_is_rejected() -> None:
    found = after_dynamodb_backup(classic_claim(), dynamodb_backup_answer(TableArn=OTHER_TABLE))
    assert found == ignored(
        f"the execution input's resource ARN {TABLE} differs from DynamoDB's {OTHER_TABLE}",
        field="resource ARN",
    )


@pytest.mark.parametrize("table", [None, "", 42])
def test_a_backup_whose_record_names_no_table_is_rejected(table: Any) -> None:
    found = after_dynamodb_backup(classic_claim(), dynamodb_backup_answer(TableArn=table))
    assert found == ignored("DynamoDB's answer has no resource ARN", field="resource ARN")


@pytest.mark.parametrize(
    "created", [None, datetime(2024, 8, 27, 9, 40), "2024-08-27T09:40:00Z", 1724751600.0]
)
def test_a_backup_without_an_aware_creation_time_is_rejected(created: Any) -> None:
    found = after_dynamodb_backup(
        classic_claim(), dynamodb_backup_answer(BackupCreationDateTime=created)
    )
    assert found == ignored(
        "DynamoDB's answer has no BackupCreationDateTime time", field="BackupCreationDateTime"
    )


def test_a_claimed_time_the_backup_contradicts_is_rejected() -> None:
    found = after_dynamodb_backup(
        classic_claim(started_at=CREATED - timedelta(seconds=1)), dynamodb_backup_answer()
    )
    assert found == ignored(
        "the execution input's start time 2024-08-27T09:39:59Z differs from DynamoDB's "
        "BackupCreationDateTime 2024-08-27T09:40:00Z",
        field="BackupCreationDateTime",
    )


def test_a_claimed_time_in_the_backups_second_keeps_the_backups_time() -> None:
    recorded = CREATED + timedelta(milliseconds=999)
    found = after_dynamodb_backup(
        classic_claim(started_at=CREATED + timedelta(milliseconds=1)),
        dynamodb_backup_answer(BackupCreationDateTime=recorded),
    )
    assert isinstance(found, BackupJob) and found.started_at == recorded


def test_the_backups_status_then_table_then_time_are_checked() -> None:
    claim = classic_claim(resource_arn=OTHER_TABLE, started_at=CREATED + timedelta(hours=1))
    found = after_dynamodb_backup(claim, dynamodb_backup_answer(BackupStatus="DELETED"))
    assert isinstance(found, Ignored) and found.details["field"] == "backup status"
    found = after_dynamodb_backup(claim, dynamodb_backup_answer())
    assert isinstance(found, Ignored) and found.details["field"] == "resource ARN"
    found = after_dynamodb_backup(replace(claim, resource_arn=TABLE), dynamodb_backup_answer())
    assert isinstance(found, Ignored) and found.details["field"] == "BackupCreationDateTime"


# -- elsewhere: only recovery points of this account and Region ------------------------------


@pytest.mark.parametrize(
    "job",
    [
        BackupJob(JOB, CLASSIC_RP, TABLE, CREATED),
        BackupJob(JOB, ADVANCED_RP, TABLE, CREATED),
        pending_copy(recovery_point_arn=COPY_RP),
        pending_copy(),  # no recovery point yet: nothing to say
        pending_copy(recovery_point_arn=""),
        pending_copy(recovery_point_arn="not an arn"),  # unknown: left to the checks after
    ],
)
def test_a_recovery_point_here_or_not_yet_known_is_not_elsewhere(job: BackupJob | Pending) -> None:
    assert elsewhere(job, HERE) is None


def test_a_backup_of_a_table_in_another_account_restored_from_a_point_here_is_not_elsewhere() -> (
    None
):
    # a cross-account copy: the source table is elsewhere, the copy here
    table = TABLE.replace(ACCOUNT, OTHER_ACCOUNT)
    assert elsewhere(BackupJob(COPY, COPY_RP, table, CREATED, COPY_JOB), HERE) is None


@pytest.mark.parametrize(
    ("point", "account", "region"),
    [
        (COPY_RP.replace(ACCOUNT, OTHER_ACCOUNT), OTHER_ACCOUNT, "us-east-1"),
        (COPY_RP.replace("us-east-1", "eu-west-1"), ACCOUNT, "eu-west-1"),
        (CLASSIC_RP.replace("us-east-1", "us-east-2"), ACCOUNT, "us-east-2"),
        (COPY_RP.replace("arn:aws:", "arn:aws-cn:"), ACCOUNT, "us-east-1"),
    ],
)
def test_a_recovery_point_in_another_account_region_or_partition_is_skipped(
    point: str, account: str, region: str
) -> None:
    reason = (
        f"recovery point {point} is in account {account}, Region {region}; "
        f"this rotator restores only those in {ACCOUNT}, us-east-1"
    )
    assert elsewhere(pending_copy(recovery_point_arn=point), HERE) == Ignored(
        reason, False, {**IDS, "job_id": COPY}
    )


def test_a_backup_job_elsewhere_is_skipped_with_its_job_id() -> None:
    point = ADVANCED_RP.replace(ACCOUNT, OTHER_ACCOUNT)
    found = elsewhere(BackupJob(JOB, point, TABLE, CREATED), HERE)
    assert isinstance(found, Ignored) and found.relevant is False
    assert found.details == {"job_id": JOB}
    assert found.reason.startswith(f"recovery point {point} is in account {OTHER_ACCOUNT}")


def test_elsewhere_is_measured_from_here() -> None:
    there = ArnLocation("aws", "us-east-1", OTHER_ACCOUNT)
    assert isinstance(elsewhere(pending_copy(recovery_point_arn=COPY_RP), there), Ignored)
    assert (
        elsewhere(pending_copy(recovery_point_arn=COPY_RP.replace(ACCOUNT, OTHER_ACCOUNT)), there)
        is None
    )
