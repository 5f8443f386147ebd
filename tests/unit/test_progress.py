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
    Progress,
    Verdict,
    adoption,
    copy_problems,
    deadline,
    judge,
    judge_restore_job,
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


def listed_job(job_id: str, **fields: str) -> dict[str, str]:
    return {"RestoreJobId": job_id, "RecoveryPointArn": BACKUP_RP, "Status": "COMPLETED", **fields}


def test_the_job_that_created_the_target_from_this_recovery_point_is_adopted() -> None:
    jobs = [
        listed_job("other-target", CreatedResourceArn=TARGET.replace("09-20", "09-21")),
        listed_job("other-point", RecoveryPointArn=BACKUP_RP + "X", CreatedResourceArn=TARGET),
        listed_job("failed", Status="FAILED", CreatedResourceArn=TARGET),
        listed_job("mine", CreatedResourceArn=TARGET),
    ]
    assert adoption(jobs, BACKUP_RP, TARGET) == Adoption("mine")


def test_running_jobs_of_this_recovery_point_are_candidates_until_their_metadata_says() -> None:
    jobs = [
        listed_job("running", Status="RUNNING"),
        listed_job("pending", Status="PENDING"),
        listed_job("aborted", Status="ABORTED"),
        listed_job("elsewhere", Status="RUNNING", RecoveryPointArn=BACKUP_RP + "X"),
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


def test_a_classic_copy_needs_its_restore_summary_to_be_published() -> None:
    """ACTIVE without RestoreSummary is ready as far as loading goes (above), but is never
    taken for the copy of a classic backup: nothing says it was restored from it."""
    assert copy_problems({"TableName": "copy", "TableStatus": "ACTIVE"}, RP) == [
        f"table 'copy' was restored from None, not from {RP!r}"
    ]


@pytest.mark.parametrize(
    ("described", "expected"),
    [
        (table("ACTIVE"), Progress(ready=True, status="ACTIVE")),
        ({"TableName": "copy", "TableStatus": "ACTIVE"}, Progress(ready=True, status="ACTIVE")),
        (table("ACTIVE", True), Progress(ready=False, status="ACTIVE")),
        (table("CREATING", True), Progress(ready=False, status="CREATING")),
        (
            {"TableName": "copy"},
            Progress(
                ready=False,
                status="UNKNOWN",
                failure="table 'copy' is UNKNOWN; expected CREATING or UPDATING while "
                "restoring, then ACTIVE",
            ),
        ),
    ],
)
def test_the_progress_of_a_restore_in_full(
    described: dict[str, object], expected: Progress
) -> None:
    assert restore_progress(described) == expected


@pytest.mark.parametrize(
    ("described", "expected"),
    [
        (table("ACTIVE"), Verdict(READY, "ACTIVE", "table copy is ACTIVE and ready")),
        (
            table("CREATING", True),
            Verdict(WAITING, "CREATING", "table copy is CREATING after 300 s, still restoring"),
        ),
        (
            table("ARCHIVED"),
            Verdict(
                FAILED,
                "ARCHIVED",
                "table 'copy' is ARCHIVED; expected CREATING or UPDATING while restoring, "
                "then ACTIVE",
            ),
        ),
    ],
)
def test_each_verdict_in_full(described: dict[str, object], expected: Verdict) -> None:
    assert judge(described, STARTED + timedelta(minutes=5), STARTED, DEADLINE) == expected


def test_the_deadline_is_the_start_plus_the_timeout() -> None:
    assert deadline(STARTED, 86400) == DEADLINE
    assert deadline(STARTED, 1) == STARTED + timedelta(seconds=1)


def restore_job(status: str | None, **fields: str) -> dict[str, str]:
    job = {"RestoreJobId": "job-1", **fields}
    if status is not None:
        job["Status"] = status
    return job


def test_a_completed_restore_job_hands_over_to_the_table() -> None:
    assert judge_restore_job(restore_job("COMPLETED"), DEADLINE, STARTED, DEADLINE) is None


@pytest.mark.parametrize("status", ["CREATED", "PENDING", "RUNNING"])
def test_a_restore_job_on_its_way_is_waited_for(status: str) -> None:
    now = STARTED + timedelta(minutes=5)
    assert judge_restore_job(restore_job(status), now, STARTED, DEADLINE) == Verdict(
        WAITING, status, f"AWS Backup restore job job-1 is {status} after 300 s"
    )


def test_a_restore_job_still_running_at_the_deadline_is_timed_out() -> None:
    assert judge_restore_job(restore_job("RUNNING"), DEADLINE, STARTED, DEADLINE) == Verdict(
        TIMED_OUT,
        "RUNNING",
        "AWS Backup restore job job-1 is still RUNNING after 86400 s, past the restore "
        "timeout (2024-08-28T09:40:00Z); raise restore_timeout_seconds for tables this large",
    )


@pytest.mark.parametrize(
    ("job", "expected"),
    [
        (
            restore_job("FAILED", StatusMessage="Access denied to the key"),
            Verdict(
                FAILED, "FAILED", "AWS Backup restore job job-1 is FAILED: Access denied to the key"
            ),
        ),
        (
            restore_job("ABORTED"),
            Verdict(
                FAILED, "ABORTED", "AWS Backup restore job job-1 is ABORTED: no status message"
            ),
        ),
        (
            restore_job(None),
            Verdict(
                FAILED, "UNKNOWN", "AWS Backup restore job job-1 is UNKNOWN: no status message"
            ),
        ),
    ],
)
def test_a_restore_job_that_ended_otherwise_fails_the_rotation_with_its_message(
    job: dict[str, str], expected: Verdict
) -> None:
    assert judge_restore_job(job, STARTED, STARTED, DEADLINE) == expected


TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/copy"
ADVANCED_RP = "arn:aws:backup:us-east-1:123456789012:recovery-point:1EB3B5E7"


def advanced_copy(status: str = "ACTIVE") -> dict[str, object]:
    """A table AWS Backup restored: judged by its restore job, not its RestoreSummary."""
    return {"TableName": "copy", "TableStatus": status, "TableArn": TABLE_ARN}


def test_a_copy_of_an_advanced_recovery_point_is_checked_by_its_restore_job() -> None:
    job = restore_job("COMPLETED", RecoveryPointArn=ADVANCED_RP, CreatedResourceArn=TABLE_ARN)
    assert copy_problems(advanced_copy(), ADVANCED_RP, job) == []


def test_every_problem_with_an_advanced_restore_is_listed() -> None:
    other_table = TABLE_ARN + "-other"
    job = restore_job("RUNNING", RecoveryPointArn="arn:other", CreatedResourceArn=other_table)
    assert copy_problems(advanced_copy("CREATING"), ADVANCED_RP, job) == [
        "table 'copy' is CREATING, not ACTIVE",
        "restore job job-1 is RUNNING, not COMPLETED",
        f"restore job job-1 restored 'arn:other', not {ADVANCED_RP!r}",
        f"restore job job-1 created {other_table!r}, not table {TABLE_ARN!r}",
    ]


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"Status": "FAILED"}, "restore job job-1 is FAILED, not COMPLETED"),
        (
            {"RecoveryPointArn": "arn:other"},
            f"restore job job-1 restored 'arn:other', not {ADVANCED_RP!r}",
        ),
        (
            {"CreatedResourceArn": "arn:t"},
            f"restore job job-1 created 'arn:t', not table {TABLE_ARN!r}",
        ),
    ],
)
def test_each_fact_of_the_restore_job_is_checked(fields: dict[str, str], problem: str) -> None:
    good = {"Status": "COMPLETED", "RecoveryPointArn": ADVANCED_RP, "CreatedResourceArn": TABLE_ARN}
    job = {"RestoreJobId": "job-1", **good, **fields}
    assert copy_problems(advanced_copy(), ADVANCED_RP, job) == [problem]
