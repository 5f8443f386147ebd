"""A small IAM policy evaluator for identity policies, enough for this module's.

Evaluates Allow/Deny statements with ``Action``/``NotAction`` (case-insensitive) and
``Resource``/``NotResource`` (case-sensitive), both with IAM's ``*`` and ``?``
wildcards, and the condition operators the module's and AWS's restore policies use (``String*``,
``Arn*``, ``Bool``, ``ForAllValues:StringEquals``), and, for resource policies given the caller, ``Principal``
(service and account principals). An explicit Deny wins; no matching Allow is an implicit deny. Anything else
(another operator, ``...IfExists``, policy variables) raises, so a policy the evaluator
cannot read never passes for allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

ALLOWED, DENIED, IMPLICITLY_DENIED = "allowed", "explicitly denied", "implicitly denied"


def _wildcard(pattern: str, case_sensitive: bool) -> re.Pattern[str]:
    if "${" in pattern:
        raise ValueError(f"policy variables are not supported: {pattern!r}")
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, 0 if case_sensitive else re.IGNORECASE | re.DOTALL)


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _matches(patterns: Any, value: str, case_sensitive: bool) -> bool:
    return any(_wildcard(p, case_sensitive).fullmatch(value) for p in _listed(patterns))


def action_matches(pattern: str, action: str) -> bool:
    """Whether an ``Action`` entry (wildcards, any case) names ``action``."""
    return _matches(pattern, action, case_sensitive=False)


def resource_matches(pattern: str, resource: str) -> bool:
    """Whether a ``Resource`` entry (wildcards, case-sensitive) names ``resource``."""
    return _matches(pattern, resource, case_sensitive=True)


def _condition_holds(operator: str, key: str, expected: Any, context: Mapping[str, Any]) -> bool:
    if operator.startswith("ForAllValues:"):
        # A multivalued key (a list in ``context``): every value of the request must
        # match. As in IAM, a missing key is the empty set, which passes.
        base = operator.removeprefix("ForAllValues:")
        if base != "StringEquals":
            raise ValueError(f"condition operator {operator} is not supported")
        values = context.get(key, [])
        return all(
            _condition_holds(base, key, expected, {key: value})
            for value in ([values] if isinstance(values, str) else values)
        )
    negated = "Not" in operator
    base = operator.replace("Not", "")
    if base not in {"StringEquals", "StringLike", "ArnEquals", "ArnLike", "Bool"}:
        raise ValueError(f"condition operator {operator} is not supported")
    if base == "Bool" and negated:
        raise ValueError(f"condition operator {operator} is not supported")
    if key not in context:
        return negated  # a missing key never matches a positive operator
    actual = context[key]
    values = _listed(expected)
    if base == "StringEquals":
        found = actual in values
    elif base == "Bool":  # "true" / "false", in any case
        found = actual.lower() in {str(v).lower() for v in values}
    else:  # StringLike, ArnEquals, ArnLike: wildcards (case-sensitive)
        found = _matches(values, actual, case_sensitive=True)
    return not found if negated else found


def _principal_matches(stated: Any, principal: Mapping[str, str]) -> bool:
    """Whether a resource policy's ``Principal`` names the caller, given as its type
    and name (``{"Service": "backup.amazonaws.com"}``, ``{"AWS": "<account id>"}``).
    An account id and its ``arn:<partition>:iam::<id>:root`` are the same principal."""
    if stated == "*":
        return True

    def account(value: str) -> str:
        match = re.fullmatch(r"arn:[a-z-]+:iam::([0-9]{12}):root", value)
        return match.group(1) if match else value

    return any(
        account(value) == account(name) or value == "*"
        for kind, name in principal.items()
        for value in _listed(stated.get(kind, []))
    )


def _applies(
    statement: Mapping[str, Any],
    action: str,
    resource: str,
    context: Mapping[str, Any],
    principal: Mapping[str, str] | None = None,
) -> bool:
    # Without a caller, a statement's Principal is not looked at: its grant is
    # evaluated as the grant it makes to whoever it names (tests/iam_coverage.py).
    if principal is not None and ("Principal" in statement or "NotPrincipal" in statement):
        if "NotPrincipal" in statement:
            raise ValueError("NotPrincipal is not supported")
        if not _principal_matches(statement["Principal"], principal):
            return False
    if "Action" in statement:
        if not _matches(statement["Action"], action, case_sensitive=False):
            return False
    elif _matches(statement["NotAction"], action, case_sensitive=False):
        return False
    if "Resource" in statement:
        if not _matches(statement["Resource"], resource, case_sensitive=True):
            return False
    elif _matches(statement["NotResource"], resource, case_sensitive=True):
        return False
    for operator, keys in statement.get("Condition", {}).items():
        for key, expected in keys.items():
            if not _condition_holds(operator, key, expected, context):
                return False
    return True


def evaluate(
    documents: Iterable[Mapping[str, Any]],
    action: str,
    resource: str,
    context: Mapping[str, Any] | None = None,
    principal: Mapping[str, str] | None = None,
) -> str:
    """``ALLOWED``, ``DENIED`` or ``IMPLICITLY_DENIED`` for one request; ``principal``
    (the caller, for a resource policy's ``Principal``): see ``_principal_matches``."""
    allowed = False
    for document in documents:
        for statement in _listed_statements(document["Statement"]):
            if statement["Effect"] not in ("Allow", "Deny"):
                raise ValueError(f"statement effect {statement['Effect']!r}")
            if _applies(statement, action, resource, context or {}, principal):
                if statement["Effect"] == "Deny":
                    return DENIED
                allowed = True
    return ALLOWED if allowed else IMPLICITLY_DENIED


def _listed_statements(statements: Any) -> list[Mapping[str, Any]]:
    return [statements] if isinstance(statements, Mapping) else list(statements)
