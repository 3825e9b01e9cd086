"""Start-up stays light: --version, rules and option errors do not import the checking
pipeline, a check does not import verification or gitignore matching it does not need.
(The time itself is measured by bench/startup, not asserted here.)"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
HEAVY = ("citelint.check", "citelint.extract", "citelint.registry", "citelint.verify", "requests", "bs4", "pathspec")


def imported_after(code: str) -> set[str]:
    probe = (f"import sys, io\nfrom citelint.cli import main\n{code}\n"
             "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in ('citelint', 'requests', 'bs4', 'pathspec'))))")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return set(proc.stdout.strip().splitlines()[-1].split()) if proc.stdout.strip() else set()


def _loaded(modules: set[str], prefix: str) -> bool:
    return any(m == prefix or m.startswith(prefix + ".") for m in modules)


def test_version_imports_nothing_heavy() -> None:
    modules = imported_after("try:\n    main(['--version'])\nexcept SystemExit:\n    pass")
    assert not [h for h in HEAVY if _loaded(modules, h)], modules


def test_a_check_of_named_files_loads_neither_verification_nor_pathspec() -> None:
    modules = imported_after("main(['check', '-q', 'fixtures/example/draft.md'], stdout=io.StringIO())")
    assert _loaded(modules, "citelint.check")  # the probe really ran a check
    assert not [h for h in ("citelint.verify.fetch", "requests", "bs4", "pathspec") if _loaded(modules, h)], modules
