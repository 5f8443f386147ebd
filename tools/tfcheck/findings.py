"""The one result type every check returns."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Finding:
    """A problem found by a check, pointing at the line that causes it."""

    file: str
    line: int
    check: str
    message: str

    def render(self, relative_to: Path | None = None) -> str:
        path = self.file
        if relative_to is not None and os.path.isabs(path):
            path = os.path.relpath(path, relative_to)
        location = f"{path}:{self.line}" if self.line else path
        return f"{location}: [{self.check}] {self.message}"


def render_all(findings: list[Finding], relative_to: Path | None = None) -> str:
    return "\n".join(f.render(relative_to) for f in sorted(findings))
