"""Reading a file once it is open: to its end, never past the cap, the descriptor closed."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from citelint.inputs import ReadError, open_regular, read_fd, read_regular


def test_a_file_is_read_whole_and_its_descriptor_closed(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"The AP reported it.\n" * 5000)  # 100 kB: more than one read of a pipe
    fd, size = open_regular(path)
    assert read_fd(fd, 1_000_000, size) == path.read_bytes()
    with pytest.raises(OSError):
        os.fstat(fd)


def _opened_then_grown(tmp_path: Path, grown_by: int) -> tuple[int, int]:
    """A 100-byte file opened and measured, then ``grown_by`` bytes longer: (descriptor, size measured)."""
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 100)
    fd, size = open_regular(path)
    with path.open("ab") as handle:
        handle.write(b"y" * grown_by)
    return fd, size


def test_a_file_that_grew_after_it_was_measured_is_read_to_its_end(tmp_path: Path) -> None:
    fd, size = _opened_then_grown(tmp_path, 50)
    assert read_fd(fd, 1_000, size) == b"x" * 100 + b"y" * 50


def test_a_file_that_grew_past_the_cap_gives_one_byte_more_than_the_cap(tmp_path: Path) -> None:
    fd, size = _opened_then_grown(tmp_path, 500)
    assert read_fd(fd, 120, size) == b"x" * 100 + b"y" * 21
    path = tmp_path / "a.txt"
    path.write_bytes(b"z" * 121)
    with pytest.raises(ReadError, match="120"):
        read_regular(path, 120)


def test_a_stream_of_unknown_size_is_read_to_its_end() -> None:
    read_end, write_end = os.pipe()
    data = b"0123456789" * 3000  # 30 kB, within a pipe's buffer: written before it is read
    os.write(write_end, data)
    os.close(write_end)
    assert read_fd(read_end, 1_000_000) == data
