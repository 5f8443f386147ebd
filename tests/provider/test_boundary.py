"""examples/complete's permissions boundary, which the module gives (its
permissions_boundary_policy output, boundary.tf), allows everything the module grants
its roles, and no action that no role is granted.

Both sides as Terraform renders them: a plan of examples/complete (real Terraform,
real hashicorp/aws, against moto; tests/emulator/terraform.py ``plan_example``) gives
the boundary policy the example creates and every policy the module gives its roles:
the functions' and the state machine's inline policies, the restore role's inline
key policy, and the AWS managed policy attached to it, read from moto's IAM as an
account holds it. tests/iam_coverage.py turns each grant into requests and the IAM
evaluator (tests/iam_policy.py) decides each against the boundary. The boundary is
derived from the roles' own documents, so an action added to iam.tf reaches it (the
edited copy below); a boundary that lacks a granted action is reported.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

import pytest

from tests.emulator.harness import Emulator, Settings
from tests.iam_coverage import Gap, Scope, gaps, requests, scope_of
from tests.iam_policy import ALLOWED, evaluate
from tests.module_config import locals_of
from tests.provider import example_plans
from tests.provider.example_plans import ADDED_ACTION

pytestmark = pytest.mark.xdist_group(example_plans.XDIST_GROUP)

TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/"
# The example's inputs that change a policy (example_plans.PLANS): its defaults, and
# customer managed table keys with every copy_settings option on, planned from a copy
# of the module whose check-restore policy also grants ADDED_ACTION (EDITED): the
# boundary the module derives must allow it too, and "defaults", from the module as it
# is, must not. Tracing, the key of the
# logs and environment, the dead-letter queue and the parameter are always on there.
INPUTS = ("defaults", "table keys")
EDITED = "table keys"
# AWSBackupServiceRolePolicyForRestores lets AWS Backup restore every resource type it
# supports (EC2, RDS, EFS, FSx, EKS, ...). The rotator hands it DynamoDB recovery points
# only: what counts is DynamoDB's actions and the key use DynamoDB does for the role,
# on the tables, backups and keys the module's own policies name, in their context.
RESTORE_SERVICES = ("dynamodb", "kms")
# examples/complete enables every function steps.tf declares.
FUNCTION_KEYS = list(locals_of("steps.tf")["steps"])


def _names_a_role(principal: Any, role_names: set[str]) -> bool:
    """Whether a statement's Principal names one of the roles (by ARN)."""
    arns = principal.get("AWS", []) if isinstance(principal, dict) else []
    arns = [arns] if isinstance(arns, str) else arns
    return any(":role/" in arn and arn.rsplit("/", 1)[-1] in role_names for arn in arns)


