"""``rotator.records``: the Describe calls that read AWS's own records of a job, made
against a stand-in for the clients (no AWS, no emulator).

Each test pins which calls are made with which arguments, and that the answer (never
the event's or the execution input's claims) decides what is restored.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from rotator import records
from rotator.errors import AwsRequestFailed, TransientAwsError, UntrustedInput
from rotator.model import BACKUP_JOB, COPY_JOB, ArnLocation, BackupJob
from rotator.sources.claims import Ignored, Pending

ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"
HERE = ArnLocation("aws", "us-east-1", ACCOUNT)
TABLE = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/Orders-Production"
OTHER_TABLE = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/Users-Production"
CLASSIC_RP = TABLE + "/backup/01724750400000-a1b2c3d4"
ADVANCED_RP = f"arn:aws:backup:us-east-1:{ACCOUNT}:recovery-point:1EB3B5E7-9EB0-435A-A80B"
COPY_RP = f"arn:aws:backup:us-east-1:{ACCOUNT}:recovery-point:C0PY-0000-4000-8000"
VAULT_ARN = f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-vault:staging-copies"
JOB = "8F4E1A2B-3C4D-5E6F-7A8B-9C0D1E2F3A4B"
COPY = "C0FFEE00-1111-4222-8333-444455556666"
CREATED = datetime(2024, 8, 27, 9, 40, tzinfo=UTC)
PATTERN = re.compile("-Production$")


def not_found(operation: str) -> ClientError:
    return ClientError(
        {"Error": {"Code": "ResourceNotFoundException", "Message": "no such job"}}, operation
    )


class FakeAws:
    """AWS Backup and DynamoDB as far as ``rotator.records`` calls them: answers by
    operation (a ``ClientError`` is raised), every call recorded."""

    def __init__(self, **answers: Any) -> None:
        self.answers: dict[str, Any] = {
            "describe_backup_job": {
                "BackupJobId": JOB,
                "BackupVaultName": "Default",
                "RecoveryPointArn": ADVANCED_RP,
                "ResourceArn": TABLE,
                "ResourceType": "DynamoDB",
                "State": "COMPLETED",
                "CreationDate": CREATED,
            },
            "describe_copy_job": {
                "CopyJob": {
                    "CopyJobId": COPY,
                    "SourceRecoveryPointArn": ADVANCED_RP,
                    "DestinationBackupVaultArn": VAULT_ARN,
                    "DestinationRecoveryPointArn": COPY_RP,
                    "ResourceArn": TABLE,
                    "ResourceType": "DynamoDB",
                    "State": "COMPLETED",
                }
            },
            "describe_recovery_point": {
                "RecoveryPointArn": ADVANCED_RP,
                "ResourceArn": TABLE,
                "Status": "COMPLETED",
                "CreationDate": CREATED,
            },
            "describe_backup": {
                "BackupDescription": {
                    "BackupDetails": {
                        "BackupArn": CLASSIC_RP,
                        "BackupStatus": "AVAILABLE",
                        "BackupCreationDateTime": CREATED,
                    },
                    "SourceTableDetails": {"TableArn": TABLE},
                }
            },
        }
        self.answers.update(answers)
        self.calls: list[tuple[str, str, dict[str, Any]]] = []

    def for_service(self, service: str) -> Any:
        fake = self

        class Client:
            def __getattr__(self, operation: str) -> Any:
                def call(**request: Any) -> Any:
                    fake.calls.append((service, operation, request))
                    answer = fake.answers[operation]
                    if isinstance(answer, Exception):
                        raise answer
                    return answer

                return call

        return Client()

    @property
    def operations(self) -> list[str]:
        return [operation for _, operation, _ in self.calls]


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> FakeAws:
    fake = FakeAws()
    monkeypatch.setattr(records, "client", fake.for_service)
    return fake


# -- look_up: the trigger's claims against AWS Backup's record -------------------------


def test_a_backup_job_is_what_describe_backup_job_records(aws: FakeAws) -> None:
    claim = Pending(BACKUP_JOB, JOB, "sns", TABLE, ADVANCED_RP, None, CREATED)
    found = records.look_up(claim, HERE)
    assert found == BackupJob(JOB, ADVANCED_RP, TABLE, CREATED, BACKUP_JOB, "Default")
    assert aws.calls == [("backup", "describe_backup_job", {"BackupJobId": JOB})]


def test_a_backup_job_whose_record_contradicts_its_claim_is_rejected(aws: FakeAws) -> None:
    claim = Pending(BACKUP_JOB, JOB, "sns", OTHER_TABLE, ADVANCED_RP, None, CREATED)
    found = records.look_up(claim, HERE)
    assert isinstance(found, Ignored) and found.relevant is True
    assert found.details["field"] == "resource ARN"
    assert found.reason == (
        f"the notification's resource ARN {OTHER_TABLE} differs from AWS Backup's {TABLE}"
    )


def test_a_copy_is_read_from_its_copy_job_then_its_recovery_point(aws: FakeAws) -> None:
    aws.answers["describe_recovery_point"] = {
        **aws.answers["describe_recovery_point"],
        "RecoveryPointArn": COPY_RP,
    }
    found = records.look_up(Pending(COPY_JOB, COPY, "sns"), HERE)
    assert found == BackupJob(COPY, COPY_RP, TABLE, CREATED, COPY_JOB, "staging-copies")
    assert aws.calls == [
        ("backup", "describe_copy_job", {"CopyJobId": COPY}),
        (
            "backup",
            "describe_recovery_point",
            {"BackupVaultName": "staging-copies", "RecoveryPointArn": COPY_RP},
        ),
    ]


def test_a_job_aws_backup_does_not_know_is_a_rejection_marked_unknown(aws: FakeAws) -> None:
    aws.answers["describe_backup_job"] = not_found("DescribeBackupJob")
    found = records.look_up(Pending(BACKUP_JOB, JOB, "eventbridge", details={"e": "1"}), HERE)
    assert found == Ignored(
        f"AWS Backup DescribeBackupJob for backup job {JOB} failed: "
        "ResourceNotFoundException: no such job",
        True,
        {"e": "1", "job_id": JOB, records.UNKNOWN_JOB: True},
    )


def test_a_recovery_point_aws_backup_does_not_know_is_not_an_unknown_job(aws: FakeAws) -> None:
    aws.answers["describe_recovery_point"] = not_found("DescribeRecoveryPoint")
    found = records.look_up(Pending(COPY_JOB, COPY, "sns"), HERE)
    assert isinstance(found, Ignored) and found.relevant is True
    assert found.details[records.UNKNOWN_JOB] is False


@pytest.mark.parametrize(
    ("code", "raised"),
    [("AccessDeniedException", AwsRequestFailed), ("ThrottlingException", TransientAwsError)],
)
def test_any_other_failure_raises(aws: FakeAws, code: str, raised: type[Exception]) -> None:
    aws.answers["describe_backup_job"] = ClientError(
        {"Error": {"Code": code, "Message": "m"}}, "DescribeBackupJob"
    )
    with pytest.raises(raised, match=f"DescribeBackupJob for backup job {JOB} failed: {code}"):
        records.look_up(Pending(BACKUP_JOB, JOB, "sns"), HERE)


def test_a_claim_of_a_recovery_point_elsewhere_makes_no_call(aws: FakeAws) -> None:
    elsewhere = COPY_RP.replace(ACCOUNT, OTHER_ACCOUNT)
    found = records.look_up(Pending(COPY_JOB, COPY, "eventbridge", TABLE, elsewhere), HERE)
    assert isinstance(found, Ignored) and found.relevant is False
    assert aws.calls == []


def test_a_copy_whose_record_names_a_recovery_point_elsewhere_is_not_read(aws: FakeAws) -> None:
    elsewhere = COPY_RP.replace(ACCOUNT, OTHER_ACCOUNT)
    aws.answers["describe_copy_job"]["CopyJob"]["DestinationRecoveryPointArn"] = elsewhere
    found = records.look_up(Pending(COPY_JOB, COPY, "sns"), HERE)
    assert isinstance(found, Ignored) and found.relevant is False
    assert aws.operations == ["describe_copy_job"]


# -- confirm: StartRestore's check of the execution input ---------------------------------


def confirm(job: BackupJob, restore_copies: bool = False) -> BackupJob:
    return records.confirm(job, HERE, restore_copies=restore_copies, pattern=PATTERN)


def test_an_input_aws_backup_confirms_is_restored_as_recorded(aws: FakeAws) -> None:
    job = BackupJob(JOB, ADVANCED_RP, TABLE, CREATED, BACKUP_JOB, "Default")
    assert confirm(job) == job
    assert aws.calls == [
        ("backup", "describe_backup_job", {"BackupJobId": JOB}),
        (
            "backup",
            "describe_recovery_point",
            {"BackupVaultName": "Default", "RecoveryPointArn": ADVANCED_RP},
        ),
    ]


def test_the_input_takes_the_vault_from_the_jobs_record(aws: FakeAws) -> None:
    # the input names no vault: AWS Backup's record of the job does
    found = confirm(BackupJob(JOB, ADVANCED_RP, TABLE, CREATED))
    assert found.vault_name == "Default"


def test_the_recovery_points_own_time_is_not_compared_for_a_known_job(aws: FakeAws) -> None:
    aws.answers["describe_recovery_point"]["CreationDate"] = CREATED + timedelta(hours=3)
    found = confirm(BackupJob(JOB, ADVANCED_RP, TABLE, CREATED))
    assert found.started_at == CREATED


def test_a_classic_backup_of_a_known_job_is_read_from_dynamodb(aws: FakeAws) -> None:
    aws.answers["describe_backup_job"]["RecoveryPointArn"] = CLASSIC_RP
    found = confirm(BackupJob(JOB, CLASSIC_RP, TABLE, CREATED))
    assert found == BackupJob(JOB, CLASSIC_RP, TABLE, CREATED, BACKUP_JOB, "Default")
    assert aws.calls[-1] == ("dynamodb", "describe_backup", {"BackupArn": CLASSIC_RP})


@pytest.mark.parametrize(
    ("job", "said"),
    [
        (BackupJob(JOB, ADVANCED_RP, OTHER_TABLE, CREATED), "resource ARN"),
        (BackupJob(JOB, COPY_RP, TABLE, CREATED), "recovery point ARN"),
        (BackupJob(JOB, ADVANCED_RP, TABLE, CREATED + timedelta(seconds=1)), "start time"),
    ],
)
def test_an_input_the_record_contradicts_is_untrusted(
    aws: FakeAws, job: BackupJob, said: str
) -> None:
    with pytest.raises(UntrustedInput) as info:
        confirm(job)
    assert str(info.value).startswith(
        f"the execution input is not as AWS records it: the execution input's {said} "
    )


def test_an_input_whose_recovery_point_is_not_usable_is_untrusted(aws: FakeAws) -> None:
    aws.answers["describe_recovery_point"]["Status"] = "DELETING"
    with pytest.raises(UntrustedInput, match="is DELETING, not COMPLETED or AVAILABLE"):
        confirm(BackupJob(JOB, ADVANCED_RP, TABLE, CREATED))


def test_an_unknown_jobs_classic_backup_decides_by_itself(aws: FakeAws) -> None:
    aws.answers["describe_backup_job"] = not_found("DescribeBackupJob")
    recorded = CREATED + timedelta(milliseconds=300)
    aws.answers["describe_backup"]["BackupDescription"]["BackupDetails"][
        "BackupCreationDateTime"
    ] = recorded
    found = confirm(BackupJob("by-hand", CLASSIC_RP, TABLE, CREATED))
    assert found == BackupJob("by-hand", CLASSIC_RP, TABLE, recorded)
    assert aws.operations == ["describe_backup_job", "describe_backup"]


def test_an_unknown_jobs_backup_in_another_second_is_untrusted(aws: FakeAws) -> None:
    aws.answers["describe_backup_job"] = not_found("DescribeBackupJob")
    with pytest.raises(UntrustedInput, match="BackupCreationDateTime"):
        confirm(BackupJob("by-hand", CLASSIC_RP, TABLE, CREATED - timedelta(seconds=1)))


def test_an_unknown_jobs_recovery_point_needs_a_vault_to_be_found_in(aws: FakeAws) -> None:
    aws.answers["describe_backup_job"] = not_found("DescribeBackupJob")
    with pytest.raises(UntrustedInput, match="names no vault_name"):
        confirm(BackupJob("by-hand", ADVANCED_RP, TABLE, CREATED))
    assert aws.operations == ["describe_backup_job"]


def test_an_unknown_jobs_recovery_point_in_its_vault_decides(aws: FakeAws) -> None:
    aws.answers["describe_backup_job"] = not_found("DescribeBackupJob")
    job = BackupJob("by-hand", ADVANCED_RP, TABLE, CREATED, vault_name="Default")
    assert confirm(job) == job
    assert aws.calls[-1] == (
        "backup",
        "describe_recovery_point",
        {"BackupVaultName": "Default", "RecoveryPointArn": ADVANCED_RP},
    )


def test_an_unknown_recovery_point_is_untrusted(aws: FakeAws) -> None:
    aws.answers["describe_backup_job"] = not_found("DescribeBackupJob")
    aws.answers["describe_backup"] = ClientError(
        {"Error": {"Code": "BackupNotFoundException", "Message": "m"}}, "DescribeBackup"
    )
    with pytest.raises(UntrustedInput, match="BackupNotFoundException"):
        confirm(BackupJob("by-hand", CLASSIC_RP, TABLE, CREATED))


def test_a_copy_is_restored_only_when_copies_are(aws: FakeAws) -> None:
    aws.answers["describe_recovery_point"]["RecoveryPointArn"] = COPY_RP
    job = BackupJob(COPY, COPY_RP, TABLE, CREATED, COPY_JOB, "staging-copies")
    with pytest.raises(UntrustedInput, match="does not restore copies"):
        confirm(job)
    assert confirm(job, restore_copies=True) == job


def test_a_table_the_pattern_does_not_match_is_untrusted(aws: FakeAws) -> None:
    with pytest.raises(UntrustedInput, match="does not match SOURCE_PATTERN"):
        records.confirm(
            BackupJob(JOB, ADVANCED_RP, TABLE, CREATED),
            HERE,
            restore_copies=False,
            pattern=re.compile("-staging$"),
        )


# -- a copy another account made into this one's vault ----------------------------------


def forwarded_copy(**claims: Any) -> Pending:
    """A forwarded ``Copy Job State Change``'s claims: the other account's copy job."""
    other_table = TABLE.replace(ACCOUNT, OTHER_ACCOUNT)
    facts: dict[str, Any] = {
        "resource_arn": other_table,
        "recovery_point_arn": COPY_RP,
        "vault_name": "staging-copies",
        **claims,
    }
    return Pending(COPY_JOB, COPY, "eventbridge", **facts)


def test_a_copy_job_this_account_does_not_know_is_keyed_by_its_recovery_point(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other_table = TABLE.replace(ACCOUNT, OTHER_ACCOUNT)
    fake = FakeAws(
        describe_copy_job=not_found("DescribeCopyJob"),
        describe_recovery_point={
            "RecoveryPointArn": COPY_RP,
            "ResourceArn": other_table,
            "Status": "COMPLETED",
            "CreationDate": CREATED,
        },
    )
    monkeypatch.setattr(records, "client", fake.for_service)
    found = records.look_up(forwarded_copy(), HERE)
    assert found == BackupJob(
        "C0PY-0000-4000-8000", COPY_RP, other_table, CREATED, COPY_JOB, "staging-copies"
    )
    assert fake.operations == ["describe_copy_job", "describe_recovery_point"]


def test_an_unknown_copy_job_whose_recovery_point_names_another_table_is_rejected(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = FakeAws(describe_copy_job=not_found("DescribeCopyJob"))  # the RP is of TABLE
    monkeypatch.setattr(records, "client", fake.for_service)
    found = records.look_up(forwarded_copy(), HERE)
    assert isinstance(found, Ignored) and found.details["field"] == "resource ARN"


@pytest.mark.parametrize("missing", ["recovery_point_arn", "vault_name", "resource_arn"])
def test_an_unknown_copy_job_without_its_recovery_point_vault_or_table_is_rejected(
    monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    fake = FakeAws(describe_copy_job=not_found("DescribeCopyJob"))
    monkeypatch.setattr(records, "client", fake.for_service)
    found = records.look_up(forwarded_copy(**{missing: None}), HERE)
    assert isinstance(found, Ignored) and "ResourceNotFoundException" in found.reason
    assert fake.operations == ["describe_copy_job"]


def test_an_unknown_backup_job_is_never_keyed_by_its_recovery_point(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = FakeAws(describe_backup_job=not_found("DescribeBackupJob"))
    monkeypatch.setattr(records, "client", fake.for_service)
    claim = Pending(BACKUP_JOB, JOB, "sns", TABLE, ADVANCED_RP, "Default", CREATED)
    found = records.look_up(claim, HERE)
    assert isinstance(found, Ignored) and found.details[records.UNKNOWN_JOB] is True
    assert fake.operations == ["describe_backup_job"]
