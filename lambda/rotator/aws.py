"""Boto3 clients and the translation of AWS errors into the workflow's error names."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal, overload

import boto3
from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    ReadTimeoutError,
)
from botocore.exceptions import (
    ConnectionError as BotocoreConnectionError,
)

from rotator.errors import AwsRequestFailed, RestoreLimitExceeded, TransientAwsError

if TYPE_CHECKING:  # the pinned stubs (requirements-tools.txt); Lambda needs none of them
    from mypy_boto3_backup import BackupClient
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_lambda import LambdaClient
    from mypy_boto3_secretsmanager import SecretsManagerClient
    from mypy_boto3_ssm import SSMClient
    from mypy_boto3_stepfunctions import SFNClient

# Retries inside one invocation are botocore's "standard" mode; the state machine's
# Retry policies then cover longer outages across invocations.
# Short timeouts keep a hung connection from using up the function's own timeout.
_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 3}, connect_timeout=5, read_timeout=20
)

TRANSIENT_CODES = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "InternalServerError",
        "InternalFailure",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "TooManyUpdates",
        "BackupInUseException",
    }
)


_clients: dict[tuple[str, int], Any] = {}


@overload
def client(service: Literal["application-autoscaling"]) -> Any: ...  # no pinned stubs offline
@overload
def client(service: Literal["backup"]) -> BackupClient: ...
@overload
def client(service: Literal["dynamodb"]) -> DynamoDBClient: ...
@overload
def client(service: Literal["lambda"]) -> LambdaClient: ...
@overload
def client(service: Literal["secretsmanager"]) -> SecretsManagerClient: ...
@overload
def client(service: Literal["ssm"]) -> SSMClient: ...
@overload
def client(service: Literal["stepfunctions"]) -> SFNClient: ...
def client(service: str) -> Any:
    """boto3's client for ``service``, made once per container (per default session:
    the emulator starts a new session for each emulated account), typed by the pinned
    mypy-boto3 stubs: the services the functions call."""
    session = boto3._get_default_session()
    key = (service, id(session))
    if key not in _clients:
        _clients[key] = session.client(service, config=_CONFIG)  # type: ignore[call-overload]
    return _clients[key]


def error_code(err: ClientError) -> str:
    return str(err.response.get("Error", {}).get("Code", ""))


@contextmanager
def aws_call(description: str) -> Iterator[None]:
    """Re-raise AWS errors under the names the state machine retries or reports.

    ``description`` says what was being done, e.g. "DynamoDB RestoreTableFromBackup
    of Orders-staging-20240827-09-20-00"; it starts the error message.
    """
    try:
        yield
    except ClientError as err:
        code = error_code(err)
        message = err.response.get("Error", {}).get("Message", str(err))
        text = f"{description} failed: {code}: {message}"
        if code == "LimitExceededException":
            raise RestoreLimitExceeded(text) from err
        if code in TRANSIENT_CODES:
            raise TransientAwsError(text) from err
        raise AwsRequestFailed(text) from err
    except (BotocoreConnectionError, ReadTimeoutError) as err:
        raise TransientAwsError(f"{description} failed: {err}") from err
