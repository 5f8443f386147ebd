"""Reading ``Restore Job State Change`` events (``rotator.sources.restore_jobs``) and
deciding whether a rotation keeps waiting for its restore job
(``rotator.progress.keeps_waiting``)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rotator.progress import keeps_waiting
from rotator.sources.claims import Ignored
from rotator.sources.restore_jobs import FINISHED, RestoreJobChange, read_restore_event
from tests.emulator.events import restore_job_event
from tests.fuzzing import examples

JOB = "E5942244-6C1B-4071-AB8E-14E3DE170D6D"
POINT = "arn:aws:backup:us-east-1:123456789012:recovery-point:1EB3B5E7-9EB0-435A-A80B"


def bent(path: tuple[str, ...], value: Any, status: str = "COMPLETED") -> dict[str, Any]:
    event = copy.deepcopy(restore_job_event(JOB, status, POINT))
    target = event
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return event


@pytest.mark.parametrize("status", sorted(FINISHED))
def test_a_finished_restore_job_is_read(status: str) -> None:
    assert read_restore_event(restore_job_event(JOB, status, POINT)) == RestoreJobChange(
        JOB, status
    )


@pytest.mark.parametrize("status", ["RUNNING", "PENDING", "CREATED", "completed", None, 7])
def test_an_unfinished_or_unknown_status_wakes_nothing_and_is_no_error(status: Any) -> None:
    found = read_restore_event(bent(("detail", "status"), status))
    assert isinstance(found, Ignored) and not found.relevant
    assert "only a finished job" in found.reason


@pytest.mark.parametrize(
    ("path", "value", "reason"),
    [
        (("detail", "restoreJobId"), KeyError, "restoreJobId None"),
        (("detail", "restoreJobId"), "", "restoreJobId ''"),
        (("detail", "restoreJobId"), "a/b", "restoreJobId 'a/b'"),
        (("detail", "restoreJobId"), "x" * 101, "expected an AWS Backup restore job id"),
        (("detail", "restoreJobId"), 12, "restoreJobId 12"),
        (("detail",), KeyError, "without a detail object"),
        (("detail",), ["COMPLETED"], "without a detail object"),
    ],
)
def test_a_finished_job_that_cannot_be_named_is_reported(
    path: tuple[str, ...], value: Any, reason: str
) -> None:
    found = read_restore_event(bent(path, value))
    assert isinstance(found, Ignored) and found.relevant
    assert reason in found.reason


@pytest.mark.parametrize(
    ("path", "value"),
    [(("source",), "aws.dynamodb"), (("detail-type",), "Backup Job State Change")],
)
def test_other_events_are_not_restore_job_events(path: tuple[str, ...], value: str) -> None:
    found = read_restore_event(bent(path, value))
    assert isinstance(found, Ignored) and not found.relevant
    assert "expected 'aws.backup' 'Restore Job State Change'" in found.reason


def test_a_job_id_of_100_characters_is_read() -> None:
    assert read_restore_event(bent(("detail", "restoreJobId"), "A" * 100)) == RestoreJobChange(
        "A" * 100, "COMPLETED"
    )


def test_something_that_is_not_an_event_is_reported() -> None:
    found = read_restore_event(["not", "an", "event"])
    assert isinstance(found, Ignored) and found.relevant


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
)


@settings(max_examples=examples(1500), deadline=None)
@given(
    detail=st.dictionaries(
        st.sampled_from(["restoreJobId", "status", "createdResourceArn", "other"]), json_values
    ),
    top=st.dictionaries(st.sampled_from(["source", "detail-type", "id"]), json_values),
)
def test_no_event_makes_the_reader_raise(detail: dict[str, Any], top: dict[str, Any]) -> None:
    event = {"source": "aws.backup", "detail-type": "Restore Job State Change", **top}
    event["detail"] = detail
    found = read_restore_event(event)
    if isinstance(found, RestoreJobChange):
        assert found.status in FINISHED and detail["restoreJobId"] == found.restore_job_id


STARTED = datetime(2024, 8, 27, 9, 40, tzinfo=UTC)
UNTIL = STARTED + timedelta(hours=24)


@pytest.mark.parametrize(
    ("status", "now", "waiting"),
    [
        ("RUNNING", STARTED + timedelta(hours=1), True),
        ("PENDING", STARTED, True),
        ("CREATED", UNTIL - timedelta(seconds=1), True),
        ("RUNNING", UNTIL, False),  # out of time: WaitForRestore says RestoreTimedOut
        ("COMPLETED", STARTED + timedelta(hours=1), False),
        ("FAILED", STARTED + timedelta(hours=1), False),
        ("ABORTED", STARTED + timedelta(hours=1), False),
        ("SOMETHING NEW", STARTED + timedelta(hours=1), False),
    ],
)
def test_a_rotation_keeps_waiting_only_for_a_running_job_within_its_timeout(
    status: str, now: datetime, waiting: bool
) -> None:
    job = {"RestoreJobId": JOB, "Status": status}
    assert keeps_waiting(job, now, STARTED, UNTIL) is waiting


@pytest.mark.parametrize(
    ("path", "value", "reason"),
    [
        (
            ("source",),
            "aws.dynamodb",
            "event is 'aws.dynamodb' 'Restore Job State Change'; "
            "expected 'aws.backup' 'Restore Job State Change'",
        ),
        (
            ("detail-type",),
            "Backup Job State Change",
            "event is 'aws.backup' 'Backup Job State Change'; "
            "expected 'aws.backup' 'Restore Job State Change'",
        ),
        (
            ("source",),
            KeyError,
            "event is None 'Restore Job State Change'; "
            "expected 'aws.backup' 'Restore Job State Change'",
        ),
    ],
)
def test_another_event_is_named_by_its_source_and_detail_type(
    path: tuple[str, ...], value: Any, reason: str
) -> None:
    assert read_restore_event(bent(path, value)) == Ignored(reason)


@pytest.mark.parametrize("status", ["RUNNING", None])
def test_an_unfinished_status_is_named_with_the_finished_ones(status: Any) -> None:
    assert read_restore_event(bent(("detail", "status"), status)) == Ignored(
        f"restore job status is {status!r}; only a finished job "
        "(ABORTED, COMPLETED, FAILED) wakes a rotation"
    )


def test_the_reasons_without_an_object_say_which_object_is_missing() -> None:
    assert read_restore_event("not an event") == Ignored("event is not an object", relevant=True)
    assert read_restore_event(bent(("detail",), "COMPLETED")) == Ignored(
        "Restore Job State Change without a detail object", relevant=True
    )


def test_an_unusable_job_id_is_named_with_what_was_expected() -> None:
    assert read_restore_event(bent(("detail", "restoreJobId"), "a/b")) == Ignored(
        "Restore Job State Change with restoreJobId 'a/b'; expected an AWS Backup "
        "restore job id (letters, digits and '-')",
        relevant=True,
    )
