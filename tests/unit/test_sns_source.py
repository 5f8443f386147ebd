"""Reading AWS Backup's SNS notifications in every shape they come in.

A notification is no proof of anything (anyone allowed to publish to the topic can send
one): a completed DynamoDB backup job is read into a ``Pending`` of the message's
claims, never a ``BackupJob``; AWS Backup's record of the job decides
(``rotator.sources.lookups``)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rotator import environment
from rotator.handlers import trigger
from rotator.model import BACKUP_JOB, COPY_JOB, BackupJob
from rotator.sources.claims import Ignored, Pending
from rotator.sources.lookups import after_backup_job
from rotator.sources.sns import read_record, records_of
from tests.emulator.events import backup_completed, backup_message, sns_event, sns_record

RP = (
    "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-Production/backup/01724750400000-a1b2c3d4"
)
TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-Production"
JOB = "7B1E3A42-9D5C-4F3E-8C1D-2E4F6A8B0C1D"
MESSAGE_ID = sns_record("", None)["Sns"]["MessageId"]
IDS = {"message_id": MESSAGE_ID}
WITH_TABLE = {**IDS, "resource_arn": TABLE}


def attributes(**overrides: str) -> dict[str, str]:
    values = {
        "AccountId": "123456789012",
        "EventType": "BACKUP_JOB",
        "State": "COMPLETED",
        "StartTime": "2024-08-27T09:20:00Z",
        "Id": JOB,
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v != ""}


STARTED = datetime(2024, 8, 27, 9, 20, tzinfo=UTC)


def test_the_realistic_record_is_pending_with_its_claims() -> None:
    assert read_record(backup_completed(RP, TABLE)) == Pending(
        BACKUP_JOB, JOB, "sns", TABLE, RP, None, STARTED, WITH_TABLE
    )


def test_the_realistic_record_becomes_a_backup_job_only_from_aws_backups_record() -> None:
    found = read_record(backup_completed(RP, TABLE))
    assert isinstance(found, Pending) and not isinstance(found, BackupJob)
    record = {
        "BackupJobId": JOB,
        "BackupVaultName": "Default",
        "RecoveryPointArn": RP,
        "ResourceArn": TABLE,
        "ResourceType": "DynamoDB",
        "State": "COMPLETED",
        "CreationDate": STARTED,
    }
    job = after_backup_job(found, record)
    assert job == BackupJob(JOB, RP, TABLE, STARTED, BACKUP_JOB, "Default")
    assert isinstance(job, BackupJob) and job.source_table == "Orders-Production"
    assert job.recovery_point_kind == "dynamodb"


@pytest.mark.parametrize("wording", ["traffic", "docs"])
def test_both_wordings_are_read(wording: str) -> None:
    job = read_record(backup_completed(RP, TABLE, wording=wording))
    assert isinstance(job, Pending)
    assert (job.job_type, job.origin) == (BACKUP_JOB, "sns")
    assert (job.recovery_point_arn, job.resource_arn, job.job_id, job.started_at) == (
        RP,
        TABLE,
        JOB,
        STARTED,
    )


@pytest.mark.parametrize("wording", ["traffic", "docs"])
def test_the_text_alone_gives_the_job_id_when_the_attribute_is_missing(wording: str) -> None:
    record = sns_record(backup_message(RP, TABLE, JOB, wording), attributes(Id=""))
    job = read_record(record)
    assert isinstance(job, Pending) and job.job_id == JOB


def test_attributes_are_preferred_over_the_text() -> None:
    record = sns_record(backup_message(RP, TABLE, "TEXT-ID"), attributes(Id="ATTRIBUTE-ID"))
    job = read_record(record)
    assert isinstance(job, Pending) and job.job_id == "ATTRIBUTE-ID"


def test_an_attribute_saying_restore_job_wins_over_backup_wording() -> None:
    record = sns_record(backup_message(RP, TABLE, JOB), attributes(EventType="RESTORE_JOB"))
    ignored = read_record(record)
    assert ignored == Ignored(
        "event type is RESTORE_JOB, not BACKUP_JOB or COPY_JOB",
        details={"message_id": record["Sns"]["MessageId"]},
    )


@pytest.mark.parametrize("state", ["COMPLETED", "SUCCESSFUL", "completed"])
def test_a_completed_copy_job_is_pending_on_its_id_whatever_the_text(state: str) -> None:
    record = sns_record("Anything at all", attributes(EventType="COPY_JOB", State=state, Id="C-1"))
    assert read_record(record) == Pending(
        COPY_JOB, "C-1", "sns", details={"message_id": record["Sns"]["MessageId"]}
    )


@pytest.mark.parametrize(
    ("overrides", "relevant"),
    [({"State": "FAILED"}, False), ({"State": ""}, False), ({"Id": ""}, True)],
)
def test_a_copy_job_that_did_not_complete_or_has_no_id_starts_nothing(
    overrides: dict[str, str], relevant: bool
) -> None:
    record = sns_record("text", attributes(EventType="COPY_JOB", **overrides))
    ignored = read_record(record)
    assert isinstance(ignored, Ignored) and ignored.relevant is relevant


def test_stray_whitespace_and_a_trailing_newline_are_ignored() -> None:
    message = "  " + backup_message(RP, TABLE, JOB).replace(": ", " :   ") + ".\n"
    job = read_record(sns_record(message, attributes(Id="")))
    assert isinstance(job, Pending)
    assert (job.recovery_point_arn, job.resource_arn, job.job_id) == (RP, TABLE, JOB)


@pytest.mark.parametrize(
    ("partition", "region"),
    [("aws", "eu-west-1"), ("aws-cn", "cn-north-1"), ("aws-us-gov", "us-gov-west-1")],
)
def test_every_partition_is_read(partition: str, region: str) -> None:
    table = f"arn:{partition}:dynamodb:{region}:123456789012:table/Orders-Production"
    rp = f"{table}/backup/01724750400000-a1b2c3d4"
    job = read_record(backup_completed(rp, table))
    assert isinstance(job, Pending)
    assert (job.resource_arn, job.recovery_point_arn) == (table, rp)


@pytest.mark.parametrize("name", ["orders.v2", "orders.", "a.b.c", "x..y"])
def test_dots_in_table_names_do_not_cut_the_arns(name: str) -> None:
    table = f"arn:aws:dynamodb:us-east-1:123456789012:table/{name}"
    rp = f"{table}/backup/01724750400000-a1b2c3d4"
    job = read_record(backup_completed(rp, table))
    assert isinstance(job, Pending)
    assert (job.resource_arn, job.recovery_point_arn) == (table, rp)


def test_an_advanced_recovery_point_is_claimed_as_well() -> None:
    rp = "arn:aws:backup:us-east-1:123456789012:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45"
    assert read_record(backup_completed(rp, TABLE)) == Pending(
        BACKUP_JOB, JOB, "sns", TABLE, rp, None, STARTED, WITH_TABLE
    )


@pytest.mark.parametrize(
    ("start", "started"),
    [
        ("2019-09-02T13:48:52.226Z", datetime(2019, 9, 2, 13, 48, 52, 226000, tzinfo=UTC)),
        ("2024-08-27T11:20:00+02:00", STARTED),
        ("2024-08-27T09:20:00.123456789Z", STARTED + timedelta(microseconds=123456)),
    ],
)
def test_start_time_with_fractions_or_offsets_is_the_claimed_start_in_utc(
    start: str, started: datetime
) -> None:
    job = read_record(backup_completed(RP, TABLE, start_time=start))
    assert isinstance(job, Pending) and job.started_at == started
    assert job.started_at.utcoffset() == timedelta(0)


@pytest.mark.parametrize("start", ["", "   "])
def test_a_record_without_a_start_time_claims_none(start: str) -> None:
    # the copy is named by AWS Backup's CreationDate: a StartTime is only a claim
    found = read_record(sns_record(backup_message(RP, TABLE, JOB), attributes(StartTime=start)))
    assert found == Pending(BACKUP_JOB, JOB, "sns", TABLE, RP, None, None, WITH_TABLE)


def test_no_start_time_is_a_claim_the_record_fills_in() -> None:
    found = read_record(sns_record(backup_message(RP, TABLE, JOB), attributes(StartTime="")))
    assert isinstance(found, Pending)
    created = datetime(2024, 8, 27, 11, 20, 5, tzinfo=timezone(timedelta(hours=2)))
    record = {
        "BackupJobId": JOB,
        "RecoveryPointArn": RP,
        "ResourceArn": TABLE,
        "ResourceType": "DynamoDB",
        "State": "COMPLETED",
        "CreationDate": created,
    }
    job = after_backup_job(found, record)
    assert isinstance(job, BackupJob) and job.started_at == created


def test_a_failed_job_is_skipped_not_rejected() -> None:
    record = sns_record(backup_message(RP, TABLE, JOB, "failed"), attributes(State="FAILED"))
    ignored = read_record(record)
    assert isinstance(ignored, Ignored) and not ignored.relevant
    assert ignored.reason == "backup job state is FAILED, not COMPLETED"


def test_a_failed_job_without_attributes_is_recognised_from_the_text() -> None:
    ignored = read_record(sns_record(backup_message(RP, TABLE, JOB, "failed"), None))
    assert isinstance(ignored, Ignored) and "FAILED" in ignored.reason


def test_another_service_is_skipped() -> None:
    rds = "arn:aws:rds:us-east-1:123456789012:db:orders"
    ignored = read_record(
        backup_completed("arn:aws:backup:us-east-1:123456789012:recovery-point:x", rds)
    )
    assert ignored == Ignored(
        f"resource {rds} is not a DynamoDB table", False, {**IDS, "resource_arn": rds}
    )


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (
            sns_record(backup_message(RP, TABLE, JOB), attributes(StartTime="yesterday")),
            "StartTime attribute: 'yesterday' is not an RFC 3339 time such as 2024-08-27T09:20:00Z",
        ),
        (
            sns_record(
                f"An AWS Backup job was completed successfully. Resource ARN : {TABLE}.",
                attributes(),
            ),
            "message names no recovery point ARN",
        ),
        (
            sns_record(backup_message("arn:aws:s3:::bucket", TABLE, JOB), attributes()),
            "recovery point ARN 'arn:aws:s3:::bucket' is neither a DynamoDB backup nor an "
            "AWS Backup recovery point",
        ),
        (
            sns_record(backup_message(TABLE, TABLE, JOB), attributes()),
            f"recovery point ARN {TABLE!r} is neither a DynamoDB backup nor an "
            "AWS Backup recovery point",
        ),
    ],
)
def test_a_completed_dynamodb_job_that_cannot_be_used_is_rejected(
    record: dict[str, Any], reason: str
) -> None:
    assert read_record(record) == Ignored(reason, relevant=True, details=WITH_TABLE)


@pytest.mark.parametrize(
    "record",
    [
        None,
        {},
        {"Sns": "text"},
        {"Sns": {}},
        {"Sns": {"Message": 42}},
        {"Sns": {"Message": "hello", "MessageAttributes": {"State": "COMPLETED"}}},
        {"Sns": {"Message": None, "MessageAttributes": []}},
        ["not", "a", "record"],
    ],
)
def test_malformed_records_are_ignored_not_raised(record: Any) -> None:
    assert isinstance(read_record(record), Ignored)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
def test_no_record_content_can_make_reading_raise(record: Any) -> None:
    assert isinstance(read_record(record), (Pending, Ignored))


@given(
    st.dictionaries(
        st.sampled_from(["EventType", "State", "StartTime", "Id", "x"]), st.text(max_size=40)
    ),
    st.text(max_size=300),
)
def test_no_attribute_or_message_text_can_make_reading_raise(
    attrs: dict[str, str], message: str
) -> None:
    assert isinstance(read_record(sns_record(message, attrs)), (Pending, Ignored))


def test_records_of_an_event_without_records_is_empty() -> None:
    assert records_of({"detail": {}}) == []
    assert records_of(None) == []
    assert records_of({"Records": [1, 2]}) == [1, 2]


def test_a_completed_state_attribute_wins_over_text_it_does_not_recognise() -> None:
    message = f"Recovery point ARN: {RP}. Resource ARN : {TABLE}. BackupJob ID : {JOB}"
    job = read_record(sns_record(message, attributes()))
    assert job == Pending(BACKUP_JOB, JOB, "sns", TABLE, RP, None, STARTED, WITH_TABLE)


def test_a_failed_state_attribute_wins_over_completed_text() -> None:
    ignored = read_record(sns_record(backup_message(RP, TABLE, JOB), attributes(State="FAILED")))
    assert isinstance(ignored, Ignored) and not ignored.relevant
    assert ignored.reason == "backup job state is FAILED, not COMPLETED"


@pytest.mark.parametrize(
    ("message", "overrides", "expected"),
    [
        (
            f"An AWS Backup job was completed successfully. Recovery point ARN: {RP}.",
            {},
            Ignored("message names no resource ARN", relevant=True, details=IDS),
        ),
        (
            f"An AWS Backup job was completed successfully. Recovery point ARN: {RP}. Resource ARN : {TABLE}.",
            {"Id": ""},
            Ignored("no backup job id (attribute Id or message text)", True, WITH_TABLE),
        ),
        (
            backup_message(RP, TABLE, JOB),
            {"StartTime": "2019-09-18T11Z"},
            Ignored(
                "StartTime attribute: '2019-09-18T11Z' is not an RFC 3339 time such as "
                "2024-08-27T09:20:00Z",
                True,
                WITH_TABLE,
            ),
        ),
    ],
)
def test_a_completed_job_missing_a_fact_is_rejected_not_skipped(
    message: str, overrides: dict[str, str], expected: Ignored
) -> None:
    assert read_record(sns_record(message, attributes(**overrides))) == expected


class NoStepFunctions:
    """Stands in for the Step Functions client: a rejected record must not reach it."""

    def start_execution(self, **request: Any) -> Any:
        raise AssertionError(f"a rejected record started an execution: {request}")


@pytest.mark.parametrize(
    ("message", "overrides", "reason"),
    [
        (
            f"An AWS Backup job was completed successfully. Recovery point ARN: {RP}.",
            {},
            "message names no resource ARN",
        ),
        (
            f"An AWS Backup job was completed successfully. Recovery point ARN: {RP}. Resource ARN : {TABLE}.",
            {"Id": ""},
            "no backup job id (attribute Id or message text)",
        ),
    ],
)
def test_the_trigger_logs_a_rejected_record_at_error(
    message: str,
    overrides: dict[str, str],
    reason: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(trigger, "client", lambda service: NoStepFunctions())
    env = {
        "STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:rotator",
        "SOURCE_PATTERN": "(?i)-production$",
    }
    event = sns_event(sns_record(message, attributes(**overrides)))
    with caplog.at_level(logging.INFO, logger="rotator"), environment.given(env):
        outcome = trigger.handler(event, None)
    assert outcome == {"started": 0, "duplicate": 0, "skipped": 0, "rejected": 1}
    [line] = caplog.records
    assert (line.levelno, line.__dict__["action"], line.__dict__["reason"]) == (
        logging.ERROR,
        "rejected",
        reason,
    )


def test_text_that_is_not_an_aws_backup_notification_is_skipped() -> None:
    record = sns_record("Hello from another publisher", None)
    assert read_record(record) == Ignored(
        "event type is unknown, not BACKUP_JOB or COPY_JOB", details=IDS
    )


@pytest.mark.parametrize(
    ("message", "expected_state"),
    [
        (backup_message(RP, TABLE, JOB, "failed"), "FAILED"),
        ("An AWS Backup job was started.", "unknown"),
    ],
)
def test_without_attributes_the_state_is_read_from_the_text(
    message: str, expected_state: str
) -> None:
    assert read_record(sns_record(message, None)) == Ignored(
        f"backup job state is {expected_state}, not COMPLETED", details=IDS
    )


def test_a_record_without_an_sns_object_says_what_was_expected() -> None:
    assert read_record({"EventSource": "aws:sqs"}) == Ignored(
        "record has no 'Sns' object; expected an SNS notification"
    )


def test_a_record_without_a_message_id_is_reported_with_an_empty_one() -> None:
    record = sns_record("Hello", None)
    del record["Sns"]["MessageId"]
    assert read_record(record) == Ignored(
        "event type is unknown, not BACKUP_JOB or COPY_JOB", details={"message_id": ""}
    )


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"State": "FAILED"}, Ignored("copy job state is FAILED, not COMPLETED", details=IDS)),
        ({"State": ""}, Ignored("copy job state is unknown, not COMPLETED", details=IDS)),
        ({"Id": ""}, Ignored("completed copy job without an Id attribute", True, IDS)),
    ],
)
def test_a_copy_job_that_starts_nothing_says_exactly_why(
    overrides: dict[str, str], expected: Ignored
) -> None:
    record = sns_record("text", attributes(EventType="COPY_JOB", **overrides))
    assert read_record(record) == expected
