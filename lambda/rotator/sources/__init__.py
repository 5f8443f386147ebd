"""Event sources: what each kind of event says about a finished AWS Backup job.

Each source module turns one event into a ``Pending`` job, the event's claims, which
the trigger confirms against AWS Backup's own record of the job before it starts
anything (``rotator.sources.lookups`` says which call and reads its answer; the record
decides, and a claim that contradicts it is rejected), or an ``Ignored`` that says why
it starts nothing. None of them raises on an event's content, whatever it holds.

- ``rotator.sources.sns``: AWS Backup's vault notifications (``Records[].Sns``);
- ``rotator.sources.eventbridge``: ``aws.backup`` events (``Backup Job State Change``,
  ``Copy Job State Change``).

``read_event`` dispatches on the event's shape, so one trigger function takes both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rotator.model import BACKUP_JOB, COPY_JOB, BackupJob, is_text

__all__ = ["BACKUP_JOB", "COPY_JOB", "Found", "Ignored", "Pending", "read_event"]


@dataclass(frozen=True)
class Ignored:
    """An event (or record) that starts no rotation, and why.

    ``relevant`` is true when it announced a completed DynamoDB job that could not be
    used (a malformed event): those are logged as errors, the rest (other services,
    other events, other states) as information.
    """

    reason: str
    relevant: bool = False
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Pending:
    """A completed DynamoDB backup or copy job as an event announces it: what the event
    claims, to be confirmed against AWS Backup's own record of the job
    (``rotator.sources.lookups``) before anything is started. No event is trusted on
    its own: a message anyone allowed to publish to the topic could have sent must not
    decide which recovery point is restored, of which table, under which name. Fields
    are ``None`` where the event says nothing.

    ``recovery_point_arn`` is the recovery point to restore: the backup's, or for a
    copy the destination (the copy in this account); ``vault_name`` is its vault.
    ``confirmed`` is true once DescribeCopyJob has confirmed a copy job's facts (a copy
    then needs DescribeRecoveryPoint for its creation date).
    """

    job_type: str
    job_id: str
    origin: str  # "sns", "eventbridge" or "execution input", for the logs
    resource_arn: str | None = None
    recovery_point_arn: str | None = None
    vault_name: str | None = None
    started_at: datetime | None = None
    details: Mapping[str, Any] = field(default_factory=dict)
    confirmed: bool = False


Found = BackupJob | Pending | Ignored


def read_event(event: Any) -> list[Found]:
    """Everything one Lambda event announces: one entry per SNS record, or one for an
    EventBridge event. An event of neither shape is one relevant ``Ignored``."""
    from rotator.sources import eventbridge, sns  # the source modules import this one

    if isinstance(event, Mapping) and "Records" in event:
        records = sns.records_of(event)
        if not records:
            return [Ignored("event has no Records list of SNS records", relevant=True)]
        return [_sendable(sns.read_record(record)) for record in records]
    if isinstance(event, Mapping) and "detail-type" in event:
        return [_sendable(eventbridge.read_event(event))]
    return [
        Ignored(
            "event is neither an SNS notification (Records[].Sns) nor an EventBridge "
            "event (source, detail-type, detail)",
            relevant=True,
            details={"event_type": type(event).__name__},
        )
    ]


def _sendable(found: Found) -> Found:
    """A job whose facts cannot be sent to AWS (text JSON may carry, UTF-8 may not)
    is rejected here, before any call is made with them."""
    if isinstance(found, Ignored):
        return found
    facts = [value for value in vars(found).values() if isinstance(value, str)]
    if all(is_text(value) for value in facts):
        return found
    return Ignored(
        "the job's id or ARNs are not valid Unicode text",
        relevant=True,
        details={**getattr(found, "details", {})},
    )
