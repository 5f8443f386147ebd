"""Reading AWS Backup's EventBridge events: every branch of ``rotator.sources.eventbridge``.

Events are built as AWS documents them (``tests/emulator/events.py``) and then bent one
field at a time, so each test pins one decision: which events start nothing and are
only noted (``relevant=False``), which announce a completed DynamoDB job that cannot
be used (``relevant=True``, logged as errors), and what a completed job's event claims
(``Pending``). No event is trusted on its own (anyone allowed to put events on the bus
can send one): even a complete one is a ``Pending`` that AWS Backup's record decides.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from rotator.model import BACKUP_JOB, COPY_JOB, BackupJob
from rotator.sources.claims import Ignored, Pending
from rotator.sources.eventbridge import (
    BACKUP_JOB_CHANGE,
    COMPLETED,
    COPY_JOB_CHANGE,
    DYNAMODB,
    SOURCE,
    read_event,
    vault_name,
)
from tests.emulator.events import backup_job_event, copy_job_event, eventbridge_event

ACCOUNT = "123456789012"
TABLE = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/Orders-Production"
CLASSIC_RP = TABLE + "/backup/01724750400000-a1b2c3d4"
ADVANCED_RP = f"arn:aws:backup:us-east-1:{ACCOUNT}:recovery-point:1EB3B5E7-9EB0-435A-A80B"
OTHER_RP = f"arn:aws:backup:us-east-1:{ACCOUNT}:recovery-point:0C0FFEE0-0000-4000-8000"
JOB = "8F4E1A2B-3C4D-5E6F-7A8B-9C0D1E2F3A4B"
COPY = "C0FFEE00-1111-4222-8333-444455556666"
VAULT_ARN = f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-vault:staging-copies"
EVENT_ID = "710b0a4e-9ea9-4d60-b35b-6ac4a2e5f1a8"
IDS = {"event_id": EVENT_ID}
WITH_JOB = {**IDS, "job_id": JOB}
WITH_COPY = {**IDS, "job_id": COPY}
RFC3339 = "2024-08-27T09:40:00Z"
STARTED = datetime(2024, 8, 27, 9, 40, tzinfo=UTC)


def backup_event(**detail: Any) -> dict[str, Any]:
    """A completed Backup Job State Change of TABLE; ``detail`` overrides (``None``
    deletes a field)."""
    event = backup_job_event(JOB, TABLE, CLASSIC_RP, creation_date=RFC3339)
    return _override(event, detail)


def copy_event(**detail: Any) -> dict[str, Any]:
    """A completed Copy Job State Change of TABLE into VAULT_ARN."""
    event = copy_job_event(COPY, TABLE, CLASSIC_RP, ADVANCED_RP, VAULT_ARN)
    return _override(event, detail)


def _override(event: dict[str, Any], detail: dict[str, Any]) -> dict[str, Any]:
    for name, value in detail.items():
        if value is None:
            event["detail"].pop(name, None)
        else:
            event["detail"][name] = value
    return event


# -- the documented events -------------------------------------------------------------


def test_a_complete_backup_job_event_is_pending_with_all_its_claims() -> None:
    found = read_event(backup_event())
    assert found == Pending(BACKUP_JOB, JOB, "eventbridge", TABLE, CLASSIC_RP, None, STARTED, IDS)
    assert not isinstance(found, BackupJob)
    assert isinstance(found, Pending) and found.confirmed is False


def test_an_advanced_recovery_point_in_resources_is_claimed_as_well() -> None:
    event = backup_event()
    event["resources"] = [ADVANCED_RP]
    assert read_event(event) == Pending(
        BACKUP_JOB, JOB, "eventbridge", TABLE, ADVANCED_RP, None, STARTED, IDS
    )


def test_the_documented_backup_event_with_console_dates_is_pending_on_its_start() -> None:
    # as AWS documents it: "Aug 27, 2024 9:40:00 AM" is not RFC 3339
    event = backup_job_event(JOB, TABLE, CLASSIC_RP)
    assert read_event(event) == Pending(
        BACKUP_JOB, JOB, "eventbridge", TABLE, CLASSIC_RP, None, None, IDS
    )


@pytest.mark.parametrize(
    "created",
    [
        "Jul 15, 2020 9:39:07 PM",
        "2019-09-18T11Z",  # fromisoformat would read 11:00:00; not RFC 3339
        "2024-08-27",
        "2024-08-27T09:40:00",  # no zone
        "2024-08-27 09:40:00Z",  # no "T"
        "2024-13-27T09:40:00Z",  # the shape, but no such month
        "   ",
        "",
    ],
)
def test_a_creation_date_that_is_not_an_rfc3339_time_leaves_the_start_unknown(
    created: str,
) -> None:
    assert read_event(backup_event(creationDate=created)) == Pending(
        BACKUP_JOB, JOB, "eventbridge", TABLE, CLASSIC_RP, None, None, IDS
    )


@pytest.mark.parametrize("created", [1724751600, 1724751600.5, None, {"date": RFC3339}, []])
def test_a_creation_date_that_is_not_a_string_leaves_the_start_unknown(created: Any) -> None:
    event = backup_event()
    event["detail"]["creationDate"] = created
    found = read_event(event)
    assert isinstance(found, Pending) and found.started_at is None


@pytest.mark.parametrize(
    ("created", "started"),
    [
        (RFC3339, STARTED),
        ("  2024-08-27T09:40:00Z\n", STARTED),
        ("2024-08-27T09:40:00.250Z", STARTED + timedelta(milliseconds=250)),
        ("2024-08-27T11:40:00+02:00", STARTED),
        ("2024-08-27T09:40:00z", STARTED),
    ],
)
def test_an_rfc3339_creation_date_is_the_claimed_start_in_utc(
    created: str, started: datetime
) -> None:
    job = read_event(backup_event(creationDate=created))
    assert isinstance(job, Pending) and job.started_at is not None
    assert job.started_at == started and job.started_at.utcoffset() == timedelta(0)


def test_an_offset_creation_date_keeps_its_instant() -> None:
    job = read_event(backup_event(creationDate="2024-08-27T04:40:00-05:00"))
    assert isinstance(job, Pending)
    assert job.started_at == datetime(2024, 8, 27, 4, 40, tzinfo=timezone(timedelta(hours=-5)))


# -- events that start nothing and are only noted ----------------------------------------


@pytest.mark.parametrize("source", ["aws.backupx", "aws.dynamodb", "AWS.BACKUP", "", None, 7])
def test_another_source_is_skipped(source: Any) -> None:
    event = backup_event()
    event["source"] = source
    assert read_event(event) == Ignored(f"event source is {source!r}, not 'aws.backup'", False, IDS)


def test_an_event_without_a_source_is_skipped() -> None:
    event = backup_event()
    del event["source"]
    assert read_event(event) == Ignored("event source is None, not 'aws.backup'", False, IDS)


@pytest.mark.parametrize(
    "detail_type",
    [
        "Restore Job State Change",
        "Recovery Point State Change",
        "Backup Plan State Change",
        "backup job state change",
        "Backup Job State Change ",
        None,
        ["Backup Job State Change"],
    ],
)
def test_other_detail_types_never_start_a_rotation(detail_type: Any) -> None:
    event = backup_event(status=COMPLETED, recoveryPointArn=CLASSIC_RP, restoreJobId="R-1")
    event["detail-type"] = detail_type
    assert read_event(event) == Ignored(
        f"detail-type {detail_type!r} never starts a rotation (only "
        "'Backup Job State Change' and 'Copy Job State Change' do)",
        False,
        IDS,
    )


def test_a_recovery_point_state_change_as_documented_starts_nothing() -> None:
    # it follows every backup job, carries resourceArn and status but no backupJobId
    event = eventbridge_event(
        "Recovery Point State Change",
        {"resourceArn": TABLE, "resourceType": DYNAMODB, "status": COMPLETED},
        [CLASSIC_RP],
    )
    found = read_event(event)
    assert isinstance(found, Ignored) and found.relevant is False
    assert found.reason.startswith("detail-type 'Recovery Point State Change' never starts")


@pytest.mark.parametrize("event_factory", [backup_event, copy_event])
@pytest.mark.parametrize(
    ("state", "said"),
    [
        ("RUNNING", "RUNNING"),
        ("FAILED", "FAILED"),
        ("ABORTED", "ABORTED"),
        ("EXPIRED", "EXPIRED"),
        ("PARTIAL", "PARTIAL"),
        ("CREATED", "CREATED"),
        ("completed", "completed"),  # AWS Backup's states are upper case
        ("COMPLETEDX", "COMPLETEDX"),
        ("   ", "unknown"),
        (7, "unknown"),
        (None, "unknown"),
    ],
)
def test_a_job_that_did_not_complete_is_skipped(event_factory: Any, state: Any, said: str) -> None:
    event = event_factory()
    if state is None:
        del event["detail"]["state"]
    else:
        event["detail"]["state"] = state
    detail_type = event["detail-type"]
    assert read_event(event) == Ignored(
        f"{detail_type}: state is {said}, not COMPLETED", False, IDS
    )


def test_a_state_with_stray_white_space_is_still_completed() -> None:
    assert read_event(backup_event(state=" COMPLETED\n")) == read_event(backup_event())
    assert isinstance(read_event(backup_event(state=" COMPLETED\n")), Pending)


@pytest.mark.parametrize("event_factory", [backup_event, copy_event])
@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("RDS", "RDS"),
        ("EBS", "EBS"),
        ("dynamodb", "dynamodb"),
        ("DynamoDBX", "DynamoDBX"),
        ("", "unknown"),
        (None, "unknown"),
        (["DynamoDB"], "unknown"),
    ],
)
def test_another_resource_type_is_skipped(event_factory: Any, kind: Any, said: str) -> None:
    event = event_factory()
    if kind is None:
        del event["detail"]["resourceType"]
    else:
        event["detail"]["resourceType"] = kind
    detail_type = event["detail-type"]
    assert read_event(event) == Ignored(
        f"{detail_type}: resource type is {said}, not DynamoDB", False, IDS
    )


def test_the_state_is_checked_before_the_resource_type() -> None:
    found = read_event(backup_event(state="FAILED", resourceType="RDS"))
    assert found == Ignored(f"{BACKUP_JOB_CHANGE}: state is FAILED, not COMPLETED", False, IDS)


def test_a_resource_type_with_stray_white_space_is_still_dynamodb() -> None:
    assert read_event(backup_event(resourceType=" DynamoDB ")) == read_event(backup_event())
    assert isinstance(read_event(backup_event(resourceType=" DynamoDB ")), Pending)


def test_the_event_id_is_carried_as_text_and_defaults_to_empty() -> None:
    event = backup_event(state="FAILED")
    event["id"] = 12345
    assert read_event(event) == Ignored(
        f"{BACKUP_JOB_CHANGE}: state is FAILED, not COMPLETED", False, {"event_id": "12345"}
    )
    del event["id"]
    found = read_event(event)
    assert isinstance(found, Ignored) and found.details == {"event_id": ""}


# -- malformed events (relevant: logged as errors) ----------------------------------------


@pytest.mark.parametrize("event", [None, [], "Backup Job State Change", 42, ["aws.backup"]])
def test_something_that_is_not_an_object_is_rejected(event: Any) -> None:
    assert read_event(event) == Ignored("event is not an object", True, {})


@pytest.mark.parametrize("detail", [None, "COMPLETED", [], ["state", "COMPLETED"], 0])
@pytest.mark.parametrize("detail_type", [BACKUP_JOB_CHANGE, COPY_JOB_CHANGE])
def test_an_event_without_a_detail_object_is_rejected(detail: Any, detail_type: str) -> None:
    event = eventbridge_event(detail_type, {}, [CLASSIC_RP])
    event["detail"] = detail
    assert read_event(event) == Ignored(f"{detail_type} event has no detail object", True, IDS)


def test_an_event_with_no_detail_key_is_rejected() -> None:
    event = backup_event()
    del event["detail"]
    assert read_event(event) == Ignored(
        f"{BACKUP_JOB_CHANGE} event has no detail object", True, IDS
    )


@pytest.mark.parametrize("job_id", [None, "", "   ", 42, ["id"], {"id": JOB}])
def test_a_completed_backup_job_without_its_id_is_rejected(job_id: Any) -> None:
    event = backup_event(backupJobId=None)
    if job_id is not None:
        event["detail"]["backupJobId"] = job_id
    assert read_event(event) == Ignored(
        "completed DynamoDB backup job event without detail.backupJobId", True, IDS
    )


def test_a_backup_job_id_with_stray_white_space_is_trimmed() -> None:
    job = read_event(backup_event(backupJobId=f"  {JOB}\t"))
    assert isinstance(job, Pending) and job.job_id == JOB


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:rds:us-east-1:123456789012:db:orders",
        "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-Production/stream/2024",
        CLASSIC_RP,  # a backup, not its table
        "arn:aws:dynamodb:us-east-1:12345678901:table/Orders-Production",  # 11 digits
        "arn:aws:dynamodb:us-east-1:123456789012:table/",
        "Orders-Production",
    ],
)
def test_a_resource_arn_that_is_not_a_table_is_rejected(arn: str) -> None:
    assert read_event(backup_event(resourceArn=arn)) == Ignored(
        f"resourceArn {arn!r} is not a DynamoDB table ARN", True, WITH_JOB
    )


@pytest.mark.parametrize("arn", [None, "", "  ", 42, [TABLE]])
def test_a_missing_resource_arn_is_left_to_describe_backup_job(arn: Any) -> None:
    event = backup_event(resourceArn=None)
    if arn is not None:
        event["detail"]["resourceArn"] = arn
    assert read_event(event) == Pending(
        BACKUP_JOB, JOB, "eventbridge", None, CLASSIC_RP, None, STARTED, IDS
    )


@pytest.mark.parametrize(
    "table",
    [
        "arn:aws-cn:dynamodb:cn-north-1:123456789012:table/orders.v2",
        "arn:aws-us-gov:dynamodb:us-gov-west-1:123456789012:table/Orders_Production",
    ],
)
def test_tables_of_every_partition_are_read(table: str) -> None:
    job = read_event(backup_event(resourceArn=table))
    assert isinstance(job, Pending) and job.resource_arn == table


# -- the recovery point: only in resources[] ----------------------------------------------


@pytest.mark.parametrize(
    "resources",
    [
        [],
        None,
        "not a list",
        {"0": CLASSIC_RP},
        CLASSIC_RP,  # a string is not a list of ARNs
        [CLASSIC_RP, ADVANCED_RP],  # two: which one is the job's is unknown
        [ADVANCED_RP, OTHER_RP],
        [TABLE],  # a table is not a recovery point
        ["arn:aws:s3:::bucket/key"],
        [42, None, {"arn": CLASSIC_RP}],
        [CLASSIC_RP + " "],  # not exactly an ARN
        [CLASSIC_RP.upper()],
    ],
)
def test_without_exactly_one_recovery_point_describe_backup_job_is_asked(resources: Any) -> None:
    event = backup_event()
    if resources is None:
        del event["resources"]
    else:
        event["resources"] = resources
    assert read_event(event) == Pending(
        BACKUP_JOB, JOB, "eventbridge", TABLE, None, None, STARTED, IDS
    )


@pytest.mark.parametrize(
    "resources",
    [
        [CLASSIC_RP],
        [TABLE, CLASSIC_RP],
        [CLASSIC_RP, "arn:aws:s3:::bucket"],
        [42, CLASSIC_RP, None],
    ],
)
def test_one_recovery_point_among_other_resources_is_the_one(resources: list[Any]) -> None:
    event = backup_event()
    event["resources"] = resources
    assert read_event(event) == Pending(
        BACKUP_JOB, JOB, "eventbridge", TABLE, CLASSIC_RP, None, STARTED, IDS
    )


def test_a_backup_event_missing_everything_but_its_id_is_pending_on_all_of_it() -> None:
    event = eventbridge_event(
        BACKUP_JOB_CHANGE,
        {"backupJobId": JOB, "state": COMPLETED, "resourceType": DYNAMODB},
        [],
    )
    assert read_event(event) == Pending(BACKUP_JOB, JOB, "eventbridge", details=IDS)


def test_reading_does_not_change_the_event() -> None:
    event = backup_event()
    before = copy.deepcopy(event)
    read_event(event)
    assert event == before


# -- copy jobs: always pending (the copy is named by its recovery point's CreationDate) --


def test_a_completed_copy_job_event_is_pending_with_the_copy_and_its_vault() -> None:
    assert read_event(copy_event()) == Pending(
        COPY_JOB, COPY, "eventbridge", TABLE, ADVANCED_RP, "staging-copies", None, IDS
    )


def test_a_copy_uses_the_destination_not_the_source_recovery_point_in_resources() -> None:
    found = read_event(copy_event())
    assert isinstance(found, Pending) and found.recovery_point_arn == ADVANCED_RP
    # resources[0] is the source recovery point
    assert copy_event()["resources"] == [CLASSIC_RP]


def test_a_copy_with_an_rfc3339_creation_date_is_still_pending_without_a_start() -> None:
    found = read_event(copy_event(creationDate=RFC3339))
    assert isinstance(found, Pending) and found.started_at is None


@pytest.mark.parametrize("state", ["RUNNING", "FAILED", "CREATED"])
def test_a_copy_not_completed_has_an_empty_destination_and_is_skipped(state: str) -> None:
    event = copy_job_event(COPY, TABLE, CLASSIC_RP, ADVANCED_RP, VAULT_ARN, state=state)
    assert event["detail"]["destinationRecoveryPointArn"] == {}
    assert read_event(event) == Ignored(
        f"{COPY_JOB_CHANGE}: state is {state}, not COMPLETED", False, IDS
    )


@pytest.mark.parametrize("destination", [{}, [], None, "", "  ", 42])
def test_a_completed_copy_without_a_destination_string_asks_describe_copy_job(
    destination: Any,
) -> None:
    event = copy_event(destinationRecoveryPointArn=None)
    if destination is not None:
        event["detail"]["destinationRecoveryPointArn"] = destination
    assert read_event(event) == Pending(
        COPY_JOB, COPY, "eventbridge", TABLE, None, "staging-copies", None, IDS
    )


@pytest.mark.parametrize(
    "destination", [TABLE, "arn:aws:s3:::bucket", "recovery-point:1EB3B5E7", VAULT_ARN]
)
def test_a_destination_that_is_not_a_recovery_point_is_rejected(destination: str) -> None:
    assert read_event(copy_event(destinationRecoveryPointArn=destination)) == Ignored(
        f"destinationRecoveryPointArn {destination!r} is not a recovery point ARN",
        True,
        WITH_COPY,
    )


def test_a_classic_backup_can_be_the_destination_of_a_copy() -> None:
    found = read_event(copy_event(destinationRecoveryPointArn=CLASSIC_RP))
    assert isinstance(found, Pending) and found.recovery_point_arn == CLASSIC_RP


@pytest.mark.parametrize("job_id", [None, "", " ", 7])
def test_a_completed_copy_without_its_id_is_rejected(job_id: Any) -> None:
    event = copy_event(copyJobId=None)
    if job_id is not None:
        event["detail"]["copyJobId"] = job_id
    assert read_event(event) == Ignored(
        "completed DynamoDB copy job event without detail.copyJobId", True, IDS
    )


def test_a_copy_job_is_not_read_by_its_backup_job_id() -> None:
    event = copy_event(copyJobId=None, backupJobId=JOB)
    found = read_event(event)
    assert isinstance(found, Ignored) and found.relevant
    assert found.reason == "completed DynamoDB copy job event without detail.copyJobId"


def test_a_backup_job_is_not_read_by_a_copy_job_id() -> None:
    event = backup_event(backupJobId=None, copyJobId=COPY)
    found = read_event(event)
    assert found == Ignored(
        "completed DynamoDB backup job event without detail.backupJobId", True, IDS
    )


def test_a_copy_of_something_that_is_not_a_table_is_rejected() -> None:
    rds = "arn:aws:rds:us-east-1:123456789012:db:orders"
    assert read_event(copy_event(resourceArn=rds)) == Ignored(
        f"resourceArn {rds!r} is not a DynamoDB table ARN", True, WITH_COPY
    )


def test_the_table_is_checked_before_the_destination() -> None:
    found = read_event(copy_event(resourceArn="x", destinationRecoveryPointArn="y"))
    assert (
        isinstance(found, Ignored) and found.reason == "resourceArn 'x' is not a DynamoDB table ARN"
    )


@pytest.mark.parametrize("vault", [None, "", "Default", "arn:aws:s3:::bucket", 42])
def test_a_copy_without_a_readable_destination_vault_leaves_it_to_describe_copy_job(
    vault: Any,
) -> None:
    event = copy_event(destinationBackupVaultArn=None)
    if vault is not None:
        event["detail"]["destinationBackupVaultArn"] = vault
    found = read_event(event)
    assert found == Pending(COPY_JOB, COPY, "eventbridge", TABLE, ADVANCED_RP, None, None, IDS)


def test_a_copy_without_a_table_is_pending_on_it() -> None:
    found = read_event(copy_event(resourceArn=None))
    assert found == Pending(
        COPY_JOB, COPY, "eventbridge", None, ADVANCED_RP, "staging-copies", None, IDS
    )


# -- vault names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arn", "name"),
    [
        (VAULT_ARN, "staging-copies"),
        ("arn:aws:backup:us-east-1:123456789012:backup-vault:Default", "Default"),
        ("arn:aws-cn:backup:cn-north-1:123456789012:backup-vault:a.b_c-d", "a.b_c-d"),
        # the last ":backup-vault:" ends the prefix
        ("arn:aws:backup:r:1:backup-vault:x:backup-vault:y", "y"),
        ("arn:aws:backup:r:1:backup-vault:a:b", "a:b"),
        ("arn::backup-vault:v", "v"),
        ("arn:aws:backup:us-east-1:123456789012:backup-vault:", None),  # no name
        ("Default", None),
        ("", None),
        ("backup-vault:Default", None),
        (":backup-vault:Default", None),  # no "arn:" before it
        ("aws:backup:us-east-1:123456789012:backup-vault:Default", None),
        ("xarn:aws:backup:us-east-1:1:backup-vault:Default", None),
        ("arn:aws:backup:us-east-1:123456789012:recovery-point:abc", None),
        (None, None),
    ],
)
def test_vault_name(arn: str | None, name: str | None) -> None:
    assert vault_name(arn) == name


def test_the_constants_are_aws_backups_words() -> None:
    assert (SOURCE, BACKUP_JOB_CHANGE, COPY_JOB_CHANGE, COMPLETED, DYNAMODB) == (
        "aws.backup",
        "Backup Job State Change",
        "Copy Job State Change",
        "COMPLETED",
        "DynamoDB",
    )
