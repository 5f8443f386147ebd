"""The handlers' settings, read from the environment Terraform gives each function.

Each setting is a field of its step's settings class that names its environment
variable and the reader that checks its text (``setting``); ``from_env`` reads them
all, in field order. A variable's name is written here once, and once in the
function's environment map in the module's .tf files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from rotator.errors import ConfigurationError
from rotator.model import ArnLocation, arn_location
from rotator.naming import compile_pattern
from rotator.pointer import check_parameter_template
from rotator.restore_options import RestoreOptions

if TYPE_CHECKING:
    # the rule engine is imported by the pass's functions only, and the copy's settings
    # (rotator.configure, rotator.table_settings) by Configure's: the other handlers'
    # imports stay light (make bench's import targets)
    from rotator.configure import CopySettings
    from rotator.masking import Rule
    from rotator.table_settings import AutoScaling, RecoveryPeriod, ResourcePolicy, Throughput

# A reader: the value of environment variable ``name`` in ``env``, checked.
Reader = Callable[[Mapping[str, str], str], Any]
# A group's parts: the environment variable and reader of each argument of its builder.
Parts = Mapping[str, tuple[str, Reader]]

_VARIABLE, _READ, _PARTS, _BUILD = "variable", "read", "parts", "build"


def setting(
    variable: str, read: Reader, *, default: Any = MISSING, default_factory: Any = MISSING
) -> Any:
    """A settings field: ``read`` takes its value from environment variable ``variable``
    (the default is for settings made in code, not read)."""
    return field(
        default=default,
        default_factory=default_factory,
        metadata={_VARIABLE: variable, _READ: read},
    )


def setting_group(build: Callable[..., Any], parts: Parts) -> Any:
    """A settings field made of several variables: ``build(**{argument: read(env,
    variable)})`` for each ``argument: (variable, read)`` of ``parts``."""
    return field(default_factory=build, metadata={_PARTS: parts, _BUILD: build})


T = TypeVar("T")


def read_settings(cls: Callable[..., T], env: Mapping[str, str]) -> T:
    """An instance of the settings class ``cls``, every field read from ``env``."""
    values: dict[str, Any] = {}
    for each in fields(cls):  # type: ignore[arg-type]
        meta = each.metadata
        if _VARIABLE in meta:
            values[each.name] = meta[_READ](env, meta[_VARIABLE])
        elif _PARTS in meta:
            parts = {arg: read(env, name) for arg, (name, read) in meta[_PARTS].items()}
            values[each.name] = meta[_BUILD](**parts)
    return cls(**values)


def variables_of(cls: type) -> list[str]:
    """The environment variables the settings class ``cls`` reads, in field order."""
    names: list[str] = []
    for each in fields(cls):
        if _VARIABLE in each.metadata:
            names.append(each.metadata[_VARIABLE])
        names.extend(name for name, _ in each.metadata.get(_PARTS, {}).values())
    return names


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name)
    if value is None:
        raise ConfigurationError(f"environment variable {name} is not set")
    return value


def _seconds(env: Mapping[str, str], name: str, minimum: int = 1) -> int:
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


def _duration(env: Mapping[str, str], name: str) -> timedelta:
    """A whole number of seconds, at least 1, as a duration."""
    return timedelta(seconds=_seconds(env, name))


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


def _copies(env: Mapping[str, str], name: str) -> int:
    return _whole(name, "copies", _required(env, name))


def _days(env: Mapping[str, str], name: str) -> timedelta | None:
    """A whole number of days, at least 1; empty or unset: ``None``."""
    days = _optional(env, name)
    return None if days is None else timedelta(days=_whole(name, "days", days))


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


def _rotator_name(env: Mapping[str, str], name: str) -> str:
    """The module's name, which the bookkeeping tags record."""
    rotator = _required(env, name).strip()
    if not rotator:
        raise ConfigurationError(
            f"environment variable {name} is empty; expected the rotator's name (the module's name)"
        )
    return rotator


def _optional(env: Mapping[str, str], name: str) -> str | None:
    return env.get(name, "").strip() or None


