"""The plans of the examples that the provider tests read (test_boundary.py,
test_topic_policies.py), made side by side in one moto the first time either needs
them: each plan first applies what its policy documents name (about a minute, most
of it the provider waiting for a key or a queue), so one after another they were the
longest wait of the suite. Real Terraform and the real hashicorp/aws provider
(tests/emulator/terraform.py ``plan_example``, which caches each plan by the files
and the variables; its lock lets one pytest worker plan while another waits).

Both test modules are in the xdist group ``example-plans`` (``--dist loadgroup``): one
worker waits for the plans while the other goes on with the rest of the suite.
"""

from __future__ import annotations

import functools
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tests.emulator.harness import Emulator, Settings
from tests.emulator.terraform import cli_config, copy_module, plan_example

XDIST_GROUP = "example-plans"
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
# planned from a copy of the module whose check-restore policy also grants this (an
# action no input of the module grants)
ADDED_ACTION = "dynamodb:DescribeTableReplicaAutoScaling"
# name -> (example, its variables, whether planned from the edited copy). One moto
# serves them all at once, so each but one names its resources apart.
PLANS: dict[str, tuple[str, dict[str, Any], bool]] = {
    "basic": ("basic", {"name": "rotator-basic"}, False),
    # complete's defaults: its key encrypts the copies, a key statement in two roles
    "defaults": ("complete", {}, False),
    # customer managed table keys (restore_kms_key_arns) add another; and the edited
    # copy (one plan for all, each about 45 CPU-s): the added action, and every
    # copy_settings option on (EVERY_COPY_SETTING), whose statements the boundary must
    # allow and still fit
    "table keys": ("complete", {"name": "rotator-keys", "restore_kms_key_arns": [KEY]}, True),
}
# complete's copy_settings with every option switched on, those that read the source
# "as the source" (each adds a read of source tables to what the value grants on the
# copies): the largest set of statements copy_settings can give.
EVERY_COPY_SETTING = """\
  copy_settings = {
    copy_source_ttl               = true
    copy_source_streams           = true
    point_in_time_recovery        = true
    deletion_protection           = false
    table_class                   = "SOURCE"
    on_demand_throughput          = { from_source = true }
    warm_throughput               = { from_source = true }
    point_in_time_recovery_period = { from_source = true }
    resource_policy               = { from_source = true }
    auto_scaling                  = { from_source = true }
    contributor_insights          = "SOURCE"
    kinesis_stream_arn            = "arn:aws:kinesis:us-east-1:123456789012:stream/staging-changes"
    best_effort                   = ["kinesis_stream_arn"]
  }
"""


def add_action_to_check_restore(root: Path) -> None:
    """Let the check-restore function's policy in ``root``'s iam.tf grant ADDED_ACTION."""
    iam_tf = root / "iam.tf"
    text = iam_tf.read_text()
    block = re.search(r'data "aws_iam_policy_document" "check_restore" \{.*?\n\}\n', text, re.S)
    assert block, "iam.tf has no check_restore policy document"
    edited, count = re.subn(
        r'actions\s*=\s*\["dynamodb:DescribeTable"\]',
        f'actions = ["dynamodb:DescribeTable", "{ADDED_ACTION}"]',
        block[0],
        count=1,
    )
    assert count == 1, "the check_restore document no longer grants DescribeTable alone"
    iam_tf.write_text(text.replace(block[0], edited))


def switch_on_every_copy_setting(root: Path) -> None:
    """Give the module call in ``root``'s examples/complete EVERY_COPY_SETTING."""
    main_tf = root / "examples" / "complete" / "main.tf"
    text = main_tf.read_text()
    edited, count = re.subn(
        r"^  copy_settings = \{\n.*?^  \}\n", EVERY_COPY_SETTING, text, count=1, flags=re.S | re.M
    )
    assert count == 1, "examples/complete/main.tf gives the module no copy_settings block"
    main_tf.write_text(edited)


@functools.cache
def plans() -> dict[str, dict[str, Any]]:
    """``terraform show -json`` of each of PLANS, by name."""
    cli_config()  # written once, before Terraform runs in threads
    with tempfile.TemporaryDirectory(prefix="edited-module-") as tmp:
        edited = Path(tmp)
        copy_module(edited, ("complete",))
        add_action_to_check_restore(edited)
        switch_on_every_copy_setting(edited)
        with Emulator(Settings(), deploy=False) as emulator:

            def plan(name: str) -> dict[str, Any]:
                example, variables, from_edited = PLANS[name]
                extra = {"root": edited} if from_edited else {}
                return plan_example(example, variables, emulator.endpoint, **extra)

            with ThreadPoolExecutor(max_workers=len(PLANS)) as pool:
                return dict(zip(PLANS, pool.map(plan, PLANS), strict=True))
