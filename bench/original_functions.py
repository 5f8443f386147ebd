"""Stand-ins for the original application's four Go functions, written for this
benchmark from the behaviour ``seed-compat`` describes (none of its code is used).

The emulator calls a handler that is not the rotator's as Lambda does,
``handler(event, context)``, in this process. Each stand-in makes the one AWS call its
Go function makes, with the same arguments, and returns what the state machine reads.
The original's settings come from its SAM parameters; these are their defaults (the
module's defaults and the emulator's parameter name are the same).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

import boto3

from rotator import naming

# The original's state machine, which its trigger starts (SAM passes the ARN in the
# trigger's environment; the emulator gives a stand-in none, so it looks it up by name).
STATE_MACHINE_NAME = "aws-backup-dynamodb-rotator-original"
SOURCE_PATTERN = "(?i)-production$"
REPLACEMENT_PATTERN = "-staging"
SSM_PARAMETER_NAME = "/staging/database-arn"

_RECOVERY_POINT = re.compile(r"Recovery point ARN: (arn:\S+?)\.(?:\s|$)")
_RESOURCE = re.compile(r"Resource ARN : (arn:\S+?)\.(?:\s|$)")
_JOB_ID = re.compile(r"Job I[Dd] : (\S+)")

_clients: dict[tuple[str, int], Any] = {}


def _client(service: str) -> Any:
    """One boto3 client per service and default session (the emulator's)."""
    session = boto3._get_default_session()
    key = (service, id(session))
    if key not in _clients:
        _clients[key] = session.client(service)  # type: ignore[call-overload]
    return _clients[key]


def _json_safe(value: Any) -> Any:
    """What the Go SDK would marshal: dates as strings, no response metadata."""
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if k != "ResponseMetadata"}
    return json.loads(json.dumps(value, default=str))


def trigger(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The SNS subscriber: reads the first record only, starts an execution (unnamed)
    for a completed backup of a DynamoDB table whose ARN matches SourcePattern."""
    sns = event["Records"][0]["Sns"]
    message = str(sns["Message"])
    attributes = {k: v["Value"] for k, v in sns.get("MessageAttributes", {}).items()}
    point, resource, job = (p.search(message) for p in (_RECOVERY_POINT, _RESOURCE, _JOB_ID))
    if "completed successfully" not in message or not (point and resource and job):
        return {"started": False}
    resource_arn = resource.group(1)
    # the original matches the pattern against the whole ARN (one of its defects; the
    # same result for the default pattern)
    if ":dynamodb:" not in resource_arn or not re.search(SOURCE_PATTERN, resource_arn):
        return {"started": False}
    machines = _client("stepfunctions").list_state_machines()["stateMachines"]
    [arn] = [m["stateMachineArn"] for m in machines if m["name"] == STATE_MACHINE_NAME]
    execution_input = {
        "StatusMessage": message,
        "RecoveryPointArn": point.group(1),
        "BackedUpResourceArn": resource_arn,
        "BackupJobID": job.group(1),
        "StartTime": attributes["StartTime"],
        "SourcePattern": SOURCE_PATTERN,
        "ReplacementPattern": REPLACEMENT_PATTERN,
        "SSMParameterName": SSM_PARAMETER_NAME,
    }
    started = _client("stepfunctions").start_execution(
        stateMachineArn=arn, input=json.dumps(execution_input)
    )
    return {"started": True, "executionArn": started["executionArn"]}


def restore(event: dict[str, Any], context: Any) -> Any:
    """RestoreTableFromBackup with only the backup ARN and the name the original builds
    (``rotator.naming`` builds the same names)."""
    table = str(event["BackedUpResourceArn"]).split("table/", 1)[1]
    started_at = datetime.fromisoformat(str(event["StartTime"]).replace("Z", "+00:00"))
    target = naming.target_table_name(
        table, event["SourcePattern"], event["ReplacementPattern"], started_at
    )
    return _json_safe(
        _client("dynamodb").restore_table_from_backup(
            TargetTableName=target, BackupArn=event["RecoveryPointArn"]
        )
    )


def check(event: dict[str, Any], context: Any) -> Any:
    """DescribeTable of the table being restored (its input: the restore's output)."""
    name = event["TableDescription"]["TableName"]
    return _json_safe(_client("dynamodb").describe_table(TableName=name))


def update_ssm(event: dict[str, Any], context: Any) -> Any:
    """PutParameter (String, Overwrite) with the new table's ARN."""
    return _json_safe(
        _client("ssm").put_parameter(
            Name=event["SSMParameterName"],
            Value=event["DescribeTableOutput"]["Table"]["TableArn"],
            Type="String",
            Overwrite=True,
        )
    )
