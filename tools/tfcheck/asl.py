"""The state machine template, rendered by real ``templatefile`` (tests/emulator's
``render_state_machine``) for the ARNs of each partition, with versions and aliases:
valid JSON, every template variable used, and ``asl-validator`` (package.json) passes."""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import hcl2

from .findings import Finding

REPO_ROOT = Path(__file__).resolve().parents[2]
CHECK = "asl"
# The failure notification's: the partition of its integration ARN, its topic, and
# what becomes of a failed rotation's copy (a sentence, definition.tf's failed_copy_fate).
NOTIFICATION_VARIABLES = ("partition", "notification_topic_arn", "failed_copy_fate")
Renderer = Callable[..., Mapping[str, Any]]


def workflow_functions(module: Path = REPO_ROOT) -> tuple[str, ...]:
    """The keys of ``module``'s steps.tf ``local.steps`` that the template invokes (a
    ``state``), in the order declared: each is the template variable
    ``${<key>_function_arn}``."""
    with (module / "steps.tf").open() as handle:
        parsed = hcl2.load(handle)
    steps: dict[str, Any] = {}
    for block in parsed.get("locals", []):
        steps.update(block.get("steps", {}))
    return tuple(key for key, step in steps.items() if step.get("state") is not None)


def template_variables(module: Path = REPO_ROOT) -> tuple[str, ...]:
    functions = workflow_functions(module)
    return (*(f"{function}_function_arn" for function in functions), *NOTIFICATION_VARIABLES)


TEMPLATE_VARIABLES = template_variables()

# Each case's qualifiers, given to the functions in turn (cycled if there are more
# functions than qualifiers): unqualified, versions, aliases and mixes of them.
QUALIFIERS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "aws, unqualified": ("aws", "eu-west-1", "111122223333", ("",)),
    "aws, versions": (
        "aws",
        "us-east-1",
        "111122223333",
        (":1", ":17", ":2", ":8", ":$LATEST", ":4", ":9"),
    ),
    "aws, aliases": (
        "aws",
        "ap-southeast-2",
        "444455556666",
        (":live", ":prod-2", ":wait", ":cfg", ":blue_green", ":old", ":keep"),
    ),
    "aws-cn": ("aws-cn", "cn-north-1", "111122223333", ("", ":3", "", "", ":live", ":7", "")),
    "aws-us-gov": (
        "aws-us-gov",
        "us-gov-west-1",
        "111122223333",
        (":live", "", ":5", ":live", ":42", "", ":2"),
    ),
}


def _arns(
    partition: str,
    region: str,
    account: str,
    qualifiers: tuple[str, ...],
    functions: tuple[str, ...],
) -> dict[str, str]:
    prefix = f"arn:{partition}:lambda:{region}:{account}:function:rotator"
    return {
        **{
            f"{function}_function_arn": f"{prefix}-{function.replace('_', '-')}"
            + qualifiers[index % len(qualifiers)]
            for index, function in enumerate(functions)
        },
        "partition": partition,
        "notification_topic_arn": f"arn:{partition}:sns:{region}:{account}:rotator-failures",
        "failed_copy_fate": "Any copy named in target_table is kept and recorded in the ledger.",
    }


def cases_for(module: Path = REPO_ROOT) -> dict[str, dict[str, str]]:
    """Each case is a set of template variables ``module`` can produce."""
    functions = workflow_functions(module)
    return {
        case: _arns(partition, region, account, qualifiers, functions)
        for case, (partition, region, account, qualifiers) in QUALIFIERS.items()
    }


CASES = cases_for()


def default_renderer() -> Renderer:
    from tests.emulator.terraform import render_state_machine  # the project's one renderer

    return render_state_machine


def check_template(
    template: Path,
    cases: Mapping[str, Mapping[str, str]] | None = None,
    render: Renderer | None = None,
) -> list[Finding]:
    # the module's own steps.tf says which functions its template invokes
    module = template.resolve().parent
    known_variables = template_variables(module)
    cases = cases_for(module) if cases is None else cases
    render = render or default_renderer()
    text = template.read_text()

    def finding(line: int, message: str) -> Finding:
        return Finding(str(template), line, CHECK, message)

    used = set(re.findall(r"\$\{\s*(\w+)\s*\}", text))
    known = ", ".join(known_variables)
    findings = [
        finding(_line_of(text, "${" + n), f'template variable "{n}" is not one of {known}')
        for n in sorted(used - set(known_variables))
    ]
    unused = [n for n in known_variables if n not in used]
    findings += [finding(1, f'template variable "{n}" is never used') for n in unused]
    if findings:
        return findings
    try:
        # Template variables belong in string positions, so with each one replaced by
        # plain text the template must already be a JSON document.
        json.loads(re.sub(r"\$\{\s*\w+\s*\}", "x", text))
    except json.JSONDecodeError as exc:
        message = f"not valid JSON (template variables must sit inside JSON strings): {exc.msg}"
        return [finding(exc.lineno, message)]
    rendered: dict[str, str] = {}
    for case, variables in cases.items():
        try:
            rendered[case] = json.dumps(render(template.resolve(), **variables), indent=2)
        except Exception as exc:  # the renderer reports Terraform's own error text
            error = str(exc)
            line = int(match.group(1)) if (match := re.search(r"\.tpl:(\d+)", error)) else 1
            first = " ".join(error[max(error.find("Error: "), 0) :].replace("│", " ").split())
            message = f"Terraform could not render the template ({case}): {first[:600]}"
            findings.append(finding(line, message))
            continue
        if missing := [v for v in variables.values() if v not in rendered[case]]:
            message = f"rendered definition ({case}) does not contain {', '.join(missing)}"
            findings.append(finding(1, message))
    if findings:
        return findings
    validator = REPO_ROOT / "node_modules" / ".bin" / "asl-validator"
    if not validator.exists():
        return [finding(0, f"{validator} is missing: run `npm ci` (make tools)")]
    with tempfile.TemporaryDirectory(prefix="tfcheck-asl-") as tmp:
        for case, definition in rendered.items():
            path = Path(tmp) / "definition.json"
            path.write_text(definition)
            command = [str(validator), "--json-path", str(path)]
            result = subprocess.run(
                command, capture_output=True, text=True, check=False, timeout=1200
            )
            if result.returncode == 0:
                continue
            output = (result.stdout + result.stderr).replace(str(path), template.name)
            problems = [p.strip() for p in output.splitlines() if re.match(r"^\s*[A-Z_]+:", p)]
            findings += [
                finding(_state_line(problem, text), f"asl-validator ({case}): {problem}")
                for problem in problems or [output.strip()]
            ]
    return findings


def _line_of(text: str, needle: str) -> int:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else 1


def _state_line(problem: str, text: str) -> int:
    """The template line of the state a validator message points at (``/States/Name``,
    else the first quoted name that is a state)."""
    states = re.findall(r"/States/([^/\s,]+)", problem)[-1:]
    states += [a or b for a, b in re.findall(r"'([^']+)'|\"([^\"]+)\"", problem)]
    for state in states:
        if match := re.search(r'^\s*"' + re.escape(state) + r'"\s*:', text, re.MULTILINE):
            return text.count("\n", 0, match.start()) + 1
    return 1