@dataclass(frozen=True)
class ExampleIam:
    """The IAM side of a plan of an example that calls the module once."""

    boundary_address: str
    boundary_arn: str | None
    boundary: dict[str, Any]
    # every role of the module -> its permissions_boundary
    roles: dict[str, str | None]
    # the module's inline role policies, by address in the module
    policies: dict[str, dict[str, Any]]
    # AWS managed policies attached to the module's roles: address -> document
    managed: dict[str, dict[str, Any]]
    # the example's resource policies' statements that name a role of the module (a
    # boundary limits those too), by the resource's address; "*" there is the resource
    resource_policies: dict[str, dict[str, Any]]
    # the example's own roles (its hook's) -> their permissions_boundary, and their
    # inline policies, by address in the example
    own_roles: dict[str, str | None]
    own_policies: dict[str, dict[str, Any]]

    @classmethod
    def from_plan(cls, plan: dict[str, Any], managed_documents: Any) -> ExampleIam:
        [(call, config)] = plan["configuration"]["root_module"]["module_calls"].items()
        references = config["expressions"]["role_permissions_boundary"]["references"]
        boundary_address = next(r for r in references if not r.endswith(".arn"))
        root = plan["planned_values"]["root_module"]
        [boundary] = [r for r in root["resources"] if r["address"] == boundary_address]
        [module] = [m for m in root["child_modules"] if m["address"] == f"module.{call}"]
        roles, role_names, policies, managed = {}, set(), {}, {}
        for resource in module["resources"]:
            address = resource["address"].removeprefix(f"module.{call}.")
            values = resource["values"]
            if resource["type"] == "aws_iam_role":
                roles[address] = values.get("permissions_boundary")
                role_names.add(values["name"])
            elif resource["type"] == "aws_iam_role_policy":
                policies[address] = json.loads(values["policy"])
            elif resource["type"] == "aws_iam_role_policy_attachment":
                managed[address] = managed_documents(values["policy_arn"])
        resource_policies = {}
        own_roles = {
            r["address"]: r["values"].get("permissions_boundary")
            for r in root["resources"]
            if r["mode"] == "managed" and r["type"] == "aws_iam_role"
        }
        own_policies = {
            r["address"]: json.loads(r["values"]["policy"])
            for r in root["resources"]
            if r["mode"] == "managed" and r["type"] == "aws_iam_role_policy"
        }
        for resource in root["resources"]:
            values = resource.get("values", {})
            if resource["mode"] != "managed" or not values.get("policy"):
                continue  # no policy, or an empty one (a topic's or queue's default)
            statements = [
                {
                    **statement,
                    "Resource": values["arn"]
                    if statement["Resource"] == "*"
                    else statement["Resource"],
                }
                for statement in json.loads(values["policy"])["Statement"]
                if _names_a_role(statement.get("Principal"), role_names)
            ]
            if statements:
                resource_policies[resource["address"]] = {"Statement": statements}
        return cls(
            boundary_address=boundary_address,
            boundary_arn=boundary["values"].get("arn"),
            boundary=json.loads(boundary["values"]["policy"]),
            roles=roles,
            policies=policies,
            managed=managed,
            resource_policies=resource_policies,
            own_roles=own_roles,
            own_policies=own_policies,
        )

    def gaps(self, boundary: dict[str, Any] | None = None) -> list[Gap]:
        """What the roles are granted and the boundary (or ``boundary``) denies."""
        # Where AWS Backup's restore role works: the tables, backups and keys of the
        # restore, not the waits table the event-driven wait keeps for itself, nor the
        # ledger of copies the functions keep, nor the source tables whose metadata
        # Configure reads (the boundary and the restore role's restore-scope Deny keep
        # the role off all three), nor the failure topic's key, which the state machine
        # uses through SNS.
        restore_policies = {
            address: {**document, "Statement": without_ledger(document["Statement"])}
            for address, document in self.policies.items()
            if not any(
                key in address for key in ('"await_restore"', '"restore_events"', '"configure"')
            )
            and address != "aws_iam_role_policy.state_machine"
        }
        scope = scope_of(restore_policies, RESTORE_SERVICES)
        return gaps(
            {**self.policies, **self.resource_policies},
            [boundary or self.boundary],
            {address: (document, scope) for address, document in self.managed.items()},
        )


def without_ledger(statements: Any) -> list[Any]:
    """The statements but the functions' access to the ledger of copies."""
    listed = statements if isinstance(statements, list) else [statements]
    return [s for s in listed if s.get("Sid") != "KeepLedgerOfCopies"]


@pytest.fixture(scope="module")
def plans() -> dict[str, ExampleIam]:
    """The example planned with each of INPUTS (example_plans.py), read as ExampleIam."""
    planned = example_plans.plans()
    with Emulator(Settings(), deploy=False) as emulator:  # AWS's managed policies loaded
        iam = emulator.client("iam")

        def managed_document(arn: str) -> dict[str, Any]:
            if ":iam::aws:policy/" not in arn:
                raise AssertionError(f"{arn} is not an AWS managed policy")
            version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
            document = iam.get_policy_version(PolicyArn=arn, VersionId=version)
            return dict(document["PolicyVersion"]["Document"])

        return {name: ExampleIam.from_plan(planned[name], managed_document) for name in INPUTS}


@pytest.fixture(params=list(INPUTS))
def complete(request: pytest.FixtureRequest, plans: dict[str, ExampleIam]) -> ExampleIam:
    return plans[request.param]


def listed(found: list[Gap]) -> str:
    return "\n".join(str(gap) for gap in found)


# -- the example -------------------------------------------------------------------


