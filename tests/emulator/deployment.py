"""An example applied with the real hashicorp/aws provider onto the emulator's moto
server, and destroyed: the one place ``make e2e`` and ``make sandbox`` do it.

``deployed(emulator, example, directory)`` copies the module and ``examples/<example>``
under ``directory``, points the example's own ``provider "aws"`` at the emulator's
endpoint with an override file, creates the vaults the example expects to exist, and
runs ``terraform init``, ``validate`` (no error, no warning), ``apply``, ``output`` and a
``plan`` that must show no changes. A step that fails raises ``StepFailed`` naming it,
after destroying whatever apply had created (an interruption, KeyboardInterrupt, is
reported the same way and raised again). On leaving the block, what is still deployed
is destroyed. Each run starts from a fresh emulator, so a Terraform state left in the
directory by an earlier run is removed first.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.emulator.harness import Emulator
from tests.emulator.terraform import ROOT, Terraform, copy_module, provider_override

OVERRIDE_FILE = "emulator_override.tf"
VARIABLES_FILE = "emulator.auto.tfvars.json"
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".terraform*", "*.tfstate*")


class StepFailed(RuntimeError):
    """A step of deploying an example failed (``step``: which one)."""

    def __init__(self, step: str, example: str, cause: BaseException, cleanup: str) -> None:
        super().__init__(f"{example}: {step} failed: {cause}\n{cleanup}")
        self.step = step


def example_names(root: Path = ROOT) -> list[str]:
    """Every example: a directory of ``examples/`` holding Terraform files."""
    return sorted(
        path.name
        for path in (root / "examples").iterdir()
        if path.is_dir() and any(path.glob("*.tf"))
    )


def check_example(name: str, root: Path = ROOT) -> str:
    """``name`` if it is an example, else ``ValueError`` listing the examples."""
    names = example_names(root)
    if name not in names:
        raise ValueError(f"unknown example {name!r}; expected one of {', '.join(names)}")
    return name


@dataclass
class Deployment:
    """An applied example: its working directory, Terraform there, its outputs."""

    example: str
    work: Path
    terraform: Terraform
    outputs: dict[str, Any] = field(default_factory=dict)
    destroyed: bool = False

    def no_changes(self, when: str) -> None:
        """A plan shows no changes (exit code 0 of ``-detailed-exitcode``)."""
        result = self.terraform.run("plan", "-input=false", "-detailed-exitcode", allowed=(0, 2))
        if result.returncode != 0:
            raise AssertionError(f"plan {when} shows changes (exit code 2)")

    def destroy(self, refresh: bool = True) -> None:
        """``refresh=False``: delete what the state holds without reading each resource
        first (for a caller whose last plan just read them all)."""
        options = () if refresh else ("-refresh=false",)
        self.terraform.run("destroy", "-auto-approve", "-input=false", *options)
        self.destroyed = True


@contextmanager
def deployed(
    emulator: Emulator,
    example: str,
    directory: Path,
    *,
    vaults: tuple[str, ...] = (),
    variables: Mapping[str, Any] | None = None,
    echo: bool = True,
    plan_after_apply: bool = True,
) -> Iterator[Deployment]:
    """``example`` applied onto ``emulator``'s endpoint (``vaults``: the AWS Backup
    vaults it expects to exist, created first; ``variables``: values for its inputs);
    destroyed when the block ends, also when it fails. ``plan_after_apply=False``
    leaves out the plan after apply, for a caller that plans later (``make e2e``,
    after its rotation: a change apply leaves shows there too)."""
    check_example(example)
    copy_module(directory, (example,))
    # the repository's other modules, which an example may use (cross-account-copies)
    shutil.rmtree(directory / "modules", ignore_errors=True)
    if (ROOT / "modules").is_dir():
        shutil.copytree(ROOT / "modules", directory / "modules", ignore=IGNORE)
    work = directory / "examples" / example
    # A state left by an earlier run describes another emulator's resources, now gone.
    for stale in work.glob("terraform.tfstate*"):
        stale.unlink()
    (work / OVERRIDE_FILE).write_text(_overrides(work, emulator.endpoint))
    (work / VARIABLES_FILE).write_text(json.dumps(dict(variables or {})))
    for vault in vaults:
        emulator.client("backup").create_backup_vault(BackupVaultName=vault)
    deployment = Deployment(example, work, Terraform(work, echo=echo))
    applying = False
    step = "terraform init"
    try:
        deployment.terraform.init()
        step = "terraform validate"
        validated = json.loads(deployment.terraform.run("validate", "-json").stdout)
        if not validated["valid"] or validated["diagnostics"]:
            raise AssertionError(
                "terraform validate with the real provider reported: "
                + "; ".join(f"{d['severity']}: {d['summary']}" for d in validated["diagnostics"])
            )
        step, applying = "terraform apply", True
        # Fewer requests at once: examples and pytest workers share two cores, and a
        # CreateFunction that moto answers late is retried by the provider into a
        # ResourceConflictException (the function exists by then).
        deployment.terraform.run("apply", "-auto-approve", "-input=false", "-parallelism=4")
        step = "terraform output"
        quiet = Terraform(work)  # the outputs are the caller's to show
        deployment.outputs = {
            key: value["value"]
            for key, value in json.loads(quiet.run("output", "-json").stdout).items()
        }
        if plan_after_apply:
            step = "the plan after apply"
            deployment.no_changes("after apply")
    except BaseException as err:
        cleanup = _clean_up(deployment, applying)
        if isinstance(err, Exception):
            raise StepFailed(step, example, err, cleanup) from err
        print(f"{example}: interrupted during {step}; {cleanup}", file=sys.stderr, flush=True)
        raise
    try:
        yield deployment
    except BaseException:
        print(_clean_up(deployment, True), file=sys.stderr, flush=True)
        raise
    if not deployment.destroyed:
        deployment.destroy()


def _overrides(work: Path, endpoint: str) -> str:
    """Every ``provider "aws"`` block of the example, the aliased ones too, pointed at
    ``endpoint`` (an override file merges each block by its alias)."""
    block = provider_override(endpoint)
    aliases = sorted(
        {
            alias
            for path in work.glob("*.tf")
            for body in re.findall(r'provider\s+"aws"\s*\{(.*?)\n\}', path.read_text(), re.DOTALL)
            for alias in re.findall(r'^\s*alias\s*=\s*"([^"]+)"', body, re.MULTILINE)
        }
    )
    opening = 'provider "aws" {\n'
    return block + "".join(
        block.replace(opening, f"{opening}  alias = {json.dumps(alias)}\n", 1) for alias in aliases
    )


def _clean_up(deployment: Deployment, applied: bool) -> str:
    """Destroy what apply may have created; say what became of it."""
    if not applied or deployment.destroyed:
        return "nothing was applied, so nothing was destroyed"
    try:
        deployment.destroy()
    except Exception as err:
        return f"destroying what was created failed too (state in {deployment.work}): {err}"
    return "what apply had created was destroyed"
