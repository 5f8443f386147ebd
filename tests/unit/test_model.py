"""BackupJob and RestoreState survive the trip through the workflow's JSON."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rotator.model import BackupJob, InvalidBackupJob, RestoreState, parse_time

TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-Production"
RP = TABLE + "/backup/01724750400000-a1b2c3d4"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-08-27T09:20:00Z", datetime(2024, 8, 27, 9, 20, tzinfo=UTC)),
        ("2019-09-02T13:48:52.226Z", datetime(2019, 9, 2, 13, 48, 52, 226000, tzinfo=UTC)),
        ("2024-08-27T11:20:00+02:00", datetime(2024, 8, 27, 9, 20, tzinfo=UTC)),
        (" 2024-08-27T09:20:00z\n", datetime(2024, 8, 27, 9, 20, tzinfo=UTC)),
    ],
)
def test_rfc3339_times_are_read_in_utc(text: str, expected: datetime) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["", "2024-08-27", "2024-08-27T09:20:00", "soon"])
def test_times_without_a_zone_or_malformed_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="2024-08-27T09:20:00Z"):
        parse_time(text)


@given(
    job_id=st.text(min_size=1, max_size=40).filter(str.strip),
    table=st.text(st.sampled_from("abcXYZ019_.-"), min_size=3, max_size=40),
    started=st.datetimes(timezones=st.just(UTC), min_value=datetime(1000, 1, 1)),
)
def test_a_backup_job_round_trips_through_json(job_id: str, table: str, started: datetime) -> None:
    arn = f"arn:aws:dynamodb:us-east-1:123456789012:table/{table}"
    job = BackupJob(job_id, f"{arn}/backup/0123-ab", arn, started)
    assert BackupJob.from_dict(job.to_dict()) == job


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "expected the backup job as an object"),
        ({"job_id": "x"}, "missing string field(s) recovery_point_arn, source_table_arn"),
        (
            {
                "job_id": "x",
                "recovery_point_arn": RP,
                "source_table_arn": TABLE,
                "started_at": "noon",
            },
            "started_at: 'noon' is not an RFC 3339 time",
        ),
        (
            {
                "job_id": "x",
                "recovery_point_arn": RP,
                "source_table_arn": "arn:aws:s3:::b",
                "started_at": "2024-08-27T09:20:00Z",
            },
            "is not a DynamoDB table ARN",
        ),
    ],
)
def test_a_malformed_backup_job_says_what_is_wrong(data: object, message: str) -> None:
    with pytest.raises(InvalidBackupJob) as info:
        BackupJob.from_dict(data)
    assert message in str(info.value)


def test_restore_state_round_trips_and_reports_missing_fields() -> None:
    now = datetime(2024, 8, 27, 9, 40, tzinfo=UTC)
    state = RestoreState("dynamodb", "t-20240827-09-20-00", "arn:x", now, now)
    assert RestoreState.from_dict(state.to_dict()) == state
    # a field a later step (or version) adds does not break reading the facts back
    assert RestoreState.from_dict({**state.to_dict(), "added_later": "x"}) == state
    with_job = RestoreState("backup", "t-20240827-09-20-00", "arn:x", now, now, "job-1")
    assert RestoreState.from_dict(with_job.to_dict()) == with_job
    assert "restore_job_id" not in state.to_dict()
    with pytest.raises(ValueError, match="no 'deadline' field"):
        RestoreState.from_dict({k: v for k, v in state.to_dict().items() if k != "deadline"})


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("target_table_arn", None, "field 'target_table_arn': expected a string, got NoneType"),
        ("started_at", 7, "field 'started_at': expected a string, got int"),
        ("deadline", "noon", "field 'deadline': 'noon' is not an RFC 3339 time"),
        ("kind", 3, "field 'kind': expected a string, got int"),
    ],
)
def test_a_malformed_restore_state_names_the_field(field: str, value: object, message: str) -> None:
    now = datetime(2024, 8, 27, 9, 40, tzinfo=UTC)
    data = RestoreState("dynamodb", "t", "arn:x", now, now).to_dict()
    data[field] = value
    with pytest.raises(ValueError, match="restore state ") as info:
        RestoreState.from_dict(data)
    assert message in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "2019-09-18T11Z",
        "2019-09-18T11:00Z",
        "2019-09-18",
        "20190918T110000Z",
        "2019-09-18T11:00:00",
    ],
)
def test_only_rfc_3339_times_are_read(text: str) -> None:
    with pytest.raises(ValueError, match=r"is not an RFC 3339 time such as"):
        parse_time(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-09-02T13:48:52.226Z", datetime(2019, 9, 2, 13, 48, 52, 226000, tzinfo=UTC)),
        ("2024-08-27T11:20:00+02:00", datetime(2024, 8, 27, 9, 20, tzinfo=UTC)),
        ("2024-08-27t09:20:00z", datetime(2024, 8, 27, 9, 20, tzinfo=UTC)),
    ],
)
def test_rfc_3339_times_are_read_in_utc(text: str, expected: datetime) -> None:
    assert parse_time(text) == expected
