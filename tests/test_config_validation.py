"""Configuration validation is complete: unknown codes, wrong types and non-tables are
errors naming file, line and key, in citelint.toml and in every spelling of pyproject.toml."""
from __future__ import annotations

from pathlib import Path

import pytest

from clihelpers import run_in


run = run_in  # this module's tests call the command line as run(cwd, *args)


PYPROJECT = [
    ('tool = "x"\n', "pyproject.toml:1: key 'tool' must be a table, not a string"),
    ('[project]\nname = "n"\n\n[tool]\ncitelint = "x"\n', "pyproject.toml:5: key 'tool.citelint' must be a table ([tool.citelint]), not a string"),
    ('tool.citelint = 3\n', "pyproject.toml:1: key 'tool.citelint' must be a table ([tool.citelint]), not a whole number"),
    ('[project]\nname = "n"\n\n[tool.citelint]\nselect = ["CL999"]\n', "pyproject.toml:5: key 'select': unknown rule 'CL999'"),
    ('[tool.citelint]\nignore = ["XX1"]\n', "pyproject.toml:2: key 'ignore': unknown rule 'XX1'"),
    ('[tool.citelint]\n\n\nseverity = {CL999 = "error"}\n', "pyproject.toml:4: key 'severity': unknown rule 'CL999'"),
    ('[project]\nname = "n"\n\n[tool.citelint.severity]\nCL203 = 5\n', "pyproject.toml:4: key 'severity': CL203 = 5 is not one of error, warning, info"),
    ('[tool.citelint]\nseverity = "warning"\n', "pyproject.toml:2: key 'severity' must be a table, not str"),
    ('[tool.citelint]\nexclude = 5\n', "pyproject.toml:2: key 'exclude' must be a list, not int"),
    ('[tool.citelint]\nsources = ["a.toml", 1]\n', "pyproject.toml:2: key 'sources' must be a list of strings"),
    ('[tool.citelint]\nverify = "yes"\n', "pyproject.toml:2: key 'verify' must be true or false, not str"),
    ('[tool.citelint]\ntimeout = nan\n', "pyproject.toml:2: key 'timeout' must be a finite number, not nan"),
    ('[tool.citelint]\nper-host = 1.5\n', "pyproject.toml:2: key 'per-host' must be a whole number, not float"),
    # A key of another table with the same name does not misplace the line.
    ('[project]\ntimeout = 3\n[tool.citelint]\nfail-on = "x"\n', "pyproject.toml:4: key 'fail-on' must be one of error, warning, info, not 'x'"),
]


@pytest.mark.parametrize(("text", "message"), PYPROJECT)
def test_pyproject_errors_name_file_line_and_key(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "a.txt").write_text("Critics say the levy is unfair.\n", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    code, out, err = run(tmp_path, "check", "a.txt")
    assert code == 2 and out == ""
    assert f"citelint: error: {tmp_path / message.split(':')[0]}:{message.split(':', 1)[1]}" in err
    assert "Traceback" not in err


def test_a_pyproject_about_something_else_is_not_the_configuration(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Critics say the levy is unfair.\n", encoding="utf-8")
    (tmp_path / "citelint.toml").write_text('ignore = ["CL203"]\n', encoding="utf-8")
    inner = tmp_path / "site"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[tool.other]\ncitelint = "mentioned, not configured"\n', encoding="utf-8")
    code, out, _ = run(inner, "check", "../a.txt")
    assert code == 0 and "CL203" not in out  # the outer citelint.toml applied


def test_unknown_code_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Critics say the levy is unfair.\n", encoding="utf-8")
    code, out, err = run(tmp_path, "check", "--isolated", "--select", "CL203,CL999", "a.txt")
    assert code == 2 and out == "" and "--select: unknown rule 'CL999'" in err


def test_user_config_is_validated_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "xdg" / "citelint").mkdir(parents=True)
    user = tmp_path / "xdg" / "citelint" / "config.toml"
    user.write_text('allow-hosts = "intranet"\ntimeout = inf\n', encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    (tmp_path / "repo").mkdir()
    code, _, err = run(tmp_path / "repo", "show-config")
    assert code == 2 and f"{user}:2: key 'timeout' must be a finite number, not inf" in err
