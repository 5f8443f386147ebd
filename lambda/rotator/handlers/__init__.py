"""Lambda entry points. Each reads like a step of the workflow; the logic they call is
in the pure modules of ``rotator``."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from rotator.errors import InvalidInput
from rotator.model import BackupJob, InvalidBackupJob, RestoreState

logging.getLogger("rotator").setLevel(os.environ.get("AWS_LAMBDA_LOG_LEVEL", "INFO"))


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
