"""The copy's name: Go ReplaceAllString semantics plus the UTC time suffix."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rotator.naming import (
    EXECUTION_NAME_MAX,
    compile_pattern,
    execution_name,
    go_replace_all,
    target_table_name,
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
    with pytest.raises(ValueError, match="empty"):
        execution_name("  ")


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


def test_an_unmatched_optional_named_group_expands_to_nothing() -> None:
    pattern = "^(?P<app>[A-Z]+)?(?P<rest>[a-z]+)-prod$"
    name = target_table_name("orders-prod", pattern, "${app}${rest}-staging", WHEN)
    assert name == "orders-staging-20240827-09-20-00"


def test_a_copy_name_of_exactly_255_characters_is_accepted_and_256_refused() -> None:
    longest = "t" * (255 - 18)
    assert len(target_table_name(longest, "^$", "", WHEN)) == 255
    with pytest.raises(ValueError, match="256 characters long"):
        target_table_name(longest + "t", "^$", "", WHEN)
