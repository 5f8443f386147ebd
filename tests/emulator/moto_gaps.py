"""What moto 5.2.5 lacks for the real hashicorp/aws provider and the examples, filled
in one place. Each patch names the gap it fills; drop it when moto has the API.

``apply(patch)`` installs them with the emulator's patcher, so they are undone with it.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from moto.awslambda.models import LambdaFunction
from moto.awslambda.utils import get_backend as lambda_backend
from moto.backup import urls as backup_urls
from moto.backup.exceptions import ResourceNotFoundException
from moto.backup.models import backup_backends
from moto.backup.responses import BackupResponse
from moto.core.responses import ActionResult, EmptyResult
from moto.dynamodb.models.table import Backup, RestoredTable, Table
from moto.events.models import Rule
from moto.kinesis.responses import KinesisResponse
from moto.sns.models import Subscription
from moto.sqs.models import Queue
from moto.stepfunctions.parser.api import HistoryEventType, MapRunFailedEventDetails
from moto.stepfunctions.parser.asl.component.common.error_name.custom_error_name import (
    CustomErrorName,
)
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import (
    FailureEvent,
    FailureEventException,
)
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name import (
    StatesErrorName,
)
from moto.stepfunctions.parser.asl.component.common.error_name.states_error_name_type import (
    StatesErrorNameType,
)
from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration.distributed_iteration_component import (
    DistributedIterationComponent,
)
from moto.stepfunctions.parser.asl.component.state.fail import state_fail
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails
from moto.stepfunctions.responses import StepFunctionResponse

Patch = Callable[[Any, str, Any], None]

# moto 5.2.5: PutBackupVaultNotifications and its Get/Delete have no route.
_NOTIFICATIONS_PATH = "{0}/backup-vaults/(?P<name>[^/]+)/notification-configuration$"


def _map_run_within_tolerated_failures(original: Callable[..., None]) -> Callable[..., None]:
    """moto 5.2.5: a Distributed Map whose child executions fail succeeds, with null
    entries in its result. Step Functions fails the Map Run with
    States.ExceedToleratedFailureThreshold once more children fail (or time out) than
    ToleratedFailureCount or ToleratedFailurePercentage allow (both 0 by default)."""

    def map_run(self: Any, env: Any, eval_input: Any) -> None:
        original(self, env, eval_input)
        counter = eval_input.map_run_record.item_counter
        failed = counter.failed.get() + counter.timed_out.get()
        total = max(counter.total.get(), 1)
        if failed > eval_input.tolerated_failure_count and (
            100 * failed / total > eval_input.tolerated_failure_percentage
        ):
            env.stack.pop()  # the outputs
            error = StatesErrorName(typ=StatesErrorNameType.StatesExceedToleratedFailureThreshold)
            cause = (
                f"The number of failed items ({failed} of {total}) exceeded the tolerated failures"
            )
            raise FailureEventException(
                FailureEvent(
                    env=env,
                    error_name=error,
                    event_type=HistoryEventType.MapRunFailed,
                    event_details=EventDetails(  # type: ignore[typeddict-item]
                        mapRunFailedEventDetails=MapRunFailedEventDetails(
                            error=error.error_name, cause=cause
                        )
                    ),
                )
            )

    return map_run


def _fail_error_name(name: str | None) -> Any:
    """moto 5.2.5: a Fail state whose ErrorPath gives a States.* error (a Catch's
    States.ExceedToleratedFailureThreshold, kept in $.error) fails the execution with
    States.Runtime instead; Step Functions reports the error as given."""
    if name is not None and name.startswith("States."):
        try:
            return StatesErrorName.from_name(name)
        except ValueError:
            pass
    return CustomErrorName(name)


def apply(patch: Patch) -> None:
    original_publish = Subscription.publish
    original_init = LambdaFunction.__init__
    original_configuration = LambdaFunction.get_configuration
    original_update = LambdaFunction.update_configuration
    original_queue_attributes = Queue.attributes
    original_send_to_targets = Rule.send_to_targets
    original_restored_init = RestoredTable.__init__
    original_table_describe = Table.describe

    # moto 5.2.5: no TableId in a table's description (CreateTable, DescribeTable,
    # RestoreTableFromBackup). DynamoDB gives every table a unique id at creation, which
    # a table made again under the same name does not share; the ledger of copies
    # (rotator.ledger) tells tables apart by it.
    def table_describe(self: Any, base_key: str = "TableDescription") -> dict[str, Any]:
        result = original_table_describe(self, base_key=base_key)
        if getattr(self, "_emulated_table_id", None) is None:
            self._emulated_table_id = str(uuid.uuid4())
        result[base_key]["TableId"] = self._emulated_table_id
        return result

    # moto 5.2.5: a restored table has no billing mode (DescribeTable shows
    # "BillingMode": null) and no encryption of its own; a restore without overrides
    # gives the copy the backup's (DynamoDB: "the destination table is set with the same
    # provisioned read capacity units and write capacity units that the source table had
    # when the backup was requested").
    def restored_table_init(
        self: Any, name: str, account_id: str, region: str, backup: Any
    ) -> None:
        original_restored_init(self, name, account_id, region, backup)
        self.billing_mode = backup.table.billing_mode
        self.sse_specification = copy.deepcopy(backup.table.sse_specification)

    # moto 5.2.5: ValidateStateMachineDefinition is missing (HTTP 500); the provider
    # calls it before CreateStateMachine. The definition is valid JSON or it is not;
    # its real validation is asl-validator's job (make validate).
    def validate_state_machine_definition(self: Any) -> ActionResult:
        try:
            json.loads(self._get_param("definition"))
        except (TypeError, ValueError) as err:
            diagnostics = [{"severity": "ERROR", "code": "INVALID_JSON", "message": str(err)}]
            return ActionResult({"result": "FAIL", "diagnostics": diagnostics})
        return ActionResult({"result": "OK", "diagnostics": []})

    # moto 5.2.5: CreateStream ignores its Tags; the provider creates a tagged stream
    # (examples/complete's) with them and would plan to add them again.
    original_create_stream = KinesisResponse.create_stream

    def create_stream(self: Any) -> ActionResult:
        result = original_create_stream(self)
        tags = self._get_param("Tags")
        if tags:
            self.kinesis_backend.add_tags_to_stream(None, self._get_param("StreamName"), tags)
        return result

    # moto 5.2.5: ListStateMachineVersions is missing (HTTP 500); the provider reads the
    # versions of every state machine it manages. This module publishes none.
    def list_state_machine_versions(self: Any) -> ActionResult:
        return ActionResult({"stateMachineVersions": []})

    # moto 5.2.5: Lambda's LoggingConfig and DeadLetterConfig are neither stored nor
    # returned, so every plan after apply would show logging_config and the trigger's
    # dead_letter_config as changes.
    def lambda_init(
        self: Any, account_id: str, spec: dict[str, Any], *args: Any, **kw: Any
    ) -> None:
        original_init(self, account_id, spec, *args, **kw)
        self.unstored_config = {
            "LoggingConfig": {
                "LogFormat": "Text",
                "LogGroup": f"/aws/lambda/{spec.get('FunctionName')}",
                **(spec.get("LoggingConfig") or {}),
            },
        }
        if spec.get("DeadLetterConfig"):
            self.unstored_config["DeadLetterConfig"] = spec["DeadLetterConfig"]

    def lambda_configuration(self: Any, *args: Any, **kw: Any) -> dict[str, Any]:
        return {**original_configuration(self, *args, **kw), **getattr(self, "unstored_config", {})}

    def lambda_update(self: Any, updates: dict[str, Any]) -> dict[str, Any]:
        stored = self.__dict__.setdefault("unstored_config", {})
        if "LoggingConfig" in updates:
            stored["LoggingConfig"] = {
                **stored.get("LoggingConfig", {}),
                **updates["LoggingConfig"],
            }
        if "DeadLetterConfig" in updates:
            stored["DeadLetterConfig"] = updates["DeadLetterConfig"]
        return dict(original_update(self, updates))

    # moto 5.2.5: ListTags takes the ARN from the path's second-to-last segment, which
    # is right only with a trailing slash; the Go SDK sends none, and so reads no tags.
    def list_tags(self: Any) -> str:
        arn = unquote(self.path.split("/tags/", 1)[1].rstrip("/"))
        return json.dumps({"Tags": self.backup_backend.list_tags(resource_arn=arn)})

    # moto 5.2.5: AWS Backup vault notifications (aws_backup_vault_notifications in the
    # examples) do not exist. Kept per backend, by vault name.
    def notifications(response: Any) -> dict[str, Any]:
        backend = backup_backends[response.current_account][response.region]
        store: dict[str, Any] = backend.__dict__.setdefault("vault_notifications", {})
        return store

    def vault_name(response: Any) -> str:
        return str(response.path.split("/")[-2])

    def put_backup_vault_notifications(self: Any) -> EmptyResult:
        name = vault_name(self)
        vault = self.backup_backend.describe_backup_vault(name)  # raises when missing
        body = json.loads(self.body or "{}")
        notifications(self)[name] = {
            "BackupVaultName": name,
            "BackupVaultArn": vault.backup_vault_arn,
            "SNSTopicArn": body["SNSTopicArn"],
            "BackupVaultEvents": body["BackupVaultEvents"],
        }
        return EmptyResult()

    def get_backup_vault_notifications(self: Any) -> ActionResult:
        name = vault_name(self)
        self.backup_backend.describe_backup_vault(name)
        found = notifications(self).get(name)
        if found is None:
            raise ResourceNotFoundException(f"Backup vault {name} has no notifications")
        return ActionResult(found)

    def delete_backup_vault_notifications(self: Any) -> EmptyResult:
        notifications(self).pop(vault_name(self), None)
        return EmptyResult()

    # moto 5.2.5: SNS hands a Lambda subscriber a record whose MessageAttributes are
    # placeholders ("Test": "TestString"). Deliver what was published instead, with the
    # subscription's filter policy applied first (as moto already does).
    def publish(
        self: Any,
        message: str,
        message_id: str,
        subject: str | None = None,
        message_attributes: dict[str, Any] | None = None,
        **kw: Any,
    ) -> None:
        if self.protocol != "lambda":
            original_publish(self, message, message_id, subject, message_attributes, **kw)
            return
        if self._filter_policy_matcher is not None and not self._filter_policy_matcher.matches(
            message_attributes, message
        ):
            return
        parts = self.endpoint.split(":")
        record = {
            "EventSource": "aws:sns",
            "EventVersion": "1.0",
            "EventSubscriptionArn": self.arn,
            "Sns": {
                "Type": "Notification",
                "MessageId": message_id,
                "TopicArn": self.topic_arn,
                "Subject": subject,
                "Message": message,
                "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                "SignatureVersion": "1",
                "Signature": "EXAMPLE",
                "SigningCertUrl": "https://sns.amazonaws.com/SimpleNotificationService.pem",
                "UnsubscribeUrl": "https://sns.amazonaws.com/?Action=Unsubscribe",
                "MessageAttributes": {
                    name: {"Type": value["Type"], "Value": value["Value"]}
                    for name, value in (message_attributes or {}).items()
                },
            },
        }
        lambda_backend(self.account_id, parts[3]).invoke(
            parts[6],
            parts[7] if len(parts) == 8 else None,
            json.dumps({"Records": [record]}),
            {"X-Amz-Invocation-Type": "Event", "x-amzn-RequestId": str(uuid.uuid4())},
            {},
        )

    # moto 5.2.5: a queue's RedriveAllowPolicy is stored but never returned, and
    # SqsManagedSseEnabled stays "true" next to a KMS key (AWS has one or the other);
    # the provider waits for the attributes it set to read back, and times out.
    def queue_attributes(self: Any) -> dict[str, Any]:
        result = dict(original_queue_attributes.fget(self))  # type: ignore[attr-defined]
        allow = getattr(self, "redrive_allow_policy", None)
        if allow:
            result["RedriveAllowPolicy"] = allow
        if self.kms_master_key_id:
            result["SqsManagedSseEnabled"] = "false"
        return result

    # moto 5.2.5: an EventBridge rule with a Lambda target raises NotImplementedError
    # when an event matches. Invoke the function asynchronously with the event, as
    # EventBridge does; other targets go to moto's own delivery.
    def send_to_targets(self: Any, event: dict[str, Any], transform_input: bool = True) -> None:
        functions = [t for t in self.targets if t["Arn"].split(":")[2] == "lambda"]
        if not functions:
            original_send_to_targets(self, event, transform_input)  # type: ignore[arg-type]
            return
        if not self.event_pattern.matches_event(event):
            return
        delivered = {key: value for key, value in event.items() if key != "ingestion-time"}
        if isinstance(delivered.get("time"), (int, float)):
            delivered["time"] = datetime.fromtimestamp(delivered["time"], UTC).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            )
        for target in functions:
            parts = target["Arn"].split(":")
            lambda_backend(parts[4], parts[3]).invoke(
                parts[6],
                parts[7] if len(parts) == 8 else None,
                json.dumps(delivered),
                {"X-Amz-Invocation-Type": "Event", "x-amzn-RequestId": str(uuid.uuid4())},
                {},
            )

    patch(RestoredTable, "__init__", restored_table_init)
    patch(Table, "describe", table_describe)
    # moto 5.2.5 reports every DynamoDB backup as 123 bytes, an empty table's too; a
    # backup's size counts its items, so report one that is 0 exactly when it holds none.
    original_backup_details = Backup.details

    def backup_details(self: Any) -> dict[str, Any]:
        details = dict(original_backup_details.fget(self))  # type: ignore[attr-defined]
        details["BackupSizeBytes"] = backup_size(self)
        return details

    patch(Backup, "details", property(backup_details))
    patch(Rule, "send_to_targets", send_to_targets)
    patch(Queue, "attributes", property(queue_attributes))
    patch(
        StepFunctionResponse, "validate_state_machine_definition", validate_state_machine_definition
    )
    patch(StepFunctionResponse, "list_state_machine_versions", list_state_machine_versions)
    patch(KinesisResponse, "create_stream", create_stream)
    patch(LambdaFunction, "__init__", lambda_init)
    patch(LambdaFunction, "get_configuration", lambda_configuration)
    patch(LambdaFunction, "update_configuration", lambda_update)
    patch(BackupResponse, "list_tags", list_tags)
    patch(BackupResponse, "put_backup_vault_notifications", put_backup_vault_notifications)
    patch(BackupResponse, "get_backup_vault_notifications", get_backup_vault_notifications)
    patch(BackupResponse, "delete_backup_vault_notifications", delete_backup_vault_notifications)
    patch(
        backup_urls,
        "url_paths",
        {**backup_urls.url_paths, _NOTIFICATIONS_PATH: backup_urls.response.dispatch},
    )
    patch(Subscription, "publish", publish)
    patch(state_fail, "CustomErrorName", _fail_error_name)
    patch(
        DistributedIterationComponent,
        "_map_run",
        _map_run_within_tolerated_failures(DistributedIterationComponent._map_run),
    )


def backup_size(backup: Any) -> int:
    """The emulator's size of a moto DynamoDB backup: 100 bytes an item."""
    return 100 * len(backup.table)