def test_every_role_of_the_module_carries_the_examples_boundary(complete: ExampleIam) -> None:
    assert complete.boundary_arn, complete.boundary_address
    assert set(complete.roles) == {
        *(f'aws_iam_role.lambda["{key}"]' for key in FUNCTION_KEYS),
        "aws_iam_role.restore[0]",
        "aws_iam_role.state_machine",
    }
    assert set(complete.roles.values()) == {complete.boundary_arn}


def test_every_role_policy_of_the_module_is_checked(complete: ExampleIam) -> None:
    expected = {
        *(f'aws_iam_role_policy.lambda["{key}"]' for key in FUNCTION_KEYS),
        "aws_iam_role_policy.restore_tags[0]",
        "aws_iam_role_policy.state_machine",
        "aws_iam_role_policy.restore_scope[0]",
        # the example's copies are encrypted with its key (restore_settings), and the
        # table keys (restore_kms_key_arns), when given, join them in the same policy
        "aws_iam_role_policy.restore_keys[0]",
    }
    assert set(complete.policies) == expected
    assert set(complete.managed) == {"aws_iam_role_policy_attachment.restore[0]"}


def test_the_boundary_allows_every_request_the_module_grants_its_roles(
    complete: ExampleIam,
) -> None:
    found = complete.gaps()
    assert not found, "granted by the module, denied by the boundary:\n" + listed(found)


def test_the_restore_roles_managed_policy_counts_for_dynamodb_restores(
    complete: ExampleIam,
) -> None:
    [(address, managed)] = complete.managed.items()
    copy_table = TABLE + "orders-staging-20240827-09-20-00"
    # AWS Backup restores into the copy with the restore role: the boundary allows it
    assert evaluate([managed], "dynamodb:RestoreTableFromAwsBackup", copy_table) == ALLOWED
    assert (
        evaluate([complete.boundary], "dynamodb:RestoreTableFromAwsBackup", copy_table) == ALLOWED
    )
    # a boundary that forgot it is caught through the managed policy alone
    without = _without_action(complete.boundary, "dynamodb:RestoreTableFromAwsBackup")
    found = complete.gaps(without)
    assert {gap.policy for gap in found} == {address}
    assert {gap.request.action for gap in found} == {"dynamodb:RestoreTableFromAwsBackup"}
    # what it grants for other resource types does not count: the boundary rightly
    # denies it, and no gap is reported for it
    assert evaluate([managed], "ec2:RunInstances", "*") == ALLOWED
    assert evaluate([complete.boundary], "ec2:RunInstances", "*") != ALLOWED
    assert not [gap for gap in complete.gaps() if gap.request.action.startswith("ec2:")]


def test_the_boundary_keeps_the_restore_role_off_tables_that_are_not_copies(
    complete: ExampleIam,
) -> None:
    # AWS's managed policy alone lets the restore role write to any table
    [managed] = complete.managed.values()
    for table in ("orders-prod", "payments", "orders-staging-20240827-09-20-00"):
        assert evaluate([managed], "dynamodb:PutItem", TABLE + table) == ALLOWED
    # the boundary allows the copy only
    boundary = [complete.boundary]
    assert (
        evaluate(boundary, "dynamodb:PutItem", TABLE + "orders-staging-20240827-09-20-00")
        == ALLOWED
    )
    for table in ("orders-prod", "payments", "orders-staging"):
        for action in ("dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Scan"):
            assert evaluate(boundary, action, TABLE + table) != ALLOWED, (action, table)


def test_the_examples_hook_carries_the_boundary_and_fits_under_it(complete: ExampleIam) -> None:
    assert complete.own_roles == {"aws_iam_role.hook_has_items": complete.boundary_arn}
    assert set(complete.own_policies) == {"aws_iam_role_policy.hook_has_items"}
    found = gaps(complete.own_policies, [complete.boundary], {})
    assert not found, "granted to the hook, denied by the boundary:\n" + listed(found)


