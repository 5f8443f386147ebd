"""A source table with every property a restore drops, for the tests of copy_settings'
table properties (tests/workflow/test_table_properties.py, test_permissions) and for
``make bench``'s rotations with every property on."""

from __future__ import annotations

import json
from typing import Any

from tests.emulator.events import ACCOUNT
from tests.emulator.harness import Emulator

SOURCE = "Orders-Production"
STREAM = f"arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/staging-changes"
READER = f"arn:aws:iam::{ACCOUNT}:role/reporting"
# The module inputs of an on-demand copy with every table property but auto scaling
# (which needs a provisioned one), and the indexes picked, of a source rich_source made:
# the tests' ON_DEMAND_COPIES and make bench's EVERY_PROPERTY.
ON_DEMAND_PROPERTIES: dict[str, Any] = {
    "restore_settings": {
        "billing_mode": "PAY_PER_REQUEST",
        "global_secondary_indexes": ["by*"],
        "local_secondary_indexes": ["byDate"],
    },
    "copy_settings": {
        "point_in_time_recovery": True,
        "point_in_time_recovery_period": {"days": 7},
        "table_class": "SOURCE",
        "on_demand_throughput": {"max_read_request_units": 1000, "max_write_request_units": 500},
        "warm_throughput": {"from_source": True},
        "resource_policy": {"from_source": True},
        "contributor_insights": "SOURCE",
        "kinesis_stream_arn": STREAM,
        "best_effort": ["local_secondary_indexes"],
    },
}

KEYS = {"pk": "S", "sk": "S", "total": "N", "customer": "S", "day": "S", "status": "S"}


def _index(name: str, *key: str) -> dict[str, Any]:
    schema = [{"AttributeName": key[0], "KeyType": "HASH"}]
    if len(key) > 1:
        schema.append({"AttributeName": key[1], "KeyType": "RANGE"})
    return {"IndexName": name, "KeySchema": schema, "Projection": {"ProjectionType": "ALL"}}


def rich_source(emulator: Emulator, *, provisioned: bool = False, policy: Any = None) -> str:
    """The source: three global and two local indexes, the infrequent access class,
    warm throughput, a resource policy, contributor insights (or auto scaling); items."""
    capacity = {"ReadCapacityUnits": 400, "WriteCapacityUnits": 200}
    gsis = [
        _index("byTotal", "total"),
        _index("byCustomer", "customer"),
        _index("reportDaily", "day"),
    ]
    for gsi in gsis:
        if provisioned:
            gsi["ProvisionedThroughput"] = capacity
    gsis[0]["WarmThroughput"] = {"ReadUnitsPerSecond": 30000, "WriteUnitsPerSecond": 10000}
    arn = emulator.dynamodb.create_table(
        TableName=SOURCE,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[{"AttributeName": k, "AttributeType": t} for k, t in KEYS.items()],
        GlobalSecondaryIndexes=gsis,
        LocalSecondaryIndexes=[_index("byDate", "pk", "day"), _index("byStatus", "pk", "status")],
        TableClass="STANDARD_INFREQUENT_ACCESS",
        WarmThroughput={"ReadUnitsPerSecond": 20000, "WriteUnitsPerSecond": 8000},
        **(
            {"BillingMode": "PROVISIONED", "ProvisionedThroughput": capacity}
            if provisioned
            else {"BillingMode": "PAY_PER_REQUEST"}
        ),
    )["TableDescription"]["TableArn"]
    for number in range(6):
        emulator.dynamodb.put_item(
            TableName=SOURCE,
            Item={
                "pk": {"S": f"order-{number}"},
                "sk": {"S": "v1"},
                "total": {"N": str(number)},
                "customer": {"S": f"c{number % 2}"},
                "day": {"S": "2024-08-27"},
                "status": {"S": "open"},
            },
        )
    document = policy or {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": READER},
                "Action": ["dynamodb:GetItem", "dynamodb:Query"],
                "Resource": [arn, f"{arn}/index/*"],
            }
        ],
    }
    emulator.dynamodb.put_resource_policy(ResourceArn=arn, Policy=json.dumps(document))
    if provisioned:
        scaling = emulator.client("application-autoscaling")
        for rid, kind in ((f"table/{SOURCE}", "table"), (f"table/{SOURCE}/index/byTotal", "index")):
            for what in ("Read", "Write"):
                dimension = f"dynamodb:{kind}:{what}CapacityUnits"
                scaling.register_scalable_target(
                    ServiceNamespace="dynamodb",
                    ResourceId=rid,
                    ScalableDimension=dimension,
                    MinCapacity=5,
                    MaxCapacity=400,
                )
                scaling.put_scaling_policy(
                    PolicyName=f"DynamoDB{what}CapacityUtilization:{rid}",
                    ServiceNamespace="dynamodb",
                    ResourceId=rid,
                    ScalableDimension=dimension,
                    PolicyType="TargetTrackingScaling",
                    TargetTrackingScalingPolicyConfiguration={
                        "TargetValue": 70.0,
                        "PredefinedMetricSpecification": {
                            "PredefinedMetricType": f"DynamoDB{what}CapacityUtilization"
                        },
                    },
                )
    else:
        for index in (None, "byTotal"):
            emulator.dynamodb.update_contributor_insights(
                TableName=SOURCE,
                ContributorInsightsAction="ENABLE",
                **({"IndexName": index} if index else {}),
            )
    emulator.client("kinesis").create_stream(StreamName="staging-changes", ShardCount=1)
    return str(arn)
