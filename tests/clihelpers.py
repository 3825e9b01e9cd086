"""Running the command line in-process from a given working directory (config discovery
starts there), for the tests of configuration."""
from __future__ import annotations

import io
import os
from pathlib import Path

from citelint.cli import main


def run_in(cwd: Path, *args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``citelint ARGS`` run with ``cwd`` as working directory."""
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        code = main(list(args), stdout=out, stderr=err)
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()
