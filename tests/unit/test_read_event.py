"""``rotator.sources.read_event``: one trigger function takes SNS and EventBridge events,
told apart by their shape."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from rotator.model import BACKUP_JOB, COPY_JOB
from rotator.sources import eventbridge as eventbridge_source
from rotator.sources import read_event
from rotator.sources import sns as sns_source
from rotator.sources.claims import Ignored, Pending
from tests.emulator.events import (
    backup_completed,
    backup_job_event,
    copy_completed,
    copy_job_event,
    sns_event,
)

ACCOUNT = "123456789012"
TABLE = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/Orders-Production"
RP = TABLE + "/backup/01724750400000-a1b2c3d4"
COPY_RP = f"arn:aws:backup:us-east-1:{ACCOUNT}:recovery-point:C0PY"
VAULT_ARN = f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-vault:staging-copies"
ANY_EVENT_ID = "710b0a4e-9ea9-4d60-b35b-6ac4a2e5f1a8"  # tests/emulator/events.py's
NEITHER = (
    "event is neither an SNS notification (Records[].Sns) nor an EventBridge "
    "event (source, detail-type, detail)"
)


def test_an_sns_event_is_read_record_by_record() -> None:
    records = [
        backup_completed(RP, TABLE, job_id="job-1"),
        {"garbage": True},
        copy_completed("copy-1"),
        backup_completed(RP, TABLE, job_id="job-2"),
    ]
    found = read_event(sns_event(*records))
    assert found == [sns_source.read_record(record) for record in records]
    assert [type(f) for f in found] == [Pending, Ignored, Pending, Pending]
    assert [f.job_type for f in found if isinstance(f, Pending)] == [
        BACKUP_JOB,
        COPY_JOB,
        BACKUP_JOB,
    ]
    assert [f.job_id for f in found if not isinstance(f, Ignored)] == ["job-1", "copy-1", "job-2"]


def test_one_sns_record_is_one_entry() -> None:
    [job] = read_event(sns_event(backup_completed(RP, TABLE)))
    assert isinstance(job, Pending) and (job.job_type, job.origin) == (BACKUP_JOB, "sns")
    assert (job.resource_arn, job.recovery_point_arn) == (TABLE, RP)


@pytest.mark.parametrize(
    "event",
    [
        {"Records": []},
        {"Records": None},
        {"Records": "x"},
        {"Records": {"0": backup_completed(RP, TABLE)}},
        {"Records": 1},
    ],
)
def test_an_sns_event_without_a_list_of_records_is_one_rejection(event: Any) -> None:
    assert read_event(event) == [Ignored("event has no Records list of SNS records", True, {})]


def test_records_that_are_not_records_are_each_ignored() -> None:
    found = read_event({"Records": [None, 1, "x", [], {}]})
    assert len(found) == 5
    assert all(
        f == Ignored("record has no 'Sns' object; expected an SNS notification") for f in found
    )


def test_an_eventbridge_event_is_one_entry() -> None:
    event = backup_job_event("job-1", TABLE, RP, creation_date="2024-08-27T09:40:00Z")
    assert read_event(event) == [eventbridge_source.read_event(event)]
    [job] = read_event(event)
    assert isinstance(job, Pending) and (job.job_id, job.origin) == ("job-1", "eventbridge")


def test_an_eventbridge_copy_event_is_pending() -> None:
    [found] = read_event(copy_job_event("copy-1", TABLE, RP, COPY_RP, VAULT_ARN))
    assert (
        isinstance(found, Pending) and found.job_type == COPY_JOB and found.origin == "eventbridge"
    )


def test_the_detail_type_key_alone_makes_an_eventbridge_event() -> None:
    assert read_event({"detail-type": "Backup Job State Change"}) == [
        Ignored("event source is None, not 'aws.backup'", False, {"event_id": ""})
    ]


def test_records_decide_when_an_event_has_both_shapes() -> None:
    event: dict[str, Any] = {
        **backup_job_event("eb-job", TABLE, RP, creation_date="2024-08-27T09:40:00Z"),
        **sns_event(backup_completed(RP, TABLE, job_id="sns-job")),
    }
    [job] = read_event(event)
    assert isinstance(job, Pending) and (job.job_id, job.origin) == ("sns-job", "sns")
    event["Records"] = []
    assert read_event(event) == [Ignored("event has no Records list of SNS records", True, {})]


@pytest.mark.parametrize(
    ("event", "type_name"),
    [
        ({}, "dict"),
        ({"source": "aws.backup", "detail": {}}, "dict"),  # no detail-type
        ({"records": []}, "dict"),  # the key is case-sensitive
        ({"Detail-Type": "Backup Job State Change"}, "dict"),
        (None, "NoneType"),
        ([], "list"),
        ([backup_completed(RP, TABLE)], "list"),
        ("Records", "str"),
        (42, "int"),
    ],
)
def test_an_event_of_neither_shape_is_one_rejection_naming_its_type(
    event: Any, type_name: str
) -> None:
    assert read_event(event) == [Ignored(NEITHER, True, {"event_type": type_name})]


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_a_start_time_out_of_range_in_utc_is_a_rejection_not_an_exception(moment: str) -> None:
    # RFC 3339 in shape, but Python's datetime cannot hold it once moved to UTC
    other = sns_event(backup_completed(RP, TABLE, job_id="job-ok"))["Records"][0]
    [rejected, job] = read_event(sns_event(backup_completed(RP, TABLE, start_time=moment), other))
    assert isinstance(rejected, Ignored) and rejected.relevant is True
    assert rejected.reason == f"StartTime attribute: {moment!r} is out of range once moved to UTC"
    assert isinstance(job, Pending) and job.job_id == "job-ok"


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_a_creation_date_out_of_range_in_utc_leaves_the_start_to_aws_backup(moment: str) -> None:
    [found] = read_event(backup_job_event("job-1", TABLE, RP, creation_date=moment))
    assert found == Pending(
        BACKUP_JOB, "job-1", "eventbridge", TABLE, RP, None, None, {"event_id": ANY_EVENT_ID}
    )


@pytest.mark.parametrize(
    "found", [Ignored("why"), Pending(BACKUP_JOB, "job-1", "sns")], ids=["Ignored", "Pending"]
)
def test_what_the_sources_return_cannot_be_changed_afterwards(found: Ignored | Pending) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.details = {}  # type: ignore[misc]


def test_a_job_id_that_is_not_valid_unicode_is_rejected_before_any_call() -> None:
    lone_surrogate = "job-\ud800"
    [sns_found] = read_event(sns_event(backup_completed(RP, TABLE, job_id=lone_surrogate)))
    [eventbridge_found] = read_event(backup_job_event(lone_surrogate, TABLE, RP))
    for found in (sns_found, eventbridge_found):
        assert isinstance(found, Ignored) and found.relevant is True
        assert found.reason in (
            "the job's id or ARNs are not valid Unicode text",
            f"backup job id {lone_surrogate!r} is not valid Unicode text",
        )


def test_an_unsendable_job_is_rejected_with_the_records_details() -> None:
    record = copy_completed("copy-\udc80")
    [found] = read_event({"Records": [record]})
    assert found == Ignored(
        "the job's id or ARNs are not valid Unicode text",
        relevant=True,
        details={"message_id": record["Sns"]["MessageId"]},
    )


@pytest.mark.parametrize(
    "event",
    [
        sns_event(backup_completed(RP, TABLE)),
        sns_event(backup_completed(COPY_RP, TABLE)),
        sns_event(copy_completed("copy-1")),
        backup_job_event("job-1", TABLE, RP, creation_date="2024-08-27T09:40:00Z"),
        backup_job_event("job-1", TABLE, COPY_RP, creation_date="2024-08-27T09:40:00Z"),
        copy_job_event("copy-1", TABLE, RP, COPY_RP, VAULT_ARN),
    ],
    ids=["sns backup", "sns advanced", "sns copy", "eb backup", "eb advanced", "eb copy"],
)
def test_no_event_is_trusted_however_complete(event: Any) -> None:
    # every completed job is a claim for AWS Backup's record to confirm
    [found] = read_event(event)
    assert isinstance(found, Pending) and found.confirmed is False
