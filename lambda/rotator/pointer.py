"""The SSM parameter that names the newest good copy: its name, and whether to move it.
No AWS calls here.

**The name.** ``ssm_parameter_name`` may contain placeholders, so one deployment that
copies several tables gives each its own parameter:

- ``{source_table}``: the name of the table that was backed up (``Orders-Production``);
- ``{target_base}``: the copy's name without its ``-YYYYMMDD-HH-MM-SS`` suffix
  (``Orders-staging``), i.e. what ``source_pattern`` and ``replacement_pattern`` make of
  the source's name.

``"/staging/{target_base}/table-arn"`` names ``/staging/Orders-staging/table-arn``.
There is no escape for a literal brace: SSM parameter names cannot contain ``{`` or
``}``, so every brace must belong to a placeholder.

The expanded name must follow SSM's naming rules (PutParameter's ``Name``, AWS docs):
only ``a-zA-Z0-9_.-`` and ``/``; not starting with ``aws`` or ``ssm`` in any case
(``/aws...`` and ``/ssm...`` included, as variables.tf refuses them); a name with a
hierarchy starts with ``/``; at most 15 levels. The API reports 2,048 characters as the
limit, but that includes characters reserved for Systems Manager's use: a name you
create may have at most 1,011 (the documentation counts the parameter's ARN prefix in
those too, so a name close to the limit can still be refused). Empty levels (``//``)
and a trailing ``/`` are refused, as variables.tf refuses them.

**Moving it.** Rotations of one table can overlap (a slow restore of an older backup
finishing after a newer one), so the parameter never moves back: it moves to a copy
unless it already names a copy of the same table (the same base name) whose suffix,
the backup's start time, is later. Everything else moves it: no value yet, the same
copy again (a re-run of the step), a copy of another table, and a value that is not a
copy name at all (a table someone set by hand: the rotator takes the parameter over,
as the original application did, rather than stop rotating forever).

**What the ledger knows** (``ledger_pointer_verdict``): the never-backwards rule holds
only for a value that names a copy the ledger of copies records (and owns). A value
naming a table the ledger does not know, a table that no longer exists, or a copy whose
time is in the future (which would hold the parameter forever) is replaced by the new
copy, with a warning that says what it held.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from rotator.errors import InvalidInput
from rotator.model import format_time, parse_table_arn
from rotator.naming import TABLE_NAME_RULE, split_copy_name

SOURCE_TABLE = "source_table"
TARGET_BASE = "target_base"
PLACEHOLDERS = (SOURCE_TABLE, TARGET_BASE)

PARAMETER_NAME_MAX = 1011
PARAMETER_LEVELS_MAX = 15
_PARAMETER_NAME_CHAR = re.compile(r"[a-zA-Z0-9_.\-/]")
_RESERVED_PREFIX = re.compile(r"/?(?i:aws|ssm)")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# A placeholder, or a brace that belongs to none (group 1 is then None).
_TOKEN = re.compile(_PLACEHOLDER.pattern + r"|[{}]")
_EXPECTED_PLACEHOLDERS = "{source_table} or {target_base}"
# What a placeholder stands for when a template is checked before any table is known:
# table-name characters never contain "/", so the template alone fixes the hierarchy.
_STAND_IN = "x"


def check_parameter_name(name: str) -> str:
    """Return ``name`` if SSM accepts it as a parameter name, else raise ``ValueError``
    saying which rule it breaks."""
    if not 1 <= len(name) <= PARAMETER_NAME_MAX:
        raise ValueError(
            f"parameter name {name!r} is {len(name)} characters long; SSM parameter names "
            f"must be 1 to {PARAMETER_NAME_MAX} characters"
        )
    bad = sorted({char for char in name if not _PARAMETER_NAME_CHAR.fullmatch(char)})
    if bad:
        raise ValueError(
            f"parameter name {name!r} contains {''.join(bad)!r}; SSM parameter names may "
            "contain only letters, digits, '_', '.', '-' and '/'"
        )
    if _RESERVED_PREFIX.match(name):
        raise ValueError(
            f"parameter name {name!r} starts with 'aws' or 'ssm', which SSM reserves "
            "(in any case, with or without a leading '/')"
        )
    _check_hierarchy(name)
    return name


def _check_hierarchy(name: str) -> None:
    if "/" in name and not name.startswith("/"):
        raise ValueError(
            f"parameter name {name!r} has a hierarchy but does not start with '/'; "
            "expected a fully qualified name such as /staging/orders"
        )
    if "//" in name or name.endswith("/"):
        raise ValueError(
            f"parameter name {name!r} has an empty level; expected a name between "
            "every two '/' and after the last"
        )
    levels = name.count("/")
    if levels > PARAMETER_LEVELS_MAX:
        raise ValueError(
            f"parameter name {name!r} has {levels} levels; SSM allows at most "
            f"{PARAMETER_LEVELS_MAX}"
        )


def placeholders_of(template: str) -> tuple[str, ...]:
    """The placeholders ``template`` uses, in order of appearance, repeats included.

    Raises ``ValueError``, for the first problem from the left, for a placeholder other
    than ``{source_table}`` and ``{target_base}`` and for a brace that opens or closes
    no placeholder."""
    used: list[str] = []
    for match in _TOKEN.finditer(template):
        if match[1] is None:
            raise ValueError(
                f"ssm_parameter_name {template!r} has an unbalanced {match[0]!r} at "
                f"position {match.start()}; expected every placeholder written whole, as "
                f"{_EXPECTED_PLACEHOLDERS}"
            )
        if match[1] not in PLACEHOLDERS:
            raise ValueError(
                f"ssm_parameter_name {template!r} uses the unknown placeholder "
                f"{match[0]!r}; expected {_EXPECTED_PLACEHOLDERS}"
            )
        used.append(match[1])
    return tuple(used)


def check_parameter_template(template: str) -> str:
    """Return ``template`` if it can name an SSM parameter once its placeholders are
    filled in, else raise ``ValueError`` saying what is wrong: for the configuration,
    before any table is known.

    Placeholders are checked standing for a one-character name; the expanded name is
    checked again by ``parameter_name`` (a long table name can make it too long, and an
    empty copy base can leave a level empty)."""
    used = placeholders_of(template)
    try:
        check_parameter_name(_fill(template, dict.fromkeys(used, _STAND_IN)))
    except ValueError as err:
        raise ValueError(
            f"ssm_parameter_name {template!r} cannot name an SSM parameter: {err} (checked "
            f"with every placeholder standing for {_STAND_IN!r})"
        ) from None
    return template


def parameter_name(template: str, source_table: str, copy_name: str) -> str:
    """The parameter ``template`` names for the copy ``copy_name`` of ``source_table``.

    Raises ``ValueError`` when the template is malformed, when it uses
    ``{target_base}`` and ``copy_name`` has no ``-YYYYMMDD-HH-MM-SS`` suffix, or when
    the result is not a valid SSM parameter name."""
    used = placeholders_of(template)
    values = {SOURCE_TABLE: source_table}
    if TARGET_BASE in used:
        values[TARGET_BASE] = _base_of(copy_name)
    name = _fill(template, values)
    try:
        return check_parameter_name(name)
    except ValueError as err:
        raise ValueError(
            f"ssm_parameter_name {template!r} gives {name!r} for the copy {copy_name!r} of "
            f"table {source_table!r}: {err}"
        ) from None


def parameter_of(template: str | None, source_table: str, copy_name: str) -> str | None:
    """``parameter_name`` for a step (Publish, DiscardRefusedCopy): ``None`` without a
    template, and a template that cannot name this copy's parameter raised as the step's
    ``InvalidInput``."""
    if template is None:
        return None
    try:
        return parameter_name(template, source_table, copy_name)
    except ValueError as err:
        raise InvalidInput(f"the parameter's name cannot be made: {err}") from None


def _base_of(copy_name: str) -> str:
    parts = split_copy_name(copy_name)
    if parts is None:
        raise ValueError(
            f"copy name {copy_name!r} does not end in a -YYYYMMDD-HH-MM-SS time; expected "
            "a name the rotator gave its copy, to fill in {target_base}"
        )
    return parts[0]


def _fill(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda match: values[match[1]], template)


@dataclass(frozen=True)
class PointerVerdict:
    """Whether the parameter moves to the candidate copy, and why (for the log)."""

    move: bool
    message: str
    warning: bool = False  # log at WARNING: the parameter held something untrustworthy


def pointer_verdict(current: str | None, candidate: str) -> PointerVerdict:
    """Decide whether the parameter, holding ``current`` (a table ARN, as Publish
    writes, or a table name; ``None`` when it does not exist yet), moves to the copy
    named ``candidate``. Raises ``ValueError`` when ``candidate`` is not a copy name."""
    new = split_copy_name(candidate)
    if new is None:
        raise ValueError(
            f"candidate {candidate!r} does not end in a -YYYYMMDD-HH-MM-SS time; expected "
            "the name of a copy the rotator made"
        )
    if current is None:
        return PointerVerdict(True, f"the parameter is not set yet; it now names {candidate}")
    table = table_named_by(current)
    old = split_copy_name(table)
    if old is None or not TABLE_NAME_RULE.fullmatch(table):
        return PointerVerdict(
            True,
            f"the parameter names {table!r}, which is not a copy name (no -YYYYMMDD-HH-MM-SS "
            f"time); replaced by {candidate}",
        )
    if old[0] != new[0]:
        return PointerVerdict(
            True,
            f"the parameter names {table}, a copy of another table (base {old[0]!r}, not "
            f"{new[0]!r}); replaced by {candidate}",
        )
    return _newer_wins(table, old[1], candidate, new[1])


def _newer_wins(
    table: str, table_time: datetime, candidate: str, candidate_time: datetime
) -> PointerVerdict:
    """Two copies of one table: the later backup wins. The same base and time is the
    same name, so an equal time is the candidate itself."""
    if table_time > candidate_time:
        return PointerVerdict(
            False,
            f"the parameter names {table}, of a later backup ({format_time(table_time)}) "
            f"than {candidate} ({format_time(candidate_time)}); it does not move back",
        )
    if table_time == candidate_time:
        return PointerVerdict(True, f"the parameter already names {candidate}; written again")
    return PointerVerdict(
        True,
        f"the parameter names {table}, of an earlier backup ({format_time(table_time)}); "
        f"it now names {candidate} ({format_time(candidate_time)})",
    )


def table_named_by(value: str) -> str:
    """The table a parameter value names: the table of a DynamoDB table ARN (what
    Publish writes), else the value itself, taken as a table name."""
    arn = parse_table_arn(value)
    return value if arn is None else arn.table


def ledger_pointer_verdict(
    current: str | None, candidate: str, *, known: bool, exists: bool, now: datetime
) -> PointerVerdict:
    """``pointer_verdict``, once what the parameter holds has been checked against the
    ledger of copies: ``known``, whether the ledger records the table ``current`` names
    as the rotator's (not deleted, owned); ``exists``, whether that table exists;
    ``now``, the time, for a copy whose name lies in the future. A value that fails any
    of these is replaced by ``candidate`` with ``warning`` set. Raises ``ValueError``
    when ``candidate`` is not a copy name."""
    if split_copy_name(candidate) is None or current is None:
        return pointer_verdict(current, candidate)
    table = table_named_by(current)
    if table == candidate:
        return pointer_verdict(current, candidate)
    held = f"the parameter held {current!r}"
    if not known:
        return PointerVerdict(
            True,
            f"{held}, a table the ledger of copies does not record as the rotator's; "
            f"replaced by {candidate}",
            warning=True,
        )
    if not exists:
        return PointerVerdict(
            True, f"{held}, a table that no longer exists; replaced by {candidate}", warning=True
        )
    parts = split_copy_name(table)
    if parts is not None and parts[1] > now:
        return PointerVerdict(
            True,
            f"{held}, a copy whose time ({format_time(parts[1])}) is in the future (now "
            f"{format_time(now)}); replaced by {candidate}",
            warning=True,
        )
    return pointer_verdict(current, candidate)