def _text(env: Mapping[str, str], name: str) -> str | None:
    """The text as it is (not stripped); empty or unset: ``None``."""
    return env.get(name, "") or None


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


def _json(env: Mapping[str, str], name: str) -> Any:
    """A value Terraform wrote with jsonencode; unset, empty or ``null``: ``None``."""
    text = env.get(name, "").strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        raise ConfigurationError(
            f"environment variable {name} is {text[:80]!r}; expected JSON (the module "
            "writes it with jsonencode)"
        ) from None


def _is_set(env: Mapping[str, str], name: str) -> bool:
    """Whether a jsonencode'd setting is on (not ``null``)."""
    return _json(env, name) is not None


def _names(env: Mapping[str, str], name: str) -> tuple[str, ...] | None:
    """A list of index names or patterns (jsonencode); ``null``: none given."""
    value = _json(env, name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigurationError(
            f"environment variable {name} is {value!r}; expected a list of index names or "
            "patterns, or null"
        )
    return tuple(value)


def _index_capacity(env: Mapping[str, str], name: str) -> tuple[tuple[str, int, int], ...] | None:
    """index_capacity (jsonencode of a map of {read_capacity, write_capacity}), by key."""
    value = _json(env, name)
    if value is None:
        return None
    try:
        return tuple(
            (str(pattern), int(each["read_capacity"]), int(each["write_capacity"]))
            for pattern, each in sorted(value.items())
        )
    except (AttributeError, KeyError, TypeError, ValueError):
        raise ConfigurationError(
            f"environment variable {name} is {value!r}; expected a map of index names or "
            "patterns to {read_capacity, write_capacity}, or null"
        ) from None


def _restore_options(**options: Any) -> RestoreOptions:
    try:
        return RestoreOptions(**options)
    except ValueError as err:
        raise ConfigurationError(
            f"restore settings (environment variables RESTORE_*): {err}"
        ) from None


# ``restore_settings``, from the RESTORE_* variables the module sets for every function
# that applies them (empty: not set).
_RESTORE_OPTIONS: Parts = {
    "billing_mode": ("RESTORE_BILLING_MODE", _optional),
    "read_capacity": ("RESTORE_READ_CAPACITY", _capacity_units),
    "write_capacity": ("RESTORE_WRITE_CAPACITY", _capacity_units),
    "encryption": ("RESTORE_ENCRYPTION", _optional),
    "kms_key_arn": ("RESTORE_KMS_KEY_ARN", _optional),
    "exclude_global_secondary_indexes": ("RESTORE_EXCLUDE_GLOBAL_SECONDARY_INDEXES", _flag),
    "global_secondary_indexes": ("RESTORE_GLOBAL_SECONDARY_INDEXES", _names),
    "local_secondary_indexes": ("RESTORE_LOCAL_SECONDARY_INDEXES", _names),
    "index_capacity": ("RESTORE_INDEX_CAPACITY", _index_capacity),
}


def _state_machine_arn(env: Mapping[str, str], name: str) -> str:
    """The rotator's state machine, whose ARN says its account and Region (``here``)."""
    arn = _required(env, name)
    if arn_location(arn) is None or ":states:" not in arn:
        raise ConfigurationError(f"{name} is {arn!r}; expected a Step Functions state machine ARN")
    return arn


def _here(state_machine_arn: str) -> ArnLocation:
    location = arn_location(state_machine_arn)
    assert location is not None  # checked by _state_machine_arn
    return location


def _role_arn(env: Mapping[str, str], name: str) -> str | None:
    role = _optional(env, name)
    if role is not None and not (role.startswith("arn:") and ":role/" in role):
        raise ConfigurationError(
            f"{name} is {role!r}; expected an IAM role ARN (arn:...:iam::...:role/...)"
        )
    return role


def _parameter_template(env: Mapping[str, str], name: str) -> str | None:
    """A parameter name template (``rotator.pointer``); empty or unset: ``None``."""
    template = _optional(env, name)
    if template is not None:
        try:
            check_parameter_template(template)
        except ValueError as err:
            raise ConfigurationError(f"environment variable {name}: {err}") from None
    return template


_PARAMETER_TIERS = ("Standard", "Advanced", "Intelligent-Tiering")


def _parameter_tier(env: Mapping[str, str], name: str) -> str | None:
    tier = _optional(env, name)
    if tier is not None and tier not in _PARAMETER_TIERS:
        raise ConfigurationError(
            f"environment variable {name} is {tier!r}; expected one of "
            f"{', '.join(_PARAMETER_TIERS)}, or empty"
        )
    return tier


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


def _segments(env: Mapping[str, str], name: str) -> int | None:
    """The Scan's TotalSegments, 1 to 1,000; empty or unset: ``None`` (from the size)."""
    text = _optional(env, name)
    if text is None:
        return None
    value = _whole(name, "segments", text)
    if value > 1000:
        raise ConfigurationError(
            f"environment variable {name} is {text!r}; expected a whole number of segments "
            "from 1 to 1000"
        )
    return value


def _items(env: Mapping[str, str], name: str) -> int:
    """A whole number of items, at least 0."""
    text = _required(env, name)
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise ConfigurationError(
            f"environment variable {name} is {text!r}; expected a whole number of items, at least 0"
        )
    return value


def _percent(env: Mapping[str, str], name: str) -> float:
    text = _required(env, name)
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 100:
        raise ConfigurationError(
            f"environment variable {name} is {text!r}; expected a percentage from 0 to 100"
        )
    return value


def _mask_rules(env: Mapping[str, str], name: str) -> tuple[Rule, ...]:
    """``pass.mask``: a JSON list of rules, each checked (``rotator.masking.parse_rules``)."""
    text = env.get(name, "").strip() or "[]"
    try:
        raw = json.loads(text)
    except ValueError:
        raw = None
    if not isinstance(raw, list) or not all(isinstance(rule, dict) for rule in raw):
        raise ConfigurationError(
            f"environment variable {name} is {text!r}; expected a JSON list of mask rules, "
            'each {"path": ..., "action": ..., "value": ...}'
        )
    from rotator.masking import RuleError, parse_rules  # the pass's functions only

    try:
        return parse_rules(raw)
    except RuleError as err:
        raise ConfigurationError(f"environment variable {name}: {err}") from None


def _role_arns(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    """A JSON list of IAM role ARNs (at least one)."""
    text = _required(env, name).strip()
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(arn, str) and _ROLE_ARN.fullmatch(arn) for arn in value)
    ):
        raise ConfigurationError(
            f"environment variable {name} is {text!r}; expected a JSON list of IAM role ARNs "
            "(arn:<partition>:iam::<account>:role/<path><name>)"
        )
    return tuple(value)


