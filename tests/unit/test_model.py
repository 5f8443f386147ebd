"""BackupJob and RestoreState survive the trip through the workflow's JSON."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rotator.model import (
    BackupJob,
    InvalidBackupJob,
    RestoreState,
    TableArn,
    format_time,
    parse_table_arn,
    parse_time,
)

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
    vault=st.none() | st.text(min_size=1, max_size=50).filter(str.strip),
)
def test_a_backup_job_round_trips_through_json(
    job_id: str, table: str, started: datetime, vault: str | None
) -> None:
    arn = f"arn:aws:dynamodb:us-east-1:123456789012:table/{table}"
    job = BackupJob(job_id, f"{arn}/backup/0123-ab", arn, started, vault_name=vault)
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


STARTED = datetime(2024, 8, 27, 9, 20, tzinfo=UTC)


def test_a_table_arn_is_read_into_its_parts() -> None:
    assert parse_table_arn("arn:aws-cn:dynamodb:cn-north-1:123456789012:table/orders.v2") == (
        TableArn("aws-cn", "cn-north-1", "123456789012", "orders.v2")
    )


def test_times_are_written_in_utc_with_a_z_whatever_the_machine_zone(
    machine_zone_not_utc: None,
) -> None:
    plus_two = timezone(timedelta(hours=2))
    assert format_time(datetime(2024, 8, 27, 11, 20, tzinfo=plus_two)) == "2024-08-27T09:20:00Z"
    assert format_time(STARTED.replace(microsecond=226000)) == "2024-08-27T09:20:00.226000Z"


def test_times_are_read_into_utc_whatever_the_machine_zone(machine_zone_not_utc: None) -> None:
    moment = parse_time("2024-08-27T11:20:00+02:00")
    assert moment.tzinfo is UTC and moment == STARTED


def test_a_time_of_the_right_shape_but_no_real_date_is_refused() -> None:
    with pytest.raises(ValueError, match="not an RFC 3339 time") as info:
        parse_time("2024-13-45T09:20:00Z")
    assert str(info.value) == (
        "'2024-13-45T09:20:00Z' is not an RFC 3339 time such as 2024-08-27T09:20:00Z"
    )


def test_a_backup_job_lists_its_derived_facts_in_json() -> None:
    assert BackupJob(" j-1 ", RP, TABLE, STARTED).to_dict() == {
        "job_id": " j-1 ",
        "recovery_point_arn": RP,
        "source_table_arn": TABLE,
        "started_at": "2024-08-27T09:20:00Z",
        "job_type": "backup",
        "source_table": "Orders-Production",
        "recovery_point_kind": "dynamodb",
    }


@pytest.mark.parametrize(
    ("job_id", "recovery_point", "table", "started", "message"),
    [
        (" ", RP, TABLE, STARTED, "backup job id is empty"),
        (
            "j",
            RP,
            "arn:aws:s3:::b",
            STARTED,
            "source table ARN 'arn:aws:s3:::b' is not a DynamoDB table ARN "
            "(arn:<partition>:dynamodb:<region>:<account>:table/<name>)",
        ),
        (
            "j",
            "arn:aws:s3:::b",
            TABLE,
            STARTED,
            "recovery point ARN 'arn:aws:s3:::b' is neither a DynamoDB backup "
            "(arn:...:dynamodb:...:table/<name>/backup/<id>) nor an AWS Backup recovery "
            "point (arn:...:backup:...:recovery-point:<id>)",
        ),
        ("j", RP, TABLE, STARTED.replace(tzinfo=None), "started_at must carry a time zone"),
    ],
)
def test_an_invalid_backup_job_says_exactly_what_is_wrong(
    job_id: str, recovery_point: str, table: str, started: datetime, message: str
) -> None:
    with pytest.raises(InvalidBackupJob) as info:
        BackupJob(job_id, recovery_point, table, started)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "expected the backup job as an object, got list"),
        (
            {"job_id": "x"},
            "backup job is missing string field(s) recovery_point_arn, source_table_arn, "
            "started_at; expected job_id, recovery_point_arn, source_table_arn, started_at",
        ),
    ],
)
def test_a_backup_job_that_is_not_one_says_what_was_expected(data: object, message: str) -> None:
    with pytest.raises(InvalidBackupJob) as info:
        BackupJob.from_dict(data)
    assert str(info.value) == message


def test_a_restore_state_that_is_not_an_object_says_what_it_is() -> None:
    with pytest.raises(ValueError, match="as an object") as info:
        RestoreState.from_dict(["kind"])
    assert str(info.value) == "expected the restore state as an object, got list"


def test_a_missing_time_field_is_named_once() -> None:
    data = RestoreState("dynamodb", "t", "arn:x", STARTED, STARTED).to_dict()
    del data["started_at"]
    with pytest.raises(ValueError, match="has no") as info:
        RestoreState.from_dict(data)
    assert str(info.value) == "restore state has no 'started_at' field"


def test_a_copy_job_keeps_its_type_through_json() -> None:
    job = BackupJob("c-1", RP, TABLE, STARTED, "copy")
    assert BackupJob.from_dict(job.to_dict()) == job
    without = {k: v for k, v in job.to_dict().items() if k != "job_type"}
    assert BackupJob.from_dict(without).job_type == "backup"  # a manual start's default


def test_an_unknown_or_untyped_job_type_is_refused_with_what_was_expected() -> None:
    with pytest.raises(InvalidBackupJob) as raised:
        BackupJob("j", RP, TABLE, STARTED, "restore")
    assert str(raised.value) == "job_type is 'restore'; expected one of backup, copy"
    data = {**BackupJob("j", RP, TABLE, STARTED).to_dict(), "job_type": 7}
    with pytest.raises(InvalidBackupJob) as raised:
        BackupJob.from_dict(data)
    assert str(raised.value) == "backup job job_type: expected a string, got int"


# -- vault_name: the vault AWS Backup's record of the job names --------------------------
ADVANCED_RP = "arn:aws:backup:us-east-1:123456789012:recovery-point:1EB3B5E7-9EB0-435A-A80B"


@pytest.mark.parametrize("vault", ["Default", "staging-copies", "a.b_c-d", "  padded  "])
def test_a_backup_jobs_vault_round_trips_through_json(vault: str) -> None:
    job = BackupJob("j-1", ADVANCED_RP, TABLE, STARTED, "copy", vault)
    data = job.to_dict()
    assert data["vault_name"] == vault
    assert BackupJob.from_dict(data) == job
    assert BackupJob.from_dict(data).vault_name == vault


def test_a_backup_job_without_a_vault_writes_no_vault_field() -> None:
    job = BackupJob("j-1", RP, TABLE, STARTED)
    assert job.vault_name is None
    assert "vault_name" not in job.to_dict()
    assert BackupJob.from_dict(job.to_dict()) == job


def test_a_vault_field_is_written_after_the_jobs_own_facts() -> None:
    data = BackupJob("j-1", ADVANCED_RP, TABLE, STARTED, vault_name="Default").to_dict()
    assert data == {
        "job_id": "j-1",
        "recovery_point_arn": ADVANCED_RP,
        "source_table_arn": TABLE,
        "started_at": "2024-08-27T09:20:00Z",
        "job_type": "backup",
        "vault_name": "Default",
        "source_table": "Orders-Production",
        "recovery_point_kind": "backup",
    }


def test_a_null_vault_field_reads_as_no_vault() -> None:
    data = {**BackupJob("j-1", RP, TABLE, STARTED).to_dict(), "vault_name": None}
    assert BackupJob.from_dict(data).vault_name is None


@pytest.mark.parametrize("vault", ["", "   ", "\t\n", "vault-\ud800"])
def test_an_empty_or_unsendable_vault_name_is_refused(vault: str) -> None:
    with pytest.raises(InvalidBackupJob) as info:
        BackupJob("j-1", ADVANCED_RP, TABLE, STARTED, vault_name=vault)
    assert str(info.value) == (
        f"vault_name is {vault!r}; expected a backup vault's name or no field"
    )
    data = {**BackupJob("j-1", ADVANCED_RP, TABLE, STARTED).to_dict(), "vault_name": vault}
    with pytest.raises(InvalidBackupJob, match="vault_name is"):
        BackupJob.from_dict(data)


@pytest.mark.parametrize(
    ("vault", "type_name"),
    [(7, "int"), (["Default"], "list"), ({"name": "v"}, "dict"), (True, "bool")],
)
def test_a_vault_field_that_is_not_a_string_is_refused(vault: object, type_name: str) -> None:
    data = {**BackupJob("j-1", ADVANCED_RP, TABLE, STARTED).to_dict(), "vault_name": vault}
    with pytest.raises(InvalidBackupJob) as info:
        BackupJob.from_dict(data)
    assert str(info.value) == f"backup job vault_name: expected a string, got {type_name}"
