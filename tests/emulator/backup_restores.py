"""AWS Backup restore jobs of DynamoDB recovery points, which moto 5.2.5 lacks.

``StartRestoreJob`` and ``DescribeRestoreJob`` are served through moto's AWS Backup
routes, so requests are still validated against botocore's model (client side) and
recorded as IAM actions. A recovery point (``RecoveryPoints.create``) is an
``arn:aws:backup:...:recovery-point:<uuid>`` standing for a snapshot of a table (a
DynamoDB backup kept behind it); a job completes ``restore_seconds`` of simulated time
after it started, when its table really appears in moto's DynamoDB with the
snapshot's items, or ends ``FAILED`` as the emulator is told.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from moto.backup import urls as backup_urls
from moto.backup.exceptions import ResourceNotFoundException
from moto.backup.responses import BackupResponse
from moto.core.exceptions import JsonRESTError
from moto.dynamodb.models import dynamodb_backends

_JOBS_PATH = "{0}/restore-jobs$"
_JOB_PATH = "{0}/restore-jobs/(?P<restore_job_id>[^/]+)$"


@dataclass
class RestoreJob:
    restore_job_id: str
    recovery_point_arn: str
    role_arn: str
    target: str
    token: str | None
    created: datetime
    status: str = "RUNNING"
    message: str = ""
    created_arn: str | None = None


class RecoveryPoints:
    """The emulator's AWS Backup recovery points and restore jobs."""

    def __init__(
        self,
        now: Callable[[], datetime],
        restore_seconds: Callable[[], float],
        end_status: Callable[[], str],
        fault: Callable[[str], str | None],
        restore_table: Callable[[Any, str, str], Any],
    ) -> None:
        self._now = now
        self._restore_seconds = restore_seconds
        self._end_status = end_status
        self._fault = fault
        self._restore_table = restore_table  # moto's own RestoreTableFromBackup
        self.snapshots: dict[str, str] = {}  # recovery point ARN -> DynamoDB backup ARN
        self.jobs: dict[str, RestoreJob] = {}

    def create(self, region: str, account: str, backup_arn: str) -> str:
        arn = f"arn:aws:backup:{region}:{account}:recovery-point:{str(uuid.uuid4()).upper()}"
        self.snapshots[arn] = backup_arn
        return arn

    def install(self, patch: Callable[[Any, str, Any], None]) -> None:
        points = self

        def start_restore_job(response: Any) -> str:
            points.raise_fault("StartRestoreJob")
            body = json.loads(response.body or "{}")
            arn = body["RecoveryPointArn"]
            if arn not in points.snapshots:
                raise ResourceNotFoundException(f"Recovery point {arn} not found")
            metadata = {k.lower(): v for k, v in (body.get("Metadata") or {}).items()}
            if "targettablename" not in metadata:
                raise JsonRESTError(
                    "InvalidParameterValueException", "Metadata must name targetTableName"
                )
            token = body.get("IdempotencyToken")
            for job in points.jobs.values():
                if token and job.token == token:
                    return json.dumps({"RestoreJobId": job.restore_job_id})
            job = RestoreJob(
                restore_job_id=str(uuid.uuid4()).upper(),
                recovery_point_arn=arn,
                role_arn=body["IamRoleArn"],
                target=metadata["targettablename"],
                token=token,
                created=points._now(),
            )
            points.jobs[job.restore_job_id] = job
            return json.dumps({"RestoreJobId": job.restore_job_id})

        def describe_restore_job(response: Any) -> str:
            points.raise_fault("DescribeRestoreJob")
            job_id = response.path.rstrip("/").rsplit("/", 1)[-1]
            job = points.jobs.get(job_id)
            if job is None:
                raise ResourceNotFoundException(f"Restore job {job_id} not found")
            points.advance(job, response.current_account, response.region)
            described: dict[str, Any] = {
                "RestoreJobId": job.restore_job_id,
                "AccountId": response.current_account,
                "RecoveryPointArn": job.recovery_point_arn,
                "IamRoleArn": job.role_arn,
                "ResourceType": "DynamoDB",
                "Status": job.status,
                "StatusMessage": job.message,
                "CreationDate": job.created.timestamp(),
                "PercentDone": "100.00%" if job.status == "COMPLETED" else "0.00%",
            }
            if job.created_arn:
                described["CreatedResourceArn"] = job.created_arn
            return json.dumps(described)

        patch(BackupResponse, "start_restore_job", start_restore_job)
        patch(BackupResponse, "describe_restore_job", describe_restore_job)
        patch(
            backup_urls,
            "url_paths",
            {
                **backup_urls.url_paths,
                _JOBS_PATH: backup_urls.response.dispatch,
                _JOB_PATH: backup_urls.response.dispatch,
            },
        )

    def raise_fault(self, operation: str) -> None:
        code = self._fault(operation)
        if code is not None:
            raise JsonRESTError(code, f"injected {code}")

    def advance(self, job: RestoreJob, account: str, region: str) -> None:
        """Complete (or fail) ``job`` once its restore time has passed."""
        if job.status != "RUNNING":
            return
        if (self._now() - job.created).total_seconds() < self._restore_seconds():
            return
        end = self._end_status()
        backend = dynamodb_backends[account][region]
        if end != "COMPLETED":
            job.status, job.message = end, f"Restore of {job.recovery_point_arn} {end.lower()}"
        elif job.target in backend.tables:
            job.status, job.message = "FAILED", f"Table already exists: {job.target}"
        else:
            table = self._restore_table(backend, job.target, self.snapshots[job.recovery_point_arn])
            job.status, job.created_arn = "COMPLETED", table.table_arn
