"""Configuration: discovery walking up, precedence (command line over file over defaults),
errors naming file, line and key, and show-config telling where each value came from."""
from __future__ import annotations

from pathlib import Path

import pytest

from clihelpers import run_in

ARTICLE = "Critics say the levy is unfair. Sources said so. The minister reportedly resigned.\n"


run = run_in  # this module's tests call the command line as run(cwd, *args)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "articles" / "drafts").mkdir(parents=True)
    (tmp_path / "articles" / "a.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "articles" / "drafts" / "b.md").write_text(ARTICLE, encoding="utf-8")
    return tmp_path


def codes(out: str) -> list[tuple[str, str]]:
    # path:line:col: severity CODE message
    return [(line.split(":")[0].rsplit("/", 1)[-1], line.split()[2]) for line in out.splitlines() if " CL" in line]


def test_no_configuration_uses_defaults(repo: Path) -> None:
    code, out, _ = run(repo, "check", "articles")
    assert code == 0  # warnings and infos do not fail by default
    assert ("a.md", "CL203") in codes(out) and ("b.md", "CL203") in codes(out)


def test_pyproject_is_found_from_a_subdirectory(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.citelint]\nignore = ["weasel-attribution"]\nfail-on = "warning"\nexclude = ["drafts"]\n', encoding="utf-8")
    code, out, _ = run(repo / "articles", "check", ".")
    assert code == 1
    assert codes(out) == [("a.md", "CL202"), ("a.md", "CL201")]


def test_pyproject_without_a_citelint_table_is_not_a_configuration(repo: Path) -> None:
    inner = repo / "site"
    inner.mkdir()
    (inner / "a.md").write_text(ARTICLE, encoding="utf-8")
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    (repo / "citelint.toml").write_text('ignore = ["CL2"]\n', encoding="utf-8")
    _, out, _ = run(inner, "check", "a.md")
    assert not codes(out)  # the outer citelint.toml applies


def test_citelint_toml_wins_over_pyproject_in_one_directory(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[tool.citelint]\nignore = ["CL201"]\n', encoding="utf-8")
    (repo / "citelint.toml").write_text('ignore = ["CL202"]\n', encoding="utf-8")
    _, out, _ = run(repo, "check", "articles/a.md")
    assert ("a.md", "CL201") in codes(out) and ("a.md", "CL202") not in codes(out)


def test_command_line_overrides_the_file(repo: Path) -> None:
    (repo / "citelint.toml").write_text('ignore = ["CL202"]\nfail-on = "info"\n', encoding="utf-8")
    code, out, _ = run(repo, "check", "--ignore", "CL203", "--fail-on", "error", "articles/a.md")
    assert code == 0
    assert ("a.md", "CL202") in codes(out) and ("a.md", "CL203") not in codes(out)


def test_severity_override(repo: Path) -> None:
    (repo / "citelint.toml").write_text('severity = {CL203 = "error"}\n', encoding="utf-8")
    code, _, _ = run(repo, "check", "articles/a.md")
    assert code == 1


def test_isolated_and_explicit_config(repo: Path) -> None:
    (repo / "citelint.toml").write_text('ignore = ["ALL"]\n', encoding="utf-8")
    (repo / "other.toml").write_text('select = ["CL201"]\n', encoding="utf-8")
    assert not codes(run(repo, "check", "articles/a.md")[1])
    assert len(codes(run(repo, "check", "--isolated", "articles/a.md")[1])) == 3
    assert codes(run(repo, "check", "--config", "other.toml", "articles/a.md")[1]) == [("a.md", "CL201")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('ignor = ["CL203"]\n', "citelint.toml:1: unknown key 'ignor' (did you mean 'ignore'?)"),
        ('fail-on = "warning"\nignore = ["CL999"]\n', "citelint.toml:2: key 'ignore': unknown rule 'CL999'"),
        ('severity = {CL203 = "fatal"}\n', "citelint.toml:1: key 'severity': CL203 = 'fatal' is not one of error, warning, info"),
        ('timeout = "soon"\n', "citelint.toml:1: key 'timeout' must be a number, not str"),
        ('ignore = [\n', "citelint.toml: invalid TOML"),
        ('color = "sometimes"\n', "citelint.toml:1: key 'color' must be one of auto, always, never, not 'sometimes'"),
        ('force_exclude = true\n', "citelint.toml:1: unknown key 'force_exclude' (did you mean 'force-exclude'?)"),
        ('include = "*.txt"\nshow-source = "yes"\n', "citelint.toml:2: key 'show-source' must be true or false, not str"),
    ],
)
def test_bad_configuration_is_an_error_naming_file_line_and_key(repo: Path, text: str, message: str) -> None:
    (repo / "citelint.toml").write_text(text, encoding="utf-8")
    code, out, err = run(repo, "check", "articles")
    assert code == 2 and out == ""
    assert message in err


def test_sources_in_config_are_relative_to_the_config_file(repo: Path) -> None:
    (repo / "lists").mkdir()
    (repo / "lists" / "newsroom.toml").write_text('[[source]]\nid = "valley"\nname = "Valley Herald"\ndomains = ["valleyherald.example"]\nkind = "newspaper"\n', encoding="utf-8")
    (repo / "citelint.toml").write_text('sources = ["lists/newsroom.toml"]\n', encoding="utf-8")
    (repo / "articles" / "c.md").write_text("According to the Valley Herald, the mill shut.\n", encoding="utf-8")
    _, out, _ = run(repo / "articles", "check", "c.md")
    assert ("c.md", "CL101") in codes(out) and ("c.md", "CL103") not in codes(out)


def test_show_config_names_each_origin(repo: Path) -> None:
    (repo / "pyproject.toml").write_text('[tool.citelint]\nfail-on = "warning"\n', encoding="utf-8")
    code, out, _ = run(repo, "show-config", "--isolated")
    assert code == 0 and 'fail-on         = "error"  # default' in out
    code, out, _ = run(repo, "show-config")
    assert f"# configuration file: {repo / 'pyproject.toml'}" in out
    assert f'fail-on         = "warning"  # {repo / "pyproject.toml"} [tool.citelint]' in out


def test_second_release_keys_shape_the_run(repo: Path) -> None:
    (repo / "citelint.toml").write_text('include = ["articles/**/*.md"]\nexclude = ["drafts"]\nforce-exclude = true\n'
                                        'show-source = true\nstatistics = false\ncolor = "never"\n', encoding="utf-8")
    (repo / "notes.md").write_text(ARTICLE, encoding="utf-8")
    _, out, _ = run(repo, "check")
    assert {path for path, _ in codes(out)} == {"a.md"}  # notes.md is not included, drafts/ excluded
    assert "\n1 | Critics say" in out and "\033[" not in out
    assert run(repo, "check", "articles/drafts/b.md")[1] == ""  # force-exclude from the file
    _, shown, _ = run(repo, "show-config")
    values = {line.split("=", 1)[0].strip(): line.split("=", 1)[1].split("  #")[0].strip() for line in shown.splitlines()[1:]}
    assert (values["include"], values["force-exclude"], values["color"]) == ('["articles/**/*.md"]', "true", '"never"')


def test_show_config_makes_control_and_bidi_characters_visible(repo: Path) -> None:
    # A checkout's config is untrusted: printing its values raw would let it move the cursor,
    # retitle the terminal or reorder what the reader sees.
    (repo / "citelint.toml").write_text('publisher = "x\\u001b]0;owned\\u0007\\u202edesrever"\n'
                                        'include = ["a\\u0085b.md"]\n', encoding="utf-8")
    code, out, _ = run(repo, "show-config")
    assert code == 0 and "\x1b" not in out and "\x07" not in out and "\u202e" not in out and "\x85" not in out
    assert 'publisher       = "x\\u001b]0;owned\\u0007<U+202E>desrever"' in out
    assert 'include         = ["a<U+0085>b.md"]' in out
