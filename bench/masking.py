"""Throughput of the masking engine (``rotator.masking.Masker.mask``) in one process.

1,000 distinct items of about 1 KB (``item_size``), each with 20 attributes: strings,
numbers, a binary, a boolean, a null, a map of four address fields, a list of three
contact maps, a string set and a map of preferences. Five rules: hash on ``email``,
redact on ``address.street``, remove on ``ssn``, fake_name on ``name``, fake_phone on
``contacts[*].phone``; every item has each path, so every rule changes every item (five
HMACs an item). The target is 50,000 items a second.

Run from the repository root as ``PYTHONPATH=lambda:. python -m bench.masking``.
"""

from __future__ import annotations

import time
from typing import Any

from rotator.masking import Masker, item_size, marker_value, parse_rules

# as the module's pass.mask takes them (bench.worker hands them to the worker)
RULE_SPECS: list[dict[str, str]] = [
    {"path": "email", "action": "hash"},
    {"path": "address.street", "action": "redact"},
    {"path": "ssn", "action": "remove"},
    {"path": "name", "action": "fake_name"},
    {"path": "contacts[*].phone", "action": "fake_phone"},
]
RULES = parse_rules(RULE_SPECS)
SECRET = b"bench-secret-0123456789abcdef"
ITEMS = 1000  # distinct items, masked in turn


def item(number: int) -> dict[str, Any]:
    """A customer record of about 1 KB in the low-level client's attribute values."""
    return {
        "customer_id": {"S": f"CUST-{number:010d}"},
        "created_at": {"S": f"2024-08-{1 + number % 28:02d}T09:20:{number % 60:02d}Z"},
        "email": {"S": f"customer.{number}@example.com"},
        "name": {"S": f"Customer Number {number}"},
        "ssn": {"S": f"{number % 1000:03d}-{number % 100:02d}-{number % 10000:04d}"},
        "phone": {"S": f"+1206555{number % 10000:04d}"},
        "status": {"S": "ACTIVE" if number % 3 else "SUSPENDED"},
        "plan": {"S": "enterprise-annual-2024"},
        "notes": {
            "S": "Prefers contact by email in the morning; account migrated from the legacy "
            f"billing system in batch {number % 97}; VIP support since 2021-03. Asked for "
            "invoices in PDF and a copy to the finance team; renewal discussed at the last "
            "quarterly review, decision expected before the end of the fiscal year; "
            "the account manager follows up by phone."
        },
        "balance": {"N": f"{number * 37 % 100000}.{number % 100:02d}"},
        "credit_limit": {"N": str(5000 + number % 20 * 250)},
        "orders": {"N": str(number % 413)},
        "loyalty_points": {"N": str(number * 7919 % 1000003)},
        "verified": {"BOOL": number % 2 == 0},
        "referrer": {"NULL": True},
        "avatar_hash": {"B": number.to_bytes(8, "big") * 4},
        "address": {
            "M": {
                "street": {"S": f"{number % 9999} Evergreen Terrace, Apartment {number % 50}"},
                "city": {"S": "Springfield"},
                "postcode": {"S": f"{number % 100000:05d}"},
                "country": {"S": "US"},
            }
        },
        "contacts": {
            "L": [
                {
                    "M": {
                        "kind": {"S": kind},
                        "name": {"S": f"{kind.title()} Contact {number}"},
                        "phone": {"S": f"+1206{number % 1000:03d}{index:04d}"},
                    }
                }
                for index, kind in enumerate(("billing", "technical", "emergency"))
            ]
        },
        "tags": {"SS": ["gold", "newsletter", f"region-{number % 12}", "early-adopter"]},
        "preferences": {
            "M": {
                "language": {"S": "en-US"},
                "timezone": {"S": "America/Los_Angeles"},
                "marketing": {"BOOL": False},
            }
        },
    }


def throughput(seconds: float = 2.0) -> dict[str, float]:
    """Items masked per second over ``seconds`` of CPU time on one core, the mean
    ``item_size`` of the items, and the number of rules."""
    items = [item(number) for number in range(ITEMS)]
    masker = Masker(RULES, SECRET, marker_value("bench-table-id", RULES))
    mask = masker.mask
    for one in items[:100]:  # warm up
        mask(one)
    done = 0
    started = time.process_time()
    elapsed = 0.0
    while elapsed < seconds:
        for one in items:
            mask(one)
        done += len(items)
        elapsed = time.process_time() - started
    return {
        "items_per_second": round(done / elapsed),
        "item_bytes": sum(map(item_size, items)) / len(items),
        "rules": len(RULES),
    }


if __name__ == "__main__":
    print(throughput())
