"""Does a ceiling policy (a permissions boundary) allow everything a set of policies
grants? Answered with the evaluator (tests/iam_policy.py), one request at a time.

Each Allow statement of a granting policy is turned into requests, and each request
must be allowed by the ceiling:

* actions: each ``Action`` entry as written (``kms:GenerateDataKey*`` as a name, which
  only a ceiling entry just as wide matches), and, for an entry with wildcards, every
  real action it names (``kms:GenerateDataKey``, ``kms:GenerateDataKeyPair``, ...: the
  actions of AWS's managed policies, as moto ships them, are the catalogue);
* resources: each ``Resource`` entry as written, and as names, its ``*`` read as
  nothing and as a word, its ``?`` as a digit (``table/*-????`` gives
  ``table/*-????``, ``table/-0000`` and ``table/rotator-0000``);
* condition context: each value the statement's own conditions accept (one request per
  value of ``StringEquals``, for example); a statement without conditions is checked
  without context, so a ceiling that requires one (``kms:ViaService``) does not cover it.

A policy written for any account and service, such as AWS's managed
``AWSBackupServiceRolePolicyForRestores``, is checked within a ``Scope`` instead: only
its statements on the scope's services, on the scope's own resources (those the
module's own policies name, each of the type the generic pattern is written for) and
in its context count.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from tests.iam_policy import ALLOWED, action_matches, evaluate, resource_matches

STAR_READINGS = ("", "rotator")  # what a resource's "*" is read as, besides itself
SUPPORTED_CONDITIONS = {"StringEquals", "StringLike", "ArnEquals", "ArnLike", "Bool"}


@dataclass(frozen=True)
class Request:
    action: str
    resource: str
    context: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        where = f" with {dict(self.context)}" if self.context else ""
        return f"{self.action} on {self.resource}{where}"


@dataclass(frozen=True)
class Gap:
    """A request a policy grants and the ceiling does not allow."""

    policy: str
    sid: str
    request: Request

    def __str__(self) -> str:
        return f"{self.policy} ({self.sid or 'no Sid'}): {self.request}"


@dataclass(frozen=True)
class Scope:
    """Where a generic policy counts: its statements on ``services``' actions, on the
    ``resources`` given (of the action's service), with ``context``."""

    services: frozenset[str]
    resources: frozenset[str]
    context: Mapping[str, frozenset[str]] = field(default_factory=dict)


@cache
def action_catalogue() -> frozenset[str]:
    """Every action (no wildcard) named in AWS's managed policies as moto ships them."""
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    found: set[str] = set()
    for policy in json.loads(aws_managed_policies_data).values():
        for statement in _statements(policy["Document"]):
            for key in ("Action", "NotAction"):
                found.update(a for a in _listed(statement.get(key, [])) if "*" not in a)
    return frozenset(a for a in found if "?" not in a and ":" in a)


def _listed(value: Any) -> list[Any]:
    return [value] if isinstance(value, str | bool) else list(value)


def _statements(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    statements = document["Statement"]
    return [statements] if isinstance(statements, Mapping) else list(statements)


def actions(pattern: str) -> list[str]:
    """``pattern`` itself and, if it has wildcards, the catalogue's actions it names."""
    if "*" not in pattern and "?" not in pattern:
        return [pattern]
    named = sorted(a for a in action_catalogue() if action_matches(pattern, a))
    return [pattern, *named]


def _names(pattern: str) -> list[str]:
    """What ``pattern`` names: ``*`` read as each of STAR_READINGS, ``?`` as 0."""
    return list(dict.fromkeys(pattern.replace("?", "0").replace("*", s) for s in STAR_READINGS))


def resources(pattern: str) -> list[str]:
    """``pattern`` itself, then the names it stands for."""
    return list(dict.fromkeys([pattern, *_names(pattern)]))


def contexts(statement: Mapping[str, Any]) -> list[dict[str, str]]:
    """One context per combination of values the statement's conditions accept."""
    choices: dict[str, list[str]] = {}
    for operator, keys in statement.get("Condition", {}).items():
        if operator not in SUPPORTED_CONDITIONS:
            raise ValueError(f"cannot derive requests from condition operator {operator}")
        for key, expected in keys.items():
            values = [str(v).lower() if operator == "Bool" else str(v) for v in _listed(expected)]
            if operator.endswith("Like"):
                values = [name for value in values for name in _names(value)]
            accepted = set(values) if key not in choices else set(choices[key]) & set(values)
            if not accepted:
                raise ValueError(f"no value of {key} meets every condition of {statement}")
            choices[key] = sorted(accepted)
    keys = sorted(choices)
    combos = itertools.product(*(choices[key] for key in keys))
    return [dict(zip(keys, combo, strict=True)) for combo in combos]


def _check_granted(statement: Mapping[str, Any], request: Request) -> None:
    """A request derived from a statement must be one the statement grants."""
    context = dict(request.context)
    granted = evaluate([{"Statement": [statement]}], request.action, request.resource, context)
    if granted != ALLOWED:
        raise AssertionError(f"derived {request} which its statement does not grant")


def _allows(statement: Mapping[str, Any]) -> bool:
    if statement["Effect"] not in ("Allow", "Deny"):
        raise ValueError(f"statement effect {statement['Effect']!r}")
    if statement["Effect"] == "Deny":
        return False  # grants nothing, whatever it names
    if "NotAction" in statement or "NotResource" in statement:
        raise ValueError(f"cannot derive requests from NotAction/NotResource: {statement}")
    return bool(statement["Effect"] == "Allow")


def requests(statement: Mapping[str, Any]) -> Iterator[Request]:
    """The requests one Allow statement grants, as the module docstring describes."""
    if not _allows(statement):
        return
    for context in contexts(statement):
        for pattern in _listed(statement["Action"]):
            for action in actions(pattern):
                for resource_pattern in _listed(statement["Resource"]):
                    for resource in resources(resource_pattern):
                        request = Request(action, resource, tuple(sorted(context.items())))
                        _check_granted(statement, request)
                        yield request


def _service(arn: str) -> str | None:
    parts = arn.split(":", 5)
    return parts[2] if len(parts) == 6 and parts[0] == "arn" else None


def _names_in_scope(pattern: str, resource: str) -> bool:
    """Whether a generic policy's ``pattern`` names the scope's ``resource``, reading
    its ``*`` within one path segment, as AWS writes resource types: ``table/*`` is a
    table, ``table/*/backup/*`` a backup (IAM itself lets ``table/*`` match both)."""
    return pattern == "*" or (
        resource_matches(pattern, resource) and pattern.count("/") == resource.count("/")
    )


def scoped_requests(statement: Mapping[str, Any], scope: Scope) -> Iterator[Request]:
    """The requests a generic statement grants within ``scope``: on the scope's
    resources of the action's service, with the scope's condition values for that
    service (``kms:ViaService`` for a ``kms:`` action), which the statement's own
    conditions must accept."""
    if not _allows(statement):
        return
    seen: set[Request] = set()
    for pattern in _listed(statement["Action"]):
        service = pattern.split(":", 1)[0].lower()
        if service not in scope.services:
            continue
        keys = sorted(k for k in scope.context if k.split(":", 1)[0].lower() in {service, "aws"})
        scope_contexts = [
            dict(zip(keys, combo, strict=True))
            for combo in itertools.product(*(sorted(scope.context[k]) for k in keys))
        ]
        for action in actions(pattern):
            for resource in sorted(scope.resources):
                if _service(resource) != service or not any(
                    _names_in_scope(p, resource) for p in _listed(statement["Resource"])
                ):
                    continue
                for base in scope_contexts:
                    for own in contexts(statement):
                        context = {**own, **base}  # the scope's values win
                        request = Request(action, resource, tuple(sorted(context.items())))
                        if request in seen:
                            continue
                        seen.add(request)
                        if (
                            evaluate([{"Statement": [statement]}], action, resource, context)
                            == ALLOWED
                        ):
                            yield request


def gaps(
    policies: Mapping[str, Mapping[str, Any]],
    ceiling: Iterable[Mapping[str, Any]],
    scoped: Mapping[str, tuple[Mapping[str, Any], Scope]] | None = None,
) -> list[Gap]:
    """Every request ``policies`` (name -> document) grant, and ``scoped`` (name ->
    generic document and its scope) grant within their scope, that ``ceiling`` (a list
    of documents) does not allow."""
    ceiling = list(ceiling)
    found: list[Gap] = []

    def check(name: str, statement: Mapping[str, Any], derived: Iterable[Request]) -> None:
        for request in derived:
            if (
                evaluate(ceiling, request.action, request.resource, dict(request.context))
                != ALLOWED
            ):
                found.append(Gap(name, str(statement.get("Sid", "")), request))

    for name, document in policies.items():
        for statement in _statements(document):
            check(name, statement, requests(statement))
    for name, (document, scope) in (scoped or {}).items():
        for statement in _statements(document):
            check(name, statement, scoped_requests(statement, scope))
    return list(dict.fromkeys(found))


def scope_of(policies: Mapping[str, Mapping[str, Any]], services: Iterable[str]) -> Scope:
    """The resources and condition values ``policies`` name, as a scope on
    ``services``: where a generic policy attached next to them counts."""
    named: set[str] = set()
    context: dict[str, set[str]] = {}
    for document in policies.values():
        for statement in _statements(document):
            for request in requests(statement):
                if _service(request.resource):
                    named.add(request.resource)
                for key, value in request.context:
                    context.setdefault(key, set()).add(value)
    return Scope(
        services=frozenset(s.lower() for s in services),
        resources=frozenset(named),
        context={k: frozenset(v) for k, v in context.items()},
    )
