"""The composite action and the pre-commit hook: no third-party actions, the job's Python
left alone, and the check step's script run for real against the bundled example."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
ACTION = (ROOT / "action.yml").read_text(encoding="utf-8")


def step_script(name: str) -> tuple[str, dict[str, str]]:
    """The ``run: |`` block and the ``env:`` names of the step called ``name`` (enough YAML for this file)."""
    lines = ACTION.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- name: {name}")
    indent = len(lines[start]) - len(lines[start].lstrip()) + 2
    body: list[str] = []
    env: dict[str, str] = {}
    i = start + 1
    while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) >= indent):
        line = lines[i]
        if line.strip() == "run: |":
            i += 1
            while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent):
                body.append(lines[i][indent + 2:])
                i += 1
            continue
        match = re.match(r"\s+(CITELINT_\w+|CODE): \$\{\{ (.+) \}\}$", line)
        if match:
            env[match.group(1)] = match.group(2)
        i += 1
    return "\n".join(body) + "\n", env


def test_no_third_party_action_and_no_setup_python() -> None:
    uses = re.findall(r"^\s*(?:-\s*)?uses:\s*(\S+)", ACTION, re.M)
    # Any action used must be pinned by a full commit SHA; today there are none at all.
    assert all(re.search(r"@[0-9a-f]{40}$", u) for u in uses), uses
    assert "setup-python" not in ACTION
    install, _ = step_script("Install citelint into its own venv")
    assert '-m venv "$venv"' in install and "$RUNNER_TEMP" in install
    assert "GITHUB_PATH" not in install  # the job's PATH (and so its python) is not changed


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("fmt", ["github", "sarif"])
def test_the_check_step_runs_citelint_and_reports_its_exit_code(tmp_path: Path, fmt: str) -> None:
    script, env_names = step_script("Check articles")
    assert set(env_names) == {"CITELINT_PATHS", "CITELINT_ARGS", "CITELINT_FORMAT", "CITELINT_SARIF"}
    output = tmp_path / "github_output"
    sarif = tmp_path / "out.sarif"
    env = {**os.environ, "CITELINT_BIN": str(Path(sys.executable).parent), "GITHUB_OUTPUT": str(output),
           "CITELINT_PATHS": "fixtures/example/draft.md", "CITELINT_ARGS": "--fail-on warning",
           "CITELINT_FORMAT": fmt, "CITELINT_SARIF": str(sarif)}
    if not (Path(sys.executable).parent / "citelint").exists():
        pytest.skip("citelint is not installed beside this Python")
    proc = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()  # the step itself succeeds; a later step fails the job
    outputs = output.read_text(encoding="utf-8").splitlines()
    assert "exit-code=1" in outputs
    if fmt == "sarif":
        assert f"sarif-file={sarif}" in outputs and '"uriBaseId":"%SRCROOT%"' in sarif.read_text(encoding="utf-8")
    else:
        assert "::error file=fixtures/example/draft.md,line=24" in proc.stdout.decode()


def test_pre_commit_hook_forces_exclude_and_takes_markdown_and_html() -> None:
    hook = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    entry = re.search(r"^\s*entry: (.+)$", hook, re.M)
    files = re.search(r"^\s*files: (.+)$", hook, re.M)
    assert entry and entry.group(1) == "citelint check --force-exclude"
    assert files
    pattern = re.compile(files.group(1))
    assert all(pattern.search(p) for p in ("a/story.md", "b.markdown", "c.html", "d.htm"))
    assert not any(pattern.search(p) for p in ("requirements.txt", "robots.txt", "notes.rst"))
