"""Input errors kept for the report's end: spilled past a thousand, listed exactly as if held.

An archive run may meet a hundred thousand unreadable files; the parent must not hold them all.
Every format's report of many errors is compared with the one written from a plain sorted list.
"""
from __future__ import annotations

import io
import random

import pytest

from citelint.model import InputError
from citelint.report import Totals, render, writer
from citelint.report import input_errors
from citelint.report.input_errors import InputErrors


def _errors(n: int) -> list[InputError]:
    rng = random.Random(5)
    paths = [f"archive/{rng.randrange(300):03d}/story-{rng.randrange(50)}.md" for _ in range(n)]
    paths += ["undecodable-\udcff.md", "z.sources.toml", "a\u2028b.md"]  # a lone surrogate, a line separator
    return [InputError(p, rng.choice(["not valid UTF-8: byte 0xff at line 1, column 3", "is a directory",
                                      f"line {rng.randrange(9)}: key 'ref': 'x' is not a registry id"]))
            for p in paths]


def test_spilled_errors_come_back_sorted_and_complete(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(input_errors, "HELD", 7)
    errors = _errors(100)
    log = InputErrors(errors)
    assert len(log) == len(errors) and log
    assert list(log.sorted()) == sorted(errors, key=lambda e: (e.path, e.message))
    assert list(log.sorted()) == sorted(errors, key=lambda e: (e.path, e.message))  # read twice, same
    log.close()
    assert not InputErrors() and list(InputErrors().sorted()) == []


@pytest.mark.parametrize("fmt", ["json", "sarif", "text", "github", "html"])
def test_report_of_spilled_errors_is_the_report_of_held_ones(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    errors = _errors(40)
    held = render(fmt, [], errors)
    monkeypatch.setattr(input_errors, "HELD", 3)
    assert render(fmt, [], errors) == held


def test_json_errors_are_the_bytes_of_one_dumped_list() -> None:
    """The errors list is written an item at a time: the bytes of dumping it whole."""
    import json

    errors = _errors(20)[:-3] + [InputError("a \"quoted\"\x7f name.md", "line 1: bad\nthing")]
    out = io.StringIO()
    totals = Totals(errors=InputErrors(errors))
    w = writer("json", out)
    w.finish(totals)
    report = json.loads(out.getvalue())
    assert report["errors"] == [{"path": e.path, "message": e.message} for e in sorted(errors, key=lambda e: (e.path, e.message))]
    assert '"errors":[{"path":' in out.getvalue() and "\\u007f" in out.getvalue()
