"""Step "CheckRestore": is the copy ready, still restoring, failed, or out of time?"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from rotator import clock
from rotator.aws import aws_call, client, error_code
from rotator.errors import RestoreFailed, RestoreTimedOut
from rotator.handlers import backup_job_of, restore_state_of
from rotator.progress import restore_progress
from rotator.settings import CheckSettings

logger = logging.getLogger(__name__)


def handler(
    event: Any, context: Any = None, env: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Lambda's entry point. ``env`` stands in for the process environment (the
    emulator passes each function's own; Lambda passes nothing)."""
    settings = CheckSettings.from_env(os.environ if env is None else env)
    job = backup_job_of(event)
    restore = restore_state_of(event)
    table = _describe(restore.target_table_name)
    progress = restore_progress(table)
    if progress.failure:
        raise RestoreFailed(f"restore of {job.recovery_point_arn} failed: {progress.failure}")
    now = clock.now()
    if not progress.ready and now >= restore.deadline:
        waited = int((now - restore.started_at).total_seconds())
        raise RestoreTimedOut(
            f"table {restore.target_table_name} is still {progress.status} after "
            f"{waited} s, past the restore timeout "
            f"({restore.deadline:%Y-%m-%dT%H:%M:%SZ}); "
            "raise restore_timeout_seconds for tables this large"
        )
    logger.info(
        f"table {restore.target_table_name} is {progress.status}"
        + (" and ready" if progress.ready else ", still restoring"),
        extra={"action": "restore_checked", "table": restore.target_table_name},
    )
    return dataclasses.replace(
        restore,
        ready=progress.ready,
        table_status=progress.status,
        checks=restore.checks + 1,
        wait_seconds=settings.poll_interval_seconds,
    ).to_dict()


def _describe(table_name: str) -> dict[str, Any]:
    with aws_call(f"DynamoDB DescribeTable {table_name}"):
        try:
            return dict(client("dynamodb").describe_table(TableName=table_name)["Table"])
        except ClientError as err:
            if error_code(err) != "ResourceNotFoundException":
                raise
    raise RestoreFailed(f"table {table_name} no longer exists; it was deleted while being restored")