def test_the_examples_hook_may_only_read_the_copies(complete: ExampleIam) -> None:
    [hook] = complete.own_policies.values()
    copy_table = TABLE + "orders-staging-20240827-09-20-00"
    assert evaluate([hook], "dynamodb:Scan", copy_table) == ALLOWED
    for table in ("orders-prod", "orders-staging", "ddb-rotator-restore-waits"):
        assert evaluate([hook], "dynamodb:Scan", TABLE + table) != ALLOWED, table
    for action in ("dynamodb:PutItem", "dynamodb:DeleteTable", "dynamodb:GetItem"):
        assert evaluate([hook], action, copy_table) != ALLOWED, action
    [key_statement] = [s for s in hook["Statement"] if s["Sid"] == "DecryptCopiesThroughDynamoDB"]
    key = key_statement["Resource"]
    via_dynamodb = {"kms:ViaService": "dynamodb.us-east-1.amazonaws.com"}
    assert evaluate([hook], "kms:Decrypt", key, via_dynamodb) == ALLOWED
    assert (
        evaluate([hook], "kms:Decrypt", key, {"kms:ViaService": "s3.us-east-1.amazonaws.com"})
        != ALLOWED
    )
    assert evaluate([hook], "kms:Decrypt", key) != ALLOWED


# -- the check can fail --------------------------------------------------------------


def _without_action(boundary: dict[str, Any], action: str) -> dict[str, Any]:
    edited = copy.deepcopy(boundary)
    removed = False
    for statement in edited["Statement"]:
        listed_actions = statement["Action"]
        listed_actions = [listed_actions] if isinstance(listed_actions, str) else listed_actions
        if action in listed_actions:
            statement["Action"] = [a for a in listed_actions if a != action]
            removed = True
    edited["Statement"] = [s for s in edited["Statement"] if s["Action"]]
    assert removed, f"{action} is not in the boundary"
    return edited


def test_a_boundary_without_one_granted_action_is_reported_for_that_action(
    complete: ExampleIam,
) -> None:
    found = complete.gaps(_without_action(complete.boundary, "dynamodb:Query"))
    assert {gap.request.action for gap in found} == {"dynamodb:Query"}, listed(found)
    # granted by the start-restore function's policy, and by the restore role's
    # managed policy (AWS Backup's restore writes the items with it)
    assert {gap.policy for gap in found} == {
        'aws_iam_role_policy.lambda["start_restore"]',
        "aws_iam_role_policy_attachment.restore[0]",
    }


def test_a_boundary_without_the_trigger_s_queue_is_reported_for_sqs_send_message(
    complete: ExampleIam,
) -> None:
    found = complete.gaps(_without_action(complete.boundary, "sqs:SendMessage"))
    assert {(gap.policy, gap.request.action) for gap in found} == {
        ('aws_iam_role_policy.lambda["trigger"]', "sqs:SendMessage")
    }


def test_the_key_policys_grant_to_the_trigger_is_checked_too(complete: ExampleIam) -> None:
    # the trigger writes to the encrypted queue with the key, through SQS: granted by
    # the key policy, which names the role, and so limited by the boundary as well
    assert set(complete.resource_policies) == {"aws_kms_key.this"}
    edited = copy.deepcopy(complete.boundary)
    for statement in edited["Statement"]:
        via = statement.get("Condition", {}).get("StringEquals", {}).get("kms:ViaService")
        if via:
            statement["Condition"]["StringEquals"]["kms:ViaService"] = [
                v for v in _listed_values(via) if not v.startswith("sqs.")
            ]
    found = complete.gaps(edited)
    assert found, "the boundary's key use through SQS was not found"
    assert {gap.policy for gap in found} == {"aws_kms_key.this"}, listed(found)
    assert {gap.request.action for gap in found} == {"kms:Decrypt", "kms:GenerateDataKey"}


