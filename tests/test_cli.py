"""The command line end to end: exit codes, formats, bad input, stdin, the sources command."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from citelint.cli import main

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "fixtures" / "example" / "draft.md"
SEED_LIKE = ROOT / "fixtures" / "articles" / "danescu-consulate.txt"


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, "-m", "citelint", *args], input=stdin, capture_output=True, cwd=ROOT)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def test_example_prints_findings_and_exits_1() -> None:
    code, out, err = run("check", str(EXAMPLE))
    assert code == 1
    lines = out.splitlines()
    assert any(":24:1: error CL101 " in line for line in lines)
    assert all(line.split(":")[1].isdigit() for line in lines)
    assert "1 file checked" in err and "attributions" in err


def test_check_is_the_default_command() -> None:
    assert run(str(EXAMPLE))[0:2] == run("check", str(EXAMPLE))[0:2]


def test_json_report_follows_schema_v1() -> None:
    code, out, _ = run("check", "--format", "json", str(SEED_LIKE))
    assert code == 1
    report = json.loads(out)
    assert set(report) == {"version", "tool", "files", "errors", "summary"}
    assert report["version"] == 1 and report["tool"]["name"] == "citelint"
    entry = report["files"][0]
    assert set(entry) == {"path", "attributions", "findings", "publisher"}  # publisher: a v1 addition
    att = entry["attributions"][0]
    assert set(att) == {"id", "source", "cue", "content", "quotes", "kind", "resolved", "urls", "verification"}
    assert set(att["cue"]) == {"start", "end", "text", "line", "column"}
    finding = entry["findings"][0]
    assert set(finding) == {"code", "rule", "severity", "message", "line", "column", "end_line", "end_column", "start", "end", "attribution"}
    assert set(report["summary"]) == {"files", "attributions", "findings"}
    assert set(report["summary"]["findings"]) == {"error", "warning", "info"}
    text = SEED_LIKE.read_text(encoding="utf-8")
    for a in entry["attributions"]:
        for role in ("source", "cue", "content"):
            if a[role]:
                assert text[a[role]["start"] : a[role]["end"]] == a[role]["text"]
    for f in entry["findings"]:
        line = text.splitlines()[f["line"] - 1]
        assert line[f["column"] - 1 :].startswith(text[f["start"] : f["end"]].split("\n")[0])


def test_directory_with_a_binary_file_reports_the_rest(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("Reuters reported that the mill closed.\n", encoding="utf-8")
    (tmp_path / "b.markdown").write_text("The minister reportedly resigned.\n", encoding="utf-8")
    (tmp_path / "c.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    code, out, err = run("check", "--format", "json", str(tmp_path))
    assert code == 2
    report = json.loads(out)
    assert [Path(f["path"]).name for f in report["files"]] == ["a.md", "b.markdown"]
    assert [Path(e["path"]).name for e in report["errors"]] == ["c.html"]
    assert "binary" in report["errors"][0]["message"]
    assert {f["code"] for f in report["files"][0]["findings"]} == {"CL101"}
    assert {f["code"] for f in report["files"][1]["findings"]} == {"CL201"}


def test_missing_files_are_errors_and_empty_articles_are_checked(tmp_path: Path) -> None:
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    (tmp_path / "blank.txt").write_text("  \n\n\t\n", encoding="utf-8")
    code, out, err = run("check", str(tmp_path / "empty.md"), str(tmp_path / "blank.txt"), str(tmp_path / "nope.md"))
    assert code == 2  # for the missing file only
    assert out.splitlines() == [f"{tmp_path / 'nope.md'}: error: no such file or directory"]
    assert "2 files checked, 0 attributions" in err
    code, out, err = run("check", str(tmp_path / "empty.md"))
    assert (code, out) == (0, "")


def test_stdin_with_a_filename_picks_the_format() -> None:
    code, out, _ = run("check", "-", "--stdin-filename", "draft.md", stdin=b"[Reuters reported](https://example.com/x) that the mill shut.\n")
    assert code == 1
    assert out.startswith("draft.md:1:2: error CL102 ")


def test_fail_on_and_exit_zero(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("The minister reportedly resigned on Friday.\n", encoding="utf-8")
    assert run("check", str(article))[0] == 0  # a warning does not fail by default
    assert run("check", "--fail-on", "warning", str(article))[0] == 1
    assert run("check", "--fail-on", "warning", "--exit-zero", str(article))[0] == 0
    assert run("check", "--ignore", "CL201", "--fail-on", "info", str(article))[0] == 0
    assert run("check", "--select", "vague-attribution", "--fail-on", "warning", str(article))[0] == 1


def test_unknown_rule_in_select_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("check", "--select", "CL999", str(EXAMPLE))
    assert code == 2 and "unknown rule 'CL999'" in err


def test_malformed_source_list_names_file_line_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "newsroom.toml"
    bad.write_text('[[source]]\nid = "valley"\nname = "Valley Herald"\nkind = "blog"\n', encoding="utf-8")
    code, out, err = run("check", "--sources", str(bad), str(EXAMPLE))
    assert code == 2
    assert f"{bad}:4: key 'kind'" in err
    assert out == ""


def test_newsroom_source_list_is_used(tmp_path: Path) -> None:
    extra = tmp_path / "newsroom.toml"
    extra.write_text('[[source]]\nid = "valley-herald"\nname = "Valley Herald"\ndomains = ["valleyherald.example"]\nkind = "newspaper"\n', encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("According to the Valley Herald, the mill closed.\n", encoding="utf-8")
    assert "CL103" in run("check", str(article))[1]
    code, out, _ = run("check", "--sources", str(extra), str(article))
    assert "CL103" not in out and "CL101" in out and "valleyherald.example" in out


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, _ = run("check", "--format", "json", "-o", str(target), str(EXAMPLE))
    assert code == 1 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == 1


def test_rules_and_rule_commands() -> None:
    code, out, _ = run("rules")
    assert code == 0 and "CL101  uncredited-report" in out and "CL901" in out
    code, out, _ = run("rule", "vague-attribution")
    assert code == 0 and out.startswith("CL201 vague-attribution (default severity: warning)")
    assert "**Bad:**" in out
    assert run("rule", "CL999")[0] == 2


def test_sources_command_resolves_names_and_urls() -> None:
    code, out, _ = run("sources", "the AP")
    assert code == 0 and out.startswith("ap: Associated Press")
    code, out, _ = run("sources", "https://www.abc.net.au/news/x")
    assert "abc-au" in out
    code, out, _ = run("sources", "ABC")
    assert "ambiguous" in out and "abc-es" in out
    assert run("sources", "Zeitblatt Quarterly")[0] == 1


def test_main_can_be_called_in_process() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["rules"], stdout=out, stderr=err) == 0
    assert "CL203" in out.getvalue()


@pytest.mark.parametrize("flag", ["--format=xml", "--fail-on=fatal"])
def test_bad_option_values_exit_2(flag: str) -> None:
    assert run("check", flag, str(EXAMPLE))[0] == 2


def test_sidecar_ref_that_is_not_a_registry_id_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The Associated Press reported that the mill shut.\n", encoding="utf-8")
    (tmp_path / "a.sources.toml").write_text('[[source]]\nref = "apx"\nurl = "https://apnews.com/article/x"\n', encoding="utf-8")
    code, out, _ = run("check", str(tmp_path / "a.txt"))
    assert code == 2
    assert "a.sources.toml: error: line 1: key 'ref': 'apx' is not a registry id" in out
    code, out, _ = run("check", "--format", "json", str(tmp_path / "a.txt"))
    assert json.loads(out)["summary"]["attributions"] == 1  # the article is still checked


def test_malformed_sidecar_is_reported_and_the_article_still_checked(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The minister reportedly resigned.\n", encoding="utf-8")
    (tmp_path / "a.sources.toml").write_text('[[source]]\nref = "ap"\nurl = 5\n', encoding="utf-8")
    code, out, _ = run("check", "--fail-on", "warning", str(tmp_path / "a.txt"))
    assert code == 2
    assert "a.sources.toml" in out and "line 3" in out and "'url'" in out
    assert "CL201" in out


def test_unusable_cache_directory_is_a_usage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    article = tmp_path / "a.md"
    article.write_text("[Reuters reported](https://www.reuters.com/x) that the mill shut.\n", encoding="utf-8")
    code, out, err = run("check", "--verify", "--offline", "--cache-dir", str(blocker / "cache"), str(article))
    assert code == 2
    assert "citelint: error:" in err and "cache" in err


def test_baseline_hides_old_findings_and_shows_new_ones_after_edits(tmp_path: Path) -> None:
    article = tmp_path / "a.md"
    article.write_text("# Mill\n\nThe Associated Press reported that the mill shut.\n", encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    code, out, err = run("check", "--write-baseline", str(baseline), str(article))
    assert code == 0 and "wrote 1 finding to the baseline" in err
    # Lines move and a new problem appears: only the new one is reported.
    article.write_text("# Mill\n\nA new first paragraph.\n\nReuters reported that jobs went.\n\nThe Associated Press reported that the mill shut.\n", encoding="utf-8")
    code, out, err = run("check", "--baseline", str(baseline), str(article))
    assert code == 1
    assert [line.split()[2] for line in out.splitlines()] == ["CL101"]
    assert ":5:1: error CL101 Reuters' reporting" in out
    assert "(1 more in the baseline)" in err


def test_malformed_baseline_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "baseline.json"
    bad.write_text("{not json", encoding="utf-8")
    code, _, err = run("check", "--baseline", str(bad), str(EXAMPLE))
    assert code == 2 and "baseline.json" in err
