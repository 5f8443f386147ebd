"""Lambda entry points. Each reads like a step of the workflow; the logic they call is
in the pure modules of ``rotator``."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from rotator.aws import aws_call, client
from rotator.errors import InvalidInput
from rotator.model import BackupJob, InvalidBackupJob, RestoreState


def log_level(name: str | None) -> int:
    """Python's level for Lambda's application log level (TRACE is DEBUG; unknown or
    unset is INFO), so no value of ``lambda_log_level`` can break an import."""
    name = (name or "INFO").strip().upper()
    return logging.getLevelNamesMapping().get("DEBUG" if name == "TRACE" else name, logging.INFO)


logging.getLogger("rotator").setLevel(log_level(os.environ.get("AWS_LAMBDA_LOG_LEVEL")))


def backup_job_of(event: Any) -> BackupJob:
    """The ``backup`` object every step receives, validated."""
    data = event.get("backup") if isinstance(event, Mapping) else None
    try:
        return BackupJob.from_dict(data)
    except InvalidBackupJob as err:
        raise InvalidInput(f"step input 'backup': {err}") from None


def restore_state_of(event: Any) -> RestoreState:
    """The ``restore`` object the restore steps pass along, validated."""
    data = event.get("restore") if isinstance(event, Mapping) else None
    try:
        return RestoreState.from_dict(data)
    except ValueError as err:
        raise InvalidInput(f"step input 'restore': {err}") from None


def describe_restore_job(restore_job_id: str) -> dict[str, Any]:
    """AWS Backup DescribeRestoreJob: how an AWS Backup restore stands (WaitForRestore)
    and what it created (Publish)."""
    with aws_call(f"AWS Backup DescribeRestoreJob {restore_job_id}"):
        return dict(client("backup").describe_restore_job(RestoreJobId=restore_job_id))
