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
from typing import Any

from rotator.sources import eventbridge, sns
from rotator.sources.claims import Found, Ignored, sendable

__all__ = ["read_event"]


def read_event(event: Any) -> list[Found]:
    """Everything one Lambda event announces: one entry per SNS record, or one for an
    EventBridge event. An event of neither shape is one relevant ``Ignored``."""
    if isinstance(event, Mapping) and "Records" in event:
        records = sns.records_of(event)
        if not records:
            return [Ignored("event has no Records list of SNS records", relevant=True)]
        return [sendable(sns.read_record(record)) for record in records]
    if isinstance(event, Mapping) and "detail-type" in event:
        return [sendable(eventbridge.read_event(event))]
    return [
        Ignored(
            "event is neither an SNS notification (Records[].Sns) nor an EventBridge "
            "event (source, detail-type, detail)",
            relevant=True,
            details={"event_type": type(event).__name__},
        )
    ]
