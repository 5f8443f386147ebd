"""What an event claims about a finished AWS Backup job (``Pending``), or why it starts
nothing (``Ignored``): the answers every event source gives (``rotator.sources``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rotator.model import BackupJob, is_text


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


def sendable(found: Found) -> Found:
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
