"""Naming of restored tables and of the executions that restore them.

``target_table_name`` is the contract users migrating from the original SAR application
rely on: the same settings must give the same names. It follows Go's
``regexp.ReplaceAllString`` (including its ``$name`` / ``${name}`` expansion), which
differs from Python's ``re.sub`` in several ways described in the functions below.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import warnings
from datetime import UTC, datetime

TABLE_NAME_RULE = re.compile(r"[A-Za-z0-9_.\-]{3,255}")
TABLE_NAME_MIN, TABLE_NAME_MAX = 3, 255
SUFFIX_LENGTH = 18  # Go layout "-20060102-15-04-05"

EXECUTION_NAME_MAX = 80
_EXECUTION_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9_\-]")
# Go (RE2, since Go 1.22) accepts (?<name>...) as well as (?P<name>...); Python 3.11
# only the latter.
_GO_NAMED_GROUP = re.compile(r"(?<!\\)\(\?<([A-Za-z_][A-Za-z0-9_]*)>")


def compile_pattern(pattern: str, setting: str = "source_pattern") -> re.Pattern[str]:
    """Compile a Go (RE2) regular expression with Python's ``re``.

    The common subset (classes, anchors, groups, ``(?i)``, named groups) behaves the
    same.
    Raises ``ValueError`` naming the setting when the pattern does not compile.
    """
    try:
        with warnings.catch_warnings():
            # Python reads RE2's POSIX classes ([[:alpha:]]) as a different set and only
            # warns; refuse them rather than match something else.
            warnings.simplefilter("error", FutureWarning)
            return re.compile(_GO_NAMED_GROUP.sub(r"(?P<\1>", pattern))
    except (re.error, FutureWarning) as err:
        raise ValueError(
            f"{setting} {pattern!r} is not a valid regular expression ({err}); "
            "expected RE2/Go syntax such as '(?i)-production$'"
        ) from None


def matches_source(pattern: re.Pattern[str], table_name: str) -> bool:
    """Go ``MatchString``: true when the pattern matches anywhere in the table name."""
    return pattern.search(table_name) is not None


def go_replace_all(pattern: re.Pattern[str], source: str, template: str) -> str:
    """Go ``(*Regexp).ReplaceAllString(source, template)``.

    Every non-overlapping match is replaced left to right, but an empty match directly
    after the previous match is not (``re.sub`` would replace it, so ``.*`` would
    append a second copy of the replacement).
    """
    out: list[str] = []
    last_match_end = 0
    search_pos = 0
    while search_pos <= len(source):
        match = pattern.search(source, search_pos)
        if match is None:
            break
        start, end = match.span()
        out.append(source[last_match_end:start])
        if end > last_match_end or start == 0:
            out.append(_expand(template, match))
        last_match_end = end
        # Advance past this match; always advance at least one character.
        search_pos = end if end > search_pos else search_pos + 1
    out.append(source[last_match_end:])
    return "".join(out)


def _expand(template: str, match: re.Match[str]) -> str:
    """Go ``(*Regexp).expand``: ``$1``, ``${1}``, ``$name``, ``${name}``, ``$$``."""
    out: list[str] = []
    rest = template
    while rest:
        before, dollar, after = rest.partition("$")
        out.append(before)
        if not dollar:
            break
        rest = after
        if rest.startswith("$"):
            out.append("$")
            rest = rest[1:]
            continue
        reference = _extract_reference(rest)
        if reference is None:  # malformed: the "$" is literal text
            out.append("$")
            continue
        name, rest = reference
        out.append(_group_text(match, name))
    return "".join(out)


def _is_name_char(char: str) -> bool:
    category = unicodedata.category(char)
    return category.startswith("L") or category == "Nd" or char == "_"


def _extract_reference(text: str) -> tuple[str, str] | None:
    """Parse the group name after a ``$``; ``None`` when there is no valid one."""
    brace = text.startswith("{")
    body = text[1:] if brace else text
    length = 0
    while length < len(body) and _is_name_char(body[length]):
        length += 1
    if length == 0:
        return None
    name = body[:length]
    if brace:
        if length >= len(body) or body[length] != "}":
            return None
        length += 1
    return name, body[length:]


def _group_text(match: re.Match[str], name: str) -> str:
    """The text of a group by number or name; empty when missing or unmatched."""
    number = _group_number(name)
    if number is not None:
        if number > (match.re.groups):
            return ""
        return match.group(number) or ""
    if name in match.re.groupindex:
        return match.group(name) or ""
    return ""


def _group_number(name: str) -> int | None:
    """Go reads a name as a number only if it is ASCII digits with no leading zero."""
    if not name.isascii() or not name.isdigit():
        return None
    if len(name) > 1 and name[0] == "0":
        return None
    if len(name) > 9:  # Go stops reading a number past 1e8; such indexes name no group
        return None
    return int(name)


def timestamp_suffix(started_at: datetime) -> str:
    """``-YYYYMMDD-HH-MM-SS`` in UTC; a naive datetime is taken to be UTC already."""
    if started_at.tzinfo is not None:
        started_at = started_at.astimezone(UTC)
    # Explicit padding: strftime's %Y gives "999", Go's "2006" layout gives "0999".
    t = started_at
    return f"-{t.year:04d}{t.month:02d}{t.day:02d}-{t.hour:02d}-{t.minute:02d}-{t.second:02d}"


# The suffix ``timestamp_suffix`` writes, read back: "-YYYYMMDD-HH-MM-SS".
_SUFFIX_RULE = re.compile(r"-([0-9]{4})([0-9]{2})([0-9]{2})-([0-9]{2})-([0-9]{2})-([0-9]{2})")


def split_copy_name(name: str) -> tuple[str, datetime] | None:
    """The base and the start time (UTC) of a copy named by ``target_table_name``:
    ``"Orders-staging-20240827-09-20-00"`` gives ``("Orders-staging", 2024-08-27
    09:20:00 UTC)``. ``None`` when ``name`` does not end in a ``-YYYYMMDD-HH-MM-SS``
    suffix that is a real time (``-20241301-...`` is not), so ``timestamp_suffix`` of
    the time always gives the suffix back. The base may be empty."""
    base, suffix = name[:-SUFFIX_LENGTH], name[-SUFFIX_LENGTH:]
    match = _SUFFIX_RULE.fullmatch(suffix)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups())
    try:
        started_at = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None
    return base, started_at


def could_be_copy(name: str, literal: str = "") -> bool:
    """Whether ``name`` is one the rotator can give a copy: it ends in a real
    ``-YYYYMMDD-HH-MM-SS`` time (``split_copy_name``) and ``literal``, the text
    ``replacement_pattern`` starts with up to its first group reference, is in the part
    before it. iam.tf's ``copy_table_arns`` (``table/*<literal>*-????????-??-??-??``)
    allows every such name, so the Cleanup step asks about no table its role may not
    read."""
    parts = split_copy_name(name)
    return parts is not None and literal in parts[0]


def check_table_name(name: str) -> str:
    """Return ``name`` if DynamoDB accepts it, else raise ``ValueError`` saying why."""
    if not TABLE_NAME_MIN <= len(name) <= TABLE_NAME_MAX:
        raise ValueError(
            f"table name {name!r} is {len(name)} characters long; DynamoDB table names "
            f"must be {TABLE_NAME_MIN} to {TABLE_NAME_MAX} characters"
        )
    if not TABLE_NAME_RULE.fullmatch(name):
        bad = sorted({c for c in name if not re.fullmatch(r"[A-Za-z0-9_.\-]", c)})
        raise ValueError(
            f"table name {name!r} contains {''.join(bad)!r}; DynamoDB table names may "
            "contain only letters, digits, '_', '-' and '.'"
        )
    return name


def target_table_name(
    source_table: str,
    source_pattern: str,
    replacement_pattern: str,
    started_at: datetime,
) -> str:
    """The name of the table a backup of ``source_table`` is restored into.

    ``ReplaceAllString(source_table, source_pattern, replacement_pattern)`` followed by
    the backup job's start time as ``-YYYYMMDD-HH-MM-SS`` (UTC), exactly as the
    original application named it. Raises ``ValueError`` when the pattern is invalid or
    the result is not a valid DynamoDB table name.
    """
    pattern = compile_pattern(source_pattern)
    base = go_replace_all(pattern, source_table, replacement_pattern)
    name = base + timestamp_suffix(started_at)
    try:
        return check_table_name(name)
    except ValueError as err:
        raise ValueError(
            f"cannot name the copy of {source_table!r}: {err} (built from "
            f"source_pattern {source_pattern!r} and replacement_pattern "
            f"{replacement_pattern!r}, plus the {SUFFIX_LENGTH}-character time suffix)"
        ) from None


def execution_name(backup_job_id: str) -> str:
    """A Step Functions execution name derived only from the backup job id.

    The same job always gives the same name, so a second delivery of its notification
    cannot start a second rotation. Characters Step Functions rejects become ``-``; an
    over-long id keeps its start and gains a hash of the whole id so names stay unique.
    """
    job_id = backup_job_id.strip()
    if not job_id:
        raise ValueError("backup job id is empty; cannot derive an execution name")
    name = _EXECUTION_NAME_UNSAFE.sub("-", job_id)
    if name != job_id or len(name) > EXECUTION_NAME_MAX:
        digest = hashlib.sha256(job_id.encode()).hexdigest()[:16]
        name = f"{name[: EXECUTION_NAME_MAX - len(digest) - 1]}-{digest}"
    return name


def restore_idempotency_token(recovery_point_arn: str, target: str) -> str:
    """StartRestoreJob's idempotency token: restoring the same recovery point into the
    same name always gives the same token, so a repeated step or a re-run execution
    (whatever announced the recovery point) gets the same restore job back."""
    text = "\n".join((recovery_point_arn, target))
    return hashlib.sha256(text.encode()).hexdigest()
