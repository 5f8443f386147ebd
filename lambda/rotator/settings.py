"""The handlers' settings, read from the environment Terraform gives each function."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rotator.errors import ConfigurationError
from rotator.model import ArnLocation, arn_location
from rotator.naming import compile_pattern


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name)
    if value is None:
        raise ConfigurationError(f"environment variable {name} is not set")
    return value


def _seconds(env: Mapping[str, str], name: str, minimum: int) -> int:
    text = _required(env, name)
    try:
        value = int(text)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise ConfigurationError(
            f"environment variable {name} is {text!r}; expected a whole number of "
            f"seconds, at least {minimum}"
        )
    return value


def _pattern(env: Mapping[str, str], name: str) -> str:
    pattern = _required(env, name)
    try:
        compile_pattern(pattern, setting=name)
    except ValueError as err:
        raise ConfigurationError(str(err)) from None
    return pattern


def _flag(env: Mapping[str, str], name: str) -> bool:
    text = env.get(name, "false").strip().lower()
    if text not in ("true", "false"):
        raise ConfigurationError(f"environment variable {name} is {text!r}; expected true or false")
    return text == "true"


@dataclass(frozen=True)
class TriggerSettings:
    state_machine_arn: str
    source_pattern: str
    restore_copies: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TriggerSettings:
        arn = _required(env, "STATE_MACHINE_ARN")
        if arn_location(arn) is None or ":states:" not in arn:
            raise ConfigurationError(
                f"STATE_MACHINE_ARN is {arn!r}; expected a Step Functions state machine ARN"
            )
        return cls(arn, _pattern(env, "SOURCE_PATTERN"), _flag(env, "RESTORE_COPIES"))

    @property
    def here(self) -> ArnLocation:
        """The rotator's own account and Region (its state machine's)."""
        location = arn_location(self.state_machine_arn)
        assert location is not None  # checked in from_env
        return location


@dataclass(frozen=True)
class RestoreSettings:
    source_pattern: str
    replacement_pattern: str
    restore_timeout_seconds: int
    restore_role_arn: str | None = None  # AWS Backup restores; the module always sets it
    copy_source_tags: bool = False  # StartRestoreJob's CopySourceTagsToRestoredResource

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> RestoreSettings:
        role = env.get("RESTORE_ROLE_ARN", "").strip() or None
        if role is not None and not (role.startswith("arn:") and ":role/" in role):
            raise ConfigurationError(
                f"RESTORE_ROLE_ARN is {role!r}; expected an IAM role ARN (arn:...:iam::...:role/...)"
            )
        return cls(
            source_pattern=_pattern(env, "SOURCE_PATTERN"),
            replacement_pattern=_required(env, "REPLACEMENT_PATTERN"),
            restore_timeout_seconds=_seconds(env, "RESTORE_TIMEOUT_SECONDS", 1),
            restore_role_arn=role,
            copy_source_tags=_flag(env, "COPY_SOURCE_TAGS"),
        )


@dataclass(frozen=True)
class PublishSettings:
    ssm_parameter_name: str | None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> PublishSettings:
        name = env.get("SSM_PARAMETER_NAME", "").strip()
        return cls(name or None)


_TABLE_NAME = re.compile(r"[A-Za-z0-9_.-]{3,255}")


@dataclass(frozen=True)
class WaitSettings:
    """The event-driven wait's (``AwaitRestoreJob`` and the restore-events function):
    the DynamoDB table holding each waiting rotation's task token by restore job."""

    waits_table_name: str

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> WaitSettings:
        name = _required(env, "WAITS_TABLE_NAME").strip()
        if not _TABLE_NAME.fullmatch(name):
            raise ConfigurationError(
                f"WAITS_TABLE_NAME is {name!r}; expected a DynamoDB table name "
                "(3 to 255 characters from a-z, A-Z, 0-9, '_', '-', '.')"
            )
        return cls(name)
