"""The copy's name: Go ReplaceAllString semantics plus the UTC time suffix."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rotator.naming import (
    EXECUTION_NAME_MAX,
    check_table_name,
    compile_pattern,
    could_be_copy,
    execution_name,
    go_replace_all,
    matches_source,
    restore_idempotency_token,
    split_copy_name,
    target_table_name,
    timestamp_suffix,
)

STARTED = datetime(2019, 9, 18, 10, 49, 29, tzinfo=UTC)
TABLE_NAME_CHARS = st.sampled_from(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"
)
table_names = st.text(TABLE_NAME_CHARS, min_size=3, max_size=120)


def replace(pattern: str, source: str, template: str) -> str:
    return go_replace_all(compile_pattern(pattern), source, template)


@pytest.mark.parametrize(
    ("source_pattern", "replacement", "expected"),
    [
        ("(?i)-production$", "-staging", "Orders-staging-20190918-10-49-29"),
        ("(?i)-production$", "$0", "Orders-Production-20190918-10-49-29"),
        ("^(.*)-Production$", "${1}-copy", "Orders-copy-20190918-10-49-29"),
    ],
)
def test_seed_compat_examples_give_the_original_names(
    source_pattern: str, replacement: str, expected: str
) -> None:
    assert target_table_name("Orders-Production", source_pattern, replacement, STARTED) == expected


def test_a_pattern_that_also_matches_empty_replaces_once_like_go() -> None:
    assert replace(".*", "Orders-Production", "X") == "X"
    assert re.sub(".*", "X", "Orders-Production") == "XX"  # what Go does not do


def test_empty_matches_between_characters_are_all_replaced() -> None:
    assert replace("x*", "abc", "-") == "-a-b-c-"


def test_every_non_overlapping_match_is_replaced() -> None:
    assert replace("a", "banana", "o") == "bonono"


def test_bare_name_takes_the_longest_run_of_word_characters() -> None:
    assert replace("^(.*)-Production$", "Orders-Production", "$1_copy") == ""
    assert replace("^(.*)-Production$", "Orders-Production", "$1-copy") == "Orders-copy"


def test_named_groups_in_both_go_spellings() -> None:
    assert replace("^(?P<app>[a-z]+)-prod$", "shop-prod", "${app}-dev") == "shop-dev"
    assert replace("^(?<app>[a-z]+)-prod$", "shop-prod", "$app-dev") == "shop-dev"


def test_missing_and_unmatched_groups_expand_to_nothing() -> None:
    assert replace("^(a)(b)?-x$", "a-x", "[$2][$9][${nope}]") == "[][][]"


def test_dollar_escapes_and_malformed_references_are_literal() -> None:
    assert replace("-x$", "a-x", "$$1") == "a$1"
    assert replace("-x$", "a-x", "-$-") == "a-$-"
    assert replace("-x$", "a-x", "${1") == "a${1"
    assert replace("-x$", "a-x", "$") == "a$"


def test_numbers_with_leading_zeros_are_names_not_indexes() -> None:
    assert replace("^(a)-x$", "a-x", "[$01]") == "[]"


def test_unicode_digits_are_names_not_indexes() -> None:
    assert replace("^(a)-x$", "a-x", "[$\u0661]") == "[]"


def test_a_table_that_does_not_match_keeps_its_name() -> None:
    assert (
        target_table_name("Orders", "(?i)-production$", "-staging", STARTED)
        == "Orders-20190918-10-49-29"
    )


def test_suffix_is_the_start_time_in_utc() -> None:
    plus_two = timezone(timedelta(hours=2))
    started = datetime(2019, 9, 18, 12, 49, 29, tzinfo=plus_two)
    assert target_table_name("A-Production", "-Production", "", started) == "A-20190918-10-49-29"


def test_a_naive_start_time_is_taken_as_utc() -> None:
    started = datetime(2019, 9, 18, 10, 49, 29)
    assert target_table_name("A-Production", "-Production", "", started).endswith(
        "-20190918-10-49-29"
    )


def test_too_long_a_name_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match=r"256 characters long.*3 to 255") as info:
        target_table_name("a" * 238, "x", "y", STARTED)
    assert "replacement_pattern" in str(info.value)


def test_characters_dynamodb_rejects_are_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match=r"contains '/'.*letters, digits"):
        target_table_name("Orders-Production", "-Production", "/staging", STARTED)


def test_an_invalid_source_pattern_is_refused_with_the_setting_named() -> None:
    with pytest.raises(ValueError, match=r"source_pattern '\(unclosed'.*not a valid"):
        target_table_name("Orders", "(unclosed", "x", STARTED)


@given(
    source=table_names,
    literal=st.text(TABLE_NAME_CHARS, min_size=1, max_size=4),
    replacement=st.text(TABLE_NAME_CHARS, max_size=6),
)
def test_literal_patterns_replace_like_str_replace(
    source: str, literal: str, replacement: str
) -> None:
    assert replace(re.escape(literal), source, replacement) == source.replace(literal, replacement)


@given(source=table_names, when=st.datetimes(timezones=st.just(UTC)))
def test_name_is_replacement_plus_eighteen_character_suffix(source: str, when: datetime) -> None:
    name = target_table_name(source, "(?i)-production$", "-staging", when)
    base = re.sub("(?i)-production$", "-staging", source)
    assert name == base + f"-{when.year:04d}" + when.strftime("%m%d-%H-%M-%S")
    assert len(name) == len(base) + 18


@given(st.text(min_size=1, max_size=200).filter(str.strip))
def test_execution_names_are_always_valid_and_stable(job_id: str) -> None:
    name = execution_name(job_id)
    assert 1 <= len(name) <= EXECUTION_NAME_MAX
    assert re.fullmatch(r"[A-Za-z0-9_-]+", name)
    assert execution_name(job_id) == name


@given(
    st.lists(
        st.text(min_size=1, max_size=120).filter(str.strip),
        min_size=2,
        max_size=2,
        unique_by=str.strip,
    )
)
def test_different_jobs_get_different_execution_names(job_ids: list[str]) -> None:
    assert execution_name(job_ids[0]) != execution_name(job_ids[1])


def test_a_backup_job_id_is_its_own_execution_name() -> None:
    job_id = "7B1E3A42-9D5C-4F3E-8C1D-2E4F6A8B0C1D"
    assert execution_name(job_id) == job_id
    assert execution_name(job_id + "\n") == job_id


def test_an_empty_job_id_cannot_name_an_execution() -> None:
    with pytest.raises(ValueError, match="empty") as info:
        execution_name("  ")
    assert str(info.value) == "backup job id is empty; cannot derive an execution name"


@pytest.mark.parametrize(
    "pattern", [r"\pL+-prod$", r"-prod\z", r"a(?i)-prod", "^[[:alpha:]]+-prod$", "^[[:upper:]]"]
)
def test_re2_only_syntax_is_refused_with_the_setting_named(pattern: str) -> None:
    with pytest.raises(ValueError, match=r"SOURCE_PATTERN .* expected RE2/Go syntax"):
        compile_pattern(pattern, "SOURCE_PATTERN")


def test_an_escaped_parenthesis_is_not_read_as_a_named_group() -> None:
    assert replace(r"x\(?<a>", "x<a>", "Y") == "Y"
    assert replace(r"(?<a>x)-", "x-", "${a}") == "x"


WHEN = datetime(2024, 8, 27, 9, 20, tzinfo=UTC)


def test_an_over_long_job_id_gives_an_execution_name_of_exactly_80_characters() -> None:
    assert len(execution_name("j" * 81)) == 80
    assert execution_name("j" * 80) == "j" * 80


def digest(job_id: str) -> str:
    return hashlib.sha256(job_id.encode()).hexdigest()[:16]


@pytest.mark.parametrize(
    ("job_id", "expected"),
    [
        ("j" * 79, "j" * 79),
        ("j" * 80, "j" * 80),  # Step Functions' limit, exactly: kept as it is
        ("j" * 81, "j" * 63 + "-" + digest("j" * 81)),  # 63 + 1 + 16 = 80
        ("j" * 200, "j" * 63 + "-" + digest("j" * 200)),
    ],
)
def test_execution_names_are_capped_at_exactly_80_characters(job_id: str, expected: str) -> None:
    assert EXECUTION_NAME_MAX == 80
    assert execution_name(job_id) == expected
    assert len(expected) == min(len(job_id), 80)


def test_unsafe_characters_become_dashes_and_the_name_gains_the_hash_of_the_id() -> None:
    assert execution_name("backup/job id") == "backup-job-id-" + digest("backup/job id")
    # the hash keeps two ids that differ only in unsafe characters apart
    assert execution_name("backup:job id") == "backup-job-id-" + digest("backup:job id")


def test_an_unmatched_optional_named_group_expands_to_nothing() -> None:
    pattern = "^(?P<app>[A-Z]+)?(?P<rest>[a-z]+)-prod$"
    name = target_table_name("orders-prod", pattern, "${app}${rest}-staging", WHEN)
    assert name == "orders-staging-20240827-09-20-00"


def test_a_copy_name_of_exactly_255_characters_is_accepted_and_256_refused() -> None:
    longest = "t" * (255 - 18)
    assert len(target_table_name(longest, "^$", "", WHEN)) == 255
    with pytest.raises(ValueError, match="256 characters long"):
        target_table_name(longest + "t", "^$", "", WHEN)


def test_a_copy_name_must_be_3_to_255_characters() -> None:
    assert check_table_name("abc") == "abc"
    assert check_table_name("t" * 255) == "t" * 255
    with pytest.raises(ValueError, match="characters long") as info:
        check_table_name("ab")
    assert str(info.value) == (
        "table name 'ab' is 2 characters long; DynamoDB table names must be 3 to 255 characters"
    )


def test_the_characters_dynamodb_rejects_are_each_named_once() -> None:
    with pytest.raises(ValueError, match="contains") as info:
        check_table_name("a/b c/d")
    assert str(info.value) == (
        "table name 'a/b c/d' contains ' /'; DynamoDB table names may contain only "
        "letters, digits, '_', '-' and '.'"
    )


def test_a_match_ends_where_it_ends_so_matches_never_overlap() -> None:
    assert replace("aa", "aaa", "X") == "Xa"
    assert replace("aba", "ababa", "X") == "Xba"


@pytest.mark.parametrize(
    ("pattern", "table", "expected"),
    [
        ("(?i)-production$", "Orders-Production", True),
        ("(?i)-production$", "Orders-Production-old", False),
        ("-prod", "orders-prod-eu", True),  # anywhere in the name, like Go's MatchString
        ("^orders", "my-orders", False),
    ],
)
def test_the_source_pattern_matches_anywhere_in_the_table_name(
    pattern: str, table: str, expected: bool
) -> None:
    assert matches_source(compile_pattern(pattern), table) is expected


def test_the_suffix_is_utc_whatever_the_machine_zone(machine_zone_not_utc: None) -> None:
    plus_two = timezone(timedelta(hours=2))
    started = datetime(2019, 9, 18, 12, 49, 29, tzinfo=plus_two)
    assert target_table_name("A-Production", "-Production", "", started) == "A-20190918-10-49-29"


RECOVERY_POINT = (
    "arn:aws:backup:us-east-1:123456789012:recovery-point:1EB3B5E7-9EB0-435A-A80B-108B488B0D45"
)


def test_the_restore_idempotency_token_never_changes() -> None:
    """Pinned: a different token for the same restore would make a step retried across an
    upgrade start a second AWS Backup restore job."""
    token = restore_idempotency_token(RECOVERY_POINT, "Orders-staging-20240827-09-20-00")
    assert token == "5cdfa8f514ac9203a81266fb414e90d8d0250f704c43f9d5590bbab981024de6"


def test_the_restore_idempotency_token_tells_restores_apart() -> None:
    token = restore_idempotency_token(RECOVERY_POINT, "Orders-staging-20240827-09-20-00")
    assert restore_idempotency_token(RECOVERY_POINT, "Orders-staging-20240828-09-20-00") != token
    assert (
        restore_idempotency_token(RECOVERY_POINT + "0", "Orders-staging-20240827-09-20-00") != token
    )
    # the separator keeps the two parts apart: moving a character across gives another token
    assert restore_idempotency_token("ab", "c") != restore_idempotency_token("a", "bc")


def test_a_copy_name_splits_into_its_base_and_its_backup_time() -> None:
    assert split_copy_name("Orders-staging-20240827-09-20-00") == ("Orders-staging", WHEN)


def test_a_copy_name_may_have_an_empty_base() -> None:
    assert split_copy_name("-20240827-09-20-00") == ("", WHEN)


@pytest.mark.parametrize(
    "name",
    [
        "Orders-staging",  # no suffix
        "Orders-staging-20240827-09-20",  # too short a suffix
        "Orders-staging_20240827-09-20-00",  # "_" where the suffix starts with "-"
        "Orders-staging-20240827_09-20-00",
        "Orders-staging-20240827-09_20-00",
        "Orders-staging-20240827-09-20_00",
        "Orders-staging-2024082a-09-20-00",
        "Orders-staging-20241301-09-20-00",  # month 13
        "Orders-staging-20240230-09-20-00",  # 30 February
        "Orders-staging-20240827-24-00-00",  # hour 24
        "Orders-staging-00000827-09-20-00",  # year 0
        "0240827-09-20-00",  # shorter than a suffix
        "",
    ],
)
def test_a_name_without_a_real_time_suffix_is_no_copy_name(name: str) -> None:
    assert split_copy_name(name) is None


@given(source=table_names, when=st.datetimes(timezones=st.just(UTC)))
def test_every_name_target_table_name_gives_splits_back(source: str, when: datetime) -> None:
    name = target_table_name(source, "(?i)-production$", "-staging", when)
    assert split_copy_name(name) == (
        re.sub("(?i)-production$", "-staging", source),
        when.replace(microsecond=0),
    )


@given(when=st.datetimes(timezones=st.just(UTC)))
def test_the_suffix_of_a_split_time_is_the_suffix_split(when: datetime) -> None:
    suffix = timestamp_suffix(when)
    parts = split_copy_name("base" + suffix)
    assert parts is not None and timestamp_suffix(parts[1]) == suffix


@pytest.mark.parametrize(
    ("name", "literal", "expected"),
    [
        ("Orders-staging-20240827-09-20-00", "-staging", True),
        ("Orders-staging-eu-20240827-09-20-00", "-staging", True),  # text between
        ("-staging-20240827-09-20-00", "-staging", True),  # nothing before
        ("Orders-archive-20240827-09-20-00", "-staging", False),
        ("Orders-archive-20240827-09-20-00", "", True),  # no literal: any copy name
        ("Orders-staging-20241301-09-20-00", "-staging", False),  # not a real time
        ("Orders-staging", "-staging", False),
        ("Orders-stagin-20240827-09-20-00", "-staging", False),
        # the literal must be before the time, not inside it
        ("Orders-20240827-09-20-00", "-09-20", False),
    ],
)
def test_a_name_could_be_a_copy_when_it_ends_in_a_time_and_holds_the_literal(
    name: str, literal: str, expected: bool
) -> None:
    assert could_be_copy(name, literal) is expected


def test_without_a_literal_a_copy_name_is_any_name_with_the_suffix() -> None:
    assert could_be_copy("-20240827-09-20-00")
    assert not could_be_copy("20240827-09-20-00")
