"""The module's renderings in a test run: every set of inputs the collected tests deploy
(tests/conftest.py) is planned in one Terraform run, one module instance each, and a
set no test module binds is refused instead of costing a run of its own."""

from __future__ import annotations

import re

import pytest

from tests.emulator import terraform
from tests.emulator.events import REGION
from tests.emulator.harness import CLEANING_UP, Emulator, Settings


def test_every_collected_input_set_is_an_instance_of_the_one_planned_root(
    emulator: Emulator,
) -> None:
    expected = terraform._expected
    assert expected is not None, "tests/conftest.py collected no input sets"
    assert terraform.inputs_key(Settings().inputs()) in expected
    assert terraform.inputs_key(CLEANING_UP.inputs()) in expected  # bound at module level
    root = terraform.together_directory(tuple(sorted(expected)), REGION) / "work" / "main.tf"
    instances = re.findall(r'^module "(\w+)"', root.read_text(), re.MULTILINE)
    assert sorted(instances) == sorted(terraform._instance_name(key) for key in expected)


def test_the_emulator_deploys_its_own_instance_of_the_shared_plan(emulator: Emulator) -> None:
    """Each instance is the module with its own inputs: CLEANING_UP's has the cleanup
    function and the default's has not."""
    cleaning = terraform.render(CLEANING_UP.inputs(), lambda: emulator.endpoint, REGION)
    assert "cleanup" in cleaning.functions
    assert "cleanup" not in emulator.rendering.functions
    assert emulator.rendering.functions["trigger"].name == "ddb-rotator-trigger"


def test_an_input_set_no_collected_test_binds_is_refused_by_name(emulator: Emulator) -> None:
    never_collected = Settings(name="never-collected").inputs()  # bound in a function only
    with pytest.raises(terraform.TerraformFailed, match="bind this one to a module-level name"):
        terraform.render(never_collected, lambda: emulator.endpoint, REGION)
