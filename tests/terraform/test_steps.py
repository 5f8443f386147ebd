"""steps.tf's ``local.steps`` is the one list of the rotator's functions: each entry has
the places docs/extending.md lists (its handler, its state in the template, its policy
document), and a step added in those places needs nothing else for the ASL check."""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.module_config import ROOT, blocks, locals_of
from tools.tfcheck import asl

STEPS: dict[str, dict[str, Any]] = locals_of("steps.tf")["steps"]
TEMPLATE = json.loads((ROOT / "statemachine.json.tpl").read_text())["States"]
WORKFLOW = [key for key, step in STEPS.items() if step["state"] is not None]


def _text(value: Any) -> Any:
    """python-hcl2 keeps the quotes of strings inside lists and of scalar strings."""
    if isinstance(value, str):
        return value.strip('"')
    if isinstance(value, list):
        return [_text(item) for item in value]
    return value


def step(key: str) -> dict[str, Any]:
    return {name: _text(value) for name, value in STEPS[key].items()}


@pytest.mark.parametrize("key", list(STEPS))
def test_every_function_has_a_handler_module(key: str) -> None:
    path = ROOT / "lambda" / "rotator" / "handlers" / f"{key}.py"
    assert path.is_file(), f"steps.tf declares {key}, but {path.relative_to(ROOT)} is missing"
    functions = {
        node.name for node in ast.parse(path.read_text()).body if isinstance(node, ast.FunctionDef)
    }
    assert "handler" in functions, f"{path.relative_to(ROOT)} defines no handler"


def invoked_by(state: dict[str, Any]) -> set[Any]:
    """The functions a state invokes: a Task's, or those of a Map's item processor."""
    found = {state.get("Resource"), state.get("Parameters", {}).get("FunctionName")}
    for inner in state.get("ItemProcessor", {}).get("States", {}).values():
        found |= invoked_by(inner)
    return found


@pytest.mark.parametrize("key", WORKFLOW)
def test_every_step_is_a_state_of_the_template_that_invokes_it(key: str) -> None:
    assert f"${{{key}_function_arn}}" in invoked_by(TEMPLATE[step(key)["state"]])


@pytest.mark.parametrize("key", [key for key in WORKFLOW if step(key)["failure_state"]])
def test_a_steps_catch_goes_to_its_failure_state_which_names_it(key: str) -> None:
    declared = step(key)
    catches = [catcher["Next"] for catcher in TEMPLATE[declared["state"]]["Catch"]]
    assert declared["failure_state"] in catches
    failure = TEMPLATE[declared["failure_state"]]
    assert failure["Type"] == "Pass"
    assert failure["Parameters"]["state"] == declared["state"]
    assert failure["Next"] == "DescribeFailure"


@pytest.mark.parametrize("key", [key for key in STEPS if step(key)["states"]])
def test_an_optional_steps_states_are_in_the_template_and_its_bypass_stays(key: str) -> None:
    declared = step(key)
    assert set(declared["states"]) <= set(TEMPLATE)
    assert declared["state"] in declared["states"]
    assert declared["bypass"] is None or declared["bypass"] not in declared["states"]


@pytest.mark.parametrize("key", list(STEPS))
def test_every_function_has_a_policy_document_in_iam_tf(key: str) -> None:
    assert key in blocks("iam.tf", "data", "aws_iam_policy_document")
    policies = locals_of("iam.tf")["lambda_policies"]
    assert policies[key] == f"${{data.aws_iam_policy_document.{key}.json}}"


@pytest.mark.parametrize(
    "path",
    ["tools/tfcheck/asl.py", "tests/emulator/render/main.tf"],
)
def test_the_checks_and_fixtures_name_no_step(path: str) -> None:
    text = (ROOT / path).read_text()
    named = [key for key in STEPS if re.search(rf"\b{key}\b", text)]
    assert not named, f"{path} names {named}: derive them from steps.tf"


def test_the_docs_list_at_most_five_places_for_a_step() -> None:
    docs = (ROOT / "docs" / "extending.md").read_text()
    section = docs.split("## Adding a step", 1)[1].split("\n## ", 1)[0]
    places = re.findall(r"^\d+\. \*\*(.+?)\*\*", section, re.MULTILINE)
    assert 0 < len(places) <= 5, places
    for place in ("steps.tf", "statemachine.json.tpl", "iam.tf"):
        assert f"`{place}`" in places


# -- a step added in the listed places ---------------------------------------------

VERIFY = """    verify = {
      description   = "Checks the published copy once more."
      enabled       = true
      state         = "Verify"
      failure_state = "VerifyFailed"
      states        = []
      bypass        = null
      environment   = {}
    }
"""


def add_a_step(module: Path) -> None:
    """Add a step "verify" after Publish, in the places docs/extending.md lists."""
    (module / "lambda" / "rotator" / "handlers" / "verify.py").write_text(
        "def handler(event, context=None, env=None):\n    return {}\n"
    )
    steps_tf = module / "steps.tf"
    text = steps_tf.read_text()
    anchor = "    # keep_last: after Publish"
    assert anchor in text
    steps_tf.write_text(text.replace(anchor, VERIFY + anchor))
    template_path = module / "statemachine.json.tpl"
    template = json.loads(template_path.read_text())
    states = template["States"]
    states["Verify"] = {
        **states["Publish"],
        "Resource": "${verify_function_arn}",
        "ResultPath": "$.verify",
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "VerifyFailed"}],
        "Next": states["Publish"]["Next"],
    }
    states["Publish"]["Next"] = "Verify"
    states["VerifyFailed"] = {
        **states["PublishFailed"],
        "Parameters": {**states["PublishFailed"]["Parameters"], "state": "Verify"},
    }
    template_path.write_text(json.dumps(template, indent=2) + "\n")
    iam_tf = module / "iam.tf"
    text = iam_tf.read_text()
    anchor = "    discard_copy = data.aws_iam_policy_document.discard_copy.json\n"
    assert anchor in text
    text = text.replace(anchor, anchor + "    verify = data.aws_iam_policy_document.verify.json\n")
    text += (
        '\ndata "aws_iam_policy_document" "verify" {\n'
        '  source_policy_documents = [data.aws_iam_policy_document.lambda_common["verify"].json]\n'
        "}\n"
    )
    iam_tf.write_text(text)


def test_a_step_added_in_the_listed_places_passes_the_asl_check(tmp_path: Path) -> None:
    module = tmp_path / "module"
    for name in ("steps.tf", "iam.tf", "statemachine.json.tpl"):
        (module / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, module / name)
    shutil.copytree(
        ROOT / "lambda", module / "lambda", ignore=shutil.ignore_patterns("__pycache__")
    )
    add_a_step(module)
    assert "verify_function_arn" in asl.template_variables(module)
    [(case, variables)] = list(asl.cases_for(module).items())[:1]
    assert variables["verify_function_arn"].endswith(":function:rotator-verify")
    findings = asl.check_template(module / "statemachine.json.tpl", {case: variables})
    assert findings == [], [str(finding) for finding in findings]
