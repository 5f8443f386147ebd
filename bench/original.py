"""The original SAR application's state machine, re-stated from its documented
structure (seed-compat; the public ``statemachine/restore-backup.asl.json`` of
awslabs/aws-backup-dynamodb-rotator), and deployed into the emulator next to the
module with stand-ins for its four Go functions (``bench.original_functions``).

Its shape: Restore Backup (Task) -> "SSM Parameter Provided ?" (Choice; none: succeed
at once) -> loop { Wait for Restore (60 s) -> Check Restore Status (Task, DescribeTable)
-> "Restore Complete?" (Choice: ACTIVE on, CREATING/UPDATING loop, else Error) } ->
Update SSM Parameter (Task) -> Complete. No Retry, no Catch, no bound on the loop.
Its functions: 128 MB, x86_64 (go1.x).
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from bench import original_functions
from tests.emulator.events import ACCOUNT, REGION
from tests.emulator.harness import Emulator, Rotation

POLL_SECONDS = 60
MEMORY_MB = 128
ARCHITECTURE = "x86_64"
# function key -> handler of its stand-in
FUNCTIONS = {
    "trigger": "bench.original_functions.trigger",
    "restore": "bench.original_functions.restore",
    "check": "bench.original_functions.check",
    "update_ssm": "bench.original_functions.update_ssm",
}
STATUS = "$.DescribeTableOutput.Table.TableStatus"


def function_name(key: str) -> str:
    return f"original-{key.replace('_', '-')}"


def function_arn(key: str) -> str:
    return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{function_name(key)}"


def definition() -> dict[str, Any]:
    """The original's state machine definition, for the functions deployed here."""
    return {
        "Comment": "The original SAR application's restore workflow, re-stated for make bench",
        "StartAt": "Restore Backup",
        "States": {
            "Restore Backup": {
                "Type": "Task",
                "Resource": function_arn("restore"),
                "ResultPath": "$.RestoreTableFromBackupOutput",
                "Next": "SSM Parameter Provided ?",
            },
            "SSM Parameter Provided ?": {
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.SSMParameterName", "StringEquals": "", "Next": "Complete"}
                ],
                "Default": "Wait for Restore",
            },
            "Wait for Restore": {
                "Type": "Wait",
                "Seconds": POLL_SECONDS,
                "Next": "Check Restore Status",
            },
            "Check Restore Status": {
                "Type": "Task",
                "Resource": function_arn("check"),
                "InputPath": "$.RestoreTableFromBackupOutput",
                "ResultPath": "$.DescribeTableOutput",
                "Next": "Restore Complete?",
            },
            "Restore Complete?": {
                "Type": "Choice",
                "Choices": [
                    {"Variable": STATUS, "StringEquals": "ACTIVE", "Next": "Update SSM Parameter"},
                    {"Variable": STATUS, "StringEquals": "CREATING", "Next": "Wait for Restore"},
                    {"Variable": STATUS, "StringEquals": "UPDATING", "Next": "Wait for Restore"},
                ],
                "Default": "Error",
            },
            "Update SSM Parameter": {
                "Type": "Task",
                "Resource": function_arn("update_ssm"),
                "ResultPath": "$.PutParameterOutput",
                "Next": "Complete",
            },
            "Complete": {"Type": "Succeed"},
            "Error": {"Type": "Fail"},
        },
    }


@dataclass(frozen=True)
class Original:
    """The original as deployed into one emulator."""

    emulator: Emulator
    state_machine_arn: str

    def rotate(self, event: dict[str, Any]) -> Rotation:
        """Deliver an SNS event to the original's trigger (Lambda Invoke, as the
        subscription would) and wait for the execution it started."""
        response = self.emulator.client("lambda").invoke(
            FunctionName=function_name("trigger"), Payload=json.dumps(event).encode()
        )
        result = json.loads(response["Payload"].read())
        if not result.get("started"):
            raise AssertionError(f"the original's trigger started nothing: {result}")
        return self.emulator.wait_for(result["executionArn"])

    def function_configuration(self, key: str) -> dict[str, Any]:
        return dict(
            self.emulator.client("lambda").get_function_configuration(
                FunctionName=function_name(key)
            )
        )


def deploy(emulator: Emulator) -> Original:
    """The original's four functions (128 MB, x86_64) and its state machine, in the
    emulator's moto, beside whatever the emulator deployed."""
    iam = emulator.client("iam")
    role_arn = iam.create_role(
        RoleName="original-rotator",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )["Role"]["Arn"]
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        # the handlers run in this process; the zip only has to be a valid package
        archive.writestr("bench/original_functions.py", "")
    for key, handler in FUNCTIONS.items():
        emulator.client("lambda").create_function(
            FunctionName=function_name(key),
            Runtime="python3.12",  # go1.x is retired; the stand-ins are Python
            Role=role_arn,
            Handler=handler,
            Code={"ZipFile": package.getvalue()},
            MemorySize=MEMORY_MB,
            Architectures=[ARCHITECTURE],
        )
    arn = emulator.stepfunctions.create_state_machine(
        name=original_functions.STATE_MACHINE_NAME,
        definition=json.dumps(definition()),
        roleArn=role_arn,
        type="STANDARD",
    )["stateMachineArn"]
    return Original(emulator, str(arn))
