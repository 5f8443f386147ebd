"""Reading AWS Backup's SNS notifications (vault notifications).

AWS Backup sends plain English text plus message attributes (the wordings below, and
the records tests/emulator/events.py builds). Attributes are preferred over the text wherever both
carry a fact; the ARNs are only in the text. Two wordings exist::

    An AWS Backup job was completed successfully. Recovery point ARN: <rp>.
    Backed up Resource ARN : <arn>. Backup Job Id : <id>          (seen in traffic)

    An AWS Backup job was completed successfully. Recovery point ARN: <rp>.
    Resource ARN : <arn>. BackupJob ID : <id>                     (AWS docs)

A completed copy (``EventType`` ``COPY_JOB``, sent for ``COPY_JOB_SUCCESSFUL``) is read
from its attributes alone (``Id`` is the copy job's id): its text is not documented, and
``DescribeCopyJob`` gives the copy's recovery point and source table authoritatively, so
it is ``Pending``.

``read_record`` never raises: every record becomes a ``Pending`` job (what the message
claims; the trigger confirms it against AWS Backup's record before anything starts), or
an ``Ignored`` that says why it was not used. A notification is no proof of anything:
anyone allowed to publish to the topic can send one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rotator.model import BACKUP_JOB as BACKUP_JOB_TYPE
from rotator.model import COPY_JOB, parse_table_arn, parse_time, recovery_point_kind
from rotator.sources.claims import Ignored, Pending

BACKUP_JOB = "BACKUP_JOB"
COPY_JOB_EVENT = "COPY_JOB"
COMPLETED = "COMPLETED"
# A copy job's completion is published as COPY_JOB_SUCCESSFUL; its State attribute is
# not documented, so both words are taken (DescribeCopyJob confirms COMPLETED).
_COPY_DONE = frozenset({COMPLETED, "SUCCESSFUL"})

# An ARN runs to the first "." that is followed by white space or the end of the text;
# ARNs may contain dots themselves (table/orders.v2).
_VALUE = r"\s*:\s*(\S+?)\.?(?=\s|$)"
_RECOVERY_POINT = re.compile(r"Recovery\s+point\s+ARN" + _VALUE, re.IGNORECASE)
_RESOURCE = re.compile(r"(?<![A-Za-z])Resource\s+ARN" + _VALUE, re.IGNORECASE)
_JOB_ID = re.compile(r"Backup\s*Job\s+Id" + _VALUE, re.IGNORECASE)
_COMPLETED_TEXT = re.compile(r"\bjob\s+was\s+completed\s+successfully\b", re.IGNORECASE)
_FAILED_TEXT = re.compile(r"\bjob\s+failed\b", re.IGNORECASE)
_BACKUP_JOB_TEXT = re.compile(r"^\s*An\s+AWS\s+Backup\s+job\b", re.IGNORECASE)


def _attributes(sns: Mapping[str, Any]) -> dict[str, str]:
    """Message attributes as name -> string value; malformed entries are left out."""
    raw = sns.get("MessageAttributes")
    attributes: dict[str, str] = {}
    if not isinstance(raw, Mapping):
        return attributes
    for name, entry in raw.items():
        value = entry.get("Value") if isinstance(entry, Mapping) else None
        if isinstance(name, str) and isinstance(value, str):
            attributes[name.strip().lower()] = value.strip()
    return attributes


def _text_value(pattern: re.Pattern[str], message: str) -> str | None:
    match = pattern.search(message)
    return match.group(1) if match else None


def _event_type(attributes: Mapping[str, str], message: str) -> str | None:
    if "eventtype" in attributes:
        return attributes["eventtype"].upper()
    return BACKUP_JOB if _BACKUP_JOB_TEXT.search(message) else None


def _state(attributes: Mapping[str, str], message: str) -> str | None:
    if "state" in attributes:
        return attributes["state"].upper()
    if _COMPLETED_TEXT.search(message):
        return COMPLETED
    if _FAILED_TEXT.search(message):
        return "FAILED"
    return None


def read_record(record: Any) -> Pending | Ignored:
    """Turn one SNS record into the job it announces (its claims, to be confirmed), or
    say why not."""
    sns = record.get("Sns") if isinstance(record, Mapping) else None
    if not isinstance(sns, Mapping):
        return Ignored("record has no 'Sns' object; expected an SNS notification")
    message = sns.get("Message")
    message = message if isinstance(message, str) else ""
    attributes = _attributes(sns)
    ids = {"message_id": str(sns.get("MessageId", ""))}

    event_type = _event_type(attributes, message)
    if event_type == COPY_JOB_EVENT:
        return _copy_job(attributes, ids)
    if event_type != BACKUP_JOB:
        return Ignored(
            f"event type is {event_type or 'unknown'}, not {BACKUP_JOB} or {COPY_JOB_EVENT}",
            details=ids,
        )
    state = _state(attributes, message)
    if state != COMPLETED:
        return Ignored(f"backup job state is {state or 'unknown'}, not {COMPLETED}", details=ids)

    resource_arn = _text_value(_RESOURCE, message)
    if resource_arn is None:
        return Ignored("message names no resource ARN", relevant=True, details=ids)
    table = parse_table_arn(resource_arn)
    if table is None:
        return Ignored(
            f"resource {resource_arn} is not a DynamoDB table",
            details={**ids, "resource_arn": resource_arn},
        )

    details = {**ids, "resource_arn": resource_arn}
    job_id = attributes.get("id") or _text_value(_JOB_ID, message)
    if not job_id:
        return Ignored("no backup job id (attribute Id or message text)", True, details)
    recovery_point_arn = _text_value(_RECOVERY_POINT, message)
    if recovery_point_arn is None:
        return Ignored("message names no recovery point ARN", True, details)
    start_time = attributes.get("starttime")
    started_at = None
    if start_time:
        try:
            started_at = parse_time(start_time)
        except (ValueError, OverflowError) as err:  # parse_time overflows near year 1, 9999
            return Ignored(f"StartTime attribute: {err}", True, details)
    if recovery_point_kind(recovery_point_arn) is None:
        return Ignored(
            f"recovery point ARN {recovery_point_arn!r} is neither a DynamoDB backup nor an "
            "AWS Backup recovery point",
            True,
            details,
        )
    # Claims only: DescribeBackupJob's record of the job decides (rotator.sources.lookups).
    return Pending(
        BACKUP_JOB_TYPE, job_id, "sns", resource_arn, recovery_point_arn, None, started_at, details
    )


def _copy_job(attributes: Mapping[str, str], ids: Mapping[str, str]) -> Pending | Ignored:
    state = attributes.get("state", "").upper()
    if state not in _COPY_DONE:
        return Ignored(f"copy job state is {state or 'unknown'}, not {COMPLETED}", details=ids)
    job_id = attributes.get("id", "")
    if not job_id:
        return Ignored("completed copy job without an Id attribute", True, ids)
    return Pending(COPY_JOB, job_id, "sns", details=ids)


def records_of(event: Any) -> list[Any]:
    """The records of a Lambda event from SNS (an empty list if there are none)."""
    records = event.get("Records") if isinstance(event, Mapping) else None
    return list(records) if isinstance(records, list) else []
