"""A directory walk remembers the files it yielded only when the arguments overlap (a folder
and a file or folder inside it): the one case where a file could be reached twice. Otherwise
nothing grows with the number of files walked."""
from __future__ import annotations

import os
from pathlib import Path

from citelint.load import discover
from citelint.load.walk import _overlapping


def _tree(root: Path) -> None:
    for folder in ("2024/01", "2024/02", "2025/01"):
        (root / folder).mkdir(parents=True)
        for n in range(3):
            (root / folder / f"story-{n}.md").write_text("The council met.\n", encoding="utf-8")


def test_overlapping_arguments_still_yield_each_file_once(tmp_path: Path) -> None:
    _tree(tmp_path)
    inner = str(tmp_path / "2024" / "02")
    named = str(tmp_path / "2024" / "01" / "story-1.md")
    found = [p for p in discover([named, str(tmp_path / "2024"), inner, str(tmp_path)]) if isinstance(p, str)]
    assert len(found) == len(set(found)) == 9
    assert found[0] == named


def test_the_same_folder_twice_is_walked_once(tmp_path: Path) -> None:
    _tree(tmp_path)
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        found = list(discover(["2024", "./2024/", str(tmp_path / "2024")]))
    finally:
        os.chdir(here)
    assert found == [f"2024/0{m}/story-{n}.md" for m in (1, 2) for n in range(3)]


def test_which_arguments_overlap(tmp_path: Path) -> None:
    a, b = str(tmp_path / "2024"), str(tmp_path / "2025")
    assert not _overlapping([a, b, "-"])
    assert not _overlapping([a, str(tmp_path / "2024 copy"), str(tmp_path / "20245")])
    assert _overlapping([a, os.path.join(a, "01")])
    assert _overlapping([os.path.join(a, "01", "x.md"), a])
    assert _overlapping([a, a + "/"])
    assert _overlapping([str(tmp_path), b])
