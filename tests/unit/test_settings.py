"""Settings come from the environment Terraform sets; mistakes say what was expected."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from rotator.configure import CopySettings
from rotator.errors import ConfigurationError
from rotator.masking import Rule
from rotator.model import ArnLocation
from rotator.restore_options import RestoreOptions
from rotator.settings import (
    CheckPassSettings,
    CleanupSettings,
    ConfigureSettings,
    DiscardSettings,
    MaskSettings,
    PlanPassSettings,
    PublishSettings,
    RestoreSettings,
    TriggerSettings,
    WaitSettings,
)
from rotator.table_settings import AutoScaling, RecoveryPeriod, ResourcePolicy, Throughput

SFN = "arn:aws:states:us-east-1:123456789012:stateMachine:rotator"


def test_trigger_settings_are_read() -> None:
    settings = TriggerSettings.from_env({"STATE_MACHINE_ARN": SFN, "SOURCE_PATTERN": "x$"})
    assert settings == TriggerSettings(SFN, "x$")


def test_a_missing_variable_is_named() -> None:
    with pytest.raises(ConfigurationError, match="STATE_MACHINE_ARN is not set"):
        TriggerSettings.from_env({"SOURCE_PATTERN": "x"})


def test_a_state_machine_arn_that_is_not_one_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="expected a Step Functions state machine ARN"):
        TriggerSettings.from_env({"STATE_MACHINE_ARN": "rotator", "SOURCE_PATTERN": "x"})


def test_an_invalid_pattern_is_refused_naming_the_variable() -> None:
    with pytest.raises(ConfigurationError, match="SOURCE_PATTERN '\\[' is not a valid"):
        TriggerSettings.from_env({"STATE_MACHINE_ARN": SFN, "SOURCE_PATTERN": "["})


@pytest.mark.parametrize("value", ["soon", "-5", "", "1.5"])
def test_seconds_must_be_whole_and_positive(value: str) -> None:
    env = {
        "SOURCE_PATTERN": "-p$",
        "REPLACEMENT_PATTERN": "-s",
        "RESTORE_TIMEOUT_SECONDS": value,
        "STATE_MACHINE_ARN": SFN,
    }
    with pytest.raises(
        ConfigurationError, match=f"RESTORE_TIMEOUT_SECONDS is '{value}'; expected a whole number"
    ):
        RestoreSettings.from_env(env)


def test_restore_settings_are_read() -> None:
    env = {
        "SOURCE_PATTERN": "-p$",
        "REPLACEMENT_PATTERN": "-s",
        "RESTORE_TIMEOUT_SECONDS": "600",
        "STATE_MACHINE_ARN": SFN,
    }
    assert RestoreSettings.from_env(env) == RestoreSettings("-p$", "-s", 600, state_machine_arn=SFN)


def test_restore_timeout_must_be_positive() -> None:
    env = {
        "SOURCE_PATTERN": "-p$",
        "REPLACEMENT_PATTERN": "-s",
        "RESTORE_TIMEOUT_SECONDS": "0",
        "STATE_MACHINE_ARN": SFN,
    }
    with pytest.raises(ConfigurationError, match="at least 1"):
        RestoreSettings.from_env(env)


@pytest.mark.parametrize(("value", "expected"), [("", None), ("  ", None), ("/a/b", "/a/b")])
def test_an_empty_parameter_name_means_no_parameter(value: str, expected: str | None) -> None:
    assert PublishSettings.from_env({"SSM_PARAMETER_NAME": value}).ssm_parameter_name == expected
    assert PublishSettings.from_env({}).ssm_parameter_name is None


def test_the_shortest_restore_timeout_is_one_second() -> None:
    env = {
        "SOURCE_PATTERN": "-p$",
        "REPLACEMENT_PATTERN": "-s",
        "RESTORE_TIMEOUT_SECONDS": "1",
        "STATE_MACHINE_ARN": SFN,
    }
    assert RestoreSettings.from_env(env).restore_timeout_seconds == 1


def test_an_arn_of_something_else_is_not_a_state_machine() -> None:
    arn = "arn:aws:lambda:us-east-1:123456789012:function:rotator"
    with pytest.raises(ConfigurationError) as info:
        TriggerSettings.from_env({"STATE_MACHINE_ARN": arn, "SOURCE_PATTERN": "x"})
    assert str(info.value) == (
        f"STATE_MACHINE_ARN is {arn!r}; expected a Step Functions state machine ARN"
    )


RESTORE_ENV = {
    "SOURCE_PATTERN": "-p$",
    "REPLACEMENT_PATTERN": "-s",
    "RESTORE_TIMEOUT_SECONDS": "600",
    "STATE_MACHINE_ARN": SFN,
}
ROLE = "arn:aws:iam::123456789012:role/ddb-rotator-restore"


@pytest.mark.parametrize(("value", "expected"), [(ROLE, ROLE), (f" {ROLE}\n", ROLE), ("  ", None)])
def test_the_restore_role_is_read(value: str, expected: str | None) -> None:
    settings = RestoreSettings.from_env({**RESTORE_ENV, "RESTORE_ROLE_ARN": value})
    assert settings == RestoreSettings("-p$", "-s", 600, expected, state_machine_arn=SFN)


def test_restore_settings_need_the_state_machine_arn() -> None:
    env = {k: v for k, v in RESTORE_ENV.items() if k != "STATE_MACHINE_ARN"}
    with pytest.raises(ConfigurationError) as info:
        RestoreSettings.from_env(env)
    assert str(info.value) == "environment variable STATE_MACHINE_ARN is not set"


@pytest.mark.parametrize(
    "arn",
    [
        "rotator",
        "",
        "arn:aws:lambda:us-east-1:123456789012:function:rotator",
        "arn:aws:states:us-east-1:1234:stateMachine:rotator",  # no 12-digit account
    ],
)
def test_restore_settings_refuse_a_state_machine_arn_that_is_not_one(arn: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        RestoreSettings.from_env({**RESTORE_ENV, "STATE_MACHINE_ARN": arn})
    assert str(info.value) == (
        f"STATE_MACHINE_ARN is {arn!r}; expected a Step Functions state machine ARN"
    )


def test_restore_settings_are_here_where_the_state_machine_is() -> None:
    arn = "arn:aws-cn:states:cn-north-1:210987654321:stateMachine:rotator"
    settings = RestoreSettings.from_env({**RESTORE_ENV, "STATE_MACHINE_ARN": arn})
    assert settings.state_machine_arn == arn
    assert settings.here == ArnLocation("aws-cn", "cn-north-1", "210987654321")
    assert RestoreSettings.from_env(RESTORE_ENV).here == ArnLocation(
        "aws", "us-east-1", "123456789012"
    )


def test_restore_settings_without_a_state_machine_have_no_here() -> None:
    with pytest.raises(ConfigurationError, match="STATE_MACHINE_ARN is not set"):
        _ = RestoreSettings("-p$", "-s", 600).here


@pytest.mark.parametrize(("text", "expected"), [("true", True), ("false", False), (" TRUE ", True)])
def test_restore_settings_read_restore_copies(text: str, expected: bool) -> None:
    settings = RestoreSettings.from_env({**RESTORE_ENV, "RESTORE_COPIES": text})
    assert settings.restore_copies is expected


def test_restore_copies_is_false_unless_set_and_anything_else_is_refused() -> None:
    assert RestoreSettings.from_env(RESTORE_ENV).restore_copies is False
    with pytest.raises(ConfigurationError) as info:
        RestoreSettings.from_env({**RESTORE_ENV, "RESTORE_COPIES": "1"})
    assert str(info.value) == "environment variable RESTORE_COPIES is '1'; expected true or false"


@pytest.mark.parametrize(
    "value",
    ["ddb-rotator-restore", "role/ddb-rotator-restore", "arn:aws:iam::123456789012:user/someone"],
)
def test_a_restore_role_that_is_not_a_role_arn_is_refused(value: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        RestoreSettings.from_env({**RESTORE_ENV, "RESTORE_ROLE_ARN": value})
    assert str(info.value) == (
        f"RESTORE_ROLE_ARN is {value!r}; expected an IAM role ARN (arn:...:iam::...:role/...)"
    )


@pytest.mark.parametrize(("text", "expected"), [("true", True), ("false", False), (" TRUE ", True)])
def test_flags_read_true_and_false(text: str, expected: bool) -> None:
    env = {
        "SOURCE_PATTERN": "-production$",
        "REPLACEMENT_PATTERN": "-staging",
        "RESTORE_TIMEOUT_SECONDS": "60",
        "STATE_MACHINE_ARN": SFN,
        "COPY_SOURCE_TAGS": text,
    }
    assert RestoreSettings.from_env(env).copy_source_tags is expected
    trigger = {
        "STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:r",
        "SOURCE_PATTERN": "x",
        "RESTORE_COPIES": text,
    }
    assert TriggerSettings.from_env(trigger).restore_copies is expected


def test_an_unset_flag_is_false_and_anything_else_is_refused() -> None:
    env = {
        "SOURCE_PATTERN": "x",
        "REPLACEMENT_PATTERN": "y",
        "RESTORE_TIMEOUT_SECONDS": "60",
        "STATE_MACHINE_ARN": SFN,
    }
    assert RestoreSettings.from_env(env).copy_source_tags is False
    with pytest.raises(
        ConfigurationError, match="COPY_SOURCE_TAGS is 'yes'; expected true or false"
    ):
        RestoreSettings.from_env({**env, "COPY_SOURCE_TAGS": "yes"})


def test_the_waits_table_is_read() -> None:
    env = {"WAITS_TABLE_NAME": " ddb-rotator-restore-waits "}
    assert WaitSettings.from_env(env) == WaitSettings("ddb-rotator-restore-waits")


@pytest.mark.parametrize("name", ["ab", "a" * 256, "waits/table", "waits table"])
def test_a_waits_table_name_dynamodb_would_refuse_is_refused(name: str) -> None:
    with pytest.raises(ConfigurationError, match="expected a DynamoDB table name"):
        WaitSettings.from_env({"WAITS_TABLE_NAME": name})


def test_a_missing_waits_table_is_named() -> None:
    with pytest.raises(ConfigurationError, match="WAITS_TABLE_NAME is not set"):
        WaitSettings.from_env({})


def test_a_waits_table_name_of_255_characters_is_accepted() -> None:
    assert WaitSettings.from_env({"WAITS_TABLE_NAME": "a" * 255}).waits_table_name == "a" * 255


# -- restore_settings ----------------------------------------------------------------
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
RESTORE = RESTORE_ENV
# What functions.tf sets with restore_settings left at its default.
KEEP_EVERYTHING = {
    "RESTORE_BILLING_MODE": "",
    "RESTORE_READ_CAPACITY": "",
    "RESTORE_WRITE_CAPACITY": "",
    "RESTORE_ENCRYPTION": "",
    "RESTORE_KMS_KEY_ARN": "",
    "RESTORE_EXCLUDE_GLOBAL_SECONDARY_INDEXES": "false",
}


def test_empty_restore_settings_keep_what_the_backup_has() -> None:
    assert RestoreSettings.from_env({**RESTORE, **KEEP_EVERYTHING}).restore_options == (
        RestoreOptions()
    )
    assert RestoreSettings.from_env(RESTORE).restore_options == RestoreOptions()


# Every restore setting as functions.tf sets it, and as StartRestore and Configure read it.
EVERY_RESTORE_SETTING = {
    "RESTORE_BILLING_MODE": "PROVISIONED",
    "RESTORE_READ_CAPACITY": "5",
    "RESTORE_WRITE_CAPACITY": " 10 ",
    "RESTORE_ENCRYPTION": "CUSTOMER_MANAGED",
    "RESTORE_KMS_KEY_ARN": KEY,
    "RESTORE_EXCLUDE_GLOBAL_SECONDARY_INDEXES": "true",
}
EVERY_RESTORE_OPTION = RestoreOptions(
    billing_mode="PROVISIONED",
    read_capacity=5,
    write_capacity=10,
    encryption="CUSTOMER_MANAGED",
    kms_key_arn=KEY,
    exclude_global_secondary_indexes=True,
)


def test_every_restore_setting_is_read() -> None:
    env = {**RESTORE, **EVERY_RESTORE_SETTING}
    assert RestoreSettings.from_env(env).restore_options == EVERY_RESTORE_OPTION


@pytest.mark.parametrize("value", ["five", "0", "-1", "2.5"])
def test_capacity_must_be_whole_units(value: str) -> None:
    env = {**RESTORE, "RESTORE_BILLING_MODE": "PROVISIONED", "RESTORE_READ_CAPACITY": value}
    with pytest.raises(ConfigurationError) as info:
        RestoreSettings.from_env(env)
    assert str(info.value) == (
        f"environment variable RESTORE_READ_CAPACITY is {value!r}; expected a whole number "
        "of capacity units, at least 1, or empty to keep the backup's"
    )


def test_restore_settings_that_do_not_fit_together_name_the_variables() -> None:
    env = {**RESTORE, "RESTORE_ENCRYPTION": "CUSTOMER_MANAGED"}
    with pytest.raises(ConfigurationError) as info:
        RestoreSettings.from_env(env)
    assert str(info.value) == (
        "restore settings (environment variables RESTORE_*): encryption is CUSTOMER_MANAGED "
        "and kms_key_arn is None; expected a KMS key ARN "
        "(arn:<partition>:kms:<region>:<account>:key/<key-id>)"
    )


def test_excluding_indexes_is_true_or_false() -> None:
    env = {**RESTORE, "RESTORE_EXCLUDE_GLOBAL_SECONDARY_INDEXES": "yes"}
    with pytest.raises(
        ConfigurationError,
        match="RESTORE_EXCLUDE_GLOBAL_SECONDARY_INDEXES is 'yes'; expected true or false",
    ):
        RestoreSettings.from_env(env)


def test_the_configure_settings_are_read() -> None:
    from rotator.settings import ConfigureSettings

    settings = ConfigureSettings.from_env(
        {"ROTATOR_NAME": "r", "COPY_TAGS": '{"team": "data"}', "COPY_SOURCE_TTL": "true"}
    )
    assert settings.rotator_name == "r" and settings.copy.tags == {"team": "data"}
    assert settings.copy.copy_source_ttl and not settings.copy.point_in_time_recovery


@pytest.mark.parametrize("tags", ["[1]", '{"a": 1}', "{", '"x"'])
def test_copy_tags_that_are_not_an_object_of_strings_are_refused(tags: str) -> None:
    from rotator.settings import ConfigureSettings

    with pytest.raises(ConfigurationError, match="expected a JSON object of string tag values"):
        ConfigureSettings.from_env({"ROTATOR_NAME": "r", "COPY_TAGS": tags})


def test_configure_needs_the_rotators_name() -> None:
    from rotator.settings import ConfigureSettings

    with pytest.raises(ConfigurationError, match="ROTATOR_NAME is not set"):
        ConfigureSettings.from_env({})


CLEANUP = {
    "ROTATOR_NAME": "ddb-rotator",
    "KEEP_LAST": "2",
    "COPY_NAME_LITERAL": "-staging",
    "RESTORE_TIMEOUT_SECONDS": "3600",
}
HOUR = timedelta(hours=1)


def test_cleanup_settings_are_read() -> None:
    assert CleanupSettings.from_env(CLEANUP) == CleanupSettings(
        "ddb-rotator", 2, None, "-staging", HOUR
    )
    with_age = CleanupSettings.from_env({**CLEANUP, "MAX_AGE_DAYS": "30", "COPY_NAME_LITERAL": ""})
    assert with_age == CleanupSettings("ddb-rotator", 2, timedelta(days=30), "", HOUR)


def test_the_cleanups_restore_timeout_must_be_whole_seconds() -> None:
    with pytest.raises(ConfigurationError, match="RESTORE_TIMEOUT_SECONDS is 'soon'"):
        CleanupSettings.from_env({**CLEANUP, "RESTORE_TIMEOUT_SECONDS": "soon"})


def test_an_empty_max_age_is_no_age_limit() -> None:
    assert CleanupSettings.from_env({**CLEANUP, "MAX_AGE_DAYS": " "}).max_age is None


@pytest.mark.parametrize("value", ["0", "-1", "1.5", "two", ""])
def test_keep_last_must_be_a_whole_number_of_copies(value: str) -> None:
    with pytest.raises(
        ConfigurationError,
        match=f"KEEP_LAST is '{value}'; expected a whole number of copies, at least 1",
    ):
        CleanupSettings.from_env({**CLEANUP, "KEEP_LAST": value})


def test_keep_last_may_be_one() -> None:
    assert CleanupSettings.from_env({**CLEANUP, "KEEP_LAST": "1"}).keep_last == 1


@pytest.mark.parametrize("value", ["0", "-3", "0.5", "a month"])
def test_max_age_must_be_a_whole_number_of_days(value: str) -> None:
    with pytest.raises(
        ConfigurationError,
        match=f"MAX_AGE_DAYS is '{value}'; expected a whole number of days, at least 1",
    ):
        CleanupSettings.from_env({**CLEANUP, "MAX_AGE_DAYS": value})


def test_max_age_may_be_one_day() -> None:
    assert CleanupSettings.from_env({**CLEANUP, "MAX_AGE_DAYS": "1"}).max_age == timedelta(days=1)


@pytest.mark.parametrize(
    "missing", ["ROTATOR_NAME", "KEEP_LAST", "COPY_NAME_LITERAL", "RESTORE_TIMEOUT_SECONDS"]
)
def test_cleanup_settings_name_a_missing_variable(missing: str) -> None:
    env = {k: v for k, v in CLEANUP.items() if k != missing}
    with pytest.raises(ConfigurationError, match=f"environment variable {missing} is not set"):
        CleanupSettings.from_env(env)


def test_an_empty_rotator_name_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="ROTATOR_NAME is empty; expected the rotator"):
        CleanupSettings.from_env({**CLEANUP, "ROTATOR_NAME": " "})


def test_a_parameter_template_is_checked_when_read() -> None:
    settings = PublishSettings.from_env(
        {"SSM_PARAMETER_NAME": "/staging/{source_table}", "SSM_PARAMETER_TIER": "Advanced"}
    )
    assert (settings.ssm_parameter_name, settings.tier) == ("/staging/{source_table}", "Advanced")
    with pytest.raises(ConfigurationError, match=re.escape("unknown placeholder '{table}'")):
        PublishSettings.from_env({"SSM_PARAMETER_NAME": "/staging/{table}"})


def test_an_unknown_parameter_tier_is_refused() -> None:
    with pytest.raises(
        ConfigurationError, match="SSM_PARAMETER_TIER is 'Premium'; expected one of"
    ):
        PublishSettings.from_env({"SSM_PARAMETER_NAME": "/x", "SSM_PARAMETER_TIER": "Premium"})


def test_discard_settings_are_read_with_the_parameters_template() -> None:
    env = {"ROTATOR_NAME": " ddb-rotator ", "SSM_PARAMETER_NAME": "/staging/{source_table}/arn"}
    assert DiscardSettings.from_env(env) == DiscardSettings(
        "ddb-rotator", "/staging/{source_table}/arn"
    )
    assert DiscardSettings.from_env({"ROTATOR_NAME": "r"}).ssm_parameter_name is None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "environment variable ROTATOR_NAME is not set"),
        ({"ROTATOR_NAME": ""}, "ROTATOR_NAME is empty; expected the rotator's name"),
        (
            {"ROTATOR_NAME": "r", "SSM_PARAMETER_NAME": "/staging/{table}"},
            "environment variable SSM_PARAMETER_NAME: ",
        ),
    ],
    ids=["no rotator", "empty rotator", "unknown placeholder"],
)
def test_bad_discard_settings_are_refused_with_what_was_expected(
    env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigurationError, match=re.escape(message)):
        DiscardSettings.from_env(env)


def test_every_step_that_reads_the_rotator_name_refuses_an_empty_one() -> None:
    for settings in (CleanupSettings, DiscardSettings, ConfigureSettings):
        with pytest.raises(ConfigurationError, match="ROTATOR_NAME is empty"):
            settings.from_env({**CLEANUP, "ROTATOR_NAME": "  "})


def test_an_empty_rotator_name_says_what_was_expected() -> None:
    for settings in (CleanupSettings, DiscardSettings, ConfigureSettings):
        with pytest.raises(ConfigurationError) as info:
            settings.from_env({**CLEANUP, "ROTATOR_NAME": " "})
        assert str(info.value) == (
            "environment variable ROTATOR_NAME is empty; expected the rotator's name "
            "(the module's name)"
        )


def test_the_smallest_capacity_is_one_unit() -> None:
    env = {
        **RESTORE,
        "RESTORE_BILLING_MODE": "PROVISIONED",
        "RESTORE_READ_CAPACITY": "1",
        "RESTORE_WRITE_CAPACITY": "1",
    }
    options = RestoreSettings.from_env(env).restore_options
    assert (options.read_capacity, options.write_capacity) == (1, 1)


# -- Configure -----------------------------------------------------------------------
COPY_FLAGS = {
    "COPY_SOURCE_TAGS": "copy_source_tags",
    "COPY_SOURCE_TTL": "copy_source_ttl",
    "COPY_SOURCE_STREAMS": "copy_source_streams",
    "POINT_IN_TIME_RECOVERY": "point_in_time_recovery",
    "DELETION_PROTECTION": "deletion_protection",
}


def test_configure_settings_left_unset_copy_nothing_and_keep_the_backups() -> None:
    settings = ConfigureSettings.from_env({"ROTATOR_NAME": "r"})
    assert settings == ConfigureSettings("r", CopySettings(), RestoreOptions())
    assert all(getattr(settings.copy, f) is False for f in COPY_FLAGS.values())


@pytest.mark.parametrize("variable", sorted(COPY_FLAGS))
def test_each_copy_setting_is_read_from_its_own_variable(variable: str) -> None:
    copy = ConfigureSettings.from_env({"ROTATOR_NAME": "r", variable: "true"}).copy
    read = {f: getattr(copy, f) for f in COPY_FLAGS.values()}
    assert read == {f: f == COPY_FLAGS[variable] for f in COPY_FLAGS.values()}


@pytest.mark.parametrize("variable", sorted(COPY_FLAGS))
def test_a_copy_setting_that_is_not_a_flag_is_refused_by_name(variable: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        ConfigureSettings.from_env({"ROTATOR_NAME": "r", variable: "1"})
    assert str(info.value) == f"environment variable {variable} is '1'; expected true or false"


def test_configure_reads_the_restore_settings() -> None:
    env = {"ROTATOR_NAME": "r", **EVERY_RESTORE_SETTING}
    assert ConfigureSettings.from_env(env).restore_options == EVERY_RESTORE_OPTION


# -- Publish -------------------------------------------------------------------------
def test_an_unknown_parameter_tier_names_the_tiers_there_are() -> None:
    with pytest.raises(ConfigurationError) as info:
        PublishSettings.from_env({"SSM_PARAMETER_NAME": "/x", "SSM_PARAMETER_TIER": "Premium"})
    assert str(info.value) == (
        "environment variable SSM_PARAMETER_TIER is 'Premium'; expected one of Standard, "
        "Advanced, Intelligent-Tiering, or empty"
    )


def test_publish_settings_left_unset_are_none_and_no_tags() -> None:
    assert PublishSettings.from_env({}) == PublishSettings(None, None, None, {})
    assert PublishSettings.from_env({"SSM_PARAMETER_DESCRIPTION": ""}).description is None


def test_the_parameters_description_and_tags_are_read() -> None:
    env = {
        "SSM_PARAMETER_NAME": "/staging/{source_table}",
        "SSM_PARAMETER_DESCRIPTION": "The staging copy ",
        "SSM_PARAMETER_TAGS": '{"team": "data", "env": "staging"}',
    }
    assert PublishSettings.from_env(env) == PublishSettings(
        "/staging/{source_table}", None, "The staging copy ", {"team": "data", "env": "staging"}
    )


def test_parameter_tags_that_are_not_an_object_of_strings_name_the_variable() -> None:
    with pytest.raises(ConfigurationError) as info:
        PublishSettings.from_env({"SSM_PARAMETER_TAGS": '{"team": 1}'})
    assert str(info.value) == (
        "environment variable SSM_PARAMETER_TAGS is '{\"team\": 1}'; expected a JSON object "
        "of string tag values"
    )


# -- Wait ----------------------------------------------------------------------------
def test_a_refused_waits_table_name_says_what_a_table_name_is() -> None:
    with pytest.raises(ConfigurationError) as info:
        WaitSettings.from_env({"WAITS_TABLE_NAME": "waits/table"})
    assert str(info.value) == (
        "WAITS_TABLE_NAME is 'waits/table'; expected a DynamoDB table name "
        "(3 to 255 characters from a-z, A-Z, 0-9, '_', '-', '.')"
    )


# pass
ROLES_JSON = '["arn:aws:iam::123456789012:role/rotator-walk-segment"]'
RULES_JSON = (
    '[{"path": "email", "action": "hash"}, {"path": "note", "action": "set", "value": "x"}]'
)


def test_the_plan_pass_settings_are_read() -> None:
    settings = PlanPassSettings.from_env(
        {
            "PASS_ROLE_ARNS": ROLES_JSON,
            "PASS_MASK": RULES_JSON,
            "PASS_SECRET_PARAMETER": "/rotator/key",
            "PASS_SEGMENTS": "64",
        }
    )
    assert settings.role_arns == ("arn:aws:iam::123456789012:role/rotator-walk-segment",)
    assert settings.segments == 64
    assert settings.mask == MaskSettings(
        rules=(Rule("email", "hash"), Rule("note", "set", "x")),
        secret_parameter="/rotator/key",
        secret_arn=None,
    )
    unset = PlanPassSettings.from_env({"PASS_ROLE_ARNS": ROLES_JSON, "PASS_MASK": "[]"})
    assert (unset.segments, unset.mask.rules, unset.mask.secret_parameter) == (None, (), None)


@pytest.mark.parametrize("value", ["0", "1001", "x", "2.5"])
def test_segments_must_be_from_1_to_1000(value: str) -> None:
    with pytest.raises(ConfigurationError, match=f"PASS_SEGMENTS is {value!r}; expected a whole"):
        PlanPassSettings.from_env(
            {"PASS_ROLE_ARNS": ROLES_JSON, "PASS_MASK": "[]", "PASS_SEGMENTS": value}
        )


@pytest.mark.parametrize("value", ["", "[]", '"arn"', '["rotator-walk-segment"]', "{"])
def test_the_roles_the_copy_stays_open_to_must_be_role_arns(value: str) -> None:
    with pytest.raises(
        ConfigurationError, match=r"PASS_ROLE_ARNS is .*expected a JSON list of IAM role ARNs"
    ):
        PlanPassSettings.from_env({"PASS_ROLE_ARNS": value, "PASS_MASK": "[]"})


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{", "expected a JSON list of mask rules"),
        ('{"path": "a"}', "expected a JSON list of mask rules"),
        ('["a"]', "expected a JSON list of mask rules"),
        ('[{"path": "a", "action": "scramble"}]', "PASS_MASK: masking rule 1 .path 'a'.: unknown"),
    ],
)
def test_mask_rules_that_are_not_rules_are_refused(value: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        MaskSettings.from_env({"PASS_MASK": value})


def test_the_check_pass_settings_are_read() -> None:
    settings = CheckPassSettings.from_env(
        {"PASS_ITEM_COUNT_TOLERANCE": "12.5", "PASS_MIN_ITEMS": "0"}
    )
    assert settings == CheckPassSettings(item_count_tolerance_percent=12.5, min_items=0)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"PASS_ITEM_COUNT_TOLERANCE": "101", "PASS_MIN_ITEMS": "0"}, "a percentage from 0 to 100"),
        ({"PASS_ITEM_COUNT_TOLERANCE": "ten", "PASS_MIN_ITEMS": "0"}, "a percentage from 0 to 100"),
        ({"PASS_ITEM_COUNT_TOLERANCE": "10", "PASS_MIN_ITEMS": "-1"}, "a whole number of items"),
        ({"PASS_ITEM_COUNT_TOLERANCE": "10"}, "PASS_MIN_ITEMS is not set"),
    ],
)
def test_check_pass_limits_say_what_was_expected(variables: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        CheckPassSettings.from_env(variables)


# copy_settings' table properties as steps.tf writes them (jsonencode: "null" when off)
TABLE_PROPERTIES = {
    "ROTATOR_NAME": "r",
    "POINT_IN_TIME_RECOVERY": "true",
    "COPY_TABLE_CLASS": '"SOURCE"',
    "COPY_ON_DEMAND_THROUGHPUT": '{"from_source":false,"max_read_request_units":100,"max_write_request_units":null}',
    "COPY_WARM_THROUGHPUT": '{"from_source":true,"read_units_per_second":null,"write_units_per_second":null}',
    "COPY_PITR_PERIOD": '{"from_source":false,"days":7}',
    "COPY_RESOURCE_POLICY": '{"from_source":true,"policy":null}',
    "COPY_AUTO_SCALING": '{"from_source":false,"min_capacity":1,"max_capacity":10,"target_utilization":70}',
    "COPY_CONTRIBUTOR_INSIGHTS": '"ENABLED"',
    "COPY_KINESIS_STREAM_ARN": '"arn:aws:kinesis:eu-west-1:123456789012:stream/s"',
    "COPY_BEST_EFFORT": '["auto_scaling"]',
}


def test_the_table_properties_are_read() -> None:
    copy = ConfigureSettings.from_env(TABLE_PROPERTIES).copy
    assert copy.table_class == "SOURCE"
    assert copy.on_demand_throughput == Throughput("on_demand_throughput", read=100)
    assert copy.warm_throughput == Throughput("warm_throughput", from_source=True)
    assert copy.point_in_time_recovery_period == RecoveryPeriod(days=7)
    assert copy.resource_policy == ResourcePolicy(from_source=True)
    assert copy.auto_scaling == AutoScaling(min_capacity=1, max_capacity=10, target_utilization=70)
    assert copy.contributor_insights == "ENABLED"
    assert copy.kinesis_stream_arn == "arn:aws:kinesis:eu-west-1:123456789012:stream/s"
    assert copy.best_effort == frozenset({"auto_scaling"})
    off = ConfigureSettings.from_env({"ROTATOR_NAME": "r", "COPY_TABLE_CLASS": "null"}).copy
    assert off == CopySettings()


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "COPY_TABLE_CLASS",
            '"GLACIER"',
            "expected one of SOURCE, STANDARD, STANDARD_INFREQUENT_ACCESS",
        ),
        ("COPY_TABLE_CLASS", "SOURCE", "expected JSON"),
        ("COPY_WARM_THROUGHPUT", "[1]", "expected an object"),
        (
            "COPY_WARM_THROUGHPUT",
            '{"from_source":false}',
            "COPY_WARM_THROUGHPUT: warm_throughput: expected either",
        ),
        ("COPY_KINESIS_STREAM_ARN", '"stream/s"', "expected a Kinesis data stream ARN"),
        ("COPY_BEST_EFFORT", '["everything"]', "best_effort names everything; expected some of"),
        ("RESTORE_GLOBAL_SECONDARY_INDEXES", '["a", ""]', "expected a list of index names"),
        ("RESTORE_INDEX_CAPACITY", '{"a": {"read_capacity": 1}}', "expected a map of index names"),
    ],
)
def test_bad_table_properties_name_the_variable(variable: str, value: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=re.escape(message)) as info:
        ConfigureSettings.from_env({"ROTATOR_NAME": "r", variable: value})
    assert variable in str(info.value)


def test_the_indexes_to_keep_and_their_capacity_are_read() -> None:
    env = {
        **RESTORE,
        "RESTORE_BILLING_MODE": "PROVISIONED",
        "RESTORE_READ_CAPACITY": "5",
        "RESTORE_WRITE_CAPACITY": "5",
        "RESTORE_GLOBAL_SECONDARY_INDEXES": '["by*"]',
        "RESTORE_LOCAL_SECONDARY_INDEXES": "[]",
        "RESTORE_INDEX_CAPACITY": '{"z": {"read_capacity": 1, "write_capacity": 2}, "a*": {"read_capacity": 3, "write_capacity": 4}}',
    }
    options = RestoreSettings.from_env(env).restore_options
    assert options.global_secondary_indexes == ("by*",)
    assert options.local_secondary_indexes == ()
    assert options.index_capacity == (("a*", 3, 4), ("z", 1, 2))
