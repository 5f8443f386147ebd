"""The SSM parameter: its name (placeholders, SSM's rules) and never moving back."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rotator.errors import InvalidInput
from rotator.naming import target_table_name, timestamp_suffix
from rotator.pointer import (
    PARAMETER_LEVELS_MAX,
    PARAMETER_NAME_MAX,
    PointerVerdict,
    check_parameter_name,
    check_parameter_template,
    ledger_pointer_verdict,
    parameter_name,
    parameter_of,
    placeholders_of,
    pointer_verdict,
    table_named_by,
)
from tests.fuzzing import examples

SOURCE = "Orders-Production"
COPY = "Orders-staging-20240827-09-20-00"
EARLIER = "Orders-staging-20240826-09-20-00"
LATER = "Orders-staging-20240828-09-20-00"


def arn(table: str, region: str = "us-east-1") -> str:
    return f"arn:aws:dynamodb:{region}:123456789012:table/{table}"


# ---- the parameter's name --------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("/staging/database-arn", "/staging/database-arn"),
        ("/staging/{target_base}/arn", "/staging/Orders-staging/arn"),
        ("/copies/{source_table}", "/copies/Orders-Production"),
        ("/{source_table}/{target_base}", "/Orders-Production/Orders-staging"),
        ("{target_base}", "Orders-staging"),
        ("/x/{source_table}.{source_table}", "/x/Orders-Production.Orders-Production"),
    ],
)
def test_placeholders_are_filled_in_from_the_source_and_the_copy(
    template: str, expected: str
) -> None:
    assert parameter_name(template, SOURCE, COPY) == expected


def test_placeholders_are_listed_in_order_with_repeats() -> None:
    assert placeholders_of("/{target_base}/{source_table}/{target_base}") == (
        "target_base",
        "source_table",
        "target_base",
    )
    assert placeholders_of("/plain") == ()


def test_a_copy_without_a_time_suffix_has_no_target_base() -> None:
    with pytest.raises(ValueError, match="does not end in") as info:
        parameter_name("/s/{target_base}", SOURCE, "Orders-staging")
    assert str(info.value) == (
        "copy name 'Orders-staging' does not end in a -YYYYMMDD-HH-MM-SS time; expected a "
        "name the rotator gave its copy, to fill in {target_base}"
    )


def test_a_template_without_target_base_needs_no_copy_suffix() -> None:
    assert parameter_name("/s/{source_table}", SOURCE, "Orders-staging") == "/s/Orders-Production"


@pytest.mark.parametrize("placeholder", ["{table}", "{}", "{Source_Table}", "{ source_table}"])
def test_an_unknown_placeholder_is_refused_naming_the_known_ones(placeholder: str) -> None:
    template = f"/staging/{placeholder}"
    with pytest.raises(ValueError, match="unknown placeholder") as info:
        parameter_name(template, SOURCE, COPY)
    assert str(info.value) == (
        f"ssm_parameter_name {template!r} uses the unknown placeholder {placeholder!r}; "
        "expected {source_table} or {target_base}"
    )


@pytest.mark.parametrize(
    ("template", "brace", "position"),
    [
        ("/s/{source_table", "{", 3),
        ("/s/source_table}", "}", 15),
        ("/s/{{source_table}}", "{", 3),
        ("/s/{x{source_table}}", "{", 3),
        ("/s/{source_table}}", "}", 17),
        ("{", "{", 0),
    ],
)
def test_an_unbalanced_brace_is_refused_with_its_position(
    template: str, brace: str, position: int
) -> None:
    with pytest.raises(ValueError, match="unbalanced") as info:
        placeholders_of(template)
    assert str(info.value) == (
        f"ssm_parameter_name {template!r} has an unbalanced {brace!r} at position {position}; "
        "expected every placeholder written whole, as {source_table} or {target_base}"
    )


def test_the_first_problem_from_the_left_is_the_one_reported() -> None:
    with pytest.raises(ValueError, match=re.escape("unknown placeholder '{a}'")):
        placeholders_of("/{a}/{")
    with pytest.raises(ValueError, match="unbalanced '}' at position 1"):
        placeholders_of("/}/{a}")


def test_an_expanded_name_ssm_would_refuse_is_refused_saying_how_it_was_built() -> None:
    with pytest.raises(ValueError, match="reserves") as info:
        parameter_name("{source_table}", "awsOrders", "awsOrders-20240827-09-20-00")
    assert str(info.value) == (
        "ssm_parameter_name '{source_table}' gives 'awsOrders' for the copy "
        "'awsOrders-20240827-09-20-00' of table 'awsOrders': parameter name 'awsOrders' "
        "starts with 'aws' or 'ssm', which SSM reserves (in any case, with or without a "
        "leading '/')"
    )


def test_an_empty_copy_base_that_leaves_a_level_empty_is_refused() -> None:
    with pytest.raises(ValueError, match="empty level"):
        parameter_name("/s/{target_base}", SOURCE, "-20240827-09-20-00")


def test_a_long_table_name_can_make_the_expanded_name_too_long() -> None:
    template = "/" + "p" * 900 + "/{source_table}"
    assert check_parameter_template(template) == template
    with pytest.raises(ValueError, match="1157 characters long"):
        parameter_name(template, "t" * 255, COPY)


# ---- SSM's naming rules ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "p",
        "database-arn",
        "/staging/database-arn",
        "/a_b.c-d/E9",
        "/Saws/xssm",  # reserved only at the start
        "x" * PARAMETER_NAME_MAX,
        "/l" * PARAMETER_LEVELS_MAX,
    ],
)
def test_names_ssm_accepts_are_accepted(name: str) -> None:
    assert check_parameter_name(name) == name


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "",
            "parameter name '' is 0 characters long; SSM parameter names must be 1 to 1011 characters",
        ),
        (
            "x" * 1012,
            f"parameter name {'x' * 1012!r} is 1012 characters long; SSM parameter names "
            "must be 1 to 1011 characters",
        ),
        (
            "/a b/c$d",
            "parameter name '/a b/c$d' contains ' $'; SSM parameter names may contain only "
            "letters, digits, '_', '.', '-' and '/'",
        ),
        (
            "/st/{x}",
            "parameter name '/st/{x}' contains '{}'; SSM parameter names may contain only "
            "letters, digits, '_', '.', '-' and '/'",
        ),
        (
            "staging/arn",
            "parameter name 'staging/arn' has a hierarchy but does not start with '/'; "
            "expected a fully qualified name such as /staging/orders",
        ),
        (
            "/staging//arn",
            "parameter name '/staging//arn' has an empty level; expected a name between "
            "every two '/' and after the last",
        ),
        (
            "/staging/",
            "parameter name '/staging/' has an empty level; expected a name between every "
            "two '/' and after the last",
        ),
        (
            "/l" * 16,
            f"parameter name {'/l' * 16!r} has 16 levels; SSM allows at most 15",
        ),
    ],
)
def test_names_ssm_refuses_are_refused_with_the_rule(name: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as info:
        check_parameter_name(name)
    assert str(info.value) == message


@pytest.mark.parametrize("name", ["aws", "AWS-x", "/aws/x", "ssm", "/SsM-param", "/Aws"])
def test_names_starting_with_aws_or_ssm_are_reserved(name: str) -> None:
    with pytest.raises(ValueError, match="SSM reserves"):
        check_parameter_name(name)


def ssm_accepts(name: str) -> bool:
    """The rules as the AWS documentation (and variables.tf) state them, one by one."""
    return (
        1 <= len(name) <= 1011
        and all(c.isascii() and (c.isalnum() or c in "_.-/") for c in name)
        and (name[1:] if name.startswith("/") else name)[:3].lower() not in ("aws", "ssm")
        and not ("/" in name and name[0] != "/")
        and "//" not in name
        and not name.endswith("/")
        and name.count("/") <= 15
    )


@settings(max_examples=examples(2000), deadline=None)
@given(st.text(st.sampled_from("aAwWsSmMx9/._- {}"), max_size=40))
def test_a_name_is_accepted_exactly_when_every_ssm_rule_holds(name: str) -> None:
    try:
        check_parameter_name(name)
        accepted = True
    except ValueError:
        accepted = False
    assert accepted is ssm_accepts(name)


# ---- the check at configuration time ---------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "/staging/database-arn",
        "/staging/{target_base}",
        "{source_table}",
        "/{source_table}/{target_base}/arn",
    ],
)
def test_templates_that_can_name_a_parameter_pass_the_configuration_check(template: str) -> None:
    assert check_parameter_template(template) == template


@pytest.mark.parametrize(
    ("template", "rule"),
    [
        ("staging/{target_base}", "does not start with '/'"),
        ("/staging//{target_base}", "empty level"),
        ("/staging/{target_base}/", "empty level"),
        ("aws/{source_table}", "reserves"),
        ("/ssm{source_table}", "reserves"),
        ("/staging/{target_base} arn", "contains ' '"),
        ("/l" * 15 + "/{target_base}", "16 levels"),
    ],
)
def test_templates_that_cannot_name_a_parameter_fail_the_configuration_check(
    template: str, rule: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(rule)) as info:
        check_parameter_template(template)
    message = str(info.value)
    assert message.startswith(f"ssm_parameter_name {template!r} cannot name an SSM parameter: ")
    assert message.endswith("(checked with every placeholder standing for 'x')")


@pytest.mark.parametrize(
    ("template", "problem"), [("/s/{table}", "unknown placeholder"), ("/s/{x", "unbalanced")]
)
def test_the_configuration_check_refuses_malformed_placeholders(
    template: str, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        check_parameter_template(template)


TABLE_NAME_CHARS = st.sampled_from("abcXYZ019_.-")
LEVEL = st.one_of(
    st.text(st.sampled_from("abcXYZ019_.-"), min_size=1, max_size=6),
    st.sampled_from(["{source_table}", "{target_base}", "t-{target_base}", "{source_table}.v1"]),
)


@settings(max_examples=examples(1000), deadline=None)
@given(
    levels=st.lists(LEVEL, min_size=1, max_size=5),
    source=st.text(TABLE_NAME_CHARS, min_size=3, max_size=40),
    base=st.text(TABLE_NAME_CHARS, min_size=1, max_size=40),
)
def test_a_template_that_names_a_parameter_for_some_table_passes_the_configuration_check(
    levels: list[str], source: str, base: str
) -> None:
    template = "/" + "/".join(levels)
    copy = base + timestamp_suffix(datetime(2024, 8, 27, 9, 20, tzinfo=UTC))
    try:
        name = parameter_name(template, source, copy)
    except ValueError:
        return
    assert check_parameter_template(template) == template
    assert name == template.replace("{source_table}", source).replace("{target_base}", base)


@given(
    source=st.text(TABLE_NAME_CHARS, min_size=3, max_size=60).map(lambda s: "T" + s),
    when=st.datetimes(timezones=st.just(UTC)),
)
def test_target_base_is_the_copy_name_without_its_time(source: str, when: datetime) -> None:
    copy = target_table_name(source + "-prod", "-prod$", "-staging", when)
    assert parameter_name("/staging/{target_base}", source, copy) == f"/staging/{source}-staging"


# ---- never moving back -----------------------------------------------------------------


def test_a_parameter_not_set_yet_moves_to_the_copy() -> None:
    assert pointer_verdict(None, COPY) == PointerVerdict(
        True, f"the parameter is not set yet; it now names {COPY}"
    )


@pytest.mark.parametrize("current", [EARLIER, arn(EARLIER)])
def test_the_parameter_moves_from_an_earlier_copy_of_the_same_table(current: str) -> None:
    assert pointer_verdict(current, COPY) == PointerVerdict(
        True,
        f"the parameter names {EARLIER}, of an earlier backup (2024-08-26T09:20:00Z); it now "
        f"names {COPY} (2024-08-27T09:20:00Z)",
    )


@pytest.mark.parametrize("current", [LATER, arn(LATER)])
def test_the_parameter_never_moves_back_from_a_later_copy_of_the_same_table(current: str) -> None:
    assert pointer_verdict(current, COPY) == PointerVerdict(
        False,
        f"the parameter names {LATER}, of a later backup (2024-08-28T09:20:00Z) than {COPY} "
        "(2024-08-27T09:20:00Z); it does not move back",
    )


def test_a_copy_one_second_later_already_wins() -> None:
    later = "Orders-staging-20240827-09-20-01"
    assert pointer_verdict(later, COPY).move is False
    assert pointer_verdict(COPY, later).move is True


@pytest.mark.parametrize("current", [COPY, arn(COPY), arn(COPY, "eu-west-1")])
def test_an_equal_time_of_the_same_table_is_the_same_copy_written_again(current: str) -> None:
    assert pointer_verdict(current, COPY) == PointerVerdict(
        True, f"the parameter already names {COPY}; written again"
    )


@pytest.mark.parametrize(
    "current",
    [
        "Users-staging-20240827-09-20-00",  # the same time
        "Users-staging-20240828-09-20-00",  # later
        "orders-staging-20240828-09-20-00",  # names are case-sensitive
        arn("Users-staging-20240828-09-20-00"),
    ],
)
def test_a_copy_of_another_table_is_replaced_whatever_its_time(current: str) -> None:
    base = table_named_by(current)[:-18]
    assert pointer_verdict(current, COPY) == PointerVerdict(
        True,
        f"the parameter names {table_named_by(current)}, a copy of another table (base "
        f"{base!r}, not 'Orders-staging'); replaced by {COPY}",
    )


@pytest.mark.parametrize(
    "current",
    [
        "Orders-manual",  # a table set by hand
        "Orders-staging-20241301-09-20-00",  # not a real time
        "Orders-staging",
        "",
        "arn:aws:dynamodb:us-east-1:123:table/" + LATER,  # not an ARN: the whole is the name
    ],
)
def test_a_value_that_is_not_a_copy_name_is_replaced(current: str) -> None:
    verdict = pointer_verdict(current, COPY)
    assert verdict == PointerVerdict(
        True,
        f"the parameter names {current!r}, which is not a copy name (no -YYYYMMDD-HH-MM-SS "
        f"time); replaced by {COPY}",
    )


def test_a_candidate_that_is_not_a_copy_name_is_refused() -> None:
    with pytest.raises(ValueError, match="candidate") as info:
        pointer_verdict(None, "Orders-staging")
    assert str(info.value) == (
        "candidate 'Orders-staging' does not end in a -YYYYMMDD-HH-MM-SS time; expected the "
        "name of a copy the rotator made"
    )


MOMENTS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
).map(lambda moment: moment.replace(microsecond=0))


@settings(max_examples=examples(1000), deadline=None)
@given(
    current_base=st.sampled_from(["Orders-staging", "Users-staging", ""]),
    current_time=MOMENTS,
    candidate_time=MOMENTS,
    as_arn=st.booleans(),
    shift=st.sampled_from([timedelta(0), timedelta(seconds=1), None]),
)
def test_the_parameter_moves_unless_it_names_a_later_copy_of_the_same_table(
    current_base: str,
    current_time: datetime,
    candidate_time: datetime,
    as_arn: bool,
    shift: timedelta | None,
) -> None:
    if shift is not None:  # times close to each other, where an off-by-one would show
        candidate_time = current_time + shift
    current = current_base + timestamp_suffix(current_time)
    candidate = "Orders-staging" + timestamp_suffix(candidate_time)
    verdict = pointer_verdict(arn(current) if as_arn else current, candidate)
    held = current_base == "Orders-staging" and current_time > candidate_time
    assert verdict.move is not held


def test_a_parameter_value_names_the_table_of_an_arn_or_itself() -> None:
    assert table_named_by(arn(COPY)) == COPY
    assert table_named_by(arn(COPY, "eu-west-1").replace(":aws:", ":aws-cn:")) == COPY
    assert table_named_by(COPY) == COPY
    assert table_named_by("arn:aws:dynamodb:us-east-1:123:table/x") == (
        "arn:aws:dynamodb:us-east-1:123:table/x"
    )


def test_a_steps_parameter_is_filled_in_or_none_without_a_template() -> None:
    assert parameter_of("/staging/{source_table}/arn", SOURCE, COPY) == (
        "/staging/Orders-Production/arn"
    )
    assert parameter_of("/staging/{target_base}", SOURCE, COPY) == "/staging/Orders-staging"
    assert parameter_of(None, SOURCE, COPY) is None


def test_a_template_that_cannot_name_the_copys_parameter_is_the_steps_invalid_input() -> None:
    with pytest.raises(InvalidInput, match=r"the parameter's name cannot be made: .*Orders-copy"):
        parameter_of("/staging/{target_base}", SOURCE, "Orders-copy")


# -- what the ledger of copies knows (ledger_pointer_verdict) ---------------------------

NEW_COPY = "Orders-staging-20240828-09-20-00"
NOW = datetime(2024, 8, 28, 10, 0, tzinfo=UTC)


def test_a_value_the_ledger_does_not_know_is_replaced_with_a_warning() -> None:
    held = "arn:aws:dynamodb:us-east-1:123456789012:table/Orders-staging-20990101-00-00-00"
    verdict = ledger_pointer_verdict(held, NEW_COPY, known=False, exists=True, now=NOW)
    assert verdict.move and verdict.warning
    assert verdict.message == (
        f"the parameter held {held!r}, a table the ledger of copies does not record as the "
        f"rotator's; replaced by {NEW_COPY}"
    )


def test_a_known_copy_that_no_longer_exists_is_replaced_with_a_warning() -> None:
    held = "Orders-staging-20240829-09-20-00"  # later, but gone
    verdict = ledger_pointer_verdict(held, NEW_COPY, known=True, exists=False, now=NOW)
    assert (verdict.move, verdict.warning) == (True, True)
    assert "a table that no longer exists" in verdict.message


def test_a_known_copy_whose_time_is_in_the_future_is_replaced_with_a_warning() -> None:
    held = "Orders-staging-20240828-10-00-01"  # one second after now
    verdict = ledger_pointer_verdict(held, NEW_COPY, known=True, exists=True, now=NOW)
    assert (verdict.move, verdict.warning) == (True, True)
    assert "(2024-08-28T10:00:01Z) is in the future (now 2024-08-28T10:00:00Z)" in verdict.message


def test_a_known_later_copy_keeps_the_parameter_without_a_warning() -> None:
    held = "Orders-staging-20240828-10-00-00"  # exactly now: not in the future
    verdict = ledger_pointer_verdict(held, NEW_COPY, known=True, exists=True, now=NOW)
    assert (verdict.move, verdict.warning) == (False, False)
    assert "it does not move back" in verdict.message


def test_a_known_earlier_copy_and_no_value_move_the_parameter_without_a_warning() -> None:
    earlier = ledger_pointer_verdict(
        "Orders-staging-20240827-09-20-00", NEW_COPY, known=True, exists=True, now=NOW
    )
    unset = ledger_pointer_verdict(None, NEW_COPY, known=False, exists=False, now=NOW)
    again = ledger_pointer_verdict(NEW_COPY, NEW_COPY, known=False, exists=False, now=NOW)
    assert [(v.move, v.warning) for v in (earlier, unset, again)] == [(True, False)] * 3
    assert again.message == f"the parameter already names {NEW_COPY}; written again"


def test_the_ledger_verdict_refuses_a_candidate_that_is_not_a_copy_name() -> None:
    with pytest.raises(ValueError, match="does not end in a -YYYYMMDD-HH-MM-SS time"):
        ledger_pointer_verdict("x", "Orders-staging", known=True, exists=True, now=NOW)
