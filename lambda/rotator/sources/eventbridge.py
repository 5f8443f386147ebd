"""Reading AWS Backup's EventBridge events (source ``aws.backup``).

Two detail types can start a rotation (AWS Backup devguide, eventbridge.html):

- ``Backup Job State Change`` with ``detail.state`` COMPLETED and ``resourceType``
  DynamoDB: the job id is ``detail.backupJobId``, the table ``detail.resourceArn``, the
  recovery point only ``resources[0]``. No field is the job's start in RFC 3339 (the
  dates may be in the form ``Jul 15, 2020 9:39:07 PM``): ``detail.creationDate`` is a
  claim only when it is RFC 3339. ``DescribeBackupJob`` gives ``CreationDate``.
- ``Copy Job State Change`` COMPLETED of DynamoDB: ``detail.copyJobId``,
  ``detail.destinationRecoveryPointArn`` (the copy: a string only when COMPLETED),
  ``detail.destinationBackupVaultArn``; ``resources[0]`` is the SOURCE recovery point.
  Always ``Pending``: the copy is named by its recovery point's ``CreationDate``.

Every job is ``Pending``: what the event says is a claim that AWS Backup's record of
the job confirms or contradicts (anyone allowed to put events on the bus can send one).
Every other detail type (``Restore Job State Change``, ``Recovery Point State Change``,
which follows every backup job, ...) starts nothing. ``read_event`` never raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rotator.model import (
    BACKUP_JOB,
    COPY_JOB,
    parse_table_arn,
    parse_time,
    recovery_point_kind,
)
from rotator.sources.claims import Ignored, Pending

SOURCE = "aws.backup"
BACKUP_JOB_CHANGE = "Backup Job State Change"
COPY_JOB_CHANGE = "Copy Job State Change"
COMPLETED = "COMPLETED"
DYNAMODB = "DynamoDB"


def _text(detail: Mapping[str, Any], name: str) -> str | None:
    value = detail.get(name)
    return value.strip() if isinstance(value, str) and value.strip() else None


def vault_name(vault_arn: str | None) -> str | None:
    """``arn:...:backup:<region>:<account>:backup-vault:<name>`` -> ``<name>``."""
    if vault_arn is None:
        return None
    head, _, name = vault_arn.rpartition(":backup-vault:")
    return name if head.startswith("arn:") and name else None


def read_event(event: Any) -> Pending | Ignored:
    """Turn one EventBridge event into the job it announces (its claims, to be
    confirmed against AWS Backup's record), or say why not."""
    if not isinstance(event, Mapping):
        return Ignored("event is not an object", relevant=True)
    ids = {"event_id": str(event.get("id", ""))}
    source, detail_type = event.get("source"), event.get("detail-type")
    if source != SOURCE:
        return Ignored(f"event source is {source!r}, not {SOURCE!r}", details=ids)
    if detail_type not in (BACKUP_JOB_CHANGE, COPY_JOB_CHANGE):
        return Ignored(
            f"detail-type {detail_type!r} never starts a rotation (only "
            f"{BACKUP_JOB_CHANGE!r} and {COPY_JOB_CHANGE!r} do)",
            details=ids,
        )
    detail = event.get("detail")
    if not isinstance(detail, Mapping):
        return Ignored(f"{detail_type} event has no detail object", True, ids)
    state, resource_type = _text(detail, "state"), _text(detail, "resourceType")
    if state != COMPLETED:
        return Ignored(
            f"{detail_type}: state is {state or 'unknown'}, not {COMPLETED}", details=ids
        )
    if resource_type != DYNAMODB:
        return Ignored(
            f"{detail_type}: resource type is {resource_type or 'unknown'}, not {DYNAMODB}",
            details=ids,
        )
    if detail_type == COPY_JOB_CHANGE:
        return _copy_job(detail, ids)
    return _backup_job(event, detail, ids)


def _resource_arn(detail: Mapping[str, Any], details: dict[str, str]) -> str | Ignored | None:
    arn = _text(detail, "resourceArn")
    if arn is not None and parse_table_arn(arn) is None:
        return Ignored(f"resourceArn {arn!r} is not a DynamoDB table ARN", True, details)
    return arn


def _backup_job(
    event: Mapping[str, Any], detail: Mapping[str, Any], ids: dict[str, str]
) -> Pending | Ignored:
    job_id = _text(detail, "backupJobId")
    if job_id is None:
        return Ignored("completed DynamoDB backup job event without detail.backupJobId", True, ids)
    details = {**ids, "job_id": job_id}
    resource_arn = _resource_arn(detail, details)
    if isinstance(resource_arn, Ignored):
        return resource_arn
    resources = event.get("resources")
    points = [
        arn
        for arn in (resources if isinstance(resources, list) else [])
        if isinstance(arn, str) and recovery_point_kind(arn) is not None
    ]
    recovery_point = points[0] if len(points) == 1 else None
    created = _text(detail, "creationDate")
    try:
        started_at = parse_time(created) if created else None
    except (ValueError, OverflowError):  # parse_time overflows near year 1 and 9999
        started_at = None  # not RFC 3339 (the documented form): no claim about the time
    # Claims only: DescribeBackupJob's record of the job decides (rotator.sources.lookups).
    return Pending(
        BACKUP_JOB, job_id, "eventbridge", resource_arn, recovery_point, None, started_at, ids
    )


def _copy_job(detail: Mapping[str, Any], ids: dict[str, str]) -> Pending | Ignored:
    job_id = _text(detail, "copyJobId")
    if job_id is None:
        return Ignored("completed DynamoDB copy job event without detail.copyJobId", True, ids)
    details = {**ids, "job_id": job_id}
    resource_arn = _resource_arn(detail, details)
    if isinstance(resource_arn, Ignored):
        return resource_arn
    destination = _text(detail, "destinationRecoveryPointArn")
    if destination is not None and recovery_point_kind(destination) is None:
        return Ignored(
            f"destinationRecoveryPointArn {destination!r} is not a recovery point ARN",
            True,
            details,
        )
    vault = vault_name(_text(detail, "destinationBackupVaultArn"))
    return Pending(COPY_JOB, job_id, "eventbridge", resource_arn, destination, vault, None, ids)
