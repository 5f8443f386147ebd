"""The handlers' settings, read from the environment Terraform gives each function."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from rotator.configure import CopySettings
from rotator.errors import ConfigurationError
from rotator.model import ArnLocation, arn_location
from rotator.naming import compile_pattern
from rotator.pointer import check_parameter_template
from rotator.restore_options import RestoreOptions


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


def _whole(name: str, what: str, text: str) -> int:
    """``text`` (the value of ``name``) as a whole number of ``what``, at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise ConfigurationError(
            f"environment variable {name} is {text!r}; expected a whole number of {what}, "
            "at least 1"
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


def _rotator_name(env: Mapping[str, str]) -> str:
    """ROTATOR_NAME: the module's name, which the bookkeeping tags record."""
    rotator = _required(env, "ROTATOR_NAME").strip()
    if not rotator:
        raise ConfigurationError(
            "environment variable ROTATOR_NAME is empty; expected the rotator's name (the "
            "module's name)"
        )
    return rotator


def _optional(env: Mapping[str, str], name: str) -> str | None:
    return env.get(name, "").strip() or None


def _capacity_units(env: Mapping[str, str], name: str) -> int | None:
    text = _optional(env, name)
    if text is None:
        return None
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise ConfigurationError(
            f"environment variable {name} is {text!r}; expected a whole number of "
            "capacity units, at least 1, or empty to keep the backup's"
        )
    return value


def restore_options(env: Mapping[str, str]) -> RestoreOptions:
    """``restore_settings``, from the RESTORE_* variables main.tf sets for every function
    that applies them (empty: not set)."""
    try:
        return RestoreOptions(
            billing_mode=_optional(env, "RESTORE_BILLING_MODE"),
            read_capacity=_capacity_units(env, "RESTORE_READ_CAPACITY"),
            write_capacity=_capacity_units(env, "RESTORE_WRITE_CAPACITY"),
            encryption=_optional(env, "RESTORE_ENCRYPTION"),
            kms_key_arn=_optional(env, "RESTORE_KMS_KEY_ARN"),
            exclude_global_secondary_indexes=_flag(env, "RESTORE_EXCLUDE_GLOBAL_SECONDARY_INDEXES"),
        )
    except ValueError as err:
        raise ConfigurationError(
            f"restore settings (environment variables RESTORE_*): {err}"
        ) from None


def _home(env: Mapping[str, str]) -> str:
    """STATE_MACHINE_ARN: the rotator's state machine, whose ARN says its account and
    Region (``here``)."""
    arn = _required(env, "STATE_MACHINE_ARN")
    if arn_location(arn) is None or ":states:" not in arn:
        raise ConfigurationError(
            f"STATE_MACHINE_ARN is {arn!r}; expected a Step Functions state machine ARN"
        )
    return arn


def _here(state_machine_arn: str) -> ArnLocation:
    location = arn_location(state_machine_arn)
    assert location is not None  # checked by _home
    return location


@dataclass(frozen=True)
class TriggerSettings:
    state_machine_arn: str
    source_pattern: str
    restore_copies: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TriggerSettings:
        return cls(_home(env), _pattern(env, "SOURCE_PATTERN"), _flag(env, "RESTORE_COPIES"))

    @property
    def here(self) -> ArnLocation:
        """The rotator's own account and Region (its state machine's)."""
        return _here(self.state_machine_arn)


@dataclass(frozen=True)
class RestoreSettings:
    source_pattern: str
    replacement_pattern: str
    restore_timeout_seconds: int
    restore_role_arn: str | None = None  # AWS Backup restores; the module always sets it
    copy_source_tags: bool = False  # StartRestoreJob's CopySourceTagsToRestoredResource
    restore_options: RestoreOptions = field(default_factory=RestoreOptions)  # restore_settings
    # The rotator's state machine (its account and Region: ``here``) and restore_copies,
    # to hold the execution input to what the trigger would have started.
    state_machine_arn: str = ""
    restore_copies: bool = False

    @property
    def here(self) -> ArnLocation:
        """The rotator's own account and Region (its state machine's)."""
        if not self.state_machine_arn:
            raise ConfigurationError("STATE_MACHINE_ARN is not set; expected the rotator's")
        return _here(self.state_machine_arn)

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
            restore_options=restore_options(env),
            state_machine_arn=_home(env),
            restore_copies=_flag(env, "RESTORE_COPIES"),
        )


