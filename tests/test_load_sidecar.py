"""Per-article sidecars: NAME.sources.toml beside the article; broken ones are reported."""
from __future__ import annotations

from pathlib import Path

import pytest

from citelint.load import load_bytes, load_path

GOOD = """\
# Sources for the draft
[[source]]
ref = "ap"
url = "https://apnews.com/article/x"

  [[source]]  # indented, with a comment
name = "Saltcombe Gazette"
note = "print edition"
"""


def write(tmp_path: Path, sidecar: str, article: str = "story.md") -> Path:
    path = tmp_path / article
    path.write_text("The AP reported it.\n", encoding="utf-8")
    (tmp_path / (path.stem + ".sources.toml")).write_text(sidecar, encoding="utf-8")
    return path


def test_good_sidecar(tmp_path: Path) -> None:
    article = write(tmp_path, GOOD)
    loaded = load_path(str(article))
    assert loaded.problems == ()
    sidecar = loaded.document.sidecar
    assert sidecar is not None
    assert sidecar.path == str(tmp_path / "story.sources.toml")
    assert sidecar.text == GOOD
    first, second = sidecar.sources
    assert (first.ref, first.name, first.url) == ("ap", None, "https://apnews.com/article/x")
    assert (second.ref, second.name, second.url) == (None, "Saltcombe Gazette", None)
    assert first.span.text == "[[source]]"
    assert (first.span.start, first.span.line, first.span.column) == (24, 2, 1)
    assert second.span.text == "[[source]]"
    assert (second.span.line, second.span.column, second.span.end_column) == (6, 3, 13)
    assert GOOD[second.span.start : second.span.end] == "[[source]]"


def test_no_sidecar_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("text", encoding="utf-8")
    loaded = load_path(str(path))
    assert loaded.problems == () and loaded.document.sidecar is None


def test_sidecar_name_drops_only_the_last_suffix(tmp_path: Path) -> None:
    article = write(tmp_path, GOOD, "2031.05.story.html")
    assert (tmp_path / "2031.05.story.sources.toml").exists()
    assert load_path(str(article)).document.sidecar is not None


def test_stdin_sidecar_found_in_sidecar_dir(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    loaded = load_bytes(b"The AP said.", "drafts/story.md", sidecar_dir=str(tmp_path))
    assert loaded.document.sidecar is not None
    assert loaded.document.format == "markdown"
    assert load_bytes(b"The AP said.", "-", sidecar_dir=str(tmp_path)).document.sidecar is None
    assert load_bytes(b"The AP said.", "story.md").document.sidecar is None


@pytest.mark.parametrize(
    ("sidecar", "expected"),
    [
        (
            '[[source]]\nref = "ap"\n\n[[source]]\nurl = "https://x.com"\n',
            "line 4: [[source]] needs key 'ref' (a registry id) or key 'name'",
        ),
        (
            '[[source]]\nref = "ap"\nurl = "ftp://x.com/a"\n',
            "line 3: key 'url' must be an http(s) URL, got 'ftp://x.com/a'",
        ),
        (
            '[[source]]\nref = "ap"\nurl = "apnews.com/x"\n',
            "line 3: key 'url' must be an http(s) URL, got 'apnews.com/x'",
        ),
        ('[[source]]\nref = 7\n', "line 2: key 'ref' must be a string, not an integer"),
        ('[[source]]\nname = ["a"]\n', "line 2: key 'name' must be a string, not an array"),
        ('[[source]]\nref = "ap"\n\nlink = "https://x.com"\n', "line 4: unknown key 'link' in [[source]]"),
        ('[[source]]\nref = "  "\n', "line 2: key 'ref' is empty"),
        ('title = "x"\n[[source]]\nref = "ap"\n', "line 1: unknown key 'title'"),
        ('source = "ap"\n', "line 1: 'source' must be [[source]] tables"),
    ],
)
def test_malformed_sidecar_is_a_problem_and_the_article_still_loads(
    tmp_path: Path, sidecar: str, expected: str
) -> None:
    article = write(tmp_path, sidecar)
    loaded = load_path(str(article))
    assert loaded.document.sidecar is None
    assert loaded.document.prose.startswith("The AP reported it.")
    assert [p.path for p in loaded.problems] == [str(tmp_path / "story.sources.toml")]
    assert loaded.problems[0].message.startswith(expected)


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    article = write(tmp_path, '[[source]]\nref = "ap"\nurl = https://x.com\n')
    (problem,) = load_path(str(article)).problems
    assert problem.message.startswith("invalid TOML: ")
    assert "line 3" in problem.message


def test_every_problem_is_reported(tmp_path: Path) -> None:
    article = write(tmp_path, '[[source]]\nref = 1\n\n[[source]]\nname = "x"\nurl = "mailto:a@b"\n')
    messages = [p.message for p in load_path(str(article)).problems]
    assert messages == [
        "line 2: key 'ref' must be a string, not an integer",
        "line 6: key 'url' must be an http(s) URL, got 'mailto:a@b'",
    ]


def test_inline_array_sources_point_at_the_array(tmp_path: Path) -> None:
    article = write(tmp_path, '# c\nsource = [{ref = "ap", url = "https://apnews.com"}]\n')
    loaded = load_path(str(article))
    assert loaded.problems == ()
    assert loaded.document.sidecar is not None
    (source,) = loaded.document.sidecar.sources
    assert (source.ref, source.span.text, source.span.line) == ("ap", "source", 2)


def test_sidecar_that_is_not_utf8(tmp_path: Path) -> None:
    article = tmp_path / "story.md"
    article.write_text("text", encoding="utf-8")
    (tmp_path / "story.sources.toml").write_bytes(b'[[source]]\nname = "caf\xe9"\n')
    (problem,) = load_path(str(article)).problems
    assert problem.message == "line 2: not valid UTF-8 (save the file as UTF-8)"