def _listed_values(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def test_an_action_added_to_iam_tf_reaches_the_modules_boundary(
    plans: dict[str, ExampleIam],
) -> None:
    edited = plans[EDITED]
    copy_table = TABLE + "orders-staging-20240827-09-20-00"
    # the edited copy was planned: a role is granted the action
    assert ADDED_ACTION in json.dumps(list(edited.policies.values()))
    assert evaluate([edited.boundary], ADDED_ACTION, copy_table) == ALLOWED
    found = edited.gaps()
    assert not found, listed(found)
    # and the unedited boundary does not allow it: it comes from iam.tf, not a wildcard
    assert evaluate([plans["defaults"].boundary], ADDED_ACTION, copy_table) != ALLOWED


def _boundary_actions(boundary: dict[str, Any]) -> set[str]:
    return {
        action
        for statement in boundary["Statement"]
        for action in _listed_values(statement["Action"])
    }


def test_the_boundary_fits_in_a_managed_policy(complete: ExampleIam) -> None:
    # IAM's limit for a managed policy: 6,144 characters, whitespace not counted.
    assert len(json.dumps(complete.boundary, separators=(",", ":"))) <= 6144


def test_the_boundary_allows_no_action_no_role_is_granted(complete: ExampleIam) -> None:
    """No more than intended: each action of the boundary is one a role of the module,
    the example's hook, or a resource policy naming a role grants (the restore role's
    AWS managed policy counts for the services the rotator hands it)."""
    granted: set[str] = set()
    documents = [
        *complete.policies.values(),
        *complete.resource_policies.values(),
        *complete.own_policies.values(),
    ]
    for document in documents:
        for statement in document["Statement"]:
            if statement.get("Effect", "Allow") == "Allow":
                granted |= set(_listed_values(statement["Action"]))
    for managed in complete.managed.values():
        for statement in managed["Statement"]:
            granted |= {
                action
                for action in _listed_values(statement["Action"])
                if action.split(":")[0] in RESTORE_SERVICES
            }
    assert _boundary_actions(complete.boundary) - granted == set()


# -- the checker itself --------------------------------------------------------------


def _policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _allow(action: Any, resource: Any = "*", **condition: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": "Allow", "Action": action, "Resource": resource}
    if condition:
        statement["Condition"] = condition
    return statement


@pytest.mark.parametrize(
    ("ceiling", "uncovered"),
    [
        ("kms:GenerateDataKey*", set()),
        ("kms:*", set()),
        ("*", set()),
        # narrower: the pattern itself and each real action beyond GenerateDataKey
        (
            "kms:GenerateDataKey",
            {
                "kms:GenerateDataKey*",
                "kms:GenerateDataKeyPair",
                "kms:GenerateDataKeyPairWithoutPlaintext",
                "kms:GenerateDataKeyWithoutPlaintext",
            },
        ),
        # "?" matches the "*" of the name as written; the real actions still tell
        (
            "kms:GenerateDataKey?",
            {
                "kms:GenerateDataKey",
                "kms:GenerateDataKeyPair",
                "kms:GenerateDataKeyPairWithoutPlaintext",
                "kms:GenerateDataKeyWithoutPlaintext",
            },
        ),
    ],
)
def test_action_wildcards_on_either_side_are_evaluated(ceiling: str, uncovered: set[str]) -> None:
    granted = {"role": _policy(_allow("kms:GenerateDataKey*"))}
    found = gaps(granted, [_policy(_allow(ceiling))])
    assert {gap.request.action for gap in found} == uncovered


def test_a_granted_service_wildcard_needs_one_in_the_ceiling() -> None:
    granted = {"role": _policy(_allow("dynamodb:*", TABLE + "*"))}
    ceiling = [_policy(_allow(["dynamodb:GetItem", "dynamodb:PutItem"], TABLE + "*"))]
    found = gaps(granted, ceiling)
    assert "dynamodb:*" in {gap.request.action for gap in found}
    assert "dynamodb:GetItem" not in {gap.request.action for gap in found}


@pytest.mark.parametrize(
    ("ceiling", "covered"),
    [
        (TABLE + "*", True),
        ("*", True),
        (TABLE + "*-staging-*", False),  # "a-stagingb-..." is granted, not covered
        # "?" matches the written "*", but not the "" or "rotator" it stands for
        (TABLE + "?-staging*", False),
        ("arn:aws:dynamodb:us-east-2:123456789012:table/*", False),
    ],
)
def test_resource_wildcards_on_either_side_are_evaluated(ceiling: str, covered: bool) -> None:
    granted = {"role": _policy(_allow("dynamodb:PutItem", TABLE + "*-staging*-????????"))}
    found = gaps(granted, [_policy(_allow("dynamodb:PutItem", ceiling))])
    assert (not found) == covered, [str(gap) for gap in found]


def test_a_ceiling_condition_covers_only_grants_made_under_it() -> None:
    via = {"StringEquals": {"kms:ViaService": ["dynamodb.us-east-1.amazonaws.com"]}}
    ceiling = [
        _policy(
            _allow(
                "kms:Decrypt",
                "*",
                StringEquals={"kms:ViaService": ["dynamodb.us-east-1.amazonaws.com", "sqs.x"]},
            )
        )
    ]
    through_dynamodb = {"role": _policy(_allow("kms:Decrypt", "*", **via))}
    directly = {"role": _policy(_allow("kms:Decrypt"))}
    assert gaps(through_dynamodb, ceiling) == []
    assert {str(gap.request) for gap in gaps(directly, ceiling)} == {
        "kms:Decrypt on *",
        "kms:Decrypt on ",
        "kms:Decrypt on rotator",
    }


def test_an_explicit_deny_in_the_ceiling_is_reported() -> None:
    granted = {"role": _policy(_allow("ssm:PutParameter", "arn:aws:ssm:us-east-1:1:parameter/a"))}
    ceiling = [
        _policy(
            _allow("ssm:*"),
            {"Effect": "Deny", "Action": "ssm:PutParameter", "Resource": "*"},
        )
    ]
    assert {gap.request.action for gap in gaps(granted, ceiling)} == {"ssm:PutParameter"}


def test_a_generic_policy_counts_only_within_its_scope() -> None:
    generic = _policy(
        _allow(["dynamodb:PutItem"], "arn:aws:dynamodb:*:*:table/*"),
        _allow(["ec2:RunInstances"], "*"),
        _allow(["kms:Decrypt"], "*", StringLike={"kms:ViaService": "dynamodb.*.amazonaws.com"}),
    )
    copy_table = TABLE + "orders-staging-20240827-09-20-00"
    key = "arn:aws:kms:us-east-1:123456789012:key/k"
    scope = Scope(
        services=frozenset({"dynamodb", "kms"}),
        resources=frozenset({copy_table, key}),
        context={"kms:ViaService": frozenset({"dynamodb.us-east-1.amazonaws.com"})},
    )
    ceiling_without_kms = [_policy(_allow("dynamodb:PutItem", TABLE + "*"))]
    found = gaps({}, ceiling_without_kms, {"managed": (generic, scope)})
    assert [str(gap.request) for gap in found] == [
        f"kms:Decrypt on {key} with {{'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com'}}"
    ]


def test_a_generic_pattern_names_scope_resources_of_its_own_type_only() -> None:
    # "table/*" is written for tables; IAM would also match a backup's ARN with it
    generic = _policy(_allow("dynamodb:PutItem", "arn:aws:dynamodb:*:*:table/*"))
    backup = TABLE + "orders-prod/backup/01724750400000-a1b2c3d4"
    copy_table = TABLE + "orders-staging-20240827-09-20-00"
    scope = Scope(services=frozenset({"dynamodb"}), resources=frozenset({backup, copy_table}))
    found = gaps({}, [_policy(_allow("sqs:*"))], {"managed": (generic, scope)})
    assert [gap.request.resource for gap in found] == [copy_table]


def test_each_combination_of_condition_values_is_a_request() -> None:
    statement = _allow(
        "kms:CreateGrant",
        "*",
        StringEquals={"kms:ViaService": ["dynamodb.us-east-1.amazonaws.com", "sqs.x"]},
        ArnLike={"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:1:log-group:a"},
        Bool={"kms:GrantIsForAWSResource": "True"},
    )
    contexts = {request.context for request in requests(statement)}
    assert contexts == {
        (
            ("kms:EncryptionContext:aws:logs:arn", "arn:aws:logs:us-east-1:1:log-group:a"),
            ("kms:GrantIsForAWSResource", "true"),
            ("kms:ViaService", via),
        )
        for via in ("dynamodb.us-east-1.amazonaws.com", "sqs.x")
    }


def test_the_checker_refuses_statements_it_cannot_turn_into_requests() -> None:
    ceiling = [_policy(_allow("*"))]
    not_action = {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}
    with pytest.raises(ValueError, match="NotAction"):
        gaps({"role": _policy(not_action)}, ceiling)
    if_exists = _allow("s3:GetObject", "*", StringEqualsIfExists={"aws:SourceVpc": "v"})
    with pytest.raises(ValueError, match="StringEqualsIfExists"):
        gaps({"role": _policy(if_exists)}, ceiling)
