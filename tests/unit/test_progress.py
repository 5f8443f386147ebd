"""Judging a restore, and the checks before the pointer moves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rotator.progress import (
    FAILED,
    READY,
    TIMED_OUT,
    WAITING,
    Adoption,
    adoption,
    copy_problems,
    judge,
    restore_progress,
    restores_into,
)

RP = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-Production/backup/017-a"


def table(status: str, in_progress: bool = False, source: str | None = RP) -> dict[str, object]:
    summary: dict[str, object] = {"RestoreInProgress": in_progress}
    if source:
        summary["SourceBackupArn"] = source
    return {"TableName": "copy", "TableStatus": status, "RestoreSummary": summary}


def test_active_and_loaded_is_ready() -> None:
    assert restore_progress(table("ACTIVE")).ready


@pytest.mark.parametrize(
    ("status", "loading"), [("CREATING", True), ("UPDATING", False), ("ACTIVE", True)]
)
def test_creating_updating_or_still_loading_is_not_ready_yet(status: str, loading: bool) -> None:
    progress = restore_progress(table(status, loading))
    assert not progress.ready and progress.failure is None


@pytest.mark.parametrize("status", ["DELETING", "ARCHIVED", "INACCESSIBLE_ENCRYPTION_CREDENTIALS"])
def test_other_statuses_are_failures_that_say_so(status: str) -> None:
    progress = restore_progress(table(status))
    assert (
        progress.failure
        == f"table 'copy' is {status}; expected CREATING or UPDATING while restoring, then ACTIVE"
    )


def test_a_ready_copy_of_this_backup_has_no_problems() -> None:
    assert copy_problems(table("ACTIVE"), RP) == []


def test_every_problem_with_a_copy_is_listed() -> None:
    problems = copy_problems(table("CREATING", True, "arn:other"), RP)
    assert problems == [
        "table 'copy' is CREATING, not ACTIVE",
        "table 'copy' is still loading data (RestoreInProgress)",
        f"table 'copy' was restored from 'arn:other', not from {RP!r}",
    ]


def test_a_table_not_restored_from_any_backup_is_not_a_copy() -> None:
    assert copy_problems(table("ACTIVE", source=None), RP) == [
        f"table 'copy' was restored from None, not from {RP!r}"
    ]


STARTED = datetime(2024, 8, 27, 9, 40, tzinfo=UTC)
DEADLINE = STARTED + timedelta(hours=24)


@pytest.mark.parametrize(
    ("described", "after", "outcome"),
    [
        (table("ACTIVE"), timedelta(minutes=5), READY),
        (table("ACTIVE"), timedelta(hours=30), READY),  # finished: never timed out late
        (table("CREATING", True), timedelta(minutes=5), WAITING),
        (table("ACTIVE", True), timedelta(hours=23, minutes=59), WAITING),
        (table("CREATING", True), timedelta(hours=24), TIMED_OUT),
        (table("DELETING"), timedelta(minutes=5), FAILED),
        (None, timedelta(minutes=5), FAILED),
    ],
)
def test_each_check_is_ready_waiting_failed_or_timed_out(
    described: dict[str, object] | None, after: timedelta, outcome: str
) -> None:
    assert judge(described, STARTED + after, STARTED, DEADLINE).outcome == outcome


def test_a_timeout_says_how_long_it_waited_and_what_to_raise() -> None:
    verdict = judge(table("CREATING", True), DEADLINE, STARTED, DEADLINE)
    assert verdict.message == (
        "table copy is still CREATING after 86400 s, past the restore timeout "
        "(2024-08-28T09:40:00Z); raise restore_timeout_seconds for tables this large"
    )


def test_a_deleted_table_says_so() -> None:
    verdict = judge(None, STARTED, STARTED, DEADLINE)
    assert (verdict.status, verdict.message) == (
        "MISSING",
        "the table no longer exists; it was deleted while being restored",
    )


def test_an_active_table_without_a_restore_summary_is_ready() -> None:
    assert restore_progress({"TableName": "copy", "TableStatus": "ACTIVE"}).ready


BACKUP_RP = "arn:aws:backup:us-east-1:123456789012:recovery-point:RP-1"
TARGET = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-staging-20240827-09-20-00"


def restore_job(job_id: str, **fields: str) -> dict[str, str]:
    return {"RestoreJobId": job_id, "RecoveryPointArn": BACKUP_RP, "Status": "COMPLETED", **fields}


def test_the_job_that_created_the_target_from_this_recovery_point_is_adopted() -> None:
    jobs = [
        restore_job("other-target", CreatedResourceArn=TARGET.replace("09-20", "09-21")),
        restore_job("other-point", RecoveryPointArn=BACKUP_RP + "X", CreatedResourceArn=TARGET),
        restore_job("failed", Status="FAILED", CreatedResourceArn=TARGET),
        restore_job("mine", CreatedResourceArn=TARGET),
    ]
    assert adoption(jobs, BACKUP_RP, TARGET) == Adoption("mine")


def test_running_jobs_of_this_recovery_point_are_candidates_until_their_metadata_says() -> None:
    jobs = [
        restore_job("running", Status="RUNNING"),
        restore_job("pending", Status="PENDING"),
        restore_job("aborted", Status="ABORTED"),
        restore_job("elsewhere", Status="RUNNING", RecoveryPointArn=BACKUP_RP + "X"),
    ]
    assert adoption(jobs, BACKUP_RP, TARGET) == Adoption(None, ("running", "pending"))
    assert adoption([], BACKUP_RP, TARGET) == Adoption(None, ())


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ({"targetTableName": "Orders-staging-20240827-09-20-00"}, True),
        ({"TargetTableName": "Orders-staging-20240827-09-20-00"}, True),
        ({"targetTableName": "Orders-staging-20240827-09-20-01"}, False),
        ({"tableName": "Orders-staging-20240827-09-20-00"}, False),
        ({}, False),
    ],
)
def test_the_metadata_names_the_target(metadata: dict[str, str], expected: bool) -> None:
    assert restores_into(metadata, "Orders-staging-20240827-09-20-00") is expected