_ROLE_ARN = re.compile(r"arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[\w+=,.@/-]+")
_TABLE_NAME = re.compile(r"[A-Za-z0-9_.-]{3,255}")


def _table_name(env: Mapping[str, str], name: str) -> str:
    table = _required(env, name).strip()
    if not _TABLE_NAME.fullmatch(table):
        raise ConfigurationError(
            f"{name} is {table!r}; expected a DynamoDB table name "
            "(3 to 255 characters from a-z, A-Z, 0-9, '_', '-', '.')"
        )
    return table


@dataclass(frozen=True)
class TriggerSettings:
    state_machine_arn: str = setting("STATE_MACHINE_ARN", _state_machine_arn)
    source_pattern: str = setting("SOURCE_PATTERN", _pattern)
    restore_copies: bool = setting("RESTORE_COPIES", _flag, default=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TriggerSettings:
        return read_settings(cls, env)

    @property
    def here(self) -> ArnLocation:
        """The rotator's own account and Region (its state machine's)."""
        return _here(self.state_machine_arn)


@dataclass(frozen=True)
class RestoreSettings:
    source_pattern: str = setting("SOURCE_PATTERN", _pattern)
    replacement_pattern: str = setting("REPLACEMENT_PATTERN", _required)
    restore_timeout_seconds: int = setting("RESTORE_TIMEOUT_SECONDS", _seconds)
    # AWS Backup restores; the module always sets it
    restore_role_arn: str | None = setting("RESTORE_ROLE_ARN", _role_arn, default=None)
    # StartRestoreJob's CopySourceTagsToRestoredResource
    copy_source_tags: bool = setting("COPY_SOURCE_TAGS", _flag, default=False)
    restore_options: RestoreOptions = setting_group(_restore_options, _RESTORE_OPTIONS)
    # The rotator's state machine (its account and Region: ``here``) and restore_copies,
    # to hold the execution input to what the trigger would have started.
    state_machine_arn: str = setting("STATE_MACHINE_ARN", _state_machine_arn, default="")
    restore_copies: bool = setting("RESTORE_COPIES", _flag, default=False)

    @property
    def here(self) -> ArnLocation:
        """The rotator's own account and Region (its state machine's)."""
        if not self.state_machine_arn:
            raise ConfigurationError("STATE_MACHINE_ARN is not set; expected the rotator's")
        return _here(self.state_machine_arn)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> RestoreSettings:
        return read_settings(cls, env)


@dataclass(frozen=True)
class PublishSettings:
    """``ssm_parameter_name`` is a template (``rotator.pointer``: placeholders
    ``{source_table}``, ``{target_base}``), checked here."""

    ssm_parameter_name: str | None = setting("SSM_PARAMETER_NAME", _parameter_template)
    tier: str | None = setting("SSM_PARAMETER_TIER", _parameter_tier, default=None)
    description: str | None = setting("SSM_PARAMETER_DESCRIPTION", _text, default=None)
    tags: Mapping[str, str] = setting("SSM_PARAMETER_TAGS", _string_map, default_factory=dict)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> PublishSettings:
        return read_settings(cls, env)


@dataclass(frozen=True)
class CleanupSettings:
    """The Cleanup step's (``keep_last``): whose copies it may delete (``rotator``, the
    module's ``name``, as the bookkeeping tags record it), how many of a table's newest it
    keeps, up to what age (``max_age_days``), and ``copy_name_literal``, the text every
    copy's name holds (iam.tf's ``copy_name_literal``; read and checked, but the step
    no longer uses it: the ledger of copies names its candidates). ``restore_timeout``: a copy that was never published is deleted once its
    rotation is over, this long plus ``rotator.ledger.STALE_GRACE`` after it was
    asked for."""

    rotator: str = setting("ROTATOR_NAME", _rotator_name)
    keep_last: int = setting("KEEP_LAST", _copies)
    max_age: timedelta | None = setting("MAX_AGE_DAYS", _days, default=None)
    copy_name_literal: str = setting("COPY_NAME_LITERAL", _required, default="")
    restore_timeout: timedelta = setting(
        "RESTORE_TIMEOUT_SECONDS", _duration, default=timedelta(seconds=86400)
    )
    # copy_settings.auto_scaling is set: a deleted copy's scalable targets are deregistered
    auto_scaling: bool = setting("COPY_AUTO_SCALING", _is_set, default=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> CleanupSettings:
        return read_settings(cls, env)


@dataclass(frozen=True)
class DiscardSettings:
    """The DiscardRefusedCopy step's (``delete_copy_on_hook_failure``): whose copies it
    may delete (``rotator``, as the bookkeeping tags record it) and the parameter whose
    table it must never delete (a template, as Publish's; ``None``: no parameter)."""

    rotator: str = setting("ROTATOR_NAME", _rotator_name)
    ssm_parameter_name: str | None = setting(
        "SSM_PARAMETER_NAME", _parameter_template, default=None
    )
    # copy_settings.auto_scaling is set: a deleted copy's scalable targets are deregistered
    auto_scaling: bool = setting("COPY_AUTO_SCALING", _is_set, default=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> DiscardSettings:
        return read_settings(cls, env)


@dataclass(frozen=True)
class LedgerSettings:
    """The ledger of copies (``rotator.ledger``), which every step that makes, checks,
    publishes or deletes a copy keeps."""

    table_name: str = setting("LEDGER_TABLE_NAME", _table_name)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> LedgerSettings:
        return read_settings(cls, env)


def ledger_table_name(env: Mapping[str, str]) -> str:
    """The ledger's table (``LedgerSettings``)."""
    return LedgerSettings.from_env(env).table_name


@dataclass(frozen=True)
class WaitSettings:
    """The event-driven wait's (``AwaitRestoreJob`` and the restore-events function):
    the DynamoDB table holding each waiting rotation's task token by restore job."""

    waits_table_name: str = setting("WAITS_TABLE_NAME", _table_name)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> WaitSettings:
        return read_settings(cls, env)


# ``copy_settings`` and the module's tags.
def _checked(name: str, build: Callable[[], T]) -> T:
    try:
        return build()
    except (ValueError, TypeError, KeyError) as err:
        raise ConfigurationError(f"environment variable {name}: {err}") from None


def _choice(kind: str) -> Reader:
    """A string setting of rotator.table_settings: "class" (table_class) or "insights"
    (contributor_insights)."""

    def read(env: Mapping[str, str], name: str) -> str | None:
        from rotator import table_settings as ts

        choices = (ts.SOURCE, *ts.TABLE_CLASSES) if kind == "class" else ts.INSIGHTS_CHOICES
        value = _json(env, name)
        if value is not None and value not in choices:
            raise ConfigurationError(
                f"environment variable {name} is {value!r}; expected one of "
                f"{', '.join(choices)}, or null (off)"
            )
        return value  # type: ignore[no-any-return]

    return read


def _object(env: Mapping[str, str], name: str) -> dict[str, Any] | None:
    value = _json(env, name)
    if value is not None and not isinstance(value, dict):
        raise ConfigurationError(f"environment variable {name} is {value!r}; expected an object")
    return value


def _table_property(build: Callable[[dict[str, Any]], Any]) -> Reader:
    """A table property given as an object (jsonencode; ``null``: off, ``None``),
    ``build`` making it of the object: its checks name the variable."""

    def read(env: Mapping[str, str], name: str) -> Any:
        value = _object(env, name)
        return None if value is None else _checked(name, lambda: build(value))

    return read


# The builders import rotator.table_settings when a property is set (Configure only).
def _throughput(setting: str, read: str, write: str) -> Callable[[dict[str, Any]], Throughput]:
    def build(value: dict[str, Any]) -> Throughput:
        from rotator.table_settings import Throughput

        return Throughput(
            setting, bool(value.get("from_source")), value.get(read), value.get(write)
        )

    return build


def _recovery_period(value: dict[str, Any]) -> RecoveryPeriod:
    from rotator.table_settings import RecoveryPeriod

    return RecoveryPeriod(bool(value.get("from_source")), value.get("days"))


def _resource_policy(value: dict[str, Any]) -> ResourcePolicy:
    from rotator.table_settings import ResourcePolicy

    return ResourcePolicy(bool(value.get("from_source")), value.get("policy"))


def _auto_scaling(value: dict[str, Any]) -> AutoScaling:
    from rotator.table_settings import AutoScaling

    return AutoScaling(
        bool(value.get("from_source")),
        value.get("min_capacity"),
        value.get("max_capacity"),
        value.get("target_utilization"),
    )


def _stream_arn(env: Mapping[str, str], name: str) -> str | None:
    from rotator.table_settings import KINESIS_STREAM_ARN

    value = _json(env, name)
    if value is not None and not (isinstance(value, str) and KINESIS_STREAM_ARN.fullmatch(value)):
        raise ConfigurationError(
            f"environment variable {name} is {value!r}; expected a Kinesis data stream ARN "
            "(arn:<partition>:kinesis:<region>:<account>:stream/<name>) or null"
        )
    return value


def _best_effort(env: Mapping[str, str], name: str) -> frozenset[str]:
    from rotator.table_settings import best_effort_names

    value = _json(env, name) or []
    if not isinstance(value, list):
        raise ConfigurationError(f"environment variable {name} is {value!r}; expected a list")
    return _checked(name, lambda: best_effort_names(str(v) for v in value))


def _copy_settings(**parts: Any) -> CopySettings:
    from rotator.configure import CopySettings

    return CopySettings(**parts)


_COPY_SETTINGS: Parts = {
    "tags": ("COPY_TAGS", _string_map),
    "copy_source_tags": ("COPY_SOURCE_TAGS", _flag),
    "copy_source_ttl": ("COPY_SOURCE_TTL", _flag),
    "copy_source_streams": ("COPY_SOURCE_STREAMS", _flag),
    "point_in_time_recovery": ("POINT_IN_TIME_RECOVERY", _flag),
    "deletion_protection": ("DELETION_PROTECTION", _flag),
    "table_class": ("COPY_TABLE_CLASS", _choice("class")),
    "on_demand_throughput": (
        "COPY_ON_DEMAND_THROUGHPUT",
        _table_property(
            _throughput("on_demand_throughput", "max_read_request_units", "max_write_request_units")
        ),
    ),
    "warm_throughput": (
        "COPY_WARM_THROUGHPUT",
        _table_property(
            _throughput("warm_throughput", "read_units_per_second", "write_units_per_second")
        ),
    ),
    "point_in_time_recovery_period": ("COPY_PITR_PERIOD", _table_property(_recovery_period)),
    "resource_policy": ("COPY_RESOURCE_POLICY", _table_property(_resource_policy)),
    "auto_scaling": ("COPY_AUTO_SCALING", _table_property(_auto_scaling)),
    "contributor_insights": ("COPY_CONTRIBUTOR_INSIGHTS", _choice("insights")),
    "kinesis_stream_arn": ("COPY_KINESIS_STREAM_ARN", _stream_arn),
    "best_effort": ("COPY_BEST_EFFORT", _best_effort),
}


@dataclass(frozen=True)
class ConfigureSettings:
    """The Configure step's: ``copy_settings``, the module's tags, ``copy_source_tags``,
    the restore settings an AWS Backup restore could not apply, and the rotator's name
    (its bookkeeping tags)."""

    rotator_name: str = setting("ROTATOR_NAME", _rotator_name)
    copy: CopySettings = setting_group(_copy_settings, _COPY_SETTINGS)
    restore_options: RestoreOptions = setting_group(_restore_options, _RESTORE_OPTIONS)
    # pass: point-in-time recovery and Streams wait for FinishConfigure
    passes: bool = setting("PASS", _flag, default=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ConfigureSettings:
        return read_settings(cls, env)


@dataclass(frozen=True)
class MaskSettings:
    """The rules of ``pass.mask`` and where the key of their hashes is: an SSM
    parameter or a Secrets Manager secret (at most one; the module's validation
    requires one exactly when a rule hashes)."""

    rules: tuple[Rule, ...] = setting("PASS_MASK", _mask_rules)
    secret_parameter: str | None = setting("PASS_SECRET_PARAMETER", _optional, default=None)
    secret_arn: str | None = setting("PASS_SECRET_ARN", _optional, default=None)
    # pass.transform_function_arn: called with each page's items after the rules
    transform_function: str | None = setting("PASS_TRANSFORM_FUNCTION", _optional, default=None)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> MaskSettings:
        return read_settings(cls, env)


@dataclass(frozen=True)
class PlanPassSettings:
    """PlanPass's: the segments asked for, the rules and their key (checked before any
    write), and the roles the copy stays open to during the pass."""

    role_arns: tuple[str, ...] = setting("PASS_ROLE_ARNS", _role_arns)
    mask: MaskSettings = setting_group(
        MaskSettings,
        {
            "rules": ("PASS_MASK", _mask_rules),
            "secret_parameter": ("PASS_SECRET_PARAMETER", _optional),
            "secret_arn": ("PASS_SECRET_ARN", _optional),
            "transform_function": ("PASS_TRANSFORM_FUNCTION", _optional),
        },
    )
    segments: int | None = setting("PASS_SEGMENTS", _segments, default=None)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> PlanPassSettings:
        return read_settings(cls, env)


@dataclass(frozen=True)
class CheckPassSettings:
    """CheckPass's limits: the tolerance below the recorded item count, and a floor."""

    item_count_tolerance_percent: float = setting("PASS_ITEM_COUNT_TOLERANCE", _percent)
    min_items: int = setting("PASS_MIN_ITEMS", _items)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> CheckPassSettings:
        return read_settings(cls, env)
