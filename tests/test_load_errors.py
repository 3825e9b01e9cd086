"""Bad input gives a LoadError with a precise message, never a traceback; discovery order."""
from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from citelint.load import LoadError, discover, load_bytes, load_path
from citelint.model import InputError


def reason(data: bytes, path: str = "a.md") -> str:
    with pytest.raises(LoadError) as caught:
        load_bytes(data, path)
    return caught.value.message


def test_nul_byte_is_binary() -> None:
    data = b"x" * 1234 + b"\x00rest"
    assert reason(data) == (
        "binary file (NUL byte at offset 1234); citelint reads .txt, .md and .html articles"
    )


def test_control_characters_are_binary() -> None:
    data = bytes(range(1, 9)) * 100 + b"some text"
    assert reason(data).startswith("binary file (")
    assert "% control characters)" in reason(data)


def test_invalid_utf8_gives_line_and_column() -> None:
    # 0x81 is not Windows-1252 either, so there is no fallback.
    data = "line one\nline two\nsixteen chars é!".encode("utf-8").replace(b"\xc3\xa9", b"\x81")
    assert reason(data) == "not valid UTF-8: byte 0x81 at line 3, column 15 (save the file as UTF-8)"


def test_windows_1252_is_read_with_a_note_naming_the_first_bad_byte() -> None:
    data = "line one\nline two\nsixteen chars é!".encode("cp1252")
    loaded = load_bytes(data, "a.md")
    assert loaded.document.text.endswith("sixteen chars é!") and not loaded.problems
    assert loaded.notes == ("not valid UTF-8: byte 0xe9 at line 3, column 15; read as Windows-1252 "
                            "(Word's plain text), save it as UTF-8 to be sure",)


def test_column_counts_characters_not_bytes() -> None:
    data = "ééé".encode("utf-8") + b"\xff"
    assert reason(data, "a.txt") == "not valid UTF-8: byte 0xff at line 1, column 4 (save the file as UTF-8)"


def test_latin1_html_with_meta_charset_decodes() -> None:
    html = b'<html><head><meta charset="iso-8859-1"></head><body><p>Caf\xe9 \x93quoted\x94</p>'
    doc = load_bytes(html, "a.html").document
    assert "Café “quoted”" in doc.prose


def test_http_equiv_charset_decodes() -> None:
    html = (
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        "<p>na\xefve</p>"
    )
    assert "naïve" in load_bytes(html.encode("cp1252"), "a.htm").document.prose


def test_meta_charset_is_ignored_outside_html() -> None:
    data = '<meta charset="utf-8"> caf\xe9'.encode("latin-1")
    assert load_bytes(data, "a.md").notes[0].startswith("not valid UTF-8: byte 0xe9 at line 1, column 27")


def test_declared_utf8_but_invalid_stays_an_error() -> None:
    data = b'<meta charset="utf-8"><p>caf\xe9</p>'
    assert reason(data, "a.html").startswith("not valid UTF-8: byte 0xe9")


def test_boms() -> None:
    doc = load_bytes(codecs.BOM_UTF8 + "The AP said.".encode(), "a.txt").document
    assert doc.text == "The AP said."
    span = doc.span(4, 6)
    assert (span.start, span.text, span.column) == (4, "AP", 5)
    for codec, bom in (("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)):
        assert load_bytes(bom + "Reuters".encode(codec), "a.txt").document.text == "Reuters"
    data = codecs.BOM_UTF32_LE + "AP".encode("utf-32-le")
    assert load_bytes(data, "a.txt").document.text == "AP"


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n"])
def test_empty_and_whitespace_only_load_as_articles_with_nothing_in_them(data: bytes) -> None:
    for name in ("a.txt", "a.md", "a.html"):
        document = load_bytes(data, name).document
        assert not document.text.strip() and not document.prose.strip() and not document.links


def test_oversized_file(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_bytes(b"a" * 3000)
    with pytest.raises(LoadError) as caught:
        load_path(str(path), max_bytes=1024)
    assert caught.value.message == "file is 2.9 KB, over the 1 KB limit"


def test_oversized_message_in_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_bytes(b"a" * (int(1.5 * 1024 * 1024)))
    with pytest.raises(LoadError) as caught:
        load_path(str(path), max_bytes=1024 * 1024)
    assert caught.value.message == "file is 1.5 MB, over the 1 MB limit"


def test_directory_and_missing_path(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as caught:
        load_path(str(tmp_path))
    assert caught.value.message.startswith("is a directory")
    with pytest.raises(LoadError) as caught:
        load_path(str(tmp_path / "nope.md"))
    assert caught.value.message == "no such file or directory"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "locked.md"
    path.write_text("x")
    path.chmod(0)
    with pytest.raises(LoadError) as caught:
        load_path(str(path))
    assert caught.value.message == "permission denied"


def test_load_path_reads_by_suffix(tmp_path: Path) -> None:
    path = tmp_path / "story.html"
    path.write_text("<p>The <b>AP</b> said.</p>", encoding="utf-8")
    loaded = load_path(str(path))
    assert loaded.problems == ()
    assert loaded.document.format == "html"
    assert loaded.document.path == str(path)
    assert loaded.document.sidecar is None


def test_explicit_file_of_unknown_suffix_loads_as_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.rst"
    path.write_text("Per https://ap.org, yes.", encoding="utf-8")
    doc = load_path(str(path)).document
    assert doc.format == "text"
    assert [link.url for link in doc.links] == ["https://ap.org"]


def make_tree(root: Path) -> None:
    for name in [
        "b.md",
        "a.txt",
        "A2.html",
        "z/c.htm",
        "z/d.markdown",
        "z/d.sources.toml",
        "a.sources.toml",
        "notes.rst",
        "image.png",
        ".git/x.md",
        ".venv/lib/y.md",
        "sub/.hidden/z.md",
        "sub/deep/e.MD",
        "sub/f.md",
    ]:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")


def test_discover_walks_sorted_filtered_and_skips_hidden(tmp_path: Path) -> None:
    make_tree(tmp_path)
    found = list(discover([str(tmp_path)]))
    relative = [os.path.relpath(p, tmp_path) for p in found if isinstance(p, str)]
    assert relative == [
        "A2.html",  # a.txt is not read by a walk unless included
        "b.md",
        os.path.join("sub", "deep", "e.MD"),
        os.path.join("sub", "f.md"),
        os.path.join("z", "c.htm"),
        os.path.join("z", "d.markdown"),
    ]


def test_discover_keeps_argument_order_passes_stdin_and_reports_missing(tmp_path: Path) -> None:
    make_tree(tmp_path)
    missing = str(tmp_path / "gone.md")
    explicit = str(tmp_path / "notes.rst")
    found = list(discover([explicit, "-", missing, str(tmp_path / "z"), explicit]))
    assert found == [
        explicit,
        "-",
        InputError(missing, "no such file or directory"),
        str(tmp_path / "z" / "c.htm"),
        str(tmp_path / "z" / "d.markdown"),
    ]


def test_discover_is_deterministic(tmp_path: Path) -> None:
    make_tree(tmp_path)
    assert list(discover([str(tmp_path)])) == list(discover([str(tmp_path)]))


def test_discover_walks_an_explicitly_named_hidden_directory(tmp_path: Path) -> None:
    make_tree(tmp_path)
    found = list(discover([str(tmp_path / ".git")]))
    assert found == [str(tmp_path / ".git" / "x.md")]
