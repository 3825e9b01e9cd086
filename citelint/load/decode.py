"""Reading article bytes and decoding them to text, with a precise reason when that fails."""
from __future__ import annotations

import codecs
import os
import re

from citelint.inputs import ReadError, open_regular, read_fd

MIB = 1024 * 1024
_SNIFF = 8192  # bytes inspected for control characters
_CONTROL = bytes(c for c in range(32) if c not in b"\t\n\r\f\v\x1b")
_CONTROL_RATIO = 0.10
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# WHATWG maps these labels to windows-1252, which is what such pages really are.
_AS_CP1252 = {"iso8859-1", "latin-1", "latin1", "iso-8859-1", "us-ascii", "ascii", "l1", "cp819"}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
_KINDS = "citelint reads .txt, .md and .html articles"


class LoadError(Exception):
    """An article that cannot be loaded; ``message`` says precisely why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_bytes(path: str, max_bytes: int) -> bytes:
    """The file's bytes, refusing directories, unreadable files and files over ``max_bytes``."""
    try:
        fd, size = open_regular(path)  # a FIFO or a device is refused, never waited on
    except ReadError as error:
        raise LoadError("no such file or directory" if error.missing else error.message) from None
    if size > max_bytes:
        os.close(fd)
        raise LoadError(too_big(size, max_bytes))
    try:
        data = read_fd(fd, max_bytes, size)  # a buffer of the file's size, not of the limit
    except OSError as error:
        raise LoadError(os_reason(error)) from None
    if len(data) > max_bytes:  # grew while reading, or a special file with no size
        raise LoadError(too_big(len(data), max_bytes, at_least=True))
    return data


def os_reason(error: OSError) -> str:
    """The OS's own wording (strerror), lower-cased like the rest of citelint's messages."""
    reason = error.strerror or str(error)
    return reason[:1].lower() + reason[1:]


def too_big(size: int, limit: int, at_least: bool = False) -> str:
    if at_least:
        return f"file is over the {_size(limit, exact=True)} limit"
    return f"file is {_size(size)}, over the {_size(limit, exact=True)} limit"


def _size(n: int, exact: bool = False) -> str:
    for unit, scale in (("MB", MIB), ("KB", 1024)):
        if n >= scale:
            value = f"{n / scale:.1f}"
            if exact and value.endswith(".0"):
                value = value[:-2]
            return f"{value} {unit}"
    return f"{n} bytes"


def decode(data: bytes, fmt: str) -> str:
    """Decode an article: BOM-marked UTF-8/16/32, else UTF-8, else (HTML) its meta charset."""
    return decode_noted(data, fmt)[0]


def decode_noted(data: bytes, fmt: str) -> tuple[str, str | None]:
    """``decode``, falling back to Windows-1252 when that is plausible, with a note saying so."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as error:
                raise LoadError(
                    f"not valid {label}: bad bytes at byte offset {error.start + len(bom)}"
                ) from None
            nul = text.find("\x00")
            if nul != -1:
                raise LoadError(f"binary file (NUL character at offset {nul}); {_KINDS}")
            return text, None
    _refuse_binary(data)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        declared = _declared(data) if fmt == "html" else None
        if declared is not None:
            return declared, None
        reason = _utf8_reason(data, error)
    if fmt == "html" and _declares_utf8(data):
        raise LoadError(reason)  # it says UTF-8, so the bytes are broken, not another encoding
    from citelint.load.legacy import as_cp1252, note

    fallback = as_cp1252(data)
    if fallback is None:
        raise LoadError(reason)
    return fallback, note(reason)


def _declares_utf8(data: bytes) -> bool:
    match = _META_CHARSET.search(data[:2048])
    return match is not None and match.group(1).lower().replace(b"_", b"-") in (b"utf-8", b"utf8")


def _refuse_binary(data: bytes) -> None:
    nul = data.find(b"\x00")
    if nul != -1:
        raise LoadError(f"binary file (NUL byte at offset {nul}); {_KINDS}")
    head = data[:_SNIFF]
    if head:
        controls = len(head) - len(head.translate(None, _CONTROL))
        if controls / len(head) > _CONTROL_RATIO:
            share = round(100 * controls / len(head))
            raise LoadError(f"binary file ({share}% control characters); {_KINDS}")


def _utf8_reason(data: bytes, error: UnicodeDecodeError) -> str:
    at = error.start
    line_start = data.rfind(b"\n", 0, at) + 1
    line = data.count(b"\n", 0, at) + 1
    column = len(data[line_start:at].decode("utf-8", errors="replace")) + 1
    return (
        f"not valid UTF-8: byte 0x{data[at]:02x} at line {line}, column {column}"
        " (save the file as UTF-8)"
    )


def _declared(data: bytes) -> str | None:
    """Decode with the charset a ``<meta>`` in the first 2 KB declares, if Python knows it."""
    match = _META_CHARSET.search(data[:2048])
    if not match:
        return None
    label = match.group(1).decode("ascii").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name.startswith(("utf-8", "utf-16", "utf-32")):
        return None  # declared UTF-8 (so it really is broken), or a UTF-16 label HTML ignores
    attempts = ["cp1252", name] if label in _AS_CP1252 or name in _AS_CP1252 else [name]
    for codec in attempts:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return None