@dataclass(frozen=True)
class PublishSettings:
    """``ssm_parameter_name`` is a template (``rotator.pointer``: placeholders
    ``{source_table}``, ``{target_base}``), checked here."""

    ssm_parameter_name: str | None
    tier: str | None = None
    description: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> PublishSettings:
        name = env.get("SSM_PARAMETER_NAME", "").strip() or None
        if name is not None:
            try:
                check_parameter_template(name)
            except ValueError as err:
                raise ConfigurationError(
                    f"environment variable SSM_PARAMETER_NAME: {err}"
                ) from None
        tier = env.get("SSM_PARAMETER_TIER", "").strip() or None
        if tier is not None and tier not in _PARAMETER_TIERS:
            raise ConfigurationError(
                f"environment variable SSM_PARAMETER_TIER is {tier!r}; expected one of "
                f"{', '.join(_PARAMETER_TIERS)}, or empty"
            )
        description = env.get("SSM_PARAMETER_DESCRIPTION", "") or None
        return cls(name, tier, description, _string_map(env, "SSM_PARAMETER_TAGS"))


_PARAMETER_TIERS = ("Standard", "Advanced", "Intelligent-Tiering")


def _string_map(env: Mapping[str, str], name: str) -> dict[str, str]:
    """A JSON object of strings (tags), ``{}`` when unset."""
    text = env.get(name, "").strip() or "{}"
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ConfigurationError(
            f"environment variable {name} is {text!r}; expected a JSON object of string tag values"
        )
    return value


@dataclass(frozen=True)
class CleanupSettings:
    """The Cleanup step's (``keep_last``): whose copies it may delete (``rotator``, the
    module's ``name``, as the bookkeeping tags record it), how many of a table's newest it
    keeps, up to what age (``max_age_days``), and ``copy_name_literal``, the text every
    copy's name holds (iam.tf's ``copy_name_literal``; read and checked, but the step
    no longer uses it: the ledger of copies names its candidates). ``restore_timeout``: a copy that was never published is deleted once its
    rotation is over, this long plus ``rotator.ledger.STALE_GRACE`` after it was
    asked for."""

    rotator: str
    keep_last: int
    max_age: timedelta | None = None
    copy_name_literal: str = ""
    restore_timeout: timedelta = timedelta(seconds=86400)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> CleanupSettings:
        rotator = _rotator_name(env)
        keep_last = _whole("KEEP_LAST", "copies", _required(env, "KEEP_LAST"))
        days = _optional(env, "MAX_AGE_DAYS")
        max_age = None if days is None else timedelta(days=_whole("MAX_AGE_DAYS", "days", days))
        timeout = timedelta(seconds=_seconds(env, "RESTORE_TIMEOUT_SECONDS", 1))
        return cls(rotator, keep_last, max_age, _required(env, "COPY_NAME_LITERAL"), timeout)


@dataclass(frozen=True)
class DiscardSettings:
    """The DiscardRefusedCopy step's (``delete_copy_on_hook_failure``): whose copies it
    may delete (``rotator``, as the bookkeeping tags record it) and the parameter whose
    table it must never delete (a template, as Publish's; ``None``: no parameter)."""

    rotator: str
    ssm_parameter_name: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> DiscardSettings:
        return cls(_rotator_name(env), PublishSettings.from_env(env).ssm_parameter_name)


_TABLE_NAME = re.compile(r"[A-Za-z0-9_.-]{3,255}")


def ledger_table_name(env: Mapping[str, str]) -> str:
    """LEDGER_TABLE_NAME: the ledger of copies (``rotator.ledger``), which every step
    that makes, checks, publishes or deletes a copy keeps."""
    name = _required(env, "LEDGER_TABLE_NAME").strip()
    if not _TABLE_NAME.fullmatch(name):
        raise ConfigurationError(
            f"LEDGER_TABLE_NAME is {name!r}; expected the ledger's DynamoDB table name "
            "(3 to 255 characters from a-z, A-Z, 0-9, '_', '-', '.')"
        )
    return name


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


@dataclass(frozen=True)
class ConfigureSettings:
    """The Configure step's: ``copy_settings``, the module's tags, ``copy_source_tags``,
    the restore settings an AWS Backup restore could not apply, and the rotator's name
    (its bookkeeping tags)."""

    rotator_name: str
    copy: CopySettings
    restore_options: RestoreOptions = field(default_factory=RestoreOptions)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ConfigureSettings:
        tags = _string_map(env, "COPY_TAGS")
        return cls(
            rotator_name=_rotator_name(env),
            copy=CopySettings(
                tags=tags,
                copy_source_tags=_flag(env, "COPY_SOURCE_TAGS"),
                copy_source_ttl=_flag(env, "COPY_SOURCE_TTL"),
                copy_source_streams=_flag(env, "COPY_SOURCE_STREAMS"),
                point_in_time_recovery=_flag(env, "POINT_IN_TIME_RECOVERY"),
                deletion_protection=_flag(env, "DELETION_PROTECTION"),
            ),
            restore_options=restore_options(env),
        )
